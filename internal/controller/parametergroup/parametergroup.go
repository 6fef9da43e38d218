// Package parametergroup is the controller of the RDS ParameterGroup
// managed resource.
package parametergroup

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/parametergroup"
)

// AnnotationManagedParameters records the names of the parameters the
// provider last set from the spec, so that it can tell a parameter the
// user removed (reset to the engine default) from one set outside the
// spec (left alone).
const AnnotationManagedParameters = "rds.aws.upbound.io/managed-parameters"

const (
	errDescribe      = "cannot describe DB parameter group"
	errParameters    = "cannot describe the parameters of the DB parameter group"
	errCreate        = "cannot create DB parameter group"
	errModify        = "cannot modify DB parameter group"
	errReset         = "cannot reset parameters of the DB parameter group"
	errDelete        = "cannot delete DB parameter group"
	errRecord        = "cannot record the parameters the provider manages"
	errName          = "external name %q is not a valid DB parameter group name: 1 to 255 letters, digits or hyphens, starting with a letter, without two hyphens in a row or a trailing hyphen"
	msgCannotApply   = "Cannot apply on an existing DB parameter group: "
	reasonDrift      = event.Reason("CorrectingDrift")
	reasonCannotDo   = event.Reason("CannotApply")
	diffRecordParams = "parameters the provider manages"
)

// namePattern is what AWS accepts as a DB parameter group name.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html
var namePattern = regexp.MustCompile(`^[a-zA-Z](-?[a-zA-Z0-9])*$`)

// Kind is the managed kind this controller reconciles.
var Kind = managedkit.Kind{
	GroupVersionKind: v1beta1.ParameterGroupGroupVersionKind,
	New:              func() resource.Managed { return &v1beta1.ParameterGroup{} },
	NewList:          func() resource.ManagedList { return &v1beta1.ParameterGroupList{} },
}

// NamespacedKind is the Crossplane v2 namespaced ParameterGroup, reconciled
// by the same external client through its cluster form.
var NamespacedKind = managedkit.Kind{
	GroupVersionKind: nsv1beta1.ParameterGroupGroupVersionKind,
	New:              func() resource.Managed { return &nsv1beta1.ParameterGroup{} },
	NewList:          func() resource.ManagedList { return &nsv1beta1.ParameterGroupList{} },
}

// Setup adds the controllers that reconcile ParameterGroups of both
// scopes. The group name is the external name, defaulting to the object's
// name, so creation is idempotent and an existing group of that name is
// adopted.
func Setup(mgr ctrl.Manager, o managedkit.Options) error {
	return managedkit.SetupScopes(mgr, o, managedkit.Scopes[*v1beta1.ParameterGroup, *nsv1beta1.ParameterGroup]{
		Cluster: Kind, Namespaced: NamespacedKind,
		NewView:  func() *v1beta1.ParameterGroup { return &v1beta1.ParameterGroup{} },
		Region:   func(cr *v1beta1.ParameterGroup) string { return aws.ToString(cr.Spec.ForProvider.Region) },
		External: NewExternal,
	},
		managed.WithInitializers(managed.NewNameAsExternalName(mgr.GetClient())),
		managed.WithDeterministicExternalName(true),
		managed.WithCreationGracePeriod(0),
	)
}

// NewExternal builds a ParameterGroup's external client for one reconcile.
func NewExternal(s awsconfig.Session, scope managedkit.Scope) managed.TypedExternalClient[*v1beta1.ParameterGroup] {
	return &external{rds: s.RDS(), record: scope.Record, kind: scope.Kind, annotate: scope.Annotate, ownership: scope.Ownership}
}

// RDSAPI is the part of the RDS API this controller calls.
type RDSAPI interface {
	managedkit.TagsAPI
	managedkit.InstancesAPI
	DescribeDBParameterGroups(ctx context.Context, in *rds.DescribeDBParameterGroupsInput, opts ...func(*rds.Options)) (*rds.DescribeDBParameterGroupsOutput, error)
	DescribeDBParameters(ctx context.Context, in *rds.DescribeDBParametersInput, opts ...func(*rds.Options)) (*rds.DescribeDBParametersOutput, error)
	CreateDBParameterGroup(ctx context.Context, in *rds.CreateDBParameterGroupInput, opts ...func(*rds.Options)) (*rds.CreateDBParameterGroupOutput, error)
	ModifyDBParameterGroup(ctx context.Context, in *rds.ModifyDBParameterGroupInput, opts ...func(*rds.Options)) (*rds.ModifyDBParameterGroupOutput, error)
	ResetDBParameterGroup(ctx context.Context, in *rds.ResetDBParameterGroupInput, opts ...func(*rds.Options)) (*rds.ResetDBParameterGroupOutput, error)
	DeleteDBParameterGroup(ctx context.Context, in *rds.DeleteDBParameterGroupInput, opts ...func(*rds.Options)) (*rds.DeleteDBParameterGroupOutput, error)
}

