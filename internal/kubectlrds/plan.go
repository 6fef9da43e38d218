package kubectlrds

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/controller/parametergroup"
	"github.com/provider-rds/provider-rds/internal/controller/subnetgroup"
	pgtranslate "github.com/provider-rds/provider-rds/internal/parametergroup"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
	sgtranslate "github.com/provider-rds/provider-rds/internal/subnetgroup"
)

// Outcomes of a plan item.
const (
	OutcomeCreate   = "create"
	OutcomeAdopt    = "adopt"
	OutcomeUpdate   = "update"
	OutcomeNoChange = "no change"
	OutcomeRefused  = "refused"
)

// PlanAPIVersion versions the JSON plan (docs/plan.md).
const PlanAPIVersion = "kubectl-rds.rds.aws.upbound.io/v1"

// A Plan is what applying manifests would do, object by object.
type Plan struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Items      []Item         `json:"items"`
	Summary    map[string]int `json:"summary"`
}

// An Item is what applying one object would do.
type Item struct {
	Source     string `json:"source"`
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	// ExternalName is the AWS name the object names (an identifier).
	ExternalName string `json:"externalName,omitempty"`
	Outcome      string `json:"outcome"`
	// Method and Request are the call that would create the resource;
	// a master password is never shown, only where it comes from.
	Method  string `json:"method,omitempty"`
	Request any    `json:"request,omitempty"`
	// Changes are the fields an update (or an adoption) would change.
	Changes []Change `json:"changes,omitempty"`
	// Reasons say why the object is refused, as its Synced condition
	// would.
	Reasons []string `json:"reasons,omitempty"`
}

// A Change is one field an update changes, and what AWS does with it.
type Change struct {
	rdsinstance.Effect
	Current string `json:"current,omitempty"`
	Desired string `json:"desired,omitempty"`
	// Waits says why the provider has not sent the change yet.
	Waits string `json:"waits,omitempty"`
}

// planAll plans every manifest, in order.
func planAll(ctx context.Context, t *target, ms []manifest, now time.Time) Plan {
	p := Plan{APIVersion: PlanAPIVersion, Kind: "Plan", Items: []Item{}, Summary: map[string]int{}}
	for _, m := range ms {
		it := planOne(ctx, t, m, now)
		p.Items = append(p.Items, it)
		p.Summary[it.Outcome]++
	}
	return p
}

// ExitCode is 0 when nothing would change, 2 when something would, 1 when
// an object is refused.
func (p Plan) ExitCode() int {
	switch {
	case p.Summary[OutcomeRefused] > 0:
		return 1
	case p.Summary[OutcomeCreate]+p.Summary[OutcomeAdopt]+p.Summary[OutcomeUpdate] > 0:
		return 2
	}
	return 0
}

func planOne(ctx context.Context, t *target, m manifest, now time.Time) Item {
	gvk := m.object.GetObjectKind().GroupVersionKind()
	it := Item{Source: m.source, APIVersion: gvk.GroupVersion().String(), Kind: gvk.Kind, Namespace: m.object.GetNamespace(), Name: m.object.GetName()}
	inCluster, err := t.withLiveState(ctx, m)
	if err != nil {
		return it.refused(err)
	}
	scope := t.scope(m)
	switch view := m.view.(type) {
	case *v1beta3.Instance:
		return t.planInstance(ctx, it, m.object, view, scope, inCluster, now)
	case *groupsv1beta1.SubnetGroup:
		fp := view.Spec.ForProvider
		return planGroup(ctx, t, it, group[*groupsv1beta1.SubnetGroup]{
			holder: m.object, view: view, scope: scope, inCluster: inCluster, region: aws.ToString(fp.Region), tags: fp.Tags,
			external: subnetgroup.NewExternal, method: "CreateDBSubnetGroup",
			request: func() any {
				return sgtranslate.CreateInput(meta.GetExternalName(view), fp, view.Spec.InitProvider, managedkit.DesiredTags(view, scope.Kind, fp.Tags))
			},
		})
	case *groupsv1beta1.ParameterGroup:
		fp := view.Spec.ForProvider
		return planGroup(ctx, t, it, group[*groupsv1beta1.ParameterGroup]{
			holder: m.object, view: view, scope: scope, inCluster: inCluster, region: aws.ToString(fp.Region), tags: fp.Tags,
			external: parametergroup.NewExternal, method: "CreateDBParameterGroup",
			request: func() any {
				return pgtranslate.CreateInput(meta.GetExternalName(view), fp, view.Spec.InitProvider, managedkit.DesiredTags(view, scope.Kind, fp.Tags))
			},
		})
	}
	return it.refused(fmt.Errorf("kind %s is not planned", gvk.Kind))
}

