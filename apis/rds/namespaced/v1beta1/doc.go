// Package v1beta1 contains the rds.aws.m.upbound.io/v1beta1 API of
// Crossplane v2: namespaced Instance, SubnetGroup and ParameterGroup, in
// the reference provider's shapes. Their forProvider and initProvider are
// the cluster kinds' (Instance v1beta3, SubnetGroup and ParameterGroup
// v1beta1) with namespaced references and Secret keys local to the
// managed resource's namespace, written by hack/namespaced; their status is
// the cluster kinds'.
// +kubebuilder:object:generate=true
// +groupName=rds.aws.m.upbound.io
// +versionName=v1beta1
package v1beta1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

// Package type metadata.
const (
	Group   = "rds.aws.m.upbound.io"
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

// Kind metadata.
var (
	InstanceGroupVersionKind       = SchemeGroupVersion.WithKind("Instance")
	SubnetGroupGroupVersionKind    = SchemeGroupVersion.WithKind("SubnetGroup")
	ParameterGroupGroupVersionKind = SchemeGroupVersion.WithKind("ParameterGroup")
)

func init() {
	SchemeBuilder.Register(&Instance{}, &InstanceList{}, &SubnetGroup{}, &SubnetGroupList{}, &ParameterGroup{}, &ParameterGroupList{})
}
