package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
	"sigs.k8s.io/yaml"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/kubectlrds"
	"github.com/provider-rds/provider-rds/test/harness"
)

// importNamespace is where the namespaced import round trip runs; the
// provider lets it adopt DB instances no Crossplane object owns.
const importNamespace = "imported"

// kubectlRDS runs the plugin as a user would, against the test cluster's
// kubeconfig, and returns its output and exit code.
func kubectlRDS(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	path, err := env.WriteKubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code = kubectlrds.Main(context.Background(), append([]string{"--kubeconfig", path, "--provider-namespace", harness.ProviderNamespace}, args...), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// planJSON plans manifests and returns the JSON plan and the exit code.
func planJSON(t *testing.T, manifests string, args ...string) (kubectlrds.Plan, int) {
	t.Helper()
	out, errOut, code := kubectlRDS(t, manifests, append([]string{"plan", "-f", "-", "-o", "json"}, args...)...)
	var p kubectlrds.Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("plan -o json: %v\nstdout: %s\nstderr: %s", err, out, errOut)
	}
	return p, code
}

func manifestOf(t *testing.T, obj client.Object) string {
	t.Helper()
	b, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noMutatingCalls fails the test if the plugin sent AWS anything but
// Describe and List calls, by the bed's record of its requests.
func noMutatingCalls(t *testing.T, bed *harness.Bed) {
	t.Helper()
	calls := bed.CallsOf(t, kubectlrds.AppID)
	if len(calls) == 0 {
		t.Fatal("the bed recorded no call of the plugin, so this shows nothing")
	}
	for op, n := range calls {
		if !strings.HasPrefix(op, "describe_") && !strings.HasPrefix(op, "list_") {
			t.Errorf("the plugin sent %s %d times; it may only read", op, n)
		}
	}
}

// Each outcome of a plan, with its exit code, from the controller's own
// observation and checks, with nothing sent to AWS but reads and nothing
// written to the cluster.
func TestPlanShowsWhatApplyingWouldDo(t *testing.T) {
	bed := env.Bed(t)
	existing := newInstance("plan-existing", providerConfigName)
	existing.Spec.ForProvider.ApplyImmediately = aws.Bool(false)
	existing.Spec.ForProvider.MaintenanceWindow = aws.String("sun:05:00-sun:05:30")
	createInstance(t, existing)
	waitReadySynced(t, "plan-existing")
	createOutOfBand(t, "plan-adoptable", "postgres", "db.t3.micro", "postgres")
	t.Cleanup(func() { deleteOutOfBand(t, "plan-adoptable") })

	manifest := func(mutate func(*v1beta3.Instance)) string {
		in := newInstance("plan-existing", providerConfigName)
		in.Spec.ForProvider.ApplyImmediately = aws.Bool(false)
		in.Spec.ForProvider.MaintenanceWindow = aws.String("sun:05:00-sun:05:30")
		in.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
		mutate(in)
		return manifestOf(t, in)
	}
	cases := map[string]struct {
		manifest string
		code     int
		outcome  string
		check    func(t *testing.T, it kubectlrds.Item)
	}{
		"NoChange": {manifest: manifest(func(*v1beta3.Instance) {}), code: 0, outcome: kubectlrds.OutcomeNoChange},
		"ClassChangeWaitsForTheWindowAndRestarts": {
			manifest: manifest(func(in *v1beta3.Instance) { in.Spec.ForProvider.InstanceClass = aws.String("db.t3.large") }),
			code:     2, outcome: kubectlrds.OutcomeUpdate,
			check: func(t *testing.T, it kubectlrds.Item) {
				if len(it.Changes) != 1 {
					t.Fatalf("changes: want instanceClass only, got %+v", it.Changes)
				}
				c := it.Changes[0]
				if c.Field != "instanceClass" || c.Current != "db.t3.micro" || c.Desired != "db.t3.large" {
					t.Errorf("change: want instanceClass db.t3.micro → db.t3.large, got %s %s → %s", c.Field, c.Current, c.Desired)
				}
				if c.When != "maintenance window" || c.At == nil || c.At.Weekday() != 0 || c.At.Hour() != 5 {
					t.Errorf("when: want the next Sunday 05:00 window, got %s %v", c.When, c.At)
				}
				if !strings.Contains(c.Interruption, "outage") {
					t.Errorf("interruption: want an outage warning, got %q", c.Interruption)
				}
			},
		},
		"CreateOnlyChangeIsRefused": {
			manifest: manifest(func(in *v1beta3.Instance) { in.Spec.ForProvider.Username = aws.String("someone_else") }),
			code:     1, outcome: kubectlrds.OutcomeRefused,
			check: func(t *testing.T, it kubectlrds.Item) {
				if !strings.Contains(strings.Join(it.Reasons, "; "), "username: the instance has") {
					t.Errorf("reasons: want the create-only refusal, got %q", it.Reasons)
				}
			},
		},
		"Create": {
			manifest: manifestOf(t, func() *v1beta3.Instance {
				in := newInstance("plan-new", providerConfigName)
				in.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
				return in
			}()),
			code: 2, outcome: kubectlrds.OutcomeCreate,
			check: func(t *testing.T, it kubectlrds.Item) {
				req, _ := json.Marshal(it.Request)
				if it.Method != "CreateDBInstance" || !strings.Contains(string(req), `"DBInstanceClass":"db.t3.micro"`) {
					t.Errorf("request: want a CreateDBInstance of db.t3.micro, got %s %s", it.Method, req)
				}
				if !strings.Contains(string(req), `"MasterUserPassword":"(not shown: generated into Secret`) {
					t.Errorf("request: want the password replaced by where it comes from, got %s", req)
				}
			},
		},
		"Adopt": {
			manifest: manifestOf(t, func() *v1beta3.Instance {
				in := newInstance("plan-adopter", providerConfigName)
				in.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
				meta.SetExternalName(in, "plan-adoptable")
				return in
			}()),
			code: 2, outcome: kubectlrds.OutcomeAdopt,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, code := planJSON(t, tc.manifest)
			if code != tc.code || len(p.Items) != 1 || p.Items[0].Outcome != tc.outcome {
				t.Fatalf("want %s with exit code %d, got exit code %d and %+v", tc.outcome, tc.code, code, p.Items)
			}
			if tc.check != nil {
				tc.check(t, p.Items[0])
			}
		})
	}

	// A validation error reads as the controller's own, on the resource.
	invalid := newInstance("plan-invalid", providerConfigName)
	invalid.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
	invalid.Spec.ForProvider.AllocatedStorage = aws.Float64(5)
	p, code := planJSON(t, manifestOf(t, invalid))
	if code != 1 || p.Items[0].Outcome != kubectlrds.OutcomeRefused {
		t.Fatalf("invalid spec: want refused with exit code 1, got %d and %+v", code, p.Items)
	}
	createInstance(t, invalid)
	controllerSays := waitSyncedError(t, "plan-invalid", "allocatedStorage 5 GiB")
	if reason := p.Items[0].Reasons[0]; !strings.Contains(controllerSays, reason) {
		t.Errorf("plan and controller differ:\nplan:       %s\ncontroller: %s", reason, controllerSays)
	}

	// Markdown for a pull request, with the interruption warning.
	md, _, code := kubectlRDS(t, cases["ClassChangeWaitsForTheWindowAndRestarts"].manifest, "plan", "--filename=-", "-o", "markdown")
	if code != 2 || !strings.Contains(md, "| `Instance plan-existing` | **update** |") || !strings.Contains(md, "outage") {
		t.Errorf("plan -o markdown: want the update row with its outage warning (exit 2), got %d:\n%s", code, md)
	}

	noMutatingCalls(t, bed)
	for _, obj := range []client.Object{&v1beta3.Instance{}, &corev1.Secret{}} {
		key := ktypes.NamespacedName{Name: "plan-new"}
		if _, ok := obj.(*corev1.Secret); ok {
			key = ktypes.NamespacedName{Namespace: harness.ProviderNamespace, Name: "plan-new-master-password"}
		}
		if err := env.Kube.Get(context.Background(), key, obj); !kerrors.IsNotFound(err) {
			t.Errorf("%T %s: the plan must write nothing to the cluster, got %v", obj, key, err)
		}
	}
	if describe(t, "plan-new") != nil {
		t.Error("the plan created plan-new in AWS")
	}
}

func deleteOutOfBand(t *testing.T, id string) {
	t.Helper()
	_, err := env.RDS().DeleteDBInstance(context.Background(), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id), SkipFinalSnapshot: aws.Bool(true)})
	if err != nil && !strings.Contains(err.Error(), "NotFound") {
		t.Errorf("cannot delete %s: %v", id, err)
	}
}

