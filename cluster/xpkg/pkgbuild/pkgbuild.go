// Package pkgbuild builds Crossplane package images without Docker: the
// controller image (the static provider binary and CA certificates) with
// the package layer (the Provider metadata and CRDs) and the examples on
// top. `make xpkg` builds the provider's two packages with it, and the
// install tests build theirs, stand-ins of other providers included.
package pkgbuild

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/spf13/afero"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"
	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg/parser"
	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg/parser/examples"
	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg/parser/yaml"
)

// Paths inside the controller image.
const (
	BinaryPath = "/usr/local/bin/provider"
	CertsPath  = "/etc/ssl/certs/ca-certificates.crt"
	nonRoot    = "65532:65532"
)

// ProviderConfigGroups are the API groups of the ProviderConfig,
// ClusterProviderConfig and ProviderConfigUsage kinds, which
// provider-family-aws owns wherever it is installed.
var ProviderConfigGroups = []string{"aws.upbound.io", "aws.m.upbound.io"}

// Variant is one of the provider's packages.
type Variant struct {
	// Name is the package's name, and the name of its file.
	Name string
	// Metadata is the crossplane.yaml of the package, relative to the
	// package folder.
	Metadata string
	// WithProviderConfigs says whether the package ships the ProviderConfig
	// CRDs, or takes them from provider-family-aws.
	WithProviderConfigs bool
}

// Variants are the provider's packages: standalone, with its own
// ProviderConfig CRDs, and as a member of the AWS family, with the
// family's.
var Variants = []Variant{
	{Name: "provider-rds", Metadata: "crossplane.yaml", WithProviderConfigs: true},
	{Name: "provider-rds-family", Metadata: "family/crossplane.yaml", WithProviderConfigs: false},
}

// Contents returns the package stream of a variant: its metadata, then the
// CRDs of pkgDir/crds it ships, in file-name order.
func (v Variant) Contents(pkgDir string) ([]byte, error) {
	meta, err := os.ReadFile(filepath.Join(pkgDir, v.Metadata)) //nolint:gosec // A build input.
	if err != nil {
		return nil, fmt.Errorf("cannot read the package metadata: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(pkgDir, "crds", "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	docs := [][]byte{meta}
	for _, f := range files {
		if !v.WithProviderConfigs && IsProviderConfigCRD(filepath.Base(f)) {
			continue
		}
		crd, err := os.ReadFile(f) //nolint:gosec // A build input.
		if err != nil {
			return nil, err
		}
		docs = append(docs, crd)
	}
	return JoinDocuments(docs...), nil
}

// IsProviderConfigCRD tells from a CRD file's name (group_plural.yaml, as
// controller-gen writes them) whether the CRD is one of the family's.
func IsProviderConfigCRD(file string) bool {
	group, _, _ := strings.Cut(file, "_")
	for _, g := range ProviderConfigGroups {
		if group == g {
			return true
		}
	}
	return false
}

// JoinDocuments makes one YAML stream of several.
func JoinDocuments(docs ...[]byte) []byte {
	var b bytes.Buffer
	for _, d := range docs {
		b.WriteString("---\n")
		b.Write(bytes.TrimPrefix(bytes.TrimSpace(d), []byte("---\n")))
		b.WriteString("\n")
	}
	return b.Bytes()
}

// Build returns the package image: base, then the package layer made of the
// package stream, then the examples layer.
func Build(ctx context.Context, base v1.Image, pkg, examplesStream []byte) (v1.Image, error) {
	pkgParser, err := yaml.New()
	if err != nil {
		return nil, err
	}
	builder := xpkg.New(parser.NewEchoBackend(string(pkg)), parser.NewEchoBackend(string(examplesStream)), pkgParser, examples.New())
	img, _, err := builder.Build(ctx, xpkg.WithBase(base))
	if err != nil {
		return nil, fmt.Errorf("cannot build the package: %w", err)
	}
	return img, nil
}

// Examples returns the YAML stream of every manifest below dir.
func Examples(dir string) ([]byte, error) {
	fs := afero.NewOsFs()
	be := parser.NewFsBackend(fs, parser.FsDir(dir), parser.FsFilters(parser.SkipDirs(), parser.SkipNotYAML()))
	r, err := be.Init(context.Background())
	if err != nil {
		return nil, fmt.Errorf("cannot read the examples: %w", err)
	}
	defer r.Close() //nolint:errcheck // Read-only.
	return io.ReadAll(r)
}

// ControllerImage returns a minimal image: the binary and CA certificates,
// run as a non-root user.
func ControllerImage(binary, certs string) (v1.Image, error) {
	bin, err := os.ReadFile(binary) //nolint:gosec // A build input named by the Makefile.
	if err != nil {
		return nil, fmt.Errorf("cannot read the provider binary (run make build): %w", err)
	}
	ca, err := os.ReadFile(certs) //nolint:gosec // A build input named by the Makefile.
	if err != nil {
		return nil, fmt.Errorf("cannot read CA certificates: %w", err)
	}
	layer, err := tarLayer(map[string]file{
		BinaryPath: {data: bin, mode: 0o755},
		CertsPath:  {data: ca, mode: 0o644},
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", runtime.GOARCH
	cf.Created = v1.Time{Time: time.Unix(0, 0).UTC()}
	cf.Config.Entrypoint = []string{BinaryPath}
	cf.Config.User = nonRoot
	cf.Config.Env = []string{"SSL_CERT_FILE=" + CertsPath}
	return mutate.ConfigFile(img, cf)
}

type file struct {
	data []byte
	mode int64
}

// tarLayer makes an image layer of files, written with archive/tar as
// go-containerregistry's own crane.Layer does, but keeping file modes: the
// binary must be executable.
func tarLayer(files map[string]file) (v1.Layer, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	buf := &bytes.Buffer{}
	w := tar.NewWriter(buf)
	for _, n := range names {
		f := files[n]
		hdr := &tar.Header{Name: strings.TrimPrefix(n, "/"), Mode: f.mode, Size: int64(len(f.data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		if err := w.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
}
