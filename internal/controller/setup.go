// Package controller wires every controller of the provider into a manager.
package controller

import (
	ctrl "sigs.k8s.io/controller-runtime"

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
