package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/test/harness"
)

// A database restored from a snapshot has the snapshot's master password:
// AWS's restore calls take none. The password the Instance's Secret names
// is set after the restore, and the connection Secret carries it only once
// AWS has applied it, so that applications never read a password the
// database refuses.
func TestRestoreSetsThePasswordItPublishes(t *testing.T) {
	bed := env.Bed(t)
	ctx := context.Background()
	source, _ := passwordInstance(t, "restore-source", "source-password-1")
	createInstance(t, source)
	waitReadySynced(t, "restore-source")
	waitAvailable(t, "restore-source")
	if _, err := env.RDS().CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{
		DBInstanceIdentifier: aws.String("restore-source"), DBSnapshotIdentifier: aws.String("restore-source-snap"),
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = env.RDS().DeleteDBSnapshot(ctx, &rds.DeleteDBSnapshotInput{DBSnapshotIdentifier: aws.String("restore-source-snap")})
	})

	restored, _ := passwordInstance(t, "restored-db", "restored-password-1")
	restored.Spec.ForProvider.SnapshotIdentifier = aws.String("restore-source-snap")
	restored.Spec.ForProvider.AllocatedStorage = nil
	before := env.Calls.Snapshot()
	createInstance(t, restored)
	harness.Eventually(t, waitTimeout, "the restored database's password published", func() (bool, string) {
		conn := &corev1.Secret{}
		if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: "default", Name: "restored-db-conn"}, conn); kerrors.IsNotFound(err) {
			return false, "no connection Secret yet"
		} else if err != nil {
			t.Fatal(err)
		}
		published := string(conn.Data["password"])
		if published != "" && !bed.Authenticates(t, "restored-db", published) {
			t.Fatalf("the connection Secret carries a password the restored database refuses")
		}
		return published == "restored-password-1", "published " + map[bool]string{true: "nothing", false: "a password"}[published == ""]
	})
	waitReadySynced(t, "restored-db")
	if !bed.Authenticates(t, "restored-db", "restored-password-1") {
		t.Error("the restored database does not accept the password of its Secret")
	}
	if got := env.Calls.Since(before)["rds:ModifyDBInstance"]; got != 1 {
		t.Errorf("ModifyDBInstance calls to set the restored database's password: want 1, got %d", got)
	}
}

// Removing replicateSourceDb promotes the read replica, as Terraform does,
// with one PromoteReadReplica and an event: in a failover the application
// can then write to it. A changed source, which RDS cannot apply, is
// refused on Synced with no call.
func TestReplicaPromotedWhenItsSourceIsRemoved(t *testing.T) {
	createInstance(t, newInstance("promo-source", providerConfigName))
	waitReadySynced(t, "promo-source")
	waitAvailable(t, "promo-source")
	replica := newInstance("promo-replica", providerConfigName)
	replica.Spec.ForProvider.ReplicateSourceDB = aws.String("promo-source")
	createInstance(t, replica)
	waitReadySynced(t, "promo-replica")
	waitAvailable(t, "promo-replica")

	before := env.Calls.Snapshot()
	patchInstance(t, "promo-replica", `{"spec":{"forProvider":{"replicateSourceDb":"another-source"}}}`)
	waitCondition(t, "promo-replica", xpv2.TypeSynced, corev1.ConditionFalse, `the DB instance replicates "promo-source"; RDS cannot change the source of a read replica`)
	if calls := env.Calls.Since(before); calls["rds:PromoteReadReplica"]+calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("AWS calls for a changed source: %s", harness.Format(calls))
	}

	patchInstance(t, "promo-replica", `{"spec":{"forProvider":{"replicateSourceDb":null}}}`)
	harness.Eventually(t, waitTimeout, "promo-replica promoted", func() (bool, string) {
		db := describe(t, "promo-replica")
		return db.ReadReplicaSourceDBInstanceIdentifier == nil && aws.ToString(db.DBInstanceStatus) == "available",
			"source " + aws.ToString(db.ReadReplicaSourceDBInstanceIdentifier) + ", " + aws.ToString(db.DBInstanceStatus)
	})
	waitReadySynced(t, "promo-replica")
	calls := env.Calls.Since(before)
	if calls["rds:PromoteReadReplica"] != 1 || calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("want one PromoteReadReplica and no ModifyDBInstance, got %s", harness.Format(calls))
	}
	if msgs := eventMessages(t, "promo-replica", "PromotingReadReplica"); len(msgs) != 1 {
		t.Errorf("promotion events: want 1, got %q", msgs)
	}
	for _, id := range describe(t, "promo-source").ReadReplicaDBInstanceIdentifiers {
		if id == "promo-replica" {
			t.Error("the source still lists the promoted replica")
		}
	}
}

// A kmsKeyId written as an alias names the key the alias points at, and is
// compared as that key: AWS reports the key's ARN for a DB instance, so an
// alias taken as written would match any key. Naming an alias of another
// key is refused as the create-only change it is.
func TestKMSAliasIsComparedAsTheKeyItNames(t *testing.T) {
	ctx := context.Background()
	keyFor := func(alias string) string {
		k, err := env.KMS().CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(alias)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.KMS().CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: k.KeyMetadata.KeyId}); err != nil {
			t.Fatal(err)
		}
		return aws.ToString(k.KeyMetadata.Arn)
	}
	orders := keyFor("alias/orders-db")
	keyFor("alias/billing-db")

	in := newInstance("kms-alias", providerConfigName)
	in.Spec.ForProvider.StorageEncrypted = aws.Bool(true)
	in.Spec.ForProvider.KMSKeyID = aws.String("alias/orders-db")
	createInstance(t, in)
	waitReadySynced(t, "kms-alias")
	if got := aws.ToString(describe(t, "kms-alias").KmsKeyId); got != orders {
		t.Fatalf("the DB instance's key: want %s (what alias/orders-db names), got %s", orders, got)
	}

	patchInstance(t, "kms-alias", `{"spec":{"forProvider":{"kmsKeyId":"alias/billing-db"}}}`)
	waitSyncedError(t, "kms-alias", "kmsKeyId: the instance is encrypted with \""+orders+"\"")
	patchInstance(t, "kms-alias", `{"spec":{"forProvider":{"kmsKeyId":"arn:aws:kms:`+harness.Region+`:123456789012:alias/orders-db"}}}`)
	waitReadySynced(t, "kms-alias")
}
