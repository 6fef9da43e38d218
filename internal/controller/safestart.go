package controller

import (
	"context"
	"sort"
	"strings"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/gate"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/customresourcesgate"

	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

const errReviewAccess = "cannot ask the API server whether the provider may watch CRDs"

// grantWait is how long the provider waits at start for the right to watch
// CRDs. Crossplane renders a provider's Deployment before its RBAC manager
// binds the provider's role to the Deployment's ServiceAccount, so a pod
// may start a few seconds before it is granted anything.
const grantWait = 30 * time.Second

// MayWatchCRDs tells whether the provider's identity may get, list and
// watch CustomResourceDefinitions, waiting up to grantWait for the grant.
// Crossplane's RBAC manager grants that to a package that declares the
// safe-start capability; an identity without it (an older Crossplane, a
// hand-written role) cannot gate its controllers on CRDs. A question the
// API server does not answer counts as no grant; the last such error is
// returned for the log.
func MayWatchCRDs(ctx context.Context, kube client.Client) (bool, error) {
	deadline := time.Now().Add(grantWait)
	for {
		may, err := mayWatchCRDs(ctx, kube)
		if may || time.Now().After(deadline) {
			return may, err
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func mayWatchCRDs(ctx context.Context, kube client.Client) (bool, error) {
	for _, verb := range []string{"get", "list", "watch"} {
		r := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
			ResourceAttributes: &authorizationv1.ResourceAttributes{
				Group: apiextensionsv1.GroupName, Resource: "customresourcedefinitions", Verb: verb,
			},
		}}
		if err := kube.Create(ctx, r); err != nil {
			return false, errors.Wrap(err, errReviewAccess)
		}
		if !r.Status.Allowed {
			return false, nil
		}
	}
	return true, nil
}

// SetupServedKinds is the fallback when CRDs cannot be watched: every
// controller whose kinds the API server serves now starts at once, and
// the others are not started, since a controller of a kind without a CRD
// would stop the whole provider once its cache gave up waiting. It
// returns the kinds of this provider's scheme that are not served.
func SetupServedKinds(mgr ctrl.Manager, o *managedkit.Options, dc discovery.ServerResourcesInterface) ([]string, error) {
	g := new(gate.Gate[schema.GroupVersionKind])
	_, lists, err := dc.ServerGroupsAndResources()
	if err != nil && !discovery.IsGroupDiscoveryFailedError(err) {
		return nil, errors.Wrap(err, "cannot discover the kinds the API server serves")
	}
	served := map[schema.GroupVersionKind]bool{}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range l.APIResources {
			served[gv.WithKind(r.Kind)] = true
		}
	}
	var missing []string
	for gvk := range mgr.GetScheme().AllKnownTypes() {
		if !gatedGroup(gvk.Group) || strings.HasSuffix(gvk.Kind, "List") {
			continue
		}
		if served[gvk] {
			g.Set(gvk, true)
			continue
		}
		missing = append(missing, gvk.Kind+"."+gvk.Group+"/"+gvk.Version)
	}
	sort.Strings(missing)
	o.Gate = g
	return missing, nil
}

// gatedGroup tells the groups whose kinds the provider's controllers
// reconcile or need: the RDS kinds and the ProviderConfig kinds, not the
// other providers' kinds that references only read.
func gatedGroup(group string) bool {
	return strings.HasPrefix(group, "rds.aws.") || group == "aws.upbound.io" || group == "aws.m.upbound.io"
}

// SetupSafeStart makes every controller Setup adds wait for its CRDs: it
// gives the options a gate and adds the controller that opens it for each
// kind whose CRD is established (crossplane-runtime's customresourcesgate).
func SetupSafeStart(mgr ctrl.Manager, o *managedkit.Options) error {
	o.Gate = new(gate.Gate[schema.GroupVersionKind])
	return errors.Wrap(customresourcesgate.Setup(mgr, o.Options), "cannot set up the CRD gate")
}
