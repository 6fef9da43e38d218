package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// SubnetObservation is the part of a Subnet's observed state that
// references read.
type SubnetObservation struct {
	// ARN of the AWS resource.
	// +optional
	ARN *string `json:"arn,omitempty"`
}

// SubnetSpec is the part of a Subnet's spec this provider decodes.
type SubnetSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// SubnetStatus is the part of a Subnet's status this provider decodes.
type SubnetStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state that references read.
	// +optional
	AtProvider SubnetObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A namespaced Subnet as its own provider writes it, read to resolve references.
type Subnet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SubnetSpec   `json:"spec"`
	Status SubnetStatus `json:"status,omitempty"`
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
