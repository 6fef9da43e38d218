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

// reference is one reference or selector pair of the spec and the value
// field it would fill.
type reference struct {
	name, value string
	set         bool // the Ref(s) or the Selector is set
	resolved    bool // the value field is set
}

// references lists every reference pair of the spec, in one place.
func references(p v1beta3.InstanceParameters) []reference {
	return []reference{
		{"dbSubnetGroupNameRef/Selector", "dbSubnetGroupName", p.DBSubnetGroupNameRef != nil || p.DBSubnetGroupNameSelector != nil, p.DBSubnetGroupName != nil},
		{"kmsKeyIdRef/Selector", "kmsKeyId", p.KMSKeyIDRef != nil || p.KMSKeyIDSelector != nil, p.KMSKeyID != nil},
		{"masterUserSecretKmsKeyIdRef/Selector", "masterUserSecretKmsKeyId", p.MasterUserSecretKMSKeyIDRef != nil || p.MasterUserSecretKMSKeyIDSelector != nil, p.MasterUserSecretKMSKeyID != nil},
		{"monitoringRoleArnRef/Selector", "monitoringRoleArn", p.MonitoringRoleArnRef != nil || p.MonitoringRoleArnSelector != nil, p.MonitoringRoleArn != nil},
		{"parameterGroupNameRef/Selector", "parameterGroupName", p.ParameterGroupNameRef != nil || p.ParameterGroupNameSelector != nil, p.ParameterGroupName != nil},
		{"performanceInsightsKmsKeyIdRef/Selector", "performanceInsightsKmsKeyId", p.PerformanceInsightsKMSKeyIDRef != nil || p.PerformanceInsightsKMSKeyIDSelector != nil, p.PerformanceInsightsKMSKeyID != nil},
		{"replicateSourceDbRef/Selector", "replicateSourceDb", p.ReplicateSourceDBRef != nil || p.ReplicateSourceDBSelector != nil, p.ReplicateSourceDB != nil},
		{"vpcSecurityGroupIdRefs/Selector", "vpcSecurityGroupIds", len(p.VPCSecurityGroupIDRefs) > 0 || p.VPCSecurityGroupIDSelector != nil, len(p.VPCSecurityGroupIDs) > 0},
	}
}

// UnresolvedReferences names the references and selectors of the spec whose
// value field is still empty after resolution, which happens only when
// their resolution policy is Optional. Creating a DB instance without those
// values would put it in the default subnet group, with the default key
// and security group: places that cannot be changed afterwards, and that
// may be publicly reachable.
func UnresolvedReferences(p v1beta3.InstanceParameters) []string {
	var out []string
	for _, r := range references(p) {
		if r.set && !r.resolved {
			out = append(out, r.name+" ("+r.value+")")
		}
	}
	return out
}
