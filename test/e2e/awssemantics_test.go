package e2e

// Behaviour that only shows against AWS's documented semantics, which the
// stricter test bed (test/strictaws) brings to moto: instances that take
// time, pending modifications, AWS's refusals. Each test names the defect
// it guards against.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/test/harness"
)

// patchInstance applies a JSON merge patch to an Instance.
func patchInstance(t *testing.T, name, patch string) {
	t.Helper()
	if err := env.Kube.Patch(context.Background(), getInstance(t, name), client.RawPatch("application/merge-patch+json", []byte(patch))); err != nil {
		t.Fatalf("cannot patch Instance %s: %v", name, err)
	}
}

// waitCondition waits until an Instance's condition has a status and a
// message containing want, and returns the Instance.
func waitCondition(t *testing.T, name string, ct xpv2.ConditionType, status corev1.ConditionStatus, want string) *v1beta3.Instance {
	t.Helper()
	var in *v1beta3.Instance
	harness.Eventually(t, waitTimeout, "Instance "+name+" "+string(ct)+"="+string(status)+" mentioning "+want, func() (bool, string) {
		in = getInstance(t, name)
		c := condition(in, ct)
		return c.Status == status && strings.Contains(c.Message, want), string(c.Status) + ": " + c.Message
	})
	return in
}

// countOver returns the provider's calls of an operation while f runs and
// a few polls pass after it.
func countOver(polls int, f func()) map[string]int {
	before := env.Calls.Snapshot()
	if f != nil {
		f()
	}
	time.Sleep(time.Duration(polls) * pollInterval)
	return env.Calls.Since(before)
}

// passwordInstance returns an Instance whose master password comes from a
// Secret in the default namespace (created with the password unless it
// exists) and which publishes a connection Secret.
func passwordInstance(t *testing.T, name, password string) (*v1beta3.Instance, *corev1.Secret) {
	t.Helper()
	s := &corev1.Secret{}
	s.SetNamespace("default")
	s.SetName(name + "-password")
	s.StringData = map[string]string{"pw": password}
	if err := env.Kube.Create(context.Background(), s); kerrors.IsAlreadyExists(err) {
		s = getSecret(t, "default", name+"-password")
	} else if err != nil {
		t.Fatal(err)
	}
	in := newInstance(name, providerConfigName)
	in.Spec.ForProvider.PasswordSecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "default", Name: s.GetName()}, Key: "pw"}
	in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: name + "-conn"}
	return in, s
}

