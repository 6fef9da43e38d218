// Package subnetgroup is the controller of the RDS SubnetGroup managed
// resource.
package subnetgroup

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
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
	"github.com/provider-rds/provider-rds/internal/subnetgroup"
)

const (
	errDescribe = "cannot describe DB subnet group"
	errCreate   = "cannot create DB subnet group"
	errModify   = "cannot modify DB subnet group"
	errDelete   = "cannot delete DB subnet group"
	errName     = "external name %q is not a valid DB subnet group name: 1 to 255 letters, digits, periods, underscores, spaces or hyphens, and not \"default\""

	reasonDrift = event.Reason("CorrectingDrift")
)

// namePattern is what AWS accepts as a DB subnet group name.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html
var namePattern = regexp.MustCompile(`^[a-zA-Z0-9._ -]{1,255}$`)

// Kind is the managed kind this controller reconciles.
var Kind = managedkit.Kind{
	GroupVersionKind: v1beta1.SubnetGroupGroupVersionKind,
	New:              func() resource.Managed { return &v1beta1.SubnetGroup{} },
	NewList:          func() resource.ManagedList { return &v1beta1.SubnetGroupList{} },
}

// NamespacedKind is the Crossplane v2 namespaced SubnetGroup, reconciled by
// the same external client through its cluster form.
var NamespacedKind = managedkit.Kind{
	GroupVersionKind: nsv1beta1.SubnetGroupGroupVersionKind,
	New:              func() resource.Managed { return &nsv1beta1.SubnetGroup{} },
	NewList:          func() resource.ManagedList { return &nsv1beta1.SubnetGroupList{} },
}

// Setup adds the controllers that reconcile SubnetGroups of both scopes.
// The group name is the external name, defaulting to the object's name, so
// creation is idempotent and an existing group of that name is adopted.
func Setup(mgr ctrl.Manager, o managedkit.Options) error {
	return managedkit.SetupScopes(mgr, o, managedkit.Scopes[*v1beta1.SubnetGroup, *nsv1beta1.SubnetGroup]{
		Cluster: Kind, Namespaced: NamespacedKind,
		NewView:  func() *v1beta1.SubnetGroup { return &v1beta1.SubnetGroup{} },
		Region:   func(cr *v1beta1.SubnetGroup) string { return aws.ToString(cr.Spec.ForProvider.Region) },
		External: NewExternal,
	},
		managed.WithInitializers(managed.NewNameAsExternalName(mgr.GetClient())),
		managed.WithDeterministicExternalName(true),
		managed.WithCreationGracePeriod(0),
	)
}

// NewExternal builds a SubnetGroup's external client for one reconcile.
func NewExternal(s awsconfig.Session, scope managedkit.Scope) managed.TypedExternalClient[*v1beta1.SubnetGroup] {
	return &external{rds: s.RDS(), record: scope.Record, kind: scope.Kind, ownership: scope.Ownership}
}

// RDSAPI is the part of the RDS API this controller calls.
type RDSAPI interface {
	managedkit.TagsAPI
	managedkit.InstancesAPI
	DescribeDBSubnetGroups(ctx context.Context, in *rds.DescribeDBSubnetGroupsInput, opts ...func(*rds.Options)) (*rds.DescribeDBSubnetGroupsOutput, error)
	CreateDBSubnetGroup(ctx context.Context, in *rds.CreateDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.CreateDBSubnetGroupOutput, error)
	ModifyDBSubnetGroup(ctx context.Context, in *rds.ModifyDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.ModifyDBSubnetGroupOutput, error)
	DeleteDBSubnetGroup(ctx context.Context, in *rds.DeleteDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.DeleteDBSubnetGroupOutput, error)
}

// external manages one SubnetGroup's DB subnet group for the length of a
// reconcile.
type external struct {
	rds    RDSAPI
	record event.Recorder
	kind   managedkit.Kind
	// ownership is what the object may take over.
	ownership managedkit.Ownership

	// What Observe found, for Update and Delete.
	observed *types.DBSubnetGroup
	drift    subnetgroup.Drift
}

