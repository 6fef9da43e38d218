package install

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/test/harness"
)

// The standalone package installs into a cluster that runs no AWS family
// member: it brings its own ProviderConfig CRDs, and an Instance with
// literal IDs becomes Ready under the permissions Crossplane's RBAC
// manager grants, with no request refused. A reference to another
// provider's kind, which Crossplane grants only to family members, is
// reported on the Instance, and nothing is created.
func TestStandaloneInstalledAlone(t *testing.T) {
	c := newCluster(t)
	c.activate(t, "*.rds.aws.upbound.io")
	c.installProvider(t, "provider-rds", c.registry.Host+"/provider-rds/provider-rds:v0.1.0")
	active := c.waitHealthy(t, "provider-rds")
	provider, _ := c.runProvider(t, active["provider-rds"])

	c.env.WaitCRDEstablished(t, "providerconfigs.aws.upbound.io", timeout)
	c.env.WaitCRDEstablished(t, "instances.rds.aws.upbound.io", timeout)
	createObject(t, c.env, c.env.EmulatorProviderConfig(providerConfig))
	net := c.env.NewNetwork(t, harness.Region, "10.32")
	db := newInstance("billing")
	db.Spec.ForProvider.VPCSecurityGroupIDs = aws.StringSlice([]string{net.SecurityGroupID})
	createObject(t, c.env, db)
	c.env.WaitReadySynced(t, "billing", timeout)
	c.env.DeleteAndWaitGone(t, "billing", timeout)
	checkNothingForbidden(t, provider.Log())
	c.env.CheckNoSecretsLeaked(t, provider.Log())

	// A team installs the ec2 kind by hand and references it.
	c.env.InstallForeignCRDs(t, harness.SecurityGroupKind)
	c.env.CreateForeignObject(t, harness.SecurityGroupKind, "db-access", net.SecurityGroupID, nil, map[string]any{"id": net.SecurityGroupID})
	ref := newInstance("billing-by-reference")
	ref.Spec.ForProvider.VPCSecurityGroupIDRefs = []xpv2.Reference{{Name: "db-access"}}
	createObject(t, c.env, ref)
	harness.Eventually(t, timeout, "the refused reference reported on the Instance", func() (bool, string) {
		s := c.env.Instance(t, "billing-by-reference").Status.GetCondition(xpv2.TypeSynced)
		return s.Status == corev1.ConditionFalse && strings.Contains(s.Message, "forbidden"), string(s.Status) + " " + s.Message
	})
	if d := c.env.Describe(t, harness.Region, "billing-by-reference"); d != nil {
		t.Error("a database was created for an Instance whose reference could not be read")
	}
	if err := c.env.Kube.Delete(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	c.env.WaitInstanceGone(t, "billing-by-reference", timeout)
	provider.Stop()

	// An identity that may not watch CRDs (the same role without the
	// safe-start grant, as a hand-written role would be): every kind the
	// API server serves is reconciled, the namespaced kinds, which no
	// policy activated, are left alone, and the provider keeps running.
	pod := c.podOf(t, active["provider-rds"])
	restricted := withoutCRDAccess(t, c.env, systemRole(active["provider-rds"]), "provider-rds-without-crd-access")
	kubeconfig, err := c.env.ServiceAccountKubeconfig(context.Background(), restricted, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pod.Kubeconfig = kubeconfig
	fallback := c.run(t, pod, "without CRD access")
	db = newInstance("billing-again")
	db.Spec.ForProvider.VPCSecurityGroupIDs = aws.StringSlice([]string{net.SecurityGroupID})
	createObject(t, c.env, db)
	c.env.WaitReadySynced(t, "billing-again", timeout)
	c.env.DeleteAndWaitGone(t, "billing-again", timeout)
	log := fallback.Log()
	if !strings.Contains(log, "Safe-start is off") || !strings.Contains(log, "Instance.rds.aws.m.upbound.io/v1beta1") {
		t.Errorf("the provider does not say that safe-start is off and which kinds it left alone")
	}
	if !fallback.Running() {
		t.Errorf("the provider without CRD access stopped")
	}
	checkNothingForbidden(t, log)
}

// withoutCRDAccess makes a ServiceAccount bound to a copy of a ClusterRole
// without its rules for CustomResourceDefinitions, and returns its name.
func withoutCRDAccess(t *testing.T, env *harness.Env, role, name string) string {
	t.Helper()
	ctx := context.Background()
	src := &rbacv1.ClusterRole{}
	if err := env.Kube.Get(ctx, client.ObjectKey{Name: role}, src); err != nil {
		t.Fatal(err)
	}
	cr := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}}
	for _, r := range src.Rules {
		if !slices.Contains(r.Resources, "customresourcedefinitions") {
			cr.Rules = append(cr.Rules, r)
		}
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: harness.ProviderNamespace, Name: name}}
	crb := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: harness.ProviderNamespace, Name: name}},
	}
	for _, o := range []client.Object{cr, sa, crb} {
		if err := env.Kube.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	return name
}
