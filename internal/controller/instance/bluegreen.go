package instance

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

// AnnotationBlueGreenDeployment records the Blue/Green deployment the
// provider made for an Instance, from its creation until it is deleted
// after the switchover: the deployment, not the DB instance, then says
// where the change stands, across restarts of the provider.
const AnnotationBlueGreenDeployment = "rds.aws.upbound.io/blue-green-deployment"

// AnnotationBlueGreenRetired records the DB instance a switchover left
// behind (the old one, renamed "-old1" by RDS) until it is deleted: the
// deployment that named it is deleted first, and this keeps it known.
const AnnotationBlueGreenRetired = "rds.aws.upbound.io/blue-green-retired-instance"

// AnnotationKeepBlueGreenSource, "true", keeps the DB instance a
// switchover leaves behind instead of deleting it: for a last look at the
// old database, or to switch back by hand.
const AnnotationKeepBlueGreenSource = "rds.aws.upbound.io/keep-blue-green-source"

const (
	errDescribeBlueGreen  = "cannot describe the Blue/Green deployment"
	errCreateBlueGreen    = "cannot create the Blue/Green deployment"
	errSwitchover         = "cannot switch over the Blue/Green deployment"
	errDeleteBlueGreen    = "cannot delete the Blue/Green deployment"
	errRetire             = "cannot delete the DB instance the switchover left behind"
	errPersistBlueGreen   = "cannot record the Blue/Green deployment"
	errNewResourceID      = "cannot record the resource ID of the DB instance after the switchover"
	reasonBlueGreen       = event.Reason("BlueGreenDeployment")
	reasonBlueGreenFailed = event.Reason("BlueGreenDeploymentFailed")

	// TypeBlueGreenDeployment reports a Blue/Green deployment under way:
	// True while one is, with its step; False after.
	TypeBlueGreenDeployment xpv2.ConditionType = "BlueGreenDeployment"
)

// blueGreenStep is what a reconcile does about a recorded deployment.
type blueGreenStep int

const (
	// bgWait: RDS is working (provisioning, switching over, deleting).
	bgWait blueGreenStep = iota
	// bgSwitchover: the green environment is ready; switch over to it.
	bgSwitchover
	// bgFinish: switched over; delete the deployment and retire the old
	// DB instance.
	bgFinish
	// bgAbandon: the spec no longer asks for the change and the
	// switchover has not happened; delete the deployment and its green
	// DB instance.
	bgAbandon
	// bgFailed: RDS could not make the green environment or switch over.
	// The DB instance serves as before; the user decides what next.
	bgFailed
)

// nextBlueGreenStep decides what to do about a deployment from its status
// and whether the spec still asks for a change a deployment makes.
func nextBlueGreenStep(status string, wanted bool) blueGreenStep {
	switch status {
	case rdsinstance.BlueGreenSwitchoverCompleted:
		return bgFinish
	case rdsinstance.BlueGreenSwitchoverInProgress, rdsinstance.BlueGreenDeleting:
		return bgWait
	}
	if !wanted {
		return bgAbandon
	}
	switch status {
	case rdsinstance.BlueGreenAvailable:
		return bgSwitchover
	case rdsinstance.BlueGreenSwitchoverFailed, rdsinstance.BlueGreenInvalidConfiguration:
		return bgFailed
	}
	return bgWait
}

// blueGreen is a deployment under way, as observed.
type blueGreen struct {
	deployment types.BlueGreenDeployment
	step       blueGreenStep
}

// observeBlueGreen describes the deployment the Instance recorded, if any;
// one that no longer exists (deleted by hand, to retry or give up) is
// forgotten.
func (e *external) observeBlueGreen(ctx context.Context, cr *v1beta3.Instance, drift rdsinstance.Drift) (*blueGreen, error) {
	id := cr.GetAnnotations()[AnnotationBlueGreenDeployment]
	if id == "" {
		return nil, nil
	}
	d, err := e.describeDeployment(ctx, id)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, errors.Wrap(e.annotate(ctx, cr, AnnotationBlueGreenDeployment, ""), errPersistBlueGreen)
	}
	return &blueGreen{deployment: *d, step: nextBlueGreenStep(aws.ToString(d.Status), drift.BlueGreen != nil)}, nil
}

// describeDeployment describes a Blue/Green deployment, nil when it no
// longer exists.
func (e *external) describeDeployment(ctx context.Context, id string) (*types.BlueGreenDeployment, error) {
	out, err := e.rds.DescribeBlueGreenDeployments(ctx, &rds.DescribeBlueGreenDeploymentsInput{BlueGreenDeploymentIdentifier: aws.String(id)})
	if isBlueGreenNotFound(err) || (err == nil && len(out.BlueGreenDeployments) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, errors.Wrap(err, errDescribeBlueGreen)
	}
	return &out.BlueGreenDeployments[0], nil
}

