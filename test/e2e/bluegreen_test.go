package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// blueGreenInstance is an Instance with a password Secret, a connection
// Secret and Blue/Green updates, once AWS reports it available.
func blueGreenInstance(t *testing.T, name string) *v1beta3.Instance {
	t.Helper()
	in, _ := passwordInstance(t, name, name+"-password-1")
	in.Spec.ForProvider.BlueGreenUpdate = &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}
	createInstance(t, in)
	waitReadySynced(t, name)
	waitAvailable(t, name)
	return getInstance(t, name)
}

// deploymentsOf lists the Blue/Green deployments whose source is a DB
// instance, by its ARN.
func deploymentsOf(t *testing.T, arn string) []string {
	t.Helper()
	out, err := env.RDS().DescribeBlueGreenDeployments(context.Background(), &rds.DescribeBlueGreenDeploymentsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range out.BlueGreenDeployments {
		for _, member := range []string{aws.ToString(d.Source), aws.ToString(d.Target)} {
			if member == arn || strings.HasPrefix(member, arn+"-") {
				ids = append(ids, aws.ToString(d.BlueGreenDeploymentIdentifier)+" "+aws.ToString(d.Status))
				break
			}
		}
	}
	return ids
}

// instancesNamed lists the DB instances whose identifier starts with a
// prefix: a database, its green copy, the old one a switchover leaves.
func instancesNamed(t *testing.T, prefix string) []string {
	t.Helper()
	out, err := env.RDS().DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, db := range out.DBInstances {
		if id := aws.ToString(db.DBInstanceIdentifier); strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	return ids
}

// A major upgrade with blueGreenUpdate goes through a Blue/Green
// deployment: RDS upgrades a green copy, the provider switches over to it,
// then deletes the deployment and the old DB instance. No in-place
// ModifyDBInstance is made; the database keeps its identifier and
// endpoint, and the connection Secret still opens it.
func TestBlueGreenUpgradeSwitchesOverUnderTheSameIdentifier(t *testing.T) {
	bed := env.Bed(t)
	before := blueGreenInstance(t, "bg-upgrade")
	arn, endpoint := aws.ToString(before.Status.AtProvider.Arn), aws.ToString(before.Status.AtProvider.Address)
	resourceID := aws.ToString(before.Status.AtProvider.ResourceID)

	calls := env.Calls.Snapshot()
	patchInstance(t, "bg-upgrade", `{"spec":{"forProvider":{"engineVersion":"17.2","allowMajorVersionUpgrade":true}}}`)
	waitCondition(t, "bg-upgrade", instance.TypeBlueGreenDeployment, corev1.ConditionTrue, "Blue/Green deployment bgd-")
	harness.Eventually(t, waitTimeout, "bg-upgrade on 17.2, alone, with no deployment left", func() (bool, string) {
		db := describe(t, "bg-upgrade")
		left, deployments := instancesNamed(t, "bg-upgrade"), deploymentsOf(t, arn)
		return aws.ToString(db.EngineVersion) == "17.2" && len(left) == 1 && len(deployments) == 0,
			aws.ToString(db.EngineVersion) + "; instances " + strings.Join(left, ", ") + "; deployments " + strings.Join(deployments, ", ")
	})
	// The reconcile that deletes the old DB instance writes the status
	// after its AWS calls, so AWS can be done before the Instance says so.
	waitCondition(t, "bg-upgrade", instance.TypeBlueGreenDeployment, corev1.ConditionFalse, "")
	in := waitReadySynced(t, "bg-upgrade")
	got := env.Calls.Since(calls)
	for op, want := range map[string]int{
		"rds:ModifyDBInstance": 0, "rds:CreateBlueGreenDeployment": 1, "rds:SwitchoverBlueGreenDeployment": 1,
		"rds:DeleteBlueGreenDeployment": 1, "rds:DeleteDBInstance": 1,
	} {
		if got[op] != want {
			t.Errorf("%s: want %d, got %d (all: %s)", op, want, got[op], harness.Format(got))
		}
	}
	if a := aws.ToString(in.Status.AtProvider.Address); a != endpoint {
		t.Errorf("endpoint: was %s, is %s", endpoint, a)
	}
	if id := aws.ToString(in.Status.AtProvider.ResourceID); id == resourceID || id == "" {
		t.Errorf("resource ID after the switchover: want the green instance's, got %q (was %q)", id, resourceID)
	}
	if v := aws.ToString(in.Status.AtProvider.EngineVersionActual); v != "17.2" {
		t.Errorf("status engineVersionActual: want 17.2, got %q", v)
	}
	if pw := publishedPassword(t, "bg-upgrade"); !bed.Authenticates(t, "bg-upgrade", pw) {
		t.Error("the connection Secret's password does not open the upgraded database")
	}
	steps := eventMessages(t, "bg-upgrade", "BlueGreenDeployment")
	for _, want := range []string{"Created Blue/Green deployment", "Switching over", "switched over and deleted", "Deleting bg-upgrade-old1"} {
		if !strings.Contains(strings.Join(steps, "\n"), want) {
			t.Errorf("events: want one saying %q, got %q", want, steps)
		}
	}
}

// A switchover that fails leaves the original DB instance serving,
// unchanged, and says so on the Instance (Synced False, and the
// BlueGreenDeployment condition), with no call repeated. Putting the spec
// back withdraws the change: the deployment and its green copy go.
func TestBlueGreenFailedSwitchoverLeavesTheOriginalServing(t *testing.T) {
	bed := env.Bed(t)
	before := blueGreenInstance(t, "bg-fail")
	arn := aws.ToString(before.Status.AtProvider.Arn)

	bed.FailNextSwitchover(t, "bg-fail")
	patchInstance(t, "bg-fail", `{"spec":{"forProvider":{"instanceClass":"db.t3.small"}}}`)
	waitCondition(t, "bg-fail", instance.TypeBlueGreenDeployment, corev1.ConditionTrue, "SWITCHOVER_FAILED")
	msg := waitSyncedError(t, "bg-fail", "The DB instance bg-fail keeps serving, unchanged")
	for _, want := range []string{"delete-blue-green-deployment", "put the spec back"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Synced message: want it to say %q, got %q", want, msg)
		}
	}
	db := describe(t, "bg-fail")
	if aws.ToString(db.DBInstanceClass) != "db.t3.micro" || aws.ToString(db.DBInstanceStatus) != "available" {
		t.Errorf("the original: want available on db.t3.micro, got %s on %s", aws.ToString(db.DBInstanceStatus), aws.ToString(db.DBInstanceClass))
	}
	if in := getInstance(t, "bg-fail"); condition(in, xpv2.TypeReady).Status != corev1.ConditionTrue {
		t.Errorf("Ready: want True while the original serves, got %s", condition(in, xpv2.TypeReady).Status)
	}
	pw := publishedPassword(t, "bg-fail")
	if !bed.Authenticates(t, "bg-fail", pw) {
		t.Error("the connection Secret's password does not open the original database")
	}
	calls := countOver(3, nil)
	for _, op := range []string{"rds:CreateBlueGreenDeployment", "rds:SwitchoverBlueGreenDeployment", "rds:DeleteBlueGreenDeployment", "rds:ModifyDBInstance", "rds:DeleteDBInstance"} {
		if calls[op] != 0 {
			t.Errorf("%s repeated after the failure: %s", op, harness.Format(calls))
		}
	}

	patchInstance(t, "bg-fail", `{"spec":{"forProvider":{"instanceClass":"db.t3.micro"}}}`)
	harness.Eventually(t, waitTimeout, "the deployment and its green copy gone", func() (bool, string) {
		left, deployments := instancesNamed(t, "bg-fail"), deploymentsOf(t, arn)
		return len(left) == 1 && len(deployments) == 0, "instances " + strings.Join(left, ", ") + "; deployments " + strings.Join(deployments, ", ")
	})
	waitReadySynced(t, "bg-fail")
}

// An Instance whose external name is a DbiResourceId, as the reference
// provider records it, keeps finding its database across a switchover,
// which gives the database a new resource ID: the external name follows.
func TestBlueGreenKeepsAResourceIDExternalNameOnItsDatabase(t *testing.T) {
	before := blueGreenInstance(t, "bg-migrated")
	old := aws.ToString(before.Status.AtProvider.ResourceID)
	patchInstance(t, "bg-migrated", `{"metadata":{"annotations":{"crossplane.io/external-name":"`+old+`"}}}`)
	waitReadySynced(t, "bg-migrated")

	patchInstance(t, "bg-migrated", `{"spec":{"forProvider":{"instanceClass":"db.t3.small"}}}`)
	harness.Eventually(t, waitTimeout, "bg-migrated switched over, named by its new resource ID, its status the new instance's", func() (bool, string) {
		in := getInstance(t, "bg-migrated")
		name, class := meta.GetExternalName(in), aws.ToString(in.Status.AtProvider.InstanceClass)
		return name != old && name == aws.ToString(describe(t, "bg-migrated").DbiResourceId) && len(instancesNamed(t, "bg-migrated")) == 1 && class == "db.t3.small",
			"external name " + name + ", status instanceClass " + class + "; instances " + strings.Join(instancesNamed(t, "bg-migrated"), ", ")
	})
	waitReadySynced(t, "bg-migrated")
}
