// Package v1beta1 holds the namespaced kms.aws.m.upbound.io kinds that provider-rds reads to resolve
// references. See package foreign.
// +kubebuilder:object:generate=true
// +kubebuilder:skip
// +groupName=kms.aws.m.upbound.io
// +versionName=v1beta1
package v1beta1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

// Package type metadata.
const (
	Group   = "kms.aws.m.upbound.io"
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
