package kubectlrds

import (
	"context"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

// AppID names the plugin in the User-Agent of its AWS calls, so that
// CloudTrail (and the test bed) tell them from the provider's.
const AppID = "kubectl-rds"

// target is where a command reads from: the cluster of the current
// kubeconfig, when there is one, and AWS through the ProviderConfig an
// object names, or through the environment's credentials.
type target struct {
	// kube reads the cluster; it refuses writes (managedkit.ReadOnly).
	// Without a cluster it finds nothing.
	kube      client.Client
	inCluster bool
	resolver  *awsconfig.Resolver
	// ambient uses the environment's AWS credentials (profile, if set)
	// instead of ProviderConfigs.
	ambient bool
	profile string
	// providerConfig, when set, replaces the ProviderConfig objects name.
	providerConfig string
	// namespace is the kubeconfig context's (or --namespace), for
	// namespaced objects that name none.
	namespace string
	// providerNamespace is where the provider keeps its own Secrets.
	providerNamespace string
	adopting          []string
}

// connect opens the cluster of the kubeconfig, when one is found; without
// one, only ambient credentials can be used.
func connect(kubeconfig, namespace string, ambient bool) (*target, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{})
	t := &target{namespace: namespace, ambient: ambient, kube: managedkit.ReadOnly(noCluster{})}
	if t.namespace == "" {
		t.namespace = "default"
		if ns, _, err := cc.Namespace(); err == nil && ns != "" {
			t.namespace = ns
		}
	}
	cfg, err := cc.ClientConfig()
	if err != nil {
		if kubeconfig != "" || !clientcmd.IsEmptyConfig(err) {
			return nil, errors.Wrap(err, "cannot read the kubeconfig")
		}
		// No cluster: the environment's credentials, or nothing.
		t.ambient = true
		return t, nil
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, errors.Wrap(err, "cannot connect to the cluster")
	}
	t.kube, t.inCluster = managedkit.ReadOnly(c), true
	t.resolver = awsconfig.NewResolver(t.kube, nil, awsconfig.DefaultAttemptTimeout).WithAppID(AppID)
	return t, nil
}

// session returns the AWS session of a managed resource, read-only.
func (t *target) session(ctx context.Context, mg resource.Managed, region string) (awsconfig.Session, error) {
	if t.ambient {
		s, err := awsconfig.AmbientSession(ctx, AppID, t.profile, region)
		return s.ReadOnly(), err
	}
	ref := managedkit.ConfigRefOf(mg)
	if t.providerConfig != "" {
		ref.Name = t.providerConfig
	}
	s, err := t.resolver.ResolveRef(ctx, ref, region)
	if err != nil {
		return awsconfig.Session{}, errors.Wrapf(err, "ProviderConfig %s", ref.Name)
	}
	return s.ReadOnly(), nil
}

// noCluster is the cluster of a command run without one: it holds nothing.
type noCluster struct{ client.Client }

func (noCluster) Get(_ context.Context, key client.ObjectKey, _ client.Object, _ ...client.GetOption) error {
	return kerrors.NewNotFound(schema.GroupResource{}, key.Name)
}

func (noCluster) List(context.Context, client.ObjectList, ...client.ListOption) error {
	return nil
}
