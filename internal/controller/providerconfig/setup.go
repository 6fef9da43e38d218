// Package providerconfig is the controller of ProviderConfigs.
package providerconfig

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/providerconfig"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

// configKind is one of the ProviderConfig kinds: what the validator needs
// to read, name and report on objects of it.
type configKind struct {
	kinds    resource.ProviderConfigKinds
	new      func() client.Object
	newUsage func() client.Object
	// parts are an object's spec and status, the same types in every kind.
	parts func(client.Object) (*awsv1beta1.ProviderConfigSpec, *awsv1beta1.ProviderConfigStatus)
	ref   func(reconcile.Request) awsconfig.ConfigRef
}

// partsOf returns the spec and status of a ProviderConfig of any kind; an
// object of another type has none (empty ones).
func partsOf(o client.Object) (*awsv1beta1.ProviderConfigSpec, *awsv1beta1.ProviderConfigStatus) {
	switch pc := o.(type) {
	case *awsv1beta1.ProviderConfig:
		return &pc.Spec, &pc.Status
	case *awsmv1beta1.ProviderConfig:
		return &pc.Spec, &pc.Status
	case *awsmv1beta1.ClusterProviderConfig:
		return &pc.Spec, &pc.Status
	}
	return &awsv1beta1.ProviderConfigSpec{}, &awsv1beta1.ProviderConfigStatus{}
}

var configKinds = []configKind{
	{
		kinds: resource.ProviderConfigKinds{
			Config: awsv1beta1.ProviderConfigGroupVersionKind, Usage: awsv1beta1.ProviderConfigUsageGroupVersionKind, UsageList: awsv1beta1.ProviderConfigUsageListGroupVersionKind,
		},
		new:      func() client.Object { return &awsv1beta1.ProviderConfig{} },
		newUsage: func() client.Object { return &awsv1beta1.ProviderConfigUsage{} },
		parts:    partsOf,
		ref:      func(r reconcile.Request) awsconfig.ConfigRef { return awsconfig.ConfigRef{Name: r.Name} },
	},
	{
		kinds: resource.ProviderConfigKinds{
			Config: awsmv1beta1.ProviderConfigGroupVersionKind, Usage: awsmv1beta1.ProviderConfigUsageGroupVersionKind, UsageList: awsmv1beta1.ProviderConfigUsageListGroupVersionKind,
		},
		new:      func() client.Object { return &awsmv1beta1.ProviderConfig{} },
		newUsage: func() client.Object { return &awsmv1beta1.ProviderConfigUsage{} },
		parts:    partsOf,
		ref: func(r reconcile.Request) awsconfig.ConfigRef {
			return awsconfig.ConfigRef{Kind: awsmv1beta1.ProviderConfigKind, Namespace: r.Namespace, Name: r.Name}
		},
	},
	{
		kinds: resource.ProviderConfigKinds{
			Config: awsmv1beta1.ClusterProviderConfigGroupVersionKind, Usage: awsmv1beta1.ProviderConfigUsageGroupVersionKind, UsageList: awsmv1beta1.ProviderConfigUsageListGroupVersionKind,
		},
		new:      func() client.Object { return &awsmv1beta1.ClusterProviderConfig{} },
		newUsage: func() client.Object { return &awsmv1beta1.ProviderConfigUsage{} },
		parts:    partsOf,
		ref: func(r reconcile.Request) awsconfig.ConfigRef {
			return awsconfig.ConfigRef{Kind: awsmv1beta1.ClusterProviderConfigKind, Name: r.Name}
		},
	},
}

// Setup adds a controller per ProviderConfig kind (the legacy
// ProviderConfig, and Crossplane v2's namespaced ProviderConfig and
// ClusterProviderConfig): each counts its users, keeps one in use from
// being deleted, reports whether its credentials work, and drops what the
// provider cached for it once it is gone.
func Setup(mgr ctrl.Manager, o controller.Options, sessions *awsconfig.Resolver) error {
	for _, k := range configKinds {
		name := providerconfig.ControllerName(k.kinds.Config.GroupKind().String())
		setup := func() error {
			r := providerconfig.NewReconciler(mgr, k.kinds,
				providerconfig.WithLogger(o.Logger.WithValues("controller", name)),
				// As in managedkit.NewRecorder: crossplane-runtime takes the core/v1 recorder.
				providerconfig.WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor(name)))) //nolint:staticcheck // SA1019: see above.
			return ctrl.NewControllerManagedBy(mgr).
				Named(name).
				WithOptions(o.ForControllerRuntime()).
				For(k.new()).
				Watches(k.newUsage(), &resource.EnqueueRequestForProviderConfig{}).
				Complete(ratelimiter.NewReconciler(name, &validator{usage: r, kube: mgr.GetClient(), sessions: sessions, kind: k}, o.GlobalRateLimiter))
		}
		// In the family member these kinds are provider-family-aws's,
		// which may be installed after this provider starts.
		if err := managedkit.WhenEstablished(o, name, setup, k.kinds.Config, k.kinds.Usage); err != nil {
			return err
		}
	}
	return nil
}
