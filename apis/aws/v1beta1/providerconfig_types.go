package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// Credential sources beyond the common Crossplane ones.
const (
	CredentialsSourceIRSA        xpv2.CredentialsSource = "IRSA"
	CredentialsSourceWebIdentity xpv2.CredentialsSource = "WebIdentity"
	CredentialsSourcePodIdentity xpv2.CredentialsSource = "PodIdentity"
	CredentialsSourceUpbound     xpv2.CredentialsSource = "Upbound"
)

// Endpoint URL types.
const (
	URLConfigTypeStatic  = "Static"
	URLConfigTypeDynamic = "Dynamic"
	URLConfigTypeAuto    = "Auto"
)

// ProviderConfigSpec configures how the provider reaches AWS.
type ProviderConfigSpec struct {
	// Credentials required to authenticate to AWS.
	Credentials ProviderCredentials `json:"credentials"`

	// AssumeRoleChain lists roles assumed in order on top of the base
	// credentials.
	// +optional
	AssumeRoleChain []AssumeRoleOptions `json:"assumeRoleChain,omitempty"`

	// Endpoint overrides where AWS API calls are sent.
	// +optional
	Endpoint *EndpointConfig `json:"endpoint,omitempty"`

	// SkipCredsValidation skips validating the credentials with STS
	// GetCallerIdentity.
	// +optional
	SkipCredsValidation bool `json:"skip_credentials_validation,omitempty"`

	// S3UsePathStyle selects S3 path-style addressing. Accepted for
	// compatibility; RDS does not use it.
	// +optional
	S3UsePathStyle bool `json:"s3_use_path_style,omitempty"`

	// SkipRegionValidation accepts region names that are not known AWS
	// regions.
	// +optional
	SkipRegionValidation bool `json:"skip_region_validation,omitempty"`

	// SkipMetadataAPICheck stops the default credential chain from calling
	// the EC2 instance metadata service.
	// +optional
	SkipMetadataAPICheck bool `json:"skip_metadata_api_check,omitempty"`

	// SkipReqAccountID skips looking up the AWS account ID.
	// +optional
	SkipReqAccountID bool `json:"skip_requesting_account_id,omitempty"`

	// ReconciliationPolicy tunes how resources that use this ProviderConfig
	// back off after failures.
	// +optional
	ReconciliationPolicy *ReconciliationPolicy `json:"reconciliationPolicy,omitempty"`
}

// ProviderCredentials selects the source of AWS credentials.
type ProviderCredentials struct {
	// Source of the provider credentials.
	// +kubebuilder:validation:Enum=None;Secret;IRSA;WebIdentity;PodIdentity;Upbound
	Source xpv2.CredentialsSource `json:"source"`

	// WebIdentity configures credentials from a web identity token.
	// +optional
	WebIdentity *WebIdentityConfig `json:"webIdentity,omitempty"`

	// Upbound configures vendor-specific identity. Not supported by this
	// provider.
	// +optional
	Upbound *Upbound `json:"upbound,omitempty"`

	xpv2.CommonCredentialSelectors `json:",inline"`
}

// WebIdentityConfig configures an AssumeRoleWithWebIdentity call.
type WebIdentityConfig struct {
	// RoleARN of the role to assume.
	// +optional
	RoleARN *string `json:"roleARN,omitempty"`

	// RoleSessionName names the assumed-role session.
	// +optional
	RoleSessionName string `json:"roleSessionName,omitempty"`

	// TokenConfig says where the web identity token is read from.
	// +optional
	TokenConfig *WebIdentityTokenConfig `json:"tokenConfig,omitempty"`
}

// WebIdentityTokenConfig says where a web identity token is read from.
type WebIdentityTokenConfig struct {
	// Source of the token.
	// +kubebuilder:validation:Enum=Secret;Filesystem
	Source xpv2.CredentialsSource `json:"source"`

	xpv2.CommonCredentialSelectors `json:",inline"`
}

// Upbound is vendor-specific identity configuration.
type Upbound struct {
	// WebIdentity of the vendor identity.
	// +optional
	WebIdentity *WebIdentityConfig `json:"webIdentity,omitempty"`
}

// AssumeRoleOptions configures one AssumeRole call of a chain.
type AssumeRoleOptions struct {
	// RoleARN of the role to assume.
	// +optional
	RoleARN *string `json:"roleARN,omitempty"`

	// ExternalID passed to AssumeRole.
	// +optional
	ExternalID *string `json:"externalID,omitempty"`

	// Tags are session tags.
	// +optional
	Tags []Tag `json:"tags,omitempty"`

	// TransitiveTagKeys are session tag keys passed on to later roles.
	// +optional
	TransitiveTagKeys []string `json:"transitiveTagKeys,omitempty"`
}

