package e2e

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	ktypes "k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

// Every reference and selector of an Instance resolves, in forProvider and
// in initProvider: to the SubnetGroup and ParameterGroup of this provider,
// to another Instance for a read replica, and to the kinds of other
// providers (SecurityGroup, Key, Role). What is not installed, does not
// exist or is not ready blocks creation with a condition saying which.
func TestInstanceReferencesResolve(t *testing.T) {
	// Before any of the other providers' kinds is installed.
	missingKind := newInstance("refs-missing-kind", providerConfigName)
	missingKind.Spec.ForProvider.MonitoringRoleArnRef = &xpv2.Reference{Name: "monitoring"}
	missingKind.Spec.ForProvider.MonitoringInterval = aws.Float64(60)
	calls := countOver(1, func() {
		createInstance(t, missingKind)
		waitSyncedError(t, "refs-missing-kind", `spec.forProvider.monitoringRoleArn: cannot get referenced resource: no matches for kind "Role" in version "iam.aws.upbound.io/v1beta1": the referenced kind is not installed in this cluster`)
	})
	if calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("created with a reference to a kind that is not installed: %s", harness.Format(calls))
	}

	env.InstallForeignCRDs(t, harness.SecurityGroupKind, harness.SubnetKind, harness.KeyKind, harness.RoleKind)
	net := env.NewNetwork(t, harness.Region, "10.21")
	keyARN := "arn:aws:kms:" + harness.Region + ":123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	roleARN := "arn:aws:iam::123456789012:role/rds-monitoring"
	env.CreateForeignObject(t, harness.SecurityGroupKind, "db-access", net.SecurityGroupID, map[string]string{"team": "orders"}, map[string]any{"id": net.SecurityGroupID})
	for i, id := range net.SubnetIDs {
		env.CreateForeignObject(t, harness.SubnetKind, "private-"+string(rune('a'+i)), id, map[string]string{"tier": "private"}, map[string]any{"id": id})
	}
	env.CreateForeignObject(t, harness.KeyKind, "orders-key", "1234abcd-12ab-34cd-56ef-1234567890ab", nil, map[string]any{"arn": keyARN, "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})
	env.CreateForeignObject(t, harness.KeyKind, "unready-key", "", nil, nil)
	env.CreateForeignObject(t, harness.RoleKind, "monitoring", "rds-monitoring", nil, map[string]any{"arn": roleARN})

	// The same Instance resolves once the kind is installed.
	harness.Eventually(t, waitTimeout, "refs-missing-kind resolves its Role", func() (bool, string) {
		got := aws.ToString(getInstance(t, "refs-missing-kind").Spec.ForProvider.MonitoringRoleArn)
		return got == roleARN, "monitoringRoleArn=" + got
	})

	sg := newSubnetGroup("refs-subnets", nil)
	sg.Spec.ForProvider.SubnetIDSelector = &xpv2.Selector{MatchLabels: map[string]string{"tier": "private"}}
	createManaged(t, sg)
	pg := newParameterGroup("refs-params", param("log_connections", "1", ""))
	pg.SetLabels(map[string]string{"app": "orders"})
	createManaged(t, pg)
	waitGroupReady(t, sg)
	waitGroupReady(t, pg)
	if got := subnetsOf(describeSubnetGroup(t, "refs-subnets")); len(got) != 2 {
		t.Errorf("subnets selected from ec2 Subnets: want 2, got %v", got)
	}

	source := newInstance("refs-source", providerConfigName)
	createInstance(t, source)

	db := newInstance("refs-db", providerConfigName)
	fp := &db.Spec.ForProvider
	fp.DBSubnetGroupNameRef = &xpv2.Reference{Name: "refs-subnets"}
	fp.ParameterGroupNameSelector = &xpv2.Selector{MatchLabels: map[string]string{"app": "orders"}}
	fp.VPCSecurityGroupIDSelector = &xpv2.Selector{MatchLabels: map[string]string{"team": "orders"}}
	fp.StorageEncrypted = aws.Bool(true)
	fp.KMSKeyIDRef = &xpv2.Reference{Name: "orders-key"}
	fp.MonitoringInterval = aws.Float64(60)
	fp.MonitoringRoleArnRef = &xpv2.Reference{Name: "monitoring"}
	fp.PerformanceInsightsEnabled = aws.Bool(true)
	fp.PerformanceInsightsKMSKeyIDRef = &xpv2.Reference{Name: "orders-key"}
	fp.MasterUserSecretKMSKeyIDRef = &xpv2.Reference{Name: "orders-key"}
	createInstance(t, db)

	replica := newInstance("refs-replica", providerConfigName)
	replica.Spec.ForProvider.ReplicateSourceDBRef = &xpv2.Reference{Name: "refs-source"}
	replica.Spec.ForProvider.Engine, replica.Spec.ForProvider.EngineVersion, replica.Spec.ForProvider.AllocatedStorage = nil, nil, nil
	createInstance(t, replica)

	init := newInstance("refs-init", providerConfigName)
	ip := &init.Spec.InitProvider
	ip.MonitoringInterval = aws.Float64(60)
	ip.DBSubnetGroupNameRef = &xpv2.Reference{Name: "refs-subnets"}
	ip.ParameterGroupNameRef = &xpv2.Reference{Name: "refs-params"}
	ip.VPCSecurityGroupIDRefs = []xpv2.Reference{{Name: "db-access"}}
	ip.KMSKeyIDRef = &xpv2.Reference{Name: "orders-key"}
	ip.MonitoringRoleArnRef = &xpv2.Reference{Name: "monitoring"}
	ip.PerformanceInsightsKMSKeyIDRef = &xpv2.Reference{Name: "orders-key"}
	ip.MasterUserSecretKMSKeyIDRef = &xpv2.Reference{Name: "orders-key"}
	createInstance(t, init)

	initReplica := newInstance("refs-init-replica", providerConfigName)
	initReplica.Spec.InitProvider.ReplicateSourceDBSelector = &xpv2.Selector{MatchLabels: map[string]string{"role": "replica-source"}}
	initReplica.Spec.ForProvider.Engine, initReplica.Spec.ForProvider.EngineVersion, initReplica.Spec.ForProvider.AllocatedStorage = nil, nil, nil
	patchInstanceLabels(t, "refs-source", map[string]string{"role": "replica-source"})
	createInstance(t, initReplica)

	wantFor := map[string]string{
		"dbSubnetGroupName": "refs-subnets", "parameterGroupName": "refs-params", "vpcSecurityGroupIds": net.SecurityGroupID,
		"kmsKeyId": keyARN, "monitoringRoleArn": roleARN, "performanceInsightsKmsKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
		"masterUserSecretKmsKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
	}
	harness.Eventually(t, waitTimeout, "forProvider references resolved", func() (bool, string) {
		got := resolved(getInstance(t, "refs-db").Spec.ForProvider)
		return maps.Equal(got, wantFor), "got " + strings.Join(pairs(got), " ")
	})
	harness.Eventually(t, waitTimeout, "initProvider references resolved", func() (bool, string) {
		got := resolvedInit(getInstance(t, "refs-init").Spec.InitProvider)
		return maps.Equal(got, wantFor), "got " + strings.Join(pairs(got), " ")
	})
	for _, name := range []string{"refs-replica", "refs-init-replica"} {
		in := waitReadySynced(t, name)
		got := aws.ToString(in.Spec.ForProvider.ReplicateSourceDB)
		if name == "refs-init-replica" {
			got = aws.ToString(in.Spec.InitProvider.ReplicateSourceDB)
		}
		if got != "refs-source" {
			t.Errorf("%s: replicateSourceDb resolved to %q, want the source's identifier refs-source", name, got)
		}
		if src := aws.ToString(describe(t, name).ReadReplicaSourceDBInstanceIdentifier); src != "refs-source" {
			t.Errorf("%s: in AWS a replica of %q, want refs-source", name, src)
		}
	}

	// In AWS, the database sits in the composed groups and security group.
	for _, name := range []string{"refs-db", "refs-init"} {
		waitReadySynced(t, name)
		got := describe(t, name)
		if got.DBSubnetGroup == nil || aws.ToString(got.DBSubnetGroup.DBSubnetGroupName) != "refs-subnets" {
			t.Errorf("%s: not in subnet group refs-subnets: %+v", name, got.DBSubnetGroup)
		}
		if len(got.DBParameterGroups) == 0 || aws.ToString(got.DBParameterGroups[0].DBParameterGroupName) != "refs-params" {
			t.Errorf("%s: not using parameter group refs-params", name)
		}
		if len(got.VpcSecurityGroups) != 1 || aws.ToString(got.VpcSecurityGroups[0].VpcSecurityGroupId) != net.SecurityGroupID {
			t.Errorf("%s: security groups %+v, want %s", name, got.VpcSecurityGroups, net.SecurityGroupID)
		}
	}

	// Nothing is created while a reference names an object that does not
	// exist, or one that is not ready.
	missing := newInstance("refs-missing-object", providerConfigName)
	missing.Spec.ForProvider.DBSubnetGroupNameRef = &xpv2.Reference{Name: "no-such-group"}
	unready := newInstance("refs-unready", providerConfigName)
	unready.Spec.InitProvider.KMSKeyIDRef = &xpv2.Reference{Name: "unready-key"}
	calls = countOver(1, func() {
		createInstance(t, missing)
		createInstance(t, unready)
		waitSyncedError(t, "refs-missing-object", `spec.forProvider.dbSubnetGroupName: cannot get referenced resource: SubnetGroup.rds.aws.upbound.io "no-such-group" not found: the referenced object does not exist`)
		waitSyncedError(t, "refs-unready", "spec.initProvider.kmsKeyId: referenced field was empty (referenced resource may not yet be ready)")
	})
	if calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("created with unresolved references: %s", harness.Format(calls))
	}

	// Steady state with all three kinds: nothing changes.
	steady := countOver(3, nil)
	if n := mutating(steady); n != 0 {
		t.Errorf("steady state with Instances, SubnetGroup and ParameterGroup: want no mutating call, got %d: %s", n, harness.Format(steady))
		for _, name := range []string{"refs-db", "refs-init", "refs-replica", "refs-init-replica", "refs-source", "refs-missing-kind", "refs-missing-object", "refs-unready"} {
			t.Logf("%s: drift corrections %v, conditions %v", name, eventMessages(t, name, "CorrectingDrift"), getInstance(t, name).Status.Conditions)
		}
	}
}

