package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A field declared once in v1beta3's InstanceParameters reaches
// initProvider and every older version; a rule of a version shapes it
// there.
func TestAFieldDeclaredOnceReachesEveryVersion(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{header, hub + "/instance_parameters.go", hub + "/instance_types.go", "apis/rds/v1beta1/" + rulesFile, "apis/rds/v1beta2/" + rulesFile} {
		raw, err := os.ReadFile(filepath.Join("../..", f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, "instance_parameters.go") {
			raw = []byte(strings.Replace(string(raw), "\n\t// AllocatedStorage ", "\n\t// AardvarkSetting is a new setting.\n\t// +optional\n\tAardvarkSetting *string `json:\"aardvarkSetting,omitempty\"`\n\n\t// AllocatedStorage ", 1))
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, f)), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), raw, 0o600); err != nil { //nolint:gosec // G703: a copy of the repository's own files into the test's directory.
			t.Fatal(err)
		}
	}
	if err := run(root); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{hub + "/" + hubInit, "apis/rds/v1beta1/" + generated, "apis/rds/v1beta2/" + generated} {
		raw, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		want := 2 // forProvider and initProvider
		if f == hub+"/"+hubInit {
			want = 1
		}
		if n := strings.Count(string(raw), "AardvarkSetting *string `json:\"aardvarkSetting,omitempty\"`"); n != want {
			t.Errorf("%s: want the new field %d times, got %d", f, want, n)
		}
	}
	v1 := read(t, filepath.Join(root, "apis/rds/v1beta1", generated))
	for _, want := range []string{
		"RestoreToPointInTime []RestoreToPointInTime", // a list here, an object in the hub
		"Name *string `json:\"name,omitempty\"`",      // this version's own field
		"+kubebuilder:deprecatedversion:warning=",
	} {
		if !strings.Contains(v1, want) {
			t.Errorf("v1beta1: want %q", want)
		}
	}
	if strings.Contains(v1, "+crossplane:generate:reference") || strings.Contains(v1, "+kubebuilder:storageversion") {
		t.Error("v1beta1: only the hub resolves references and is stored")
	}
	init := read(t, filepath.Join(root, hub, hubInit))
	if strings.Contains(init, "Region ") || strings.Contains(init, "AutoGeneratePassword ") {
		t.Error("initProvider: want no region and no autoGeneratePassword")
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