// external manages one ParameterGroup's DB parameter group for the length
// of a reconcile.
type external struct {
	rds    RDSAPI
	record event.Recorder
	kind   managedkit.Kind
	// ownership is what the object may take over.
	ownership managedkit.Ownership
	annotate  func(ctx context.Context, obj metav1.Object, key, value string) error

	// What Observe found, for Update.
	observed *types.DBParameterGroup
	drift    parametergroup.Drift
}

func (e *external) Observe(ctx context.Context, cr *v1beta1.ParameterGroup) (managed.ExternalObservation, error) {
	name := meta.GetExternalName(cr)
	if len(name) > 255 || !namePattern.MatchString(name) {
		if meta.WasDeleted(cr) {
			return managed.ExternalObservation{ResourceExists: false}, nil
		}
		return managed.ExternalObservation{}, errors.Errorf(errName, name)
	}
	if meta.WasDeleted(cr) && aws.ToBool(cr.Spec.ForProvider.SkipDestroy) {
		// The user asked for the group to stay in AWS: as far as this
		// object goes, it is gone.
		return managed.ExternalObservation{ResourceExists: false}, nil
	}
	g, tags, err := e.describe(ctx, cr, name)
	if err != nil || g == nil {
		return managed.ExternalObservation{ResourceExists: false}, err
	}
	e.observed = g
	if meta.WasDeleted(cr) {
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	user, err := e.userParameters(ctx, name)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrap(err, errParameters)
	}
	cr.Status.AtProvider = parametergroup.Observation(*g, user, tags, aws.ToString(cr.Spec.ForProvider.Region), cr.Spec.ForProvider)
	cr.SetConditions(xpv2.Available())

	lateInitialized := parametergroup.LateInitialize(&cr.Spec.ForProvider, cr.Spec.InitProvider, *g)
	e.drift = parametergroup.Diff(cr.Spec.ForProvider, *g, user, previous(cr), tags, managedkit.DesiredTags(cr, e.kind, cr.Spec.ForProvider.Tags))
	managedkit.Warn(e.record, cr, managedkit.TypeCannotApply, reasonCannotDo, msgCannotApply+strings.Join(e.drift.CannotApply, "; "), len(e.drift.CannotApply) > 0)
	diff := e.drift.Summary()
	if diff == "" && cr.GetAnnotations()[AnnotationManagedParameters] != strings.Join(parametergroup.Managed(cr.Spec.ForProvider), ",") {
		// Nothing to change in AWS, but the record of what the spec manages
		// is behind it (an adopted group, or a parameter already at its
		// value): Update records it, so that a later removal resets.
		diff = diffRecordParams
	}
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: diff == "", ResourceLateInitialized: lateInitialized, Diff: diff}, nil
}

// describe returns the group of a name and its tags; nil when there is
// none, or when the resource is being deleted and the group is not its
// own to delete.
func (e *external) describe(ctx context.Context, cr *v1beta1.ParameterGroup, name string) (*types.DBParameterGroup, []types.Tag, error) {
	out, err := e.rds.DescribeDBParameterGroups(ctx, &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String(name)})
	if isNotFound(err) || (err == nil && len(out.DBParameterGroups) == 0) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, errors.Wrap(err, errDescribe)
	}
	g := out.DBParameterGroups[0]
	tags, err := managedkit.Tags(ctx, e.rds, g.DBParameterGroupArn)
	if err != nil {
		return nil, nil, err
	}
	if err := e.ownership.Refusal(e.kind, cr.GetNamespace(), "DB parameter group", name, managedkit.TagMap(tags), aws.ToString(cr.Status.AtProvider.ARN) == aws.ToString(g.DBParameterGroupArn)); err != nil {
		if meta.WasDeleted(cr) {
			return nil, nil, nil // never delete another's group
		}
		return nil, nil, err
	}
	return &g, tags, nil
}

// userParameters are the parameters set in the group rather than left at
// the engine default: its source "user" parameters.
func (e *external) userParameters(ctx context.Context, name string) ([]types.Parameter, error) {
	var out []types.Parameter
	p := rds.NewDescribeDBParametersPaginator(e.rds, &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String(name), Source: aws.String("user")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Parameters...)
	}
	return out, nil
}

