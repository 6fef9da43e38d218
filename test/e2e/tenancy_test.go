package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/test/harness"
)

// Two teams in one account: team-b's Instance that collides with team-a's
// database (the same name, so the same identifier) or names it as its
// external name neither adopts, changes nor, when deleted, deletes it.
// Before namespaced databases were tagged with their namespace, team-b's
// "shared-name-db" took team-a's over, and deleting it deleted team-a's
// database.
func TestNamespacesCannotTakeEachOthersDatabases(t *testing.T) {
	teamNamespace(t, "tenant-a")
	teamNamespace(t, "tenant-b")
	a := newNamespacedInstance("tenant-a", "shared-name-db", awsmv1beta1.ProviderConfigKind, "tenant-a")
	createManaged(t, a)
	waitGroupReady(t, a)
	db := describe(t, "shared-name-db")
	tags := map[string]string{}
	for _, tag := range db.TagList {
		tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	if tags["crossplane-namespace"] != "tenant-a" {
		t.Errorf("the database of a namespaced Instance is not tagged with its namespace: %v", tags)
	}
	waitAvailable(t, "shared-name-db")

	const refused = `DB instance "shared-name-db" belongs to instance.rds.aws.m.upbound.io tenant-a/shared-name-db`
	calls := countOver(2, func() {
		collision := newNamespacedInstance("tenant-b", "shared-name-db", awsmv1beta1.ProviderConfigKind, "tenant-b")
		hijack := newNamespacedInstance("tenant-b", "hijack-db", awsmv1beta1.ProviderConfigKind, "tenant-b")
		meta.SetExternalName(hijack, "shared-name-db")
		for _, in := range []managed{collision, hijack} {
			if err := env.Kube.Create(t.Context(), in); err != nil {
				t.Fatal(err)
			}
			waitGroup(t, in, xpv2.TypeSynced, corev1.ConditionFalse, refused)
		}
		// Deleting them deletes nothing of tenant-a's.
		for _, in := range []managed{collision, hijack} {
			deleteManagedAndWaitGone(t, in)
		}
	})
	for _, op := range []string{"rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance", "rds:AddTagsToResource", "rds:RemoveTagsFromResource"} {
		if calls[op] != 0 {
			t.Errorf("%s calls by tenant-b's Instances: %s", op, harness.Format(calls))
		}
	}
	if describe(t, "shared-name-db") == nil {
		t.Fatal("tenant-b's Instances deleted tenant-a's database")
	}
	waitGroupReady(t, a)
}

// A team's namespaced ProviderConfig cannot act with the provider's own
// identity (the default chain, IRSA, Pod Identity, or a token file of the
// provider's, its service account token among them): the ProviderConfig
// and the Instance say so, and nothing reaches STS or RDS for them.
func TestNamespacedProviderConfigCannotBorrowTheProvidersIdentity(t *testing.T) {
	ensureNamespace(t, "tenant-c")
	role := aws.String("arn:aws:iam::123456789012:role/tenant-c")
	cases := map[string]awsv1beta1.ProviderCredentials{
		"none":         {Source: xpv2.CredentialsSourceNone},
		"irsa":         {Source: awsv1beta1.CredentialsSourceIRSA},
		"pod-identity": {Source: awsv1beta1.CredentialsSourcePodIdentity},
		"token-file": {Source: awsv1beta1.CredentialsSourceWebIdentity, WebIdentity: &awsv1beta1.WebIdentityConfig{RoleARN: role,
			TokenConfig: &awsv1beta1.WebIdentityTokenConfig{Source: xpv2.CredentialsSourceFilesystem,
				CommonCredentialSelectors: xpv2.CommonCredentialSelectors{Fs: &xpv2.FsSelector{Path: "/var/run/secrets/kubernetes.io/serviceaccount/token"}}}}},
	}
	before := env.Calls.Snapshot()
	for name, creds := range cases {
		pc := &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "tenant-c", Name: name}}
		pc.Spec = env.EmulatorProviderConfig(name).Spec
		pc.Spec.Credentials = creds
		pc.Spec.SkipCredsValidation = false
		if err := env.Kube.Create(t.Context(), pc); err != nil {
			t.Fatal(err)
		}
		in := newNamespacedInstance("tenant-c", "borrow-"+name, awsmv1beta1.ProviderConfigKind, name)
		createManaged(t, in)
		waitGroup(t, in, xpv2.TypeSynced, corev1.ConditionFalse, "act with the provider's own AWS identity")
	}
	time.Sleep(2 * pollInterval)
	for op, n := range env.Calls.Since(before) {
		if n > 0 && (strings.HasPrefix(op, "sts:") || op == "rds:CreateDBInstance") {
			t.Errorf("%s calls for tenant-c's ProviderConfigs: %d", op, n)
		}
	}
}
