// Package install tests the provider installed as users install it: its
// package pulled by Crossplane's package manager over TLS from an OCI
// registry, beside stand-ins of the AWS provider family, with only the
// permissions Crossplane's RBAC manager grants, and run with the arguments,
// environment and ServiceAccount of the Deployment Crossplane renders.
package install

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"sigs.k8s.io/yaml"

	"github.com/provider-rds/provider-rds/cluster/xpkg/pkgbuild"
	"github.com/provider-rds/provider-rds/test/harness"
)

// Where users find the AWS family, and the versions of its stand-ins.
const (
	upstream      = "xpkg.upbound.io/upbound/"
	familyVersion = "v2.1.0"
)

var (
	assets string
	// providerBin is the provider binary every package's image holds.
	providerBin string
	// images are the packages the tests push, by repository:tag.
	images map[string]v1.Image
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	if assets = os.Getenv(harness.EnvCrossplaneAssets); assets == "" {
		fmt.Fprintf(os.Stderr, "install: %s is not set: run the tests with `make test`, which builds Crossplane\n", harness.EnvCrossplaneAssets)
		return 1
	}
	dir, err := os.MkdirTemp("", "provider-rds-install-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "install:", err)
		return 1
	}
	defer os.RemoveAll(dir) //nolint:errcheck // Best effort.
	if err := buildPackages(dir); err != nil {
		fmt.Fprintln(os.Stderr, "install:", err)
		return 1
	}
	return m.Run()
}

// buildPackages builds the provider binary and every package the tests
// install: both of ours (the family member in two versions, for the
// upgrade) and stand-ins of provider-family-aws and provider-aws-ec2 with
// the labels, dependencies and CRDs the real ones carry.
func buildPackages(dir string) error {
	root, err := filepath.Abs("../..")
	if err != nil {
		return err
	}
	env := &harness.Env{Root: root}
	if providerBin, err = env.BuildProviderIn(dir); err != nil {
		return err
	}
	base, err := pkgbuild.ControllerImage(providerBin, "/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		return err
	}
	images = map[string]v1.Image{}
	pkgDir := filepath.Join(root, "package")
	for _, v := range pkgbuild.Variants {
		contents, err := v.Contents(pkgDir)
		if err != nil {
			return err
		}
		for _, version := range []string{"v0.1.0", "v0.2.0"} {
			// A later build differs from an earlier one, as every
			// release does; here by an annotation of its metadata.
			c := strings.Replace(string(contents), "\n  annotations:\n", "\n  annotations:\n    provider-rds.test/build: "+version+"\n", 1)
			img, err := pkgbuild.Build(context.Background(), base, []byte(c), nil)
			if err != nil {
				return fmt.Errorf("%s %s: %w", v.Name, version, err)
			}
			images["provider-rds/"+v.Name+":"+version] = img
		}
	}

	// provider-family-aws: the ProviderConfig kinds of both scopes, in the
	// shape this provider shares with it.
	var familyCRDs [][]byte
	files, err := filepath.Glob(filepath.Join(pkgDir, "crds", "*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if pkgbuild.IsProviderConfigCRD(filepath.Base(f)) {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			familyCRDs = append(familyCRDs, b)
		}
	}
	if err := standIn("provider-family-aws", familyMeta, familyCRDs); err != nil {
		return err
	}

	// provider-aws-ec2: the two kinds whose objects the provider's
	// references read.
	var ec2 [][]byte
	for _, k := range []harness.ForeignKind{harness.SubnetKind, harness.SecurityGroupKind} {
		crd := harness.ForeignCRD(k)
		crd.APIVersion, crd.Kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
		b, err := yaml.Marshal(crd)
		if err != nil {
			return err
		}
		ec2 = append(ec2, b)
	}
	return standIn("provider-aws-ec2", ec2Meta, ec2)
}

// standIn builds a stand-in of one of the AWS family's packages: its
// metadata and CRDs, and no controller image, since nothing runs it.
func standIn(name, meta string, crds [][]byte) error {
	img, err := pkgbuild.Build(context.Background(), empty.Image, pkgbuild.JoinDocuments(append([][]byte{[]byte(meta)}, crds...)...), nil)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	images["upbound/"+name+":"+familyVersion] = img
	return nil
}

// The stand-ins' metadata: what the incumbent's family packages declare
// (family label, SafeStart, the members' dependency on the family).
const (
	familyMeta = `apiVersion: meta.pkg.crossplane.io/v1
kind: Provider
metadata:
  name: provider-family-aws
  labels:
    pkg.crossplane.io/provider-family: provider-family-aws
spec:
  crossplane:
    version: ">=v2.0.0-0"
`
	ec2Meta = `apiVersion: meta.pkg.crossplane.io/v1
kind: Provider
metadata:
  name: provider-aws-ec2
  labels:
    pkg.crossplane.io/provider-family: provider-family-aws
spec:
  crossplane:
    version: ">=v2.0.0-0"
  capabilities:
  - SafeStart
  dependsOn:
  - provider: xpkg.upbound.io/upbound/provider-family-aws
    version: ">=v2.0.0"
`
)
