package managedkit

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

func TestSecretsAllowed(t *testing.T) {
	secret := func(ns string) *xpv2.SecretKeySelector {
		return &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: ns, Name: "pw"}, Key: "password"}
	}
	cases := map[string]struct {
		allowed []string
		in      func(*v1beta3.Instance)
		want    string
	}{
		"NoLimit": {
			in: func(in *v1beta3.Instance) { in.Spec.ForProvider.PasswordSecretRef = secret("anywhere") },
		},
		"Allowed": {
			allowed: []string{"databases"},
			in: func(in *v1beta3.Instance) {
				in.Spec.ForProvider.PasswordSecretRef = secret("databases")
				in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "databases", Name: "conn"}
			},
		},
		"Refused": {
			allowed: []string{"databases"},
			in: func(in *v1beta3.Instance) {
				in.Spec.InitProvider.PasswordSecretRef = secret("kube-system")
				in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "team-b", Name: "conn"}
			},
			want: `spec.initProvider.passwordSecretRef names namespace "kube-system"; spec.writeConnectionSecretToRef names namespace "team-b"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := &v1beta3.Instance{}
			tc.in(in)
			err := SecretsAllowed(in, tc.allowed)
			if (tc.want == "") != (err == nil) || (err != nil && !strings.HasSuffix(err.Error(), tc.want)) {
				t.Errorf("SecretsAllowed: want error ending %q, got %v", tc.want, err)
			}
		})
	}
}

// The cluster form of a namespaced resource names its own namespace for
// every Secret, and drops the namespaces of references; what the cluster
// client changes comes back without touching references.
func TestClusterFormRoundTrip(t *testing.T) {
	mr := &nsv1beta1.Instance{}
	mr.SetNamespace("team-a")
	mr.SetName("db")
	mr.Spec.ForProvider.PasswordSecretRef = &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: "pw"}, Key: "password"}
	mr.Spec.ForProvider.DBSubnetGroupNameRef = &xpv2.NamespacedReference{Name: "subnets", Namespace: "team-a"}
	mr.Spec.WriteConnectionSecretToReference = &xpv2.LocalSecretReference{Name: "conn"}
	mr.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: "ProviderConfig", Name: "team-a"}

	view := &v1beta3.Instance{}
	if err := ToClusterForm(mr, view); err != nil {
		t.Fatal(err)
	}
	if p := view.Spec.ForProvider.PasswordSecretRef; p == nil || p.Namespace != "team-a" || p.Name != "pw" {
		t.Errorf("password Secret in cluster form: %+v", p)
	}
	if c := view.Spec.WriteConnectionSecretToReference; c == nil || c.Namespace != "team-a" || c.Name != "conn" {
		t.Errorf("connection Secret in cluster form: %+v", c)
	}
	if r := view.Spec.ProviderConfigReference; r == nil || r.Name != "team-a" {
		t.Errorf("providerConfigRef in cluster form: %+v", r)
	}

	view.Spec.ForProvider.Identifier = aws.String("db")
	view.Status.AtProvider.Status = aws.String("available")
	view.SetAnnotations(map[string]string{"crossplane.io/external-name": "db"})
	if err := FromClusterForm(view, mr); err != nil {
		t.Fatal(err)
	}
	if aws.ToString(mr.Spec.ForProvider.Identifier) != "db" || aws.ToString(mr.Status.AtProvider.Status) != "available" || mr.GetAnnotations()["crossplane.io/external-name"] != "db" {
		t.Errorf("late-initialised field, status or annotation not copied back: %+v %+v %v", mr.Spec.ForProvider.Identifier, mr.Status.AtProvider.Status, mr.GetAnnotations())
	}
	if r := mr.Spec.ForProvider.DBSubnetGroupNameRef; r == nil || r.Namespace != "team-a" {
		t.Errorf("a reference lost its namespace on the way back: %+v", r)
	}
	if p := mr.Spec.ForProvider.PasswordSecretRef; p == nil || p.Name != "pw" {
		t.Errorf("the password Secret reference changed on the way back: %+v", p)
	}
}
