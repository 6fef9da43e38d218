package composition

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

const timeout = 90 * time.Second

// compositionRegion is the region the example Composition puts databases in.
const compositionRegion = "eu-west-1"

var claimGVK = schema.GroupVersionKind{Group: "database.example.org", Version: "v1alpha1", Kind: "PostgreSQLInstance"}

// readObjects reads the objects of a YAML file of the repository.
func readObjects(t *testing.T, path string) []*unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(env.Root, path))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := harness.DecodeObjects(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return objs
}

func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	harness.Eventually(t, timeout, what, cond)
}

func conditionStatus(u *unstructured.Unstructured, ct string) string {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == ct {
			s, _ := m["status"].(string)
			return s
		}
	}
	return ""
}

// composedInstance returns the Instance composed for the example claim.
func composedInstance(ctx context.Context) (*v1beta3.Instance, error) {
	l := &v1beta3.InstanceList{}
	if err := env.Kube.List(ctx, l, client.MatchingLabels{"crossplane.io/claim-name": "orders-db", "crossplane.io/claim-namespace": "team-orders"}); err != nil {
		return nil, err
	}
	if len(l.Items) != 1 {
		return nil, fmt.Errorf("%d composed Instances", len(l.Items))
	}
	return &l.Items[0], nil
}

// composed returns the one object of a kind composed for the example
// claim.
func composed(ctx context.Context, l client.ObjectList) error {
	if err := env.Kube.List(ctx, l, client.MatchingLabels{"crossplane.io/claim-name": "orders-db", "crossplane.io/claim-namespace": "team-orders"}); err != nil {
		return err
	}
	if n := apimeta.LenList(l); n != 1 {
		return fmt.Errorf("%d composed %T", n, l)
	}
	return nil
}

// The network team's part, made before any claim: subnets and a database
// security group in AWS, and the ec2.aws.upbound.io objects their provider
// keeps for them (installed here with minimal CRDs), labelled with the
// network's name.
func networkTeam(t *testing.T) harness.Network {
	t.Helper()
	env.InstallForeignCRDs(t, harness.SubnetKind, harness.SecurityGroupKind)
	net := env.NewNetwork(t, compositionRegion, "10.60")
	for i, id := range net.SubnetIDs {
		env.CreateForeignObject(t, harness.SubnetKind, fmt.Sprintf("orders-private-%d", i), id, map[string]string{"network": "orders-vpc", "tier": "private"}, map[string]any{"id": id})
	}
	// Another network's subnet, which the selector must not pick.
	other := env.NewNetwork(t, compositionRegion, "10.61")
	env.CreateForeignObject(t, harness.SubnetKind, "billing-private-0", other.SubnetIDs[0], map[string]string{"network": "billing-vpc", "tier": "private"}, map[string]any{"id": other.SubnetIDs[0]})
	env.CreateForeignObject(t, harness.SecurityGroupKind, "orders-database", net.SecurityGroupID, map[string]string{"network": "orders-vpc", "role": "database"}, map[string]any{"id": net.SecurityGroupID})
	return net
}

