// Package bench measures the provider against the real parts the tests use:
// how fast a batch of Instances becomes Ready, and what it costs in AWS
// calls and provider memory. Run it with `make bench`.
package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

const batch = 50

var env *harness.Env

func TestMain(m *testing.M) {
	flag.Parse()
	// Only benchmarks live here: without -bench there is nothing to start.
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		os.Exit(m.Run())
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	var err error
	if env, err = harness.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	defer env.Stop()
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if err := env.Kube.Create(ctx, env.EmulatorProviderConfig("aws-provider")); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if err := env.StartProvider(harness.ProviderOptions{PollInterval: time.Minute}); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	return m.Run()
}

// BenchmarkCreateToReady creates a batch of Instances and waits until every
// one is Ready, then deletes them and resets the emulator (moto keeps
// automated snapshots of deleted instances and refuses creates past its
// quota). One op is one batch.
func BenchmarkCreateToReady(b *testing.B) {
	ctx := context.Background()
	var describes, creates int
	var heap uint64
	var ready time.Duration
	for i := 0; i < b.N; i++ {
		before := env.Calls.Snapshot()
		start := time.Now()
		names := make([]string, batch)
		for j := range names {
			names[j] = fmt.Sprintf("bench-%d-%03d", i, j)
			in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: names[j]}}
			in.Spec.ProviderConfigReference = &xpv2.Reference{Name: "aws-provider"}
			in.Spec.ForProvider = v1beta3.InstanceParameters{
				Region: aws.String(harness.Region), InstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
				AllocatedStorage: aws.Float64(20), SkipFinalSnapshot: aws.Bool(true),
			}
			if err := env.Kube.Create(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		waitAll(b, names, func(in *v1beta3.Instance, err error) bool {
			return err == nil && in.Status.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue
		})
		ready += time.Since(start)
		calls := env.Calls.Since(before)
		describes += calls["rds:DescribeDBInstances"]
		creates += calls["rds:CreateDBInstance"]
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapAlloc)

		b.StopTimer()
		for _, n := range names {
			in := &v1beta3.Instance{}
			in.SetName(n)
			_ = env.Kube.Delete(ctx, in)
		}
		waitAll(b, names, func(_ *v1beta3.Instance, err error) bool { return kerrors.IsNotFound(err) })
		if err := env.Backend.Reset(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	n := float64(b.N * batch)
	b.ReportMetric(n/ready.Seconds(), "instances/s")
	b.ReportMetric(float64(describes)/n, "describes/instance")
	b.ReportMetric(float64(creates)/n, "creates/instance")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}

func waitAll(b *testing.B, names []string, done func(*v1beta3.Instance, error) bool) {
	b.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for _, n := range names {
		for {
			in := &v1beta3.Instance{}
			err := env.Kube.Get(context.Background(), types.NamespacedName{Name: n}, in)
			if done(in, err) {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("%s did not get there within 3 minutes", n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
