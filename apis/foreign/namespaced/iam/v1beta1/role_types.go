package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	iamv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/iam/v1beta1"
)

// RoleSpec is the part of a namespaced Role's spec this provider decodes.
type RoleSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// +kubebuilder:object:root=true

// A namespaced Role as its own provider writes it, read to resolve
// references. Its status is the cluster-scoped kind's.
type Role struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   RoleSpec              `json:"spec"`
	Status iamv1beta1.RoleStatus `json:"status,omitempty"`
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