func patchInstanceLabels(t *testing.T, name string, labels map[string]string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"metadata": map[string]any{"labels": labels}})
	if err != nil {
		t.Fatal(err)
	}
	patchInstance(t, name, string(body))
}

// resolved are the value fields references fill, by their JSON names.
func resolved(p v1beta3.InstanceParameters) map[string]string {
	return valueFields(p.DBSubnetGroupName, p.ParameterGroupName, p.VPCSecurityGroupIDs, p.KMSKeyID, p.MonitoringRoleArn, p.PerformanceInsightsKMSKeyID, p.MasterUserSecretKMSKeyID)
}

func resolvedInit(p v1beta3.InstanceInitParameters) map[string]string {
	return valueFields(p.DBSubnetGroupName, p.ParameterGroupName, p.VPCSecurityGroupIDs, p.KMSKeyID, p.MonitoringRoleArn, p.PerformanceInsightsKMSKeyID, p.MasterUserSecretKMSKeyID)
}

func valueFields(subnetGroup, parameterGroup *string, securityGroups []*string, kms, role, piKMS, secretKMS *string) map[string]string {
	out := map[string]string{}
	add := func(k string, v *string) {
		if v != nil {
			out[k] = *v
		}
	}
	add("dbSubnetGroupName", subnetGroup)
	add("parameterGroupName", parameterGroup)
	if len(securityGroups) > 0 {
		out["vpcSecurityGroupIds"] = strings.Join(aws.ToStringSlice(securityGroups), ",")
	}
	add("kmsKeyId", kms)
	add("monitoringRoleArn", role)
	add("performanceInsightsKmsKeyId", piKMS)
	add("masterUserSecretKmsKeyId", secretKMS)
	return out
}

func pairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// Deleting a SubnetGroup or ParameterGroup that a database still uses:
// AWS refuses, the resource names the database that holds it and retries
// with back-off, and the group goes once the database has.
func TestGroupsInUseWaitForTheirDatabase(t *testing.T) {
	net := env.NewNetwork(t, harness.Region, "10.31")
	sg := newSubnetGroup("inuse-subnets", net.SubnetIDs)
	pg := newParameterGroup("inuse-params", param("log_connections", "1", ""))
	createManaged(t, sg)
	createManaged(t, pg)
	waitGroupReady(t, sg)
	waitGroupReady(t, pg)
	db := newInstance("inuse-db", providerConfigName)
	db.Spec.ForProvider.DBSubnetGroupName = aws.String("inuse-subnets")
	db.Spec.ForProvider.ParameterGroupName = aws.String("inuse-params")
	createInstance(t, db)
	waitReadySynced(t, "inuse-db")

	start := time.Now()
	calls := countOver(0, func() {
		for _, o := range []managed{sg, pg} {
			if err := env.Kube.Delete(context.Background(), o); err != nil {
				t.Fatal(err)
			}
		}
		waitGroup(t, sg, xpv2.TypeSynced, corev1.ConditionFalse, `DB subnet group "inuse-subnets" is in use by DB instance(s) inuse-db`)
		waitGroup(t, pg, xpv2.TypeSynced, corev1.ConditionFalse, `DB parameter group "inuse-params" is in use by DB instance(s) inuse-db`)
		time.Sleep(8 * time.Second)
	})
	elapsed := time.Since(start)
	// Exponential back-off from 1 s: about log2(elapsed) attempts, never
	// one per poll or faster.
	for _, op := range []string{"rds:DeleteDBSubnetGroup", "rds:DeleteDBParameterGroup"} {
		if n := calls[op]; n == 0 || n > 6 {
			t.Errorf("%s over %s while in use: want a few attempts with back-off, got %d", op, elapsed.Round(time.Second), n)
		}
	}
	if describeSubnetGroup(t, "inuse-subnets") == nil {
		t.Error("the subnet group was deleted while in use")
	}

	deleteAndWaitGone(t, "inuse-db")
	for _, o := range []managed{sg, pg} {
		harness.Eventually(t, 2*time.Minute, o.GetName()+" deleted after its database", func() (bool, string) {
			err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Name: o.GetName()}, o)
			return kerrors.IsNotFound(err), "still present"
		})
	}
	if describeSubnetGroup(t, "inuse-subnets") != nil {
		t.Error("the subnet group is still in AWS")
	}
	if _, err := env.RDS().DescribeDBParameterGroups(context.Background(), &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String("inuse-params")}); err == nil {
		t.Error("the parameter group is still in AWS")
	}
}

