package managedkit

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestOwnershipRefusal(t *testing.T) {
	instance := Kind{GroupVersionKind: schema.GroupVersionKind{Group: "rds.aws.upbound.io", Version: "v1beta3", Kind: "Instance"}}
	namespacedInstance := Kind{GroupVersionKind: schema.GroupVersionKind{Group: "rds.aws.m.upbound.io", Version: "v1beta1", Kind: "Instance"}}
	tags := func(kv ...string) map[string]string {
		out := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	teamA := tags("crossplane-kind", "instance.rds.aws.m.upbound.io", "crossplane-namespace", "team-a", "crossplane-name", "db")
	cases := map[string]struct {
		kind      Kind
		namespace string
		adopting  []string
		tags      map[string]string
		known     bool
		refused   string
	}{
		"SameNamespace":  {kind: namespacedInstance, namespace: "team-a", tags: teamA},
		"OtherNamespace": {kind: namespacedInstance, namespace: "team-b", tags: teamA, refused: "belongs to instance.rds.aws.m.upbound.io team-a/db"},
		"ClusterOwnerSeenFromANamespace": {kind: namespacedInstance, namespace: "team-b",
			tags: tags("crossplane-kind", "instance.rds.aws.upbound.io", "crossplane-name", "platform-db"), refused: "belongs to instance.rds.aws.upbound.io platform-db"},
		"NamespacedOwnerSeenFromTheCluster": {kind: instance, tags: teamA, refused: "belongs to instance.rds.aws.m.upbound.io team-a/db"},
		"ClusterScopedMigrated":             {kind: instance, tags: tags("crossplane-kind", "instance.rds.aws.upbound.io", "crossplane-name", "db", "crossplane-providerconfig", "default")},
		"NamespacedWithoutNamespaceTag":     {kind: namespacedInstance, namespace: "team-a", tags: tags("crossplane-kind", "instance.rds.aws.m.upbound.io", "crossplane-name", "db")},
		"AnotherKindsObject": {kind: namespacedInstance, namespace: "team-b",
			tags: tags("crossplane-kind", "clusterinstance.rds.aws.upbound.io", "crossplane-name", "member"), refused: "belongs to clusterinstance.rds.aws.upbound.io member"},
		"UntaggedFromTheCluster":      {kind: instance, tags: tags("team", "data")},
		"UntaggedFromANamespace":      {kind: namespacedInstance, namespace: "team-b", tags: tags("team", "data"), refused: `namespace "team-b" may not adopt`},
		"UntaggedFromAnAdoptingOne":   {kind: namespacedInstance, namespace: "team-b", adopting: []string{"team-b"}, tags: tags()},
		"UntaggedFromAnotherAdopting": {kind: namespacedInstance, namespace: "team-b", adopting: []string{"team-a"}, tags: tags(), refused: "--namespaces-that-may-adopt"},
		"UntaggedButAlreadyManaged":   {kind: namespacedInstance, namespace: "team-b", tags: tags(), known: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := OwnershipFor(tc.namespace, tc.adopting).Refusal(tc.kind, tc.namespace, "DB instance", "db", tc.tags, tc.known)
			switch {
			case tc.refused == "" && err != nil:
				t.Errorf("want allowed, got %v", err)
			case tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused)):
				t.Errorf("want refused with %q, got %v", tc.refused, err)
			}
		})
	}
}

func TestOwnerTagsAreTheProviders(t *testing.T) {
	k := Kind{GroupVersionKind: schema.GroupVersionKind{Group: "rds.aws.upbound.io", Version: "v1beta1", Kind: "SubnetGroup"}}
	user := map[string]*string{"crossplane-name": strPtr("someone-else"), "crossplane-namespace": strPtr("team-a"), "team": strPtr("data")}
	got := ForgedOwnerTags(user, map[string]string{"crossplane-kind": k.TagValue(), "crossplane-name": "mine"})
	if strings.Join(got, ",") != `crossplane-namespace="team-a",crossplane-name="someone-else"` {
		t.Errorf("ForgedOwnerTags: got %q", got)
	}
}

func strPtr(s string) *string { return &s }
