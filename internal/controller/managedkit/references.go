package managedkit

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

const (
	hintNotInstalled = "the referenced kind is not installed in this cluster: install the provider that serves it, or set the value field directly"
	hintNotFound     = "the referenced object does not exist; nothing is created until it does"
)

// explainedReferences resolves references as crossplane-runtime does, and
// words a failure for the user: the field by its spec path
// (spec.forProvider.dbSubnetGroupName, not the Go path the generated
// resolvers report) and, for a kind that is not installed or an object
// that does not exist, what to do. The reconciler shows the message in the
// Synced condition and acts on nothing while it stands.
type explainedReferences struct {
	resolver managed.ReferenceResolver
	kube     client.Reader
}

// referenceResolver is a managed resource with references, whose resolvers
// angryjet generates.
type referenceResolver interface {
	resource.Managed
	ResolveReferences(ctx context.Context, r client.Reader) error
}

func (r explainedReferences) ResolveReferences(ctx context.Context, mg resource.Managed) error {
	if mr, ok := mg.(resource.ModernManaged); ok {
		if err := LocalReferences(mr); err != nil {
			return err
		}
	}
	if r.resolveChangesNothing(ctx, mg) {
		return nil
	}
	err := r.resolver.ResolveReferences(ctx, mg)
	if err == nil || kerrors.IsConflict(err) {
		return err
	}
	msg := specPaths(err.Error(), reflect.TypeOf(mg))
	switch {
	case meta.IsNoMatchError(err):
		msg += ": " + hintNotInstalled
	case kerrors.IsNotFound(err):
		msg += ": " + hintNotFound
	}
	return errors.New(msg)
}

// resolveChangesNothing reports whether resolving a copy of the resource's
// references changes nothing, as in the steady state of every resource.
// crossplane-runtime's resolver finds that out with go-cmp, which took most
// of the provider's CPU at fleet scale; the semantic equality of
// apimachinery (which, like go-cmp there, equates empty and nil) is many
// times cheaper. A resolution that fails or changes something is left to
// crossplane-runtime's resolver, which reports the failure or patches the
// resolved values.
func (r explainedReferences) resolveChangesNothing(ctx context.Context, mg resource.Managed) bool {
	rr, ok := mg.DeepCopyObject().(referenceResolver)
	if !ok {
		return true
	}
	if err := rr.ResolveReferences(ctx, r.kube); err != nil {
		return false
	}
	return equality.Semantic.DeepEqual(rr, mg)
}

// specPaths rewrites Go field paths of the form mg.Spec.ForProvider.X,
// as the generated resolvers name fields, into JSON paths of the object.
func specPaths(msg string, t reflect.Type) string {
	var out []string
	for _, word := range strings.Split(msg, " ") {
		trimmed := strings.TrimSuffix(word, ":")
		if strings.HasPrefix(trimmed, "mg.") {
			if p, ok := jsonPath(t, strings.Split(strings.TrimPrefix(trimmed, "mg."), ".")); ok {
				word = p + word[len(trimmed):]
			}
		}
		out = append(out, word)
	}
	return strings.Join(out, " ")
}

// jsonPath follows Go field names through a type and returns the JSON
// names they are written under.
func jsonPath(t reflect.Type, goNames []string) (string, bool) {
	var path []string
	for _, name := range goNames {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return "", false
		}
		f, ok := t.FieldByName(name)
		if !ok {
			return "", false
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "" || tag == "-" {
			return "", false
		}
		path = append(path, tag)
		t = f.Type
	}
	return strings.Join(path, "."), true
}

// LocalReferences refuses references and selectors of a namespaced managed
// resource that name another namespace: a team's resources resolve only
// to objects of the team's namespace, which its RBAC already lets it read.
func LocalReferences(mr resource.ModernManaged) error {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(mr)
	if err != nil {
		return errors.Wrap(err, "cannot read the managed resource")
	}
	spec, _ := u["spec"].(map[string]any)
	fields := SpecFieldsOf(mr)
	var foreign []string
	for _, part := range []string{"forProvider", "initProvider"} {
		p, _ := spec[part].(map[string]any)
		for field, v := range p {
			if !fields.References[field] {
				continue
			}
			items := []any{v}
			if l, ok := v.([]any); ok {
				items = l
			}
			for _, item := range items {
				m, _ := item.(map[string]any)
				if ns, _ := m["namespace"].(string); ns != "" && ns != mr.GetNamespace() {
					foreign = append(foreign, fmt.Sprintf("spec.%s.%s names namespace %q", part, field, ns))
				}
			}
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	sort.Strings(foreign)
	return errors.Errorf("references resolve only in the resource's own namespace %q: %s", mr.GetNamespace(), strings.Join(foreign, "; "))
}
