package kubectlrds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

const stream = `
# a comment-only document
---
apiVersion: rds.aws.upbound.io/v1beta1
kind: Instance
metadata:
  name: old
spec:
  forProvider:
    region: eu-west-1
    instanceClass: db.t3.micro
    engine: postgres
    name: orders
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-planned
---
apiVersion: rds.aws.m.upbound.io/v1beta1
kind: Instance
metadata:
  name: team
spec:
  forProvider:
    region: eu-west-1
    engine: mysql
    dbSubnetGroupNameRef:
      name: team-subnets
---
apiVersion: rds.aws.upbound.io/v1beta1
kind: SubnetGroup
metadata:
  name: subnets
spec:
  forProvider:
    region: eu-west-1
    subnetIds: [subnet-1]
`

func TestReadManifests(t *testing.T) {
	ms, err := decodeAll("stdin", strings.NewReader(stream), "team-a")
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Source, Kind, Namespace, Name string
		Namespaced                    bool
		ViewIsHub                     bool
	}
	var got []seen
	for _, m := range ms {
		_, hub := m.view.(*v1beta3.Instance)
		_, sg := m.view.(*groupsv1beta1.SubnetGroup)
		got = append(got, seen{m.source, m.object.GetObjectKind().GroupVersionKind().Kind, m.object.GetNamespace(), m.object.GetName(), m.namespaced, hub || sg})
	}
	want := []seen{
		{"stdin#2", "Instance", "", "old", false, true},
		{"stdin#4", "Instance", "team-a", "team", true, true},
		{"stdin#5", "SubnetGroup", "", "subnets", false, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decodeAll: the managed resources, in order, namespaced ones in the default namespace: -want, +got:\n%s", diff)
	}
	// v1beta1's name is v1beta3's dbName: the view is the hub.
	if db := ms[0].view.(*v1beta3.Instance).Spec.ForProvider.DBName; db == nil || *db != "orders" {
		t.Errorf("v1beta1 name: want dbName orders in the hub view, got %v", db)
	}
	// A namespaced reference keeps its name in the cluster form.
	if ref := ms[1].view.(*v1beta3.Instance).Spec.ForProvider.DBSubnetGroupNameRef; ref == nil || ref.Name != "team-subnets" {
		t.Errorf("namespaced reference: want team-subnets in the view, got %v", ref)
	}
}

func TestReadManifestsRefusesUnknownFields(t *testing.T) {
	doc := "apiVersion: rds.aws.upbound.io/v1beta3\nkind: Instance\nmetadata:\n  name: typo\nspec:\n  forProvider:\n    region: eu-west-1\n    instanceClas: db.t3.micro\n"
	_, err := decodeAll("typo.yaml", strings.NewReader(doc), "default")
	if err == nil || !strings.Contains(err.Error(), "instanceClas") || !strings.Contains(err.Error(), "typo.yaml#1") {
		t.Errorf("want an error naming the unknown field and the document, got %v", err)
	}
}

func TestReadManifestsOfADirectory(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"b.yaml":    "apiVersion: rds.aws.upbound.io/v1beta3\nkind: Instance\nmetadata:\n  name: second\nspec:\n  forProvider:\n    region: eu-west-1\n",
		"a.yml":     "apiVersion: rds.aws.upbound.io/v1beta2\nkind: Instance\nmetadata:\n  name: first\nspec:\n  forProvider:\n    region: eu-west-1\n",
		"notes.txt": "not a manifest",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := readManifests(dir, nil, "default")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.object.GetName())
	}
	if diff := cmp.Diff([]string{"first", "second"}, names); diff != "" {
		t.Errorf("readManifests(dir): the YAML files in name order: -want, +got:\n%s", diff)
	}
}
