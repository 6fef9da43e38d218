package instance

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/fleetobserver"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

const (
	errDescribe             = "cannot describe DB instance"
	errCreate               = "cannot create DB instance"
	errModify               = "cannot modify DB instance"
	errDelete               = "cannot delete DB instance"
	errCreateParameters     = "cannot compute creation parameters"
	errInvalidSpec          = "nothing is created: AWS would refuse this spec, or make another database than it describes: "
	errDisableProtection    = "cannot turn off deletion protection before deleting the DB instance"
	errDeletionProtected    = "deletion protection is on: set spec.forProvider.deletionProtection to false to delete the DB instance"
	errPersistAnnotation    = "cannot record the applied password version"
	errPasswordNeeded       = "a master password is required to stop AWS managing it; set passwordSecretRef or autoGeneratePassword"
	errNoFinalSnapshot      = "the DB instance is %s, and AWS takes no final snapshot of a DB instance in that state: set spec.forProvider.skipFinalSnapshot to true to delete it without one"
	errResourceIDNotFound   = "external name %q is a DB instance resource ID (as the reference provider records it), and no DB instance in this account and region has it; the provider creates nothing under a resource ID. Check the ProviderConfig and region, or set crossplane.io/external-name to an identifier to create a new database"
	errUnresolvedReferences = "nothing is created while these references are unresolved: %s. Their resolution policy is Optional, and a DB instance created without them would take AWS's defaults (default subnet group, key, security group), which cannot all be changed afterwards; make the referenced objects exist and be ready, or set the value fields directly"
	errPromote              = "cannot promote the read replica"
	errPersistCreatedFrom   = "cannot record what the DB instance was made from"
	errPersistReplicaOf     = "cannot record the source of the read replica"
	errCannotApply          = "Cannot apply on an existing DB instance: "
	errRegionChanged        = "spec.forProvider.region is create-only: the DB instance is in %s (status.atProvider.arn), and RDS cannot move it to %s; nothing is looked up or created there. Set region back to %s; to have the database in another region, restore a snapshot copied there into a new Instance"
	errForeignInstance      = "DB instance %q already exists and this Instance did not create it, so the provider leaves it alone. To adopt it, remove the annotation %s (kubectl annotate instances.rds.aws.upbound.io %s %s-); to create a new database instead, set crossplane.io/external-name to an identifier that is free"
	reasonDrift             = event.Reason("CorrectingDrift")
	reasonCannotApply       = event.Reason("CannotApply")
	reasonPromotion         = event.Reason("PromotingReadReplica")
	reasonIgnoredFields     = event.Reason("IgnoredFields")
	reasonFinalSnapshot     = event.Reason("FinalSnapshot")
	reasonPasswordRotation  = event.Reason("RotatingPassword")
	reasonChangesPending    = event.Reason("ChangesPending")
	reasonPasswordPending   = event.Reason("PasswordPending")
)

// RDSAPI is the part of the RDS API this controller calls.
type RDSAPI interface {
	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, opts ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
	CreateDBInstance(ctx context.Context, in *rds.CreateDBInstanceInput, opts ...func(*rds.Options)) (*rds.CreateDBInstanceOutput, error)
	CreateDBInstanceReadReplica(ctx context.Context, in *rds.CreateDBInstanceReadReplicaInput, opts ...func(*rds.Options)) (*rds.CreateDBInstanceReadReplicaOutput, error)
	RestoreDBInstanceFromDBSnapshot(ctx context.Context, in *rds.RestoreDBInstanceFromDBSnapshotInput, opts ...func(*rds.Options)) (*rds.RestoreDBInstanceFromDBSnapshotOutput, error)
	RestoreDBInstanceToPointInTime(ctx context.Context, in *rds.RestoreDBInstanceToPointInTimeInput, opts ...func(*rds.Options)) (*rds.RestoreDBInstanceToPointInTimeOutput, error)
	RestoreDBInstanceFromS3(ctx context.Context, in *rds.RestoreDBInstanceFromS3Input, opts ...func(*rds.Options)) (*rds.RestoreDBInstanceFromS3Output, error)
	ModifyDBInstance(ctx context.Context, in *rds.ModifyDBInstanceInput, opts ...func(*rds.Options)) (*rds.ModifyDBInstanceOutput, error)
	PromoteReadReplica(ctx context.Context, in *rds.PromoteReadReplicaInput, opts ...func(*rds.Options)) (*rds.PromoteReadReplicaOutput, error)
	DeleteDBInstance(ctx context.Context, in *rds.DeleteDBInstanceInput, opts ...func(*rds.Options)) (*rds.DeleteDBInstanceOutput, error)
	AddTagsToResource(ctx context.Context, in *rds.AddTagsToResourceInput, opts ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error)
	RemoveTagsFromResource(ctx context.Context, in *rds.RemoveTagsFromResourceInput, opts ...func(*rds.Options)) (*rds.RemoveTagsFromResourceOutput, error)
	ListTagsForResource(ctx context.Context, in *rds.ListTagsForResourceInput, opts ...func(*rds.Options)) (*rds.ListTagsForResourceOutput, error)
	CreateBlueGreenDeployment(ctx context.Context, in *rds.CreateBlueGreenDeploymentInput, opts ...func(*rds.Options)) (*rds.CreateBlueGreenDeploymentOutput, error)
	DescribeBlueGreenDeployments(ctx context.Context, in *rds.DescribeBlueGreenDeploymentsInput, opts ...func(*rds.Options)) (*rds.DescribeBlueGreenDeploymentsOutput, error)
	SwitchoverBlueGreenDeployment(ctx context.Context, in *rds.SwitchoverBlueGreenDeploymentInput, opts ...func(*rds.Options)) (*rds.SwitchoverBlueGreenDeploymentOutput, error)
	DeleteBlueGreenDeployment(ctx context.Context, in *rds.DeleteBlueGreenDeploymentInput, opts ...func(*rds.Options)) (*rds.DeleteBlueGreenDeploymentOutput, error)
}

