// Package binary tests the provider binary as users run it out of cluster:
// against a control plane through KUBECONFIG, with its probes and metrics.
package binary

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The binary, started with the reference provider's flags and electing
// itself leader, reconciles an Instance to Ready through KUBECONFIG, answers
// its health probes, and serves the managed-resource and AWS-call metrics.
func TestProviderBinaryServesMetrics(t *testing.T) {
	ctx := context.Background()
	env, err := harness.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Stop)

	bin := env.BuildProvider(t)
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		t.Fatal(err)
	}
	if err := env.Kube.Create(ctx, env.EmulatorProviderConfig("aws-provider")); err != nil {
		t.Fatal(err)
	}
	metricsPort, err := harness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	healthPort, err := harness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	// Flags as a DeploymentRuntimeConfig written for the reference provider
	// passes them: its short forms, its name of the probe address, and its
	// Terraform flags.
	p, err := env.StartProviderBinary(bin, t.TempDir(), "--poll=2s", "-d", "-l", "-s", "1h", "--poll-state-metric=5s", "--max-reconcile-rate=10",
		fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", metricsPort), fmt.Sprintf("--health-probe-bind-addr=127.0.0.1:%d", healthPort),
		"--cluster-scoped-secret-namespaces=crossplane-system, default",
		"--enable-management-policies", "--no-enable-external-secret-stores", "--enable-changelogs", "--changelogs-socket-path=/var/run/changelogs/changelogs.sock",
		"--terraform-version=1.5.7", "--terraform-provider-source=hashicorp/aws", "--terraform-provider-version=6.0.0",
		"--terraform-native-provider-path=/terraform/provider-mirror/registry.terraform.io/hashicorp/aws/6.0.0/linux_amd64/terraform-provider-aws", "--provider-ttl=100")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("provider log:\n%s", p.Log())
		}
	})

	in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "metrics-db"}}
	in.Spec.ProviderConfigReference = &xpv2.Reference{Name: "aws-provider"}
	in.Spec.ForProvider = v1beta3.InstanceParameters{
		Region: aws.String(harness.Region), InstanceClass: aws.String("db.t3.micro"), Engine: aws.String("mysql"),
		AllocatedStorage: aws.Float64(20), SkipFinalSnapshot: aws.Bool(true),
	}
	if err := env.Kube.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 60*time.Second, "metrics-db Ready", func() (bool, string) {
		got := &v1beta3.Instance{}
		if err := env.Kube.Get(ctx, types.NamespacedName{Name: "metrics-db"}, got); err != nil {
			return false, err.Error()
		}
		return got.Status.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue, fmt.Sprintf("%+v", got.Status.Conditions)
	})

	// A namespaced Instance, with the ClusterProviderConfig "default", has
	// its metrics too.
	cpc := &awsmv1beta1.ClusterProviderConfig{Spec: env.EmulatorProviderConfig("default").Spec}
	cpc.SetName("default")
	if err := env.Kube.Create(ctx, cpc); err != nil {
		t.Fatal(err)
	}
	ns := &corev1.Namespace{}
	ns.SetName("team-metrics")
	if err := env.Kube.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	nsIn := &nsv1beta1.Instance{ObjectMeta: metav1.ObjectMeta{Namespace: "team-metrics", Name: "metrics-ns-db"}}
	nsIn.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: "ClusterProviderConfig", Name: "default"}
	nsIn.Spec.ForProvider.Region, nsIn.Spec.ForProvider.InstanceClass, nsIn.Spec.ForProvider.Engine = aws.String(harness.Region), aws.String("db.t3.micro"), aws.String("mysql")
	nsIn.Spec.ForProvider.AllocatedStorage, nsIn.Spec.ForProvider.SkipFinalSnapshot = aws.Float64(20), aws.Bool(true)
	if err := env.Kube.Create(ctx, nsIn); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 60*time.Second, "team-metrics/metrics-ns-db Ready", func() (bool, string) {
		got := &nsv1beta1.Instance{}
		if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: "team-metrics", Name: "metrics-ns-db"}, got); err != nil {
			return false, err.Error()
		}
		return got.Status.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue, fmt.Sprintf("%+v", got.Status.Conditions)
	})

	// The operator limited the namespaces of cluster-scoped resources'
	// Secrets: an Instance whose password Secret is elsewhere is refused
	// (and the namespaced Instance above, in its own namespace, was not).
	outside := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "outside-db"}}
	outside.Spec.ProviderConfigReference = &xpv2.Reference{Name: "aws-provider"}
	outside.Spec.ForProvider = v1beta3.InstanceParameters{
		Region: aws.String(harness.Region), InstanceClass: aws.String("db.t3.micro"), Engine: aws.String("mysql"),
		AllocatedStorage: aws.Float64(20), SkipFinalSnapshot: aws.Bool(true),
		PasswordSecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "kube-system", Name: "pw"}, Key: "password"},
	}
	if err := env.Kube.Create(ctx, outside); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 30*time.Second, "outside-db refused", func() (bool, string) {
		got := &v1beta3.Instance{}
		if err := env.Kube.Get(ctx, types.NamespacedName{Name: "outside-db"}, got); err != nil {
			return false, err.Error()
		}
		c := got.Status.GetCondition(xpv2.TypeSynced)
		return c.Status == corev1.ConditionFalse && strings.Contains(c.Message, `cluster-scoped managed resources may use Secrets only in the namespaces crossplane-system, default (the provider's --cluster-scoped-secret-namespaces): spec.forProvider.passwordSecretRef names namespace "kube-system"`), c.Message
	})

	if log := p.Log(); !strings.Contains(log, "Ignoring a flag of the reference provider") || !strings.Contains(log, "--terraform-version") {
		t.Errorf("the Terraform flags were not reported as ignored:\n%s", log)
	}
	env.CheckNoSecretsLeaked(t, p.Log())
	checkWebhookTLS(t, env.WebhookAddr())
	for _, probe := range []string{"/healthz", "/readyz"} {
		if code, _ := get(t, fmt.Sprintf("http://127.0.0.1:%d%s", healthPort, probe)); code != http.StatusOK {
			t.Errorf("%s: want 200, got %d", probe, code)
		}
	}
	want := []string{
		`provider_rds_aws_api_calls_total{operation="CreateDBInstance",outcome="success",service="rds"} 2`,
		`provider_rds_aws_api_calls_total{operation="DescribeDBInstances",outcome="success",service="rds"}`,
		`crossplane_managed_resource_first_time_to_readiness_seconds_count{`,
		`crossplane_managed_resource_first_time_to_reconcile_seconds_count{`,
		`gvk="rds.aws.upbound.io/v1beta3, Kind=Instance"`,
		`gvk="rds.aws.m.upbound.io/v1beta1, Kind=Instance"`,
	}
	// --enable-changelogs names a socket no sidecar serves: every Instance
	// above still became Ready, and the entries it could not deliver are
	// counted, not waited for.
	want = append(want, `provider_rds_changelog_entries_dropped_total{reason="send-failed"}`)
	harness.Eventually(t, 60*time.Second, "/metrics serves the managed-resource, AWS-call and change-log metrics", func() (bool, string) {
		_, body := get(t, fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort))
		for _, w := range want {
			if !strings.Contains(body, w) {
				return false, "lacks " + w + ":\n" + grepMetrics(body)
			}
		}
		return true, ""
	})
}

// The conversion webhook speaks TLS 1.2 or newer, and HTTP/1.1 only:
// HTTP/2 is off unless --webhook-enable-http2.
func checkWebhookTLS(t *testing.T, addr string) {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"h2", "http/1.1"}}) //nolint:gosec // Only the server's TLS policy is checked.
	if err != nil {
		t.Fatalf("the conversion webhook does not answer TLS on %s: %v", addr, err)
	}
	if got := c.ConnectionState().NegotiatedProtocol; got == "h2" {
		t.Errorf("the conversion webhook agreed to HTTP/2")
	}
	_ = c.Close()
	if c, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11}); err == nil { //nolint:gosec // Checks that the server refuses old TLS.
		_ = c.Close()
		t.Errorf("the conversion webhook accepted TLS 1.1")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	rsp, err := http.Get(url) //nolint:gosec // G107: a loopback probe of the process under test.
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer rsp.Body.Close() //nolint:errcheck // Read-only.
	b, _ := io.ReadAll(rsp.Body)
	return rsp.StatusCode, string(b)
}

func grepMetrics(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "provider_rds") || strings.HasPrefix(l, "crossplane_") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
