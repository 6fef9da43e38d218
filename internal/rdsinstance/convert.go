package rdsinstance

import (
	"encoding/json"
	"math"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// int32Ptr converts a JSON number of the API to the integer the SDK wants.
func int32Ptr(f *float64) *int32 {
	if f == nil {
		return nil
	}
	return aws.Int32(int32(math.Round(*f)))
}

// floatPtr converts an SDK integer to the JSON number of the API.
func floatPtr(i *int32) *float64 {
	if i == nil {
		return nil
	}
	return aws.Float64(float64(*i))
}

// strings converts a list of string pointers, dropping nils.
func stringValues(in []*string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out
}

// stringPtrs converts a list of strings to the pointers the API uses.
func stringPtrs(in []string) []*string {
	if len(in) == 0 {
		return nil
	}
	out := make([]*string, len(in))
	for i := range in {
		out[i] = aws.String(in[i])
	}
	return out
}

// nonEmpty returns nil for an empty string, so that absent and empty values
// read the same.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// equalFold reports whether two optional strings are equal ignoring case.
func equalFold(a, b *string) bool {
	return strings.EqualFold(aws.ToString(a), aws.ToString(b))
}

// CreateParameters returns the values the DB instance is created with:
// forProvider, with initProvider filling what forProvider leaves unset.
func CreateParameters(spec v1beta3.InstanceSpec) (v1beta3.InstanceParameters, error) {
	init, err := json.Marshal(spec.InitProvider)
	if err != nil {
		return v1beta3.InstanceParameters{}, err
	}
	fp, err := json.Marshal(spec.ForProvider)
	if err != nil {
		return v1beta3.InstanceParameters{}, err
	}
	merged := map[string]json.RawMessage{}
	if err := json.Unmarshal(init, &merged); err != nil {
		return v1beta3.InstanceParameters{}, err
	}
	overlay := map[string]json.RawMessage{}
	if err := json.Unmarshal(fp, &overlay); err != nil {
		return v1beta3.InstanceParameters{}, err
	}
	for k, v := range overlay {
		merged[k] = v
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return v1beta3.InstanceParameters{}, err
	}
	out := v1beta3.InstanceParameters{}
	return out, json.Unmarshal(b, &out)
}

// UnresolvedReferences names the references and selectors of the spec whose
// value field is still empty. The provider does not resolve references yet,
// so creating a DB instance without those values would put it in the default
// subnet group, with the default key and security group: places that cannot
// be changed afterwards, and that may be publicly reachable.
func UnresolvedReferences(p v1beta3.InstanceParameters) []string {
	var out []string
	check := func(value bool, ref, selector bool, name string) {
		if !value && (ref || selector) {
			out = append(out, name)
		}
	}
	check(p.DBSubnetGroupName != nil, p.DBSubnetGroupNameRef != nil, p.DBSubnetGroupNameSelector != nil, "dbSubnetGroupNameRef/Selector (dbSubnetGroupName)")
	check(p.KMSKeyID != nil, p.KMSKeyIDRef != nil, p.KMSKeyIDSelector != nil, "kmsKeyIdRef/Selector (kmsKeyId)")
	check(p.MasterUserSecretKMSKeyID != nil, p.MasterUserSecretKMSKeyIDRef != nil, p.MasterUserSecretKMSKeyIDSelector != nil, "masterUserSecretKmsKeyIdRef/Selector (masterUserSecretKmsKeyId)")
	check(p.MonitoringRoleArn != nil, p.MonitoringRoleArnRef != nil, p.MonitoringRoleArnSelector != nil, "monitoringRoleArnRef/Selector (monitoringRoleArn)")
	check(p.ParameterGroupName != nil, p.ParameterGroupNameRef != nil, p.ParameterGroupNameSelector != nil, "parameterGroupNameRef/Selector (parameterGroupName)")
	check(p.PerformanceInsightsKMSKeyID != nil, p.PerformanceInsightsKMSKeyIDRef != nil, p.PerformanceInsightsKMSKeyIDSelector != nil, "performanceInsightsKmsKeyIdRef/Selector (performanceInsightsKmsKeyId)")
	check(p.ReplicateSourceDB != nil, p.ReplicateSourceDBRef != nil, p.ReplicateSourceDBSelector != nil, "replicateSourceDbRef/Selector (replicateSourceDb)")
	check(len(p.VPCSecurityGroupIDs) > 0, len(p.VPCSecurityGroupIDRefs) > 0, p.VPCSecurityGroupIDSelector != nil, "vpcSecurityGroupIdRefs/Selector (vpcSecurityGroupIds)")
	return out
}