// instanceObserver describes DB instances for reconciles, batching the
// calls of many (a fleetobserver.Fleet), and is told of this provider's
// changes so that no reconcile acts on a description from before them.
type instanceObserver interface {
	Observe(ctx context.Context, name string, w fleetobserver.Watcher, maxAge time.Duration, resourceIDLike bool) (db *types.DBInstance, fresh bool, err error)
	Changed(name string)
	Deleted(name string)
	Forget(name string, w fleetobserver.Watcher)
}

// external manages one Instance's DB instance for the length of a reconcile.
type external struct {
	rds       RDSAPI
	instances instanceObserver
	// watcher is the Instance as the observer knows it, and poll its poll
	// interval: how old a description may be.
	watcher   fleetobserver.Watcher
	poll      time.Duration
	passwords passwords
	annotate  func(ctx context.Context, obj metav1.Object, key, value string) error
	record    event.Recorder
	now       func() time.Time
	// kind of the managed resource, for its tags: this kind or its
	// namespaced twin; ownership what it may take over.
	kind      managedkit.Kind
	ownership managedkit.Ownership
	// keyARN resolves a KMS alias to its key's ARN.
	keyARN func(ctx context.Context, alias string) (string, error)

	// What Observe found, so that Update and Delete act on it without
	// describing the instance, reading the password or diffing again.
	observed *types.DBInstance
	drift    rdsinstance.Drift
	password masterPassword
	plan     passwordPlan
	// blueGreen is the Blue/Green deployment under way, if any: while it
	// is, the reconcile only advances it.
	blueGreen *blueGreen
	// refusals are what the spec asks and the provider will not or cannot
	// do, for Synced.
	refusals []string
}

// identifierPattern is the syntax RDS accepts for a DB instance identifier.
var identifierPattern = regexp.MustCompile(`^[a-zA-Z](-?[a-zA-Z0-9])*$`)

// resourceIDLike matches external names the reference provider may have
// recorded as a DbiResourceId (its lookup rule), and resourceID those that
// can only be one: "db-" and 26 upper-case letters and digits, where
// identifiers are lower-case.
var (
	resourceIDLike = regexp.MustCompile(`^db-[0-9A-Za-z]{2,255}$`)
	resourceID     = regexp.MustCompile(`^db-[0-9A-Z]{26}$`)
)

func validIdentifier(id string) error {
	if len(id) > 63 || !identifierPattern.MatchString(id) {
		return errors.Errorf("external name %q is not a valid DB instance identifier: 1 to 63 letters, digits or hyphens, starting with a letter, without two hyphens in a row or a trailing hyphen", id)
	}
	return nil
}

func (e *external) Observe(ctx context.Context, cr *v1beta3.Instance) (managed.ExternalObservation, error) {
	id := meta.GetExternalName(cr)
	if err := validIdentifier(id); err != nil {
		if meta.WasDeleted(cr) {
			// No DB instance can have this identifier, so there is nothing
			// to delete; let the Instance go instead of blocking on it.
			return managed.ExternalObservation{ResourceExists: false}, nil
		}
		return managed.ExternalObservation{}, err
	}
	// Before any call in the spec's region: a DB instance in another one
	// would not be found there, and a second, empty one would be created.
	if err := regionUnchanged(cr); err != nil {
		return managed.ExternalObservation{}, err
	}
	// A first look, on a copy, may use the fleet's last description. When
	// what it finds will make the reconcile create, change or delete the
	// DB instance, the reconcile looks again with a description made now:
	// it acts only on what AWS says at the time.
	probe := cr.DeepCopy()
	o, fresh, err := e.observe(ctx, probe, id, e.maxAge(cr))
	if err == nil && !fresh && acts(probe, o) {
		o, _, err = e.observe(ctx, cr, id, 0)
		return o, err
	}
	*cr = *probe
	return o, err
}

