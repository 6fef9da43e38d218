package controller

import (
	"crypto/tls"

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

// WebhookTLS is the TLS policy of the conversion webhook: TLS 1.2 or newer,
// and HTTP/1.1 only unless HTTP/2 is asked for. The API server speaks
// either; HTTP/2 is off by default since its stream handling was the way
// to the "rapid reset" denial of service (CVE-2023-44487), as Kubernetes'
// own webhooks and the Kubebuilder scaffold turn it off.
func WebhookTLS(enableHTTP2 bool) func(*tls.Config) {
	return func(c *tls.Config) {
		c.MinVersion = tls.VersionTLS12
		if !enableHTTP2 {
			c.NextProtos = []string{"http/1.1"}
		}
	}
}
