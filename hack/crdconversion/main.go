// Command crdconversion adds a conversion webhook to every generated CRD
// that serves more than one version. Crossplane's package manager fills in
// the webhook's service and CA bundle when it installs the package; the
// provider serves /convert on its webhook port. controller-gen has no
// marker for this, so make generate runs this after it.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

func main() {
	files, err := filepath.Glob(filepath.Join(os.Args[1], "*.yaml"))
	if err != nil || len(files) == 0 {
		fmt.Fprintln(os.Stderr, "crdconversion: no CRDs in", os.Args[1], err)
		os.Exit(1)
	}
	for _, f := range files {
		if err := addConversion(f); err != nil {
			fmt.Fprintln(os.Stderr, "crdconversion:", f, err)
			os.Exit(1)
		}
	}
}

func addConversion(path string) error {
	raw, err := os.ReadFile(path) //nolint:gosec // The generated CRD directory.
	if err != nil {
		return err
	}
	crd := &extv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(raw, crd); err != nil {
		return err
	}
	if len(crd.Spec.Versions) < 2 {
		return nil
	}
	crd.Spec.Conversion = &extv1.CustomResourceConversion{
		Strategy: extv1.WebhookConverter,
		Webhook: &extv1.WebhookConversion{
			ClientConfig: &extv1.WebhookClientConfig{Service: &extv1.ServiceReference{
				Name: "provider-rds", Namespace: "crossplane-system", Path: ptr.To("/convert"), Port: ptr.To[int32](9443),
			}},
			ConversionReviewVersions: []string{"v1"},
		},
	}
	// Written without the empty status the API type carries.
	obj := map[string]any{}
	if raw, err = yaml.Marshal(crd); err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, &obj); err != nil {
		return err
	}
	delete(obj, "status")
	out, err := yaml.Marshal(obj)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte("---\n"), out...), 0o644) //nolint:gosec // A generated file of the repository.
}