// AnnotationReplicaOf records the source an Instance named while its DB
// instance was a read replica of it. Only an Instance that named its
// source is promoted when the source is removed from its spec: promotion
// cannot be undone, and an Instance that adopted a replica without ever
// naming a source did not ask for it.
const AnnotationReplicaOf = "rds.aws.upbound.io/read-replica-of"

// replicaDeclared records the source a replica's spec names, and turns a
// promotion the Instance never asked for into a refusal that says how to.
func (e *external) replicaDeclared(ctx context.Context, cr *v1beta3.Instance, db types.DBInstance, drift *rdsinstance.Drift) error {
	source := aws.ToString(db.ReadReplicaSourceDBInstanceIdentifier)
	if source != "" && cr.Spec.ForProvider.ReplicateSourceDB != nil {
		return errors.Wrap(e.annotate(ctx, cr, AnnotationReplicaOf, source), errPersistReplicaOf)
	}
	if drift.Promote && cr.Spec.InitProvider.ReplicateSourceDB != nil {
		// Named in initProvider: the replica relation is set at creation
		// and not managed afterwards, as every initProvider field.
		drift.Promote = false
		return nil
	}
	if drift.Promote && cr.GetAnnotations()[AnnotationReplicaOf] == "" {
		drift.Promote = false
		drift.CannotApply = append(drift.CannotApply, fmt.Sprintf("replicateSourceDb: the DB instance is a read replica of %q, and this Instance never named a source, so it is not promoted: name %q in replicateSourceDb to keep it a replica, or name it and then remove it to promote it", source, source))
	}
	return nil
}

// AnnotationCreatedFrom records what the DB instance was restored or
// imported from (rdsinstance.CreationSource): RDS reads snapshotIdentifier,
// restoreToPointInTime and s3Import only when it creates the DB instance,
// so a later edit of them is reported instead of silently ignored.
const AnnotationCreatedFrom = "rds.aws.upbound.io/created-from"

// creationSourceKept reports an edit of the fields RDS reads only at
// creation. An Instance with no record (adopted, or migrated from the
// reference provider) takes its spec's as the record.
func (e *external) creationSourceKept(ctx context.Context, cr *v1beta3.Instance, drift *rdsinstance.Drift) error {
	want := rdsinstance.CreationSource(cr.Spec.ForProvider)
	have := cr.GetAnnotations()[AnnotationCreatedFrom]
	if have == "" {
		return errors.Wrap(e.annotate(ctx, cr, AnnotationCreatedFrom, want), errPersistCreatedFrom)
	}
	if have != want {
		drift.CannotApply = append(drift.CannotApply, fmt.Sprintf("snapshotIdentifier, restoreToPointInTime, s3Import: the DB instance was made from %s, and the spec now names %s; RDS restores and imports only when it creates a DB instance. Put the fields back, or restore into a new Instance", have, want))
	}
	return nil
}

// regionUnchanged refuses a region that differs from the one the DB
// instance was observed in (its ARN's): RDS cannot move a DB instance, and
// looking for it in the new region finds nothing, so the reconcile would
// create a second, empty database there, or, during deletion, leave the
// real one behind. The Instance says so until the region is put back,
// whether it is being deleted or not.
func regionUnchanged(cr *v1beta3.Instance) error {
	have := regionOfARN(aws.ToString(cr.Status.AtProvider.Arn))
	want := aws.ToString(cr.Spec.ForProvider.Region)
	if have == "" || want == "" || have == want {
		return nil
	}
	return errors.Errorf(errRegionChanged, have, want, have)
}

// regionOfARN returns the region of an RDS ARN
// (arn:PARTITION:rds:REGION:ACCOUNT:db:ID), or "" if it is not one.
func regionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" || parts[2] != "rds" {
		return ""
	}
	return parts[3]
}

// acts reports whether the managed reconciler acts on the DB instance
// after an observation: creates, updates or deletes it. A change that is
// only refused (Diff empty) sends nothing.
func acts(cr *v1beta3.Instance, o managed.ExternalObservation) bool {
	if meta.WasDeleted(cr) {
		return o.ResourceExists
	}
	return !o.ResourceExists || o.Diff != "" || o.ResourceLateInitialized
}

