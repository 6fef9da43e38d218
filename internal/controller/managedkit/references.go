package managedkit

import (
	"context"
	"reflect"
	"strings"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"

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
}

func (r explainedReferences) ResolveReferences(ctx context.Context, mg resource.Managed) error {
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