// Tag is a session tag.
type Tag struct {
	// Key of the tag.
	Key *string `json:"key"`

	// Value of the tag.
	Value *string `json:"value"`
}

// EndpointConfig overrides where AWS API calls are sent.
type EndpointConfig struct {
	// PartitionID overrides the partition.
	// +optional
	PartitionID *string `json:"partitionId,omitempty"`

	// Services the override applies to; empty means all.
	// +optional
	Services []string `json:"services,omitempty"`

	// HostnameImmutable stops the SDK from rewriting the host.
	// +optional
	HostnameImmutable *bool `json:"hostnameImmutable,omitempty"`

	// SigningMethod overrides the signing method.
	// +optional
	SigningMethod *string `json:"signingMethod,omitempty"`

	// SigningName overrides the signing service name.
	// +optional
	SigningName *string `json:"signingName,omitempty"`

	// SigningRegion overrides the signing region.
	// +optional
	SigningRegion *string `json:"signingRegion,omitempty"`

	// Source of the endpoint.
	// +kubebuilder:validation:Enum=ServiceMetadata;Custom
	// +optional
	Source *string `json:"source,omitempty"`

	// URL of the endpoint.
	URL URLConfig `json:"url"`
}

// URLConfig says how the endpoint URL is chosen.
type URLConfig struct {
	// Type of URL configuration.
	// +kubebuilder:validation:Enum=Static;Dynamic;Auto
	Type string `json:"type"`

	// Static is one URL for every service and region.
	// +optional
	Static *string `json:"static,omitempty"`

	// Dynamic builds the URL as protocol://service.region.host.
	// +optional
	Dynamic *DynamicURLConfig `json:"dynamic,omitempty"`
}

// DynamicURLConfig builds an endpoint URL from its parts.
type DynamicURLConfig struct {
	// Protocol of the URL.
	// +kubebuilder:validation:Enum=http;https
	// +kubebuilder:default=https
	Protocol string `json:"protocol"`

	// Host is appended to service.region.
	Host string `json:"host"`
}

// ReconciliationPolicy tunes reconciliation of the resources that use a
// ProviderConfig.
type ReconciliationPolicy struct {
	// ExponentialFailureRateLimiter sets the back-off after failures.
	// +optional
	ExponentialFailureRateLimiter *ExponentialFailureRateLimiter `json:"exponentialFailureRateLimiter,omitempty"`
}

// ExponentialFailureRateLimiter is an exponential back-off.
type ExponentialFailureRateLimiter struct {
	// BaseDelay is the first delay, such as 1s.
	// +optional
	BaseDelay *metav1.Duration `json:"baseDelay,omitempty"`

	// MaxDelay caps the delay, such as 5m.
	// +optional
	MaxDelay *metav1.Duration `json:"maxDelay,omitempty"`
}

// A ProviderConfigStatus is the observed state of a ProviderConfig.
type ProviderConfigStatus struct {
	xpv2.ProviderConfigStatus `json:",inline"`

	// AccountID is the AWS account of the validated credentials.
	// +optional
	AccountID string `json:"accountId,omitempty"`
}

// +kubebuilder:object:root=true

// A ProviderConfig configures how the RDS provider reaches AWS.
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="SECRET-NAME",type="string",JSONPath=".spec.credentials.secretRef.name",priority=1
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,categories={crossplane,providerconfig,aws}
type ProviderConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ProviderConfigSpec   `json:"spec"`
	Status ProviderConfigStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ProviderConfigList contains a list of ProviderConfig.
type ProviderConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ProviderConfig `json:"items"`
}

// +kubebuilder:object:root=true

// A ProviderConfigUsage records that a managed resource uses a ProviderConfig.
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="CONFIG-NAME",type="string",JSONPath=".providerConfigRef.name"
// +kubebuilder:printcolumn:name="RESOURCE-KIND",type="string",JSONPath=".resourceRef.kind"
// +kubebuilder:printcolumn:name="RESOURCE-NAME",type="string",JSONPath=".resourceRef.name"
// +kubebuilder:resource:scope=Cluster,categories={crossplane,providerconfig,aws}
type ProviderConfigUsage struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	xpv2.ProviderConfigUsage `json:",inline"`
}

// +kubebuilder:object:root=true

// ProviderConfigUsageList contains a list of ProviderConfigUsage.
type ProviderConfigUsageList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ProviderConfigUsage `json:"items"`
}