// observe is one observation of the DB instance of an external name, from
// a description no older than maxAge; fresh says whether it was made for
// this observation.
func (e *external) observe(ctx context.Context, cr *v1beta3.Instance, id string, maxAge time.Duration) (managed.ExternalObservation, bool, error) {
	found, fresh, err := e.find(ctx, cr, id, maxAge)
	if err != nil || found == nil {
		return managed.ExternalObservation{ResourceExists: false}, fresh && err == nil, err
	}
	db := *found
	e.observed = &db
	cr.Status.AtProvider = rdsinstance.Observation(db, cr.Spec.ForProvider)
	cr.SetConditions(rdsinstance.ReadyCondition(aws.ToString(db.DBInstanceStatus)))
	if meta.WasDeleted(cr) {
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, fresh, nil
	}
	o, err := e.compare(ctx, cr, db)
	return o, fresh, err
}

// find returns the DB instance of an external name that this Instance may
// act on, or nil. A DB instance it may not act on is an error, or, while
// the Instance is being deleted, none: the Instance never deletes another
// object's database, nor one it did not create.
func (e *external) find(ctx context.Context, cr *v1beta3.Instance, id string, maxAge time.Duration) (*types.DBInstance, bool, error) {
	found, fresh, err := e.instances.Observe(ctx, id, e.watcher, maxAge, resourceIDLike.MatchString(id))
	if err != nil {
		return nil, false, errors.Wrap(err, errDescribe)
	}
	if found == nil {
		if meta.WasDeleted(cr) {
			e.instances.Forget(id, e.watcher)
			// The DB instance is gone, so its generated password goes too:
			// here, the one place that sees it gone, whether this
			// provider's Delete made it go or not (the provider restarted
			// meanwhile, or someone else deleted it).
			if err := e.passwords.deleteGenerated(ctx, cr); err != nil {
				return nil, false, err
			}
		}
		return nil, fresh, nil
	}
	refusal := e.ownership.Refusal(e.kind, cr.GetNamespace(), "DB instance", id, managedkit.TagMap(found.TagList), known(cr, *found))
	if refusal == nil && notOurs(cr, *found, e.kind) {
		refusal = errors.Errorf(errForeignInstance, id, AnnotationNewInstance, cr.GetName(), AnnotationNewInstance)
	}
	switch {
	case refusal != nil && meta.WasDeleted(cr):
		return nil, fresh, nil
	case refusal != nil:
		return nil, false, refusal
	}
	return found, fresh, nil
}

// compare decides what the reconcile does to an existing DB instance:
// late-initialises the spec, plans the master password, diffs, and reports
// what waits and what is refused.
func (e *external) compare(ctx context.Context, cr *v1beta3.Instance, db types.DBInstance) (managed.ExternalObservation, error) {
	lateInitialized := rdsinstance.LateInitialize(&cr.Spec.ForProvider, cr.Spec.InitProvider, db)
	pw, err := e.appliedPassword(ctx, cr, db)
	if err != nil {
		return managed.ExternalObservation{}, err
	}
	plan, err := e.planPassword(ctx, cr, db, pw)
	if err != nil {
		return managed.ExternalObservation{}, err
	}
	drift, err := e.diff(ctx, cr, db)
	if err != nil {
		return managed.ExternalObservation{}, err
	}
	bg, err := e.observeBlueGreen(ctx, cr, drift)
	if err != nil {
		return managed.ExternalObservation{}, err
	}
	bgRefusal, bgDiff := e.reportBlueGreen(cr, bg)
	if bg != nil {
		// The deployment is the change under way: nothing else is sent
		// to the DB instance until it is over.
		drift, plan.set = rdsinstance.Drift{CannotApply: drift.CannotApply}, false
	}
	refusals := e.report(cr, db, drift, plan, bgRefusal)
	e.drift, e.password, e.plan, e.refusals, e.blueGreen = drift, pw, plan, refusals, bg
	diff := drift.Summary()
	if bgDiff != "" {
		diff = bgDiff
	} else if old := cr.GetAnnotations()[AnnotationBlueGreenRetired]; old != "" {
		diff = strings.TrimPrefix(diff+", deleting "+old+" after the Blue/Green switchover", ", ")
	}
	if plan.set {
		diff = strings.TrimPrefix(diff+", "+rdsinstance.ChangePassword, ", ")
	}
	return managed.ExternalObservation{
		ResourceExists: true,
		// A refusal keeps the Instance out of date, so that Update says
		// so on Synced, where GitOps tools look; Diff names only what
		// can be sent.
		ResourceUpToDate:        diff == "" && len(refusals) == 0,
		ResourceLateInitialized: lateInitialized,
		ConnectionDetails:       rdsinstance.ConnectionDetails(db, plan.published),
		Diff:                    diff,
	}, nil
}