// The example claim, through the example definition and Composition on a
// real Crossplane, becomes a database in a composed DB subnet group (in
// the network team's subnets, found by label), with a composed parameter
// group and the network's security group, and the platform defaults; the
// claim is Ready only once the database is; the application namespace
// receives working connection details; a storage change reaches the
// database; and deleting the claim deletes the database (after a final
// snapshot), then the groups it used, and the connection Secret.
func TestClaimLifecycle(t *testing.T) {
	ctx := context.Background()
	net := networkTeam(t)
	for _, f := range []string{"examples/composition/definition.yaml", "examples/composition/composition.yaml"} {
		for _, u := range readObjects(t, f) {
			if err := env.Kube.Create(ctx, u); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	}
	eventually(t, "the definition offers its claim", func() (bool, string) {
		xrd := &unstructured.Unstructured{}
		xrd.SetGroupVersionKind(schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v1", Kind: "CompositeResourceDefinition"})
		if err := env.Kube.Get(ctx, types.NamespacedName{Name: "xpostgresqlinstances.database.example.org"}, xrd); err != nil {
			return false, err.Error()
		}
		return conditionStatus(xrd, "Established") == "True" && conditionStatus(xrd, "Offered") == "True",
			"Established=" + conditionStatus(xrd, "Established") + " Offered=" + conditionStatus(xrd, "Offered")
	})
	for _, u := range readObjects(t, "examples/composition/claim.yaml") {
		var err error
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Second) {
			// The claim's CRD may still be getting served right after the
			// definition reports Offered.
			if err = env.Kube.Create(ctx, u); err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil {
			t.Fatalf("claim.yaml: %s %s: %v", u.GetKind(), u.GetName(), err)
		}
	}

	// Ready only after the Instance is: watch both until the claim is.
	claim := &unstructured.Unstructured{}
	claim.SetGroupVersionKind(claimGVK)
	var in *v1beta3.Instance
	eventually(t, "the claim is Ready", func() (bool, string) {
		if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: "team-orders", Name: "orders-db"}, claim); err != nil {
			return false, err.Error()
		}
		claimReady := conditionStatus(claim, "Ready") == "True"
		var err error
		if in, err = composedInstance(ctx); err != nil {
			if claimReady {
				t.Fatalf("the claim is Ready without a composed Instance: %v", err)
			}
			return false, err.Error()
		}
		instanceReady := in.Status.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue
		if claimReady && !instanceReady {
			t.Fatal("the claim became Ready before its Instance")
		}
		return claimReady, fmt.Sprintf("claim Ready=%q, Instance Ready=%t", conditionStatus(claim, "Ready"), instanceReady)
	})

	fp := in.Spec.ForProvider
	xrName := in.GetLabels()["crossplane.io/composite"]
	defaults := map[string][2]string{
		"instanceClass":           {"db.t3.micro", aws.ToString(fp.InstanceClass)},
		"engine":                  {"postgres", aws.ToString(fp.Engine)},
		"storageEncrypted":        {"true", fmt.Sprint(aws.ToBool(fp.StorageEncrypted))},
		"backupRetentionPeriod":   {"7", fmt.Sprint(aws.ToFloat64(fp.BackupRetentionPeriod))},
		"allocatedStorage":        {"20", fmt.Sprint(aws.ToFloat64(fp.AllocatedStorage))},
		"tags.managed-by":         {"platform-team", aws.ToString(fp.Tags["managed-by"])},
		"finalSnapshotIdentifier": {xrName + "-final", aws.ToString(fp.FinalSnapshotIdentifier)},
		"deletionPolicy":          {"Delete", string(in.Spec.DeletionPolicy)},
	}
	for field, wg := range defaults {
		if wg[0] != wg[1] {
			t.Errorf("composed Instance %s: want %q, got %q", field, wg[0], wg[1])
		}
	}
	id := meta.GetExternalName(in)
	db := describe(t, id)
	if db == nil {
		t.Fatalf("no DB instance %s in the emulator", id)
	}

	// The database sits in the composed groups and the network's security
	// group, as AWS has it.
	subnetGroups, parameterGroups := &groupsv1beta1.SubnetGroupList{}, &groupsv1beta1.ParameterGroupList{}
	if err := composed(ctx, subnetGroups); err != nil {
		t.Fatal(err)
	}
	if err := composed(ctx, parameterGroups); err != nil {
		t.Fatal(err)
	}
	subnetGroup, parameterGroup := meta.GetExternalName(&subnetGroups.Items[0]), meta.GetExternalName(&parameterGroups.Items[0])
	if got := aws.ToString(db.DBSubnetGroup.DBSubnetGroupName); db.DBSubnetGroup == nil || got != subnetGroup {
		t.Errorf("DB subnet group in AWS: want the composed %q, got %q", subnetGroup, got)
	}
	if len(db.DBParameterGroups) != 1 || aws.ToString(db.DBParameterGroups[0].DBParameterGroupName) != parameterGroup {
		t.Errorf("DB parameter group in AWS: want the composed %q, got %+v", parameterGroup, db.DBParameterGroups)
	}
	if len(db.VpcSecurityGroups) != 1 || aws.ToString(db.VpcSecurityGroups[0].VpcSecurityGroupId) != net.SecurityGroupID {
		t.Errorf("security groups in AWS: want the network's %s, got %+v", net.SecurityGroupID, db.VpcSecurityGroups)
	}
	var subnets []string
	for _, s := range db.DBSubnetGroup.Subnets {
		subnets = append(subnets, aws.ToString(s.SubnetIdentifier))
	}
	slices.Sort(subnets)
	if want := slices.Sorted(slices.Values(net.SubnetIDs)); !slices.Equal(subnets, want) {
		t.Errorf("subnets of the composed group: want the orders network's %v, got %v", want, subnets)
	}
	params, err := env.RDSIn(compositionRegion).DescribeDBParameters(ctx, &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String(parameterGroup), Source: aws.String("user")})
	if err != nil {
		t.Fatal(err)
	}
	if len(params.Parameters) != 2 {
		t.Errorf("parameters of the composed group: want the Composition's 2, got %+v", params.Parameters)
	}
	if address, _, _ := unstructured.NestedString(claim.Object, "status", "address"); address == "" || address != aws.ToString(db.Endpoint.Address) {
		t.Errorf("claim status.address: want %q, got %q", aws.ToString(db.Endpoint.Address), address)
	}

	conn := &corev1.Secret{}
	eventually(t, "the claim's connection Secret holds every key", func() (bool, string) {
		if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: "team-orders", Name: "orders-db-connection"}, conn); err != nil {
			return false, err.Error()
		}
		for _, k := range []string{"endpoint", "address", "host", "port", "username", "password", "database", "url"} {
			if len(conn.Data[k]) == 0 {
				return false, "no key " + k
			}
		}
		return true, ""
	})
	master := &corev1.Secret{}
	if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: harness.ProviderNamespace, Name: instance.GeneratedSecretName(in.GetName())}, master); err != nil {
		t.Fatal(err)
	}
	if string(conn.Data["password"]) != string(master.Data["password"]) {
		t.Error("the claim's connection password is not the master password the provider set")
	}
	if got, want := string(conn.Data["endpoint"]), fmt.Sprintf("%s:%d", aws.ToString(db.Endpoint.Address), aws.ToInt32(db.Endpoint.Port)); got != want {
		t.Errorf("connection endpoint: want %q, got %q", want, got)
	}

	// A storage change on the claim reaches AWS. The Composition leaves
	// applyImmediately unset, so AWS holds it for the maintenance window.
	patch := client.RawPatch(types.MergePatchType, []byte(`{"spec":{"parameters":{"storageGB":30}}}`))
	if err := env.Kube.Patch(ctx, claim, patch); err != nil {
		t.Fatal(err)
	}
	eventually(t, "30 GiB pending in AWS", func() (bool, string) {
		pv := describe(t, id).PendingModifiedValues
		return pv != nil && aws.ToInt32(pv.AllocatedStorage) == 30, fmt.Sprintf("pending %+v", pv)
	})
	env.Bed(t).In(compositionRegion).Maintenance(t, id)
	eventually(t, "the database has 30 GiB after the maintenance window", func() (bool, string) {
		got := aws.ToInt32(describe(t, id).AllocatedStorage)
		return got == 30, fmt.Sprintf("%d GiB", got)
	})

	// Deleting the claim cascades.
	if err := env.Kube.Delete(ctx, claim); err != nil {
		t.Fatal(err)
	}
	// AWS refuses to delete a group while the database uses it, so the
	// groups go once the database has, on their back-off (at most a minute
	// between attempts).
	harness.Eventually(t, timeout+time.Minute, "the Instance, the database, its groups and the connection Secret are gone", func() (bool, string) {
		if _, err := composedInstance(ctx); err == nil {
			return false, "the Instance still exists"
		}
		if describe(t, id) != nil {
			return false, "the database still exists"
		}
		rdsc := env.RDSIn(compositionRegion)
		if _, err := rdsc.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(subnetGroup)}); err == nil {
			return false, "the DB subnet group still exists"
		}
		if _, err := rdsc.DescribeDBParameterGroups(ctx, &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String(parameterGroup)}); err == nil {
			return false, "the DB parameter group still exists"
		}
		err := env.Kube.Get(ctx, types.NamespacedName{Namespace: "team-orders", Name: "orders-db-connection"}, &corev1.Secret{})
		return kerrors.IsNotFound(err), "the connection Secret still exists"
	})
	snaps, err := env.RDSIn(compositionRegion).DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{DBSnapshotIdentifier: aws.String(xrName + "-final")})
	if err != nil || len(snaps.DBSnapshots) != 1 {
		t.Errorf("final snapshot %s-final: want one, got %v (%v)", xrName, snaps, err)
	}
}

