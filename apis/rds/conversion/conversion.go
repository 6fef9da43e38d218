// Package conversion converts Instances between the served versions of
// rds.aws.upbound.io and the hub version the controller reconciles
// (v1beta3). The versions differ in a few fields only, so conversion copies
// every field by its JSON path and applies the documented differences:
// renamed fields, fields the hub does not have, and blocks that are
// one-element lists in older versions and objects in the hub.
package conversion

import (
	"bytes"
	"encoding/json"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Rules are how a spoke version's Instance differs from the hub's, in
// spec.forProvider, spec.initProvider and status.atProvider alike.
type Rules struct {
	// Renamed maps a spoke field to the hub field that holds its value.
	// The hub field wins when both are set; converting back fills only the
	// hub's name, which the spoke also has.
	Renamed map[string]string
	// Dropped are spoke fields with no counterpart in the hub.
	Dropped []string
	// Listed are blocks that the spoke holds as a one-element list and the
	// hub as an object.
	Listed []string
}

// parameterPaths are the objects the rules apply to.
var parameterPaths = [][]string{{"spec", "forProvider"}, {"spec", "initProvider"}, {"status", "atProvider"}}

// ToHub converts a spoke object into the hub object.
func ToHub(spoke runtime.Object, hub runtime.Object, hubGVK schema.GroupVersionKind, r Rules) error {
	return convert(spoke, hub, hubGVK, func(m map[string]any) {
		for spokeName, hubName := range r.Renamed {
			if v, ok := m[spokeName]; ok {
				if _, set := m[hubName]; !set {
					m[hubName] = v
				}
				delete(m, spokeName)
			}
		}
		for _, f := range r.Dropped {
			delete(m, f)
		}
		for _, f := range r.Listed {
			if l, ok := m[f].([]any); ok {
				if len(l) > 0 {
					m[f] = l[0]
				} else {
					delete(m, f)
				}
			}
		}
	})
}

// FromHub converts the hub object into a spoke object.
func FromHub(hub runtime.Object, spoke runtime.Object, spokeGVK schema.GroupVersionKind, r Rules) error {
	return convert(hub, spoke, spokeGVK, func(m map[string]any) {
		for _, f := range r.Listed {
			if o, ok := m[f].(map[string]any); ok {
				m[f] = []any{o}
			}
		}
	})
}

func convert(src, dst runtime.Object, dstGVK schema.GroupVersionKind, transform func(map[string]any)) error {
	raw, err := json.Marshal(src)
	if err != nil {
		return err
	}
	// Numbers stay exact (json.Number): generation counters are int64s,
	// which a float64 would round.
	obj := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return err
	}
	for _, path := range parameterPaths {
		if m, ok := nested(obj, path); ok {
			transform(m)
		}
	}
	obj["apiVersion"], obj["kind"] = dstGVK.GroupVersion().String(), dstGVK.Kind
	if raw, err = json.Marshal(obj); err != nil {
		return err
	}
	return json.Unmarshal(raw, dst)
}

func nested(obj map[string]any, path []string) (map[string]any, bool) {
	cur := obj
	for _, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}
