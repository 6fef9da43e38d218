package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/test/harness"
)

// With nothing changed, the provider makes no mutating AWS call and at most
// one DescribeDBInstances per resource per poll: also while a modification
// waits for the maintenance window, a parameter group waits for a reboot,
// and an instance is in a long in-flight state.
func TestSteadyStateMakesNoMutatingCalls(t *testing.T) {
	bed := env.Bed(t)
	names := []string{"steady-a", "steady-b", "steady-c", "steady-pending", "steady-busy"}
	for _, name := range names {
		in := newInstance(name, providerConfigName)
		in.Spec.ForProvider.Tags = map[string]*string{"team": ptr("data"), "env": ptr("test")}
		createInstance(t, in)
	}
	for _, name := range names {
		waitReadySynced(t, name)
	}
	if _, err := env.RDS().CreateDBParameterGroup(context.Background(), &rds.CreateDBParameterGroupInput{
		DBParameterGroupName: aws.String("steady-pg"), DBParameterGroupFamily: aws.String("postgres16"), Description: aws.String("test"),
	}); err != nil {
		t.Fatal(err)
	}
	patchInstance(t, "steady-pending", `{"spec":{"forProvider":{"instanceClass":"db.t3.large","parameterGroupName":"steady-pg"}}}`)
	waitCondition(t, "steady-pending", managedkit.TypeChangesPending, corev1.ConditionTrue, "pending-reboot")
	bed.SetStatus(t, "steady-busy", "storage-optimization", time.Minute)
	t.Cleanup(func() { bed.SetStatus(t, "steady-busy", "available", 0) })
	// Let late initialisation and the first polls settle.
	time.Sleep(pollInterval + time.Second)

	l := &v1beta3.InstanceList{}
	if err := env.Kube.List(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	const polls = 4
	before := env.Calls.Snapshot()
	time.Sleep(polls * pollInterval)
	calls := env.Calls.Since(before)

	for call, n := range calls {
		if !strings.HasPrefix(call, "rds:Describe") {
			t.Errorf("steady state made %d %s calls: %s", n, call, harness.Format(calls))
		}
	}
	if max := len(l.Items) * (polls + 1); calls["rds:DescribeDBInstances"] > max {
		t.Errorf("DescribeDBInstances over %d polls of %d Instances: want at most %d, got %d", polls, len(l.Items), max, calls["rds:DescribeDBInstances"])
	}
	if calls["rds:DescribeDBInstances"] == 0 {
		t.Error("no DescribeDBInstances at all: the provider is not polling")
	}
}

func ptr(s string) *string { return &s }
