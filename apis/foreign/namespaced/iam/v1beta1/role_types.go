package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// RoleObservation is the part of a Role's observed state that
// references read.
type RoleObservation struct {
	// ARN of the AWS resource.
	// +optional
	ARN *string `json:"arn,omitempty"`
}

// RoleSpec is the part of a Role's spec this provider decodes.
type RoleSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// RoleStatus is the part of a Role's status this provider decodes.
type RoleStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state that references read.
	// +optional
	AtProvider RoleObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A namespaced Role as its own provider writes it, read to resolve references.
type Role struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   RoleSpec   `json:"spec"`
	Status RoleStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// RoleList contains a list of Role.
type RoleList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Role `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Role{}, &RoleList{})
}
