package harness

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	ktypes "k8s.io/apimachinery/pkg/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
)

// ForeignKind is a kind of another provider that references name.
type ForeignKind struct {
	Group, Kind, Plural string
	Namespaced          bool
}

// Kinds of other providers that the provider's references read, and their
// Crossplane v2 namespaced twins.
var (
	SecurityGroupKind           = ForeignKind{"ec2.aws.upbound.io", "SecurityGroup", "securitygroups", false}
	SubnetKind                  = ForeignKind{"ec2.aws.upbound.io", "Subnet", "subnets", false}
	KeyKind                     = ForeignKind{"kms.aws.upbound.io", "Key", "keys", false}
	RoleKind                    = ForeignKind{"iam.aws.upbound.io", "Role", "roles", false}
	NamespacedSecurityGroupKind = ForeignKind{"ec2.aws.m.upbound.io", "SecurityGroup", "securitygroups", true}
	NamespacedKeyKind           = ForeignKind{"kms.aws.m.upbound.io", "Key", "keys", true}
)

// InstallForeignCRDs installs minimal CRDs of other providers' kinds, as
// those providers would install them (cluster-scoped, v1beta1, with a
// status subresource), and waits until they are served.
func (e *Env) InstallForeignCRDs(t testing.TB, kinds ...ForeignKind) {
	t.Helper()
	ctx := context.Background()
	for _, k := range kinds {
		crd := ForeignCRD(k)
		if err := e.Kube.Create(ctx, crd); err != nil && !kerrors.IsAlreadyExists(err) {
			t.Fatal(err)
		}
		e.WaitCRDEstablished(t, crd.GetName(), time.Minute)
	}
}

// WaitCRDEstablished waits until the API server serves a CRD's kind.
func (e *Env) WaitCRDEstablished(t testing.TB, name string, timeout time.Duration) {
	t.Helper()
	Eventually(t, timeout, "CRD "+name+" established", func() (bool, string) {
		got := &extv1.CustomResourceDefinition{}
		if err := e.Kube.Get(context.Background(), ktypes.NamespacedName{Name: name}, got); err != nil {
			return false, err.Error()
		}
		for _, c := range got.Status.Conditions {
			if c.Type == extv1.Established && c.Status == extv1.ConditionTrue {
				return true, ""
			}
		}
		return false, "not established"
	})
}

// ForeignCRD returns a minimal CRD of another provider's kind, as that
// provider ships it: v1beta1, with a status subresource.
func ForeignCRD(k ForeignKind) *extv1.CustomResourceDefinition {
	return &extv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: k.Plural + "." + k.Group},
		Spec: extv1.CustomResourceDefinitionSpec{
			Group: k.Group,
			Names: extv1.CustomResourceDefinitionNames{Kind: k.Kind, ListKind: k.Kind + "List", Plural: k.Plural, Singular: strings.ToLower(k.Kind)},
			Scope: scope(k),
			Versions: []extv1.CustomResourceDefinitionVersion{{
				Name: "v1beta1", Served: true, Storage: true,
				Subresources: &extv1.CustomResourceSubresources{Status: &extv1.CustomResourceSubresourceStatus{}},
				Schema: &extv1.CustomResourceValidation{OpenAPIV3Schema: &extv1.JSONSchemaProps{
					Type: "object", XPreserveUnknownFields: aws.Bool(true),
				}},
			}},
		},
	}
}

func scope(k ForeignKind) extv1.ResourceScope {
	if k.Namespaced {
		return extv1.NamespaceScoped
	}
	return extv1.ClusterScoped
}

// CreateForeignObject creates an object of another provider's kind as that
// provider leaves it once the AWS resource exists: the external name
// annotation set and status.atProvider filled (left out when atProvider is
// nil, as while the resource is not ready). It is deleted when the test
// ends.
func (e *Env) CreateForeignObject(t testing.TB, k ForeignKind, name, externalName string, labels map[string]string, atProvider map[string]any) {
	t.Helper()
	e.CreateForeignObjectIn(t, k, "", name, externalName, labels, atProvider)
}

// CreateForeignObjectIn is CreateForeignObject in a namespace, for the
// namespaced kinds.
func (e *Env) CreateForeignObjectIn(t testing.TB, k ForeignKind, namespace, name, externalName string, labels map[string]string, atProvider map[string]any) {
	t.Helper()
	ctx := context.Background()
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": k.Group + "/v1beta1", "kind": k.Kind,
		"metadata": map[string]any{"name": name},
		"spec":     map[string]any{"forProvider": map[string]any{}},
	}}
	u.SetLabels(labels)
	u.SetNamespace(namespace)
	if externalName != "" {
		meta.SetExternalName(u, externalName)
	}
	if err := e.Kube.Create(ctx, u); err != nil {
		t.Fatalf("cannot create %s %s: %v", k.Kind, name, err)
	}
	t.Cleanup(func() { _ = e.Kube.Delete(ctx, u) })
	if atProvider == nil {
		return
	}
	u.Object["status"] = map[string]any{"atProvider": atProvider}
	if err := e.Kube.Status().Update(ctx, u); err != nil {
		t.Fatalf("cannot fill the status of %s %s: %v", k.Kind, name, err)
	}
}