func (it Item) refused(err error) Item {
	it.Outcome, it.Reasons = OutcomeRefused, append(it.Reasons, err.Error())
	return it
}

// withLiveState gives the manifest what applying it keeps of the object in
// the cluster: the annotations the provider recorded (the external name
// among them) and the status. It reports whether the object exists.
func (t *target) withLiveState(ctx context.Context, m manifest) (bool, error) {
	if !t.inCluster {
		return false, nil
	}
	live, ok := m.object.DeepCopyObject().(resource.Managed)
	if !ok {
		return false, nil
	}
	err := t.kube.Get(ctx, types.NamespacedName{Namespace: m.object.GetNamespace(), Name: m.object.GetName()}, live)
	if kerrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	lv, err := toView(live, m.object.GetNamespace())
	if err != nil {
		return false, err
	}
	annotations := lv.view.GetAnnotations()
	for k, v := range m.view.GetAnnotations() {
		if annotations == nil {
			annotations = map[string]string{}
		}
		annotations[k] = v
	}
	m.view.SetAnnotations(annotations)
	copyStatus(lv.view, m.view)
	return true, nil
}

// copyStatus copies the status of one object to another of its type.
func copyStatus(from, to resource.Managed) {
	switch f := from.(type) {
	case *v1beta3.Instance:
		to.(*v1beta3.Instance).Status = f.Status
	case *groupsv1beta1.SubnetGroup:
		to.(*groupsv1beta1.SubnetGroup).Status = f.Status
	case *groupsv1beta1.ParameterGroup:
		to.(*groupsv1beta1.ParameterGroup).Status = f.Status
	}
}

// scope is the preview scope of a manifest: its kind, and what the
// provider would let it adopt and where its Secrets live.
func (t *target) scope(m manifest) managedkit.Scope {
	nn := types.NamespacedName{Namespace: m.object.GetNamespace(), Name: m.object.GetName()}
	k := kindOf(m)
	if m.namespaced {
		return managedkit.PreviewScope(k, nn, nn.Namespace, managedkit.OwnershipFor(nn.Namespace, t.adopting))
	}
	return managedkit.PreviewScope(k, nn, t.providerNamespace, managedkit.OwnershipFor("", nil))
}

func kindOf(m manifest) managedkit.Kind {
	switch m.view.(type) {
	case *groupsv1beta1.SubnetGroup:
		return map[bool]managedkit.Kind{false: subnetgroup.Kind, true: subnetgroup.NamespacedKind}[m.namespaced]
	case *groupsv1beta1.ParameterGroup:
		return map[bool]managedkit.Kind{false: parametergroup.Kind, true: parametergroup.NamespacedKind}[m.namespaced]
	}
	return map[bool]managedkit.Kind{false: instance.Kind, true: instance.NamespacedKind}[m.namespaced]
}

