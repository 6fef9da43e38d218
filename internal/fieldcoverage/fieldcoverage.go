// Package fieldcoverage checks that every field of a managed resource's
// parameters reaches each aspect of its translation (create, diff,
// late-initialisation, status), or is exempt from it with a reason. The
// translation packages' tests find what each field reaches by setting it
// alone (Fill) and comparing what the translation makes of it.
package fieldcoverage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

// The aspects of a translation.
const (
	Create   = "create"   // a create call sends it
	Diff     = "diff"     // the diff corrects or refuses a change of it
	LateInit = "lateinit" // late-initialisation fills it from AWS
	Status   = "status"   // status.atProvider reports it
)

// Aspects are all the aspects, in the order they are reported.
var Aspects = []string{Create, Diff, LateInit, Status}

// ReferenceReason exempts references and selectors from every aspect.
const ReferenceReason = "a reference or selector: it resolves into its value field, which is checked"

// Exemptions are, by JSON field name, the aspects a field is not handled
// by, and why.
type Exemptions map[string]map[string]string

// Check fails the test, naming the field, for every aspect a field of the
// parameters type does not reach and is not exempt from, and for every
// exemption of a field that the aspect does reach, or that no field has.
// handled is what the aspects reach, by JSON field name.
func Check(t *testing.T, params reflect.Type, handled map[string]map[string]bool, exempt Exemptions) {
	t.Helper()
	names := map[string]bool{}
	refs := managedkit.SpecFieldsOfParameters(params).References
	for i := range params.NumField() {
		name := JSONName(params.Field(i))
		names[name] = true
		isRef := refs[name]
		for _, a := range Aspects {
			reason, ok := exempt[name][a]
			if isRef {
				reason, ok = ReferenceReason, true
			}
			switch {
			case !handled[name][a] && !ok:
				t.Errorf("%s field %s is not handled by %s: handle it in the translation, or exempt it with its reason", params.Name(), name, a)
			case handled[name][a] && ok && !isRef:
				t.Errorf("%s field %s is handled by %s and exempt from it (%q): drop the stale exemption", params.Name(), name, a, reason)
			}
		}
	}
	for name := range exempt {
		if !names[name] {
			t.Errorf("an exemption names %s, which %s has not", name, params.Name())
		}
	}
}

// JSONName is a struct field's name in JSON.
func JSONName(f reflect.StructField) string { return strings.Split(f.Tag.Get("json"), ",")[0] }

// JSONFields says, by JSON name, which fields of v are set.
func JSONFields(v any) map[string]bool {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	out := map[string]bool{}
	for k, v := range m {
		out[k] = v != nil
	}
	return out
}

// Fill sets every field under v: strings to s, numbers to n, booleans to
// b, and one element in each list and map. Times are left unset.
func Fill(v reflect.Value, s string, n int64, b bool) { fill(v, s, n, b, 0) }

func fill(v reflect.Value, s string, n int64, b bool, depth int) {
	if depth > 5 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().PkgPath() == "time" {
			return
		}
		nv := reflect.New(v.Type().Elem())
		fill(nv.Elem(), s, n, b, depth+1)
		v.Set(nv)
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(b)
	case reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(n)
	case reflect.Float64:
		v.SetFloat(float64(n))
	case reflect.Slice:
		sl := reflect.MakeSlice(v.Type(), 1, 1)
		fill(sl.Index(0), s, n, b, depth+1)
		v.Set(sl)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		val := reflect.New(v.Type().Elem()).Elem()
		fill(val, s, n, b, depth+1)
		m.SetMapIndex(reflect.ValueOf("k"), val)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s, n, b, depth+1)
			}
		}
	default:
	}
}
