package faults

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	ktypes "k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// needBed skips a test that cannot run on this backend, saying why.
func needBed(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

// providers runs the provider binary for one test: one replica or more,
// each of which the test may kill and start again. Whatever runs when the
// test ends is stopped after the test's own cleanups (deleting its
// Instances), and every log is searched for secrets.
type providers struct {
	t       *testing.T
	dir     string // their logs and kubeconfigs, kept until the logs are read
	running []*harness.Process
	logs    []*harness.Process
}

func newProviders(t *testing.T) *providers {
	t.Helper()
	needBed(t)
	dir, err := os.MkdirTemp("", "provider-rds-faults-")
	if err != nil {
		t.Fatal(err)
	}
	ps := &providers{t: t, dir: dir}
	t.Cleanup(func() {
		defer func() { _ = os.RemoveAll(dir) }()
		for _, p := range ps.running {
			p.Stop()
		}
		var logs []string
		for _, p := range ps.logs {
			logs = append(logs, p.Log())
		}
		env.CheckNoSecretsLeaked(t, logs...)
		if t.Failed() || os.Getenv(harness.EnvProviderLog) != "" {
			for i, l := range logs {
				t.Logf("provider %d log:\n%s", i, l)
			}
		}
	})
	return ps
}

// start runs a provider with the catalogue's settings and extra flags. The
// first replica serves the conversion webhook where the control plane
// calls it; later ones serve their own.
func (ps *providers) start(extra ...string) *harness.Process {
	ps.t.Helper()
	metricsPort, err := harness.FreePort()
	if err != nil {
		ps.t.Fatal(err)
	}
	args := append([]string{
		"--debug", "--poll=" + pollInterval.String(), "--aws-attempt-timeout=" + attemptTimeout.String(),
		fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", metricsPort), "--health-probe-bind-address=0",
	}, extra...)
	start := env.StartProviderBinary
	if len(ps.running) > 0 {
		start = env.StartProviderReplica
	}
	dir, err := os.MkdirTemp(ps.dir, "replica-")
	if err != nil {
		ps.t.Fatal(err)
	}
	p, err := start(providerBin, dir, args...)
	if err != nil {
		ps.t.Fatal(err)
	}
	ps.running = append(ps.running, p)
	ps.logs = append(ps.logs, p)
	metricsOf[p] = fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)
	return p
}

// kill kills a replica at once: nothing of its shutdown runs.
func (ps *providers) kill(p *harness.Process) {
	p.Kill()
	for i, r := range ps.running {
		if r == p {
			ps.running = append(ps.running[:i], ps.running[i+1:]...)
			break
		}
	}
}

// metricsOf is where each provider process serves its metrics.
var metricsOf = map[*harness.Process]string{}

// awsCalls returns how many AWS calls a provider process reports in its
// metrics.
func awsCalls(t *testing.T, p *harness.Process) int {
	t.Helper()
	n := 0.0
	for _, v := range harness.AWSCalls(t, metricsOf[p], "") {
		n += v
	}
	return int(n)
}

func newInstance(name string) *v1beta3.Instance {
	return harness.NewInstance(name, providerConfigName)
}

// createInstance creates an Instance; when the test ends, before its
// providers stop, the Instance is deleted and its deletion awaited.
func createInstance(t *testing.T, in *v1beta3.Instance) {
	t.Helper()
	if err := env.Kube.Create(context.Background(), in); err != nil {
		t.Fatalf("cannot create Instance %s: %v", in.GetName(), err)
	}
	t.Cleanup(func() {
		// A test that failed while a fault lasted leaves it injected.
		proxy.Clear()
		deleteAndWaitGone(t, in.GetName())
	})
}

func deleteAndWaitGone(t *testing.T, name string) {
	t.Helper()
	env.DeleteAndWaitGone(t, name, waitTimeout)
}

func getInstance(t *testing.T, name string) *v1beta3.Instance {
	t.Helper()
	return env.Instance(t, name)
}

func waitReadySynced(t *testing.T, name string) {
	t.Helper()
	env.WaitReadySynced(t, name, waitTimeout)
}

// waitToldOfFault waits until an Instance tells its user of a fault: its
// Synced condition is False, or one of its Warning events says so, with a
// message that matches the regular expression want; it returns the
// message. (A fault that fails a create once shows on Synced only until
// the next reconcile finds the database; the event stays.)
func waitToldOfFault(t *testing.T, name, want string) string {
	t.Helper()
	says := regexp.MustCompile(want).MatchString
	msg := ""
	harness.Eventually(t, waitTimeout, fmt.Sprintf("Instance %s saying %q on Synced or in an event", name, want), func() (bool, string) {
		s := getInstance(t, name).Status.GetCondition(xpv2.TypeSynced)
		if s.Status == corev1.ConditionFalse && says(s.Message) {
			msg = s.Message
			return true, ""
		}
		for _, e := range env.InstanceEvents(t, name) {
			if e.Type == corev1.EventTypeWarning && says(e.Message) {
				msg = e.Message
				return true, ""
			}
		}
		return false, "Synced=" + string(s.Status) + ": " + s.Message
	})
	return msg
}

// dbInstances returns the identifiers of every DB instance in the backend.
func dbInstances(t *testing.T) []string {
	t.Helper()
	out, err := env.RDS().DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, db := range out.DBInstances {
		ids = append(ids, aws.ToString(db.DBInstanceIdentifier))
	}
	return ids
}

// password returns the master password the provider generated for an
// Instance.
func password(t *testing.T, name string) string {
	t.Helper()
	s := &corev1.Secret{}
	if err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: harness.ProviderNamespace, Name: instance.GeneratedSecretName(name)}, s); err != nil {
		t.Fatalf("the generated password of %s: %v", name, err)
	}
	return string(s.Data["password"])
}

// checkOneDatabaseWithItsPassword fails the test unless the backend holds
// exactly the DB instances named (none duplicated, none lost, none left
// over) and each opens with the password its Instance's Secret holds.
func checkOneDatabaseWithItsPassword(t *testing.T, names ...string) {
	t.Helper()
	got, want := dbInstances(t), slices.Clone(names)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("DB instances in AWS: want exactly %q, got %q", names, got)
	}
	bed := env.Bed(t)
	for _, n := range names {
		if !bed.Authenticates(t, n, password(t, n)) {
			t.Errorf("%s does not open with the password in its Secret: the password was lost or changed", n)
		}
	}
}

// window waits until d has passed since start.
func window(start time.Time, d time.Duration) {
	time.Sleep(time.Until(start.Add(d)))
}

// harnessCounts formats the calls the proxy saw since mark, by action:
// tried/reached AWS.
func harnessCounts(mark int) string {
	tried, reached := map[string]int{}, map[string]int{}
	for _, r := range proxy.Since(mark) {
		tried[r.Action]++
		if r.Forwarded {
			reached[r.Action]++
		}
	}
	var out []string
	for a, n := range tried {
		out = append(out, fmt.Sprintf("%s %d/%d", a, n, reached[a]))
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