// diff is what differs between the spec and the DB instance, with the
// replica and creation-source rules applied.
func (e *external) diff(ctx context.Context, cr *v1beta3.Instance, db types.DBInstance) (rdsinstance.Drift, error) {
	want, err := e.withKeyARNs(ctx, cr.Spec.ForProvider)
	if err != nil {
		return rdsinstance.Drift{}, err
	}
	drift := rdsinstance.Diff(want, db, e.desiredTags(cr))
	if err := e.replicaDeclared(ctx, cr, db, &drift); err != nil {
		return rdsinstance.Drift{}, err
	}
	if err := e.creationSourceKept(ctx, cr, &drift); err != nil {
		return rdsinstance.Drift{}, err
	}
	return drift, nil
}

// report sets the standing conditions of what AWS cannot apply, what is
// ignored, what waits and the password, and returns what the provider
// refuses, for Synced.
func (e *external) report(cr *v1beta3.Instance, db types.DBInstance, drift rdsinstance.Drift, plan passwordPlan, bgRefusal string) []string {
	managedkit.Warn(e.record, cr, managedkit.TypeCannotApply, reasonCannotApply, errCannotApply+strings.Join(drift.CannotApply, "; "), len(drift.CannotApply) > 0)
	ignored := ignoredFields(cr.Spec.ForProvider)
	managedkit.Warn(e.record, cr, managedkit.TypeIgnoredFields, reasonIgnoredFields, "These fields are accepted for compatibility but not honoured yet: "+strings.Join(ignored, ", "), len(ignored) > 0)
	pending := rdsinstance.PendingSummary(db)
	managedkit.Inform(e.record, cr, managedkit.TypeChangesPending, reasonChangesPending, pendingMessage(cr, pending), len(pending) > 0)
	report := managedkit.Warn
	if plan.set || rdsinstance.PasswordPending(db) {
		report = managedkit.Inform // under way, nothing for the user to do
	}
	report(e.record, cr, managedkit.TypePasswordPending, reasonPasswordPending, plan.waiting, plan.waiting != "")

	refusals := append([]string{}, drift.CannotApply...)
	for _, f := range ignored {
		refusals = append(refusals, f+": accepted for compatibility, not honoured yet")
	}
	if bgRefusal != "" {
		refusals = append(refusals, bgRefusal)
	}
	if err := managedkit.OwnerTagsRefusal(cr, e.kind, cr.Spec.ForProvider.Tags); err != nil {
		refusals = append(refusals, err.Error())
	}
	return refusals
}

// pendingMessage explains changes AWS accepted and has not applied yet.
func pendingMessage(cr *v1beta3.Instance, pending []string) string {
	msg := "AWS has accepted and not yet applied: " + strings.Join(pending, "; ")
	if !aws.ToBool(cr.Spec.ForProvider.ApplyImmediately) {
		msg += ". Modifications wait for the DB instance's next maintenance window unless spec.forProvider.applyImmediately is true"
	}
	return msg
}

// maxAge is how old a description an observation may use: as old as the
// poll interval, as the fleet's sweep keeps it; during a short transition
// (creating, modifying, ...), or before the first observation, newer, so
// that the fleet describes the instance as often and Ready follows AWS
// within seconds.
func (e *external) maxAge(cr *v1beta3.Instance) time.Duration {
	if s := aws.ToString(cr.Status.AtProvider.Status); s == "" || rdsinstance.InTransition(s) {
		return transitionMaxAge(e.poll)
	}
	return e.poll
}

// appliedPassword returns the master password the spec asks for, as far as
// the provider knows it.
func (e *external) appliedPassword(ctx context.Context, cr *v1beta3.Instance, db types.DBInstance) (masterPassword, error) {
	if db.ReadReplicaSourceDBInstanceIdentifier != nil {
		return masterPassword{}, nil // a replica has its source's master user
	}
	return e.passwords.current(ctx, cr, false)
}

// creation is what creating an Instance's DB instance takes, once the
// checks made before any call have passed.
type creation struct {
	method rdsinstance.CreationMethod
	params v1beta3.InstanceParameters
	tags   []types.Tag
}

