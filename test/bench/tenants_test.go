package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/test/harness"
)

// tenancy is BENCH_TENANTS namespaces (50 by default) of BENCH_PER_TENANT
// Instances each (20).
func tenancy(b *testing.B) (tenants, perTenant int) {
	get := func(name string, def int) int {
		v := os.Getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("%s=%q is not a positive number", name, v)
		}
		return n
	}
	return get("BENCH_TENANTS", 50), get("BENCH_PER_TENANT", 20)
}

// BenchmarkTenants runs a multi-tenant fleet once (-benchtime=1x): every
// namespace has its own namespaced ProviderConfig with credentials of its
// own (validated with STS, as users leave it) and its own Instances, all
// applied at once behind AWS's throttling. It measures what each tenant
// costs in credential and Describe calls once the fleet is steady, and the
// provider's memory and CPU.
func BenchmarkTenants(b *testing.B) {
	tenants, perTenant := tenancy(b)
	n := tenants * perTenant
	ctx := context.Background()
	env, _, bin := startBed(b)

	namespaces := make([]string, tenants)
	for i := range namespaces {
		ns := fmt.Sprintf("tenant-%02d", i)
		namespaces[i] = ns
		if err := env.Kube.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			b.Fatal(err)
		}
		// Credentials of the tenant's own: another access key per tenant.
		doc := fmt.Sprintf("[default]\naws_access_key_id = AKIATENANT%010d\naws_secret_access_key = tenant-secret-%02d\n", i, i)
		if err := env.Kube.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "aws-creds"}, Data: map[string][]byte{"credentials": []byte(doc)}}); err != nil {
			b.Fatal(err)
		}
		pc := &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "team"}, Spec: env.EmulatorProviderConfig("team").Spec}
		pc.Spec.Credentials.SecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: ns, Name: "aws-creds"}, Key: "credentials"}
		pc.Spec.SkipCredsValidation = false
		if err := env.Kube.Create(ctx, pc); err != nil {
			b.Fatal(err)
		}
	}
	proc, metricsURL := startProvider(b, env, bin, nil)

	keys := make([]string, 0, n)
	for _, ns := range namespaces {
		for j := range perTenant {
			keys = append(keys, ns+"/"+fmt.Sprintf("%s-db-%02d", ns, j))
		}
	}
	progress("applying %d Instances in %d namespaces", n, tenants)
	start := time.Now()
	parallel(b, keys, func(key string) error {
		ns, name, _ := strings.Cut(key, "/")
		return env.Kube.Create(ctx, tenantInstance(ns, name))
	})
	var allReady time.Duration
	waitTenants(b, env, n, 10*time.Minute, func(list []nsv1beta1.Instance) bool {
		ready := 0
		allReady = 0
		for _, in := range list {
			if c := in.Status.GetCondition(xpv2.TypeReady); c.Status == corev1.ConditionTrue {
				ready++
				allReady = max(allReady, c.LastTransitionTime.Sub(start))
			}
		}
		return ready == n
	})
	progress("all %d Ready after %s; measuring the steady state for %d polls after one more", n, allReady.Round(time.Second), steadyPolls)
	floor := max(0, float64(n-burst)) / rate
	results := []result{
		{metric: "all Ready after apply", unit: "s", got: allReady.Seconds(), goal: max(1.15*floor, 10), atMost: true,
			note: fmt.Sprintf("floor %.0f s: %d creates past a burst of %d at %d/s", floor, n, burst, rate)},
	}

	time.Sleep(poll)
	rdsBefore, stsBefore := harness.AWSCalls(b, metricsURL, "rds"), harness.AWSCalls(b, metricsURL, "sts")
	cpuBefore := proc.cpuSeconds(b)
	windowStart := time.Now()
	rss := 0.0
	for time.Since(windowStart) < steadyPolls*poll {
		rss = max(rss, proc.rssMiB(b))
		time.Sleep(5 * time.Second)
	}
	window := time.Since(windowStart)
	cpu := (proc.cpuSeconds(b) - cpuBefore) / window.Seconds()
	rdsSteady := counts(harness.AWSCalls(b, metricsURL, "rds")).since(counts(rdsBefore))
	stsSteady := counts(harness.AWSCalls(b, metricsURL, "sts")).since(counts(stsBefore))
	polls := window.Seconds() / poll.Seconds()
	stsTotal := counts(harness.AWSCalls(b, metricsURL, "sts")).sum(func(string, string) bool { return true })
	results = append(results,
		result{metric: "STS calls per ProviderConfig per hour, steady", got: float64(stsSteady.sum(func(string, string) bool { return true })) / float64(tenants) / (window.Hours()), goal: 1, atMost: true,
			note: "constant: credentials are validated once per ProviderConfig, not per Instance"},
		result{metric: "STS calls per ProviderConfig, whole run", got: float64(stsTotal) / float64(tenants), known: true},
		result{metric: "DescribeDBInstances per ProviderConfig per poll, steady", got: float64(rdsSteady.by("DescribeDBInstances")) / float64(tenants) / polls, goal: 1, atMost: true,
			note: "a fleet sweeps every 0.9 poll, so that each DB instance is described within a poll"},
		result{metric: "mutating calls, steady", got: float64(rdsSteady.mutating()), goal: 0, atMost: true},
		result{metric: "provider RSS, steady (max)", unit: "MiB", got: rss, goal: 150, atMost: true},
		result{metric: "provider CPU, steady", unit: "cores", got: cpu, goal: 0.05, atMost: true},
	)

	progress("steady state measured; deleting the fleet")
	parallel(b, keys, func(key string) error {
		ns, name, _ := strings.Cut(key, "/")
		in := &nsv1beta1.Instance{}
		in.SetNamespace(ns)
		in.SetName(name)
		return env.Kube.Delete(ctx, in)
	})
	harness.EventuallyEvery(b, 2*time.Second, 10*time.Minute, "the tenants' fleet deleted", func() (bool, string) {
		list := &metav1.PartialObjectMetadataList{}
		list.SetGroupVersionKind(nsv1beta1.InstanceGroupVersionKind.GroupVersion().WithKind("InstanceList"))
		err := env.Kube.List(ctx, list, client.MatchingLabels{label: "true"})
		return err == nil && len(list.Items) == 0, fmt.Sprintf("%d left (%v)", len(list.Items), err)
	})
	report(b, fmt.Sprintf("%d namespaces, each with its own ProviderConfig and credentials, %d namespaced Instances each", tenants, perTenant), results)
}

