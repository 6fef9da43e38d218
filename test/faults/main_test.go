// Package faults is the fault catalogue. Each test runs the provider binary,
// as users run it, against a real control plane and the stricter test bed
// reached through a fault proxy, injects one fault, and asserts with the
// AWS calls counted at the proxy that no database is duplicated or lost,
// that no password is lost or changed, that the resource says what is
// wrong while the fault lasts, that the provider backs off rather than
// storms, and that it recovers once the fault ends.
package faults

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/provider-rds/provider-rds/test/harness"
)

const (
	// pollInterval of the provider under test.
	pollInterval = 2 * time.Second
	// attemptTimeout of the provider's AWS calls (--aws-attempt-timeout),
	// short so that a response held past it costs seconds.
	attemptTimeout = 2 * time.Second
	// providerConfigName is the ProviderConfig whose endpoint is the proxy.
	providerConfigName = "through-faults"
	// waitTimeout bounds each wait for the provider.
	waitTimeout = 60 * time.Second
)

var (
	env         *harness.Env
	proxy       *harness.FaultProxy
	providerBin string
	// skipReason is why the catalogue cannot run on this backend: it
	// restarts and steers the emulator the harness started.
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var err error
	if env, err = harness.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "faults: cannot start the test environment:", err)
		return 1
	}
	defer env.Stop()
	if env.Backend.Kind != harness.BackendStrict {
		skipReason = "the fault catalogue restarts and steers the emulator the harness starts; the backend is " + env.Backend.Kind
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "provider-rds-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if providerBin, err = env.BuildProviderIn(dir); err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	if proxy, err = harness.StartFaultProxy(env.Backend.Endpoint); err != nil {
		fmt.Fprintln(os.Stderr, "faults: cannot start the fault proxy:", err)
		return 1
	}
	defer proxy.Stop()
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	pc := env.EmulatorProviderConfig(providerConfigName)
	pc.Spec.Endpoint.URL.Static = &proxy.URL
	if err := env.Kube.Create(ctx, pc); err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		return 1
	}
	code := m.Run()
	// Each test searched its providers' logs; what stays in the cluster
	// (events, resources) is searched once more for the whole suite.
	if env.SuiteLeakedSecrets("faults") {
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "faults: tests failed; %s backend log:\n%s\n", env.Backend.Kind, env.Backend.Log())
	}
	return code
}
