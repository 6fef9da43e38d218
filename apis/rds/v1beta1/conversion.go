package v1beta1

import (
	"sigs.k8s.io/controller-runtime/pkg/conversion"

	rdsconversion "github.com/provider-rds/provider-rds/apis/rds/conversion"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// hubRules: v1beta1 differs from the hub in three ways: name is the legacy
// spelling of dbName, securityGroupNames (EC2-Classic DB security groups)
// has no counterpart, and three blocks are one-element lists.
var hubRules = rdsconversion.Rules{
	Renamed: map[string]string{"name": "dbName"},
	Dropped: []string{"securityGroupNames"},
	Listed:  []string{"blueGreenUpdate", "restoreToPointInTime", "s3Import"},
}

// ConvertTo converts this Instance to the hub version.
func (in *Instance) ConvertTo(hub conversion.Hub) error {
	return rdsconversion.ToHub(in, hub, v1beta3.InstanceGroupVersionKind, hubRules)
}

// ConvertFrom converts the hub version to this Instance.
func (in *Instance) ConvertFrom(hub conversion.Hub) error {
	return rdsconversion.FromHub(hub, in, InstanceGroupVersionKind, hubRules)
}
