package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	ec2v1beta1 "github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1"
)

// SecurityGroupSpec is the part of a namespaced SecurityGroup's spec this provider decodes.
type SecurityGroupSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// +kubebuilder:object:root=true

// A namespaced SecurityGroup as its own provider writes it, read to resolve
// references. Its status is the cluster-scoped kind's.
type SecurityGroup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SecurityGroupSpec              `json:"spec"`
	Status ec2v1beta1.SecurityGroupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// SecurityGroupList contains a list of SecurityGroup.
type SecurityGroupList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SecurityGroup `json:"items"`
}

func init() {
	SchemeBuilder.Register(&SecurityGroup{}, &SecurityGroupList{})
}
