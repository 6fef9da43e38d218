package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Crossplane is Crossplane core, with its package manager, and its RBAC
// manager, run out of cluster against an Env as their Deployments run
// them in a cluster. Packages render Deployments that no kubelet runs
// here: RunProvider runs one as a kubelet would, and until then the
// Deployments are reported available, so that revisions become healthy.
type Crossplane struct {
	env   *Env
	dir   string
	procs []*Process
	stop  context.CancelFunc
	done  chan struct{}
}

// StartCrossplane runs Crossplane core and the RBAC manager from the
// directory `make crossplane-assets` prints, trusting the registry CA in
// caBundle, with logs and files in dir.
func (e *Env) StartCrossplane(assets, dir, caBundle string) (*Crossplane, error) {
	kubeconfig, err := e.WriteKubeconfig(dir)
	if err != nil {
		return nil, err
	}
	clientCerts := filepath.Join(dir, "crossplane-tls")
	if err := WriteMTLSCerts(filepath.Join(dir, "unused-server-tls"), clientCerts); err != nil {
		return nil, err
	}
	ports := make([]int, 2)
	for i := range ports {
		if ports[i], err = FreePort(); err != nil {
			return nil, err
		}
	}
	xpkgCache := filepath.Join(dir, "xpkg")
	if err := os.MkdirAll(xpkgCache, 0o700); err != nil {
		return nil, err
	}
	// What a Crossplane install has before core starts: its own
	// ServiceAccount, whose pull secrets package Deployments inherit, and
	// (from `crossplane core init`) the runtime configuration every
	// package Deployment is rendered from.
	if err := e.Kube.Create(context.Background(), &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ProviderNamespace, Name: "crossplane"}}); err != nil {
		return nil, fmt.Errorf("cannot create Crossplane's ServiceAccount: %w", err)
	}
	drc := &unstructured.Unstructured{}
	drc.SetGroupVersionKind(schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1beta1", Kind: "DeploymentRuntimeConfig"})
	drc.SetName("default")
	if err := e.Kube.Create(context.Background(), drc); err != nil {
		return nil, fmt.Errorf("cannot create the default DeploymentRuntimeConfig: %w", err)
	}
	c := &Crossplane{env: e, dir: dir}
	env := []string{"KUBECONFIG=" + kubeconfig, "POD_NAMESPACE=" + ProviderNamespace}
	core, err := StartProcess("crossplane", dir, env, filepath.Join(assets, "crossplane"), "core", "start",
		"--package-runtime=Deployment", "--enable-webhooks=false", "--ca-bundle-path="+caBundle,
		"--tls-client-certs-dir="+clientCerts, "--xpkg-cache-dir="+xpkgCache,
		"--metrics-port="+strconv.Itoa(ports[0]), "--health-probe-port="+strconv.Itoa(ports[1]),
		"--poll-interval=2s", "--debug")
	if err != nil {
		return nil, err
	}
	c.procs = append(c.procs, core)
	rbac, err := startRBACManager(dir, env, assets)
	if err != nil {
		c.Stop()
		return nil, err
	}
	c.procs = append(c.procs, rbac)

	ctx, cancel := context.WithCancel(context.Background())
	c.stop, c.done = cancel, make(chan struct{})
	go c.reportDeploymentsAvailable(ctx)
	return c, nil
}

// startRBACManager starts Crossplane's RBAC manager. It has no flag for its
// metrics address and listens on controller-runtime's default, :8080,
// which another test process of the run may hold for a while: a start
// that finds the port taken is tried again, for up to a minute.
func startRBACManager(dir string, env []string, assets string) (*Process, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		rbac, err := StartProcess("crossplane-rbac-manager", dir, env, filepath.Join(assets, "crossplane"), "rbac", "start", "--poll-interval=2s", "--debug")
		if err != nil {
			return nil, err
		}
		select {
		case exit := <-rbac.Exited:
			if !strings.Contains(rbac.Log(), "address already in use") || time.Now().After(deadline) {
				return nil, fmt.Errorf("crossplane rbac start exited (%w):\n%s", exit, rbac.Log())
			}
			time.Sleep(3 * time.Second)
		case <-time.After(3 * time.Second):
			return rbac, nil
		}
	}
}

