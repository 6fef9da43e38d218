package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/providerconfig"
	"github.com/provider-rds/provider-rds/test/harness"
)

// teamNamespace makes a team's namespace with its own credentials Secret
// and a namespaced ProviderConfig named after the team. The
// ProviderConfig's secretRef names the provider's namespace, as copied
// from a legacy ProviderConfig: the provider reads the Secret in the
// team's namespace anyway.
func teamNamespace(t *testing.T, ns string) {
	t.Helper()
	ctx := context.Background()
	ensureNamespace(t, ns)
	creds := getSecret(t, harness.ProviderNamespace, harness.CredentialsSecretName).DeepCopy()
	creds.ObjectMeta = metav1.ObjectMeta{Namespace: ns, Name: harness.CredentialsSecretName}
	if err := env.Kube.Create(ctx, creds); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	legacy := env.EmulatorProviderConfig(ns)
	pc := &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: ns}, Spec: legacy.Spec}
	if err := env.Kube.Create(ctx, pc); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// clusterProviderConfig makes the ClusterProviderConfig every namespace may
// use.
func clusterProviderConfig(t *testing.T, name string) {
	t.Helper()
	legacy := env.EmulatorProviderConfig(name)
	cpc := &awsmv1beta1.ClusterProviderConfig{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: legacy.Spec}
	if err := env.Kube.Create(context.Background(), cpc); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

func newNamespacedInstance(ns, name, configKind, configName string) *nsv1beta1.Instance {
	in := &nsv1beta1.Instance{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	in.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: configKind, Name: configName}
	in.Spec.ForProvider.Region = aws.String(harness.Region)
	in.Spec.ForProvider.InstanceClass = aws.String("db.t3.micro")
	in.Spec.ForProvider.Engine = aws.String("postgres")
	in.Spec.ForProvider.EngineVersion = aws.String("16.2")
	in.Spec.ForProvider.AllocatedStorage = aws.Float64(20)
	in.Spec.ForProvider.SkipFinalSnapshot = aws.Bool(true)
	return in
}

// A namespaced Instance, with its namespace's ProviderConfig or with a
// ClusterProviderConfig, goes through its whole life: its database is
// created, with the password the provider generates kept in the
// Instance's own namespace and its connection Secret there too; drift is
// corrected; deleting it deletes the database.
func TestNamespacedInstanceLifecycle(t *testing.T) {
	teamNamespace(t, "team-a")
	clusterProviderConfig(t, "shared")
	for _, tc := range []struct{ name, kind, config string }{
		{"team-a-db", awsmv1beta1.ProviderConfigKind, "team-a"},
		{"team-a-shared-db", awsmv1beta1.ClusterProviderConfigKind, "shared"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			in := newNamespacedInstance("team-a", tc.name, tc.kind, tc.config)
			in.Spec.ForProvider.AutoGeneratePassword = aws.Bool(true)
			in.Spec.ForProvider.PasswordSecretRef = &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: tc.name + "-password"}, Key: "password"}
			in.Spec.WriteConnectionSecretToReference = &xpv2.LocalSecretReference{Name: tc.name + "-conn"}
			in.Spec.ForProvider.Tags = map[string]*string{"team": aws.String("a")}
			createManaged(t, in)
			waitGroupReady(t, in)

			db := describe(t, tc.name)
			if db == nil {
				t.Fatal("no DB instance in AWS")
			}
			tags := map[string]string{}
			for _, tag := range db.TagList {
				tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
			if tags["crossplane-kind"] != "instance.rds.aws.m.upbound.io" || tags["crossplane-name"] != tc.name || tags["team"] != "a" {
				t.Errorf("tags of a namespaced Instance's database: %v", tags)
			}
			if err := env.Kube.Get(context.Background(), client.ObjectKeyFromObject(in), in); err != nil {
				t.Fatal(err)
			}
			if meta.GetExternalName(in) != tc.name || aws.ToString(in.Spec.ForProvider.Identifier) != tc.name {
				t.Errorf("external name %q and identifier %q: want %s", meta.GetExternalName(in), aws.ToString(in.Spec.ForProvider.Identifier), tc.name)
			}
			// The config counts its user and reports on its credentials.
			harness.Eventually(t, waitTimeout, tc.kind+" "+tc.config+" counts its users", func() (bool, string) {
				var status *awsv1beta1.ProviderConfigStatus
				if tc.kind == awsmv1beta1.ProviderConfigKind {
					pc := &awsmv1beta1.ProviderConfig{}
					if err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: "team-a", Name: tc.config}, pc); err != nil {
						return false, err.Error()
					}
					status = &pc.Status
				} else {
					cpc := &awsmv1beta1.ClusterProviderConfig{}
					if err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Name: tc.config}, cpc); err != nil {
						return false, err.Error()
					}
					status = &cpc.Status
				}
				valid := status.GetCondition(providerconfig.TypeCredentialsValid)
				return status.Users >= 1 && valid.Reason == providerconfig.ReasonSkipped, fmt.Sprintf("users=%d CredentialsValid=%s %s", status.Users, valid.Status, valid.Reason)
			})

			pw := getSecret(t, "team-a", tc.name+"-password")
			conn := getSecret(t, "team-a", tc.name+"-conn")
			if len(pw.Data["password"]) == 0 || string(conn.Data["password"]) != string(pw.Data["password"]) {
				t.Error("the generated password and the connection Secret are not both in the Instance's namespace with the same password")
			}
			if !env.Bed(t).Authenticates(t, tc.name, string(pw.Data["password"])) {
				t.Error("the password in the team's Secret does not open the database")
			}
			err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: harness.ProviderNamespace, Name: instance.GeneratedSecretName(tc.name)}, &corev1.Secret{})
			if !kerrors.IsNotFound(err) {
				t.Errorf("a namespaced Instance's password was kept in the provider's namespace: %v", err)
			}

			// As the other drift tests do: a change that lands while the
			// first backup runs can take a second ModifyDBInstance (AWS
			// keeps showing backing-up), which the steady-state count below
			// would take for a loop.
			waitAvailable(t, tc.name)
			patchGroup(t, in, `{"spec":{"forProvider":{"backupRetentionPeriod":3,"applyImmediately":true}}}`)
			harness.Eventually(t, waitTimeout, "backup retention changed", func() (bool, string) {
				got := aws.ToInt32(describe(t, tc.name).BackupRetentionPeriod)
				return got == 3, fmt.Sprint(got)
			})
			var drift []string
			l := &corev1.EventList{}
			if err := env.Kube.List(context.Background(), l, client.InNamespace("team-a")); err != nil {
				t.Fatal(err)
			}
			for _, e := range l.Items {
				if e.InvolvedObject.APIVersion == nsv1beta1.SchemeGroupVersion.String() && e.InvolvedObject.Name == tc.name && e.Reason == "CorrectingDrift" {
					drift = append(drift, e.Message)
				}
			}
			if len(drift) == 0 {
				t.Error("no CorrectingDrift event on the namespaced Instance")
			}

			steady := countOver(3, nil)
			if n := mutating(steady); n != 0 {
				t.Errorf("steady state: want no mutating call, got %s", harness.Format(steady))
			}

			deleteManagedAndWaitGone(t, in)
			if describe(t, tc.name) != nil {
				t.Error("the database is still in AWS")
			}
		})
	}
}

