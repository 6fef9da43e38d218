package e2e

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/test/harness"
)

// managed is a managed resource the tests handle by its interface: a
// SubnetGroup, a ParameterGroup, or a namespaced kind.
type managed interface {
	client.Object
	GetCondition(xpv2.ConditionType) xpv2.Condition
}

func newSubnetGroup(name string, subnets []string) *v1beta1.SubnetGroup {
	sg := &v1beta1.SubnetGroup{ObjectMeta: metav1.ObjectMeta{Name: name}}
	sg.Spec.ProviderConfigReference = &xpv2.Reference{Name: providerConfigName}
	sg.Spec.ForProvider = v1beta1.SubnetGroupParameters{Region: aws.String(harness.Region), SubnetIDs: aws.StringSlice(subnets)}
	return sg
}

func newParameterGroup(name string, params ...v1beta1.Parameter) *v1beta1.ParameterGroup {
	pg := &v1beta1.ParameterGroup{ObjectMeta: metav1.ObjectMeta{Name: name}}
	pg.Spec.ProviderConfigReference = &xpv2.Reference{Name: providerConfigName}
	pg.Spec.ForProvider = v1beta1.ParameterGroupParameters{Region: aws.String(harness.Region), Family: aws.String("postgres16"), Parameter: params}
	return pg
}

func param(name, value, method string) v1beta1.Parameter {
	p := v1beta1.Parameter{Name: aws.String(name), Value: aws.String(value)}
	if method != "" {
		p.ApplyMethod = aws.String(method)
	}
	return p
}

// createManaged creates a managed resource (a group, or a namespaced
// kind) and, when the test ends, checks that no secret leaked and deletes
// it.
func createManaged(t *testing.T, o managed) {
	t.Helper()
	if err := env.Kube.Create(context.Background(), o); err != nil {
		t.Fatalf("cannot create %s: %v", client.ObjectKeyFromObject(o), err)
	}
	t.Cleanup(func() {
		env.CheckNoSecretsLeaked(t)
		deleteManagedAndWaitGone(t, o)
	})
}

func deleteManagedAndWaitGone(t *testing.T, o managed) {
	t.Helper()
	if err := env.Kube.Delete(context.Background(), o); client.IgnoreNotFound(err) != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, waitTimeout, o.GetName()+" deleted", func() (bool, string) {
		err := env.Kube.Get(context.Background(), client.ObjectKeyFromObject(o), o)
		return kerrors.IsNotFound(err), "still present"
	})
}

// waitGroup waits until a group's condition has a status and a message
// containing want.
func waitGroup(t *testing.T, o managed, ct xpv2.ConditionType, status corev1.ConditionStatus, want string) {
	t.Helper()
	harness.Eventually(t, waitTimeout, o.GetName()+" "+string(ct)+"="+string(status)+" mentioning "+want, func() (bool, string) {
		if err := env.Kube.Get(context.Background(), client.ObjectKeyFromObject(o), o); err != nil {
			return false, err.Error()
		}
		c := o.GetCondition(ct)
		return c.Status == status && strings.Contains(c.Message, want), string(c.Status) + ": " + c.Message
	})
}

func waitGroupReady(t *testing.T, o managed) {
	t.Helper()
	waitGroup(t, o, xpv2.TypeReady, corev1.ConditionTrue, "")
	waitGroup(t, o, xpv2.TypeSynced, corev1.ConditionTrue, "")
}

func describeSubnetGroup(t *testing.T, name string) *types.DBSubnetGroup {
	t.Helper()
	out, err := env.RDS().DescribeDBSubnetGroups(context.Background(), &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(name)})
	if err != nil || len(out.DBSubnetGroups) == 0 {
		return nil
	}
	return &out.DBSubnetGroups[0]
}

func subnetsOf(g *types.DBSubnetGroup) []string {
	var out []string
	for _, s := range g.Subnets {
		out = append(out, aws.ToString(s.SubnetIdentifier))
	}
	slices.Sort(out)
	return out
}

// userParameters are the parameters set in a group in the backend, by
// name.
func userParameters(t *testing.T, name string) map[string]string {
	t.Helper()
	out, err := env.RDS().DescribeDBParameters(context.Background(), &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String(name), Source: aws.String("user")})
	if err != nil {
		t.Fatalf("cannot describe the parameters of %s: %v", name, err)
	}
	m := map[string]string{}
	for _, p := range out.Parameters {
		m[aws.ToString(p.ParameterName)] = aws.ToString(p.ParameterValue)
	}
	return m
}