// Logs are the logs of Crossplane's processes.
func (c *Crossplane) Logs() []string {
	var out []string
	for _, p := range c.procs {
		out = append(out, p.LogPath+":\n"+p.Log())
	}
	return out
}

// Stop stops Crossplane.
func (c *Crossplane) Stop() {
	if c.stop != nil {
		c.stop()
		<-c.done
	}
	for _, p := range c.procs {
		p.Stop()
	}
}

// reportDeploymentsAvailable does what a kubelet and the Deployment
// controller would report of every package Deployment: that it is
// available. Crossplane takes a provider revision as healthy only then.
func (c *Crossplane) reportDeploymentsAvailable(ctx context.Context) {
	defer close(c.done)
	for {
		l := &appsv1.DeploymentList{}
		if err := c.env.Kube.List(ctx, l, client.InNamespace(ProviderNamespace)); err == nil {
			for i := range l.Items {
				d := &l.Items[i]
				if deploymentAvailable(d) {
					continue
				}
				d.Status.Replicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas, d.Status.UpdatedReplicas = 1, 1, 1, 1
				d.Status.ObservedGeneration = d.Generation
				d.Status.Conditions = []appsv1.DeploymentCondition{{
					Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: "MinimumReplicasAvailable",
					LastUpdateTime: metav1.Now(), LastTransitionTime: metav1.Now(),
				}}
				_ = c.env.Kube.Status().Update(ctx, d)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func deploymentAvailable(d *appsv1.Deployment) bool {
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// ProviderPod is what a kubelet would run for a provider Deployment that
// Crossplane rendered: the container's arguments and environment, with the
// identity of the Deployment's ServiceAccount.
type ProviderPod struct {
	Deployment     *appsv1.Deployment
	ServiceAccount string
	Args           []string
	Env            []string
	// Kubeconfig authenticates with a token of the ServiceAccount.
	Kubeconfig string
}

// PodFor prepares what a kubelet would run for Deployment name in the
// provider namespace, with its files in dir: a ServiceAccount token in
// place of the mounted one, and the Secret volumes (the webhook's TLS
// certificate) written out where the environment names them.
func (e *Env) PodFor(ctx context.Context, name, dir string) (*ProviderPod, error) {
	d := &appsv1.Deployment{}
	if err := e.Kube.Get(ctx, client.ObjectKey{Namespace: ProviderNamespace, Name: name}, d); err != nil {
		return nil, fmt.Errorf("cannot get the Deployment Crossplane rendered: %w", err)
	}
	spec := d.Spec.Template.Spec
	if len(spec.Containers) == 0 {
		return nil, fmt.Errorf("deployment %s has no container", name)
	}
	ctr := spec.Containers[0]
	pod := &ProviderPod{Deployment: d, ServiceAccount: spec.ServiceAccountName, Args: ctr.Args}
	var err error

	// Secret volumes, written where the container mounts them.
	mounts := map[string]string{}
	for _, m := range ctr.VolumeMounts {
		for _, v := range spec.Volumes {
			if v.Name != m.Name || v.Secret == nil {
				continue
			}
			s := &corev1.Secret{}
			if err = e.Kube.Get(ctx, client.ObjectKey{Namespace: ProviderNamespace, Name: v.Secret.SecretName}, s); err != nil {
				return nil, fmt.Errorf("cannot read the Secret of volume %s: %w", v.Name, err)
			}
			local := filepath.Join(dir, "volumes", v.Name)
			if err := os.MkdirAll(local, 0o700); err != nil {
				return nil, err
			}
			for k, val := range s.Data {
				if err := os.WriteFile(filepath.Join(local, k), val, 0o600); err != nil {
					return nil, err
				}
			}
			mounts[m.MountPath] = local
		}
	}
	values := map[string]string{}
	for _, ev := range ctr.Env {
		val := ev.Value
		if ev.ValueFrom != nil && ev.ValueFrom.FieldRef != nil {
			val = fieldOf(d, ev.ValueFrom.FieldRef.FieldPath)
		}
		for k, v := range values {
			val = strings.ReplaceAll(val, "$("+k+")", v)
		}
		for mountPath, local := range mounts {
			if val == mountPath || strings.HasPrefix(val, mountPath+"/") {
				val = local + strings.TrimPrefix(val, mountPath)
			}
		}
		values[ev.Name] = val
		pod.Env = append(pod.Env, ev.Name+"="+val)
	}

	if pod.Kubeconfig, err = e.ServiceAccountKubeconfig(ctx, pod.ServiceAccount, dir); err != nil {
		return nil, err
	}
	return pod, nil
}

// ServiceAccountKubeconfig writes into dir a kubeconfig that authenticates
// as a ServiceAccount of the provider namespace, and returns its path.
func (e *Env) ServiceAccountKubeconfig(ctx context.Context, sa, dir string) (string, error) {
	token, err := e.ServiceAccountToken(ctx, sa)
	if err != nil {
		return "", err
	}
	return e.writeTokenKubeconfig(dir, token)
}

// fieldOf resolves the downward API fields a provider Deployment uses.
func fieldOf(d *appsv1.Deployment, path string) string {
	switch {
	case path == "metadata.namespace":
		return d.Namespace
	case path == "metadata.name":
		return d.Name
	case strings.HasPrefix(path, "metadata.labels['"):
		return d.Spec.Template.Labels[strings.TrimSuffix(strings.TrimPrefix(path, "metadata.labels['"), "']")]
	}
	return ""
}

// ServiceAccountToken returns a token of a ServiceAccount of the provider
// namespace, as the kubelet mounts one into a pod.
func (e *Env) ServiceAccountToken(ctx context.Context, sa string) (string, error) {
	cs, err := kubernetes.NewForConfig(e.RESTConfig)
	if err != nil {
		return "", err
	}
	tr, err := cs.CoreV1().ServiceAccounts(ProviderNamespace).CreateToken(ctx, sa, &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)},
	}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("cannot get a token of ServiceAccount %s: %w", sa, err)
	}
	return tr.Status.Token, nil
}

// writeTokenKubeconfig writes a kubeconfig that authenticates with token.
func (e *Env) writeTokenKubeconfig(dir, token string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["envtest"] = &clientcmdapi.Cluster{Server: e.RESTConfig.Host, CertificateAuthorityData: e.RESTConfig.CAData}
	cfg.AuthInfos["provider"] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["provider"] = &clientcmdapi.Context{Cluster: "envtest", AuthInfo: "provider"}
	cfg.CurrentContext = "provider"
	path := filepath.Join(dir, "provider-kubeconfig")
	return path, clientcmd.WriteToFile(*cfg, path)
}

// RunProvider runs the provider binary as a kubelet would run the pod,
// with extra arguments for what a pod's own network would give it (its
// listeners on free ports of 127.0.0.1), logging into dir.
func (p *ProviderPod) RunProvider(bin, dir string, extraArgs ...string) (*Process, error) {
	ports := make([]int, 3)
	for i := range ports {
		var err error
		if ports[i], err = FreePort(); err != nil {
			return nil, err
		}
	}
	args := append(append([]string{}, p.Args...),
		fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", ports[0]),
		fmt.Sprintf("--health-probe-bind-address=127.0.0.1:%d", ports[1]),
		"--webhook-host=127.0.0.1", fmt.Sprintf("--webhook-port=%d", ports[2]))
	args = append(args, extraArgs...)
	return StartProcess("provider", dir, append(append([]string{}, p.Env...), "KUBECONFIG="+p.Kubeconfig), bin, args...)
}

// MetricsAddress is where RunProvider's process serves its metrics.
func MetricsAddress(args []string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--metrics-bind-address="); ok {
			return v
		}
	}
	return ""
}
