// Package providerconfig is the controller of ProviderConfigs: it counts the
// resources that use each one and keeps one in use from being deleted.
package providerconfig

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/providerconfig"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

// Setup adds a controller that reconciles ProviderConfigs.
func Setup(mgr ctrl.Manager, o controller.Options) error {
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
		Complete(ratelimiter.NewReconciler(name, r, o.GlobalRateLimiter))
}
