// Package instance is the controller of the RDS Instance managed resource.
package instance

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

// Kind is the managed kind this controller reconciles: Instance in its hub
// version, v1beta3; objects of the other versions reach it converted.
var Kind = managedkit.Kind{
	GroupVersionKind: v1beta3.InstanceGroupVersionKind,
	New:              func() resource.LegacyManaged { return &v1beta3.Instance{} },
	NewList:          func() resource.ManagedList { return &v1beta3.InstanceList{} },
}

// Setup adds a controller that reconciles Instances.
func Setup(mgr ctrl.Manager, o managedkit.Options) error {
	rec := managedkit.NewRecorder(mgr, Kind)
	kube := mgr.GetClient()
	return managedkit.Setup(mgr, o, Kind, rec,
		managed.WithTypedExternalConnector[*v1beta3.Instance](&connector{
			kube:      kube,
			connect:   managedkit.NewConnector(kube, o.Sessions),
			passwords: passwords{kube: kube, namespace: o.Namespace, key: &fingerprintKey{}},
			record:    rec,
		}),
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

// transitionPollInterval is how often an Instance is observed while its DB
// instance is in a short transition (creating, modifying, rebooting, ...),
// so that Ready follows AWS within seconds rather than a whole poll later.
const transitionPollInterval = 10 * time.Second

// transitionPoll shortens the poll interval during short transitions.
func transitionPoll(mg resource.Managed, pollInterval time.Duration) time.Duration {
	cr, ok := mg.(*v1beta3.Instance)
	if ok && pollInterval > transitionPollInterval && rdsinstance.InTransition(aws.ToString(cr.Status.AtProvider.Status)) {
		return transitionPollInterval
	}
	return pollInterval
}

// connector builds an external client per reconcile from the Instance's
// ProviderConfig.
type connector struct {
	kube      client.Client
	connect   managedkit.Connector
	passwords passwords
	record    event.Recorder
}

func (c *connector) Connect(ctx context.Context, cr *v1beta3.Instance) (managed.TypedExternalClient[*v1beta3.Instance], error) {
	s, err := c.connect.Session(ctx, cr, aws.ToString(cr.Spec.ForProvider.Region))
	if err != nil {
		return nil, err
	}
	return &external{
		rds:       s.RDS(),
		passwords: c.passwords,
		annotate:  c.annotate,
		record:    c.record,
		now:       time.Now,
	}, nil
}

// annotate persists one annotation of an Instance.
func (c *connector) annotate(ctx context.Context, cr *v1beta3.Instance, key, value string) error {
	return managedkit.Annotate(ctx, c.kube, cr, key, value)
}
