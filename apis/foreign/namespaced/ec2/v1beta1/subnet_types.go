package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	ec2v1beta1 "github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1"
)

// SubnetSpec is the part of a namespaced Subnet's spec this provider decodes.
type SubnetSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// +kubebuilder:object:root=true

// A namespaced Subnet as its own provider writes it, read to resolve
// references. Its status is the cluster-scoped kind's.
type Subnet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SubnetSpec              `json:"spec"`
	Status ec2v1beta1.SubnetStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// SubnetList contains a list of Subnet.
type SubnetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Subnet `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Subnet{}, &SubnetList{})
}
