// Package pkg tests the Crossplane package files that `make xpkg` builds.
package pkg

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"sigs.k8s.io/yaml"

	pkgmetav1 "github.com/crossplane/crossplane/apis/v2/pkg/meta/v1"

	"github.com/provider-rds/provider-rds/cluster/xpkg/pkgbuild"
	"github.com/provider-rds/provider-rds/test/harness"
)

const familyLabel = "pkg.crossplane.io/provider-family"

// `make xpkg` produces, without Docker, one package per variant. Each runs
// the static binary as non-root, holds metadata that Crossplane v2's
// meta.pkg.crossplane.io/v1 types parse strictly (no field they lack), and
// ships the CRDs of its variant: the standalone package all of them, the
// family member all but the ProviderConfig kinds that provider-family-aws
// owns, which it depends on and whose family label it carries.
func TestMakeXpkg(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "--no-print-directory", "-s", "xpkg")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make xpkg: %v\n%s", err, out)
	}
	paths := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasSuffix(l, ".xpkg") {
			paths[strings.TrimSuffix(filepath.Base(l), ".xpkg")] = l
		}
	}

	allCRDs := crdFiles(t, root)
	var familyCRDs []string
	for _, c := range allCRDs {
		if !strings.HasPrefix(c, "aws.upbound.io/") && !strings.HasPrefix(c, "aws.m.upbound.io/") {
			familyCRDs = append(familyCRDs, c)
		}
	}
	if len(familyCRDs) == 0 || len(familyCRDs) == len(allCRDs) {
		t.Fatalf("package/crds should hold both managed kinds and ProviderConfig kinds: %v", allCRDs)
	}

	cases := map[string]struct {
		labels       map[string]string
		dependsOn    []pkgmetav1.Dependency
		crds         []string
		capabilities []string
	}{
		"provider-rds": {
			crds:         allCRDs,
			capabilities: []string{"SafeStart"},
		},
		"provider-rds-family": {
			labels:       map[string]string{familyLabel: "provider-family-aws"},
			dependsOn:    []pkgmetav1.Dependency{{Provider: ptr("xpkg.upbound.io/upbound/provider-family-aws"), Version: ">=v2.0.0"}},
			crds:         familyCRDs,
			capabilities: []string{"SafeStart"},
		},
	}
	if len(paths) != len(cases) {
		t.Fatalf("make xpkg wrote %v, want one file for each of %d variants", paths, len(cases))
	}
	for variant, want := range cases {
		t.Run(variant, func(t *testing.T) {
			// The metadata as written, which readers read: the package
			// builder re-encodes it with the same types, dropping what
			// they lack, so the package file alone would not show it.
			strictMetadata(t, root, variant)
			path, ok := paths[variant]
			if !ok {
				t.Fatalf("make xpkg wrote no %s.xpkg: %v", variant, paths)
			}
			meta, crds := readPackage(t, path)
			if diff := cmp.Diff(want.labels, meta.GetLabels()); diff != "" {
				t.Errorf("labels: -want +got:\n%s", diff)
			}
			if diff := cmp.Diff(want.dependsOn, meta.Spec.DependsOn); diff != "" {
				t.Errorf("dependsOn: -want +got:\n%s", diff)
			}
			if diff := cmp.Diff(want.capabilities, meta.Spec.Capabilities); diff != "" {
				t.Errorf("capabilities: -want +got:\n%s", diff)
			}
			if !pkgmetav1.CapabilitiesContainFuzzyMatch(meta.Spec.Capabilities, pkgmetav1.ProviderCapabilitySafeStart) {
				t.Errorf("Crossplane does not read %v as the safe-start capability", meta.Spec.Capabilities)
			}
			if meta.Spec.Crossplane == nil || meta.Spec.Crossplane.Version == "" {
				t.Error("the Provider metadata states no Crossplane version constraint")
			}
			for _, a := range []string{"meta.crossplane.io/maintainer", "meta.crossplane.io/source", "meta.crossplane.io/license", "meta.crossplane.io/description", "meta.crossplane.io/readme"} {
				if meta.GetAnnotations()[a] == "" {
					t.Errorf("the Provider metadata lacks %s", a)
				}
			}
			if diff := cmp.Diff(want.crds, crds); diff != "" {
				t.Errorf("CRDs in the package (group/plural): -want +got:\n%s", diff)
			}
		})
	}
}

