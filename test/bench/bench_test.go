// Package bench measures the provider binary at fleet scale, from outside,
// against the stricter test bed with AWS's API throttling on: how fast a
// fleet of Instances becomes Ready and goes away, what observing it costs
// in AWS calls, how fast out-of-band drift is corrected, and the memory
// and CPU of the provider process. Run it with `make bench` (BENCH_N sets
// the fleet's size, 100 by default).
package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

const (
	poll = time.Minute
	// AWS's RDS request budget per account and region, which the bed
	// enforces here: the floor of any create or delete of the fleet.
	burst, rate = 300, 12
	// steadyPolls is how many poll intervals the steady state is measured.
	steadyPolls = 2
	label       = "bench.provider-rds.io/fleet"
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}

// fleetSize is BENCH_N, 100 by default.
func fleetSize(b *testing.B) int {
	n := 100
	if v := os.Getenv("BENCH_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("BENCH_N=%q is not a positive number", v)
		}
	}
	return n
}

// benchVersion is BENCH_VERSION: the API version the fleet's manifests are
// written in, v1beta1 by default (the seed's, and most users' Git
// repositories'), so that the conversion webhook is in the path as it is
// for them; v1beta3 is the stored version.
func benchVersion(b *testing.B) string {
	switch v := os.Getenv("BENCH_VERSION"); v {
	case "", "v1beta1":
		return "v1beta1"
	case "v1beta3":
		return v
	default:
		b.Fatalf("BENCH_VERSION=%q: v1beta1 or v1beta3", v)
		return ""
	}
}

// A result is one measured figure beside its goal.
type result struct {
	metric, unit  string
	got, goal     float64
	atMost, known bool
	note          string
}

func (r result) met() bool {
	if r.atMost {
		return r.got <= r.goal
	}
	return r.got >= r.goal
}

