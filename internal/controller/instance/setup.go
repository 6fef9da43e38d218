// Package instance is the controller of the RDS Instance managed resource.
package instance

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

const (
	errTrackUsage = "cannot track ProviderConfig usage"
	errConfigure  = "cannot configure the AWS client"
)

// Options of the Instance controller beyond the common controller options.
type Options struct {
	controller.Options

	// Sessions builds AWS clients from ProviderConfigs; shared by every
	// controller so that credentials are cached once.
	Sessions *awsconfig.Resolver

	// Namespace of the provider, where it keeps the master passwords it
	// generates.
	Namespace string
}

// Setup adds a controller that reconciles Instances.
func Setup(mgr ctrl.Manager, o Options) error {
	name := managed.ControllerName(v1beta3.InstanceGroupKind)
	recorder := event.NewAPIRecorder(mgr.GetEventRecorderFor(name))
	kube := mgr.GetClient()

	opts := []managed.ReconcilerOption{
		managed.WithExternalConnector(&connector{
			kube:      kube,
			usage:     resource.NewLegacyProviderConfigUsageTracker(kube, &awsv1beta1.ProviderConfigUsage{}),
			sessions:  o.Sessions,
			passwords: passwords{kube: kube, namespace: o.Namespace, key: &fingerprintKey{}},
			record:    recorder,
		}),
		managed.WithInitializers(identifierInitializer{kube: kube}),
		// The identifier is fixed before creation, so a restart between
		// CreateDBInstance and recording its result is safe: the next
		// observation finds the instance instead of creating another.
		managed.WithDeterministicExternalName(true),
		// No creation grace period: DescribeDBInstances sees an instance as
		// soon as CreateDBInstance returns, and a repeated create of an
		// existing identifier is harmless (see Create). A grace period would
		// only delay noticing that a just-created instance was deleted.
		managed.WithCreationGracePeriod(0),
		managed.WithLogger(o.Logger.WithValues("controller", name)),
		managed.WithRecorder(recorder),
		managed.WithPollInterval(o.PollInterval),
		managed.WithPollIntervalHook(transitionPoll),
	}
	if o.MetricOptions != nil {
		opts = append(opts, managed.WithMetricRecorder(o.MetricOptions.MRMetrics))
		if o.MetricOptions.MRStateMetrics != nil {
			rec := statemetrics.NewMRStateRecorder(kube, o.Logger, o.MetricOptions.MRStateMetrics, &v1beta3.InstanceList{}, o.MetricOptions.PollStateMetricInterval)
			if err := mgr.Add(rec); err != nil {
				return errors.Wrap(err, "cannot add the managed resource state metrics recorder")
			}
		}
	}
	if o.Features.Enabled(feature.EnableBetaManagementPolicies) {
		opts = append(opts, managed.WithManagementPolicies())
	}
	r := managed.NewReconciler(mgr, resource.ManagedKind(v1beta3.InstanceGroupVersionKind), opts...)

	co := o.ForControllerRuntime()
	co.RateLimiter = newProviderConfigBackoff(mgr.GetCache())
	return ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(co).
		WithEventFilter(resource.DesiredStateChanged()).
		For(&v1beta3.Instance{}).
		Complete(ratelimiter.NewReconciler(name, errors.WithSilentRequeueOnConflict(r), o.GlobalRateLimiter))
}

// transitionPollInterval is how often an Instance is observed while its DB
// instance is in a short transition (creating, modifying, rebooting, ...),
// so that Ready follows AWS within seconds rather than a whole poll later.
const transitionPollInterval = 10 * time.Second

// transitionPoll shortens the poll interval during short transitions.
func transitionPoll(mg resource.Managed, pollInterval time.Duration) time.Duration {
	cr, ok := mg.(*v1beta3.Instance)
	if ok && pollInterval > transitionPollInterval && rdsinstance.InTransition(aws.ToString(cr.Status.AtProvider.Status)) {
		return transitionPollInterval
	}
	return pollInterval
}

// connector builds an external client per reconcile from the Instance's
// ProviderConfig. Sessions are cached by the resolver, so this does no
// credential work in steady state.
type connector struct {
	kube      client.Client
	usage     resource.LegacyTracker
	sessions  *awsconfig.Resolver
	passwords passwords
	record    event.Recorder
}

func (c *connector) Connect(ctx context.Context, mg resource.Managed) (managed.ExternalClient, error) {
	cr, ok := mg.(*v1beta3.Instance)
	if !ok {
		return nil, errors.New(errNotInstance)
	}
	if err := c.usage.Track(ctx, cr); err != nil {
		return nil, errors.Wrap(err, errTrackUsage)
	}
	s, err := c.sessions.Resolve(ctx, cr.GetProviderConfigReference().Name, aws.ToString(cr.Spec.ForProvider.Region))
	if err != nil {
		return nil, errors.Wrap(err, errConfigure)
	}
	return &external{
		rds:       s.RDS(),
		passwords: c.passwords,
		annotate:  c.annotate,
		record:    c.record,
		now:       time.Now,
	}, nil
}

// annotate persists one annotation with a merge patch, leaving the rest of
// the object as the reconciler holds it.
func (c *connector) annotate(ctx context.Context, cr *v1beta3.Instance, key, value string) error {
	body, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{key: value}}})
	if err != nil {
		return err
	}
	patch := client.RawPatch(types.MergePatchType, body)
	u := &v1beta3.Instance{}
	u.SetName(cr.GetName())
	if err := c.kube.Patch(ctx, u, patch); err != nil {
		return err
	}
	meta.AddAnnotations(cr, map[string]string{key: value})
	cr.SetResourceVersion(u.GetResourceVersion())
	return nil
}
