package v1beta3

// Code in this file declares the forProvider fields of an Instance, once
// for every version and scope: make generate (hack/versions) derives
// initProvider's fields (zz_generated.initparameters.go) and the older
// versions (apis/rds/v1beta1, v1beta2) from them, and hack/namespaced the
// namespaced twin.

import (
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// InstanceParameters are the desired state of a DB instance.
type InstanceParameters struct {
	// AllocatedStorage is the storage in gibibytes.
	// +optional
	AllocatedStorage *float64 `json:"allocatedStorage,omitempty"`

	// AllowMajorVersionUpgrade permits major engine version upgrades.
	// +optional
	AllowMajorVersionUpgrade *bool `json:"allowMajorVersionUpgrade,omitempty"`

	// ApplyImmediately applies modifications now instead of in the next maintenance window.
	// +optional
	ApplyImmediately *bool `json:"applyImmediately,omitempty"`

	// AutoGeneratePassword generates a master password and writes it to passwordSecretRef.
	// +optional
	AutoGeneratePassword *bool `json:"autoGeneratePassword,omitempty"`

	// AutoMinorVersionUpgrade lets AWS apply minor engine upgrades.
	// +optional
	AutoMinorVersionUpgrade *bool `json:"autoMinorVersionUpgrade,omitempty"`

	// AvailabilityZone of the instance.
	// +optional
	AvailabilityZone *string `json:"availabilityZone,omitempty"`

	// BackupRetentionPeriod in days.
	// +optional
	BackupRetentionPeriod *float64 `json:"backupRetentionPeriod,omitempty"`

	// BackupTarget is where automated backups are stored.
	// +kubebuilder:validation:Enum=region;outposts;local
	// +optional
	BackupTarget *string `json:"backupTarget,omitempty"`

	// BackupWindow is the daily backup window, hh24:mi-hh24:mi in UTC.
	// +optional
	BackupWindow *string `json:"backupWindow,omitempty"`

	// BlueGreenUpdate configures blue/green updates.
	// +optional
	BlueGreenUpdate *BlueGreenUpdate `json:"blueGreenUpdate,omitempty"`

	// CACertIdentifier of the server certificate authority.
	// +optional
	CACertIdentifier *string `json:"caCertIdentifier,omitempty"`

	// CharacterSetName for Oracle and SQL Server.
	// +optional
	CharacterSetName *string `json:"characterSetName,omitempty"`

	// CopyTagsToSnapshot copies tags to snapshots.
	// +optional
	CopyTagsToSnapshot *bool `json:"copyTagsToSnapshot,omitempty"`

	// CustomIAMInstanceProfile for RDS Custom.
	// +optional
	CustomIAMInstanceProfile *string `json:"customIamInstanceProfile,omitempty"`

	// CustomerOwnedIPEnabled for RDS on Outposts.
	// +optional
	CustomerOwnedIPEnabled *bool `json:"customerOwnedIpEnabled,omitempty"`

	// DBName is the name of the database created with the instance.
	// +optional
	DBName *string `json:"dbName,omitempty"`

	// DBSubnetGroupName of the instance.
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1.SubnetGroup
	DBSubnetGroupName *string `json:"dbSubnetGroupName,omitempty"`

	// DBSubnetGroupNameRef references a SubnetGroup to fill dbSubnetGroupName.
	// Resolved only while dbSubnetGroupName is empty; nothing is created until it resolves.
	// +optional
	DBSubnetGroupNameRef *xpv2.Reference `json:"dbSubnetGroupNameRef,omitempty"`

	// DBSubnetGroupNameSelector selects a SubnetGroup to fill dbSubnetGroupName.
	// Resolved only while dbSubnetGroupName is empty; nothing is created until it resolves.
	// +optional
	DBSubnetGroupNameSelector *xpv2.Selector `json:"dbSubnetGroupNameSelector,omitempty"`

	// DatabaseInsightsMode of the instance.
	// +kubebuilder:validation:Enum=standard;advanced
	// +optional
	DatabaseInsightsMode *string `json:"databaseInsightsMode,omitempty"`

	// DedicatedLogVolume enables a dedicated log volume.
	// +optional
	DedicatedLogVolume *bool `json:"dedicatedLogVolume,omitempty"`

	// DeleteAutomatedBackups removes automated backups when the instance is deleted.
	// +optional
	DeleteAutomatedBackups *bool `json:"deleteAutomatedBackups,omitempty"`

	// DeletionProtection blocks deletion of the instance.
	// +optional
	DeletionProtection *bool `json:"deletionProtection,omitempty"`

	// Domain is the Active Directory directory ID.
	// +optional
	Domain *string `json:"domain,omitempty"`

	// DomainAuthSecretArn is the ARN of the domain credentials secret.
	// +optional
	DomainAuthSecretArn *string `json:"domainAuthSecretArn,omitempty"`

	// DomainDNSIps are the domain controllers' addresses.
	// +optional
	DomainDNSIps []*string `json:"domainDnsIps,omitempty"`

	// DomainFqdn is the domain's fully qualified name.
	// +optional
	DomainFqdn *string `json:"domainFqdn,omitempty"`

	// DomainIAMRoleName is the IAM role used with the directory.
	// +optional
	DomainIAMRoleName *string `json:"domainIamRoleName,omitempty"`

	// DomainOu is the organisational unit of the domain.
	// +optional
	DomainOu *string `json:"domainOu,omitempty"`

	// EnabledCloudwatchLogsExports lists the log types exported to CloudWatch Logs.
	// +optional
	EnabledCloudwatchLogsExports []*string `json:"enabledCloudwatchLogsExports,omitempty"`

	// Engine of the database, such as postgres or mysql.
	// +optional
	Engine *string `json:"engine,omitempty"`

	// EngineLifecycleSupport selects RDS Extended Support.
	// +kubebuilder:validation:Enum=open-source-rds-extended-support;open-source-rds-extended-support-disabled
	// +optional
	EngineLifecycleSupport *string `json:"engineLifecycleSupport,omitempty"`

	// EngineVersion requested; a prefix such as 16 or 16.4 accepts any version it covers.
	// +optional
	EngineVersion *string `json:"engineVersion,omitempty"`

	// FinalSnapshotIdentifier names the snapshot taken when the instance is deleted.
	// +optional
	FinalSnapshotIdentifier *string `json:"finalSnapshotIdentifier,omitempty"`

	// IAMDatabaseAuthenticationEnabled enables IAM database authentication.
	// +optional
	IAMDatabaseAuthenticationEnabled *bool `json:"iamDatabaseAuthenticationEnabled,omitempty"`

	// Identifier of the DB instance. The crossplane.io/external-name annotation takes precedence; when that is unset, this field sets it.
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-zA-Z](-?[a-zA-Z0-9])*$`
	// +optional
	Identifier *string `json:"identifier,omitempty"`

	// IdentifierPrefix generates a unique identifier that starts with it, when neither the external name nor identifier is set.
	// +kubebuilder:validation:MaxLength=37
	// +kubebuilder:validation:Pattern=`^[a-zA-Z](-?[a-zA-Z0-9])*-?$`
	// +optional
	IdentifierPrefix *string `json:"identifierPrefix,omitempty"`

	// InstanceClass of the instance, such as db.t3.micro.
	// +optional
	InstanceClass *string `json:"instanceClass,omitempty"`

	// Iops is the provisioned IOPS.
	// +optional
	Iops *float64 `json:"iops,omitempty"`

	// KMSKeyID encrypts the storage.
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/kms/v1beta1.Key
	// +crossplane:generate:reference:extractor=github.com/provider-rds/provider-rds/apis/foreign.AtProvider("arn")
	KMSKeyID *string `json:"kmsKeyId,omitempty"`

	// KMSKeyIDRef references a Key to fill kmsKeyId.
	// Resolved only while kmsKeyId is empty; nothing is created until it resolves.
	// +optional
	KMSKeyIDRef *xpv2.Reference `json:"kmsKeyIdRef,omitempty"`

	// KMSKeyIDSelector selects a Key to fill kmsKeyId.
	// Resolved only while kmsKeyId is empty; nothing is created until it resolves.
	// +optional
	KMSKeyIDSelector *xpv2.Selector `json:"kmsKeyIdSelector,omitempty"`

	// LicenseModel of the engine.
	// +optional
	LicenseModel *string `json:"licenseModel,omitempty"`

	// MaintenanceWindow is the weekly window, ddd:hh24:mi-ddd:hh24:mi in UTC.
	// +optional
	MaintenanceWindow *string `json:"maintenanceWindow,omitempty"`

	// ManageMasterUserPassword lets AWS Secrets Manager manage the master password.
	// +optional
	ManageMasterUserPassword *bool `json:"manageMasterUserPassword,omitempty"`

	// MasterUserSecretKMSKeyID encrypts the managed master password secret.
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/kms/v1beta1.Key
	// +crossplane:generate:reference:extractor=github.com/provider-rds/provider-rds/apis/foreign.AtProvider("keyId")
	MasterUserSecretKMSKeyID *string `json:"masterUserSecretKmsKeyId,omitempty"`

	// MasterUserSecretKMSKeyIDRef references a Key to fill masterUserSecretKmsKeyId.
	// Resolved only while masterUserSecretKmsKeyId is empty; nothing is created until it resolves.
	// +optional
	MasterUserSecretKMSKeyIDRef *xpv2.Reference `json:"masterUserSecretKmsKeyIdRef,omitempty"`

	// MasterUserSecretKMSKeyIDSelector selects a Key to fill masterUserSecretKmsKeyId.
	// Resolved only while masterUserSecretKmsKeyId is empty; nothing is created until it resolves.
	// +optional
	MasterUserSecretKMSKeyIDSelector *xpv2.Selector `json:"masterUserSecretKmsKeyIdSelector,omitempty"`

	// MaxAllocatedStorage is the storage autoscaling limit in gibibytes.
	// +optional
	MaxAllocatedStorage *float64 `json:"maxAllocatedStorage,omitempty"`

	// MonitoringInterval of Enhanced Monitoring in seconds.
	// +kubebuilder:validation:Enum=0;1;5;10;15;30;60
	// +optional
	MonitoringInterval *float64 `json:"monitoringInterval,omitempty"`

	// MonitoringRoleArn lets RDS send Enhanced Monitoring metrics.
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/iam/v1beta1.Role
	// +crossplane:generate:reference:extractor=github.com/provider-rds/provider-rds/apis/foreign.AtProvider("arn")
	MonitoringRoleArn *string `json:"monitoringRoleArn,omitempty"`

	// MonitoringRoleArnRef references a Role to fill monitoringRoleArn.
	// Resolved only while monitoringRoleArn is empty; nothing is created until it resolves.
	// +optional
	MonitoringRoleArnRef *xpv2.Reference `json:"monitoringRoleArnRef,omitempty"`

	// MonitoringRoleArnSelector selects a Role to fill monitoringRoleArn.
	// Resolved only while monitoringRoleArn is empty; nothing is created until it resolves.
	// +optional
	MonitoringRoleArnSelector *xpv2.Selector `json:"monitoringRoleArnSelector,omitempty"`

	// MultiAZ runs a standby in another availability zone.
	// +optional
	MultiAZ *bool `json:"multiAz,omitempty"`

	// NcharCharacterSetName for Oracle.
	// +optional
	NcharCharacterSetName *string `json:"ncharCharacterSetName,omitempty"`

	// NetworkType of the instance.
	// +kubebuilder:validation:Enum=IPV4;DUAL
	// +optional
	NetworkType *string `json:"networkType,omitempty"`

	// OptionGroupName of the instance.
	// +optional
	OptionGroupName *string `json:"optionGroupName,omitempty"`

	// ParameterGroupName of the instance.
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1.ParameterGroup
	ParameterGroupName *string `json:"parameterGroupName,omitempty"`

	// ParameterGroupNameRef references a ParameterGroup to fill parameterGroupName.
	// Resolved only while parameterGroupName is empty; nothing is created until it resolves.
	// +optional
	ParameterGroupNameRef *xpv2.Reference `json:"parameterGroupNameRef,omitempty"`

	// ParameterGroupNameSelector selects a ParameterGroup to fill parameterGroupName.
	// Resolved only while parameterGroupName is empty; nothing is created until it resolves.
	// +optional
	ParameterGroupNameSelector *xpv2.Selector `json:"parameterGroupNameSelector,omitempty"`

	// PasswordSecretRef holds the master password. With autoGeneratePassword the provider writes a generated one there.
	// +optional
	PasswordSecretRef *xpv2.SecretKeySelector `json:"passwordSecretRef,omitempty"`

	// PasswordWoSecretRef holds a write-only master password, applied when passwordWoVersion changes.
	// +optional
	PasswordWoSecretRef *xpv2.SecretKeySelector `json:"passwordWoSecretRef,omitempty"`

	// PasswordWoVersion triggers applying passwordWoSecretRef when it changes.
	// +optional
	PasswordWoVersion *float64 `json:"passwordWoVersion,omitempty"`

	// PerformanceInsightsEnabled turns on Performance Insights.
	// +optional
	PerformanceInsightsEnabled *bool `json:"performanceInsightsEnabled,omitempty"`

	// PerformanceInsightsKMSKeyID encrypts Performance Insights data.
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/kms/v1beta1.Key
	PerformanceInsightsKMSKeyID *string `json:"performanceInsightsKmsKeyId,omitempty"`

	// PerformanceInsightsKMSKeyIDRef references a Key to fill performanceInsightsKmsKeyId.
	// Resolved only while performanceInsightsKmsKeyId is empty; nothing is created until it resolves.
	// +optional
	PerformanceInsightsKMSKeyIDRef *xpv2.Reference `json:"performanceInsightsKmsKeyIdRef,omitempty"`

	// PerformanceInsightsKMSKeyIDSelector selects a Key to fill performanceInsightsKmsKeyId.
	// Resolved only while performanceInsightsKmsKeyId is empty; nothing is created until it resolves.
	// +optional
	PerformanceInsightsKMSKeyIDSelector *xpv2.Selector `json:"performanceInsightsKmsKeyIdSelector,omitempty"`

	// PerformanceInsightsRetentionPeriod in days.
	// +optional
	PerformanceInsightsRetentionPeriod *float64 `json:"performanceInsightsRetentionPeriod,omitempty"`

	// Port the database listens on.
	// +optional
	Port *float64 `json:"port,omitempty"`

	// PubliclyAccessible gives the instance a public address.
	// +optional
	PubliclyAccessible *bool `json:"publiclyAccessible,omitempty"`

	// Region of the instance.
	// +kubebuilder:validation:Required
	Region *string `json:"region"`

	// ReplicaMode of an Oracle replica.
	// +kubebuilder:validation:Enum=open-read-only;mounted
	// +optional
	ReplicaMode *string `json:"replicaMode,omitempty"`

	// ReplicateSourceDB makes the instance a read replica of this source (identifier or ARN).
	// +optional
	// +crossplane:generate:reference:type=Instance
	// +crossplane:generate:reference:extractor=InstanceIdentifier()
	ReplicateSourceDB *string `json:"replicateSourceDb,omitempty"`

	// ReplicateSourceDBRef references an Instance to fill replicateSourceDb.
	// Resolved only while replicateSourceDb is empty; nothing is created until it resolves.
	// +optional
	ReplicateSourceDBRef *xpv2.Reference `json:"replicateSourceDbRef,omitempty"`

	// ReplicateSourceDBSelector selects an Instance to fill replicateSourceDb.
	// Resolved only while replicateSourceDb is empty; nothing is created until it resolves.
	// +optional
	ReplicateSourceDBSelector *xpv2.Selector `json:"replicateSourceDbSelector,omitempty"`

	// RestoreToPointInTime creates the instance from a point-in-time restore.
	// +optional
	RestoreToPointInTime *RestoreToPointInTime `json:"restoreToPointInTime,omitempty"`

	// S3Import creates the instance from a backup in S3.
	// +optional
	S3Import *S3Import `json:"s3Import,omitempty"`

	// SkipFinalSnapshot deletes the instance without a final snapshot.
	// +optional
	SkipFinalSnapshot *bool `json:"skipFinalSnapshot,omitempty"`

	// SnapshotIdentifier creates the instance from this DB snapshot.
	// +optional
	SnapshotIdentifier *string `json:"snapshotIdentifier,omitempty"`

	// StorageEncrypted encrypts the storage.
	// +optional
	StorageEncrypted *bool `json:"storageEncrypted,omitempty"`

	// StorageThroughput of gp3 storage in MiBps.
	// +optional
	StorageThroughput *float64 `json:"storageThroughput,omitempty"`

	// StorageType of the instance.
	// +kubebuilder:validation:Enum=standard;gp2;gp3;io1;io2
	// +optional
	StorageType *string `json:"storageType,omitempty"`

	// Tags of the instance.
	// +optional
	Tags map[string]*string `json:"tags,omitempty"`

	// Timezone of a SQL Server instance.
	// +optional
	Timezone *string `json:"timezone,omitempty"`

	// UpgradeStorageConfig upgrades the storage file system configuration.
	// +optional
	UpgradeStorageConfig *bool `json:"upgradeStorageConfig,omitempty"`

	// Username of the master user. Defaults to the engine's conventional name.
	// +optional
	Username *string `json:"username,omitempty"`

	// VPCSecurityGroupIDRefs reference SecurityGroups to fill vpcSecurityGroupIds.
	// Resolved only while vpcSecurityGroupIds is empty; nothing is created until it resolves.
	// +optional
	VPCSecurityGroupIDRefs []xpv2.Reference `json:"vpcSecurityGroupIdRefs,omitempty"`

	// VPCSecurityGroupIDSelector selects SecurityGroups to fill vpcSecurityGroupIds.
	// Resolved only while vpcSecurityGroupIds is empty; nothing is created until it resolves.
	// +optional
	VPCSecurityGroupIDSelector *xpv2.Selector `json:"vpcSecurityGroupIdSelector,omitempty"`

	// VPCSecurityGroupIDs of the instance.
	// +listType=set
	// +optional
	// +crossplane:generate:reference:type=github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1.SecurityGroup
	// +crossplane:generate:reference:refFieldName=VPCSecurityGroupIDRefs
	// +crossplane:generate:reference:selectorFieldName=VPCSecurityGroupIDSelector
	VPCSecurityGroupIDs []*string `json:"vpcSecurityGroupIds,omitempty"`
}
