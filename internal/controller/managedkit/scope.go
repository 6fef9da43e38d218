package managedkit

import (
	"context"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
)

// Scope is what one reconcile of a managed resource reaches besides AWS:
// the managed resource as Kubernetes knows it (its events, annotations and
// kind) and the namespace of its own Secrets. A cluster-scoped kind's
// external client works through it alone, which is how the namespaced
// twin of a kind reuses that client unchanged.
type Scope struct {
	// Kind of the managed resource, for its tags, and Object its name (and
	// namespace, for a namespaced one).
	Kind   Kind
	Object types.NamespacedName
	// Record records events on the managed resource.
	Record event.Recorder
	// persist writes an annotation to the managed resource in the API
	// server.
	persist func(ctx context.Context, key, value string) error
	// SecretsNamespace is where the resource's own Secrets live, such as a
	// password the provider generates for it: the provider's namespace for
	// a cluster-scoped resource, its own namespace for a namespaced one.
	SecretsNamespace string
	// Ownership is what the resource may take over in AWS.
	Ownership Ownership
}

// Annotate persists an annotation of the managed resource, for what an
// Update must record, and sets it on the object the external client holds
// (the resource itself, or its cluster form), so that what follows in the
// reconcile sees it.
func (s Scope) Annotate(ctx context.Context, obj metav1.Object, key, value string) error {
	if err := s.persist(ctx, key, value); err != nil {
		return err
	}
	meta.AddAnnotations(obj, map[string]string{key: value})
	return nil
}

// ClusterScope is the Scope of a cluster-scoped managed resource.
func ClusterScope(kube client.Client, k Kind, rec event.Recorder, providerNamespace string, mg resource.Managed) Scope {
	return Scope{
		Kind:             k,
		Object:           types.NamespacedName{Name: mg.GetName()},
		Record:           rec,
		persist:          func(ctx context.Context, key, value string) error { return Annotate(ctx, kube, mg, key, value) },
		SecretsNamespace: providerNamespace,
		Ownership:        OwnershipFor("", nil),
	}
}

// ExternalFn builds a cluster-scoped kind's external client for one
// reconcile.
type ExternalFn[L resource.Managed] func(s awsconfig.Session, scope Scope) managed.TypedExternalClient[L]

// NamespacedConnector connects a namespaced managed resource (N) through
// the external client of its cluster-scoped twin (L). Each call hands that
// client the resource in cluster form (a view: the same spec and status,
// with references without namespaces, and Secret references in the
// resource's own namespace) and copies back what the client changed:
// status, annotations and late-initialised spec fields. Events, annotations
// and the resource's own Secrets go to the namespaced resource and its
// namespace.
type NamespacedConnector[N resource.ModernManaged, L resource.Managed] struct {
	Kube      client.Client
	Connector Connector
	Record    event.Recorder
	// Kind is the namespaced kind.
	Kind Kind
	// NewView returns an empty cluster-scoped object, and Region the
	// region its spec names.
	NewView  func() L
	Region   func(L) string
	External ExternalFn[L]
	// AdoptingNamespaces may adopt resources no Crossplane object owns.
	AdoptingNamespaces []string
}

// Connect returns the external client of a namespaced managed resource.
func (c *NamespacedConnector[N, L]) Connect(ctx context.Context, mr N) (managed.TypedExternalClient[N], error) {
	view := c.NewView()
	if err := ToClusterForm(mr, view); err != nil {
		return nil, err
	}
	s, err := c.Connector.Session(ctx, mr, c.Region(view))
	if err != nil {
		return nil, err
	}
	scope := Scope{
		Kind:             c.Kind,
		Object:           types.NamespacedName{Namespace: mr.GetNamespace(), Name: mr.GetName()},
		Record:           redirect{rec: c.Record, to: mr},
		persist:          func(ctx context.Context, key, value string) error { return Annotate(ctx, c.Kube, mr, key, value) },
		SecretsNamespace: mr.GetNamespace(),
		Ownership:        OwnershipFor(mr.GetNamespace(), c.AdoptingNamespaces),
	}
	return &namespacedClient[N, L]{inner: c.External(s, scope), newView: c.NewView}, nil
}

type namespacedClient[N resource.ModernManaged, L resource.Managed] struct {
	inner   managed.TypedExternalClient[L]
	newView func() L
}

// through runs one call of the cluster-scoped client on a view of mr and
// copies its effects back.
func through[N resource.ModernManaged, L resource.Managed, R any](c *namespacedClient[N, L], mr N, call func(L) (R, error)) (R, error) {
	var zero R
	view := c.newView()
	if err := ToClusterForm(mr, view); err != nil {
		return zero, err
	}
	out, err := call(view)
	if berr := FromClusterForm(view, mr); berr != nil {
		return zero, berr
	}
	return out, err
}

func (c *namespacedClient[N, L]) Observe(ctx context.Context, mr N) (managed.ExternalObservation, error) {
	return through(c, mr, func(v L) (managed.ExternalObservation, error) { return c.inner.Observe(ctx, v) })
}

