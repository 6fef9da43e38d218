package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// BlueGreenUpdate configures blue/green updates.
type BlueGreenUpdate struct {
	// Enabled turns blue/green updates on.
	// +optional
	Enabled *bool `json:"enabled,omitempty"`
}

// RestoreToPointInTime restores a DB instance to a point in time.
type RestoreToPointInTime struct {
	// RestoreTime is the RFC 3339 time to restore to.
	// +optional
	RestoreTime *string `json:"restoreTime,omitempty"`

	// SourceDBInstanceAutomatedBackupsArn of the replicated automated backups.
	// +optional
	SourceDBInstanceAutomatedBackupsArn *string `json:"sourceDbInstanceAutomatedBackupsArn,omitempty"`

	// SourceDBInstanceIdentifier of the source DB instance.
	// +optional
	SourceDBInstanceIdentifier *string `json:"sourceDbInstanceIdentifier,omitempty"`

	// SourceDbiResourceID of the source DB instance.
	// +optional
	SourceDbiResourceID *string `json:"sourceDbiResourceId,omitempty"`

	// UseLatestRestorableTime restores to the latest restorable time.
	// +optional
	UseLatestRestorableTime *bool `json:"useLatestRestorableTime,omitempty"`
}

// S3Import restores a DB instance from a backup in S3.
type S3Import struct {
	// BucketName of the backup.
	// +optional
	BucketName *string `json:"bucketName,omitempty"`

	// BucketPrefix of the backup.
	// +optional
	BucketPrefix *string `json:"bucketPrefix,omitempty"`

	// IngestionRole that RDS assumes to read the bucket.
	// +optional
	IngestionRole *string `json:"ingestionRole,omitempty"`

	// SourceEngine of the backup.
	// +optional
	SourceEngine *string `json:"sourceEngine,omitempty"`

	// SourceEngineVersion of the backup.
	// +optional
	SourceEngineVersion *string `json:"sourceEngineVersion,omitempty"`
}

// ListenerEndpoint is the listener connection endpoint of SQL Server Always On.
type ListenerEndpoint struct {
	// Address of the listener.
	// +optional
	Address *string `json:"address,omitempty"`

	// HostedZoneID of the listener.
	// +optional
	HostedZoneID *string `json:"hostedZoneId,omitempty"`

	// Port of the listener.
	// +optional
	Port *float64 `json:"port,omitempty"`
}

// MasterUserSecret is the Secrets Manager secret of a managed master password.
type MasterUserSecret struct {
	// KMSKeyID that encrypts the secret.
	// +optional
	KMSKeyID *string `json:"kmsKeyId,omitempty"`

	// SecretArn of the secret.
	// +optional
	SecretArn *string `json:"secretArn,omitempty"`

	// SecretStatus of the secret.
	// +optional
	SecretStatus *string `json:"secretStatus,omitempty"`
}

// PendingModifiedValues are changes to a DB instance that AWS accepted and
// has not applied yet.
type PendingModifiedValues struct {
	// AllocatedStorage in GiB.
	// +optional
	AllocatedStorage *float64 `json:"allocatedStorage,omitempty"`

	// BackupRetentionPeriod in days.
	// +optional
	BackupRetentionPeriod *float64 `json:"backupRetentionPeriod,omitempty"`

	// CACertIdentifier of the CA certificate.
	// +optional
	CACertIdentifier *string `json:"caCertIdentifier,omitempty"`

	// DBSubnetGroupName the instance moves to.
	// +optional
	DBSubnetGroupName *string `json:"dbSubnetGroupName,omitempty"`

	// EngineVersion the instance upgrades to.
	// +optional
	EngineVersion *string `json:"engineVersion,omitempty"`

	// InstanceClass the instance changes to.
	// +optional
	InstanceClass *string `json:"instanceClass,omitempty"`

	// Iops to provision.
	// +optional
	Iops *float64 `json:"iops,omitempty"`

	// LicenseModel the instance changes to.
	// +optional
	LicenseModel *string `json:"licenseModel,omitempty"`

	// MasterUserPassword is true while a new master password is being set.
	// +optional
	MasterUserPassword *bool `json:"masterUserPassword,omitempty"`

	// MultiAZ deployment to change to.
	// +optional
	MultiAZ *bool `json:"multiAz,omitempty"`

	// OptionGroupName the instance moves to.
	// +optional
	OptionGroupName *string `json:"optionGroupName,omitempty"`

	// Port the instance moves to.
	// +optional
	Port *float64 `json:"port,omitempty"`

	// StorageThroughput in MiB/s.
	// +optional
	StorageThroughput *float64 `json:"storageThroughput,omitempty"`

	// StorageType the instance changes to.
	// +optional
	StorageType *string `json:"storageType,omitempty"`
}