func describe(t *testing.T, id string) *rdstypes.DBInstance {
	t.Helper()
	return env.Describe(t, compositionRegion, id)
}

// `crossplane render`, with the function in its Development runtime, turns
// the example claim's composite into the expected Instance: a fast guard
// against Composition mistakes.
func TestRender(t *testing.T) {
	xr := `{"apiVersion":"database.example.org/v1alpha1","kind":"XPostgreSQLInstance","metadata":{"name":"orders-db-x7k2p"},` +
		`"spec":{"parameters":{"size":"small","storageGB":20,"engineVersion":"16","deletionPolicy":"Delete","network":"orders-vpc"}}}`
	objs, stdout := render(t, "examples/composition/composition.yaml", []byte(xr))
	var rendered *v1beta3.Instance
	var subnetGroup *groupsv1beta1.SubnetGroup
	var parameterGroup *groupsv1beta1.ParameterGroup
	for _, u := range objs {
		var into any
		switch u.GetKind() {
		case "Instance":
			rendered = &v1beta3.Instance{}
			into = rendered
		case "SubnetGroup":
			subnetGroup = &groupsv1beta1.SubnetGroup{}
			into = subnetGroup
		case "ParameterGroup":
			parameterGroup = &groupsv1beta1.ParameterGroup{}
			into = parameterGroup
		default:
			continue
		}
		b, _ := u.MarshalJSON()
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatal(err)
		}
	}
	if rendered == nil || subnetGroup == nil || parameterGroup == nil {
		t.Fatalf("crossplane render produced no Instance, SubnetGroup or ParameterGroup:\n%s", stdout)
	}
	if sel := subnetGroup.Spec.ForProvider.SubnetIDSelector; sel == nil || sel.MatchLabels["network"] != "orders-vpc" || sel.MatchLabels["tier"] != "private" {
		t.Errorf("rendered SubnetGroup selects subnets by %+v, want network=orders-vpc, tier=private", sel)
	}
	if got := aws.ToString(parameterGroup.Spec.ForProvider.Family); got != "postgres16" || len(parameterGroup.Spec.ForProvider.Parameter) != 2 {
		t.Errorf("rendered ParameterGroup: want family postgres16 with 2 parameters, got %q with %d", got, len(parameterGroup.Spec.ForProvider.Parameter))
	}
	rp := rendered.Spec.ForProvider
	if rp.DBSubnetGroupNameSelector == nil || !aws.ToBool(rp.DBSubnetGroupNameSelector.MatchControllerRef) ||
		rp.ParameterGroupNameSelector == nil || !aws.ToBool(rp.ParameterGroupNameSelector.MatchControllerRef) ||
		rp.VPCSecurityGroupIDSelector == nil || rp.VPCSecurityGroupIDSelector.MatchLabels["network"] != "orders-vpc" {
		t.Errorf("rendered Instance does not select the composed groups and the network's security group: %+v %+v %+v",
			rp.DBSubnetGroupNameSelector, rp.ParameterGroupNameSelector, rp.VPCSecurityGroupIDSelector)
	}
	fp := rendered.Spec.ForProvider
	got := fmt.Sprintf("%s %s %s %v %v %v %s %s", aws.ToString(fp.InstanceClass), aws.ToString(fp.Engine), aws.ToString(fp.EngineVersion),
		aws.ToFloat64(fp.AllocatedStorage), aws.ToBool(fp.StorageEncrypted), aws.ToFloat64(fp.BackupRetentionPeriod),
		aws.ToString(fp.FinalSnapshotIdentifier), rendered.Spec.DeletionPolicy)
	if want := "db.t3.micro postgres 16 20 true 7 orders-db-x7k2p-final Delete"; got != want {
		t.Errorf("rendered Instance: want %q, got %q", want, got)
	}
}

