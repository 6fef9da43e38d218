// Package providerconfig is the controller of ProviderConfigs.
package providerconfig

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/providerconfig"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
)

// Setup adds a controller that reconciles ProviderConfigs: it counts their
// users, keeps one in use from being deleted, and reports whether its
// credentials work.
func Setup(mgr ctrl.Manager, o controller.Options, sessions *awsconfig.Resolver) error {
	name := providerconfig.ControllerName(awsv1beta1.ProviderConfigGroupVersionKind.GroupKind().String())
	r := providerconfig.NewReconciler(mgr, resource.ProviderConfigKinds{
		Config:    awsv1beta1.ProviderConfigGroupVersionKind,
		Usage:     awsv1beta1.ProviderConfigUsageGroupVersionKind,
		UsageList: awsv1beta1.ProviderConfigUsageListGroupVersionKind,
	},
		providerconfig.WithLogger(o.Logger.WithValues("controller", name)),
		providerconfig.WithRecorder(event.NewAPIRecorder(mgr.GetEventRecorderFor(name))))

	return ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(o.ForControllerRuntime()).
		For(&awsv1beta1.ProviderConfig{}).
		Watches(&awsv1beta1.ProviderConfigUsage{}, &resource.EnqueueRequestForProviderConfig{}).
		Complete(ratelimiter.NewReconciler(name, &validator{usage: r, kube: mgr.GetClient(), sessions: sessions}, o.GlobalRateLimiter))
}
