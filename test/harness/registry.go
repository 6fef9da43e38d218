package harness

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Registry is an OCI registry served over TLS on 127.0.0.1, from which
// Crossplane pulls packages as it pulls them from any registry.
type Registry struct {
	// Host is the registry's host:port.
	Host string
	// CABundle is the path of the PEM file of the CA that signed its
	// serving certificate, for Crossplane's --ca-bundle-path.
	CABundle string

	srv *httptest.Server
}

// StartRegistry serves a registry until Stop, writing its CA into dir.
func StartRegistry(dir string) (*Registry, error) {
	// httptest's TLS server listens on 127.0.0.1 with a certificate for
	// that address.
	srv := httptest.NewTLSServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	path := filepath.Join(dir, "registry-ca.pem")
	if err := os.WriteFile(path, ca, 0o600); err != nil {
		srv.Close()
		return nil, err
	}
	return &Registry{Host: strings.TrimPrefix(srv.URL, "https://"), CABundle: path, srv: srv}, nil
}

// Push writes an image as repository:tag, such as provider-rds/provider-rds:v0.1.0.
func (r *Registry) Push(repositoryTag string, img v1.Image) error {
	ref, err := name.NewTag(r.Host + "/" + repositoryTag)
	if err != nil {
		return err
	}
	if err := remote.Write(ref, img, remote.WithTransport(r.srv.Client().Transport)); err != nil {
		return fmt.Errorf("cannot push %s: %w", ref, err)
	}
	return nil
}

// Stop stops serving.
func (r *Registry) Stop() { r.srv.Close() }
