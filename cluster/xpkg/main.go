// Command xpkg builds the provider's Crossplane package without Docker: an
// OCI image holding the static provider binary and CA certificates (the
// controller image) plus the package layer (crossplane.yaml and the CRDs)
// and the examples, written as an image tarball. It prints the file's path
// as its last line.
package main

import (
	"archive/tar"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
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
	binaryPath = "/usr/local/bin/provider"
	certsPath  = "/etc/ssl/certs/ca-certificates.crt"
	nonRoot    = "65532:65532"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "xpkg:", err)
		os.Exit(1)
	}
}

func run() error {
	binary := flag.String("binary", "bin/provider", "The static provider binary.")
	certs := flag.String("ca-certificates", "/etc/ssl/certs/ca-certificates.crt", "CA certificates bundle for the image.")
	pkgDir := flag.String("package", "package", "Folder with crossplane.yaml and crds/.")
	exDir := flag.String("examples", "examples", "Folder with example manifests.")
	image := flag.String("image", "ghcr.io/provider-rds/provider-rds:v0.1.0", "Image reference recorded in the tarball.")
	out := flag.String("out", "_output/xpkg/provider-rds.xpkg", "Package file to write.")
	flag.Parse()

	base, err := controllerImage(*binary, *certs)
	if err != nil {
		return err
	}
	pkgParser, err := yaml.New()
	if err != nil {
		return err
	}
	fs := afero.NewOsFs()
	builder := xpkg.New(
		parser.NewFsBackend(fs, parser.FsDir(*pkgDir), parser.FsFilters(parser.SkipDirs(), parser.SkipNotYAML())),
		parser.NewFsBackend(fs, parser.FsDir(*exDir), parser.FsFilters(parser.SkipDirs(), parser.SkipNotYAML())),
		pkgParser,
		examples.New(),
	)
	img, _, err := builder.Build(context.Background(), xpkg.WithBase(base))
	if err != nil {
		return fmt.Errorf("cannot build the package: %w", err)
	}
	ref, err := name.NewTag(*image)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o750); err != nil {
		return err
	}
	if err := tarball.WriteToFile(*out, ref, img); err != nil {
		return fmt.Errorf("cannot write %s: %w", *out, err)
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	fmt.Println(abs)
	return nil
}

// controllerImage returns a minimal image: the binary and CA certificates,
// run as a non-root user.
func controllerImage(binary, certs string) (v1.Image, error) {
	bin, err := os.ReadFile(binary) //nolint:gosec // A build input named by the Makefile.
	if err != nil {
		return nil, fmt.Errorf("cannot read the provider binary (run make build): %w", err)
	}
	ca, err := os.ReadFile(certs) //nolint:gosec // A build input named by the Makefile.
	if err != nil {
		return nil, fmt.Errorf("cannot read CA certificates: %w", err)
	}
	layer, err := tarLayer(map[string]file{
		binaryPath: {data: bin, mode: 0o755},
		certsPath:  {data: ca, mode: 0o644},
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
	cf.Config.Entrypoint = []string{binaryPath}
	cf.Config.User = nonRoot
	cf.Config.Env = []string{"SSL_CERT_FILE=" + certsPath}
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