func setPassword(t *testing.T, s *corev1.Secret, password string) {
	t.Helper()
	s.StringData = map[string]string{"pw": password}
	if err := env.Kube.Update(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

func publishedPassword(t *testing.T, name string) string {
	t.Helper()
	return string(getSecret(t, "default", name+"-conn").Data["password"])
}

// Defect 1: gp3 IOPS and throughput late-initialised at the small-volume
// baseline were sent back (and refused) once the volume grew past the
// engine's threshold, where AWS reports the larger baseline.
func TestGP3BaselineGrowsWithoutUpdateLoop(t *testing.T) {
	in := newInstance("gp3-db", providerConfigName)
	in.Spec.ForProvider.StorageType = aws.String("gp3")
	in.Spec.ForProvider.AllocatedStorage = aws.Float64(200)
	in.Spec.ForProvider.ApplyImmediately = aws.Bool(true)
	createInstance(t, in)
	got := waitReadySynced(t, "gp3-db")
	if got.Spec.ForProvider.Iops != nil || got.Spec.ForProvider.StorageThroughput != nil {
		t.Errorf("the gp3 baseline was pinned in the spec: iops %v, storageThroughput %v", aws.ToFloat64(got.Spec.ForProvider.Iops), aws.ToFloat64(got.Spec.ForProvider.StorageThroughput))
	}

	patchInstance(t, "gp3-db", `{"spec":{"forProvider":{"allocatedStorage":500}}}`)
	harness.Eventually(t, 2*driftWindow, "500 GiB with the 12,000 IOPS baseline", func() (bool, string) {
		db := describe(t, "gp3-db")
		return aws.ToInt32(db.AllocatedStorage) == 500 && aws.ToInt32(db.Iops) == 12000 && aws.ToString(db.DBInstanceStatus) == "available",
			"storage " + itoa32(db.AllocatedStorage) + " iops " + itoa32(db.Iops) + " " + aws.ToString(db.DBInstanceStatus)
	})
	calls := countOver(3, nil)
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance after the volume grew past the gp3 threshold: want 0, got %s", harness.Format(calls))
	}
	if s := condition(getInstance(t, "gp3-db"), xpv2.TypeSynced); s.Status != corev1.ConditionTrue {
		t.Errorf("Synced after the gp3 baseline grew: %s: %s", s.Status, s.Message)
	}
}

// Defect 2 (in flight): a new password was published while rotation waited
// for a long backing-up to end. Now it is set during the backup, and
// published only once AWS has applied it.
func TestPasswordChangeDuringBackupIsPublishedOnceApplied(t *testing.T) {
	bed := env.Bed(t)
	in, secret := passwordInstance(t, "backup-pw-db", "before-backup-pw-1")
	createInstance(t, in)
	waitReadySynced(t, "backup-pw-db")

	bed.SetStatus(t, "backup-pw-db", "backing-up", time.Minute)
	t.Cleanup(func() { bed.SetStatus(t, "backup-pw-db", "available", 0) })
	setPassword(t, secret, "during-backup-pw-2")
	harness.Eventually(t, 2*driftWindow, "the new password published, and accepted by the database", func() (bool, string) {
		published := publishedPassword(t, "backup-pw-db")
		if published == "during-backup-pw-2" && !bed.Authenticates(t, "backup-pw-db", published) {
			t.Fatal("the connection Secret carries a password the database rejects")
		}
		return published == "during-backup-pw-2", "still the previous password"
	})
	if s := aws.ToString(describe(t, "backup-pw-db").DBInstanceStatus); s != "backing-up" {
		t.Errorf("the password was applied after the backup rather than during it (status %s)", s)
	}
}

// Defect 2 (stopped): AWS refuses changes to a stopped instance; the new
// password waits, the old one stays published, and the Instance says why.
func TestPasswordChangeWaitsWhileStopped(t *testing.T) {
	bed := env.Bed(t)
	in, secret := passwordInstance(t, "stopped-pw-db", "before-stop-pw-1")
	createInstance(t, in)
	waitReadySynced(t, "stopped-pw-db")
	waitAvailable(t, "stopped-pw-db")
	if _, err := env.RDS().StopDBInstance(context.Background(), &rds.StopDBInstanceInput{DBInstanceIdentifier: aws.String("stopped-pw-db")}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, waitTimeout, "stopped", func() (bool, string) {
		s := aws.ToString(describe(t, "stopped-pw-db").DBInstanceStatus)
		return s == "stopped", s
	})

	calls := countOver(2, func() {
		setPassword(t, secret, "after-stop-pw-2")
		waitCondition(t, "stopped-pw-db", managedkit.TypePasswordPending, corev1.ConditionTrue, "it is stopped: start it")
	})
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance on a stopped instance: want none (AWS refuses them), got %s", harness.Format(calls))
	}
	if got := publishedPassword(t, "stopped-pw-db"); got != "before-stop-pw-1" || !bed.Authenticates(t, "stopped-pw-db", got) {
		t.Errorf("published password while stopped: want the one the database has, got %q", got)
	}

	if _, err := env.RDS().StartDBInstance(context.Background(), &rds.StartDBInstanceInput{DBInstanceIdentifier: aws.String("stopped-pw-db")}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 2*driftWindow, "the new password applied and published after start", func() (bool, string) {
		published := publishedPassword(t, "stopped-pw-db")
		return published == "after-stop-pw-2" && bed.Authenticates(t, "stopped-pw-db", published), "published " + published
	})
	waitCondition(t, "stopped-pw-db", managedkit.TypePasswordPending, corev1.ConditionFalse, "")
}

// Defect 2 (Observe-only): the provider never sets a password under
// Observe; a changed Secret must not replace the working password.
func TestPasswordChangeUnderObserveOnlyKeepsWorkingPassword(t *testing.T) {
	bed := env.Bed(t)
	createOutOfBand(t, "observe-pw-db", "postgres", "db.t3.micro", "app")
	in, secret := passwordInstance(t, "observe-pw-db", "out-of-band-password")
	in.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
	createInstance(t, in)
	waitReadySynced(t, "observe-pw-db")
	if got := publishedPassword(t, "observe-pw-db"); got != "out-of-band-password" {
		t.Fatalf("published password of an observed instance: want the one named for it, got %q", got)
	}

	calls := countOver(2, func() {
		setPassword(t, secret, "never-applied-pw-2")
		waitCondition(t, "observe-pw-db", managedkit.TypePasswordPending, corev1.ConditionTrue, "management policies leave out Update")
	})
	for call := range calls {
		if !strings.HasPrefix(call, "rds:Describe") {
			t.Errorf("an Observe-only Instance made a mutating call: %s", harness.Format(calls))
		}
	}
	if got := publishedPassword(t, "observe-pw-db"); got != "out-of-band-password" || !bed.Authenticates(t, "observe-pw-db", got) {
		t.Errorf("published password after an unapplied change: want the working one, got %q", got)
	}
}

