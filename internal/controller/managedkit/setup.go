// Package managedkit is what every managed-resource controller of this
// provider shares: its options, the reconciler and controller it sets up,
// connecting to AWS with a resource's ProviderConfig, standing conditions,
// failure back-off, default tags and reference errors a user can act on.
// Each kind's own package holds only what is particular to that kind.
package managedkit

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

const (
	errTrackUsage = "cannot track ProviderConfig usage"
	errConfigure  = "cannot configure the AWS client"
)

// Options of the managed-resource controllers beyond the common controller
// options.
type Options struct {
	controller.Options

	// Sessions builds AWS clients from ProviderConfigs; shared by every
	// controller so that credentials and throttling are per account, not
	// per kind.
	Sessions *awsconfig.Resolver

	// Namespace of the provider, where it keeps the master passwords it
	// generates.
	Namespace string

	// ClusterScopedSecretNamespaces, when not empty, are the only
	// namespaces in which cluster-scoped managed resources may read and
	// write Secrets: an operator's limit on what whoever may create those
	// kinds can reach. Namespaced managed resources always stay in their
	// own namespace.
	ClusterScopedSecretNamespaces []string

	// NamespacesThatMayAdopt are the namespaces whose namespaced managed
	// resources may adopt an AWS resource that no Crossplane object owns
	// (one without a crossplane-kind tag). Cluster-scoped ones always may.
	NamespacesThatMayAdopt []string
}

// Kind is a managed kind a controller reconciles.
type Kind struct {
	GroupVersionKind schema.GroupVersionKind
	// New returns an empty object of the kind, and NewList an empty list.
	New     func() resource.Managed
	NewList func() resource.ManagedList
}

// TagValue is the value of the crossplane-kind tag of the kind's external
// resources, as crossplane-runtime writes it.
func (k Kind) TagValue() string {
	return strings.ToLower(k.GroupVersionKind.GroupKind().String())
}

// ControllerName is the name of the kind's controller.
func (k Kind) ControllerName() string {
	return managed.ControllerName(k.GroupVersionKind.GroupKind().String())
}

// NewRecorder returns the event recorder of the kind's controller.
func NewRecorder(mgr ctrl.Manager, k Kind) event.Recorder {
	// crossplane-runtime's recorder takes the core/v1 recorder, which the
	// newer events API recorder is not.
	return event.NewAPIRecorder(mgr.GetEventRecorderFor(k.ControllerName())) //nolint:staticcheck // SA1019: see above.
}

// Setup adds a controller that reconciles one managed kind, with what every
// kind shares (logging, events, polling, metrics, management policies,
// reference resolution, per-ProviderConfig back-off, the global rate
// limit) and the kind's own options: its external connector first. Besides
// changes of the resources themselves, the controller reconciles those the
// sources name.
func Setup(mgr ctrl.Manager, o Options, k Kind, rec event.Recorder, sources []source.Source, kindOpts ...managed.ReconcilerOption) error {
	name := k.ControllerName()
	kube := mgr.GetClient()
	opts := []managed.ReconcilerOption{
		managed.WithLogger(o.Logger.WithValues("controller", name)),
		managed.WithRecorder(rec),
		managed.WithPollInterval(o.PollInterval),
		managed.WithReferenceResolver(explainedReferences{resolver: managed.NewAPISimpleReferenceResolver(kube), kube: kube}),
	}
	opts = append(opts, kindOpts...)
	if o.MetricOptions != nil {
		opts = append(opts, managed.WithMetricRecorder(o.MetricOptions.MRMetrics))
		if o.MetricOptions.MRStateMetrics != nil {
			sm := statemetrics.NewMRStateRecorder(kube, o.Logger, o.MetricOptions.MRStateMetrics, k.NewList(), o.MetricOptions.PollStateMetricInterval)
			if err := mgr.Add(sm); err != nil {
				return errors.Wrap(err, "cannot add the managed resource state metrics recorder")
			}
		}
	}
	if o.ChangeLogOptions != nil {
		opts = append(opts, managed.WithChangeLogger(o.ChangeLogOptions.ChangeLogger))
	}
	if o.Features.Enabled(feature.EnableBetaManagementPolicies) {
		opts = append(opts, managed.WithManagementPolicies())
	}
	r := managed.NewReconciler(mgr, resource.ManagedKind(k.GroupVersionKind), opts...)

	co := o.ForControllerRuntime()
	co.RateLimiter = newProviderConfigBackoff(mgr.GetCache(), k.New)
	b := ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(co).
		WithEventFilter(resource.DesiredStateChanged()).
		For(k.New())
	for _, src := range sources {
		b = b.WatchesRawSource(src)
	}
	return b.Complete(inProgressFirst{ratelimiter.NewReconciler(name, errors.WithSilentRequeueOnConflict(r), o.GlobalRateLimiter)})
}

// inProgressFirst queues resources whose work is under way (requeued by
// their own reconcile: just created, in a transition, retrying) before
// resources not reconciled yet. When a fleet is applied at once, creates
// wait for AWS's request budget, and the reconciles that would report the
// first databases Ready must not queue behind every create still to come.
type inProgressFirst struct{ reconcile.Reconciler }

