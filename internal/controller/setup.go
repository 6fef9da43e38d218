// Package controller wires every controller of the provider into a manager.
package controller

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/customresourcesgate"

	ec2v1beta1 "github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1"
	iamv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/iam/v1beta1"
	kmsv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/kms/v1beta1"
	ec2mv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/namespaced/ec2/v1beta1"
	iammv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/namespaced/iam/v1beta1"
	kmsmv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/namespaced/kms/v1beta1"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/controller/parametergroup"
	"github.com/provider-rds/provider-rds/internal/controller/providerconfig"
	"github.com/provider-rds/provider-rds/internal/controller/subnetgroup"
)

// Setup adds every controller of the provider to the manager.
func Setup(mgr ctrl.Manager, o managedkit.Options) error {
	if err := providerconfig.Setup(mgr, o.Options, o.Sessions); err != nil {
		return err
	}
	for _, setup := range []func(ctrl.Manager, managedkit.Options) error{
		instance.Setup,
		subnetgroup.Setup,
		parametergroup.Setup,
	} {
		if err := setup(mgr, o); err != nil {
			return err
		}
	}
	return nil
}

// CacheOptions are the options of the manager's cache: objects are
// resynced every syncPeriod, and cached without their managedFields, which
// the provider never reads and which make up much of a managed resource's
// size (updates leave them as they are when they are left out).
//
// CRDs, watched under safe-start, are cached without their schemas too:
// only their names, versions and conditions are read, and the schemas of
// every CRD in a cluster that runs the AWS family are tens of megabytes.
func CacheOptions(syncPeriod time.Duration) cache.Options {
	return cache.Options{
		SyncPeriod:       &syncPeriod,
		DefaultTransform: cache.TransformStripManagedFields(),
		ByObject: map[client.Object]cache.ByObject{
			&apiextensionsv1.CustomResourceDefinition{}: {Transform: customresourcesgate.TransformStripCRDSchema},
		},
	}
}

// ClientOptions are the options of the manager's client. Kinds the
// provider reads but does not own are read from the API server when needed
// and never cached: a cache would list and watch every object of the kind
// in the cluster, so the provider's memory would grow with objects it has
// nothing to do with. That holds for Secrets and for the kinds of other
// providers that references name (read once, when a reference resolves);
// reading those uncached also means a kind that is not installed is
// reported at once instead of waiting on an informer that cannot start.
func ClientOptions() client.Options {
	return client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{
		&corev1.Secret{},
		&ec2v1beta1.SecurityGroup{}, &ec2v1beta1.Subnet{}, &kmsv1beta1.Key{}, &iamv1beta1.Role{},
		&ec2mv1beta1.SecurityGroup{}, &ec2mv1beta1.Subnet{}, &kmsmv1beta1.Key{}, &iammv1beta1.Role{},
	}}}
}