// The Crossplane v2 example: a namespaced PostgreSQL composite, through an
// apiextensions.crossplane.io/v2 definition and a Pipeline Composition of
// namespaced managed resources, becomes a database in a composed subnet
// group with a composed parameter group, using the team's own namespaced
// ProviderConfig; the composite is Ready only once everything is; the
// connection details and the generated master password land in the
// composite's namespace; a change propagates; deleting the composite
// deletes everything.
func TestNamespacedCompositeLifecycle(t *testing.T) {
	ctx := context.Background()
	const ns = "team-billing"
	for _, f := range []string{"examples/composition-v2/definition.yaml", "examples/composition-v2/composition.yaml"} {
		for _, u := range readObjects(t, f) {
			if err := env.Kube.Create(ctx, u); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	}
	eventually(t, "the definition is established", func() (bool, string) {
		xrd := &unstructured.Unstructured{}
		xrd.SetGroupVersionKind(schema.GroupVersionKind{Group: "apiextensions.crossplane.io", Version: "v2", Kind: "CompositeResourceDefinition"})
		if err := env.Kube.Get(ctx, types.NamespacedName{Name: "postgresqls.platform.example.org"}, xrd); err != nil {
			return false, err.Error()
		}
		return conditionStatus(xrd, "Established") == "True", "Established=" + conditionStatus(xrd, "Established")
	})

	// The team's namespace, credentials and ProviderConfig, as
	// examples/composition-v2/providerconfig.yaml has them (with the test
	// bed's endpoint), and its network.
	for _, u := range readObjects(t, "examples/composition-v2/providerconfig.yaml") {
		if u.GetKind() == "Namespace" {
			if err := env.Kube.Create(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
	}
	creds := &corev1.Secret{}
	if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: harness.ProviderNamespace, Name: harness.CredentialsSecretName}, creds); err != nil {
		t.Fatal(err)
	}
	teamCreds := &corev1.Secret{Data: creds.Data}
	teamCreds.SetNamespace(ns)
	teamCreds.SetName(harness.CredentialsSecretName)
	if err := env.Kube.Create(ctx, teamCreds); err != nil {
		t.Fatal(err)
	}
	pc := &awsmv1beta1.ProviderConfig{Spec: env.EmulatorProviderConfig("aws-provider").Spec}
	pc.SetNamespace(ns)
	pc.SetName("aws-provider")
	if err := env.Kube.Create(ctx, pc); err != nil {
		t.Fatal(err)
	}
	net := env.NewNetwork(t, compositionRegion, "10.70")

	xr := readObjects(t, "examples/composition-v2/postgresql.yaml")[0]
	if err := unstructured.SetNestedStringSlice(xr.Object, net.SubnetIDs, "spec", "parameters", "subnetIds"); err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedStringSlice(xr.Object, []string{net.SecurityGroupID}, "spec", "parameters", "securityGroupIds"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Second) {
		// The composite's CRD may still be getting served.
		err := env.Kube.Create(ctx, xr)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("postgresql.yaml: %v", err)
		}
	}

	in := &nsv1beta1.Instance{}
	eventually(t, "the composite is Ready", func() (bool, string) {
		if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: ns, Name: "invoices"}, xr); err != nil {
			return false, err.Error()
		}
		l := &nsv1beta1.InstanceList{}
		if err := env.Kube.List(ctx, l, client.InNamespace(ns)); err != nil || len(l.Items) != 1 {
			return false, fmt.Sprintf("composed Instances: %d %v", len(l.Items), err)
		}
		*in = l.Items[0]
		xrReady, inReady := conditionStatus(xr, "Ready") == "True", in.Status.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue
		if xrReady && !inReady {
			t.Fatal("the composite became Ready before its Instance")
		}
		return xrReady, fmt.Sprintf("composite Ready=%q, Instance Ready=%t (%s)", conditionStatus(xr, "Ready"), inReady, in.Status.GetCondition(xpv2.TypeSynced).Message)
	})

	id := meta.GetExternalName(in)
	db := describe(t, id)
	if db == nil {
		t.Fatalf("no DB instance %s", id)
	}
	groups := &nsv1beta1.SubnetGroupList{}
	params := &nsv1beta1.ParameterGroupList{}
	if err := env.Kube.List(ctx, groups, client.InNamespace(ns)); err != nil || len(groups.Items) != 1 {
		t.Fatalf("composed SubnetGroups: %v %v", groups.Items, err)
	}
	if err := env.Kube.List(ctx, params, client.InNamespace(ns)); err != nil || len(params.Items) != 1 {
		t.Fatalf("composed ParameterGroups: %v %v", params.Items, err)
	}
	subnetGroup, parameterGroup := meta.GetExternalName(&groups.Items[0]), meta.GetExternalName(&params.Items[0])
	if db.DBSubnetGroup == nil || aws.ToString(db.DBSubnetGroup.DBSubnetGroupName) != subnetGroup {
		t.Errorf("DB subnet group in AWS: want the composed %q, got %+v", subnetGroup, db.DBSubnetGroup)
	}
	if len(db.DBParameterGroups) != 1 || aws.ToString(db.DBParameterGroups[0].DBParameterGroupName) != parameterGroup {
		t.Errorf("DB parameter group in AWS: want the composed %q, got %+v", parameterGroup, db.DBParameterGroups)
	}
	if address, _, _ := unstructured.NestedString(xr.Object, "status", "address"); address == "" || address != aws.ToString(db.Endpoint.Address) {
		t.Errorf("composite status.address: want %q, got %q", aws.ToString(db.Endpoint.Address), address)
	}

	conn, master := &corev1.Secret{}, &corev1.Secret{}
	eventually(t, "the connection Secret in the composite's namespace", func() (bool, string) {
		if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: ns, Name: "invoices-connection"}, conn); err != nil {
			return false, err.Error()
		}
		return len(conn.Data["password"]) > 0 && len(conn.Data["endpoint"]) > 0, "keys: " + fmt.Sprint(len(conn.Data))
	})
	if err := env.Kube.Get(ctx, types.NamespacedName{Namespace: ns, Name: "invoices-master-password"}, master); err != nil {
		t.Fatal(err)
	}
	if string(conn.Data["password"]) != string(master.Data["password"]) || !env.Bed(t).In(compositionRegion).Authenticates(t, id, string(master.Data["password"])) {
		t.Error("the connection password is not the generated master password that opens the database")
	}

	// A change on the composite reaches AWS.
	patch := client.RawPatch(types.MergePatchType, []byte(`{"spec":{"parameters":{"storageGB":30}}}`))
	if err := env.Kube.Patch(ctx, xr, patch); err != nil {
		t.Fatal(err)
	}
	eventually(t, "30 GiB pending in AWS", func() (bool, string) {
		pv := describe(t, id).PendingModifiedValues
		return pv != nil && aws.ToInt32(pv.AllocatedStorage) == 30, fmt.Sprintf("pending %+v", pv)
	})

	if err := env.Kube.Delete(ctx, xr); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, timeout+time.Minute, "the Instance, the database, its groups and the connection Secret are gone", func() (bool, string) {
		l := &nsv1beta1.InstanceList{}
		if err := env.Kube.List(ctx, l, client.InNamespace(ns)); err != nil || len(l.Items) != 0 {
			return false, "the Instance still exists"
		}
		if describe(t, id) != nil {
			return false, "the database still exists"
		}
		rdsc := env.RDSIn(compositionRegion)
		if _, err := rdsc.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(subnetGroup)}); err == nil {
			return false, "the DB subnet group still exists"
		}
		if _, err := rdsc.DescribeDBParameterGroups(ctx, &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String(parameterGroup)}); err == nil {
			return false, "the DB parameter group still exists"
		}
		err := env.Kube.Get(ctx, types.NamespacedName{Namespace: ns, Name: "invoices-connection"}, &corev1.Secret{})
		return kerrors.IsNotFound(err), "the connection Secret still exists"
	})
}

