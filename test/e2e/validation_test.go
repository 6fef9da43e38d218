package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The CRD rejects what can be checked without AWS.
func TestSchemaValidation(t *testing.T) {
	cases := map[string]struct {
		mutate func(in *v1beta3.Instance)
		want   string
	}{
		"NoRegion":        {mutate: func(in *v1beta3.Instance) { in.Spec.ForProvider.Region = nil }, want: "spec.forProvider.region: Required value"},
		"NoInstanceClass": {mutate: func(in *v1beta3.Instance) { in.Spec.ForProvider.InstanceClass = nil }, want: "spec.forProvider.instanceClass is a required parameter"},
		"BadIdentifier":   {mutate: func(in *v1beta3.Instance) { in.Spec.ForProvider.Identifier = aws.String("9-starts-with-digit") }, want: "spec.forProvider.identifier"},
		"BadStorageType":  {mutate: func(in *v1beta3.Instance) { in.Spec.ForProvider.StorageType = aws.String("ssd") }, want: "spec.forProvider.storageType"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := newInstance("invalid-"+strings.ToLower(name), providerConfigName)
			tc.mutate(in)
			err := env.Kube.Create(context.Background(), in)
			if err == nil {
				_ = env.Kube.Delete(context.Background(), in)
				t.Fatal("the API server accepted an invalid Instance")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want a rejection mentioning %q, got %v", tc.want, err)
			}
		})
	}

	observeOnly := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "observe-without-class"}}
	observeOnly.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
	observeOnly.Spec.ForProvider.Region = aws.String(harness.Region)
	observeOnly.Spec.DeletionPolicy = xpv2.DeletionOrphan
	if err := env.Kube.Create(context.Background(), observeOnly, client.DryRunAll); err != nil {
		t.Errorf("an Observe-only Instance needs no instanceClass, but was rejected: %v", err)
	}
}

// Unless skip_region_validation is set, an unknown region is rejected with
// a clear message; unless skip_credentials_validation is set, credentials
// are checked with STS once, not on every reconcile.
func TestRegionAndCredentialValidation(t *testing.T) {
	ctx := context.Background()
	before := env.Calls.Snapshot()
	pc := env.EmulatorProviderConfig("validating")
	pc.Spec.SkipRegionValidation = false
	pc.Spec.SkipCredsValidation = false
	if err := env.Kube.Create(ctx, pc); err != nil {
		t.Fatal(err)
	}

	bad := newInstance("mars-db", "validating")
	bad.Spec.ForProvider.Region = aws.String("mars-north-1")
	bad.Spec.DeletionPolicy = xpv2.DeletionOrphan
	createInstance(t, bad)
	waitSyncedError(t, "mars-db", `region "mars-north-1" is not a known AWS region; set skip_region_validation`)

	createInstance(t, newInstance("validated-db", "validating"))
	waitReadySynced(t, "validated-db")
	time.Sleep(3 * pollInterval)
	if got := env.Calls.Since(before)["sts:GetCallerIdentity"]; got != 1 {
		t.Errorf("GetCallerIdentity calls for the ProviderConfig's own check and several reconciles of its Instances: want 1 (cached), got %d", got)
	}
}

// A restart between CreateDBInstance and recording its result neither
// creates a second database nor loses the first.
func TestCreateInterruptedByRestartIsResumed(t *testing.T) {
	createOutOfBand(t, "interrupted-db", "postgres", "db.t3.micro", "postgres")
	// What the reconciler leaves behind when the provider stops right after
	// CreateDBInstance: the identifier and a pending create, no success.
	in := newInstance("interrupted-db", providerConfigName)
	meta.SetExternalName(in, "interrupted-db")
	meta.SetExternalCreatePending(in, time.Now())
	before := env.Calls.Snapshot()
	createInstance(t, in)
	waitReadySynced(t, "interrupted-db")
	if got := env.Calls.Since(before)["rds:CreateDBInstance"]; got != 0 {
		t.Errorf("CreateDBInstance calls after an interrupted create: want 0, got %d", got)
	}
}

// deletionPolicy Orphan leaves the database, and its generated password, in
// place.
func TestOrphanKeepsDatabase(t *testing.T) {
	in := newInstance("orphan-db", providerConfigName)
	in.Spec.DeletionPolicy = xpv2.DeletionOrphan
	createInstance(t, in)
	waitReadySynced(t, "orphan-db")
	deleteAndWaitGone(t, "orphan-db")
	if describe(t, "orphan-db") == nil {
		t.Error("an orphaned Instance's database was deleted")
	}
	getSecret(t, harness.ProviderNamespace, "orphan-db-master-password")
}