// A namespaced Instance reaches nothing of another namespace: not a
// Secret (its password Secret is looked up in its own namespace), not a
// ProviderConfig, not a referenced object; each refusal is a clear
// condition and nothing is created.
func TestNamespacedInstanceStaysInItsNamespace(t *testing.T) {
	ctx := context.Background()
	teamNamespace(t, "team-a")
	teamNamespace(t, "team-b")
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "team-b", Name: "b-password"}, StringData: map[string]string{"password": "team-b-only-pass"}}
	if err := env.Kube.Create(ctx, secret); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	group := &nsv1beta1.SubnetGroup{ObjectMeta: metav1.ObjectMeta{Namespace: "team-b", Name: "b-subnets"}}
	group.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: awsmv1beta1.ProviderConfigKind, Name: "team-b"}
	group.Spec.ForProvider.Region = aws.String(harness.Region)
	meta.SetExternalName(group, "b-subnets")
	if err := env.Kube.Create(ctx, group); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteManagedAndWaitGone(t, group) })

	// team-c has a ProviderConfig copied from a legacy one, naming the
	// provider's credentials Secret, and no Secret of its own.
	ensureNamespace(t, "team-c")
	legacy := env.EmulatorProviderConfig("team-c")
	if err := env.Kube.Create(ctx, &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "team-c", Name: "team-c"}, Spec: legacy.Spec}); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	borrowsCredentials := newNamespacedInstance("team-c", "c-borrows-credentials", awsmv1beta1.ProviderConfigKind, "team-c")

	readsOtherSecret := newNamespacedInstance("team-a", "a-reads-b-secret", awsmv1beta1.ProviderConfigKind, "team-a")
	readsOtherSecret.Spec.ForProvider.PasswordSecretRef = &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: "b-password"}, Key: "password"}
	usesOtherConfig := newNamespacedInstance("team-a", "a-uses-b-config", awsmv1beta1.ProviderConfigKind, "team-b")
	refersToOther := newNamespacedInstance("team-a", "a-refers-to-b", awsmv1beta1.ProviderConfigKind, "team-a")
	refersToOther.Spec.ForProvider.DBSubnetGroupNameRef = &xpv2.NamespacedReference{Name: "b-subnets", Namespace: "team-b"}

	calls := countOver(1, func() {
		for _, in := range []*nsv1beta1.Instance{readsOtherSecret, usesOtherConfig, refersToOther, borrowsCredentials} {
			createManaged(t, in)
		}
		waitGroup(t, borrowsCredentials, xpv2.TypeSynced, corev1.ConditionFalse, fmt.Sprintf(`%s/%s`, "team-c", harness.CredentialsSecretName))
		waitGroup(t, readsOtherSecret, xpv2.TypeSynced, corev1.ConditionFalse, `"b-password" not found`)
		waitGroup(t, usesOtherConfig, xpv2.TypeSynced, corev1.ConditionFalse, `cannot get ProviderConfig "team-b" in namespace "team-a"`)
		waitGroup(t, refersToOther, xpv2.TypeSynced, corev1.ConditionFalse, `references resolve only in the resource's own namespace "team-a": spec.forProvider.dbSubnetGroupNameRef names namespace "team-b"`)
	})
	if calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("an Instance reaching into another namespace was created: %s", harness.Format(calls))
	}
	for _, in := range []*nsv1beta1.Instance{readsOtherSecret, usesOtherConfig, refersToOther} {
		if err := env.Kube.Get(ctx, client.ObjectKeyFromObject(in), in); err != nil {
			t.Fatal(err)
		}
		if msg := in.GetCondition(xpv2.TypeSynced).Message; strings.Contains(msg, "team-b-only-pass") {
			t.Errorf("a condition shows another team's password: %s", msg)
		}
	}
}

