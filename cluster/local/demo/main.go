// Command demo shows the provider doing its job on this machine: it starts a
// local control plane and AWS emulator, runs the provider binary against
// them, applies the example Instance as users commit it, and reports its
// progress until the database is ready; then does the same for the
// namespaced (Crossplane v2) example. It then keeps everything running
// until interrupted (or, with DEMO_ONCE=1, exits).
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The examples the demo applies, exactly as users commit them: the seed
// manifest (cluster-scoped, rds.aws.upbound.io) first, then its namespaced
// twin (rds.aws.m.upbound.io).
const (
	example           = "examples/instance/production-db.yaml"
	namespacedExample = "examples/namespaced/orders-db.yaml"
)

const readyTimeout = 3 * time.Minute

func main() {
	// With its output piped (make demo | tee demo.log), the demo must still
	// stop everything it started after the reader is gone: a write to the
	// closed pipe then fails quietly instead of killing the demo before its
	// cleanup.
	signal.Ignore(syscall.SIGPIPE)
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// providerConfigs makes the credentials Secret, ProviderConfig
// aws-provider and ClusterProviderConfig default for the emulator.
func providerConfigs(ctx context.Context, env *harness.Env) error {
	step("creating the credentials Secret, ProviderConfig aws-provider and ClusterProviderConfig default for the emulator")
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		return err
	}
	pc := env.EmulatorProviderConfig("aws-provider")
	if err := env.Kube.Create(ctx, pc); err != nil {
		return err
	}
	cpc := &awsmv1beta1.ClusterProviderConfig{Spec: pc.Spec}
	cpc.SetName("default")
	return env.Kube.Create(ctx, cpc)
}

func run() error {
	once := os.Getenv("DEMO_ONCE") == "1"
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	providerBin, err := filepath.Abs(envOr("PROVIDER_BIN", "bin/provider"))
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "provider-rds-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work) //nolint:errcheck // Best effort on the way out.

	step("starting the local control plane (kube-apiserver, etcd) and the AWS emulator")
	env, err := harness.Start(ctx)
	if err != nil {
		return err
	}
	defer env.Stop()

	if err := providerConfigs(ctx, env); err != nil {
		return err
	}

	step("starting the provider (" + providerBin + ")")
	provider, err := env.StartProviderBinary(providerBin, work, "--poll=15s", "--metrics-bind-address=0", "--health-probe-bind-address=0")
	if err != nil {
		return err
	}
	defer provider.Stop()

	objs, err := apply(ctx, env, example)
	if err != nil {
		return err
	}
	in := &v1beta3.Instance{}
	if err := watch(ctx, env, client.ObjectKeyFromObject(objs[0]), in, &in.Status, provider); err != nil {
		return err
	}
	summary(in, in.Spec.WriteConnectionSecretToReference, harness.ProviderNamespace)

	objs, err = apply(ctx, env, namespacedExample)
	if err != nil {
		return err
	}
	nsIn := &nsv1beta1.Instance{}
	if err := watch(ctx, env, client.ObjectKeyFromObject(objs[len(objs)-1]), nsIn, &nsIn.Status, provider); err != nil {
		return err
	}
	var conn *xpv2.SecretReference
	if ref := nsIn.Spec.WriteConnectionSecretToReference; ref != nil {
		conn = &xpv2.SecretReference{Namespace: nsIn.GetNamespace(), Name: ref.Name}
	}
	summary(nsIn, conn, nsIn.GetNamespace())
	if once {
		return nil
	}
	fmt.Printf(`
The environment keeps running until you press Ctrl-C.
  kubectl:  KUBECONFIG=%s kubectl get instances.rds.aws.upbound.io,instances.rds.aws.m.upbound.io -A
  AWS CLI:  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url %s --region %s rds describe-db-instances
  provider log: %s
`, filepath.Join(work, "kubeconfig"), env.Backend.Endpoint, harness.Region, provider.LogPath)
	select {
	case <-ctx.Done():
		step("stopping everything the demo started")
		return nil
	case err := <-provider.Exited:
		return fmt.Errorf("the provider exited (%w):\n%s", err, provider.Log())
	}
}

