package instance

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	kubetypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/fleetobserver"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

// A Preview is what the next reconcile of an Instance would do to its DB
// instance, found by the controller's own observation and checks, with
// nothing written to AWS or to the cluster.
type Preview struct {
	// Observed is the DB instance; nil when there is none, and the
	// reconcile would create one with Creation.
	Observed *types.DBInstance
	Creation *CreationPreview
	// Drift is what the reconcile would modify, SetsPassword whether it
	// would set the master password, and Diff its summary.
	Drift        rdsinstance.Drift
	SetsPassword bool
	Diff         string
	// Refusals are what the spec asks and the controller refuses, as
	// Synced would say.
	Refusals []string
	// LateInitialized says the reconcile would fill spec fields from AWS.
	LateInitialized bool
	// WaitsFor is the status of a DB instance in the middle of an
	// operation (backing-up, modifying, ...), during which the controller
	// sends nothing: Drift and Refusals are then what it will do once the
	// DB instance is available.
	WaitsFor string
}

// CreationPreview is the call that would create the DB instance. Its
// master password is replaced by where the password would come from.
type CreationPreview struct {
	Method  rdsinstance.CreationMethod
	Request any
}

// PreviewOptions are what a preview reads with.
type PreviewOptions struct {
	// Session reaches AWS; it is used read-only (Session.ReadOnly).
	Session awsconfig.Session
	// Kube reads Secrets (master passwords and the fingerprint key); it
	// is used read-only.
	Kube client.Client
	// ProviderNamespace is where the provider keeps the fingerprint key.
	ProviderNamespace string
	// Scope is the Instance's (managedkit.PreviewScope).
	Scope managedkit.Scope
}

const (
	errPreviewFingerprint = "cannot read the password fingerprint key, which tells whether the master password changed"
	passwordShown         = "(not shown: "
)

// PreviewInstance observes an Instance's DB instance as a reconcile would and
// returns what that reconcile would do. An error is what the reconcile
// would report instead of acting: a refusal, or a failure to reach AWS or
// a Secret.
func PreviewInstance(ctx context.Context, o PreviewOptions, cr *v1beta3.Instance) (Preview, error) {
	key, err := previewFingerprintKey(ctx, o.Kube, o.ProviderNamespace)
	if err != nil {
		return Preview{}, err
	}
	s := o.Session.ReadOnly()
	fleets := fleetobserver.NewRegistry(fleetobserver.Options{Period: time.Hour, TransitionPeriod: time.Hour})
	e := connected(s, o.Scope, passwords{kube: managedkit.ReadOnly(o.Kube), namespace: o.ProviderNamespace, generatedIn: o.Scope.SecretsNamespace, key: key}, &keyAliases{},
		func(api *rds.Client) instanceObserver { return fleets.For(s.ID, api) }, time.Hour)
	// As the reconciler does first: a new Instance gets its identifier.
	if _, err := initializeExternalName(cr); err != nil {
		return Preview{}, err
	}
	obs, err := e.Observe(ctx, cr)
	if err != nil {
		return Preview{}, err
	}
	if !obs.ResourceExists {
		c, err := e.prepareCreate(cr)
		if err != nil {
			return Preview{}, err
		}
		pw := masterPassword{value: passwordShown + passwordSource(cr, o.Scope.SecretsNamespace) + ")"}
		req, err := rdsinstance.CreateRequest(c.method, meta.GetExternalName(cr), c.params, c.credentials(pw), c.tags)
		if err != nil {
			return Preview{}, err
		}
		return Preview{Creation: &CreationPreview{Method: c.method, Request: req}}, nil
	}
	p := Preview{
		Observed: e.observed, Drift: e.drift, SetsPassword: e.plan.set, Diff: obs.Diff,
		Refusals: e.refusals, LateInitialized: obs.ResourceLateInitialized,
	}
	if status := aws.ToString(e.observed.DBInstanceStatus); rdsinstance.InFlight(status) && e.blueGreen == nil {
		want, err := e.withKeyARNs(ctx, cr.Spec.ForProvider)
		if err != nil {
			return Preview{}, err
		}
		settled := *e.observed
		settled.DBInstanceStatus = aws.String(rdsinstance.StatusAvailable)
		p.Drift, p.WaitsFor = rdsinstance.Diff(want, settled, e.desiredTags(cr)), status
		p.Refusals = append(p.Refusals, p.Drift.CannotApply...)
	}
	return p, nil
}

// passwordSource says where the master password of a new DB instance
// would come from, without reading it.
func passwordSource(cr *v1beta3.Instance, generatedIn string) string {
	fp := cr.Spec.ForProvider
	switch {
	case aws.ToBool(fp.ManageMasterUserPassword):
		return "AWS manages it in Secrets Manager"
	case fp.PasswordSecretRef != nil:
		return "from Secret " + fp.PasswordSecretRef.Namespace + "/" + fp.PasswordSecretRef.Name + ", key " + fp.PasswordSecretRef.Key
	}
	return "generated into Secret " + generatedIn + "/" + GeneratedSecretName(cr.GetName())
}

// previewFingerprintKey reads the fingerprint key the provider keeps. When
// there is none yet, no recorded fingerprint can match, as none will when
// the provider makes one: a key of the preview's own stands in for it,
// and is never written.
func previewFingerprintKey(ctx context.Context, kube client.Reader, namespace string) (*fingerprintKey, error) {
	s := &corev1.Secret{}
	err := kube.Get(ctx, kubetypes.NamespacedName{Namespace: namespace, Name: fingerprintKeySecret}, s)
	switch {
	case err == nil && len(s.Data[fingerprintKeyKey]) > 0:
		return &fingerprintKey{value: s.Data[fingerprintKeyKey]}, nil
	case err != nil && !kerrors.IsNotFound(err):
		return nil, errors.Wrapf(err, "%s (Secret %s/%s)", errPreviewFingerprint, namespace, fingerprintKeySecret)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, errors.Wrap(err, errPreviewFingerprint)
	}
	return &fingerprintKey{value: key}, nil
}