// InstanceObservation is the observed state of a DB instance.
type InstanceObservation struct {
	// Address is the DNS name of the instance's endpoint.
	Address *string `json:"address,omitempty"`
	// AllocatedStorage is the storage in gibibytes.
	AllocatedStorage *float64 `json:"allocatedStorage,omitempty"`
	// AllowMajorVersionUpgrade permits major engine version upgrades.
	AllowMajorVersionUpgrade *bool `json:"allowMajorVersionUpgrade,omitempty"`
	// ApplyImmediately applies modifications now instead of in the next maintenance window.
	ApplyImmediately *bool `json:"applyImmediately,omitempty"`
	// Arn of the DB instance.
	Arn *string `json:"arn,omitempty"`
	// AutoMinorVersionUpgrade lets AWS apply minor engine upgrades.
	AutoMinorVersionUpgrade *bool `json:"autoMinorVersionUpgrade,omitempty"`
	// AvailabilityZone of the instance.
	AvailabilityZone *string `json:"availabilityZone,omitempty"`
	// BackupRetentionPeriod in days.
	BackupRetentionPeriod *float64 `json:"backupRetentionPeriod,omitempty"`
	// BackupTarget is where automated backups are stored.
	BackupTarget *string `json:"backupTarget,omitempty"`
	// BackupWindow is the daily backup window, hh24:mi-hh24:mi in UTC.
	BackupWindow *string `json:"backupWindow,omitempty"`
	// BlueGreenUpdate configures blue/green updates.
	BlueGreenUpdate []BlueGreenUpdate `json:"blueGreenUpdate,omitempty"`
	// CACertIdentifier of the server certificate authority.
	CACertIdentifier *string `json:"caCertIdentifier,omitempty"`
	// CharacterSetName for Oracle and SQL Server.
	CharacterSetName *string `json:"characterSetName,omitempty"`
	// CopyTagsToSnapshot copies tags to snapshots.
	CopyTagsToSnapshot *bool `json:"copyTagsToSnapshot,omitempty"`
	// CustomIAMInstanceProfile for RDS Custom.
	CustomIAMInstanceProfile *string `json:"customIamInstanceProfile,omitempty"`
	// CustomerOwnedIPEnabled for RDS on Outposts.
	CustomerOwnedIPEnabled *bool `json:"customerOwnedIpEnabled,omitempty"`
	// DBName is the name of the database created with the instance.
	DBName *string `json:"dbName,omitempty"`
	// DBSubnetGroupName of the instance.
	DBSubnetGroupName *string `json:"dbSubnetGroupName,omitempty"`
	// DatabaseInsightsMode of the instance.
	DatabaseInsightsMode *string `json:"databaseInsightsMode,omitempty"`
	// DedicatedLogVolume enables a dedicated log volume.
	DedicatedLogVolume *bool `json:"dedicatedLogVolume,omitempty"`
	// DeleteAutomatedBackups removes automated backups when the instance is deleted.
	DeleteAutomatedBackups *bool `json:"deleteAutomatedBackups,omitempty"`
	// DeletionProtection blocks deletion of the instance.
	DeletionProtection *bool `json:"deletionProtection,omitempty"`
	// Domain is the Active Directory directory ID.
	Domain *string `json:"domain,omitempty"`
	// DomainAuthSecretArn is the ARN of the domain credentials secret.
	DomainAuthSecretArn *string `json:"domainAuthSecretArn,omitempty"`
	// DomainDNSIps are the domain controllers' addresses.
	// +listType=set
	DomainDNSIps []*string `json:"domainDnsIps,omitempty"`
	// DomainFqdn is the domain's fully qualified name.
	DomainFqdn *string `json:"domainFqdn,omitempty"`
	// DomainIAMRoleName is the IAM role used with the directory.
	DomainIAMRoleName *string `json:"domainIamRoleName,omitempty"`
	// DomainOu is the organisational unit of the domain.
	DomainOu *string `json:"domainOu,omitempty"`
	// EnabledCloudwatchLogsExports lists the log types exported to CloudWatch Logs.
	EnabledCloudwatchLogsExports []*string `json:"enabledCloudwatchLogsExports,omitempty"`
	// Endpoint of the instance, as host:port.
	Endpoint *string `json:"endpoint,omitempty"`
	// Engine of the database, such as postgres or mysql.
	Engine *string `json:"engine,omitempty"`
	// EngineLifecycleSupport selects RDS Extended Support.
	EngineLifecycleSupport *string `json:"engineLifecycleSupport,omitempty"`
	// EngineVersion requested; a prefix such as 16 or 16.4 accepts any version it covers.
	EngineVersion *string `json:"engineVersion,omitempty"`
	// EngineVersionActual is the engine version the instance runs.
	EngineVersionActual *string `json:"engineVersionActual,omitempty"`
	// FinalSnapshotIdentifier names the snapshot taken when the instance is deleted.
	FinalSnapshotIdentifier *string `json:"finalSnapshotIdentifier,omitempty"`
	// HostedZoneID of the endpoint's Route 53 hosted zone.
	HostedZoneID *string `json:"hostedZoneId,omitempty"`
	// IAMDatabaseAuthenticationEnabled enables IAM database authentication.
	IAMDatabaseAuthenticationEnabled *bool `json:"iamDatabaseAuthenticationEnabled,omitempty"`
	// ID is the DB instance resource ID (DbiResourceId), as the reference provider reports it.
	ID *string `json:"id,omitempty"`
	// Identifier of the DB instance.
	Identifier *string `json:"identifier,omitempty"`
	// IdentifierPrefix generates a unique identifier that starts with it, when neither the external name nor identifier is set.
	IdentifierPrefix *string `json:"identifierPrefix,omitempty"`
	// InstanceClass of the instance, such as db.t3.micro.
	InstanceClass *string `json:"instanceClass,omitempty"`
	// Iops is the provisioned IOPS.
	Iops *float64 `json:"iops,omitempty"`
	// KMSKeyID encrypts the storage.
	KMSKeyID *string `json:"kmsKeyId,omitempty"`
	// LatestRestorableTime is the latest time the instance can be restored to, in RFC 3339.
	LatestRestorableTime *string `json:"latestRestorableTime,omitempty"`
	// LicenseModel of the engine.
	LicenseModel *string `json:"licenseModel,omitempty"`
	// ListenerEndpoint of an instance with a SQL Server Always On listener.
	ListenerEndpoint []ListenerEndpoint `json:"listenerEndpoint,omitempty"`
	// MaintenanceWindow is the weekly window, ddd:hh24:mi-ddd:hh24:mi in UTC.
	MaintenanceWindow *string `json:"maintenanceWindow,omitempty"`
	// ManageMasterUserPassword lets AWS Secrets Manager manage the master password.
	ManageMasterUserPassword *bool `json:"manageMasterUserPassword,omitempty"`
	// MasterUserSecret is the Secrets Manager secret of an AWS-managed master password.
	MasterUserSecret []MasterUserSecret `json:"masterUserSecret,omitempty"`
	// MasterUserSecretKMSKeyID encrypts the managed master password secret.
	MasterUserSecretKMSKeyID *string `json:"masterUserSecretKmsKeyId,omitempty"`
	// MaxAllocatedStorage is the storage autoscaling limit in gibibytes.
	MaxAllocatedStorage *float64 `json:"maxAllocatedStorage,omitempty"`
	// MonitoringInterval of Enhanced Monitoring in seconds.
	MonitoringInterval *float64 `json:"monitoringInterval,omitempty"`
	// MonitoringRoleArn lets RDS send Enhanced Monitoring metrics.
	MonitoringRoleArn *string `json:"monitoringRoleArn,omitempty"`
	// MultiAZ runs a standby in another availability zone.
	MultiAZ *bool `json:"multiAz,omitempty"`
	// Name is the legacy spelling of dbName.
	Name *string `json:"name,omitempty"`
	// NcharCharacterSetName for Oracle.
	NcharCharacterSetName *string `json:"ncharCharacterSetName,omitempty"`
	// NetworkType of the instance.
	NetworkType *string `json:"networkType,omitempty"`
	// OptionGroupName of the instance.
	OptionGroupName *string `json:"optionGroupName,omitempty"`
	// ParameterGroupName of the instance.
	ParameterGroupName *string `json:"parameterGroupName,omitempty"`
	// ParameterApplyStatus of the DB parameter group: in-sync, applying, or
	// pending-reboot when the instance must be rebooted for the group or a
	// static parameter to take effect.
	ParameterApplyStatus *string `json:"parameterApplyStatus,omitempty"`
	// PasswordWoVersion triggers applying passwordWoSecretRef when it changes.
	PasswordWoVersion *float64 `json:"passwordWoVersion,omitempty"`
	// PerformanceInsightsEnabled turns on Performance Insights.
	PerformanceInsightsEnabled *bool `json:"performanceInsightsEnabled,omitempty"`
	// PerformanceInsightsKMSKeyID encrypts Performance Insights data.
	PerformanceInsightsKMSKeyID *string `json:"performanceInsightsKmsKeyId,omitempty"`
	// PerformanceInsightsRetentionPeriod in days.
	PerformanceInsightsRetentionPeriod *float64 `json:"performanceInsightsRetentionPeriod,omitempty"`
	// PendingModifiedValues are changes AWS accepted and has not applied
	// yet: they wait for the maintenance window (applyImmediately false) or
	// are being applied.
	PendingModifiedValues *PendingModifiedValues `json:"pendingModifiedValues,omitempty"`
	// Port the database listens on.
	Port *float64 `json:"port,omitempty"`
	// PubliclyAccessible gives the instance a public address.
	PubliclyAccessible *bool `json:"publiclyAccessible,omitempty"`
	// Region of the instance.
	Region *string `json:"region,omitempty"`
	// ReplicaMode of an Oracle replica.
	ReplicaMode *string `json:"replicaMode,omitempty"`
	// Replicas are the identifiers of the instance's read replicas.
	Replicas []*string `json:"replicas,omitempty"`
	// ReplicateSourceDB is the identifier of the instance this one replicates.
	ReplicateSourceDB *string `json:"replicateSourceDb,omitempty"`
	// ResourceID is the DB instance resource ID (DbiResourceId).
	ResourceID *string `json:"resourceId,omitempty"`
	// RestoreToPointInTime creates the instance from a point-in-time restore.
	RestoreToPointInTime []RestoreToPointInTime `json:"restoreToPointInTime,omitempty"`
	// S3Import creates the instance from a backup in S3.
	S3Import []S3Import `json:"s3Import,omitempty"`
	// SecurityGroupNames are legacy DB security groups.
	SecurityGroupNames []*string `json:"securityGroupNames,omitempty"`
	// SkipFinalSnapshot deletes the instance without a final snapshot.
	SkipFinalSnapshot *bool `json:"skipFinalSnapshot,omitempty"`
	// SnapshotIdentifier creates the instance from this DB snapshot.
	SnapshotIdentifier *string `json:"snapshotIdentifier,omitempty"`
	// Status of the DB instance as AWS reports it (creating, available, modifying, ...).
	Status *string `json:"status,omitempty"`
	// StorageEncrypted encrypts the storage.
	StorageEncrypted *bool `json:"storageEncrypted,omitempty"`
	// StorageThroughput of gp3 storage in MiBps.
	StorageThroughput *float64 `json:"storageThroughput,omitempty"`
	// StorageType of the instance.
	StorageType *string `json:"storageType,omitempty"`
	// Tags of the instance.
	Tags map[string]*string `json:"tags,omitempty"`
	// TagsAll are every tag on the instance, including the provider's default tags and AWS's.
	TagsAll map[string]*string `json:"tagsAll,omitempty"`
	// Timezone of a SQL Server instance.
	Timezone *string `json:"timezone,omitempty"`
	// UpgradeRolloutOrder is the order in which AWS upgrades this instance among others (first, second, last).
	UpgradeRolloutOrder *string `json:"upgradeRolloutOrder,omitempty"`
	// UpgradeStorageConfig upgrades the storage file system configuration.
	UpgradeStorageConfig *bool `json:"upgradeStorageConfig,omitempty"`
	// Username of the master user. Defaults to the engine's conventional name.
	Username *string `json:"username,omitempty"`
	// VPCSecurityGroupIDs of the instance.
	VPCSecurityGroupIDs []*string `json:"vpcSecurityGroupIds,omitempty"`
}

