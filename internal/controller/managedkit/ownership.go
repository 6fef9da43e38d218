package managedkit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

const (
	errOwnedElsewhere = "%s %q belongs to %s (its crossplane-kind, crossplane-namespace and crossplane-name tags), so this %s leaves it alone: it is neither adopted, changed nor deleted from here. Use another name; or, if that object is gone and the resource is to be managed from here, have the platform team change those tags in AWS"
	errUntagged       = "%s %q exists and belongs to no Crossplane object (it has no crossplane-kind tag), and namespace %q may not adopt such resources: nothing is changed or deleted. Use another name; or have the platform team add the namespace to the provider's --namespaces-that-may-adopt"
)

// Ownership is what a managed resource may take over in AWS, from the
// Crossplane tags of what it finds under its external name. Every kind
// and scope decides it here, so that a team's namespaced object can
// neither take another namespace's (or the platform's) resource, nor adopt
// a resource no Crossplane object owns unless the platform allows it.
type Ownership struct {
	// MayAdoptUntagged is whether a namespaced object may adopt a resource
	// that carries no crossplane-kind tag: only in the namespaces the
	// platform names. A cluster-scoped object (the platform's) always may.
	MayAdoptUntagged bool
}

// OwnershipFor is the Ownership of an object of a kind in a namespace
// ("" for a cluster-scoped one), given the namespaces the platform lets
// adopt untagged resources.
func OwnershipFor(namespace string, adopting []string) Ownership {
	return Ownership{MayAdoptUntagged: slices.Contains(adopting, namespace)}
}

// Refusal says why the managed resource (of kind k, named by its scope's
// object) may not act on an external resource with these tags, or nil.
// known says the resource is already this object's: it created it, or has
// observed it before (a resource ID it recorded).
//
// A resource tagged as an object of another kind, of the kind's other
// scope, or of another namespace is refused. One tagged as an object of
// the same kind and namespace (or without a namespace tag, as tagged
// before that tag existed, and as the reference provider's cluster-scoped
// objects are) is not refused here: within a namespace the team decides,
// and objects migrated from the reference provider stay adopted.
func (o Ownership) Refusal(k Kind, namespace, what, name string, tags map[string]string, known bool) error {
	kind, ns, owner := tags[resource.ExternalResourceTagKeyKind], tags[resource.ExternalResourceTagKeyNamespace], tags[resource.ExternalResourceTagKeyName]
	if kind == "" {
		if known || namespace == "" || o.MayAdoptUntagged {
			return nil
		}
		return errors.Errorf(errUntagged, what, name, namespace)
	}
	objectName := kind + " " + owner
	if ns != "" {
		objectName = kind + " " + ns + "/" + owner
	}
	switch {
	case kind != k.TagValue():
		// Another kind's, or this kind's other scope's.
		return errors.Errorf(errOwnedElsewhere, what, name, objectName, k.GroupVersionKind.Kind)
	case ns != "" && ns != namespace:
		return errors.Errorf(errOwnedElsewhere, what, name, objectName, k.GroupVersionKind.Kind)
	}
	return nil
}

// ForgedOwnerTags names the Crossplane ownership tags a spec sets to other
// values than the provider's: they would make the resource look like
// another object's. The provider's values always win (DesiredTags).
func ForgedOwnerTags(user map[string]*string, defaults map[string]string) []string {
	var out []string
	for _, key := range ownerTagKeys {
		if v, ok := user[key]; ok && (v == nil || *v != defaults[key]) {
			out = append(out, fmt.Sprintf("%s=%q", key, strings.TrimSpace(deref(v))))
		}
	}
	return out
}

// ownerTagKeys are the tags that say which object owns a resource.
var ownerTagKeys = []string{resource.ExternalResourceTagKeyKind, resource.ExternalResourceTagKeyNamespace, resource.ExternalResourceTagKeyName}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