// priorityInProgress is above the queue's default priority (0) for new
// and changed resources.
const priorityInProgress = 1

func (r inProgressFirst) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	res, err := r.Reconciler.Reconcile(ctx, req)
	if err != nil || res.Requeue || res.RequeueAfter > 0 { //nolint:staticcheck // crossplane-runtime requeues with Requeue.
		res.Priority = ptr.To(priorityInProgress)
	}
	return res, err
}

// Connector resolves the AWS session of a managed resource from its
// ProviderConfig, recording that the resource uses that ProviderConfig.
// Sessions are cached by the resolver, so this does no credential work in
// steady state.
type Connector struct {
	legacy   resource.LegacyTracker
	modern   resource.ModernTracker
	sessions *awsconfig.Resolver
}

// NewConnector returns a Connector that records usage with the manager's
// client.
func NewConnector(kube client.Client, sessions *awsconfig.Resolver) Connector {
	return Connector{
		legacy:   resource.NewLegacyProviderConfigUsageTracker(kube, &awsv1beta1.ProviderConfigUsage{}),
		modern:   resource.NewProviderConfigUsageTracker(kube, &awsmv1beta1.ProviderConfigUsage{}),
		sessions: sessions,
	}
}

// Session returns the AWS session of a managed resource in a region.
func (c Connector) Session(ctx context.Context, mg resource.Managed, region string) (awsconfig.Session, error) {
	var err error
	switch mr := mg.(type) {
	case resource.ModernManaged:
		err = c.modern.Track(ctx, mr)
	case resource.LegacyManaged:
		err = c.legacy.Track(ctx, mr)
	}
	if err != nil {
		return awsconfig.Session{}, errors.Wrap(err, errTrackUsage)
	}
	s, err := c.sessions.ResolveRef(ctx, ConfigRefOf(mg), region)
	if err != nil {
		return awsconfig.Session{}, errors.Wrap(err, errConfigure)
	}
	return s, nil
}

// providerConfigName is the name in a managed resource's
// providerConfigRef, if it has one.
func providerConfigName(mg resource.Managed) string {
	switch mr := mg.(type) {
	case resource.ModernManaged:
		if ref := mr.GetProviderConfigReference(); ref != nil {
			return ref.Name
		}
	case resource.LegacyManaged:
		if ref := mr.GetProviderConfigReference(); ref != nil {
			return ref.Name
		}
	}
	return ""
}

// ConfigRefOf names the ProviderConfig a managed resource of either scope
// uses: a namespaced one names a ProviderConfig of its own namespace or a
// ClusterProviderConfig.
func ConfigRefOf(mg resource.Managed) awsconfig.ConfigRef {
	switch mr := mg.(type) {
	case resource.ModernManaged:
		ref := mr.GetProviderConfigReference()
		if ref == nil {
			return awsconfig.ConfigRef{Kind: awsmv1beta1.ClusterProviderConfigKind, Name: "default"}
		}
		return awsconfig.ConfigRef{Kind: ref.Kind, Namespace: mr.GetNamespace(), Name: ref.Name}
	case resource.LegacyManaged:
		if ref := mr.GetProviderConfigReference(); ref != nil {
			return awsconfig.ConfigRef{Name: ref.Name}
		}
	}
	return awsconfig.ConfigRef{Name: "default"}
}

// DesiredTags are a resource's tags from its spec plus the Crossplane
// default tags, as the reference provider adds them. They are spelled out
// rather than taken from resource.GetExternalTags, which reads the kind
// from TypeMeta, and typed objects from the cache have none.
func DesiredTags(mg resource.Managed, k Kind, user map[string]*string) map[string]string {
	defaults := map[string]string{
		resource.ExternalResourceTagKeyKind: k.TagValue(),
		resource.ExternalResourceTagKeyName: mg.GetName(),
	}
	if ns := mg.GetNamespace(); ns != "" {
		// crossplane-runtime's convention for namespaced resources: two
		// namespaces' objects of one name own different databases.
		defaults[resource.ExternalResourceTagKeyNamespace] = ns
	}
	if name := providerConfigName(mg); name != "" {
		defaults[resource.ExternalResourceTagKeyProvider] = name
	}
	out := rdstags.DesiredTags(user, defaults)
	// The ownership tags are the provider's: a spec cannot make a resource
	// look like another object's (ForgedOwnerTags reports the attempt).
	for _, key := range ownerTagKeys {
		if v, ok := defaults[key]; ok {
			out[key] = v
		} else {
			delete(out, key)
		}
	}
	return out
}

// OwnerTagsRefusal refuses a spec whose tags set the Crossplane ownership
// tags to another object's values, before anything is created or sent.
func OwnerTagsRefusal(mg resource.Managed, k Kind, user map[string]*string) error {
	forged := ForgedOwnerTags(user, DesiredTags(mg, k, nil))
	if len(forged) == 0 {
		return nil
	}
	return errors.Errorf("spec.forProvider.tags sets %s: the crossplane-kind, crossplane-namespace and crossplane-name tags say which object owns the resource, and only the provider sets them (to this object's kind, namespace and name); remove them from the spec", strings.Join(forged, ", "))
}
