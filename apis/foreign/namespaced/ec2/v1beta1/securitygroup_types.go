package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// SecurityGroupObservation is the part of a SecurityGroup's observed state that
// references read.
type SecurityGroupObservation struct {
	// ARN of the AWS resource.
	// +optional
	ARN *string `json:"arn,omitempty"`
}

// SecurityGroupSpec is the part of a SecurityGroup's spec this provider decodes.
type SecurityGroupSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// SecurityGroupStatus is the part of a SecurityGroup's status this provider decodes.
type SecurityGroupStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state that references read.
	// +optional
	AtProvider SecurityGroupObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A namespaced SecurityGroup as its own provider writes it, read to resolve references.
type SecurityGroup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SecurityGroupSpec   `json:"spec"`
	Status SecurityGroupStatus `json:"status,omitempty"`
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
