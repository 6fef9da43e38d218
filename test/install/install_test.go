package install

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/apis/changelogs/proto/v1alpha1"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

const (
	timeout        = 3 * time.Minute
	providerConfig = "default"
)

var (
	providerGVK = schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: "Provider"}
	revisionGVK = schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: "ProviderRevision"}
	imageCfgGVK = schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1beta1", Kind: "ImageConfig"}
	mrapGVK     = schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1alpha1", Kind: "ManagedResourceActivationPolicy"}
)

// cluster is a control plane with Crossplane and a registry holding every
// package of the tests.
type cluster struct {
	env      *harness.Env
	xp       *harness.Crossplane
	registry *harness.Registry
	dir      string
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	env, err := harness.StartBare(ctx, filepath.Join(assets, "crds"))
	if err != nil {
		t.Fatalf("cannot start the control plane: %v", err)
	}
	t.Cleanup(env.Stop)
	reg, err := harness.StartRegistry(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Stop)
	for ref, img := range images {
		if err := reg.Push(ref, img); err != nil {
			t.Fatal(err)
		}
	}
	xp, err := env.StartCrossplane(assets, dir, reg.CABundle)
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{env: env, xp: xp, registry: reg, dir: dir}
	t.Cleanup(func() {
		if t.Failed() {
			for _, l := range xp.Logs() {
				t.Logf("%s", tail(l, 6000))
			}
		}
		xp.Stop()
	})
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func (c *cluster) apply(t *testing.T, gvk schema.GroupVersionKind, name string, spec map[string]any) {
	t.Helper()
	u := &unstructured.Unstructured{Object: map[string]any{"spec": spec}}
	u.SetGroupVersionKind(gvk)
	u.SetName(name)
	if err := c.env.Kube.Create(context.Background(), u); err != nil {
		if !kerrors.IsAlreadyExists(err) {
			t.Fatalf("cannot create %s %s: %v", gvk.Kind, name, err)
		}
		cur := &unstructured.Unstructured{}
		cur.SetGroupVersionKind(gvk)
		if err := c.env.Kube.Get(context.Background(), client.ObjectKey{Name: name}, cur); err != nil {
			t.Fatal(err)
		}
		cur.Object["spec"] = spec
		if err := c.env.Kube.Update(context.Background(), cur); err != nil {
			t.Fatalf("cannot update %s %s: %v", gvk.Kind, name, err)
		}
	}
}

// mirror rewrites what users pull from the AWS family's registry to this
// test's registry, and provider-rds's family member, named under the
// family's organisation, to where it is published: the ImageConfigs
// docs/packages.md gives.
func (c *cluster) mirror(t *testing.T) {
	t.Helper()
	c.apply(t, imageCfgGVK, "upstream", map[string]any{
		"matchImages":  []any{map[string]any{"type": "Prefix", "prefix": upstream}},
		"rewriteImage": map[string]any{"prefix": c.registry.Host + "/upbound/"},
	})
	c.apply(t, imageCfgGVK, "provider-rds-in-aws-family", map[string]any{
		"matchImages":  []any{map[string]any{"type": "Prefix", "prefix": upstream + "provider-rds-family"}},
		"rewriteImage": map[string]any{"prefix": c.registry.Host + "/provider-rds/provider-rds-family"},
	})
}

func (c *cluster) installProvider(t *testing.T, name, pkg string) {
	t.Helper()
	c.apply(t, providerGVK, name, map[string]any{"package": pkg})
}

func (c *cluster) activate(t *testing.T, kinds ...string) {
	t.Helper()
	act := make([]any, len(kinds))
	for i, k := range kinds {
		act[i] = k
	}
	c.apply(t, mrapGVK, "activate", map[string]any{"activate": act})
}

// waitHealthy waits until the named Providers are installed and healthy,
// and every ProviderRevision (dependencies included) is healthy, and
// returns the active revision of each named Provider.
func (c *cluster) waitHealthy(t *testing.T, providers ...string) map[string]string {
	t.Helper()
	active := map[string]string{}
	harness.Eventually(t, timeout, "Providers "+strings.Join(providers, ", ")+" installed and healthy", func() (bool, string) {
		ctx := context.Background()
		l := &unstructured.UnstructuredList{}
		l.SetGroupVersionKind(revisionGVK)
		if err := c.env.Kube.List(ctx, l); err != nil {
			return false, err.Error()
		}
		var state []string
		ok := true
		for _, r := range l.Items {
			desired, _, _ := unstructured.NestedString(r.Object, "spec", "desiredState")
			revision, runtime := condition(&r, "RevisionHealthy"), condition(&r, "RuntimeHealthy")
			state = append(state, fmt.Sprintf("%s(%s): RevisionHealthy=%s RuntimeHealthy=%s", r.GetName(), desired, revision, runtime))
			if desired == "Active" && (!strings.HasPrefix(revision, "True") || !strings.HasPrefix(runtime, "True")) {
				ok = false
			}
		}
		for _, p := range providers {
			u := &unstructured.Unstructured{}
			u.SetGroupVersionKind(providerGVK)
			if err := c.env.Kube.Get(ctx, client.ObjectKey{Name: p}, u); err != nil {
				return false, err.Error()
			}
			inst, health := condition(u, "Installed"), condition(u, "Healthy")
			state = append(state, fmt.Sprintf("Provider %s: Installed=%s Healthy=%s", p, inst, health))
			rev, _, _ := unstructured.NestedString(u.Object, "status", "currentRevision")
			active[p] = rev
			if !strings.HasPrefix(inst, "True") || !strings.HasPrefix(health, "True") || rev == "" {
				ok = false
			}
		}
		return ok, strings.Join(state, "; ")
	})
	return active
}

func condition(u *unstructured.Unstructured, ct string) string {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == ct {
			return fmt.Sprintf("%v %v", m["status"], m["message"])
		}
	}
	return "absent"
}

