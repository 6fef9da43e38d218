package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	ktypes "k8s.io/apimachinery/pkg/types"

	"github.com/provider-rds/provider-rds/test/harness"
)

// A manifest in each served version applies unchanged, through the API
// server and the provider's conversion webhook, and becomes a working
// database; each object reads back in every version.
func TestEveryServedVersionApplies(t *testing.T) {
	ctx := context.Background()
	for _, version := range []string{"v1beta1", "v1beta2", "v1beta3"} {
		t.Run(version, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "instance-"+version+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			objs, err := harness.DecodeObjects(strings.NewReader(string(raw)))
			if err != nil || len(objs) != 1 {
				t.Fatalf("testdata: %v", err)
			}
			if err := env.Kube.Create(ctx, objs[0]); err != nil {
				t.Fatalf("the API server rejected a %s manifest: %v", version, err)
			}
			name := objs[0].GetName()
			t.Cleanup(func() { deleteAndWaitGone(t, name) })
			waitReadySynced(t, name)
			if db := describe(t, name); aws.ToString(db.DBName) != "app" {
				t.Errorf("database name: want app (from %s's field), got %q", version, aws.ToString(db.DBName))
			}
			for _, read := range []string{"v1beta1", "v1beta2", "v1beta3"} {
				u := &unstructured.Unstructured{}
				u.SetAPIVersion("rds.aws.upbound.io/" + read)
				u.SetKind("Instance")
				if err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: name}, u); err != nil {
					t.Fatalf("cannot read it as %s: %v", read, err)
				}
				if got, _, _ := unstructured.NestedString(u.Object, "spec", "forProvider", "dbName"); got != "app" {
					t.Errorf("read as %s: dbName %q", read, got)
				}
				bg, _, _ := unstructured.NestedFieldNoCopy(u.Object, "spec", "forProvider", "blueGreenUpdate")
				_, isList := bg.([]any)
				if wantList := read != "v1beta3"; isList != wantList {
					t.Errorf("read as %s: blueGreenUpdate %#v; want a list %t", read, bg, wantList)
				}
			}
		})
	}
}