func (t *target) planInstance(ctx context.Context, it Item, holder resource.Managed, cr *v1beta3.Instance, scope managedkit.Scope, inCluster bool, now time.Time) Item {
	region := aws.ToString(cr.Spec.ForProvider.Region)
	// The object as written names the ProviderConfig, of its own scope.
	s, err := t.session(ctx, holder, region)
	if err != nil {
		return it.refused(err)
	}
	p, err := instance.PreviewInstance(ctx, instance.PreviewOptions{Session: s, Kube: t.kube, ProviderNamespace: t.providerNamespace, Scope: scope}, cr)
	it.ExternalName = meta.GetExternalName(cr)
	if err != nil {
		return it.refused(err)
	}
	if p.Creation != nil {
		it.Outcome, it.Method, it.Request = OutcomeCreate, string(p.Creation.Method), withoutNulls(p.Creation.Request)
		return it
	}
	db := *p.Observed
	current := fieldValues(rdsinstance.ImportParameters(db, region))
	desired := fieldValues(cr.Spec.ForProvider)
	drift := p.Drift
	drift.NeedsPassword = drift.NeedsPassword || p.SetsPassword
	for _, e := range rdsinstance.Effects(drift, aws.ToBool(cr.Spec.ForProvider.ApplyImmediately), db, now) {
		it.Changes = append(it.Changes, Change{Effect: e, Current: current[e.Field], Desired: desired[e.Field]})
	}
	if bg := drift.BlueGreen; bg != nil {
		for _, f := range bg.Fields {
			it.Changes = append(it.Changes, Change{
				Effect:  rdsinstance.Effect{Field: f, When: "Blue/Green deployment", Interruption: "switchover: writes stop while RDS switches over to the green DB instance, typically under a minute"},
				Current: current[f], Desired: desired[f],
			})
		}
	}
	it.Reasons = p.Refusals
	if p.WaitsFor != "" && len(it.Changes) > 0 {
		for i := range it.Changes {
			it.Changes[i].Waits = "the DB instance is " + p.WaitsFor + "; the provider sends the change once it is available"
		}
	}
	switch {
	case len(p.Refusals) > 0:
		it.Outcome = OutcomeRefused
	case !inCluster:
		it.Outcome = OutcomeAdopt
	case len(it.Changes) > 0 || p.Diff != "":
		it.Outcome = OutcomeUpdate
	default:
		it.Outcome = OutcomeNoChange
	}
	return it
}

// planGroup plans a SubnetGroup or ParameterGroup through its controller's
// external client, on a read-only session.
func planGroup[T resource.Managed](ctx context.Context, t *target, it Item, g group[T]) Item {
	cr := g.view
	if meta.GetExternalName(cr) == "" {
		// As the managed reconciler's default initializer names it.
		meta.SetExternalName(cr, cr.GetName())
	}
	it.ExternalName = meta.GetExternalName(cr)
	s, err := t.session(ctx, g.holder, g.region)
	if err != nil {
		return it.refused(err)
	}
	o, err := g.external(s, g.scope).Observe(ctx, cr)
	if err != nil {
		return it.refused(err)
	}
	if !o.ResourceExists {
		if err := managedkit.OwnerTagsRefusal(cr, g.scope.Kind, g.tags); err != nil {
			return it.refused(err)
		}
		it.Outcome, it.Method, it.Request = OutcomeCreate, g.method, withoutNulls(g.request())
		return it
	}
	if o.Diff != "" {
		for _, f := range strings.Split(o.Diff, ", ") {
			it.Changes = append(it.Changes, Change{Effect: rdsinstance.Effect{Field: f, When: rdsinstance.WhenNow}})
		}
	}
	switch {
	case !g.inCluster:
		it.Outcome = OutcomeAdopt
	case o.Diff != "":
		it.Outcome = OutcomeUpdate
	default:
		it.Outcome = OutcomeNoChange
	}
	return it
}

// group is what planning a SubnetGroup or ParameterGroup takes.
type group[T resource.Managed] struct {
	// holder is the object as written, which names the ProviderConfig.
	holder    resource.Managed
	view      T
	scope     managedkit.Scope
	inCluster bool
	region    string
	tags      map[string]*string
	// external is the kind's controller's external client, method the
	// call that creates one, and request its input.
	external func(awsconfig.Session, managedkit.Scope) managed.TypedExternalClient[T]
	method   string
	request  func() any
}

// fieldValues are the spec fields of parameters by their JSON names, as
// text.
func fieldValues(v any) map[string]string {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = x
		case []any:
			parts := make([]string, 0, len(x))
			for _, p := range x {
				parts = append(parts, fmt.Sprint(p))
			}
			sort.Strings(parts)
			out[k] = strings.Join(parts, ", ")
		default:
			b, _ := json.Marshal(x)
			out[k] = string(b)
		}
	}
	return out
}

// withoutNulls returns a request as JSON values without its unset fields,
// so that it shows what is sent.
func withoutNulls(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return v
	}
	return prune(out)
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = prune(e)
			if m, ok := x[k].(map[string]any); ok && len(m) == 0 {
				delete(x, k)
			}
		}
	case []any:
		for i := range x {
			x[i] = prune(x[i])
		}
	}
	return v
}