// runProvider runs the Deployment Crossplane rendered for a revision, as a
// kubelet would, with the provider's binary and poll settings users set
// through a DeploymentRuntimeConfig.
func (c *cluster) runProvider(t *testing.T, revision string, extraArgs ...string) (*harness.Process, *harness.ProviderPod) {
	t.Helper()
	pod := c.podOf(t, revision)
	return c.run(t, pod, revision, extraArgs...), pod
}

// podOf returns what a kubelet would run for a revision's Deployment, once
// the RBAC manager has bound the revision's role to its ServiceAccount.
func (c *cluster) podOf(t *testing.T, revision string) *harness.ProviderPod {
	t.Helper()
	ctx := context.Background()
	var name string
	harness.Eventually(t, timeout, "the Deployment of revision "+revision, func() (bool, string) {
		l := &appsv1.DeploymentList{}
		if err := c.env.Kube.List(ctx, l, client.InNamespace(harness.ProviderNamespace)); err != nil {
			return false, err.Error()
		}
		for _, d := range l.Items {
			for _, o := range d.OwnerReferences {
				if o.Kind == "ProviderRevision" && o.Name == revision {
					name = d.Name
					return true, ""
				}
			}
		}
		return false, fmt.Sprintf("%d Deployments, none of it", len(l.Items))
	})
	pod, err := c.env.PodFor(ctx, name, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// A kubelet restarts a pod that started before its role was bound;
	// here the pod starts once the RBAC manager has bound it.
	harness.Eventually(t, timeout, "the system role of "+revision+" bound to ServiceAccount "+pod.ServiceAccount, func() (bool, string) {
		b := &rbacv1.ClusterRoleBinding{}
		if err := c.env.Kube.Get(ctx, client.ObjectKey{Name: systemRole(revision)}, b); err != nil {
			return false, err.Error()
		}
		for _, s := range b.Subjects {
			if s.Kind == rbacv1.ServiceAccountKind && s.Name == pod.ServiceAccount && s.Namespace == harness.ProviderNamespace {
				return true, ""
			}
		}
		return false, fmt.Sprintf("subjects %v", b.Subjects)
	})
	// During an upgrade the new revision's role names the provider's kinds
	// only once the revision has taken the CRDs over; a pod started before
	// is refused them for a moment and retries.
	harness.Eventually(t, timeout, "the system role of "+revision+" granting Instances", func() (bool, string) {
		r := &rbacv1.ClusterRole{}
		if err := c.env.Kube.Get(ctx, client.ObjectKey{Name: systemRole(revision)}, r); err != nil {
			return false, err.Error()
		}
		for _, rule := range r.Rules {
			if slices.Contains(rule.APIGroups, "rds.aws.upbound.io") && slices.Contains(rule.Resources, "instances") {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d rules, none for instances.rds.aws.upbound.io", len(r.Rules))
	})
	return pod
}

// systemRole is the name of the ClusterRole (and its binding) that
// Crossplane's RBAC manager makes for a provider revision.
func systemRole(revision string) string { return "crossplane:provider:" + revision + ":system" }

// run runs a pod's provider until the test ends.
func (c *cluster) run(t *testing.T, pod *harness.ProviderPod, what string, extraArgs ...string) *harness.Process {
	t.Helper()
	p, err := pod.RunProvider(providerBin, t.TempDir(), append([]string{"--poll=5s", "--debug"}, extraArgs...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("provider log (%s):\n%s", what, tail(p.Log(), 8000))
		}
		p.Stop()
	})
	return p
}

// forbidden finds what the API server refused the provider.
var forbidden = regexp.MustCompile(`(?i)forbidden|cannot (get|list|watch|create|update|patch) resource`)

func checkNothingForbidden(t *testing.T, log string) {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if forbidden.MatchString(line) {
			t.Errorf("the provider was refused by the API server: %s", line)
			return
		}
	}
}

func hasCRD(t *testing.T, env *harness.Env, name string) bool {
	t.Helper()
	err := env.Kube.Get(context.Background(), client.ObjectKey{Name: name}, &extv1.CustomResourceDefinition{})
	if err != nil && !kerrors.IsNotFound(err) {
		t.Fatal(err)
	}
	return err == nil
}

func waitGroupReady(t *testing.T, env *harness.Env, name string) {
	t.Helper()
	harness.Eventually(t, timeout, "SubnetGroup "+name+" Ready and Synced", func() (bool, string) {
		g := &groupsv1beta1.SubnetGroup{}
		if err := env.Kube.Get(context.Background(), client.ObjectKey{Name: name}, g); err != nil {
			return false, err.Error()
		}
		r, s := g.Status.GetCondition(xpv2.TypeReady), g.Status.GetCondition(xpv2.TypeSynced)
		return r.Status == corev1.ConditionTrue && s.Status == corev1.ConditionTrue, "Ready=" + string(r.Status) + " " + r.Message + "; Synced=" + string(s.Status) + " " + s.Message
	})
}

// changeLogSidecar is a stand-in of the change-log sidecar users add
// beside the provider: a ChangeLogService on a unix socket.
type changeLogSidecar struct {
	v1alpha1.UnimplementedChangeLogServiceServer
	mu      sync.Mutex
	entries []*v1alpha1.ChangeLogEntry
}

func (s *changeLogSidecar) SendChangeLog(_ context.Context, r *v1alpha1.SendChangeLogRequest) (*v1alpha1.SendChangeLogResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(s.entries, r.GetEntry())
	return &v1alpha1.SendChangeLogResponse{}, nil
}

// operations returns the operations received for a kind and name.
func (s *changeLogSidecar) operations(kind, name string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.entries {
		if e.GetKind() == kind && e.GetName() == name {
			op := strings.TrimPrefix(e.GetOperation().String(), "OPERATION_TYPE_")
			if e.ErrorMessage != nil {
				op += " (failed)"
			}
			out = append(out, op)
		}
	}
	return out
}

// text is every entry as the sidecar would store it, for the secret scan.
func (s *changeLogSidecar) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, e := range s.entries {
		b.WriteString(e.String())
		b.WriteString("\n")
	}
	return b.String()
}

func serveSidecar(t *testing.T) (string, *changeLogSidecar) {
	t.Helper()
	// A short path: unix socket paths are limited to 108 bytes.
	socket := filepath.Join(t.TempDir(), "cl.sock")
	l, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	s := &changeLogSidecar{}
	v1alpha1.RegisterChangeLogServiceServer(srv, s)
	go srv.Serve(l) //nolint:errcheck // Ends with the test.
	t.Cleanup(srv.Stop)
	return socket, s
}

func mutatingCalls(calls map[[2]string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range calls {
		if harness.Mutating(k[0]) {
			out[k[0]] += v
		}
	}
	return out
}

func newInstance(name string) *v1beta3.Instance {
	return harness.NewInstance(name, providerConfig)
}

func createObject(t *testing.T, env *harness.Env, o client.Object) {
	t.Helper()
	harness.Eventually(t, timeout, "create "+o.GetName(), func() (bool, string) {
		// The kind's CRD may have just been established: the API server
		// serves it within moments.
		err := env.Kube.Create(context.Background(), o)
		return err == nil, fmt.Sprint(err)
	})
}
