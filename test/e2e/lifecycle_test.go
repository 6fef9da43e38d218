package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/test/harness"
)

// driftWindow is how long a drift correction may take: the next poll, the
// time a reconcile itself takes, and the time AWS (the test bed) takes to
// apply a modification. main scales it to the backend.
var driftWindow = 2*pollInterval + 5*time.Second

// Out-of-band changes to class and backup retention are reverted at the
// next poll with one ModifyDBInstance. (Storage is not shrunk: AWS refuses
// that, and the test bed too.)
func TestOutOfBandChangesAreReverted(t *testing.T) {
	in := newInstance("drift-db", providerConfigName)
	in.Spec.ForProvider.ApplyImmediately = aws.Bool(true)
	in.Spec.ForProvider.BackupRetentionPeriod = aws.Float64(7)
	createInstance(t, in)
	waitReadySynced(t, "drift-db")
	// Ready comes while the first backup still runs. A change made then
	// shows no `modifying` (AWS keeps showing `backing-up`), so the backup
	// retention, applied at once, could be corrected before the class
	// change lands: two modifications, both right, but not what this test
	// is about.
	waitAvailable(t, "drift-db")

	before := env.Calls.Snapshot() // the provider's calls; the out-of-band change is not one
	if _, err := env.RDS().ModifyDBInstance(context.Background(), &rds.ModifyDBInstanceInput{
		DBInstanceIdentifier: aws.String("drift-db"), BackupRetentionPeriod: aws.Int32(3), DBInstanceClass: aws.String("db.t3.large"), ApplyImmediately: aws.Bool(true),
	}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, driftWindow, "the out-of-band change applied", func() (bool, string) {
		db := describe(t, "drift-db")
		return aws.ToString(db.DBInstanceClass) == "db.t3.large", "class " + aws.ToString(db.DBInstanceClass)
	})
	harness.Eventually(t, 2*driftWindow, "drift-db back to db.t3.micro with 7 days of backups", func() (bool, string) {
		db := describe(t, "drift-db")
		return aws.ToInt32(db.BackupRetentionPeriod) == 7 && aws.ToString(db.DBInstanceClass) == "db.t3.micro",
			"backups " + itoa32(db.BackupRetentionPeriod) + " class " + aws.ToString(db.DBInstanceClass)
	})
	if got := env.Calls.Since(before)["rds:ModifyDBInstance"]; got != 1 {
		t.Errorf("ModifyDBInstance calls to correct the drift: want 1, got %d", got)
	}
	harness.Eventually(t, waitTimeout, "an event names the drifted fields", func() (bool, string) {
		msgs := eventMessages(t, "drift-db", "CorrectingDrift")
		for _, m := range msgs {
			if strings.Contains(m, "backupRetentionPeriod") && strings.Contains(m, "instanceClass") {
				return true, ""
			}
		}
		return false, strings.Join(msgs, "; ")
	})
}

// A change RDS cannot make to an existing instance is reported where GitOps
// tools look (Synced False with the reason; Argo CD's health check for
// these kinds and Flux read Synced and Ready), once as an event of its own,
// with no AWS change sent; putting the spec back makes it Synced again.
func TestCreateOnlyChangeIsReportedNotRetried(t *testing.T) {
	in := newInstance("create-only-db", providerConfigName)
	in.Spec.ForProvider.StorageEncrypted = aws.Bool(true)
	createInstance(t, in)
	waitReadySynced(t, "create-only-db")
	patch := client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"forProvider":{"storageEncrypted":false}}}`))
	before := env.Calls.Snapshot()
	if err := env.Kube.Patch(context.Background(), getInstance(t, "create-only-db"), patch); err != nil {
		t.Fatal(err)
	}
	const reason = "storageEncrypted: the instance has true; RDS sets it only at creation"
	waitCondition(t, "create-only-db", xpv2.TypeSynced, corev1.ConditionFalse, reason)
	time.Sleep(2 * pollInterval)
	if got := env.Calls.Since(before)["rds:ModifyDBInstance"]; got != 0 {
		t.Errorf("ModifyDBInstance calls for a create-only change: want 0, got %d", got)
	}
	if msgs := eventMessages(t, "create-only-db", "CannotApply"); len(msgs) != 1 || !strings.Contains(msgs[0], reason) {
		t.Errorf("CannotApply events: want one naming storageEncrypted, got %q", msgs)
	}
	got := getInstance(t, "create-only-db")
	if s := condition(got, xpv2.TypeReady); s.Status != corev1.ConditionTrue {
		t.Errorf("Ready after a refused change: want True (the database serves), got %s: %s", s.Status, s.Message)
	}
	if c := condition(got, managedkit.TypeCannotApply); c.Status != corev1.ConditionTrue || !strings.Contains(c.Message, "storageEncrypted") {
		t.Errorf("CannotApply condition: want True naming storageEncrypted, got %s: %s", c.Status, c.Message)
	}

	patch = client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"forProvider":{"storageEncrypted":true}}}`))
	if err := env.Kube.Patch(context.Background(), getInstance(t, "create-only-db"), patch); err != nil {
		t.Fatal(err)
	}
	waitReadySynced(t, "create-only-db")
	if c := condition(getInstance(t, "create-only-db"), managedkit.TypeCannotApply); c.Status == corev1.ConditionTrue {
		t.Errorf("CannotApply after the spec was put back: %s", c.Message)
	}
}

