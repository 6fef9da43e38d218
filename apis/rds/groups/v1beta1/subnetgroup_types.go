package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// SubnetGroupParameters are the desired state of a DB subnet group.
type SubnetGroupParameters struct {
	// Description of the DB subnet group. AWS requires one; when it is not
	// given, the provider uses "Managed by Crossplane" for a new group and
	// takes the existing description of an adopted one.
	// +optional
	Description *string `json:"description,omitempty"`

	// Region of the DB subnet group.
	// +kubebuilder:validation:Required
	Region *string `json:"region"`

	// SubnetIDs of the VPC subnets in the group.
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1.Subnet
	// +crossplane:generate:reference:refFieldName=SubnetIDRefs
	// +crossplane:generate:reference:selectorFieldName=SubnetIDSelector
	// +listType=set
	// +optional
	SubnetIDs []*string `json:"subnetIds,omitempty"`

	// SubnetIDRefs reference ec2.aws.upbound.io Subnets to fill subnetIds.
	// +optional
	SubnetIDRefs []xpv2.Reference `json:"subnetIdRefs,omitempty"`

	// SubnetIDSelector selects ec2.aws.upbound.io Subnets to fill subnetIds.
	// +optional
	SubnetIDSelector *xpv2.Selector `json:"subnetIdSelector,omitempty"`

	// Tags of the DB subnet group.
	// +mapType=granular
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`
}

// SubnetGroupInitParameters are applied when the DB subnet group is created
// and never enforced afterwards.
type SubnetGroupInitParameters struct {
	// Description of the DB subnet group.
	// +optional
	Description *string `json:"description,omitempty"`

	// SubnetIDs of the VPC subnets in the group.
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1.Subnet
	// +crossplane:generate:reference:refFieldName=SubnetIDRefs
	// +crossplane:generate:reference:selectorFieldName=SubnetIDSelector
	// +listType=set
	// +optional
	SubnetIDs []*string `json:"subnetIds,omitempty"`

	// SubnetIDRefs reference ec2.aws.upbound.io Subnets to fill subnetIds.
	// +optional
	SubnetIDRefs []xpv2.Reference `json:"subnetIdRefs,omitempty"`

	// SubnetIDSelector selects ec2.aws.upbound.io Subnets to fill subnetIds.
	// +optional
	SubnetIDSelector *xpv2.Selector `json:"subnetIdSelector,omitempty"`

	// Tags of the DB subnet group.
	// +mapType=granular
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`
}

// SubnetGroupObservation is the observed state of a DB subnet group.
type SubnetGroupObservation struct {
	// ARN of the DB subnet group.
	// +optional
	ARN *string `json:"arn,omitempty"`

	// Description of the DB subnet group.
	// +optional
	Description *string `json:"description,omitempty"`

	// ID of the DB subnet group: its name.
	// +optional
	ID *string `json:"id,omitempty"`

	// Region of the DB subnet group.
	// +optional
	Region *string `json:"region,omitempty"`

	// SubnetIDs of the subnets in the group.
	// +listType=set
	// +optional
	SubnetIDs []*string `json:"subnetIds,omitempty"`

	// SupportedNetworkTypes of the group: IPV4, DUAL.
	// +listType=set
	// +optional
	SupportedNetworkTypes []*string `json:"supportedNetworkTypes,omitempty"`

	// Tags of the DB subnet group as given in the spec.
	// +mapType=granular
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`

	// TagsAll are every tag of the DB subnet group.
	// +mapType=granular
	// +optional
	TagsAll map[string]*string `json:"tagsAll,omitempty"`

	// VPCID of the group's subnets.
	// +optional
	VPCID *string `json:"vpcId,omitempty"`
}

// SubnetGroupSpec defines the desired state of a SubnetGroup.
type SubnetGroupSpec struct {
	xpv2.ClusterManagedResourceSpec `json:",inline"`

	// ForProvider is the desired state of the DB subnet group.
	ForProvider SubnetGroupParameters `json:"forProvider"`

	// InitProvider holds values applied when the DB subnet group is created
	// and never enforced afterwards.
	// +optional
	InitProvider SubnetGroupInitParameters `json:"initProvider,omitempty"`
}

// SubnetGroupStatus defines the observed state of a SubnetGroup.
type SubnetGroupStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state of the DB subnet group.
	// +optional
	AtProvider SubnetGroupObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A SubnetGroup is an Amazon RDS DB subnet group. Its name is the external
// name (crossplane.io/external-name), defaulting to metadata.name.
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,categories={crossplane,managed,aws}
type SubnetGroup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   SubnetGroupSpec   `json:"spec"`
	Status SubnetGroupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// SubnetGroupList contains a list of SubnetGroup.
type SubnetGroupList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SubnetGroup `json:"items"`
}
