package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// InstanceSpec defines the desired state of an Instance.
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies || 'Update' in self.managementPolicies) || has(self.forProvider.instanceClass) || (has(self.initProvider) && has(self.initProvider.instanceClass))",message="spec.forProvider.instanceClass is a required parameter"
type InstanceSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`

	// ForProvider is the desired state of the DB instance.
	ForProvider InstanceParameters `json:"forProvider"`

	// InitProvider holds values applied when the DB instance is created and
	// never enforced afterwards, so another actor may change them.
	// +optional
	InitProvider InstanceInitParameters `json:"initProvider,omitempty"`
}

// +kubebuilder:object:root=true

// An Instance is an Amazon RDS DB instance managed from a namespace: its
// Secrets, ProviderConfig and references are those of its namespace.
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="STATUS",type="string",JSONPath=".status.atProvider.status",priority=1
// +kubebuilder:printcolumn:name="ADDRESS",type="string",JSONPath=".status.atProvider.address",priority=1
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,managed,aws}
type Instance struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   InstanceSpec           `json:"spec"`
	Status v1beta3.InstanceStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// InstanceList contains a list of Instance.
type InstanceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Instance `json:"items"`
}

// SubnetGroupSpec defines the desired state of a SubnetGroup.
type SubnetGroupSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`

	// ForProvider is the desired state of the DB subnet group.
	ForProvider SubnetGroupParameters `json:"forProvider"`

	// InitProvider holds values applied when the DB subnet group is created
	// and never enforced afterwards.
	// +optional
	InitProvider SubnetGroupInitParameters `json:"initProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A SubnetGroup is an Amazon RDS DB subnet group managed from a namespace.
// Its name is the external name, defaulting to metadata.name.
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,managed,aws}
type SubnetGroup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SubnetGroupSpec                 `json:"spec"`
	Status groupsv1beta1.SubnetGroupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// SubnetGroupList contains a list of SubnetGroup.
type SubnetGroupList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SubnetGroup `json:"items"`
}

// ParameterGroupSpec defines the desired state of a ParameterGroup.
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies || 'Update' in self.managementPolicies) || has(self.forProvider.family) || (has(self.initProvider) && has(self.initProvider.family))",message="spec.forProvider.family is a required parameter"
type ParameterGroupSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`

	// ForProvider is the desired state of the DB parameter group.
	ForProvider ParameterGroupParameters `json:"forProvider"`

	// InitProvider holds values applied when the DB parameter group is
	// created and never enforced afterwards.
	// +optional
	InitProvider ParameterGroupInitParameters `json:"initProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A ParameterGroup is an Amazon RDS DB parameter group managed from a
// namespace. Its name is the external name, defaulting to metadata.name.
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,managed,aws}
type ParameterGroup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ParameterGroupSpec                 `json:"spec"`
	Status groupsv1beta1.ParameterGroupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ParameterGroupList contains a list of ParameterGroup.
type ParameterGroupList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ParameterGroup `json:"items"`
}