func (e *external) Observe(ctx context.Context, cr *v1beta1.SubnetGroup) (managed.ExternalObservation, error) {
	name := meta.GetExternalName(cr)
	if !namePattern.MatchString(name) || strings.EqualFold(name, "default") {
		if meta.WasDeleted(cr) {
			return managed.ExternalObservation{ResourceExists: false}, nil
		}
		return managed.ExternalObservation{}, errors.Errorf(errName, name)
	}
	out, err := e.rds.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(name)})
	if isNotFound(err) || (err == nil && len(out.DBSubnetGroups) == 0) {
		return managed.ExternalObservation{ResourceExists: false}, nil
	}
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrap(err, errDescribe)
	}
	g := out.DBSubnetGroups[0]
	e.observed = &g
	tags, err := managedkit.Tags(ctx, e.rds, g.DBSubnetGroupArn)
	if err != nil {
		return managed.ExternalObservation{}, err
	}
	if err := e.ownership.Refusal(e.kind, cr.GetNamespace(), "DB subnet group", name, managedkit.TagMap(tags), aws.ToString(cr.Status.AtProvider.ARN) == aws.ToString(g.DBSubnetGroupArn)); err != nil {
		e.observed = nil
		if meta.WasDeleted(cr) {
			return managed.ExternalObservation{ResourceExists: false}, nil // never delete another's group
		}
		return managed.ExternalObservation{}, err
	}
	cr.Status.AtProvider = subnetgroup.Observation(g, tags, aws.ToString(cr.Spec.ForProvider.Region), cr.Spec.ForProvider)
	cr.SetConditions(xpv2.Available())
	if meta.WasDeleted(cr) {
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	lateInitialized := subnetgroup.LateInitialize(&cr.Spec.ForProvider, cr.Spec.InitProvider, g)
	e.drift = subnetgroup.Diff(cr.Spec.ForProvider, g, tags, managedkit.DesiredTags(cr, e.kind, cr.Spec.ForProvider.Tags))
	diff := e.drift.Summary()
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: diff == "", ResourceLateInitialized: lateInitialized, Diff: diff}, nil
}

func (e *external) Create(ctx context.Context, cr *v1beta1.SubnetGroup) (managed.ExternalCreation, error) {
	if err := managedkit.OwnerTagsRefusal(cr, e.kind, cr.Spec.ForProvider.Tags); err != nil {
		return managed.ExternalCreation{}, err
	}
	in := subnetgroup.CreateInput(meta.GetExternalName(cr), cr.Spec.ForProvider, cr.Spec.InitProvider, managedkit.DesiredTags(cr, e.kind, cr.Spec.ForProvider.Tags))
	_, err := e.rds.CreateDBSubnetGroup(ctx, in)
	// A group of this name that already exists was created by an earlier
	// attempt whose result was not recorded, or is adopted: the next
	// observation takes it from there.
	if err != nil && managedkit.ErrorCode(err) != "DBSubnetGroupAlreadyExists" {
		return managed.ExternalCreation{}, errors.Wrap(err, errCreate)
	}
	return managed.ExternalCreation{}, nil
}

func (e *external) Update(ctx context.Context, cr *v1beta1.SubnetGroup) (managed.ExternalUpdate, error) {
	if e.observed == nil {
		return managed.ExternalUpdate{}, errors.New(errDescribe)
	}
	if e.drift.Modify != nil {
		e.record.Event(cr, event.Normal(reasonDrift, "Modifying DB subnet group to correct drift in: "+strings.Join(e.drift.Fields, ", ")))
		if _, err := e.rds.ModifyDBSubnetGroup(ctx, e.drift.Modify); err != nil {
			return managed.ExternalUpdate{}, errors.Wrap(err, errModify)
		}
	}
	return managed.ExternalUpdate{}, managedkit.ApplyTags(ctx, e.rds, e.observed.DBSubnetGroupArn, e.drift.TagsToAdd, e.drift.TagsToRemove)
}

func (e *external) Delete(ctx context.Context, cr *v1beta1.SubnetGroup) (managed.ExternalDelete, error) {
	name := meta.GetExternalName(cr)
	_, err := e.rds.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String(name)})
	switch {
	case err == nil || isNotFound(err):
		return managed.ExternalDelete{}, nil
	case managedkit.ErrorCode(err) == "InvalidDBSubnetGroupStateFault":
		return managed.ExternalDelete{}, managedkit.InUse(ctx, e.rds, fmt.Sprintf("DB subnet group %q", name), err, func(db types.DBInstance) bool {
			return db.DBSubnetGroup != nil && strings.EqualFold(aws.ToString(db.DBSubnetGroup.DBSubnetGroupName), name)
		})
	default:
		return managed.ExternalDelete{}, errors.Wrap(err, errDelete)
	}
}

func (e *external) Disconnect(context.Context) error { return nil }

func isNotFound(err error) bool {
	var nf *types.DBSubnetGroupNotFoundFault
	return err != nil && (errors.As(err, &nf) || managedkit.ErrorCode(err) == "DBSubnetGroupNotFoundFault")
}
