package composition

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

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

// The example claim, through the example definition and Composition on a
// real Crossplane, becomes a database with the platform defaults; the claim
// is Ready only once the database is; the application namespace receives
// working connection details; a storage change reaches the database; and
// deleting the claim deletes the Instance, the database (after a final
// snapshot) and the connection Secret.
func TestClaimLifecycle(t *testing.T) {
	ctx := context.Background()
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
	eventually(t, "the Instance, the database and the connection Secret are gone", func() (bool, string) {
		if _, err := composedInstance(ctx); err == nil {
			return false, "the Instance still exists"
		}
		if describe(t, id) != nil {
			return false, "the database still exists"
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
	xr := `{"apiVersion":"database.example.org/v1alpha1","kind":"XPostgreSQLInstance","metadata":{"name":"orders-db-x7k2p"},` +
		`"spec":{"parameters":{"size":"small","storageGB":20,"engineVersion":"16","deletionPolicy":"Delete"}}}`
	for name, body := range map[string]string{"functions.yaml": string(fnJSON), "xr.yaml": xr} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// --crossplane-binary runs the render engine from our Crossplane build
	// instead of a Docker image.
	cmd := exec.Command(filepath.Join(assets, "crossplane-cli"), "render", "--crossplane-binary="+filepath.Join(assets, "crossplane"), filepath.Join(dir, "xr.yaml"),
		filepath.Join(env.Root, "examples/composition/composition.yaml"), filepath.Join(dir, "functions.yaml"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("crossplane render: %v\n%s\nfunction log:\n%s", err, stderr.String(), fn.Log())
	}
	var rendered *v1beta3.Instance
	objs, err := harness.DecodeObjects(&stdout)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		if u.GetKind() == "Instance" {
			rendered = &v1beta3.Instance{}
			b, _ := u.MarshalJSON()
			if err := json.Unmarshal(b, rendered); err != nil {
				t.Fatal(err)
			}
		}
	}
	if rendered == nil {
		t.Fatalf("crossplane render produced no Instance:\n%s", stdout.String())
	}
	fp := rendered.Spec.ForProvider
	got := fmt.Sprintf("%s %s %s %v %v %v %s %s", aws.ToString(fp.InstanceClass), aws.ToString(fp.Engine), aws.ToString(fp.EngineVersion),
		aws.ToFloat64(fp.AllocatedStorage), aws.ToBool(fp.StorageEncrypted), aws.ToFloat64(fp.BackupRetentionPeriod),
		aws.ToString(fp.FinalSnapshotIdentifier), rendered.Spec.DeletionPolicy)
	if want := "db.t3.micro postgres 16 20 true 7 orders-db-x7k2p-final Delete"; got != want {
		t.Errorf("rendered Instance: want %q, got %q", want, got)
	}
}
