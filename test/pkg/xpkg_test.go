// Package pkg tests the Crossplane package file that `make xpkg` builds.
package pkg

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/provider-rds/provider-rds/test/harness"
)

// `make xpkg` produces, without Docker, a package whose controller image
// runs the static binary as non-root, and whose package layer holds the
// Provider metadata and every CRD.
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
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	path := lines[len(lines)-1]
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatalf("cannot open the package file %q: %v", path, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.Config.User == "" || strings.HasPrefix(cf.Config.User, "0") || strings.Join(cf.Config.Entrypoint, " ") != "/usr/local/bin/provider" {
		t.Errorf("controller image: want a non-root user running /usr/local/bin/provider, got user %q entrypoint %v", cf.Config.User, cf.Config.Entrypoint)
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
	if h := files["usr/local/bin/provider"]; h == nil || h.Mode&0o111 == 0 {
		t.Errorf("controller image lacks an executable /usr/local/bin/provider")
	}
	if files["etc/ssl/certs/ca-certificates.crt"] == nil {
		t.Errorf("controller image lacks CA certificates")
	}
	if pkgYAML == nil {
		t.Fatalf("no layer is labelled as the package (io.crossplane.xpkg base); labels: %v", cf.Config.Labels)
	}

	kinds := map[string]bool{}
	objs, err := harness.DecodeObjects(bytes.NewReader(pkgYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		kinds[u.GetKind()+"/"+u.GetName()] = true
		if u.GetKind() != "Provider" {
			continue
		}
		for _, a := range []string{"meta.crossplane.io/maintainer", "meta.crossplane.io/source", "meta.crossplane.io/license", "meta.crossplane.io/description", "meta.crossplane.io/readme"} {
			if u.GetAnnotations()[a] == "" {
				t.Errorf("the Provider metadata lacks %s", a)
			}
		}
		if v, _, _ := unstructured.NestedString(u.Object, "spec", "crossplane", "version"); v == "" {
			t.Error("the Provider metadata states no Crossplane version constraint")
		}
	}
	if !kinds["Provider/provider-rds"] {
		t.Errorf("package.yaml lacks the Provider metadata: %v", kinds)
	}
	crds, err := filepath.Glob(filepath.Join(root, "package", "crds", "*.yaml"))
	if err != nil || len(crds) == 0 {
		t.Fatalf("no CRDs in package/crds: %v", err)
	}
	for _, f := range crds {
		name := strings.SplitN(filepath.Base(f), "_", 2)
		crd := strings.TrimSuffix(name[1], ".yaml") + "." + name[0]
		if !kinds["CustomResourceDefinition/"+crd] {
			t.Errorf("package.yaml lacks CRD %s", crd)
		}
	}
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
