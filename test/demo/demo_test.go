// Package demo tests the README's main command.
package demo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `DEMO_ONCE=1 make demo` builds the provider, runs it against a local
// control plane and emulator, brings the example Instance to Ready, prints
// the summary without the password, and exits 0.
func TestMakeDemoOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo starts its own control plane; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "--no-print-directory", "demo")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "DEMO_ONCE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make demo: %v\n%s", err, out)
	}
	for _, want := range []string{
		"production-db  Ready=True (Available)  Synced=True",
		"production-db is ready.",
		"identifier:  production-db",
		"endpoint:    production-db.",
		`password:    in Secret crossplane-system/production-db-master-password, key "password" (not shown)`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("make demo output lacks %q:\n%s", want, out)
		}
	}
}
