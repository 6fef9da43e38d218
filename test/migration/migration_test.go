// Package migration takes over, as docs/migration.md describes, the state
// the reference provider (provider-upjet-aws) leaves behind.
package migration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The finalizer every crossplane-runtime provider, the reference one
// included, puts on managed resources.
const managedFinalizer = "finalizer.managedresource.crossplane.io"

// legacyDB is a database the reference provider created and manages.
type legacyDB struct {
	name, identifier, password string
	externalNameIsIdentifier   bool // older manifests and hand-written imports
	withConnectionSecret       bool
}

func TestTakeOverFromReferenceProvider(t *testing.T) {
	ctx := context.Background()
	env, err := harness.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Stop)
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		t.Fatal(err)
	}
	pc := env.EmulatorProviderConfig("default")
	if err := env.Kube.Create(ctx, pc); err != nil {
		t.Fatal(err)
	}
	bed := env.Bed(t)

	// The state the reference provider leaves: its CRD has stored objects
	// in each version over the years; its objects (v1beta3, Orphan during
	// the switch, as the runbook's step 1 asks) carry its finalizer, its
	// create annotations and the DbiResourceId as external name; their
	// databases exist, tagged as it tags them, with the passwords their
	// Secrets name; its connection Secrets hold attribute.password.
	crd := &extv1.CustomResourceDefinition{}
	if err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: "instances.rds.aws.upbound.io"}, crd); err != nil {
		t.Fatal(err)
	}
	crd.Status.StoredVersions = []string{"v1beta1", "v1beta2", "v1beta3"}
	if err := env.Kube.Status().Update(ctx, crd); err != nil {
		t.Fatalf("cannot record the reference provider's stored versions: %v", err)
	}

	dbs := []legacyDB{
		{name: "orders", identifier: "orders-prod", password: "legacy-orders-pw-1", withConnectionSecret: true},
		{name: "billing", identifier: "billing-prod", password: "legacy-billing-pw-1", externalNameIsIdentifier: true},
	}
	instances := map[string]*v1beta3.Instance{}
	for _, l := range dbs {
		out, err := env.RDS().CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
			DBInstanceIdentifier: aws.String(l.identifier), DBInstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
			EngineVersion: aws.String("16.2"), AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("app"), MasterUserPassword: aws.String(l.password),
			Tags: []rdstypes.Tag{
				{Key: aws.String("crossplane-kind"), Value: aws.String("instance.rds.aws.upbound.io")},
				{Key: aws.String("crossplane-name"), Value: aws.String(l.name)},
				{Key: aws.String("crossplane-providerconfig"), Value: aws.String("default")},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		pw := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: l.name + "-password"}, StringData: map[string]string{"password": l.password}}
		if err := env.Kube.Create(ctx, pw); err != nil {
			t.Fatal(err)
		}

		in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: l.name, Finalizers: []string{managedFinalizer}}}
		externalName := aws.ToString(out.DBInstance.DbiResourceId)
		if l.externalNameIsIdentifier {
			externalName = l.identifier
		}
		meta.SetExternalName(in, externalName)
		meta.SetExternalCreatePending(in, time.Now().Add(-time.Hour))
		meta.SetExternalCreateSucceeded(in, time.Now().Add(-time.Hour))
		in.Spec.DeletionPolicy = xpv2.DeletionOrphan
		in.Spec.ProviderConfigReference = &xpv2.Reference{Name: "default"}
		in.Spec.ForProvider = v1beta3.InstanceParameters{
			Region: aws.String(harness.Region), Identifier: aws.String(l.identifier), InstanceClass: aws.String("db.t3.micro"),
			Engine: aws.String("postgres"), EngineVersion: aws.String("16.2"), AllocatedStorage: aws.Float64(20), Username: aws.String("app"),
			PasswordSecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "default", Name: pw.Name}, Key: "password"},
			SkipFinalSnapshot: aws.Bool(true),
			Tags:              map[string]*string{"crossplane-kind": aws.String("instance.rds.aws.upbound.io"), "crossplane-name": aws.String(l.name), "crossplane-providerconfig": aws.String("default")},
		}
		if l.withConnectionSecret {
			in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: l.name + "-conn"}
		}
		if err := env.Kube.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
		instances[l.name] = in
		if l.withConnectionSecret {
			conn := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{
				Namespace: "default", Name: l.name + "-conn",
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "rds.aws.upbound.io/v1beta3", Kind: "Instance", Name: l.name, UID: in.GetUID(), Controller: aws.Bool(true)}},
			}, Type: resource.SecretTypeConnection, StringData: map[string]string{"attribute.password": l.password, "username": "app", "endpoint": "stale.example:5432", "address": "stale.example", "port": "5432"}}
			if err := env.Kube.Create(ctx, conn); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Step 3 of the runbook: install this provider's CRDs over the
	// reference provider's. A CRD that stopped serving a stored version
	// would be refused here.
	applyOurCRD(ctx, t, env)

	// Step 4: start this provider.
	if err := env.StartProvider(harness.ProviderOptions{PollInterval: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}

	// Step 5: every object is Ready and Synced, nothing was created or
	// modified, the passwords still open the databases, and the connection
	// Secret is right.
	for _, l := range dbs {
		harness.Eventually(t, time.Minute, l.name+" Ready and Synced", func() (bool, string) {
			got := &v1beta3.Instance{}
			if err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: l.name}, got); err != nil {
				return false, err.Error()
			}
			r, s := got.Status.GetCondition(xpv2.TypeReady), got.Status.GetCondition(xpv2.TypeSynced)
			return r.Status == corev1.ConditionTrue && s.Status == corev1.ConditionTrue, "Ready " + r.Message + "; Synced " + s.Message
		})
	}
	time.Sleep(3 * 2 * time.Second) // a few polls
	calls := env.Calls.Snapshot()
	for call, n := range calls {
		if !strings.HasPrefix(call, "rds:Describe") && !strings.HasPrefix(call, "sts:") {
			t.Errorf("taking over made %d %s calls: %s", n, call, harness.Format(calls))
		}
	}
	for _, l := range dbs {
		if !bed.Authenticates(t, l.identifier, l.password) {
			t.Errorf("%s: the database no longer accepts its password", l.name)
		}
		got := &v1beta3.Instance{}
		if err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: l.name}, got); err != nil {
			t.Fatal(err)
		}
		if meta.GetExternalName(got) != meta.GetExternalName(instances[l.name]) {
			t.Errorf("%s: the external name was rewritten from %s to %s", l.name, meta.GetExternalName(instances[l.name]), meta.GetExternalName(got))
		}
	}
	env.CheckNoSecretsLeaked(t)
	conn := &corev1.Secret{}
	if err := env.Kube.Get(ctx, ktypes.NamespacedName{Namespace: "default", Name: "orders-conn"}, conn); err != nil {
		t.Fatal(err)
	}
	db := env.Describe(t, harness.Region, "orders-prod")
	want := map[string]string{
		"attribute.password": "legacy-orders-pw-1", "password": "legacy-orders-pw-1", "username": "app",
		"address": aws.ToString(db.Endpoint.Address), "endpoint": aws.ToString(db.Endpoint.Address) + ":5432", "port": "5432",
	}
	for k, v := range want {
		if string(conn.Data[k]) != v {
			t.Errorf("connection Secret %s: want %q, got %q", k, v, string(conn.Data[k]))
		}
	}
}

// applyOurCRD updates the installed Instance CRD to this provider's, as
// installing the package does.
func applyOurCRD(ctx context.Context, t *testing.T, env *harness.Env) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(env.Root, "package", "crds", "rds.aws.upbound.io_instances.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ours := &extv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(raw, ours); err != nil {
		t.Fatal(err)
	}
	current := &extv1.CustomResourceDefinition{}
	if err := env.Kube.Get(ctx, client.ObjectKeyFromObject(ours), current); err != nil {
		t.Fatal(err)
	}
	// The conversion webhook's address is the installer's to set (Crossplane
	// fills in its service; here the test control plane's).
	ours.Spec.Conversion = current.Spec.Conversion
	current.Spec = ours.Spec
	if err := env.Kube.Update(ctx, current); err != nil {
		t.Fatalf("our CRD cannot be installed over the reference provider's: %v", err)
	}
}