// An instance deleted out of band is created again.
func TestOutOfBandDeletionIsRecreated(t *testing.T) {
	createInstance(t, newInstance("recreate-db", providerConfigName))
	waitReadySynced(t, "recreate-db")
	if _, err := env.RDS().DeleteDBInstance(context.Background(), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("recreate-db"), SkipFinalSnapshot: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, driftWindow, "recreate-db exists again", func() (bool, string) {
		return describe(t, "recreate-db") != nil, "absent"
	})
}

// An Instance whose external name names an existing DB instance adopts it
// without creating anything.
func TestAdoptionCreatesNothing(t *testing.T) {
	resourceID := aws.ToString(createOutOfBand(t, "legacy-db", "postgres", "db.t3.micro", "app").DbiResourceId)
	before := env.Calls.Snapshot()

	in := newInstance("adopted", providerConfigName)
	meta.SetExternalName(in, "legacy-db")
	in.Spec.ForProvider.EngineVersion = nil
	createInstance(t, in)
	got := waitReadySynced(t, "adopted")

	calls := env.Calls.Since(before)
	if calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("adoption called CreateDBInstance %d times", calls["rds:CreateDBInstance"])
	}
	if id := aws.ToString(describe(t, "legacy-db").DbiResourceId); id != resourceID {
		t.Errorf("the adopted instance was replaced: resource ID %s became %s", resourceID, id)
	}
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("adoption changed the instance (and its existing password): %s", harness.Format(calls))
	}
	if aws.ToString(got.Status.AtProvider.Username) != "app" {
		t.Errorf("atProvider.username: want app, got %q", aws.ToString(got.Status.AtProvider.Username))
	}
}

// An Observe-only Instance reports what exists and changes nothing.
func TestObserveOnlyChangesNothing(t *testing.T) {
	createOutOfBand(t, "observed-db", "mysql", "db.t3.small", "admin")
	before := env.Calls.Snapshot()
	in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "observed-db"}}
	in.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
	in.Spec.ProviderConfigReference = &xpv2.Reference{Name: providerConfigName}
	in.Spec.ForProvider = v1beta3.InstanceParameters{Region: aws.String(harness.Region), InstanceClass: aws.String("db.t3.large")}
	createInstance(t, in)
	got := waitReadySynced(t, "observed-db")
	time.Sleep(2 * pollInterval)

	if c := aws.ToString(got.Status.AtProvider.InstanceClass); c != "db.t3.small" {
		t.Errorf("atProvider.instanceClass: want db.t3.small, got %q", c)
	}
	if c := aws.ToString(describe(t, "observed-db").DBInstanceClass); c != "db.t3.small" {
		t.Errorf("an Observe-only Instance changed the class to %q", c)
	}
	for call := range env.Calls.Since(before) {
		if !strings.HasPrefix(call, "rds:Describe") {
			t.Errorf("an Observe-only Instance made a mutating call: %s", harness.Format(env.Calls.Since(before)))
		}
	}
}