// `crossplane render` of the Crossplane v2 example: the namespaced
// composite becomes a namespaced SubnetGroup in its subnets, a
// ParameterGroup, and an Instance selecting both, with its Secrets named
// after the composite.
func TestRenderNamespaced(t *testing.T) {
	xr := readObjects(t, "examples/composition-v2/postgresql.yaml")[0]
	xrJSON, err := xr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	objs, stdout := render(t, "examples/composition-v2/composition.yaml", xrJSON)
	kinds := map[string]*unstructured.Unstructured{}
	for _, u := range objs {
		if u.GetAPIVersion() == "rds.aws.m.upbound.io/v1beta1" {
			kinds[u.GetKind()] = u
		}
	}
	for _, k := range []string{"SubnetGroup", "ParameterGroup", "Instance"} {
		if kinds[k] == nil {
			t.Fatalf("crossplane render produced no namespaced %s:\n%s", k, stdout)
		}
	}
	subnets, _, _ := unstructured.NestedStringSlice(kinds["SubnetGroup"].Object, "spec", "forProvider", "subnetIds")
	want, _, _ := unstructured.NestedStringSlice(xr.Object, "spec", "parameters", "subnetIds")
	if fmt.Sprint(subnets) != fmt.Sprint(want) {
		t.Errorf("rendered SubnetGroup subnets: want %v, got %v", want, subnets)
	}
	in := kinds["Instance"].Object
	class, _, _ := unstructured.NestedString(in, "spec", "forProvider", "instanceClass")
	conn, _, _ := unstructured.NestedString(in, "spec", "writeConnectionSecretToRef", "name")
	pw, _, _ := unstructured.NestedString(in, "spec", "forProvider", "passwordSecretRef", "name")
	sel, _, _ := unstructured.NestedBool(in, "spec", "forProvider", "dbSubnetGroupNameSelector", "matchControllerRef")
	pcKind, _, _ := unstructured.NestedString(in, "spec", "providerConfigRef", "kind")
	if got := fmt.Sprint(class, " ", conn, " ", pw, " ", sel, " ", pcKind); got != "db.t3.micro invoices-connection invoices-master-password true ProviderConfig" {
		t.Errorf("rendered Instance: got %q", got)
	}
}