// fiveDatabases makes five DB instances of different engines, storage and
// options out of band, two of them in their own subnet and parameter
// groups, and returns their identifiers and master passwords.
func fiveDatabases(t *testing.T, prefix string) map[string]string {
	t.Helper()
	ctx := context.Background()
	net := env.NewNetwork(t, harness.Region, map[string]string{"cl": "10.31", "ns": "10.32"}[prefix])
	if _, err := env.RDS().CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: aws.String(prefix + "-subnets"), DBSubnetGroupDescription: aws.String("orders"), SubnetIds: net.SubnetIDs,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.RDS().CreateDBParameterGroup(ctx, &rds.CreateDBParameterGroupInput{
		DBParameterGroupName: aws.String(prefix + "-pg16"), DBParameterGroupFamily: aws.String("postgres16"), Description: aws.String("orders tuning"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.RDS().ModifyDBParameterGroup(ctx, &rds.ModifyDBParameterGroupInput{
		DBParameterGroupName: aws.String(prefix + "-pg16"),
		Parameters:           []types.Parameter{{ParameterName: aws.String("work_mem"), ParameterValue: aws.String("8192"), ApplyMethod: types.ApplyMethodImmediate}},
	}); err != nil {
		t.Fatal(err)
	}
	dbs := []*rds.CreateDBInstanceInput{
		{DBInstanceIdentifier: aws.String(prefix + "-orders"), Engine: aws.String("postgres"), EngineVersion: aws.String("16.2"), DBInstanceClass: aws.String("db.m6g.large"),
			AllocatedStorage: aws.Int32(100), StorageType: aws.String("gp3"), MultiAZ: aws.Bool(true), StorageEncrypted: aws.Bool(true),
			DBSubnetGroupName: aws.String(prefix + "-subnets"), DBParameterGroupName: aws.String(prefix + "-pg16"), BackupRetentionPeriod: aws.Int32(7),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("payments")}}},
		{DBInstanceIdentifier: aws.String(prefix + "-ledger"), Engine: aws.String("mysql"), EngineVersion: aws.String("8.0.35"), DBInstanceClass: aws.String("db.r6g.large"),
			AllocatedStorage: aws.Int32(400), StorageType: aws.String("io1"), Iops: aws.Int32(3000), DeletionProtection: aws.Bool(true)},
		{DBInstanceIdentifier: aws.String(prefix + "-catalog"), Engine: aws.String("mariadb"), EngineVersion: aws.String("10.11.6"), DBInstanceClass: aws.String("db.t3.small"),
			AllocatedStorage: aws.Int32(20), StorageType: aws.String("gp2"), Port: aws.Int32(3307)},
		{DBInstanceIdentifier: aws.String(prefix + "-events"), Engine: aws.String("postgres"), EngineVersion: aws.String("16.2"), DBInstanceClass: aws.String("db.t3.medium"),
			AllocatedStorage: aws.Int32(50), MaxAllocatedStorage: aws.Int32(200), DBSubnetGroupName: aws.String(prefix + "-subnets"), AutoMinorVersionUpgrade: aws.Bool(false)},
		{DBInstanceIdentifier: aws.String(prefix + "-reports"), Engine: aws.String("mysql"), EngineVersion: aws.String("8.0.35"), DBInstanceClass: aws.String("db.t3.micro"),
			AllocatedStorage: aws.Int32(20), CopyTagsToSnapshot: aws.Bool(true), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("analytics")}}},
	}
	passwords := map[string]string{}
	for _, in := range dbs {
		id := aws.ToString(in.DBInstanceIdentifier)
		passwords[id] = "pw-" + id + "-Secret1"
		in.MasterUsername, in.MasterUserPassword = aws.String("owner"), aws.String(passwords[id])
		if _, err := env.RDS().CreateDBInstance(ctx, in); err != nil {
			t.Fatalf("cannot create %s: %v", id, err)
		}
		t.Cleanup(func() {
			if _, err := env.RDS().ModifyDBInstance(context.Background(), &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String(id), DeletionProtection: aws.Bool(false), ApplyImmediately: aws.Bool(true)}); err != nil {
				t.Logf("cannot turn off deletion protection of %s: %v", id, err)
			}
			deleteOutOfBand(t, id)
		})
	}
	for id := range passwords {
		waitAvailable(t, id)
	}
	return passwords
}

