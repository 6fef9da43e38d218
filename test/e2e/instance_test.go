package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The manifest platform teams commit, applied verbatim, becomes a working
// PostgreSQL database whose credentials can be reached, and deleting it
// keeps a final snapshot.
func TestMinimalManifestCreatesDatabase(t *testing.T) {
	applyFile(t, "examples/instance/production-db.yaml")
	in := waitReadySynced(t, "production-db")

	db := describe(t, "production-db")
	if db == nil {
		t.Fatal("no DB instance production-db in the emulator")
	}
	got := []string{aws.ToString(db.DBInstanceClass), aws.ToString(db.Engine), aws.ToString(db.EngineVersion)}
	if want := []string{"db.r6g.large", "postgres", "16.2"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("class, engine, version: want %v, got %v", want, got)
	}
	if aws.ToInt32(db.AllocatedStorage) != 100 || !aws.ToBool(db.StorageEncrypted) {
		t.Errorf("storage: want 100 GiB encrypted, got %d GiB encrypted=%t", aws.ToInt32(db.AllocatedStorage), aws.ToBool(db.StorageEncrypted))
	}
	gotTags := map[string]string{}
	for _, tag := range db.TagList {
		gotTags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	wantTags := map[string]string{"crossplane-kind": "instance.rds.aws.upbound.io", "crossplane-name": "production-db", "crossplane-providerconfig": "aws-provider"}
	if diff := cmp.Diff(wantTags, gotTags); diff != "" {
		t.Errorf("default tags: -want, +got:\n%s", diff)
	}
	if aws.ToString(db.MasterUsername) != "postgres" {
		t.Errorf("master user: want the engine's conventional postgres, got %q", aws.ToString(db.MasterUsername))
	}
	pw := getSecret(t, harness.ProviderNamespace, instance.GeneratedSecretName("production-db")).Data["password"]
	if len(pw) < 20 {
		t.Errorf("generated master password: want at least 20 characters, got %d", len(pw))
	}
	// Ready as soon as it serves: available, or taking its first backup.
	if status := aws.ToString(in.Status.AtProvider.Status); in.Status.AtProvider.Address == nil || aws.ToString(in.Status.AtProvider.Arn) == "" || (status != "available" && status != "backing-up") {
		t.Errorf("atProvider lacks address, arn or a serving status: address %v, arn %q, status %q", in.Status.AtProvider.Address, aws.ToString(in.Status.AtProvider.Arn), status)
	}
	if in.GetAnnotations()["crossplane.io/external-name"] != "production-db" {
		t.Errorf("external name: want production-db, got %q", in.GetAnnotations()["crossplane.io/external-name"])
	}

	deleteAndWaitGone(t, "production-db")
	if describe(t, "production-db") != nil {
		t.Error("the DB instance still exists after its Instance was deleted")
	}
	snaps, err := env.RDS().DescribeDBSnapshots(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	final := ""
	for _, s := range snaps.DBSnapshots {
		if strings.HasPrefix(aws.ToString(s.DBSnapshotIdentifier), "production-db-final-") {
			final = aws.ToString(s.DBSnapshotIdentifier)
		}
	}
	if final == "" {
		t.Error("no final snapshot production-db-final-* was taken although skipFinalSnapshot was unset")
	}
}
