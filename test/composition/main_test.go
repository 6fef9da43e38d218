// Package composition tests the provider under a real Crossplane: a claim
// composed by function-patch-and-transform into an Instance, on a control
// plane with the garbage collector of kube-controller-manager, against the
// AWS emulator.
package composition

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/provider-rds/provider-rds/test/harness"
)

const (
	functionName = "function-patch-and-transform"
	pollInterval = 2 * time.Second
)

var (
	env    *harness.Env
	assets string
	procs  []*harness.Process
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if assets = os.Getenv(harness.EnvCrossplaneAssets); assets == "" {
		fmt.Fprintf(os.Stderr, "composition: %s is not set: run the tests with `make test`, which builds Crossplane and the function\n", harness.EnvCrossplaneAssets)
		return 1
	}
	dir, err := os.MkdirTemp("", "provider-rds-composition-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "composition:", err)
		return 1
	}
	defer os.RemoveAll(dir) //nolint:errcheck // Best effort.
	if env, err = harness.Start(ctx, filepath.Join(assets, "crds")); err != nil {
		fmt.Fprintln(os.Stderr, "composition: cannot start the test environment:", err)
		return 1
	}
	defer env.Stop()
	defer func() {
		for _, p := range procs {
			p.Stop()
		}
	}()
	if err := start(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, "composition:", err)
		printLogs()
		return 1
	}
	code := m.Run()
	// A secret that leaked anywhere while Crossplane drove the provider
	// fails the run.
	if env.SuiteLeakedSecrets("composition", procLogs()...) {
		code = 1
	}
	if code != 0 {
		printLogs()
	}
	return code
}

// procLogs are the logs of the processes beside the provider (Crossplane
// among them).
func procLogs() []string {
	var out []string
	for _, p := range procs {
		out = append(out, p.Log())
	}
	return out
}

func printLogs() {
	for _, p := range procs {
		fmt.Fprintf(os.Stderr, "==> %s\n%s\n", p.LogPath, tail(p.Log(), 4000))
	}
	fmt.Fprintf(os.Stderr, "==> %s backend\n%s\n", env.Backend.Kind, tail(env.Backend.Log(), 2000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// start runs, beside the control plane: kube-controller-manager with only
// the garbage collector and namespace controllers, the function over mutual
// TLS, Crossplane core out of cluster, and our provider.
func start(ctx context.Context, dir string) error {
	kubeconfig, err := env.WriteKubeconfig(dir)
	if err != nil {
		return err
	}
	kcm, err := harness.StartProcess("kube-controller-manager", dir, nil,
		filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kube-controller-manager"),
		"--kubeconfig="+kubeconfig, "--controllers=garbagecollector,namespace",
		"--leader-elect=false", "--secure-port=0", "--use-service-account-credentials=false")
	if err != nil {
		return err
	}
	procs = append(procs, kcm)

	serverCerts, clientCerts := filepath.Join(dir, "function-tls"), filepath.Join(dir, "crossplane-tls")
	if err := harness.WriteMTLSCerts(serverCerts, clientCerts); err != nil {
		return err
	}
	fnPort, err := harness.FreePort()
	if err != nil {
		return err
	}
	fn, err := harness.StartProcess(functionName, dir, nil, filepath.Join(assets, functionName),
		"--tls-certs-dir="+serverCerts, fmt.Sprintf("--address=127.0.0.1:%d", fnPort), "--debug")
	if err != nil {
		return err
	}
	procs = append(procs, fn)
	if err := registerFunction(ctx, fmt.Sprintf("127.0.0.1:%d", fnPort)); err != nil {
		return err
	}

	metricsPort, err := harness.FreePort()
	if err != nil {
		return err
	}
	healthPort, err := harness.FreePort()
	if err != nil {
		return err
	}
	xpkgCache := filepath.Join(dir, "xpkg")
	if err := os.MkdirAll(xpkgCache, 0o700); err != nil {
		return err
	}
	xp, err := harness.StartProcess("crossplane", dir, []string{"KUBECONFIG=" + kubeconfig, "POD_NAMESPACE=" + harness.ProviderNamespace},
		filepath.Join(assets, "crossplane"), "core", "start",
		"--enable-webhooks=false", "--package-runtime=External", "--tls-client-certs-dir="+clientCerts,
		"--xpkg-cache-dir="+xpkgCache, "--metrics-port="+strconv.Itoa(metricsPort), "--health-probe-port="+strconv.Itoa(healthPort),
		"--poll-interval="+pollInterval.String(), "--debug")
	if err != nil {
		return err
	}
	procs = append(procs, xp)

	if err := env.CreateCredentialsSecret(ctx); err != nil {
		return err
	}
	if err := env.Kube.Create(ctx, env.EmulatorProviderConfig("aws-provider")); err != nil {
		return err
	}
	return env.StartProvider(harness.ProviderOptions{PollInterval: pollInterval})
}

// registerFunction makes the function known to Crossplane without pulling
// its package: an active FunctionRevision, paused so that the package
// manager leaves it alone, whose status names the local gRPC endpoint.
func registerFunction(ctx context.Context, endpoint string) error {
	rev := &unstructured.Unstructured{}
	rev.SetGroupVersionKind(schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: "FunctionRevision"})
	rev.SetName(functionName + "-local")
	rev.SetLabels(map[string]string{"pkg.crossplane.io/package": functionName})
	rev.SetAnnotations(map[string]string{"crossplane.io/paused": "true"})
	_ = unstructured.SetNestedField(rev.Object, "Active", "spec", "desiredState")
	_ = unstructured.SetNestedField(rev.Object, "xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.7", "spec", "image")
	_ = unstructured.SetNestedField(rev.Object, int64(1), "spec", "revision")
	if err := env.Kube.Create(ctx, rev); err != nil {
		return fmt.Errorf("cannot create the FunctionRevision: %w", err)
	}
	_ = unstructured.SetNestedField(rev.Object, endpoint, "status", "endpoint")
	_ = unstructured.SetNestedStringSlice(rev.Object, []string{"composition"}, "status", "capabilities")
	if err := env.Kube.Status().Update(ctx, rev); err != nil {
		return fmt.Errorf("cannot set the FunctionRevision's endpoint: %w", err)
	}
	return nil
}