// A namespaced Instance resolves its references to objects of its own
// namespace: a namespaced SubnetGroup of this provider, and the namespaced
// kinds of other providers (ec2.aws.m.upbound.io SecurityGroup,
// kms.aws.m.upbound.io Key).
func TestNamespacedReferencesResolve(t *testing.T) {
	teamNamespace(t, "team-d")
	env.InstallForeignCRDs(t, harness.NamespacedSecurityGroupKind, harness.NamespacedKeyKind)
	net := env.NewNetwork(t, harness.Region, "10.81")
	keyARN := "arn:aws:kms:" + harness.Region + ":123456789012:key/team-d-key"
	env.CreateForeignObjectIn(t, harness.NamespacedSecurityGroupKind, "team-d", "db-access", net.SecurityGroupID, map[string]string{"role": "database"}, map[string]any{"id": net.SecurityGroupID})
	env.CreateForeignObjectIn(t, harness.NamespacedKeyKind, "team-d", "data-key", "team-d-key", nil, map[string]any{"arn": keyARN, "keyId": "team-d-key"})

	sg := &nsv1beta1.SubnetGroup{ObjectMeta: metav1.ObjectMeta{Namespace: "team-d", Name: "d-subnets"}}
	sg.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: awsmv1beta1.ProviderConfigKind, Name: "team-d"}
	sg.Spec.ForProvider.Region = aws.String(harness.Region)
	sg.Spec.ForProvider.SubnetIDs = aws.StringSlice(net.SubnetIDs)
	createManaged(t, sg)
	waitGroupReady(t, sg)

	in := newNamespacedInstance("team-d", "team-d-db", awsmv1beta1.ProviderConfigKind, "team-d")
	in.Spec.ForProvider.DBSubnetGroupNameRef = &xpv2.NamespacedReference{Name: "d-subnets"}
	in.Spec.ForProvider.VPCSecurityGroupIDSelector = &xpv2.NamespacedSelector{MatchLabels: map[string]string{"role": "database"}}
	in.Spec.ForProvider.StorageEncrypted = aws.Bool(true)
	in.Spec.InitProvider.KMSKeyIDRef = &xpv2.NamespacedReference{Name: "data-key", Namespace: "team-d"}
	createManaged(t, in)
	waitGroupReady(t, in)

	if err := env.Kube.Get(context.Background(), client.ObjectKeyFromObject(in), in); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(in.Spec.InitProvider.KMSKeyID); got != keyARN {
		t.Errorf("initProvider.kmsKeyId: want the namespaced Key's ARN %s, got %q", keyARN, got)
	}
	db := describe(t, "team-d-db")
	if db.DBSubnetGroup == nil || aws.ToString(db.DBSubnetGroup.DBSubnetGroupName) != "d-subnets" {
		t.Errorf("DB subnet group in AWS: want d-subnets, got %+v", db.DBSubnetGroup)
	}
	if len(db.VpcSecurityGroups) != 1 || aws.ToString(db.VpcSecurityGroups[0].VpcSecurityGroupId) != net.SecurityGroupID {
		t.Errorf("security groups in AWS: want %s, got %+v", net.SecurityGroupID, db.VpcSecurityGroups)
	}
}
