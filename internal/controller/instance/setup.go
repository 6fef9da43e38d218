// Package instance is the controller of the RDS Instance managed resource.
package instance

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

// Kind is the managed kind this controller reconciles: Instance in its hub
// version, v1beta3; objects of the other versions reach it converted.
var Kind = managedkit.Kind{
	GroupVersionKind: v1beta3.InstanceGroupVersionKind,
	New:              func() resource.Managed { return &v1beta3.Instance{} },
	NewList:          func() resource.ManagedList { return &v1beta3.InstanceList{} },
}

// NamespacedKind is the Crossplane v2 namespaced Instance, reconciled by the
// same external client through its cluster form.
var NamespacedKind = managedkit.Kind{
	GroupVersionKind: nsv1beta1.InstanceGroupVersionKind,
	New:              func() resource.Managed { return &nsv1beta1.Instance{} },
	NewList:          func() resource.ManagedList { return &nsv1beta1.InstanceList{} },
}

// Setup adds the controllers that reconcile Instances of both scopes.
func Setup(mgr ctrl.Manager, o managedkit.Options) error {
	kube := mgr.GetClient()
	return managedkit.SetupScopes(mgr, o, managedkit.Scopes[*v1beta3.Instance, *nsv1beta1.Instance]{
		Cluster: Kind, Namespaced: NamespacedKind,
		NewView:  func() *v1beta3.Instance { return &v1beta3.Instance{} },
		Region:   func(cr *v1beta3.Instance) string { return aws.ToString(cr.Spec.ForProvider.Region) },
		External: newExternal(kube, o.Namespace),
	},
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
		managed.WithPollIntervalHook(transitionPoll),
	)
}

// newExternal returns what builds an Instance's external client for one
// reconcile. The fingerprint key is one per process, kept in the provider's
// namespace.
func newExternal(kube client.Client, providerNamespace string) managedkit.ExternalFn[*v1beta3.Instance] {
	key := &fingerprintKey{}
	return func(s awsconfig.Session, scope managedkit.Scope) managed.TypedExternalClient[*v1beta3.Instance] {
		return &external{
			rds:       s.RDS(),
			passwords: passwords{kube: kube, namespace: providerNamespace, generatedIn: scope.SecretsNamespace, key: key},
			annotate:  scope.Annotate,
			record:    scope.Record,
			now:       time.Now,
			kind:      scope.Kind,
		}
	}
}

// transitionPollInterval is how often an Instance is observed while its DB
// instance is in a short transition (creating, modifying, rebooting, ...),
// so that Ready follows AWS within seconds rather than a whole poll later.
const transitionPollInterval = 10 * time.Second

// transitionPoll shortens the poll interval during short transitions.
func transitionPoll(mg resource.Managed, pollInterval time.Duration) time.Duration {
	var status *string
	switch cr := mg.(type) {
	case *v1beta3.Instance:
		status = cr.Status.AtProvider.Status
	case *nsv1beta1.Instance:
		status = cr.Status.AtProvider.Status
	}
	if pollInterval > transitionPollInterval && rdsinstance.InTransition(aws.ToString(status)) {
		return transitionPollInterval
	}
	return pollInterval
}