// apply creates the objects of an example file, in the versions it names.
func apply(ctx context.Context, env *harness.Env, path string) ([]*unstructured.Unstructured, error) {
	step("applying " + path)
	raw, err := os.ReadFile(filepath.Join(env.Root, path))
	if err != nil {
		return nil, err
	}
	objs, err := harness.DecodeObjects(bytes.NewReader(raw))
	if err != nil || len(objs) == 0 {
		return nil, fmt.Errorf("%s: want objects: %w", path, err)
	}
	for _, o := range objs {
		if err := env.Kube.Create(ctx, o); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// watch prints each change of an Instance's state (of either scope: both
// have the same status) until it is Ready and Synced, and fails if that
// takes too long or the provider dies.
func watch(ctx context.Context, env *harness.Env, key client.ObjectKey, in client.Object, status *v1beta3.InstanceStatus, provider *harness.Process) error {
	deadline := time.After(readyTimeout)
	last := ""
	for {
		if err := env.Kube.Get(ctx, key, in); err != nil {
			return err
		}
		ready, synced := status.GetCondition(xpv2.TypeReady), status.GetCondition(xpv2.TypeSynced)
		line := fmt.Sprintf("%s  Ready=%s%s  Synced=%s%s  AWS status=%s", key.Name,
			orUnknown(ready.Status), detail(ready), orUnknown(synced.Status), detail(synced), orDash(aws.ToString(status.AtProvider.Status)))
		if line != last {
			fmt.Printf("  %s  %s\n", time.Now().Format("15:04:05"), line)
			last = line
		}
		if ready.Status == corev1.ConditionTrue && synced.Status == corev1.ConditionTrue {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-provider.Exited:
			return fmt.Errorf("the provider exited (%w):\n%s", err, provider.Log())
		case <-deadline:
			return fmt.Errorf("%s was not Ready and Synced within %s; last state: %s", key.Name, readyTimeout, line)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// summary prints what a user needs of a ready Instance of either scope:
// its generated password is kept in secretsNamespace.
func summary(in resource.Managed, conn *xpv2.SecretReference, secretsNamespace string) {
	status := &v1beta3.InstanceStatus{}
	switch cr := in.(type) {
	case *v1beta3.Instance:
		status = &cr.Status
	case *nsv1beta1.Instance:
		status = &cr.Status
	}
	ap := status.AtProvider
	name := in.GetName()
	if in.GetNamespace() != "" {
		name = in.GetNamespace() + "/" + name
	}
	fmt.Printf(`
%s is ready.
  identifier:  %s
  engine:      %s %s on %s, %.0f GiB
  endpoint:    %s
  username:    %s
  password:    in Secret %s/%s, key "password" (not shown)
`, name, meta.GetExternalName(in), aws.ToString(ap.Engine), aws.ToString(ap.EngineVersionActual), aws.ToString(ap.InstanceClass),
		aws.ToFloat64(ap.AllocatedStorage), aws.ToString(ap.Endpoint), aws.ToString(ap.Username),
		secretsNamespace, instance.GeneratedSecretName(in.GetName()))
	if conn != nil {
		fmt.Printf("  connection details: Secret %s/%s\n", conn.Namespace, conn.Name)
	} else {
		fmt.Println("  connection details: set spec.writeConnectionSecretToRef to get endpoint, username, password and a URL in one Secret")
	}
}

func step(s string) { fmt.Printf("==> %s\n", s) }

func detail(c xpv2.Condition) string {
	var parts []string
	if c.Reason != "" {
		parts = append(parts, string(c.Reason))
	}
	if c.Message != "" {
		parts = append(parts, c.Message)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ": ") + ")"
}

func orUnknown(s corev1.ConditionStatus) string {
	if s == "" {
		return "Unknown"
	}
	return string(s)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