// A static parameter changed with pending-reboot shows on the Instances
// that use the group, which are not rebooted.
func TestStaticParameterChangeWaitsForReboot(t *testing.T) {
	pg := newParameterGroup("reboot-params", param("shared_buffers", "16384", "pending-reboot"))
	createManaged(t, pg)
	waitGroupReady(t, pg)
	db := newInstance("reboot-db", providerConfigName)
	db.Spec.ForProvider.ParameterGroupName = aws.String("reboot-params")
	createInstance(t, db)
	// A new group takes effect at the next reboot too; reboot as a user
	// would, so that only the parameter change is pending below.
	waitReadySynced(t, "reboot-db")
	waitAvailable(t, "reboot-db")
	if _, err := env.RDS().RebootDBInstance(context.Background(), &rds.RebootDBInstanceInput{DBInstanceIdentifier: aws.String("reboot-db")}); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, waitTimeout, "reboot-db rebooted", func() (bool, string) {
		s := aws.ToString(describe(t, "reboot-db").DBInstanceStatus)
		return s == "available", s
	})

	calls := countOver(2, func() {
		patchGroup(t, pg, `{"spec":{"forProvider":{"parameter":[{"name":"shared_buffers","value":"32768","applyMethod":"pending-reboot"}]}}}`)
		waitCondition(t, "reboot-db", "ChangesPending", corev1.ConditionTrue, "parameter group reboot-params (pending-reboot")
	})
	if calls["rds:RebootDBInstance"] != 0 {
		t.Errorf("the provider rebooted the database: %s", harness.Format(calls))
	}
	if got := aws.ToString(getInstance(t, "reboot-db").Status.AtProvider.ParameterApplyStatus); got != "pending-reboot" {
		t.Errorf("atProvider.parameterApplyStatus: want pending-reboot, got %q", got)
	}
}