// Deleting an Instance deletes its database and then, once the database
// is gone, the master password the provider generated for it.
func TestDeletionRemovesGeneratedPassword(t *testing.T) {
	createInstance(t, newInstance("gone-db", providerConfigName))
	waitReadySynced(t, "gone-db")
	getSecret(t, harness.ProviderNamespace, instance.GeneratedSecretName("gone-db"))
	deleteAndWaitGone(t, "gone-db")
	if describe(t, "gone-db") != nil {
		t.Error("the database of a deleted Instance is still there")
	}
	err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: harness.ProviderNamespace, Name: instance.GeneratedSecretName("gone-db")}, &corev1.Secret{})
	if !kerrors.IsNotFound(err) {
		t.Errorf("the generated password Secret of a deleted Instance: want gone, got %v", err)
	}
}

// autoGeneratePassword writes a generated password to passwordSecretRef, and
// that password is the one published.
func TestAutoGeneratePassword(t *testing.T) {
	in := newInstance("autopw-db", providerConfigName)
	in.Spec.ForProvider.AutoGeneratePassword = aws.Bool(true)
	in.Spec.ForProvider.PasswordSecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "default", Name: "autopw-db-password"}, Key: "password"}
	in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: "autopw-db-conn"}
	createInstance(t, in)
	waitReadySynced(t, "autopw-db")
	pw := string(getSecret(t, "default", "autopw-db-password").Data["password"])
	if len(pw) < 20 {
		t.Fatalf("generated password in passwordSecretRef: want at least 20 characters, got %d", len(pw))
	}
	if got := string(getSecret(t, "default", "autopw-db-conn").Data["password"]); got != pw {
		t.Error("the published password is not the one written to passwordSecretRef")
	}
}

// snapshotIdentifier restores the instance from a DB snapshot.
func TestRestoreFromSnapshot(t *testing.T) {
	ctx := context.Background()
	createOutOfBand(t, "snap-source", "postgres", "db.t3.micro", "postgres")
	if _, err := env.RDS().CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: aws.String("snap-source"), DBSnapshotIdentifier: aws.String("snap-1")}); err != nil {
		t.Fatal(err)
	}
	in := newInstance("restored-db", providerConfigName)
	in.Spec.ForProvider.SnapshotIdentifier = aws.String("snap-1")
	before := env.Calls.Snapshot()
	createInstance(t, in)
	waitReadySynced(t, "restored-db")
	calls := env.Calls.Since(before)
	if calls["rds:RestoreDBInstanceFromDBSnapshot"] != 1 || calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("want one RestoreDBInstanceFromDBSnapshot and no CreateDBInstance, got %s", harness.Format(calls))
	}
	if describe(t, "restored-db") == nil {
		t.Error("no restored-db in the emulator")
	}
}

// reconciliationPolicy.exponentialFailureRateLimiter of a ProviderConfig
// sets how the Instances that use it back off after failures.
func TestReconciliationPolicyBackoff(t *testing.T) {
	createProviderConfig(t, "slow-retry", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.ReconciliationPolicy = &awsv1beta1.ReconciliationPolicy{ExponentialFailureRateLimiter: &awsv1beta1.ExponentialFailureRateLimiter{
			BaseDelay: &metav1.Duration{Duration: 10 * time.Second}, MaxDelay: &metav1.Duration{Duration: time.Minute},
		}}
	})
	in := newInstance("slow-retry-db", "slow-retry")
	// AWS refuses Enhanced Monitoring without its role; nothing the
	// provider checks before asking.
	in.Spec.ForProvider.MonitoringInterval = aws.Float64(60)
	before := env.Calls.Snapshot()
	createInstance(t, in)
	waitSyncedError(t, "slow-retry-db", "InvalidParameterCombination")
	time.Sleep(8 * time.Second)
	// The default back-off (1s, 2s, 4s, ...) would have retried three or
	// four times by now; a 10s base delay allows one retry at most.
	if got := env.Calls.Since(before)["rds:CreateDBInstance"]; got > 2 {
		t.Errorf("CreateDBInstance attempts within ~8s with a 10s base delay: want at most 2, got %d", got)
	}
}
