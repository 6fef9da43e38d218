package v1beta3

import (
	"regexp"

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
func InstanceIdentifier() reference.ExtractValueFn {
	return func(mg resource.Managed) string {
		cr, ok := mg.(*Instance)
		if !ok {
			return ""
		}
		if id := cr.Spec.ForProvider.Identifier; id != nil && *id != "" {
			return *id
		}
		if name := meta.GetExternalName(cr); !resourceIDLike.MatchString(name) {
			return name
		}
		return ""
	}
}
