package managedkit

import (
	"context"
	"testing"

	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

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
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := explainedReferences{managed.ReferenceResolverFn(func(context.Context, resource.Managed) error { return tc.err })}
			err := r.ResolveReferences(context.Background(), &v1beta3.Instance{})
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