// keepsOldInstance says whether the Instance asks to keep the DB instance
// a switchover leaves behind.
func keepsOldInstance(cr *v1beta3.Instance) bool {
	return cr.GetAnnotations()[AnnotationKeepBlueGreenSource] == "true"
}

// endDeployment deletes a deployment and forgets it. Before the switchover
// its green DB instance goes with it; after, the old DB instance it left
// behind is recorded to be retired (unless the Instance keeps it), and
// RDS takes no DeleteTarget.
func (e *external) endDeployment(ctx context.Context, cr *v1beta3.Instance, d types.BlueGreenDeployment) error {
	completed := aws.ToString(d.Status) == rdsinstance.BlueGreenSwitchoverCompleted
	if old := rdsinstance.IdentifierOfARN(aws.ToString(d.Source)); completed && old != "" && !keepsOldInstance(cr) {
		if err := e.annotate(ctx, cr, AnnotationBlueGreenRetired, old); err != nil {
			return errors.Wrap(err, errPersistBlueGreen)
		}
	}
	if _, err := e.rds.DeleteBlueGreenDeployment(ctx, &rds.DeleteBlueGreenDeploymentInput{BlueGreenDeploymentIdentifier: d.BlueGreenDeploymentIdentifier, DeleteTarget: deleteTarget(!completed)}); err != nil && !isBlueGreenNotFound(err) {
		return errors.Wrap(err, errDeleteBlueGreen)
	}
	return errors.Wrap(e.annotate(ctx, cr, AnnotationBlueGreenDeployment, ""), errPersistBlueGreen)
}

// reportBlueGreen sets the BlueGreenDeployment condition from the step,
// and returns what the reconcile reports on Synced: a failure as a
// refusal, the steps that call AWS as the diff.
func (e *external) reportBlueGreen(cr *v1beta3.Instance, bg *blueGreen) (refusal, diff string) {
	if bg == nil {
		managedkit.Inform(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreen, "", false)
		return "", ""
	}
	d := bg.deployment
	id, status := aws.ToString(d.BlueGreenDeploymentIdentifier), aws.ToString(d.Status)
	green := rdsinstance.IdentifierOfARN(aws.ToString(d.Target))
	blue := meta.GetExternalName(cr)
	if e.observed != nil {
		blue = aws.ToString(e.observed.DBInstanceIdentifier)
	}
	switch bg.step {
	case bgFailed:
		msg := fmt.Sprintf("Blue/Green deployment %s is %s (%s). The DB instance %s keeps serving, unchanged. To try again, delete the deployment with its green DB instance %s (aws rds delete-blue-green-deployment --blue-green-deployment-identifier %s --delete-target): the provider then makes a new one. To give up, put the spec back to what %s runs, or set blueGreenUpdate.enabled to false to make the change in place: the provider then deletes the deployment and %s",
			id, status, aws.ToString(d.StatusDetails), blue, green, id, blue, green)
		managedkit.Warn(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreenFailed, msg, true)
		return msg, ""
	case bgSwitchover:
		managedkit.Inform(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreen, fmt.Sprintf("Blue/Green deployment %s: the green DB instance %s is ready; switching over to it", id, green), true)
		return "", "Blue/Green switchover"
	case bgFinish:
		managedkit.Inform(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreen, fmt.Sprintf("Blue/Green deployment %s switched over: the green DB instance serves as %s; deleting the deployment", id, green), true)
		return "", "Blue/Green deployment cleanup"
	case bgAbandon:
		managedkit.Inform(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreen, fmt.Sprintf("Blue/Green deployment %s: the spec no longer asks for its change; deleting it and its green DB instance %s", id, green), true)
		return "", "Blue/Green deployment withdrawn"
	}
	what := map[string]string{
		rdsinstance.BlueGreenProvisioning:         "RDS is making the green DB instance %[2]s with the new settings; %[3]s keeps serving",
		rdsinstance.BlueGreenSwitchoverInProgress: "RDS is switching over from %[3]s to %[2]s",
		rdsinstance.BlueGreenDeleting:             "RDS is deleting the deployment",
	}[status]
	if what == "" {
		what = "RDS reports it " + status
	}
	managedkit.Inform(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreen, fmt.Sprintf("Blue/Green deployment %[1]s: "+what, id, green, blue), true)
	return "", ""
}