func tagsOf(t *testing.T, arn *string) map[string]string {
	t.Helper()
	out, err := env.RDS().ListTagsForResource(context.Background(), &rds.ListTagsForResourceInput{ResourceName: arn})
	if err != nil {
		t.Fatalf("cannot list tags: %v", err)
	}
	m := map[string]string{}
	for _, tag := range out.TagList {
		m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return m
}

// A SubnetGroup creates its DB subnet group with the Crossplane tags,
// corrects drift made outside Kubernetes, makes no mutating call in steady
// state, and deletes the group with the object.
func TestSubnetGroupLifecycle(t *testing.T) {
	net := env.NewNetwork(t, harness.Region, "10.11")
	sg := newSubnetGroup("orders-subnets", net.SubnetIDs)
	sg.Spec.ForProvider.Tags = map[string]*string{"team": aws.String("orders")}
	createManaged(t, sg)
	waitGroupReady(t, sg)

	g := describeSubnetGroup(t, "orders-subnets")
	if g == nil {
		t.Fatal("the DB subnet group does not exist")
	}
	if got, want := subnetsOf(g), slices.Sorted(slices.Values(net.SubnetIDs)); !slices.Equal(got, want) {
		t.Errorf("subnets: want %v, got %v", want, got)
	}
	if got := aws.ToString(g.DBSubnetGroupDescription); got != "Managed by Crossplane" {
		t.Errorf("description of a group whose spec gives none: want %q, got %q", "Managed by Crossplane", got)
	}
	tags := tagsOf(t, g.DBSubnetGroupArn)
	for k, v := range map[string]string{"team": "orders", "crossplane-kind": "subnetgroup.rds.aws.upbound.io", "crossplane-name": "orders-subnets", "crossplane-providerconfig": providerConfigName} {
		if tags[k] != v {
			t.Errorf("tag %s: want %q, got %q (all: %v)", k, v, tags[k], tags)
		}
	}
	if err := env.Kube.Get(context.Background(), client.ObjectKeyFromObject(sg), sg); err != nil {
		t.Fatal(err)
	}
	if got := meta.GetExternalName(sg); got != "orders-subnets" {
		t.Errorf("external name: want the object's name, got %q", got)
	}
	if sg.Status.AtProvider.VPCID == nil || *sg.Status.AtProvider.VPCID != net.VPCID || aws.ToString(sg.Status.AtProvider.ID) != "orders-subnets" {
		t.Errorf("atProvider: want vpcId %s and id orders-subnets, got %+v", net.VPCID, sg.Status.AtProvider)
	}

	steady := countOver(3, nil)
	if n := mutating(steady); n != 0 {
		t.Errorf("steady state: want no mutating call, got %d: %s", n, harness.Format(steady))
	}

	// Someone drops a subnet and rewrites the description by hand.
	if _, err := env.RDS().ModifyDBSubnetGroup(context.Background(), &rds.ModifyDBSubnetGroupInput{
		DBSubnetGroupName: aws.String("orders-subnets"), DBSubnetGroupDescription: aws.String("edited by hand"), SubnetIds: net.SubnetIDs[:1],
	}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, waitTimeout, "drift corrected", func() (bool, string) {
		g := describeSubnetGroup(t, "orders-subnets")
		return g != nil && len(g.Subnets) == 2 && aws.ToString(g.DBSubnetGroupDescription) == "Managed by Crossplane",
			"description and subnets as the spec says"
	})

	deleteManagedAndWaitGone(t, sg)
	if describeSubnetGroup(t, "orders-subnets") != nil {
		t.Error("the DB subnet group is still in AWS after its SubnetGroup was deleted")
	}
}

// mutating counts the calls that change something in AWS.
func mutating(calls map[string]int) int {
	n := 0
	for op, c := range calls {
		if harness.Mutating(op[strings.Index(op, ":")+1:]) && !strings.Contains(op, "!") {
			n += c
		}
	}
	return n
}

// An existing DB subnet group is adopted by name: no create, its
// description late-initialised into the spec, and nothing changed.
func TestSubnetGroupAdoption(t *testing.T) {
	net := env.NewNetwork(t, harness.Region, "10.12")
	if _, err := env.RDS().CreateDBSubnetGroup(context.Background(), &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: aws.String("legacy-subnets"), DBSubnetGroupDescription: aws.String("Managed by Terraform"), SubnetIds: net.SubnetIDs,
	}); err != nil {
		t.Fatal(err)
	}
	sg := newSubnetGroup("adopted", nil)
	meta.SetExternalName(sg, "legacy-subnets")
	calls := countOver(1, func() {
		createManaged(t, sg)
		waitGroupReady(t, sg)
	})
	if calls["rds:CreateDBSubnetGroup"] != 0 || calls["rds:ModifyDBSubnetGroup"] != 0 {
		t.Errorf("adoption created or modified the group: %s", harness.Format(calls))
	}
	if err := env.Kube.Get(context.Background(), client.ObjectKeyFromObject(sg), sg); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(sg.Spec.ForProvider.Description); got != "Managed by Terraform" {
		t.Errorf("late-initialised description: want %q, got %q", "Managed by Terraform", got)
	}
	if len(sg.Spec.ForProvider.SubnetIDs) != 2 {
		t.Errorf("late-initialised subnets: want 2, got %v", aws.ToStringSlice(sg.Spec.ForProvider.SubnetIDs))
	}
}

