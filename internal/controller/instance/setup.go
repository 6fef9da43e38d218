// Package instance is the controller of the RDS Instance managed resource.
package instance

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/fleetobserver"
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
	obs := newObservation(o.PollInterval, Kind, NamespacedKind)
	return managedkit.SetupScopes(mgr, o, managedkit.Scopes[*v1beta3.Instance, *nsv1beta1.Instance]{
		Cluster: Kind, Namespaced: NamespacedKind,
		NewView:  func() *v1beta3.Instance { return &v1beta3.Instance{} },
		Region:   func(cr *v1beta3.Instance) string { return aws.ToString(cr.Spec.ForProvider.Region) },
		External: newExternal(kube, o.Namespace, obs),
		Changes:  obs.changesOf,
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
		managed.WithPollIntervalHook(jittered(transitionPoll)),
	)
}

// sweepShare is the part of the poll interval between two descriptions of
// every DB instance, so that each is described at least once per poll
// interval, the time a sweep takes included.
const sweepShare = 0.9

// changesBuffer is how many Instances to reconcile may wait to be queued.
// When it is full a notice is dropped, and the Instance's own poll
// catches the change instead.
const changesBuffer = 4096

// observation is what the Instance controllers of both scopes share to
// observe their DB instances: the fleets that batch DescribeDBInstances
// calls, and where to send Instances whose DB instance a sweep found
// changed.
type observation struct {
	fleets *fleetobserver.Registry
	// kinds are the Instance kinds, by watcher kind, each with the channel
	// of its Instances to reconcile.
	kinds map[string]changes
	poll  time.Duration
}

// changes are the Instances of a kind to reconcile because their DB
// instance changed.
type changes struct {
	kind managedkit.Kind
	ch   chan event.GenericEvent
}

func newObservation(poll time.Duration, kinds ...managedkit.Kind) *observation {
	o := &observation{kinds: map[string]changes{}, poll: poll}
	for _, k := range kinds {
		o.kinds[watcherKind(k)] = changes{kind: k, ch: make(chan event.GenericEvent, changesBuffer)}
	}
	o.fleets = fleetobserver.NewRegistry(fleetobserver.Options{
		Period:           time.Duration(sweepShare * float64(poll)),
		TransitionPeriod: transitionMaxAge(poll),
		// A fifth of the freshness a transition needs: a second at the
		// default poll, small beside what any RDS operation takes.
		Linger: transitionMaxAge(poll) / 5,
		Notify: o.notify,
	})
	return o
}

func watcherKind(k managedkit.Kind) string { return k.GroupVersionKind.GroupKind().String() }

// notify queues an Instance for a reconcile, without blocking the fleet.
func (o *observation) notify(w fleetobserver.Watcher) {
	c, ok := o.kinds[w.Kind]
	if !ok {
		return
	}
	obj := c.kind.New()
	obj.SetNamespace(w.Namespace)
	obj.SetName(w.Name)
	select {
	case c.ch <- event.GenericEvent{Object: obj}:
	default:
	}
}

// changesOf is the source of a kind's Instances to reconcile because their
// DB instance changed.
func (o *observation) changesOf(k managedkit.Kind) source.Source {
	return source.Channel(o.kinds[watcherKind(k)].ch, &handler.EnqueueRequestForObject{})
}

// jittered spreads polls by up to a tenth of the interval either way, so
// that Instances created together do not keep polling together.
func jittered(hook managed.PollIntervalHook) managed.PollIntervalHook {
	return func(mg resource.Managed, pollInterval time.Duration) time.Duration {
		d := hook(mg, pollInterval)
		return d + time.Duration((rand.Float64()-0.5)*0.2*float64(d)) //nolint:gosec // Jitter needs no secure randomness.
	}
}

// newExternal returns what builds an Instance's external client for one
// reconcile. The fingerprint key is one per process, kept in the provider's
// namespace.
func newExternal(kube client.Client, providerNamespace string, obs *observation) managedkit.ExternalFn[*v1beta3.Instance] {
	key, aliases := &fingerprintKey{}, &keyAliases{}
	return func(s awsconfig.Session, scope managedkit.Scope) managed.TypedExternalClient[*v1beta3.Instance] {
		return connected(s, scope, passwords{kube: kube, namespace: providerNamespace, generatedIn: scope.SecretsNamespace, key: key}, aliases,
			func(api *rds.Client) instanceObserver { return obs.fleets.For(s.ID, api) }, obs.poll)
	}
}

// connected is the external client of one reconcile: a session's RDS
// client, the DB instances observed through the observer it makes for that
// client, every poll, and the Instance's scope, passwords and key aliases.
func connected(s awsconfig.Session, scope managedkit.Scope, pw passwords, aliases *keyAliases, observer func(*rds.Client) instanceObserver, poll time.Duration) *external {
	api := s.RDS()
	return &external{
		keyARN: func(ctx context.Context, alias string) (string, error) {
			return aliases.resolve(ctx, func() KMSAPI { return s.KMS() }, s.ID, alias, time.Now())
		},
		rds:       api,
		instances: observer(api),
		watcher:   fleetobserver.Watcher{Kind: watcherKind(scope.Kind), Namespace: scope.Object.Namespace, Name: scope.Object.Name},
		poll:      poll,
		passwords: pw,
		annotate:  scope.Annotate,
		record:    scope.Record,
		now:       time.Now,
		kind:      scope.Kind,
		ownership: scope.Ownership,
	}
}

// transitionPollInterval is how often an Instance is observed while its DB
// instance is in a short transition (creating, modifying, rebooting, ...),
// so that Ready follows AWS within seconds rather than a whole poll later.
const transitionPollInterval = 10 * time.Second

// transitionMaxAge is how old a description of a DB instance in a short
// transition may be: half its poll, so that each poll sees a newer one.
func transitionMaxAge(poll time.Duration) time.Duration {
	return min(poll, transitionPollInterval) / 2
}

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
