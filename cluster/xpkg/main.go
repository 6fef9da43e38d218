// Command xpkg builds the provider's Crossplane packages without Docker,
// one file per variant (pkgbuild.Variants): an OCI image holding the static
// provider binary and CA certificates (the controller image) plus the
// package layer (the variant's crossplane.yaml and CRDs) and the examples,
// written as an image tarball. It prints each file's path on a line of its
// own.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/provider-rds/provider-rds/cluster/xpkg/pkgbuild"
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
	pkgDir := flag.String("package", "package", "Folder with the packages' metadata and crds/.")
	exDir := flag.String("examples", "examples", "Folder with example manifests.")
	registry := flag.String("registry", "ghcr.io/provider-rds", "Registry and organisation recorded in each file's image reference.")
	version := flag.String("version", "v0.1.0", "Tag recorded in each file's image reference.")
	out := flag.String("out", "_output/xpkg", "Folder to write the package files into, one per variant.")
	flag.Parse()

	base, err := pkgbuild.ControllerImage(*binary, *certs)
	if err != nil {
		return err
	}
	ex, err := pkgbuild.Examples(*exDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o750); err != nil {
		return err
	}
	for _, v := range pkgbuild.Variants {
		contents, err := v.Contents(*pkgDir)
		if err != nil {
			return fmt.Errorf("%s: %w", v.Name, err)
		}
		img, err := pkgbuild.Build(context.Background(), base, contents, ex)
		if err != nil {
			return fmt.Errorf("%s: %w", v.Name, err)
		}
		ref, err := name.NewTag(*registry + "/" + v.Name + ":" + *version)
		if err != nil {
			return err
		}
		path := filepath.Join(*out, v.Name+".xpkg")
		if err := tarball.WriteToFile(path, ref, img); err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		fmt.Println(abs)
	}
	return nil
}