// BenchmarkFleet runs the whole fleet scenario once (run it with
// -benchtime=1x): apply, steady state, an out-of-band change, delete.
func BenchmarkFleet(b *testing.B) {
	n := fleetSize(b)
	version := benchVersion(b)
	ctx := context.Background()
	env, bed, bin := startBed(b)
	if err := env.CreateCredentialsSecret(ctx); err != nil {
		b.Fatal(err)
	}
	if err := env.Kube.Create(ctx, env.EmulatorProviderConfig("aws-provider")); err != nil {
		b.Fatal(err)
	}
	profiles := newProfiler(b)
	proc, metricsURL := startProvider(b, env, bin, profiles)
	calls := metricsAt(metricsURL)
	apiserver := process{pid: childNamed(b, "kube-apiserver")}
	var results []result
	refusedBefore := bed.Throttled(b)

	// Apply: every Instance created at once, as `kubectl apply` of a
	// folder does.
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("fleet-%04d", i)
	}
	progress("applying %d Instances, written in %s", n, version)
	start := time.Now()
	parallel(b, names, func(name string) error { return env.Kube.Create(ctx, instance(version, name)) })
	applied := time.Since(start)
	// When each became Ready is the Ready condition's transition time, set
	// by the provider (to the second): the fleet is listed only every few
	// seconds, since listing a thousand Instances is itself work for the
	// API server the provider shares the machine with.
	var firstReady, allReady time.Duration
	throttledConditions := map[string]bool{}
	waitFleet(b, env, n, 5*time.Minute, func(list []v1beta3.Instance) bool {
		ready := 0
		firstReady, allReady = time.Hour, 0
		for _, in := range list {
			if c := in.Status.GetCondition(xpv2.TypeReady); c.Status == corev1.ConditionTrue {
				ready++
				at := c.LastTransitionTime.Sub(start)
				firstReady, allReady = min(firstReady, at), max(allReady, at)
			}
			for _, c := range in.Status.Conditions {
				if strings.Contains(c.Message, "Throttling") || strings.Contains(c.Message, "Rate exceeded") {
					throttledConditions[in.Name] = true
				}
			}
		}
		return ready == n
	})
	progress("all %d Ready after %s (first after %s); measuring the steady state for %d polls after one more", n, allReady.Round(time.Second), firstReady.Round(time.Second), steadyPolls)
	floor := max(0, float64(n-burst)) / rate
	timeGoal := max(1.15*floor, 10)
	results = append(results,
		result{metric: "first Ready after apply", unit: "s", got: firstReady.Seconds(), goal: 10, atMost: true},
		result{metric: "all Ready after apply", unit: "s", got: allReady.Seconds(), goal: timeGoal, atMost: true,
			note: fmt.Sprintf("floor %.0f s: %d creates past a burst of %d at %d/s; goal 1.15 x floor, at least 10 s", floor, n, burst, rate)},
	)

	// Steady state: after one poll for transitions to end, steadyPolls
	// poll intervals measured.
	time.Sleep(poll)
	before := calls.read(b)
	conversionsBefore := harness.MetricSum(b, calls.url, "controller_runtime_webhook_requests_total")
	cpuBefore, apiserverBefore := proc.cpuSeconds(b), apiserver.cpuSeconds(b)
	bedStart, _ := bed.Observations(b)
	windowStart := time.Now()
	profiles.cpu(b, steadyPolls*poll-10*time.Second)
	rss, anon := 0.0, 0.0
	for time.Since(windowStart) < steadyPolls*poll {
		rss, anon = max(rss, proc.rssMiB(b)), max(anon, proc.anonMiB(b))
		time.Sleep(5 * time.Second)
	}
	window := time.Since(windowStart)
	cpu := (proc.cpuSeconds(b) - cpuBefore) / window.Seconds()
	apiserverCPU := (apiserver.cpuSeconds(b) - apiserverBefore) / window.Seconds()
	conversions := (harness.MetricSum(b, calls.url, "controller_runtime_webhook_requests_total") - conversionsBefore) / (window.Seconds() / poll.Seconds())
	profiles.heap(b)
	after := calls.read(b)
	bedEnd, observed := bed.Observations(b)
	steady := after.since(before)
	describes := float64(steady.by("DescribeDBInstances")) / float64(n) / (window.Seconds() / poll.Seconds())
	maxGap := 0.0
	for _, name := range names {
		maxGap = max(maxGap, longestGap(observed[name], bedStart, bedEnd))
	}
	results = append(results,
		result{metric: "DescribeDBInstances per Instance per poll, steady", got: describes, goal: 0.02, atMost: true},
		result{metric: "longest time an Instance went undescribed, steady", unit: "s", got: maxGap, goal: poll.Seconds(), atMost: true,
			note: "from the bed's record of what each DescribeDBInstances answered"},
		result{metric: "mutating calls, steady", got: float64(steady.mutating()), goal: 0, atMost: true},
		result{metric: "provider RSS, steady (max)", unit: "MiB", got: rss, goal: 100, atMost: true},
		result{metric: "provider RSS not file-backed (heap, stacks, runtime), steady (max)", unit: "MiB", got: anon, known: true},
		result{metric: "provider CPU, steady", unit: "cores", got: cpu, goal: 0.05, atMost: true},
		result{metric: "kube-apiserver CPU, steady", unit: "cores", got: apiserverCPU, known: true},
		result{metric: "conversion requests the provider served per poll, steady", got: conversions, known: true},
		result{metric: "kubectl create of all, 8 at a time", unit: "s", got: applied.Seconds(), known: true},
	)

	progress("steady state measured; changing %s's class out of band", names[0])
	// Out of band: someone changes one database's class; the provider
	// puts it back.
	api := env.RDS()
	victim := names[0]
	if _, err := api.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{
		DBInstanceIdentifier: aws.String(victim), DBInstanceClass: aws.String("db.t3.small"), ApplyImmediately: aws.Bool(true),
	}); err != nil {
		b.Fatal(err)
	}
	changed := time.Now()
	var corrected time.Duration
	for time.Since(changed) < 3*poll {
		out, err := api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(victim)})
		if err == nil && pendingOrApplied(out.DBInstances[0]) == "db.t3.micro" {
			corrected = time.Since(changed)
			break
		}
		time.Sleep(2 * time.Second)
	}
	if corrected == 0 {
		corrected = 3 * poll
	}
	results = append(results, result{metric: "out-of-band instance-class change corrected", unit: "s", got: corrected.Seconds(), goal: (poll + 10*time.Second).Seconds(), atMost: true})

	progress("class change corrected after %s; deleting the fleet", corrected.Round(time.Second))
	// Delete: every Instance at once.
	beforeDelete := calls.read(b)
	start = time.Now()
	parallel(b, names, func(name string) error {
		in := &v1beta3.Instance{}
		in.SetName(name)
		return env.Kube.Delete(ctx, in)
	})
	waitGone(b, env, n, 5*time.Minute)
	allDeleted := time.Since(start)
	deleting := calls.read(b).since(beforeDelete)
	left, err := api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	if err != nil {
		b.Fatal(err)
	}
	results = append(results,
		result{metric: "all deleted after delete", unit: "s", got: allDeleted.Seconds(), goal: timeGoal, atMost: true},
		result{metric: "failed calls while deleting", got: float64(deleting.failures()), goal: float64(n / 100), atMost: true, note: "no error storm: at most 1% of the fleet"},
		result{metric: "DB instances left in AWS", got: float64(len(left.DBInstances)), goal: 0, atMost: true},
	)

	// Throttling, over the whole run.
	total := calls.read(b)
	results = append(results,
		result{metric: "calls AWS refused with Throttling (absorbed by retries)", got: float64(bed.Throttled(b) - refusedBefore), known: true},
		result{metric: "calls failed with Throttling after retries", got: float64(total.byOutcome("Throttling")), goal: 0, atMost: true},
		result{metric: "Instances whose conditions showed throttling", got: float64(len(throttledConditions)), goal: 0, atMost: true},
	)

	report(b, fmt.Sprintf("Fleet of %d Instances written in %s", n, version), results)
}