// The round trip: import five existing databases with their groups, apply
// the manifests, and every Instance is Ready and Synced with no
// CreateDBInstance and no ModifyDBInstance; a plan of the same files says
// no change. In both scopes.
func TestImportRoundTrip(t *testing.T) {
	for _, scope := range []struct{ prefix, namespace string }{{"cl", ""}, {"ns", importNamespace}} {
		t.Run(map[string]string{"cl": "ClusterScoped", "ns": "Namespaced"}[scope.prefix], func(t *testing.T) {
			bed := env.Bed(t)
			passwords := fiveDatabases(t, scope.prefix)
			args := []string{"import", "--region", harness.Region, "--with-groups", "--provider-config", providerConfigName}
			secretsNS := harness.ProviderNamespace
			if scope.namespace != "" {
				// The team's namespace and its ProviderConfig, named after it.
				teamNamespace(t, scope.namespace)
				args = []string{"import", "--region", harness.Region, "--with-groups", "--provider-config", scope.namespace,
					"--namespace", scope.namespace, "--provider-config-kind", "ProviderConfig"}
				secretsNS = scope.namespace
			}
			for id := range passwords {
				args = append(args, "--identifier", id)
			}
			out, errOut, code := kubectlRDS(t, "", args...)
			if code != 0 {
				t.Fatalf("import: exit code %d: %s", code, errOut)
			}
			if !strings.Contains(out, "The master password was not read") {
				t.Errorf("import: want the comment on the password, got:\n%s", out)
			}
			for _, p := range passwords {
				if strings.Contains(out, p) {
					t.Fatal("import wrote a master password")
				}
			}
			// The user creates the Secrets the comments name, then applies.
			for id, pw := range passwords {
				createSecretIn(t, secretsNS, id+"-master-password", map[string][]byte{"password": []byte(pw)})
			}
			calls := env.Calls.Snapshot()
			objs, err := harness.DecodeObjects(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			instances := 0
			for _, o := range objs {
				if err := env.Kube.Create(context.Background(), o); err != nil {
					t.Fatalf("cannot apply %s %s: %v", o.GetObjectKind().GroupVersionKind().Kind, o.GetName(), err)
				}
				t.Cleanup(func() { deleteImported(t, o) })
				if o.GetObjectKind().GroupVersionKind().Kind == "Instance" {
					instances++
				}
			}
			if instances != 5 || len(objs) != 7 {
				t.Fatalf("import: want 5 Instances, 1 SubnetGroup and 1 ParameterGroup, got %d objects (%d Instances)", len(objs), instances)
			}
			for id := range passwords {
				waitImportedReady(t, scope.namespace, id)
			}
			got := env.Calls.Since(calls)
			if got["rds:CreateDBInstance"] != 0 || got["rds:ModifyDBInstance"] != 0 {
				t.Errorf("applying imported manifests: want no CreateDBInstance and no ModifyDBInstance, got %s", harness.Format(got))
			}
			for id, pw := range passwords {
				if !bed.Authenticates(t, id, pw) {
					t.Errorf("%s: its password changed", id)
				}
			}
			p, code := planJSON(t, out)
			if code != 0 {
				t.Errorf("plan of the imported manifests: want exit code 0, got %d: %+v", code, p.Items)
			}
			for _, it := range p.Items {
				if it.Outcome != kubectlrds.OutcomeNoChange {
					t.Errorf("plan of %s %s: want no change, got %s %+v %v", it.Kind, it.Name, it.Outcome, it.Changes, it.Reasons)
				}
			}
			noMutatingCalls(t, bed)
		})
	}
}

func createSecretIn(t *testing.T, namespace, name string, data map[string][]byte) {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}, Data: data}
	if err := env.Kube.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Kube.Delete(context.Background(), s) })
}