// strictMetadata parses a variant's crossplane.yaml strictly with
// Crossplane v2's meta.pkg.crossplane.io/v1 types.
func strictMetadata(t *testing.T, root, variant string) {
	t.Helper()
	for _, v := range pkgbuild.Variants {
		if v.Name != variant {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(root, "package", v.Metadata))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.UnmarshalStrict(raw, &pkgmetav1.Provider{}); err != nil {
			t.Errorf("package/%s has fields Crossplane v2's %s types lack: %v", v.Metadata, pkgmetav1.SchemeGroupVersion, err)
		}
		return
	}
	t.Fatalf("no variant %s", variant)
}

// readPackage checks the controller image of a package file and returns
// its Provider metadata, parsed strictly, and its CRDs as group/plural.
func readPackage(t *testing.T, path string) (*pkgmetav1.Provider, []string) {
	t.Helper()
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatalf("cannot open the package file %q: %v", path, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.Config.User == "" || strings.HasPrefix(cf.Config.User, "0") || strings.Join(cf.Config.Entrypoint, " ") != pkgbuild.BinaryPath {
		t.Errorf("controller image: want a non-root user running %s, got user %q entrypoint %v", pkgbuild.BinaryPath, cf.Config.User, cf.Config.Entrypoint)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var pkgYAML []byte
	files := map[string]*tar.Header{}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		contents := readLayer(t, l, files)
		if cf.Config.Labels["io.crossplane.xpkg:"+d.String()] == "base" {
			pkgYAML = contents["package.yaml"]
		}
	}
	if h := files[strings.TrimPrefix(pkgbuild.BinaryPath, "/")]; h == nil || h.Mode&0o111 == 0 {
		t.Errorf("controller image lacks an executable %s", pkgbuild.BinaryPath)
	}
	if files[strings.TrimPrefix(pkgbuild.CertsPath, "/")] == nil {
		t.Errorf("controller image lacks CA certificates")
	}
	if pkgYAML == nil {
		t.Fatalf("no layer is labelled as the package (io.crossplane.xpkg base); labels: %v", cf.Config.Labels)
	}

	objs, err := harness.DecodeObjects(bytes.NewReader(pkgYAML))
	if err != nil {
		t.Fatal(err)
	}
	var meta *pkgmetav1.Provider
	var crds []string
	for _, u := range objs {
		switch u.GetKind() {
		case "Provider":
			raw, err := yaml.Marshal(u.Object)
			if err != nil {
				t.Fatal(err)
			}
			meta = &pkgmetav1.Provider{}
			if err := yaml.UnmarshalStrict(raw, meta); err != nil {
				t.Errorf("the Provider metadata has fields Crossplane v2's %s types lack: %v", pkgmetav1.SchemeGroupVersion, err)
			}
			if u.GetAPIVersion() != pkgmetav1.SchemeGroupVersion.String() {
				t.Errorf("the Provider metadata is %s, want %s", u.GetAPIVersion(), pkgmetav1.SchemeGroupVersion)
			}
		case "CustomResourceDefinition":
			plural, group, _ := strings.Cut(u.GetName(), ".")
			crds = append(crds, group+"/"+plural)
		default:
			t.Errorf("package.yaml holds a %s, which a provider package may not", u.GetKind())
		}
	}
	if meta == nil {
		t.Fatal("package.yaml lacks the Provider metadata")
	}
	sort.Strings(crds)
	return meta, crds
}

// crdFiles returns the CRDs of package/crds as group/plural.
func crdFiles(t *testing.T, root string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "package", "crds", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in package/crds: %v", err)
	}
	var out []string
	for _, f := range files {
		group, plural, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".yaml"), "_")
		out = append(out, group+"/"+plural)
	}
	slices.Sort(out)
	return out
}

// readLayer returns the regular files of a layer and records their headers.
func readLayer(t *testing.T, l v1.Layer, headers map[string]*tar.Header) map[string][]byte {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close() //nolint:errcheck // Read-only.
	out := map[string][]byte{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		headers[h.Name] = h
		out[h.Name] = b
	}
}

func ptr[T any](v T) *T { return &v }