// Defect 3: with applyImmediately false AWS lists the old option group
// (pending removal) before the new one; reading the first entry made the
// provider re-send the change on every poll.
func TestPendingOptionGroupIsNotResent(t *testing.T) {
	bed := env.Bed(t)
	for _, name := range []string{"og-current", "og-next"} {
		if _, err := env.RDS().CreateOptionGroup(context.Background(), &rds.CreateOptionGroupInput{
			OptionGroupName: aws.String(name), EngineName: aws.String("postgres"), MajorEngineVersion: aws.String("13"), OptionGroupDescription: aws.String("test"),
		}); err != nil {
			t.Fatal(err)
		}
	}
	in := newInstance("og-db", providerConfigName)
	in.Spec.ForProvider.OptionGroupName = aws.String("og-current")
	createInstance(t, in)
	waitReadySynced(t, "og-db")

	calls := countOver(3, func() {
		patchInstance(t, "og-db", `{"spec":{"forProvider":{"optionGroupName":"og-next"}}}`)
		waitCondition(t, "og-db", managedkit.TypeChangesPending, corev1.ConditionTrue, "optionGroupName og-next")
	})
	if calls["rds:ModifyDBInstance"] != 1 {
		t.Errorf("ModifyDBInstance calls for one option group change over several polls: want 1, got %s", harness.Format(calls))
	}
	if n := len(eventMessages(t, "og-db", "CorrectingDrift")); n != 1 {
		t.Errorf("CorrectingDrift events for one change: want 1, got %d", n)
	}
	if got := getInstance(t, "og-db").Status.AtProvider; aws.ToString(got.OptionGroupName) != "og-next" || got.PendingModifiedValues == nil || aws.ToString(got.PendingModifiedValues.OptionGroupName) != "og-next" {
		t.Errorf("atProvider: want optionGroupName og-next, pending; got %q, pending %+v", aws.ToString(got.OptionGroupName), got.PendingModifiedValues)
	}

	bed.Maintenance(t, "og-db")
	waitCondition(t, "og-db", managedkit.TypeChangesPending, corev1.ConditionFalse, "")
	if m := describe(t, "og-db").OptionGroupMemberships; len(m) != 1 || aws.ToString(m[0].OptionGroupName) != "og-next" {
		t.Errorf("option groups after the maintenance window: %+v", m)
	}
}

// Defect 4: AWS reports the FQDN (and OU, and role) of a domain given by
// directory ID; that was taken for drift.
func TestDomainDetailsReportedByAWSAreNotDrift(t *testing.T) {
	in := newInstance("domain-db", providerConfigName)
	in.Spec.ForProvider.Domain = aws.String("d-1234567890")
	createInstance(t, in)
	waitReadySynced(t, "domain-db")
	if m := describe(t, "domain-db").DomainMemberships; len(m) == 0 || aws.ToString(m[0].FQDN) == "" {
		t.Fatalf("the backend reports no domain FQDN, so this test shows nothing: %+v", m)
	}
	if calls := countOver(3, nil); calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance for domain details the user never set: %s", harness.Format(calls))
	}
}

// Defect 5: AWS takes no final snapshot of a failed instance; deletion
// retried forever without telling the user what to do.
func TestFailedInstanceDeletionSaysWhatToSet(t *testing.T) {
	bed := env.Bed(t)
	in := newInstance("failed-db", providerConfigName)
	in.Spec.ForProvider.SkipFinalSnapshot = nil
	createInstance(t, in)
	waitReadySynced(t, "failed-db")
	bed.SetStatus(t, "failed-db", "failed", 0)

	calls := countOver(1, func() {
		if err := env.Kube.Delete(context.Background(), getInstance(t, "failed-db")); err != nil {
			t.Fatal(err)
		}
		waitSyncedError(t, "failed-db", "set spec.forProvider.skipFinalSnapshot to true to delete it without one")
	})
	if calls["rds:DeleteDBInstance"] != 0 {
		t.Errorf("DeleteDBInstance calls AWS refuses: %s", harness.Format(calls))
	}
	if describe(t, "failed-db") == nil {
		t.Fatal("the failed DB instance is gone although deletion could not take the snapshot asked for")
	}
	patchInstance(t, "failed-db", `{"spec":{"forProvider":{"skipFinalSnapshot":true}}}`)
	deleteAndWaitGone(t, "failed-db")
	if describe(t, "failed-db") != nil {
		t.Error("the DB instance still exists after skipFinalSnapshot was set")
	}
}

