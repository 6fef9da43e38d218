package install

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The family member installs beside provider-aws-ec2, which brings
// provider-family-aws as its dependency, as most clusters that compose
// databases run them. Every revision is healthy; the provider, run as the
// Deployment Crossplane rendered with the ServiceAccount it bound, uses the
// family's ProviderConfig and reads ec2 Subnets and SecurityGroups for its
// references, with no request refused. Under safe-start only the activated
// kinds have CRDs, and a kind activated later starts its controllers
// without a restart. Every create, update and delete goes to the change-log
// sidecar, without a secret. An upgrade to the next release loses nothing
// and changes nothing in AWS.
func TestInstalledBesideTheAWSFamily(t *testing.T) {
	c := newCluster(t)
	ctx := context.Background()
	c.mirror(t)
	// Only the Instance kind of ours, and the ec2 kinds the references
	// read.
	c.activate(t, "instances.rds.aws.upbound.io", "subnets.ec2.aws.upbound.io", "securitygroups.ec2.aws.upbound.io")
	c.installProvider(t, "provider-aws-ec2", upstream+"provider-aws-ec2:"+familyVersion)
	c.installProvider(t, "provider-rds", upstream+"provider-rds-family:v0.1.0")
	active := c.waitHealthy(t, "provider-aws-ec2", "provider-rds")

	socket, sidecar := serveSidecar(t)
	provider, pod := c.runProvider(t, active["provider-rds"], "--enable-changelogs", "--changelogs-socket-path="+socket)
	if !strings.HasPrefix(pod.ServiceAccount, "provider-rds") {
		t.Errorf("the rendered Deployment runs as ServiceAccount %q, want the provider's own", pod.ServiceAccount)
	}

	c.env.WaitCRDEstablished(t, "providerconfigs.aws.upbound.io", timeout)
	c.env.WaitCRDEstablished(t, "instances.rds.aws.upbound.io", timeout)
	c.env.WaitCRDEstablished(t, "subnets.ec2.aws.upbound.io", timeout)
	c.env.WaitCRDEstablished(t, "securitygroups.ec2.aws.upbound.io", timeout)
	for _, crd := range []string{"subnetgroups.rds.aws.upbound.io", "parametergroups.rds.aws.upbound.io", "instances.rds.aws.m.upbound.io"} {
		if hasCRD(t, c.env, crd) {
			t.Errorf("CRD %s exists, but no activation policy activates it", crd)
		}
	}
	createObject(t, c.env, c.env.EmulatorProviderConfig(providerConfig))

	// The network, made by a network team and known to the cluster
	// through provider-aws-ec2's objects.
	net := c.env.NewNetwork(t, harness.Region, "10.31")
	c.env.CreateForeignObject(t, harness.SecurityGroupKind, "db-access", net.SecurityGroupID, map[string]string{"team": "orders"}, map[string]any{"id": net.SecurityGroupID})
	for i, id := range net.SubnetIDs {
		c.env.CreateForeignObject(t, harness.SubnetKind, "private-"+string(rune('a'+i)), id, map[string]string{"tier": "private"}, map[string]any{"id": id})
	}

	db := newInstance("orders")
	db.Spec.ForProvider.VPCSecurityGroupIDRefs = []xpv2.Reference{{Name: "db-access"}}
	createObject(t, c.env, db)
	c.env.WaitReadySynced(t, "orders", timeout)
	if got := aws.ToStringSlice(c.env.Instance(t, "orders").Spec.ForProvider.VPCSecurityGroupIDs); !cmp.Equal(got, []string{net.SecurityGroupID}) {
		t.Errorf("security groups resolved from ec2 SecurityGroups: want [%s], got %v", net.SecurityGroupID, got)
	}

	// SubnetGroup activated later: its controller starts in the running
	// provider.
	pid := provider.PID()
	c.activate(t, "instances.rds.aws.upbound.io", "subnets.ec2.aws.upbound.io", "securitygroups.ec2.aws.upbound.io", "subnetgroups.rds.aws.upbound.io")
	c.env.WaitCRDEstablished(t, "subnetgroups.rds.aws.upbound.io", timeout)
	sg := &groupsv1beta1.SubnetGroup{}
	sg.SetName("orders-subnets")
	sg.Spec.ProviderConfigReference = &xpv2.Reference{Name: providerConfig}
	sg.Spec.ForProvider = groupsv1beta1.SubnetGroupParameters{Region: aws.String(harness.Region), SubnetIDSelector: &xpv2.Selector{MatchLabels: map[string]string{"tier": "private"}}}
	createObject(t, c.env, sg)
	waitGroupReady(t, c.env, "orders-subnets")
	if !provider.Running() || provider.PID() != pid {
		t.Error("the provider restarted to start the SubnetGroup controller")
	}
	if !strings.Contains(provider.Log(), "Safe-start is on") || !strings.Contains(provider.Log(), `"controller": "managed/subnetgroup.rds.aws.upbound.io"`) {
		t.Errorf("the provider's log does not say safe-start is on and the SubnetGroup controller started")
	}

	inSubnets := newInstance("orders-in-subnets")
	inSubnets.Spec.ForProvider.DBSubnetGroupNameRef = &xpv2.Reference{Name: "orders-subnets"}
	inSubnets.Spec.ForProvider.VPCSecurityGroupIDSelector = &xpv2.Selector{MatchLabels: map[string]string{"team": "orders"}}
	createObject(t, c.env, inSubnets)
	c.env.WaitReadySynced(t, "orders-in-subnets", timeout)

	// An update and a delete, for the change log.
	// A merge patch, as kubectl applies a change: the provider may be
	// writing the Instance at the same time.
	if err := c.env.Kube.Patch(ctx, c.env.Instance(t, "orders"), client.RawPatch(types.MergePatchType, []byte(`{"spec":{"forProvider":{"backupRetentionPeriod":9}}}`))); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, timeout, "the backup retention change applied", func() (bool, string) {
		d := c.env.Describe(t, harness.Region, "orders")
		return d != nil && aws.ToInt32(d.BackupRetentionPeriod) == 9, "not yet"
	})
	c.env.DeleteAndWaitGone(t, "orders", timeout)
	harness.Eventually(t, 30*time.Second, "change-log entries of Instance orders", func() (bool, string) {
		got := sidecar.operations("Instance", "orders")
		return cmp.Equal(got, []string{"CREATE", "UPDATE", "DELETE"}), strings.Join(got, ", ")
	})
	if got := sidecar.operations("SubnetGroup", "orders-subnets"); !cmp.Equal(got, []string{"CREATE"}) {
		t.Errorf("change-log entries of SubnetGroup orders-subnets: want [CREATE], got %v", got)
	}
	c.env.CheckNoSecretsLeaked(t, provider.Log(), sidecar.text())
	checkNothingForbidden(t, provider.Log())

	// The upgrade: the next release of the package, with the Instance in
	// place. The old revision's pod stops and the new one's starts, as a
	// rolling Deployment does.
	before := c.listManaged(t)
	c.installProvider(t, "provider-rds", upstream+"provider-rds-family:v0.2.0")
	var upgraded map[string]string
	harness.Eventually(t, timeout, "the new revision active", func() (bool, string) {
		upgraded = c.waitHealthy(t, "provider-rds")
		return upgraded["provider-rds"] != active["provider-rds"], upgraded["provider-rds"]
	})
	provider.Stop()
	next, _ := c.runProvider(t, upgraded["provider-rds"])
	c.env.WaitReadySynced(t, "orders-in-subnets", timeout)
	waitGroupReady(t, c.env, "orders-subnets")
	// A few polls of the new provider: it observes and changes nothing.
	time.Sleep(12 * time.Second)
	if diff := cmp.Diff(before, c.listManaged(t)); diff != "" {
		t.Errorf("managed resources after the upgrade: -before +after:\n%s", diff)
	}
	calls := harness.AWSCalls(t, "http://"+harness.MetricsAddress(next.Args())+"/metrics", "")
	if m := mutatingCalls(calls); len(m) != 0 {
		t.Errorf("mutating AWS calls after the upgrade: %v", m)
	}
	if calls[[2]string{"DescribeDBInstances", "success"}] == 0 {
		t.Errorf("the upgraded provider observed nothing: %v", calls)
	}
	checkNothingForbidden(t, next.Log())
	c.env.CheckNoSecretsLeaked(t, next.Log())
}

// listManaged lists the managed resources by kind and name, with their
// external names and UIDs: what an upgrade must keep.
func (c *cluster) listManaged(t *testing.T) []string {
	t.Helper()
	var out []string
	il := &v1beta3.InstanceList{}
	if err := c.env.Kube.List(context.Background(), il); err != nil {
		t.Fatal(err)
	}
	for _, i := range il.Items {
		out = append(out, "Instance/"+i.Name+" "+string(i.UID)+" "+i.GetAnnotations()["crossplane.io/external-name"])
	}
	gl := &groupsv1beta1.SubnetGroupList{}
	if err := c.env.Kube.List(context.Background(), gl, &client.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, g := range gl.Items {
		out = append(out, "SubnetGroup/"+g.Name+" "+string(g.UID)+" "+g.GetAnnotations()["crossplane.io/external-name"])
	}
	return out
}