// A ParameterGroup sets the parameters of its spec with their apply
// methods, corrects them when changed outside Kubernetes, takes AWS's
// spelling of a value as no change, resets a parameter removed from the
// spec, leaves parameters outside the spec alone, and reports what AWS
// sets only at creation.
func TestParameterGroupLifecycle(t *testing.T) {
	pg := newParameterGroup("orders-params",
		param("log_min_duration_statement", "500", ""),
		param("rds.force_ssl", "1", "immediate"),
		param("shared_buffers", "16384", "pending-reboot"))
	createManaged(t, pg)
	waitGroupReady(t, pg)
	want := map[string]string{"log_min_duration_statement": "500", "rds.force_ssl": "1", "shared_buffers": "16384"}
	if got := userParameters(t, "orders-params"); !maps.Equal(got, want) {
		t.Errorf("parameters: want %v, got %v", want, got)
	}

	steady := countOver(3, nil)
	if n := mutating(steady); n != 0 {
		t.Errorf("steady state: want no mutating call, got %d: %s", n, harness.Format(steady))
	}

	// Out of band: one value changed, one respelt as the engine might
	// report it, and one parameter the spec does not name.
	if _, err := env.RDS().ModifyDBParameterGroup(context.Background(), &rds.ModifyDBParameterGroupInput{
		DBParameterGroupName: aws.String("orders-params"),
		Parameters: []types.Parameter{
			{ParameterName: aws.String("log_min_duration_statement"), ParameterValue: aws.String("100"), ApplyMethod: types.ApplyMethodImmediate},
			{ParameterName: aws.String("rds.force_ssl"), ParameterValue: aws.String("ON"), ApplyMethod: types.ApplyMethodImmediate},
			{ParameterName: aws.String("work_mem"), ParameterValue: aws.String("8192"), ApplyMethod: types.ApplyMethodImmediate},
		},
	}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, waitTimeout, "changed parameter corrected", func() (bool, string) {
		got := userParameters(t, "orders-params")
		return got["log_min_duration_statement"] == "500", "log_min_duration_statement=" + got["log_min_duration_statement"]
	})
	if got := userParameters(t, "orders-params"); got["rds.force_ssl"] != "ON" || got["work_mem"] != "8192" {
		t.Errorf("a respelt value or a parameter outside the spec was changed: %v", got)
	}

	// The user removes a parameter from the spec: it returns to the engine
	// default.
	patchGroup(t, pg, `{"spec":{"forProvider":{"parameter":[{"name":"rds.force_ssl","value":"1"},{"name":"shared_buffers","value":"16384","applyMethod":"pending-reboot"}]}}}`)
	harness.Eventually(t, waitTimeout, "removed parameter reset", func() (bool, string) {
		got := userParameters(t, "orders-params")
		_, set := got["log_min_duration_statement"]
		return !set, "log_min_duration_statement still set"
	})
	if got := userParameters(t, "orders-params"); got["work_mem"] != "8192" {
		t.Errorf("a parameter outside the spec was reset: %v", got)
	}

	// Family is set at creation only.
	patchGroup(t, pg, `{"spec":{"forProvider":{"family":"postgres17"}}}`)
	waitGroup(t, pg, managedkit.TypeCannotApply, corev1.ConditionTrue, "family: AWS sets a DB parameter group's family only at creation")
	patchGroup(t, pg, `{"spec":{"forProvider":{"family":"postgres16"}}}`)
	waitGroup(t, pg, managedkit.TypeCannotApply, corev1.ConditionFalse, "")

	deleteManagedAndWaitGone(t, pg)
	if _, err := env.RDS().DescribeDBParameterGroups(context.Background(), &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String("orders-params")}); err == nil {
		t.Error("the DB parameter group is still in AWS after its ParameterGroup was deleted")
	}
}

// AWS refuses the immediate apply method for a static parameter; the
// refusal shows on the resource, and nothing else changes.
func TestParameterGroupStaticParameterNeedsPendingReboot(t *testing.T) {
	pg := newParameterGroup("static-params", param("max_connections", "200", ""))
	createManaged(t, pg)
	waitGroup(t, pg, xpv2.TypeSynced, corev1.ConditionFalse, "cannot use immediate apply method for static parameter max_connections")
	patchGroup(t, pg, `{"spec":{"forProvider":{"parameter":[{"name":"max_connections","value":"200","applyMethod":"pending-reboot"}]}}}`)
	harness.Eventually(t, waitTimeout, "static parameter set", func() (bool, string) {
		got := userParameters(t, "static-params")
		return got["max_connections"] == "200", "max_connections=" + got["max_connections"]
	})
}

func patchGroup(t *testing.T, o managed, patch string) {
	t.Helper()
	if err := env.Kube.Patch(context.Background(), o, client.RawPatch(ktypes.MergePatchType, []byte(patch))); err != nil {
		t.Fatalf("cannot patch %s: %v", o.GetName(), err)
	}
}
