package controller

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/conversion"
)

// ConversionPath is where the API version conversion webhook is served, as
// the CRDs' conversion configuration names it.
const ConversionPath = "/convert"

// SetupConversion serves the conversion webhook that converts Instances
// between the served versions (v1beta1, v1beta2) and the hub (v1beta3).
func SetupConversion(mgr ctrl.Manager) {
	srv := mgr.GetWebhookServer()
	srv.Register(ConversionPath, conversion.NewWebhookHandler(mgr.GetScheme(), mgr.GetConverterRegistry()))
}