func tenantInstance(ns, name string) *nsv1beta1.Instance {
	in := &nsv1beta1.Instance{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{label: "true"}}}
	in.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: awsmv1beta1.ProviderConfigKind, Name: "team"}
	in.Spec.ForProvider.Region = aws.String(harness.Region)
	in.Spec.ForProvider.InstanceClass = aws.String("db.t3.micro")
	in.Spec.ForProvider.Engine = aws.String("postgres")
	in.Spec.ForProvider.AllocatedStorage = aws.Float64(20)
	in.Spec.ForProvider.SkipFinalSnapshot = aws.Bool(true)
	in.Spec.ForProvider.ApplyImmediately = aws.Bool(true)
	in.Spec.ForProvider.BackupRetentionPeriod = aws.Float64(0)
	return in
}

// waitTenants lists the tenants' Instances every five seconds until done
// says so.
func waitTenants(b *testing.B, env *harness.Env, n int, timeout time.Duration, done func([]nsv1beta1.Instance) bool) {
	b.Helper()
	harness.EventuallyEvery(b, 5*time.Second, timeout, fmt.Sprintf("the tenants' fleet of %d", n), func() (bool, string) {
		list := &nsv1beta1.InstanceList{}
		err := env.Kube.List(context.Background(), list, client.MatchingLabels{label: "true"})
		return err == nil && done(list.Items), fmt.Sprintf("%d listed (%v)", len(list.Items), err)
	})
}