// prepareCreate makes the checks the controller makes before it creates a
// DB instance, and returns what the create call is made of. The plan
// command makes the same checks through Preview.
func (e *external) prepareCreate(cr *v1beta3.Instance) (creation, error) {
	id := meta.GetExternalName(cr)
	if resourceID.MatchString(id) {
		// A migrated object whose database is gone, or in another account
		// or region: creating one named after the old resource ID would
		// give the application a new, empty database.
		return creation{}, errors.Errorf(errResourceIDNotFound, id)
	}
	p, err := rdsinstance.CreateParameters(cr.Spec)
	if err != nil {
		return creation{}, errors.Wrap(err, errCreateParameters)
	}
	if unresolved := rdsinstance.UnresolvedReferences(p); len(unresolved) > 0 {
		return creation{}, errors.Errorf(errUnresolvedReferences, strings.Join(unresolved, ", "))
	}
	method, err := rdsinstance.MethodFor(p)
	if err != nil {
		return creation{}, err
	}
	if problems := rdsinstance.Validate(p, method); len(problems) > 0 {
		return creation{}, errors.New(errInvalidSpec + strings.Join(problems, "; "))
	}
	if err := managedkit.OwnerTagsRefusal(cr, e.kind, cr.Spec.ForProvider.Tags); err != nil {
		return creation{}, err
	}
	return creation{method: method, params: p, tags: rdstags.TagList(e.desiredTags(cr))}, nil
}

// credentials are the master user and password a creation sends: none for
// a method that takes them from its source.
func (c creation) credentials(pw masterPassword) rdsinstance.Credentials {
	if c.method.InheritsCredentials() {
		return rdsinstance.Credentials{}
	}
	creds := rdsinstance.Credentials{Username: aws.ToString(c.params.Username), Password: pw.value}
	if creds.Username == "" {
		creds.Username = rdsinstance.DefaultUsername(aws.ToString(c.params.Engine))
	}
	return creds
}

func (e *external) Create(ctx context.Context, cr *v1beta3.Instance) (managed.ExternalCreation, error) {
	id := meta.GetExternalName(cr)
	// Whatever the outcome, the next observation must come from a call
	// made after this attempt: a create that timed out may have worked.
	defer e.instances.Changed(id)
	c, err := e.prepareCreate(cr)
	if err != nil {
		return managed.ExternalCreation{}, err
	}
	var pw masterPassword
	if c.method != rdsinstance.CreateReadReplica {
		if pw, err = e.passwords.current(ctx, cr, true); err != nil {
			return managed.ExternalCreation{}, err
		}
	}
	creds := c.credentials(pw)
	if creds.Password != "" {
		// Recorded before the call, and persisted at once: a create whose
		// answer is lost (a connection reset, a timeout, the provider
		// killed) may still have made the instance with this password,
		// which must then not be set again as if the Secret had changed.
		// (crossplane-runtime's own update after a create keeps only its
		// annotations when it meets a conflict.)
		if err := e.annotate(ctx, cr, AnnotationPasswordVersion, pw.version); err != nil {
			return managed.ExternalCreation{}, errors.Wrap(err, errPersistAnnotation)
		}
	} else if c.method.Restores() && pw.known() {
		// AWS's restore calls take no master password: the restored DB
		// instance keeps its source's. Recorded so, the Secret's password
		// is set once the instance accepts changes, and published only
		// once AWS has applied it.
		if err := e.annotate(ctx, cr, AnnotationPasswordVersion, restoredPasswordVersion); err != nil {
			return managed.ExternalCreation{}, errors.Wrap(err, errPersistAnnotation)
		}
	}
	if err := e.annotate(ctx, cr, AnnotationCreatedFrom, rdsinstance.CreationSource(c.params)); err != nil {
		return managed.ExternalCreation{}, errors.Wrap(err, errPersistCreatedFrom)
	}
	req, err := rdsinstance.CreateRequest(c.method, id, c.params, creds, c.tags)
	if err != nil {
		return managed.ExternalCreation{}, err
	}
	// An instance that already exists under this identifier was created by
	// an earlier attempt whose result was not recorded (or is adopted); the
	// next observation takes it from there, so creation stays idempotent.
	if err := e.send(ctx, req); err != nil && !isAlreadyExists(err) {
		return managed.ExternalCreation{}, errors.Wrapf(err, "%s with %s", errCreate, c.method)
	}
	return managed.ExternalCreation{}, nil
}

// send makes the call of a creation request (rdsinstance.CreateRequest).
func (e *external) send(ctx context.Context, req any) error {
	var err error
	switch in := req.(type) {
	case *rds.CreateDBInstanceInput:
		_, err = e.rds.CreateDBInstance(ctx, in)
	case *rds.RestoreDBInstanceFromDBSnapshotInput:
		_, err = e.rds.RestoreDBInstanceFromDBSnapshot(ctx, in)
	case *rds.RestoreDBInstanceToPointInTimeInput:
		_, err = e.rds.RestoreDBInstanceToPointInTime(ctx, in)
	case *rds.CreateDBInstanceReadReplicaInput:
		_, err = e.rds.CreateDBInstanceReadReplica(ctx, in)
	case *rds.RestoreDBInstanceFromS3Input:
		_, err = e.rds.RestoreDBInstanceFromS3(ctx, in)
	default:
		err = errors.Errorf("no call sends a %T", req)
	}
	return err
}