func (c *namespacedClient[N, L]) Create(ctx context.Context, mr N) (managed.ExternalCreation, error) {
	return through(c, mr, func(v L) (managed.ExternalCreation, error) { return c.inner.Create(ctx, v) })
}

func (c *namespacedClient[N, L]) Update(ctx context.Context, mr N) (managed.ExternalUpdate, error) {
	return through(c, mr, func(v L) (managed.ExternalUpdate, error) { return c.inner.Update(ctx, v) })
}

func (c *namespacedClient[N, L]) Delete(ctx context.Context, mr N) (managed.ExternalDelete, error) {
	return through(c, mr, func(v L) (managed.ExternalDelete, error) { return c.inner.Delete(ctx, v) })
}

func (c *namespacedClient[N, L]) Disconnect(ctx context.Context) error {
	return c.inner.Disconnect(ctx)
}

// redirect records events on the namespaced resource, whichever object
// the cluster-scoped client names.
type redirect struct {
	rec event.Recorder
	to  runtime.Object
}

func (r redirect) Event(_ runtime.Object, e event.Event) { r.rec.Event(r.to, e) }

func (r redirect) WithAnnotations(keysAndValues ...string) event.Recorder {
	return redirect{rec: r.rec.WithAnnotations(keysAndValues...), to: r.to}
}

// ToClusterForm writes a namespaced managed resource into an object of its
// cluster-scoped twin: providerConfigRef by name only, the connection
// Secret and every *SecretRef in the resource's namespace, references and
// selectors without a namespace (they have been resolved in it).
func ToClusterForm(mr resource.Managed, view resource.Managed) error {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mr)
	if err != nil {
		return errors.Wrap(err, "cannot read the managed resource")
	}
	ns := mr.GetNamespace()
	delete(u, "apiVersion")
	delete(u, "kind")
	if spec, ok := u["spec"].(map[string]any); ok {
		if pcr, ok := spec["providerConfigRef"].(map[string]any); ok {
			spec["providerConfigRef"] = map[string]any{"name": pcr["name"]}
		}
		if w, ok := spec["writeConnectionSecretToRef"].(map[string]any); ok {
			w["namespace"] = ns
		}
		fields := SpecFieldsOf(mr)
		for _, k := range []string{"forProvider", "initProvider"} {
			if p, ok := spec[k].(map[string]any); ok {
				clusterReferences(p, ns, fields)
			}
		}
	}
	return errors.Wrap(runtime.DefaultUnstructuredConverter.FromUnstructured(u, view), "cannot convert the managed resource")
}

// clusterReferences puts a namespaced resource's Secret references in its
// namespace, and takes the namespace out of its references and selectors,
// which were resolved in it.
func clusterReferences(p map[string]any, ns string, fields SpecFields) {
	for k, v := range p {
		switch {
		case fields.SecretRefs[k]:
			if m, ok := v.(map[string]any); ok {
				m["namespace"] = ns
			}
		case fields.References[k]:
			items := []any{v}
			if l, ok := v.([]any); ok {
				items = l
			}
			for _, e := range items {
				if m, ok := e.(map[string]any); ok {
					delete(m, "namespace")
				}
			}
		}
	}
}

// FromClusterForm copies back into a namespaced managed resource what a
// cluster-scoped client changed in its view: the status, the annotations,
// and the value fields of forProvider and initProvider (late-initialised).
func FromClusterForm(view resource.Managed, mr resource.Managed) error {
	v, err := runtime.DefaultUnstructuredConverter.ToUnstructured(view)
	if err != nil {
		return errors.Wrap(err, "cannot read the cluster form")
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mr)
	if err != nil {
		return errors.Wrap(err, "cannot read the managed resource")
	}
	m["status"] = v["status"]
	vspec, _ := v["spec"].(map[string]any)
	mspec, _ := m["spec"].(map[string]any)
	fields := SpecFieldsOf(mr)
	for _, k := range []string{"forProvider", "initProvider"} {
		from, _ := vspec[k].(map[string]any)
		to, _ := mspec[k].(map[string]any)
		if from == nil {
			continue
		}
		if to == nil {
			to = map[string]any{}
			mspec[k] = to
		}
		for field, value := range from {
			if !fields.References[field] {
				to[field] = value
			}
		}
	}
	annotations := view.GetAnnotations()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, mr); err != nil {
		return errors.Wrap(err, "cannot update the managed resource")
	}
	mr.SetAnnotations(annotations)
	return nil
}

// Scopes are the two kinds a controller package serves: a cluster-scoped
// kind (L) and its namespaced twin (N), which one external client serves.
type Scopes[L resource.Managed, N resource.ModernManaged] struct {
	Cluster, Namespaced Kind
	// NewView returns an empty cluster-scoped object, and Region the
	// region its spec names.
	NewView  func() L
	Region   func(L) string
	External ExternalFn[L]
	// Changes, when set, returns a source of the resources of a kind to
	// reconcile because their external resource changed.
	Changes func(Kind) source.Source
}