// startBed starts a control plane and the test bed with AWS's throttling
// on, and builds the provider binary.
func startBed(b *testing.B) (*harness.Env, *harness.Bed, string) {
	b.Helper()
	env, err := harness.Start(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(env.Stop)
	bed := env.Bed(b)
	bed.Throttle(b, true, burst, rate)
	return env, bed, env.BuildProvider(b)
}

// startProvider runs the binary as users run it: default flags but the
// addresses, which stay on loopback here, and pprof when profiles are
// asked for. It returns the process and its metrics URL.
func startProvider(b *testing.B, env *harness.Env, bin string, profiles *profiler) (process, string) {
	b.Helper()
	metricsPort, err := harness.FreePort()
	if err != nil {
		b.Fatal(err)
	}
	healthPort, err := harness.FreePort()
	if err != nil {
		b.Fatal(err)
	}
	args := []string{fmt.Sprintf("--poll=%s", poll),
		fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", metricsPort), fmt.Sprintf("--health-probe-bind-address=127.0.0.1:%d", healthPort)}
	if profiles != nil {
		args = append(args, "--pprof-bind-address="+profiles.addr)
	}
	p, err := env.StartProviderBinary(bin, b.TempDir(), args...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Stop)
	return process{pid: p.PID()}, fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// instance is a fleet member as a user writes it, in an API version.
func instance(version, name string) client.Object {
	meta := metav1.ObjectMeta{Name: name, Labels: map[string]string{label: "true"}}
	ref := &xpv2.Reference{Name: "aws-provider"}
	if version == "v1beta1" {
		in := &v1beta1.Instance{ObjectMeta: meta}
		in.Spec.ProviderConfigReference = ref
		in.Spec.ForProvider = v1beta1.InstanceParameters{
			Region: aws.String(harness.Region), InstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
			AllocatedStorage: aws.Float64(20), SkipFinalSnapshot: aws.Bool(true), ApplyImmediately: aws.Bool(true),
			BackupRetentionPeriod: aws.Float64(0),
		}
		return in
	}
	in := &v1beta3.Instance{ObjectMeta: meta}
	in.Spec.ProviderConfigReference = ref
	in.Spec.ForProvider = v1beta3.InstanceParameters{
		Region: aws.String(harness.Region), InstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
		AllocatedStorage: aws.Float64(20), SkipFinalSnapshot: aws.Bool(true), ApplyImmediately: aws.Bool(true),
		// No automated backups: moto keeps their snapshots after a delete
		// and refuses creates past 1,000 of them.
		BackupRetentionPeriod: aws.Float64(0),
	}
	return in
}

// pendingOrApplied is the class an instance has or is about to have.
func pendingOrApplied(db rdstypes.DBInstance) string {
	if db.PendingModifiedValues != nil && db.PendingModifiedValues.DBInstanceClass != nil {
		return *db.PendingModifiedValues.DBInstanceClass
	}
	return aws.ToString(db.DBInstanceClass)
}

// parallel runs f for every name, eight at a time, as kubectl would.
func parallel(b *testing.B, names []string, f func(string) error) {
	b.Helper()
	var wg sync.WaitGroup
	work := make(chan string)
	errs := make(chan error, len(names))
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range work {
				if err := f(name); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
				}
			}
		}()
	}
	for _, name := range names {
		work <- name
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// waitFleet lists the fleet every five seconds until done says so.
func waitFleet(b *testing.B, env *harness.Env, n int, timeout time.Duration, done func([]v1beta3.Instance) bool) {
	b.Helper()
	harness.EventuallyEvery(b, 5*time.Second, timeout, fmt.Sprintf("the fleet of %d", n), func() (bool, string) {
		list := &v1beta3.InstanceList{}
		err := env.Kube.List(context.Background(), list, client.MatchingLabels{label: "true"})
		return err == nil && done(list.Items), fmt.Sprintf("%d listed (%v)", len(list.Items), err)
	})
}

// waitGone lists the fleet's metadata only, every second, until no
// Instance is left.
func waitGone(b *testing.B, env *harness.Env, n int, timeout time.Duration) {
	b.Helper()
	harness.EventuallyEvery(b, time.Second, timeout, fmt.Sprintf("the fleet of %d deleted", n), func() (bool, string) {
		list := &metav1.PartialObjectMetadataList{}
		list.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind.GroupVersion().WithKind("InstanceList"))
		err := env.Kube.List(context.Background(), list, client.MatchingLabels{label: "true"})
		return err == nil && len(list.Items) == 0, fmt.Sprintf("%d left (%v)", len(list.Items), err)
	})
}

// longestGap is the longest time within [from, to] without a description.
func longestGap(at []float64, from, to float64) float64 {
	prev, gap := from, 0.0
	for _, t := range slices.Sorted(slices.Values(at)) {
		if t < from || t > to {
			continue
		}
		gap, prev = max(gap, t-prev), t
	}
	return max(gap, to-prev)
}

func report(b *testing.B, title string, results []result) {
	b.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%s, poll %s, AWS throttling on (burst %d, %d/s):\n\n", title, poll, burst, rate)
	fmt.Fprintf(&sb, "| metric | measured | goal | met |\n|---|---|---|---|\n")
	for _, r := range results {
		goal, met := "(reported)", ""
		if !r.known {
			op := "≥"
			if r.atMost {
				op = "≤"
			}
			goal, met = fmt.Sprintf("%s %s %s", op, format(r.goal), r.unit), "yes"
			if !r.met() {
				met = "**no**"
				b.Errorf("%s: %s %s, goal %s", r.metric, format(r.got), r.unit, goal)
			}
		}
		name := r.metric
		if r.note != "" {
			name += " (" + r.note + ")"
		}
		fmt.Fprintf(&sb, "| %s | %s %s | %s | %s |\n", name, format(r.got), r.unit, goal, met)
		b.ReportMetric(r.got, strings.ReplaceAll(r.metric, " ", "_"))
	}
	fmt.Println(sb.String())
}

func format(v float64) string {
	switch {
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	case v < 1:
		return strconv.FormatFloat(v, 'f', 3, 64)
	default:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
}

// metrics reads the provider's AWS call counter from its /metrics.
type metrics struct{ url string }

func metricsAt(url string) metrics { return metrics{url: url} }

// counts are AWS calls by operation and outcome.
type counts map[[2]string]float64

func (m metrics) read(b *testing.B) counts {
	b.Helper()
	return harness.AWSCalls(b, m.url, "rds")
}

func (c counts) since(before counts) counts {
	out := counts{}
	for k, v := range c {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

// sum adds the calls of the operations and outcomes that match.
func (c counts) sum(match func(operation, outcome string) bool) int {
	n := 0.0
	for k, v := range c {
		if match(k[0], k[1]) {
			n += v
		}
	}
	return int(n)
}

func (c counts) by(operation string) int {
	return c.sum(func(op, _ string) bool { return op == operation })
}

func (c counts) byOutcome(outcome string) int {
	return c.sum(func(_, out string) bool { return out == outcome })
}

func (c counts) failures() int {
	return c.sum(func(_, out string) bool { return out != "success" && out != "DBInstanceNotFound" })
}

func (c counts) mutating() int {
	return c.sum(func(op, _ string) bool { return harness.Mutating(op) })
}

// process reads a process's memory and CPU from /proc.
type process struct{ pid int }

func (p process) rssMiB(b *testing.B) float64 { return p.statusMiB(b, "VmRSS:") }

// anonMiB is the part of the RSS that is not file-backed: the Go heap,
// stacks and runtime, as opposed to the binary's own pages.
func (p process) anonMiB(b *testing.B) float64 { return p.statusMiB(b, "RssAnon:") }

func (p process) statusMiB(b *testing.B, field string) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("no %s in /proc status", field)
	return 0
}

// cpuSeconds is the user and system CPU time the process used so far.
func (p process) cpuSeconds(b *testing.B) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name, which is in parentheses and may
	// hold spaces: utime and stime are the 14th and 15th of the line.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return (utime + stime) / ticksPerSecond
}
