package foreign

import (
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/fieldpath"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reference"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// AtProvider extracts a string field of a referenced resource's
// status.atProvider, such as a KMS Key's arn or keyId. It reads the object
// by path so that it serves every kind alike; a field that is not there
// yet (the resource is not ready) extracts as "", which reference
// resolution reports as such.
func AtProvider(field string) reference.ExtractValueFn {
	return func(mg resource.Managed) string {
		obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mg)
		if err != nil {
			return ""
		}
		v, err := fieldpath.Pave(obj).GetString("status.atProvider." + field)
		if err != nil {
			return ""
		}
		return v
	}
}
