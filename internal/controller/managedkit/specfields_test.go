package managedkit

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// The reference and Secret-reference fields are read from the types, in
// both scopes alike.
func TestSpecFieldsOf(t *testing.T) {
	want := SpecFields{
		References: map[string]bool{
			"dbSubnetGroupNameRef": true, "dbSubnetGroupNameSelector": true,
			"kmsKeyIdRef": true, "kmsKeyIdSelector": true,
			"masterUserSecretKmsKeyIdRef": true, "masterUserSecretKmsKeyIdSelector": true,
			"monitoringRoleArnRef": true, "monitoringRoleArnSelector": true,
			"parameterGroupNameRef": true, "parameterGroupNameSelector": true,
			"performanceInsightsKmsKeyIdRef": true, "performanceInsightsKmsKeyIdSelector": true,
			"replicateSourceDbRef": true, "replicateSourceDbSelector": true,
			"vpcSecurityGroupIdRefs": true, "vpcSecurityGroupIdSelector": true,
		},
		SecretRefs: map[string]bool{"passwordSecretRef": true, "passwordWoSecretRef": true},
	}
	for name, obj := range map[string]any{"Cluster": &v1beta3.Instance{}, "Namespaced": &nsv1beta1.Instance{}} {
		if diff := cmp.Diff(want, SpecFieldsOf(obj)); diff != "" {
			t.Errorf("%s Instance: -want, +got:\n%s", name, diff)
		}
	}
}
