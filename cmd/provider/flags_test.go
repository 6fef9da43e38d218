package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A DeploymentRuntimeConfig written for the reference provider passes its
// flag names, short forms and environment variables; they all parse, with
// the same meaning where one applies.
func TestParseFlagsAcceptsTheReferenceProvidersFlags(t *testing.T) {
	t.Setenv("POD_NAMESPACE", "upbound-system")
	t.Setenv("TERRAFORM_VERSION", "1.5.7")
	t.Setenv("ENABLE_CHANGE_LOGS", "true")
	args := []string{
		"-d", "-s", "30m", "--poll=5m", "--poll-state-metric=5s", "-l", "--max-reconcile-rate=100",
		"--health-probe-bind-addr=:9999", "--metrics-bind-address=:9090",
		"--terraform-provider-source=hashicorp/aws", "--terraform-provider-version=6.0.0",
		"--terraform-native-provider-path=/terraform/provider-mirror", "--provider-ttl=100",
		"--no-enable-external-secret-stores", "--ess-tls-cert-dir=/tls", "--webhook-port=9443", "--certs-dir=/tls/server",
		"--changelogs-socket-path=/var/run/changelogs/changelogs.sock", "--enable-management-policies",
	}
	got, err := parseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	want := settings{
		debug: true, syncInterval: 30 * time.Minute, pollInterval: 5 * time.Minute, pollStateMetric: 5 * time.Second,
		maxReconcileRate: 100, awsAttemptTimeout: 30 * time.Second, leaderElection: true, managementPolicy: true, metricsAddr: ":9090", healthAddr: ":9999", pprofAddr: "0", namespace: "upbound-system",
		webhookPort: 9443, certsDir: "/tls/server",
		// $ENABLE_CHANGE_LOGS and the socket: change logs are recorded.
		changeLogs: true, changeLogsSocket: "/var/run/changelogs/changelogs.sock",
	}
	ignored := got.ignored
	got.ignored = nil
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(settings{})); diff != "" {
		t.Errorf("settings: -want, +got:\n%s", diff)
	}
	for _, name := range []string{"terraform-version", "terraform-provider-source", "provider-ttl", "ess-tls-cert-dir"} {
		if !strings.Contains(strings.Join(ignored, " "), "--"+name+" (") {
			t.Errorf("--%s was set but is not reported as ignored: %q", name, ignored)
		}
	}
	if strings.Contains(strings.Join(ignored, " "), "changelogs") {
		t.Errorf("the change-log flags have an effect and must not be reported as ignored: %q", ignored)
	}
	if strings.Contains(strings.Join(ignored, " "), "--enable-external-secret-stores") {
		t.Errorf("--no-enable-external-secret-stores changes nothing and need not be reported: %q", ignored)
	}
}

func TestParseFlagsDefaults(t *testing.T) {
	got, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := settings{
		syncInterval: time.Hour, pollInterval: time.Minute, pollStateMetric: time.Minute, maxReconcileRate: 100, awsAttemptTimeout: 30 * time.Second,
		managementPolicy: true, metricsAddr: ":8080", healthAddr: ":8081", pprofAddr: "0", namespace: "crossplane-system",
		webhookPort: 9443, certsDir: "/tls/server", changeLogsSocket: "/var/run/changelogs/changelogs.sock",
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(settings{})); diff != "" {
		t.Errorf("defaults: -want, +got:\n%s", diff)
	}
}

func TestParseFlagsRejectsUnknown(t *testing.T) {
	if _, err := parseFlags([]string{"--no-such-flag"}); err == nil {
		t.Error("an unknown flag was accepted; a typo would go unnoticed")
	}
}

// Flags without an environment variable of their own read PROVIDER_<FLAG>,
// as the reference provider's binary does.
func TestParseFlagsDefaultEnvars(t *testing.T) {
	t.Setenv("PROVIDER_POLL", "3m")
	t.Setenv("PROVIDER_MAX_RECONCILE_RATE", "20")
	got, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.pollInterval != 3*time.Minute || got.maxReconcileRate != 20 {
		t.Errorf("want poll 3m and max reconcile rate 20 from the environment, got %s and %d", got.pollInterval, got.maxReconcileRate)
	}
}
