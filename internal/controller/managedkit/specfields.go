package managedkit

import (
	"reflect"
	"strings"
	"sync"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// SpecFields are a managed kind's reference and Secret-reference fields of
// forProvider and initProvider, by JSON name: the one list the scope
// conversion, the reference checks and the namespaced rules read. It is
// read from the kind's Go types, where each field is declared once, by
// the type of the field, not by its name.
type SpecFields struct {
	// References are the fields that select other objects: references,
	// lists of them, and selectors.
	References map[string]bool
	// SecretRefs are the fields that name a key of a Secret.
	SecretRefs map[string]bool
}

var (
	referenceTypes = map[reflect.Type]bool{
		reflect.TypeFor[xpv2.Reference](): true, reflect.TypeFor[xpv2.NamespacedReference](): true,
		reflect.TypeFor[xpv2.Selector](): true, reflect.TypeFor[xpv2.NamespacedSelector](): true,
	}
	secretRefTypes = map[reflect.Type]bool{
		reflect.TypeFor[xpv2.SecretKeySelector](): true, reflect.TypeFor[xpv2.LocalSecretKeySelector](): true,
	}
	specFieldsByType sync.Map // reflect.Type of the object -> SpecFields
)

// SpecFieldsOf returns the SpecFields of a managed resource's kind.
func SpecFieldsOf(obj any) SpecFields {
	t := reflect.TypeOf(obj)
	if v, ok := specFieldsByType.Load(t); ok {
		if f, ok := v.(SpecFields); ok {
			return f
		}
	}
	f := SpecFields{References: map[string]bool{}, SecretRefs: map[string]bool{}}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if spec, ok := t.FieldByName("Spec"); ok {
		for _, part := range []string{"ForProvider", "InitProvider"} {
			if p, ok := spec.Type.FieldByName(part); ok {
				f.add(p.Type)
			}
		}
	}
	specFieldsByType.Store(reflect.TypeOf(obj), f)
	return f
}

// SpecFieldsOfParameters returns the SpecFields of a parameters type.
func SpecFieldsOfParameters(params reflect.Type) SpecFields {
	f := SpecFields{References: map[string]bool{}, SecretRefs: map[string]bool{}}
	f.add(params)
	return f
}

func (f SpecFields) add(params reflect.Type) {
	for i := range params.NumField() {
		field := params.Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		t := field.Type
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		switch {
		case referenceTypes[t]:
			f.References[name] = true
		case secretRefTypes[t]:
			f.SecretRefs[name] = true
		}
	}
}
