package managedkit

import (
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
)

// WhenEstablished sets up a controller once the kinds it needs exist.
// Without a gate (safe-start is off, or the provider may not watch CRDs)
// it sets it up at once. With one, Crossplane installs a kind's CRD only
// when a ManagedResourceActivationPolicy activates it, so the controller
// is set up, without a restart, when every CRD of needs is established;
// until then it is not started, and nothing watches a kind that does not
// exist.
func WhenEstablished(o controller.Options, name string, setup func() error, needs ...schema.GroupVersionKind) error {
	if o.Gate == nil {
		return setup()
	}
	o.Logger.Debug("Waiting for the CRDs a controller needs", "controller", name, "needs", kindNames(needs))
	o.Gate.Register(func() {
		// The manager is running by now: a controller added to it starts
		// at once. A setup that fails here has no caller to return to,
		// and the kind stays unreconciled, so it is logged as an error.
		if err := setup(); err != nil {
			o.Logger.Info("Cannot start a controller whose CRDs are established", "controller", name, "error", err)
			return
		}
		o.Logger.Info("CRDs established: controller started", "controller", name)
	}, needs...)
	return nil
}

func kindNames(gvks []schema.GroupVersionKind) []string {
	out := make([]string, len(gvks))
	for i, g := range gvks {
		out[i] = g.Kind + "." + g.Group + "/" + g.Version
	}
	return out
}