// InstanceSpec defines the desired state of an Instance.
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies || 'Update' in self.managementPolicies) || has(self.forProvider.instanceClass) || (has(self.initProvider) && has(self.initProvider.instanceClass))",message="spec.forProvider.instanceClass is a required parameter"
type InstanceSpec struct {
	xpv2.ClusterManagedResourceSpec `json:",inline"`

	// ForProvider is the desired state of the DB instance.
	ForProvider InstanceParameters `json:"forProvider"`

	// InitProvider holds values applied when the DB instance is created and
	// never enforced afterwards, so another actor may change them.
	// +optional
	InitProvider InstanceInitParameters `json:"initProvider,omitempty"`
}

// InstanceStatus defines the observed state of an Instance.
type InstanceStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the observed state of the DB instance.
	// +optional
	AtProvider InstanceObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:deprecatedversion:warning="This API version is deprecated. Deprecated since v2.6.0."

// An Instance is an Amazon RDS DB instance.
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="STATUS",type="string",JSONPath=".status.atProvider.status",priority=1
// +kubebuilder:printcolumn:name="ADDRESS",type="string",JSONPath=".status.atProvider.address",priority=1
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,categories={crossplane,managed,aws}
type Instance struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   InstanceSpec   `json:"spec"`
	Status InstanceStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// InstanceList contains a list of Instance.
type InstanceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Instance `json:"items"`
}
