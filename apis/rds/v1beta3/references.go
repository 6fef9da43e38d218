package v1beta3

import (
	"regexp"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reference"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// resourceIDLike matches external names that may be a DbiResourceId, as
// the reference provider records them.
var resourceIDLike = regexp.MustCompile(`^db-[0-9A-Za-z]{2,255}$`)

// InstanceIdentifier extracts the DB instance identifier of a referenced
// Instance, which is what a read replica's replicateSourceDb names:
// spec.forProvider.identifier, as the reference provider reads it. This
// provider late-initialises that field from the external name; until it
// has, an external name that is an identifier (not a resource ID) serves.
//
// It reads the field by path, so that it serves the namespaced Instance
// (rds.aws.m.upbound.io), whose spec has the same field, as well.
func InstanceIdentifier() reference.ExtractValueFn {
	return func(mg resource.Managed) string {
		obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mg)
		if err != nil {
			return ""
		}
		if id, err := fieldpath.Pave(obj).GetString("spec.forProvider.identifier"); err == nil && id != "" {
			return id
		}
		if name := meta.GetExternalName(mg); !resourceIDLike.MatchString(name) {
			return name
		}
		return ""
	}
}