// render runs `crossplane render` of a composite (JSON) through a
// Composition of the repository, with function-patch-and-transform run
// locally in its Development runtime and the render engine from our
// Crossplane build (--crossplane-binary) instead of a Docker image. It
// returns the rendered objects and the output.
func render(t *testing.T, composition string, xr []byte) ([]*unstructured.Unstructured, string) {
	t.Helper()
	dir := t.TempDir()
	port, err := harness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	fn, err := harness.StartProcess("function-insecure", dir, nil, filepath.Join(assets, functionName), "--insecure", fmt.Sprintf("--address=127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fn.Stop)

	functions := readObjects(t, "examples/composition/function.yaml")[0]
	functions.SetAnnotations(map[string]string{
		"render.crossplane.io/runtime":                    "Development",
		"render.crossplane.io/runtime-development-target": fmt.Sprintf("127.0.0.1:%d", port),
	})
	fnJSON, err := functions.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"functions.yaml": fnJSON, "xr.yaml": xr} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(assets, "crossplane-cli"), "render", "--crossplane-binary="+filepath.Join(assets, "crossplane"), filepath.Join(dir, "xr.yaml"),
		filepath.Join(env.Root, composition), filepath.Join(dir, "functions.yaml"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("crossplane render: %v\n%s\nfunction log:\n%s", err, stderr.String(), fn.Log())
	}
	out := stdout.String()
	objs, err := harness.DecodeObjects(&stdout)
	if err != nil {
		t.Fatal(err)
	}
	return objs, out
}
