package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// Parameter is one parameter of a DB parameter group.
type Parameter struct {
	// ApplyMethod is immediate (dynamic parameters; the default) or
	// pending-reboot (static parameters, which take effect when each DB
	// instance using the group is rebooted).
	// +optional
	ApplyMethod *string `json:"applyMethod,omitempty"`

	// Name of the parameter.
	// +optional
	Name *string `json:"name,omitempty"`

	// Value of the parameter.
	// +optional
	Value *string `json:"value,omitempty"`
}

// ParameterGroupParameters are the desired state of a DB parameter group.
type ParameterGroupParameters struct {
	// Description of the DB parameter group; set at creation only. When it
	// is not given, the provider uses "Managed by Crossplane" for a new group
	// and takes the existing description of an adopted one.
	// +optional
	Description *string `json:"description,omitempty"`

	// Family of the DB parameter group, such as postgres16; set at creation
	// only.
	// +optional
	Family *string `json:"family,omitempty"`

	// Parameter lists the parameters the provider manages. Parameters not
	// listed keep whatever value they have; a parameter removed from the
	// list is reset to the engine default.
	// +optional
	Parameter []Parameter `json:"parameter,omitempty"`

	// Region of the DB parameter group.
	// +kubebuilder:validation:Required
	Region *string `json:"region"`

	// SkipDestroy leaves the DB parameter group in AWS when the
	// ParameterGroup is deleted.
	// +optional
	SkipDestroy *bool `json:"skipDestroy,omitempty"`

	// Tags of the DB parameter group.
	// +mapType=granular
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`
}

// ParameterGroupInitParameters are applied when the DB parameter group is
// created and never enforced afterwards.
type ParameterGroupInitParameters struct {
	// Description of the DB parameter group.
	// +optional
	Description *string `json:"description,omitempty"`

	// Family of the DB parameter group.
	// +optional
	Family *string `json:"family,omitempty"`

	// Parameter lists parameters set at creation.
	// +optional
	Parameter []Parameter `json:"parameter,omitempty"`

	// SkipDestroy leaves the DB parameter group in AWS on delete.
	// +optional
	SkipDestroy *bool `json:"skipDestroy,omitempty"`

	// Tags of the DB parameter group.
	// +mapType=granular
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`
}

// ParameterGroupObservation is the observed state of a DB parameter group.
type ParameterGroupObservation struct {
	// ARN of the DB parameter group.
	// +optional
	ARN *string `json:"arn,omitempty"`

	// Description of the DB parameter group.
	// +optional
	Description *string `json:"description,omitempty"`

	// Family of the DB parameter group.
	// +optional
	Family *string `json:"family,omitempty"`

	// ID of the DB parameter group: its name.
	// +optional
	ID *string `json:"id,omitempty"`

	// Parameter lists the parameters set in the group (source "user") and
	// any other parameter named in the spec.
	// +optional
	Parameter []Parameter `json:"parameter,omitempty"`

	// Region of the DB parameter group.
	// +optional
	Region *string `json:"region,omitempty"`

	// SkipDestroy as given in the spec.
	// +optional
	SkipDestroy *bool `json:"skipDestroy,omitempty"`

	// Tags of the DB parameter group as given in the spec.
	// +mapType=granular
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`

	// TagsAll are every tag of the DB parameter group.
	// +mapType=granular
	// +optional
	TagsAll map[string]*string `json:"tagsAll,omitempty"`
}

// ParameterGroupSpec defines the desired state of a ParameterGroup.
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies || 'Update' in self.managementPolicies) || has(self.forProvider.family) || (has(self.initProvider) && has(self.initProvider.family))",message="spec.forProvider.family is a required parameter"
type ParameterGroupSpec struct {
	xpv2.ClusterManagedResourceSpec `json:",inline"`

	// ForProvider is the desired state of the DB parameter group.
	ForProvider ParameterGroupParameters `json:"forProvider"`

	// InitProvider holds values applied when the DB parameter group is
	// created and never enforced afterwards.
	// +optional
	InitProvider ParameterGroupInitParameters `json:"initProvider,omitempty"`
}

// ParameterGroupStatus defines the observed state of a ParameterGroup.
type ParameterGroupStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state of the DB parameter group.
	// +optional
	AtProvider ParameterGroupObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A ParameterGroup is an Amazon RDS DB parameter group. Its name is the
// external name (crossplane.io/external-name), defaulting to metadata.name.
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,categories={crossplane,managed,aws}
type ParameterGroup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ParameterGroupSpec   `json:"spec"`
	Status ParameterGroupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ParameterGroupList contains a list of ParameterGroup.
type ParameterGroupList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ParameterGroup `json:"items"`
}
