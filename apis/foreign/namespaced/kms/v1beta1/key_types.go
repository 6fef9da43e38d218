package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// KeyObservation is the part of a Key's observed state that
// references read.
type KeyObservation struct {
	// ARN of the AWS resource.
	// +optional
	ARN *string `json:"arn,omitempty"`

	// KeyID of the KMS key.
	// +optional
	KeyID *string `json:"keyId,omitempty"`
}

// KeySpec is the part of a Key's spec this provider decodes.
type KeySpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// KeyStatus is the part of a Key's status this provider decodes.
type KeyStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state that references read.
	// +optional
	AtProvider KeyObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A namespaced Key as its own provider writes it, read to resolve references.
type Key struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   KeySpec   `json:"spec"`
	Status KeyStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// KeyList contains a list of Key.
type KeyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Key `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Key{}, &KeyList{})
}