// Defect 6: tags with the reserved aws: prefix (CloudFormation's, for one)
// cannot be removed; removing them failed every poll.
func TestReservedTagsAreLeftAlone(t *testing.T) {
	bed := env.Bed(t)
	createInstance(t, newInstance("aws-tags-db", providerConfigName))
	waitReadySynced(t, "aws-tags-db")
	calls := countOver(3, func() { bed.SystemTag(t, "aws-tags-db", "aws:cloudformation:stack-name", "legacy-stack") })
	if calls["rds:RemoveTagsFromResource"] != 0 || calls["rds:AddTagsToResource"] != 0 {
		t.Errorf("tag calls for a reserved aws: tag: %s", harness.Format(calls))
	}
	if s := condition(getInstance(t, "aws-tags-db"), xpv2.TypeSynced); s.Status != corev1.ConditionTrue {
		t.Errorf("Synced with a reserved tag present: %s: %s", s.Status, s.Message)
	}
}

// Defect 7: the CA certificate was late-initialised, so a CA that AWS or an
// operator rotated was switched back.
func TestRotatedCACertificateIsNotReverted(t *testing.T) {
	createInstance(t, newInstance("ca-db", providerConfigName))
	waitReadySynced(t, "ca-db")
	calls := countOver(3, func() {
		if _, err := env.RDS().ModifyDBInstance(context.Background(), &rds.ModifyDBInstanceInput{
			DBInstanceIdentifier: aws.String("ca-db"), CACertificateIdentifier: aws.String("rds-ca-rsa4096-g1"), ApplyImmediately: aws.Bool(true),
		}); err != nil {
			t.Fatal(err)
		}
	})
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance after an out-of-band CA rotation the spec never asked about: %s", harness.Format(calls))
	}
	if ca := aws.ToString(describe(t, "ca-db").CACertificateIdentifier); ca != "rds-ca-rsa4096-g1" {
		t.Errorf("CA certificate: want the rotated rds-ca-rsa4096-g1, got %s", ca)
	}
	if ca := getInstance(t, "ca-db").Spec.ForProvider.CACertIdentifier; ca != nil {
		t.Errorf("the CA certificate was pinned in the spec: %s", *ca)
	}
}

// Defect 8: with storage autoscaling set outside forProvider (here in
// initProvider), autoscaled growth was reported as a request to shrink.
func TestAutoscaledStorageIsNotShrinking(t *testing.T) {
	bed := env.Bed(t)
	in := newInstance("autoscale-db", providerConfigName)
	in.Spec.InitProvider.MaxAllocatedStorage = aws.Float64(100)
	createInstance(t, in)
	waitReadySynced(t, "autoscale-db")
	calls := countOver(3, func() { bed.GrowStorage(t, "autoscale-db", 30) })
	got := getInstance(t, "autoscale-db")
	if c := condition(got, managedkit.TypeCannotApply); c.Status == corev1.ConditionTrue {
		t.Errorf("autoscaled growth reported as CannotApply: %s", c.Message)
	}
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance after autoscaled growth: %s", harness.Format(calls))
	}
}

// Defect 9: an Instance whose chosen identifier collides with a database it
// did not create took that database over and set its master password.
func TestForeignInstanceIsNotTakenOver(t *testing.T) {
	bed := env.Bed(t)
	createOutOfBand(t, "foreign-db", "postgres", "db.t3.micro", "app")
	in, _ := passwordInstance(t, "foreign-db", "takeover-pw-1")
	calls := countOver(1, func() {
		if err := env.Kube.Create(context.Background(), in); err != nil {
			t.Fatal(err)
		}
		waitSyncedError(t, "foreign-db", `DB instance "foreign-db" already exists and this Instance did not create it`)
	})
	for call := range calls {
		if !strings.HasPrefix(call, "rds:Describe") {
			t.Errorf("the provider acted on a database it did not create: %s", harness.Format(calls))
		}
	}
	if !bed.Authenticates(t, "foreign-db", "out-of-band-password") {
		t.Error("the foreign database's master password was changed")
	}
	if msg := condition(getInstance(t, "foreign-db"), xpv2.TypeSynced).Message; !strings.Contains(msg, "remove the annotation "+instance.AnnotationNewInstance) {
		t.Errorf("the message does not say how to adopt: %s", msg)
	}

	deleteAndWaitGone(t, "foreign-db")
	if describe(t, "foreign-db") == nil {
		t.Fatal("deleting the Instance deleted a database it never created")
	}

	// Following the message adopts the database.
	in, _ = passwordInstance(t, "foreign-db", "")
	createInstance(t, in)
	waitSyncedError(t, "foreign-db", "did not create it")
	patchInstance(t, "foreign-db", `{"metadata":{"annotations":{"`+instance.AnnotationNewInstance+`":null}}}`)
	waitReadySynced(t, "foreign-db")
}

