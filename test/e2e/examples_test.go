package e2e

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/provider-rds/provider-rds/test/harness"
)

// Every example applies to the control plane (server-side apply, dry run), so that
// none of them rots as the API changes.
func TestExamplesApply(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join(env.Root, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() && !strings.HasSuffix(path, ".yaml") {
			return err
		}
		if d.IsDir() {
			// The composition examples need Crossplane itself; its own
			// tests apply them to a control plane that runs it.
			if d.Name() == "composition" || d.Name() == "composition-v2" {
				return filepath.SkipDir
			}
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		objs, err := harness.DecodeObjects(bytes.NewReader(raw))
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		for _, u := range objs {
			if u.GetNamespace() != "" {
				ensureNamespace(t, u.GetNamespace())
			}
			if err := env.Kube.Patch(context.Background(), u, client.Apply, client.DryRunAll, client.FieldOwner("examples-test"), client.ForceOwnership); err != nil { //nolint:staticcheck // Server-side apply of unstructured objects.
				t.Errorf("%s: %s %s does not apply: %v", path, u.GetKind(), u.GetName(), err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 6 {
		t.Errorf("want at least 6 example objects, found %d", n)
	}
}
