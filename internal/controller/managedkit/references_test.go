package managedkit

import (
	"context"
	"testing"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

func TestExplainedReferences(t *testing.T) {
	gr := schema.GroupResource{Group: "rds.aws.upbound.io", Resource: "subnetgroups"}
	cases := map[string]struct {
		err  error
		want string
	}{
		"NotInstalled": {
			err:  errors.Wrap(errors.Wrap(&meta.NoKindMatchError{GroupKind: schema.GroupKind{Group: "ec2.aws.upbound.io", Kind: "SecurityGroup"}, SearchedVersions: []string{"v1beta1"}}, "cannot get referenced resource"), "mg.Spec.ForProvider.VPCSecurityGroupIDs"),
			want: `spec.forProvider.vpcSecurityGroupIds: cannot get referenced resource: no matches for kind "SecurityGroup" in version "ec2.aws.upbound.io/v1beta1": ` + hintNotInstalled,
		},
		"NotFound": {
			err:  errors.Wrap(errors.Wrap(kerrors.NewNotFound(gr, "db-subnets"), "cannot get referenced resource"), "mg.Spec.InitProvider.DBSubnetGroupName"),
			want: `spec.initProvider.dbSubnetGroupName: cannot get referenced resource: subnetgroups.rds.aws.upbound.io "db-subnets" not found: ` + hintNotFound,
		},
		"NotReady": {
			err:  errors.Wrap(errors.New("referenced field was empty (referenced resource may not yet be ready)"), "mg.Spec.ForProvider.KMSKeyID"),
			want: "spec.forProvider.kmsKeyId: referenced field was empty (referenced resource may not yet be ready)",
		},
		"Resolved": {},
	}
	// Without references, or with references that resolve to what the spec
	// holds, nothing is resolved again: crossplane-runtime's resolver, which
	// compares whole objects with go-cmp, is not called.
	t.Run("NothingToChange", func(t *testing.T) {
		called := false
		r := explainedReferences{
			resolver: managed.ReferenceResolverFn(func(context.Context, resource.Managed) error { called = true; return nil }),
			kube:     fake.NewClientBuilder().WithScheme(runtime.NewScheme()).Build(),
		}
		if err := r.ResolveReferences(context.Background(), &v1beta3.Instance{}); err != nil || called {
			t.Errorf("got error %v, resolver called %t; want neither", err, called)
		}
	})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// The reference cannot be resolved here (the client knows no
			// kinds), so the failure reaches crossplane-runtime's resolver,
			// played by the function.
			r := explainedReferences{
				resolver: managed.ReferenceResolverFn(func(context.Context, resource.Managed) error { return tc.err }),
				kube:     fake.NewClientBuilder().WithScheme(runtime.NewScheme()).Build(),
			}
			in := &v1beta3.Instance{}
			in.Spec.ForProvider.DBSubnetGroupNameRef = &xpv2.Reference{Name: "db-subnets"}
			err := r.ResolveReferences(context.Background(), in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("ResolveReferences:\nwant %q\ngot  %q", tc.want, got)
			}
		})
	}
}