// startBlueGreen makes the deployment of a change. A deployment of the DB
// instance that already exists (made by an attempt whose answer was lost)
// is taken up instead of making a second.
func (e *external) startBlueGreen(ctx context.Context, cr *v1beta3.Instance, db types.DBInstance, change rdsinstance.BlueGreen) error {
	out, err := e.rds.DescribeBlueGreenDeployments(ctx, &rds.DescribeBlueGreenDeploymentsInput{
		Filters: []types.Filter{{Name: aws.String("source"), Values: []string{aws.ToString(db.DBInstanceArn)}}},
	})
	if err != nil {
		return errors.Wrap(err, errDescribeBlueGreen)
	}
	for _, d := range out.BlueGreenDeployments {
		if s := aws.ToString(d.Status); s != rdsinstance.BlueGreenDeleting && s != rdsinstance.BlueGreenSwitchoverCompleted {
			return errors.Wrap(e.annotate(ctx, cr, AnnotationBlueGreenDeployment, aws.ToString(d.BlueGreenDeploymentIdentifier)), errPersistBlueGreen)
		}
	}
	name := rdsinstance.BlueGreenDeploymentName(aws.ToString(db.DBInstanceIdentifier), e.now())
	created, err := e.rds.CreateBlueGreenDeployment(ctx, rdsinstance.BlueGreenDeploymentInput(db, change, name, rdstags.TagList(e.desiredTags(cr))))
	if err != nil {
		return errors.Wrap(err, errCreateBlueGreen)
	}
	id := aws.ToString(created.BlueGreenDeployment.BlueGreenDeploymentIdentifier)
	e.record.Event(cr, event.Normal(reasonBlueGreen, fmt.Sprintf("Created Blue/Green deployment %s for %s: a green copy of the DB instance gets the change, and the provider switches over to it once it is ready", id, strings.Join(change.Fields, ", "))))
	return errors.Wrap(e.annotate(ctx, cr, AnnotationBlueGreenDeployment, id), errPersistBlueGreen)
}

// advanceBlueGreen takes the step the observation decided.
func (e *external) advanceBlueGreen(ctx context.Context, cr *v1beta3.Instance, bg blueGreen) error {
	d := bg.deployment
	id := d.BlueGreenDeploymentIdentifier
	switch bg.step {
	case bgSwitchover:
		e.record.Event(cr, event.Normal(reasonBlueGreen, "Switching over Blue/Green deployment "+aws.ToString(id)))
		_, err := e.rds.SwitchoverBlueGreenDeployment(ctx, &rds.SwitchoverBlueGreenDeploymentInput{BlueGreenDeploymentIdentifier: id})
		return errors.Wrap(err, errSwitchover)
	case bgAbandon:
		defer e.blueGreenOver(cr)
		e.record.Event(cr, event.Normal(reasonBlueGreen, fmt.Sprintf("Deleting Blue/Green deployment %s and its green DB instance %s: the spec no longer asks for its change", aws.ToString(id), rdsinstance.IdentifierOfARN(aws.ToString(d.Target)))))
		return e.endDeployment(ctx, cr, d)
	case bgFinish:
		defer e.blueGreenOver(cr)
		return e.finishBlueGreen(ctx, cr, d)
	}
	return nil
}

// blueGreenOver clears the BlueGreenDeployment condition once the last
// step is taken, with the status this reconcile writes.
func (e *external) blueGreenOver(cr *v1beta3.Instance) {
	if cr.GetAnnotations()[AnnotationBlueGreenDeployment] == "" {
		managedkit.Inform(e.record, cr, TypeBlueGreenDeployment, reasonBlueGreen, "", false)
	}
}

// finishBlueGreen ends a switched-over deployment: the Instance keeps
// finding its database, the deployment is deleted, and the DB instance it
// left behind is retired.
func (e *external) finishBlueGreen(ctx context.Context, cr *v1beta3.Instance, d types.BlueGreenDeployment) error {
	// After the switchover the deployment's source is the old DB instance
	// (renamed "-old1") and its target the new one, under the identifier.
	old := rdsinstance.IdentifierOfARN(aws.ToString(d.Source))
	current := rdsinstance.IdentifierOfARN(aws.ToString(d.Target))
	if err := e.followResourceID(ctx, cr, current); err != nil {
		return err
	}
	if err := e.endDeployment(ctx, cr, d); err != nil {
		return err
	}
	msg := fmt.Sprintf("Blue/Green deployment %s switched over and deleted: %s serves with the new settings", aws.ToString(d.BlueGreenDeploymentIdentifier), current)
	if keepsOldInstance(cr) {
		msg += fmt.Sprintf("; the old DB instance %s is kept (%s), and billed until you delete it", old, AnnotationKeepBlueGreenSource)
	}
	e.record.Event(cr, event.Normal(reasonBlueGreen, msg))
	return e.retire(ctx, cr)
}

