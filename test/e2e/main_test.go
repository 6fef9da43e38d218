// Package e2e tests the provider end to end: a real kube-apiserver and etcd,
// a real AWS emulator, and the provider's controllers running in-process.
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/provider-rds/provider-rds/test/harness"
)

// pollInterval of the provider under test: short, so that drift tests run
// in seconds, and long enough to count calls per poll.
const pollInterval = 2 * time.Second

// providerConfigName is the ProviderConfig the examples reference.
const providerConfigName = "aws-provider"

var env *harness.Env

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	if env, err = harness.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: cannot start the test environment:", err)
		return 1
	}
	defer env.Stop()
	waitTimeout, driftWindow = env.Patience(waitTimeout), env.Patience(driftWindow)
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if err := env.Kube.Create(ctx, env.EmulatorProviderConfig(providerConfigName)); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	// The platform's grants the tenancy catalogue runs against.
	if err := env.StartProvider(harness.ProviderOptions{PollInterval: pollInterval,
		IdentityNamespaces: []string{grantedNS}, IdentityEndpoints: []string{env.Backend.Endpoint},
		AdoptingNamespaces: []string{importNamespace}}); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: cannot start the provider:", err)
		return 1
	}
	code := m.Run()
	// Whatever each test checked, a secret that leaked anywhere in the
	// suite (the provider's log, events, any managed resource, metrics)
	// fails the run.
	if env.SuiteLeakedSecrets("e2e") {
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "e2e: tests failed; %s backend log:\n%s\n", env.Backend.Kind, env.Backend.Log())
	}
	return code
}
