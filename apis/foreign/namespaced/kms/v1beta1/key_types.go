package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	kmsv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/kms/v1beta1"
)

// KeySpec is the part of a namespaced Key's spec this provider decodes.
type KeySpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`
}

// +kubebuilder:object:root=true

// A namespaced Key as its own provider writes it, read to resolve
// references. Its status is the cluster-scoped kind's.
type Key struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   KeySpec              `json:"spec"`
	Status kmsv1beta1.KeyStatus `json:"status,omitempty"`
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