// followResourceID keeps an Instance whose external name is a DbiResourceId
// (migrated from the reference provider, which records one) on its
// database: the switchover gave the database a new resource ID, and the old
// one now belongs to the DB instance left behind. The external name becomes
// the new resource ID, so the reference provider would still find it too.
func (e *external) followResourceID(ctx context.Context, cr *v1beta3.Instance, current string) error {
	if !resourceIDLike.MatchString(meta.GetExternalName(cr)) || current == "" {
		return nil
	}
	out, err := e.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(current)})
	if err != nil {
		return errors.Wrap(err, errDescribe)
	}
	if len(out.DBInstances) == 0 || out.DBInstances[0].DbiResourceId == nil {
		return errors.New(errNewResourceID)
	}
	// This reconcile observed the database by its old resource ID, which
	// is now the old DB instance's: the status this reconcile writes is the
	// new one's.
	cr.Status.AtProvider = rdsinstance.Observation(out.DBInstances[0], cr.Spec.ForProvider)
	return errors.Wrap(e.annotate(ctx, cr, meta.AnnotationKeyExternalName, aws.ToString(out.DBInstances[0].DbiResourceId)), errNewResourceID)
}

// retire deletes the DB instance a switchover left behind, as the Instance
// would delete its own: with a final snapshot unless skipFinalSnapshot,
// and turning off a deletion protection it copied from the old settings.
func (e *external) retire(ctx context.Context, cr *v1beta3.Instance) error {
	old := cr.GetAnnotations()[AnnotationBlueGreenRetired]
	if old == "" {
		return nil
	}
	out, err := e.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(old)})
	switch {
	case isNotFound(err):
	case err != nil:
		return errors.Wrap(err, errRetire)
	case len(out.DBInstances) > 0 && !strings.EqualFold(aws.ToString(out.DBInstances[0].DBInstanceStatus), rdsinstance.StatusDeleting):
		db := out.DBInstances[0]
		if aws.ToBool(db.DeletionProtection) {
			if _, err := e.rds.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String(old), DeletionProtection: aws.Bool(false), ApplyImmediately: aws.Bool(true)}); err != nil {
				return errors.Wrap(err, errRetire)
			}
		}
		// Its own final snapshot: finalSnapshotIdentifier names the
		// Instance's, taken when the Instance goes.
		in, snapshot := deleteInput(old, cr.Spec.ForProvider, false, "", e.now())
		msg := "Deleting " + old + ", the DB instance the Blue/Green switchover left behind, without a final snapshot (skipFinalSnapshot)"
		if snapshot != "" {
			msg = "Deleting " + old + ", the DB instance the Blue/Green switchover left behind, with final snapshot " + snapshot
		}
		e.record.Event(cr, event.Normal(reasonBlueGreen, msg))
		if _, err := e.rds.DeleteDBInstance(ctx, in); err != nil && !isNotFound(err) && !isAlreadyDeleting(err) {
			return errors.Wrap(err, errRetire)
		}
	}
	return errors.Wrap(e.annotate(ctx, cr, AnnotationBlueGreenRetired, ""), errPersistBlueGreen)
}

// dropBlueGreen deletes, with the Instance, the deployment recorded for it
// (and its green DB instance, unless the switchover made it the database
// being deleted), and the DB instance a switchover left behind.
func (e *external) dropBlueGreen(ctx context.Context, cr *v1beta3.Instance) error {
	if id := cr.GetAnnotations()[AnnotationBlueGreenDeployment]; id != "" {
		d, err := e.describeDeployment(ctx, id)
		switch {
		case err != nil:
			return err
		case d != nil:
			err = e.endDeployment(ctx, cr, *d)
		default:
			err = errors.Wrap(e.annotate(ctx, cr, AnnotationBlueGreenDeployment, ""), errPersistBlueGreen)
		}
		if err != nil {
			return err
		}
	}
	return e.retire(ctx, cr)
}

func isBlueGreenNotFound(err error) bool {
	var nf *types.BlueGreenDeploymentNotFoundFault
	return err != nil && (errors.As(err, &nf) || managedkit.ErrorCode(err) == "BlueGreenDeploymentNotFoundFault")
}

// deleteTarget is DeleteTarget as RDS takes it: absent after the
// switchover ("You can't specify this option if the blue/green deployment
// status is SWITCHOVER_COMPLETED").
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteBlueGreenDeployment.html
func deleteTarget(green bool) *bool {
	if !green {
		return nil
	}
	return aws.Bool(true)
}