func (e *external) Update(ctx context.Context, cr *v1beta3.Instance) (managed.ExternalUpdate, error) {
	if e.observed == nil {
		return managed.ExternalUpdate{}, errors.New(errDescribe)
	}
	db, drift, pw, rotate := *e.observed, e.drift, e.password, e.plan.set
	// What RDS cannot do is reported as this update's failure: Synced
	// False with the reason, and retried only at the failure back-off,
	// with no AWS call unless something else can be sent.
	var refused error
	if len(e.refusals) > 0 {
		refused = errors.New(errCannotApply + strings.Join(e.refusals, "; "))
	}
	if e.blueGreen != nil {
		defer e.instances.Changed(meta.GetExternalName(cr))
		if err := e.advanceBlueGreen(ctx, cr, *e.blueGreen); err != nil {
			return managed.ExternalUpdate{}, err
		}
		return managed.ExternalUpdate{}, refused
	}
	if err := e.retire(ctx, cr); err != nil {
		return managed.ExternalUpdate{}, err
	}
	if drift.UpToDate() && !rotate && !drift.NeedsPassword {
		return managed.ExternalUpdate{}, refused
	}
	defer e.instances.Changed(meta.GetExternalName(cr))
	if drift.BlueGreen != nil {
		if err := e.startBlueGreen(ctx, cr, db, *drift.BlueGreen); err != nil {
			return managed.ExternalUpdate{}, err
		}
		return managed.ExternalUpdate{}, refused
	}
	if drift.Promote {
		e.record.Event(cr, event.Normal(reasonPromotion, "Promoting the read replica of "+cr.GetAnnotations()[AnnotationReplicaOf]+" to a standalone DB instance: spec.forProvider.replicateSourceDb was removed"))
		if _, err := e.rds.PromoteReadReplica(ctx, &rds.PromoteReadReplicaInput{DBInstanceIdentifier: db.DBInstanceIdentifier}); err != nil {
			return managed.ExternalUpdate{}, errors.Wrap(err, errPromote)
		}
		return managed.ExternalUpdate{}, refused
	}
	if err := e.modify(ctx, cr, db, drift, pw, rotate); err != nil {
		return managed.ExternalUpdate{}, err
	}
	if err := managedkit.ApplyTags(ctx, e.rds, db.DBInstanceArn, drift.TagsToAdd, drift.TagsToRemove); err != nil {
		return managed.ExternalUpdate{}, err
	}
	return managed.ExternalUpdate{ConnectionDetails: rdsinstance.ConnectionDetails(db, e.plan.published)}, refused
}

// modify sends the drift's modification, with the master password when it
// is set (rotate) or needed, and records the password then applied.
func (e *external) modify(ctx context.Context, cr *v1beta3.Instance, db types.DBInstance, drift rdsinstance.Drift, pw masterPassword, rotate bool) error {
	withPassword := rotate || drift.NeedsPassword
	in := drift.Modify
	if in == nil && withPassword {
		in = &rds.ModifyDBInstanceInput{DBInstanceIdentifier: db.DBInstanceIdentifier}
	}
	if in == nil {
		return nil
	}
	if withPassword {
		if !pw.known() {
			return errors.New(errPasswordNeeded)
		}
		in.MasterUserPassword = aws.String(pw.value)
	}
	if len(drift.Fields) > 0 {
		e.record.Event(cr, event.Normal(reasonDrift, "Modifying DB instance to correct drift in: "+strings.Join(drift.Fields, ", ")))
	}
	if rotate {
		e.record.Event(cr, event.Normal(reasonPasswordRotation, "Setting the master password from its changed Secret"))
	}
	if _, err := e.rds.ModifyDBInstance(ctx, in); err != nil {
		return errors.Wrap(err, errModify)
	}
	if withPassword {
		return errors.Wrap(e.annotate(ctx, cr, AnnotationPasswordVersion, pw.version), errPersistAnnotation)
	}
	return nil
}

