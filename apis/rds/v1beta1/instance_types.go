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
	Address                          *string            `json:"address,omitempty"`
	AllocatedStorage                 *float64           `json:"allocatedStorage,omitempty"`
	AllowMajorVersionUpgrade         *bool              `json:"allowMajorVersionUpgrade,omitempty"`
	ApplyImmediately                 *bool              `json:"applyImmediately,omitempty"`
	Arn                              *string            `json:"arn,omitempty"`
	AutoMinorVersionUpgrade          *bool              `json:"autoMinorVersionUpgrade,omitempty"`
	AvailabilityZone                 *string            `json:"availabilityZone,omitempty"`
	BackupRetentionPeriod            *float64           `json:"backupRetentionPeriod,omitempty"`
	BackupTarget                     *string            `json:"backupTarget,omitempty"`
	BackupWindow                     *string            `json:"backupWindow,omitempty"`
	BlueGreenUpdate                  []BlueGreenUpdate  `json:"blueGreenUpdate,omitempty"`
	CACertIdentifier                 *string            `json:"caCertIdentifier,omitempty"`
	CharacterSetName                 *string            `json:"characterSetName,omitempty"`
	CopyTagsToSnapshot               *bool              `json:"copyTagsToSnapshot,omitempty"`
	CustomIAMInstanceProfile         *string            `json:"customIamInstanceProfile,omitempty"`
	CustomerOwnedIPEnabled           *bool              `json:"customerOwnedIpEnabled,omitempty"`
	DBName                           *string            `json:"dbName,omitempty"`
	DBSubnetGroupName                *string            `json:"dbSubnetGroupName,omitempty"`
	DatabaseInsightsMode             *string            `json:"databaseInsightsMode,omitempty"`
	DedicatedLogVolume               *bool              `json:"dedicatedLogVolume,omitempty"`
	DeleteAutomatedBackups           *bool              `json:"deleteAutomatedBackups,omitempty"`
	DeletionProtection               *bool              `json:"deletionProtection,omitempty"`
	Domain                           *string            `json:"domain,omitempty"`
	DomainAuthSecretArn              *string            `json:"domainAuthSecretArn,omitempty"`
	DomainDNSIps                     []*string          `json:"domainDnsIps,omitempty"`
	DomainFqdn                       *string            `json:"domainFqdn,omitempty"`
	DomainIAMRoleName                *string            `json:"domainIamRoleName,omitempty"`
	DomainOu                         *string            `json:"domainOu,omitempty"`
	EnabledCloudwatchLogsExports     []*string          `json:"enabledCloudwatchLogsExports,omitempty"`
	Endpoint                         *string            `json:"endpoint,omitempty"`
	Engine                           *string            `json:"engine,omitempty"`
	EngineLifecycleSupport           *string            `json:"engineLifecycleSupport,omitempty"`
	EngineVersion                    *string            `json:"engineVersion,omitempty"`
	EngineVersionActual              *string            `json:"engineVersionActual,omitempty"`
	FinalSnapshotIdentifier          *string            `json:"finalSnapshotIdentifier,omitempty"`
	HostedZoneID                     *string            `json:"hostedZoneId,omitempty"`
	IAMDatabaseAuthenticationEnabled *bool              `json:"iamDatabaseAuthenticationEnabled,omitempty"`
	ID                               *string            `json:"id,omitempty"`
	Identifier                       *string            `json:"identifier,omitempty"`
	IdentifierPrefix                 *string            `json:"identifierPrefix,omitempty"`
	InstanceClass                    *string            `json:"instanceClass,omitempty"`
	Iops                             *float64           `json:"iops,omitempty"`
	KMSKeyID                         *string            `json:"kmsKeyId,omitempty"`
	LatestRestorableTime             *string            `json:"latestRestorableTime,omitempty"`
	LicenseModel                     *string            `json:"licenseModel,omitempty"`
	ListenerEndpoint                 []ListenerEndpoint `json:"listenerEndpoint,omitempty"`
	MaintenanceWindow                *string            `json:"maintenanceWindow,omitempty"`
	ManageMasterUserPassword         *bool              `json:"manageMasterUserPassword,omitempty"`
	MasterUserSecret                 []MasterUserSecret `json:"masterUserSecret,omitempty"`
	MasterUserSecretKMSKeyID         *string            `json:"masterUserSecretKmsKeyId,omitempty"`
	MaxAllocatedStorage              *float64           `json:"maxAllocatedStorage,omitempty"`
	MonitoringInterval               *float64           `json:"monitoringInterval,omitempty"`
	MonitoringRoleArn                *string            `json:"monitoringRoleArn,omitempty"`
	MultiAZ                          *bool              `json:"multiAz,omitempty"`
	Name                             *string            `json:"name,omitempty"`
	NcharCharacterSetName            *string            `json:"ncharCharacterSetName,omitempty"`
	NetworkType                      *string            `json:"networkType,omitempty"`
	OptionGroupName                  *string            `json:"optionGroupName,omitempty"`
	ParameterGroupName               *string            `json:"parameterGroupName,omitempty"`
	// ParameterApplyStatus of the DB parameter group: in-sync, applying, or
	// pending-reboot when the instance must be rebooted for the group or a
	// static parameter to take effect.
	ParameterApplyStatus               *string  `json:"parameterApplyStatus,omitempty"`
	PasswordWoVersion                  *float64 `json:"passwordWoVersion,omitempty"`
	PerformanceInsightsEnabled         *bool    `json:"performanceInsightsEnabled,omitempty"`
	PerformanceInsightsKMSKeyID        *string  `json:"performanceInsightsKmsKeyId,omitempty"`
	PerformanceInsightsRetentionPeriod *float64 `json:"performanceInsightsRetentionPeriod,omitempty"`
	// PendingModifiedValues are changes AWS accepted and has not applied
	// yet: they wait for the maintenance window (applyImmediately false) or
	// are being applied.
	PendingModifiedValues *PendingModifiedValues `json:"pendingModifiedValues,omitempty"`
	Port                  *float64               `json:"port,omitempty"`
	PubliclyAccessible    *bool                  `json:"publiclyAccessible,omitempty"`
	Region                *string                `json:"region,omitempty"`
	ReplicaMode           *string                `json:"replicaMode,omitempty"`
	Replicas              []*string              `json:"replicas,omitempty"`
	ReplicateSourceDB     *string                `json:"replicateSourceDb,omitempty"`
	ResourceID            *string                `json:"resourceId,omitempty"`
	RestoreToPointInTime  []RestoreToPointInTime `json:"restoreToPointInTime,omitempty"`
	S3Import              []S3Import             `json:"s3Import,omitempty"`
	SecurityGroupNames    []*string              `json:"securityGroupNames,omitempty"`
	SkipFinalSnapshot     *bool                  `json:"skipFinalSnapshot,omitempty"`
	SnapshotIdentifier    *string                `json:"snapshotIdentifier,omitempty"`
	Status                *string                `json:"status,omitempty"`
	StorageEncrypted      *bool                  `json:"storageEncrypted,omitempty"`
	StorageThroughput     *float64               `json:"storageThroughput,omitempty"`
	StorageType           *string                `json:"storageType,omitempty"`
	Tags                  map[string]*string     `json:"tags,omitempty"`
	TagsAll               map[string]*string     `json:"tagsAll,omitempty"`
	Timezone              *string                `json:"timezone,omitempty"`
	UpgradeRolloutOrder   *string                `json:"upgradeRolloutOrder,omitempty"`
	UpgradeStorageConfig  *bool                  `json:"upgradeStorageConfig,omitempty"`
	Username              *string                `json:"username,omitempty"`
	VPCSecurityGroupIDs   []*string              `json:"vpcSecurityGroupIds,omitempty"`
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
