// Package v1beta1 contains the rds.aws.upbound.io/v1beta1 SubnetGroup and
// ParameterGroup APIs, wire-compatible with the manifests users already
// keep for them. They share their API version with the deprecated Instance
// v1beta1 but live in their own Go package: that one converts to Instance
// v1beta3, whose references point back at these kinds.
// +kubebuilder:object:generate=true
// +groupName=rds.aws.upbound.io
// +versionName=v1beta1
package v1beta1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

// Package type metadata.
const (
	Group   = "rds.aws.upbound.io"
	Version = "v1beta1"
)

var (
	// SchemeGroupVersion is the group version used to register these objects.
	SchemeGroupVersion = schema.GroupVersion{Group: Group, Version: Version}

	// SchemeBuilder adds the Go types to the GroupVersionKind scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: SchemeGroupVersion}

	// AddToScheme adds the types of this group version to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// SubnetGroup kind metadata.
var (
	SubnetGroupKind             = "SubnetGroup"
	SubnetGroupGroupKind        = schema.GroupKind{Group: Group, Kind: SubnetGroupKind}.String()
	SubnetGroupGroupVersionKind = SchemeGroupVersion.WithKind(SubnetGroupKind)
)

// ParameterGroup kind metadata.
var (
	ParameterGroupKind             = "ParameterGroup"
	ParameterGroupGroupKind        = schema.GroupKind{Group: Group, Kind: ParameterGroupKind}.String()
	ParameterGroupGroupVersionKind = SchemeGroupVersion.WithKind(ParameterGroupKind)
)

func init() {
	SchemeBuilder.Register(&SubnetGroup{}, &SubnetGroupList{}, &ParameterGroup{}, &ParameterGroupList{})
}