func (e *external) Delete(ctx context.Context, cr *v1beta3.Instance) (managed.ExternalDelete, error) {
	if e.observed == nil {
		return managed.ExternalDelete{}, errors.New(errDescribe)
	}
	db := *e.observed
	id := meta.GetExternalName(cr)
	defer e.instances.Changed(id)
	if strings.EqualFold(aws.ToString(db.DBInstanceStatus), rdsinstance.StatusDeleting) {
		e.instances.Deleted(id)
		return managed.ExternalDelete{}, nil
	}
	if err := e.dropBlueGreen(ctx, cr); err != nil {
		return managed.ExternalDelete{}, err
	}
	fp := cr.Spec.ForProvider
	if err := e.unprotect(ctx, db, fp); err != nil {
		return managed.ExternalDelete{}, err
	}
	status := aws.ToString(db.DBInstanceStatus)
	if rdsinstance.TakesNoFinalSnapshot(status) && !aws.ToBool(fp.SkipFinalSnapshot) && db.ReadReplicaSourceDBInstanceIdentifier == nil {
		return managed.ExternalDelete{}, errors.Errorf(errNoFinalSnapshot, status)
	}

	in, snapshot := deleteInput(aws.ToString(db.DBInstanceIdentifier), fp, db.ReadReplicaSourceDBInstanceIdentifier != nil, aws.ToString(fp.FinalSnapshotIdentifier), e.now())
	if snapshot != "" {
		e.record.Event(cr, event.Normal(reasonFinalSnapshot, "Deleting the DB instance with final snapshot "+snapshot))
	}
	_, err := e.rds.DeleteDBInstance(ctx, in)
	if err != nil && !isNotFound(err) && !isAlreadyDeleting(err) {
		return managed.ExternalDelete{}, errors.Wrap(err, errDelete)
	}
	e.instances.Deleted(id)
	return managed.ExternalDelete{}, nil
}

// unprotect turns off a DB instance's deletion protection when the spec
// turned it off, before deleting it; protection the spec keeps on refuses
// the deletion.
func (e *external) unprotect(ctx context.Context, db types.DBInstance, fp v1beta3.InstanceParameters) error {
	if !aws.ToBool(db.DeletionProtection) {
		return nil
	}
	if fp.DeletionProtection == nil || *fp.DeletionProtection {
		return errors.New(errDeletionProtected)
	}
	_, err := e.rds.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{
		DBInstanceIdentifier: db.DBInstanceIdentifier, DeletionProtection: aws.Bool(false), ApplyImmediately: aws.Bool(true),
	})
	return errors.Wrap(err, errDisableProtection)
}

// deleteInput is the DeleteDBInstance request of a DB instance an Instance
// deletes: with a final snapshot unless skipFinalSnapshot is set or it is a
// read replica (RDS takes none of a replica, whose data lives on in its
// source). The snapshot is named name, or after the DB instance and the
// time when name is empty; its name is returned, empty without one.
func deleteInput(id string, fp v1beta3.InstanceParameters, replica bool, name string, now time.Time) (*rds.DeleteDBInstanceInput, string) {
	in := &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id), DeleteAutomatedBackups: fp.DeleteAutomatedBackups, SkipFinalSnapshot: aws.Bool(true)}
	if aws.ToBool(fp.SkipFinalSnapshot) || replica {
		return in, ""
	}
	if name == "" {
		name = rdsinstance.FinalSnapshotName(id, now)
	}
	in.SkipFinalSnapshot, in.FinalDBSnapshotIdentifier = aws.Bool(false), aws.String(name)
	return in, name
}

func (e *external) Disconnect(context.Context) error { return nil }

// desiredTags are the user's tags plus the Crossplane default tags. They
// are spelled out rather than taken from resource.GetExternalTags, which
// reads the kind from TypeMeta, and typed objects from the cache have none.
func (e *external) desiredTags(cr *v1beta3.Instance) map[string]string {
	return managedkit.DesiredTags(cr, e.kind, cr.Spec.ForProvider.Tags)
}

// ignoredFields lists spec fields that are accepted for compatibility with
// the reference schema but that this provider does not act on yet.
func ignoredFields(p v1beta3.InstanceParameters) []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(p.PasswordWoSecretRef != nil || p.PasswordWoVersion != nil, "passwordWoSecretRef/passwordWoVersion")
	add(aws.ToBool(p.UpgradeStorageConfig), "upgradeStorageConfig")
	return out
}

func isNotFound(err error) bool {
	var nf *types.DBInstanceNotFoundFault
	return err != nil && (errors.As(err, &nf) || managedkit.ErrorCode(err) == "DBInstanceNotFound")
}

func isAlreadyExists(err error) bool {
	var ae *types.DBInstanceAlreadyExistsFault
	return errors.As(err, &ae) || managedkit.ErrorCode(err) == "DBInstanceAlreadyExists"
}

func isAlreadyDeleting(err error) bool {
	return managedkit.ErrorCode(err) == "InvalidDBInstanceState" && strings.Contains(strings.ToLower(err.Error()), "already being deleted")
}