// Changing the referenced password Secret rotates the master password once,
// and the connection Secret follows.
func TestPasswordSecretChangeRotatesOnce(t *testing.T) {
	ctx := context.Background()
	pwSecret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "rotate-db-password"}, StringData: map[string]string{"pw": "first-password-123"}}
	if err := env.Kube.Create(ctx, pwSecret); err != nil {
		t.Fatal(err)
	}
	in := newInstance("rotate-db", providerConfigName)
	in.Spec.ForProvider.PasswordSecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "default", Name: "rotate-db-password"}, Key: "pw"}
	in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: "rotate-db-conn"}
	createInstance(t, in)
	waitReadySynced(t, "rotate-db")
	if got := string(getSecret(t, "default", "rotate-db-conn").Data["password"]); got != "first-password-123" {
		t.Fatalf("connection password before rotation: want the Secret's, got %q", got)
	}

	before := env.Calls.Snapshot()
	pwSecret.StringData = map[string]string{"pw": "second-password-456"}
	if err := env.Kube.Update(ctx, pwSecret); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, driftWindow, "connection Secret carries the new password", func() (bool, string) {
		got := string(getSecret(t, "default", "rotate-db-conn").Data["password"])
		return got == "second-password-456", "password is still the old one"
	})
	time.Sleep(3 * pollInterval)
	if got := env.Calls.Since(before)["rds:ModifyDBInstance"]; got != 1 {
		t.Errorf("ModifyDBInstance calls after one Secret change over several polls: want 1, got %d", got)
	}
	bed := env.Bed(t)
	if !bed.Authenticates(t, "rotate-db", "second-password-456") {
		t.Error("the database does not accept the new password: it never reached AWS")
	}
	if bed.Authenticates(t, "rotate-db", "first-password-123") {
		t.Error("the database still accepts the old password")
	}
}

// Deletion protection blocks deletion with a clear message until the user
// turns it off; then the instance is deleted.
func TestDeletionProtectionBlocksThenAllowsDeletion(t *testing.T) {
	ctx := context.Background()
	in := newInstance("protected-db", providerConfigName)
	in.Spec.ForProvider.DeletionProtection = aws.Bool(true)
	if err := env.Kube.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	waitReadySynced(t, "protected-db")
	if err := env.Kube.Delete(ctx, in); err != nil {
		t.Fatal(err)
	}
	waitSyncedError(t, "protected-db", "deletion protection is on: set spec.forProvider.deletionProtection to false")
	if describe(t, "protected-db") == nil {
		t.Fatal("a protected DB instance was deleted")
	}
	patch := client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"forProvider":{"deletionProtection":false}}}`))
	if err := env.Kube.Patch(ctx, getInstance(t, "protected-db"), patch); err != nil {
		t.Fatal(err)
	}
	deleteAndWaitGone(t, "protected-db")
	if describe(t, "protected-db") != nil {
		t.Error("the DB instance still exists after protection was turned off and its Instance deleted")
	}
}

// A create AWS rejects yields a clear condition with the AWS error, and the
// provider backs off instead of retrying in a tight loop.
func TestRejectedCreateIsReportedWithoutHotLoop(t *testing.T) {
	in := newInstance("bad-engine-db", providerConfigName)
	// AWS refuses Enhanced Monitoring without its role; nothing the
	// provider checks before asking.
	in.Spec.ForProvider.MonitoringInterval = aws.Float64(60)
	before := env.Calls.Snapshot()
	createInstance(t, in)
	waitSyncedError(t, "bad-engine-db", "InvalidParameterCombination")
	time.Sleep(6 * time.Second)
	if got := env.Calls.Since(before)["rds:CreateDBInstance"]; got > 5 {
		t.Errorf("CreateDBInstance attempts within ~7s of a rejected create: want a backed-off handful, got %d", got)
	}
}

// The connection Secret holds everything a client needs, and the password
// is the master password the provider set.
func TestConnectionDetails(t *testing.T) {
	in := newInstance("conn-db", providerConfigName)
	in.Spec.ForProvider.DBName = aws.String("app")
	in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: "conn-db-conn"}
	createInstance(t, in)
	waitReadySynced(t, "conn-db")
	data := getSecret(t, "default", "conn-db-conn").Data
	pw := string(getSecret(t, harness.ProviderNamespace, instance.GeneratedSecretName("conn-db")).Data["password"])
	db := describe(t, "conn-db")
	host, port := aws.ToString(db.Endpoint.Address), itoa32(db.Endpoint.Port)
	want := map[string]string{
		"endpoint": host + ":" + port, "address": host, "host": host, "port": port,
		"username": "postgres", "password": pw, "database": "app",
		"url": "postgresql://postgres:" + pw + "@" + host + ":" + port + "/app",
	}
	for k, v := range want {
		if string(data[k]) != v {
			t.Errorf("connection detail %s: want %q, got %q", k, v, string(data[k]))
		}
	}
}