// Defect 10: editing only the password Secret's metadata re-sent the same
// password.
func TestMetadataOnlySecretEditSetsNoPassword(t *testing.T) {
	in, secret := passwordInstance(t, "label-pw-db", "unchanged-pw-1")
	createInstance(t, in)
	waitReadySynced(t, "label-pw-db")
	calls := countOver(3, func() {
		secret.StringData = nil
		secret.SetLabels(map[string]string{"argocd.argoproj.io/instance": "apps"})
		if err := env.Kube.Update(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
	})
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance after a label was added to the password Secret: %s", harness.Format(calls))
	}
}

// Defect 11: pending modifications and a parameter group waiting for a
// reboot were invisible; the Instance read Ready and Synced as if applied.
func TestPendingChangesAndRebootAreShown(t *testing.T) {
	bed := env.Bed(t)
	if _, err := env.RDS().CreateDBParameterGroup(context.Background(), &rds.CreateDBParameterGroupInput{
		DBParameterGroupName: aws.String("pending-pg"), DBParameterGroupFamily: aws.String("postgres16"), Description: aws.String("test"),
	}); err != nil {
		t.Fatal(err)
	}
	createInstance(t, newInstance("pending-db", providerConfigName))
	waitReadySynced(t, "pending-db")

	calls := countOver(3, func() {
		patchInstance(t, "pending-db", `{"spec":{"forProvider":{"instanceClass":"db.t3.large","parameterGroupName":"pending-pg"}}}`)
		got := waitCondition(t, "pending-db", managedkit.TypeChangesPending, corev1.ConditionTrue, "instanceClass db.t3.large")
		msg := condition(got, managedkit.TypeChangesPending).Message
		for _, want := range []string{"parameter group pending-pg (pending-reboot", "next maintenance window"} {
			if !strings.Contains(msg, want) {
				t.Errorf("ChangesPending message lacks %q: %s", want, msg)
			}
		}
	})
	if calls["rds:ModifyDBInstance"] != 1 {
		t.Errorf("ModifyDBInstance calls while the change is pending: want 1, got %s", harness.Format(calls))
	}
	at := getInstance(t, "pending-db").Status.AtProvider
	if at.PendingModifiedValues == nil || aws.ToString(at.PendingModifiedValues.InstanceClass) != "db.t3.large" || aws.ToString(at.ParameterApplyStatus) != "pending-reboot" {
		t.Errorf("atProvider: want pending instanceClass db.t3.large and parameterApplyStatus pending-reboot, got %+v and %q", at.PendingModifiedValues, aws.ToString(at.ParameterApplyStatus))
	}

	bed.Maintenance(t, "pending-db")
	waitCondition(t, "pending-db", managedkit.TypeChangesPending, corev1.ConditionTrue, "pending-reboot")
	harness.Eventually(t, waitTimeout, "the class applied in the maintenance window", func() (bool, string) {
		db := describe(t, "pending-db")
		return aws.ToString(db.DBInstanceClass) == "db.t3.large" && aws.ToString(db.DBInstanceStatus) == "available", aws.ToString(db.DBInstanceClass)
	})
	if _, err := env.RDS().RebootDBInstance(context.Background(), &rds.RebootDBInstanceInput{DBInstanceIdentifier: aws.String("pending-db")}); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, "pending-db", managedkit.TypeChangesPending, corev1.ConditionFalse, "")
}

// Defect 13: while creating, AWS reports no endpoint; the port was taken
// from DbInstancePort (a cluster member's port, 0 otherwise), late-
// initialised, and "corrected" on every poll.
func TestNewInstanceSettlesWithoutModify(t *testing.T) {
	calls := countOver(2, func() {
		createInstance(t, newInstance("settle-db", providerConfigName))
		waitReadySynced(t, "settle-db")
	})
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance for a new instance nobody changed: %s", harness.Format(calls))
	}
	if p := aws.ToFloat64(getInstance(t, "settle-db").Spec.ForProvider.Port); p != 5432 {
		t.Errorf("late-initialised port: want PostgreSQL's 5432, got %g", p)
	}
}