// deleteImported deletes an imported object; its policies keep the
// database, which the test's own cleanup deletes.
func deleteImported(t *testing.T, o client.Object) {
	t.Helper()
	if err := env.Kube.Delete(context.Background(), o); err != nil && !kerrors.IsNotFound(err) {
		t.Errorf("cannot delete %s: %v", o.GetName(), err)
	}
}

// waitImportedReady waits until an imported Instance of either scope is
// Ready and Synced.
func waitImportedReady(t *testing.T, namespace, name string) {
	t.Helper()
	var in managed = &v1beta3.Instance{}
	if namespace != "" {
		in = &nsv1beta1.Instance{}
	}
	in.SetNamespace(namespace)
	in.SetName(name)
	waitGroupReady(t, in)
}

// The seed manifest, applied, and then edited to another instance class:
// the plan warns of the outage before the merge.
func TestPlanOfTheSeedManifestWarnsOfAClassChange(t *testing.T) {
	applyFile(t, "examples/instance/production-db.yaml")
	t.Cleanup(func() { deleteAndWaitGone(t, "production-db") })
	waitReadySynced(t, "production-db")
	raw, err := os.ReadFile(filepath.Join(env.Root, "examples/instance/production-db.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(raw), "instanceClass: db.r6g.large", "instanceClass: db.r6g.xlarge", 1)
	out, errOut, code := kubectlRDS(t, edited, "plan", "--filename=-")
	if code != 2 || !strings.Contains(out, "instanceClass: db.r6g.large → db.r6g.xlarge") || !strings.Contains(out, "! outage: the DB instance restarts") {
		t.Errorf("plan of the edited seed manifest: want the class change with its outage warning (exit 2), got %d:\n%s%s", code, out, errOut)
	}
}

// Without a cluster, the plan reads AWS with the environment's credentials
// and endpoint, as the AWS CLI would, and says what is missing when the
// environment lacks credentials or the manifest a region.
func TestPlanWithoutACluster(t *testing.T) {
	createOutOfBand(t, "plan-ambient", "postgres", "db.t3.micro", "postgres")
	t.Cleanup(func() { deleteOutOfBand(t, "plan-ambient") })
	waitAvailable(t, "plan-ambient")
	bed := env.Bed(t)
	dir := t.TempDir()
	t.Setenv("KUBECONFIG", filepath.Join(dir, "no-kubeconfig"))
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", env.Backend.Endpoint)
	t.Setenv("AWS_REGION", "")

	in := newInstance("plan-ambient", providerConfigName)
	in.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
	meta.SetExternalName(in, "plan-ambient")
	manifest := manifestOf(t, in)
	run := func(stdin string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := kubectlrds.Main(context.Background(), []string{"plan", "--filename=-"}, strings.NewReader(stdin), &out, &errOut)
		return out.String(), errOut.String(), code
	}

	t.Run("NoCredentials", func(t *testing.T) {
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		out, errOut, code := run(manifest)
		if code != 1 || !strings.Contains(out, "no AWS credentials") {
			t.Errorf("want exit code 1 saying there are no AWS credentials, got %d:\n%s%s", code, out, errOut)
		}
	})
	t.Setenv("AWS_ACCESS_KEY_ID", env.Backend.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", env.Backend.SecretAccessKey)
	t.Run("NoRegion", func(t *testing.T) {
		out, errOut, code := run(strings.Replace(manifest, "region: "+harness.Region, "", 1))
		if code != 1 || !strings.Contains(out, "no AWS region") {
			t.Errorf("want exit code 1 saying there is no region, got %d:\n%s%s", code, out, errOut)
		}
	})
	t.Run("EnvironmentCredentials", func(t *testing.T) {
		out, errOut, code := run(manifest)
		if code != 2 || !strings.Contains(out, "Instance plan-ambient (rds.aws.upbound.io/v1beta3, stdin#1): adopt") {
			t.Errorf("want the database found and adopt (exit 2), got %d:\n%s%s", code, out, errOut)
		}
	})
	noMutatingCalls(t, bed)
}