// SetupScopes adds the controllers of both scopes of a kind, with the
// options they share.
func SetupScopes[L resource.Managed, N resource.ModernManaged](mgr ctrl.Manager, o Options, s Scopes[L, N], common ...managed.ReconcilerOption) error {
	kube := mgr.GetClient()
	connect := NewConnector(kube, o.Sessions)

	rec := NewRecorder(mgr, s.Cluster)
	cluster := managed.TypedExternalConnectorFn[L](func(ctx context.Context, cr L) (managed.TypedExternalClient[L], error) {
		// A resource being deleted needs none of its Secrets, and must not
		// be kept from going by a limit set after it was made.
		if !meta.WasDeleted(cr) {
			if err := SecretsAllowed(cr, o.ClusterScopedSecretNamespaces); err != nil {
				return nil, err
			}
		}
		session, err := connect.Session(ctx, cr, s.Region(cr))
		if err != nil {
			return nil, err
		}
		return s.External(session, ClusterScope(kube, s.Cluster, rec, o.Namespace, cr)), nil
	})
	setupCluster := func() error {
		return Setup(mgr, o, s.Cluster, rec, s.changes(s.Cluster), append([]managed.ReconcilerOption{managed.WithTypedExternalConnector[L](cluster)}, common...)...)
	}
	if err := WhenEstablished(o.Options, s.Cluster.ControllerName(), setupCluster, append([]schema.GroupVersionKind{s.Cluster.GroupVersionKind}, ClusterConfigKinds...)...); err != nil {
		return err
	}

	nsRec := NewRecorder(mgr, s.Namespaced)
	namespaced := &NamespacedConnector[N, L]{
		Kube: kube, Connector: connect, Record: nsRec, Kind: s.Namespaced,
		NewView: s.NewView, Region: s.Region, External: s.External, AdoptingNamespaces: o.NamespacesThatMayAdopt,
	}
	setupNamespaced := func() error {
		return Setup(mgr, o, s.Namespaced, nsRec, s.changes(s.Namespaced), append([]managed.ReconcilerOption{managed.WithTypedExternalConnector[N](namespaced)}, common...)...)
	}
	return WhenEstablished(o.Options, s.Namespaced.ControllerName(), setupNamespaced, append([]schema.GroupVersionKind{s.Namespaced.GroupVersionKind}, NamespacedConfigKinds...)...)
}

// The ProviderConfig kinds a managed resource of each scope may name and
// the usage kind that records it: the provider's own in the standalone
// package, provider-family-aws's in the family member. A managed kind's
// controller starts only once these exist too.
var (
	ClusterConfigKinds = []schema.GroupVersionKind{
		awsv1beta1.ProviderConfigGroupVersionKind, awsv1beta1.ProviderConfigUsageGroupVersionKind,
	}
	NamespacedConfigKinds = []schema.GroupVersionKind{
		awsmv1beta1.ProviderConfigGroupVersionKind, awsmv1beta1.ClusterProviderConfigGroupVersionKind, awsmv1beta1.ProviderConfigUsageGroupVersionKind,
	}
)

func (s Scopes[L, N]) changes(k Kind) []source.Source {
	if s.Changes == nil {
		return nil
	}
	return []source.Source{s.Changes(k)}
}

// SecretsAllowed refuses a cluster-scoped managed resource whose spec names
// a Secret (a *SecretRef of forProvider or initProvider, or
// writeConnectionSecretToRef) outside the allowed namespaces. No limit is
// set when allowed is empty.
func SecretsAllowed(mg resource.Managed, allowed []string) error {
	if len(allowed) == 0 {
		return nil
	}
	ok := map[string]bool{}
	for _, ns := range allowed {
		ok[ns] = true
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mg)
	if err != nil {
		return errors.Wrap(err, "cannot read the managed resource")
	}
	spec, _ := u["spec"].(map[string]any)
	refs := map[string]any{"spec.writeConnectionSecretToRef": spec["writeConnectionSecretToRef"]}
	fields := SpecFieldsOf(mg)
	for _, part := range []string{"forProvider", "initProvider"} {
		p, _ := spec[part].(map[string]any)
		for field, v := range p {
			if fields.SecretRefs[field] {
				refs["spec."+part+"."+field] = v
			}
		}
	}
	var refused []string
	for path, v := range refs {
		m, _ := v.(map[string]any)
		if ns, _ := m["namespace"].(string); ns != "" && !ok[ns] {
			refused = append(refused, fmt.Sprintf("%s names namespace %q", path, ns))
		}
	}
	if len(refused) == 0 {
		return nil
	}
	sort.Strings(refused)
	return errors.Errorf("cluster-scoped managed resources may use Secrets only in the namespaces %s (the provider's --cluster-scoped-secret-namespaces): %s", strings.Join(allowed, ", "), strings.Join(refused, "; "))
}

// PreviewScope is the Scope of a managed resource a command previews: the
// annotations a reconcile would write are set on the object only, and its
// events are dropped, so that nothing reaches the API server.
func PreviewScope(k Kind, obj types.NamespacedName, secretsNamespace string, o Ownership) Scope {
	return Scope{
		Kind:             k,
		Object:           obj,
		Record:           event.NewNopRecorder(),
		persist:          func(context.Context, string, string) error { return nil },
		SecretsNamespace: secretsNamespace,
		Ownership:        o,
	}
}
