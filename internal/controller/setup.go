// Package controller wires every controller of the provider into a manager.
package controller

import (
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/providerconfig"
)

// Setup adds every controller of the provider to the manager.
func Setup(mgr ctrl.Manager, o instance.Options) error {
	if err := providerconfig.Setup(mgr, o.Options, o.Sessions); err != nil {
		return err
	}
	return instance.Setup(mgr, o)
}

// ClientOptions are the options of the manager's client. Secrets are read
// from the API server when needed and never cached: a cache would list and
// watch every Secret of the cluster, so the provider's memory would grow
// with Secrets it has nothing to do with.
func ClientOptions() client.Options {
	return client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}}
}
