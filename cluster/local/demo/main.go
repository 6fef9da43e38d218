// Command demo shows the provider doing its job on this machine: it starts a
// local control plane and AWS emulator, runs the provider binary against
// them, applies the example Instance as users commit it, and reports its
// progress until the database is ready. It then keeps everything running
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
	"k8s.io/apimachinery/pkg/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The example the demo applies, exactly as users commit it.
const example = "examples/instance/production-db.yaml"

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

	step("creating the credentials Secret and ProviderConfig aws-provider for the emulator")
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		return err
	}
	if err := env.Kube.Create(ctx, env.EmulatorProviderConfig("aws-provider")); err != nil {
		return err
	}

	step("starting the provider (" + providerBin + ")")
	provider, err := env.StartProviderBinary(providerBin, work, "--poll=15s", "--metrics-bind-address=0", "--health-probe-bind-address=0")
	if err != nil {
		return err
	}
	defer provider.Stop()

	step("applying " + example)
	raw, err := os.ReadFile(filepath.Join(env.Root, example))
	if err != nil {
		return err
	}
	objs, err := harness.DecodeObjects(bytes.NewReader(raw))
	if err != nil || len(objs) != 1 {
		return fmt.Errorf("%s: want one object: %v", example, err)
	}
	if err := env.Kube.Create(ctx, objs[0]); err != nil {
		return err
	}

	in, err := watch(ctx, env, objs[0].GetName(), provider)
	if err != nil {
		return err
	}
	summary(in)
	if once {
		return nil
	}
	fmt.Printf(`
The environment keeps running until you press Ctrl-C.
  kubectl:  KUBECONFIG=%s kubectl get instances.rds.aws.upbound.io
  AWS CLI:  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url %s --region %s rds describe-db-instances
  provider log: %s
`, filepath.Join(work, "kubeconfig"), env.Backend.Endpoint, harness.Region, provider.LogPath)
	select {
	case <-ctx.Done():
		step("stopping everything the demo started")
		return nil
	case err := <-provider.Exited:
		return fmt.Errorf("the provider exited (%v):\n%s", err, provider.Log())
	}
}

// watch prints each change of the Instance's state until it is Ready and
// Synced, and fails if that takes too long or the provider dies.
func watch(ctx context.Context, env *harness.Env, name string, provider *harness.Process) (*v1beta3.Instance, error) {
	deadline := time.After(readyTimeout)
	last := ""
	for {
		in := &v1beta3.Instance{}
		if err := env.Kube.Get(ctx, types.NamespacedName{Name: name}, in); err != nil {
			return nil, err
		}
		ready, synced := in.Status.GetCondition(xpv2.TypeReady), in.Status.GetCondition(xpv2.TypeSynced)
		line := fmt.Sprintf("%s  Ready=%s%s  Synced=%s%s  AWS status=%s", name,
			orUnknown(ready.Status), detail(ready), orUnknown(synced.Status), detail(synced), orDash(aws.ToString(in.Status.AtProvider.Status)))
		if line != last {
			fmt.Printf("  %s  %s\n", time.Now().Format("15:04:05"), line)
			last = line
		}
		if ready.Status == corev1.ConditionTrue && synced.Status == corev1.ConditionTrue {
			return in, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case err := <-provider.Exited:
			return nil, fmt.Errorf("the provider exited (%v):\n%s", err, provider.Log())
		case <-deadline:
			return nil, fmt.Errorf("%s was not Ready and Synced within %s; last state: %s", name, readyTimeout, line)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func summary(in *v1beta3.Instance) {
	ap := in.Status.AtProvider
	fmt.Printf(`
%s is ready.
  identifier:  %s
  engine:      %s %s on %s, %.0f GiB
  endpoint:    %s
  username:    %s
  password:    in Secret %s/%s, key "password" (not shown)
`, in.GetName(), meta.GetExternalName(in), aws.ToString(ap.Engine), aws.ToString(ap.EngineVersionActual), aws.ToString(ap.InstanceClass),
		aws.ToFloat64(ap.AllocatedStorage), aws.ToString(ap.Endpoint), aws.ToString(ap.Username),
		harness.ProviderNamespace, instance.GeneratedSecretName(in.GetName()))
	if ref := in.Spec.WriteConnectionSecretToReference; ref != nil {
		fmt.Printf("  connection details: Secret %s/%s\n", ref.Namespace, ref.Name)
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