// previous are the parameter names the provider last set from the spec.
func previous(cr *v1beta1.ParameterGroup) []string {
	v := cr.GetAnnotations()[AnnotationManagedParameters]
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func (e *external) Create(ctx context.Context, cr *v1beta1.ParameterGroup) (managed.ExternalCreation, error) {
	name := meta.GetExternalName(cr)
	if err := managedkit.OwnerTagsRefusal(cr, e.kind, cr.Spec.ForProvider.Tags); err != nil {
		return managed.ExternalCreation{}, err
	}
	in := parametergroup.CreateInput(name, cr.Spec.ForProvider, cr.Spec.InitProvider, managedkit.DesiredTags(cr, e.kind, cr.Spec.ForProvider.Tags))
	_, err := e.rds.CreateDBParameterGroup(ctx, in)
	// A group of this name that already exists was created by an earlier
	// attempt whose result was not recorded, or is adopted: the next
	// observation takes it from there.
	if err != nil && managedkit.ErrorCode(err) != "DBParameterGroupAlreadyExists" {
		return managed.ExternalCreation{}, errors.Wrap(err, errCreate)
	}
	if err != nil {
		return managed.ExternalCreation{}, nil
	}
	// AWS creates the group with the engine defaults; the spec's
	// parameters follow at once rather than a poll later.
	g := types.DBParameterGroup{DBParameterGroupName: aws.String(name)}
	initial := cr.Spec.ForProvider
	initial.Parameter = parametergroup.InitialParameters(cr.Spec.ForProvider, cr.Spec.InitProvider)
	for _, m := range parametergroup.Diff(initial, g, nil, nil, nil, nil).Modify {
		if _, err := e.rds.ModifyDBParameterGroup(ctx, m); err != nil {
			return managed.ExternalCreation{}, errors.Wrap(err, errModify)
		}
	}
	meta.AddAnnotations(cr, map[string]string{AnnotationManagedParameters: strings.Join(parametergroup.Managed(cr.Spec.ForProvider), ",")})
	return managed.ExternalCreation{}, nil
}

func (e *external) Update(ctx context.Context, cr *v1beta1.ParameterGroup) (managed.ExternalUpdate, error) {
	if e.observed == nil {
		return managed.ExternalUpdate{}, errors.New(errDescribe)
	}
	d := e.drift
	if len(d.Parameters) > 0 || len(d.Reset) > 0 {
		msg := "Setting parameters: " + strings.Join(d.Parameters, ", ")
		if len(d.Parameters) == 0 {
			msg = "Resetting parameters removed from the spec to their engine defaults"
		}
		e.record.Event(cr, event.Normal(reasonDrift, msg))
	}
	for _, m := range d.Modify {
		if _, err := e.rds.ModifyDBParameterGroup(ctx, m); err != nil {
			return managed.ExternalUpdate{}, errors.Wrap(err, errModify)
		}
	}
	for _, r := range d.Reset {
		if _, err := e.rds.ResetDBParameterGroup(ctx, r); err != nil {
			return managed.ExternalUpdate{}, errors.Wrap(err, errReset)
		}
	}
	if err := managedkit.ApplyTags(ctx, e.rds, e.observed.DBParameterGroupArn, d.TagsToAdd, d.TagsToRemove); err != nil {
		return managed.ExternalUpdate{}, err
	}
	names := strings.Join(parametergroup.Managed(cr.Spec.ForProvider), ",")
	if cr.GetAnnotations()[AnnotationManagedParameters] != names {
		if err := e.annotate(ctx, cr, AnnotationManagedParameters, names); err != nil {
			return managed.ExternalUpdate{}, errors.Wrap(err, errRecord)
		}
	}
	return managed.ExternalUpdate{}, nil
}

func (e *external) Delete(ctx context.Context, cr *v1beta1.ParameterGroup) (managed.ExternalDelete, error) {
	name := meta.GetExternalName(cr)
	_, err := e.rds.DeleteDBParameterGroup(ctx, &rds.DeleteDBParameterGroupInput{DBParameterGroupName: aws.String(name)})
	switch {
	case err == nil || isNotFound(err):
		return managed.ExternalDelete{}, nil
	case managedkit.ErrorCode(err) == "InvalidDBParameterGroupState":
		return managed.ExternalDelete{}, managedkit.InUse(ctx, e.rds, fmt.Sprintf("DB parameter group %q", name), err, func(db types.DBInstance) bool {
			for _, g := range db.DBParameterGroups {
				if aws.ToString(g.DBParameterGroupName) == name {
					return true
				}
			}
			return false
		})
	default:
		return managed.ExternalDelete{}, errors.Wrap(err, errDelete)
	}
}

func (e *external) Disconnect(context.Context) error { return nil }

func isNotFound(err error) bool {
	var nf *types.DBParameterGroupNotFoundFault
	return err != nil && (errors.As(err, &nf) || managedkit.ErrorCode(err) == "DBParameterGroupNotFound")
}
