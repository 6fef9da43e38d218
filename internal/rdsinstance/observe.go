package rdsinstance

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

// Observation returns the atProvider status of a described DB instance.
// As in the reference provider, id is the resource ID (DbiResourceId) and
// identifier the DB instance identifier.
// Fields that only exist in the spec (applyImmediately, skipFinalSnapshot and
// the like) are echoed from it, as users of the reference provider expect.
func Observation(db types.DBInstance, p v1beta3.InstanceParameters) v1beta3.InstanceObservation {
	o := reportedSettings(db)
	echoSpec(&o, p)
	observeConnectivity(&o, db)
	observeAttachments(&o, db)
	return o
}

// reportedSettings are the settings AWS reports as they are.
func reportedSettings(db types.DBInstance) v1beta3.InstanceObservation {
	return v1beta3.InstanceObservation{
		AllocatedStorage:                   floatPtr(db.AllocatedStorage),
		Arn:                                db.DBInstanceArn,
		AutoMinorVersionUpgrade:            db.AutoMinorVersionUpgrade,
		AvailabilityZone:                   db.AvailabilityZone,
		BackupRetentionPeriod:              floatPtr(db.BackupRetentionPeriod),
		BackupTarget:                       db.BackupTarget,
		BackupWindow:                       db.PreferredBackupWindow,
		CACertIdentifier:                   db.CACertificateIdentifier,
		CharacterSetName:                   db.CharacterSetName,
		CopyTagsToSnapshot:                 db.CopyTagsToSnapshot,
		CustomIAMInstanceProfile:           db.CustomIamInstanceProfile,
		CustomerOwnedIPEnabled:             db.CustomerOwnedIpEnabled,
		DBName:                             db.DBName,
		DatabaseInsightsMode:               nonEmpty(string(db.DatabaseInsightsMode)),
		DedicatedLogVolume:                 db.DedicatedLogVolume,
		DeletionProtection:                 db.DeletionProtection,
		EnabledCloudwatchLogsExports:       stringPtrs(db.EnabledCloudwatchLogsExports),
		Engine:                             db.Engine,
		EngineLifecycleSupport:             db.EngineLifecycleSupport,
		EngineVersionActual:                db.EngineVersion,
		IAMDatabaseAuthenticationEnabled:   db.IAMDatabaseAuthenticationEnabled,
		ID:                                 db.DbiResourceId,
		Identifier:                         db.DBInstanceIdentifier,
		InstanceClass:                      db.DBInstanceClass,
		Iops:                               floatPtr(db.Iops),
		KMSKeyID:                           db.KmsKeyId,
		LicenseModel:                       db.LicenseModel,
		MaintenanceWindow:                  db.PreferredMaintenanceWindow,
		ManageMasterUserPassword:           aws.Bool(db.MasterUserSecret != nil),
		MaxAllocatedStorage:                floatPtr(db.MaxAllocatedStorage),
		MonitoringInterval:                 floatPtr(db.MonitoringInterval),
		MonitoringRoleArn:                  db.MonitoringRoleArn,
		MultiAZ:                            db.MultiAZ,
		NcharCharacterSetName:              db.NcharCharacterSetName,
		NetworkType:                        db.NetworkType,
		PerformanceInsightsEnabled:         db.PerformanceInsightsEnabled,
		PerformanceInsightsKMSKeyID:        db.PerformanceInsightsKMSKeyId,
		PerformanceInsightsRetentionPeriod: floatPtr(db.PerformanceInsightsRetentionPeriod),
		PubliclyAccessible:                 db.PubliclyAccessible,
		ReplicaMode:                        nonEmpty(string(db.ReplicaMode)),
		Replicas:                           stringPtrs(db.ReadReplicaDBInstanceIdentifiers),
		ReplicateSourceDB:                  db.ReadReplicaSourceDBInstanceIdentifier,
		ResourceID:                         db.DbiResourceId,
		Status:                             db.DBInstanceStatus,
		StorageEncrypted:                   db.StorageEncrypted,
		StorageThroughput:                  floatPtr(db.StorageThroughput),
		StorageType:                        db.StorageType,
		TagsAll:                            rdstags.Map(db.TagList),
		Timezone:                           db.Timezone,
		UpgradeRolloutOrder:                nonEmpty(string(db.UpgradeRolloutOrder)),
		Username:                           db.MasterUsername,
	}
}

// echoSpec echoes the fields that only exist in the spec.
func echoSpec(o *v1beta3.InstanceObservation, p v1beta3.InstanceParameters) {
	o.AllowMajorVersionUpgrade = p.AllowMajorVersionUpgrade
	o.ApplyImmediately = p.ApplyImmediately
	o.BlueGreenUpdate = p.BlueGreenUpdate
	o.DeleteAutomatedBackups = p.DeleteAutomatedBackups
	o.EngineVersion = p.EngineVersion
	o.FinalSnapshotIdentifier = p.FinalSnapshotIdentifier
	o.IdentifierPrefix = p.IdentifierPrefix
	o.MasterUserSecretKMSKeyID = p.MasterUserSecretKMSKeyID
	o.PasswordWoVersion = p.PasswordWoVersion
	o.Region = p.Region
	o.RestoreToPointInTime = p.RestoreToPointInTime
	o.S3Import = p.S3Import
	o.SkipFinalSnapshot = p.SkipFinalSnapshot
	o.SnapshotIdentifier = p.SnapshotIdentifier
	o.Tags = p.Tags
	o.UpgradeStorageConfig = p.UpgradeStorageConfig
}

// observeConnectivity reports where clients connect.
func observeConnectivity(o *v1beta3.InstanceObservation, db types.DBInstance) {
	if db.Endpoint != nil {
		o.Address = db.Endpoint.Address
		o.HostedZoneID = db.Endpoint.HostedZoneId
		if db.Endpoint.Address != nil && db.Endpoint.Port != nil {
			o.Endpoint = aws.String(fmt.Sprintf("%s:%d", *db.Endpoint.Address, *db.Endpoint.Port))
		}
	}
	o.Port = floatPtr(observedPort(db))
	if db.ListenerEndpoint != nil {
		o.ListenerEndpoint = []v1beta3.ListenerEndpoint{{
			Address:      db.ListenerEndpoint.Address,
			HostedZoneID: db.ListenerEndpoint.HostedZoneId,
			Port:         floatPtr(db.ListenerEndpoint.Port),
		}}
	}
}

// observeAttachments reports what the DB instance uses and what waits for
// it: groups, its managed master secret, its domain, pending changes.
func observeAttachments(o *v1beta3.InstanceObservation, db types.DBInstance) {
	if db.LatestRestorableTime != nil {
		o.LatestRestorableTime = aws.String(db.LatestRestorableTime.UTC().Format(time.RFC3339))
	}
	if db.MasterUserSecret != nil {
		o.MasterUserSecret = []v1beta3.MasterUserSecret{{
			KMSKeyID:     db.MasterUserSecret.KmsKeyId,
			SecretArn:    db.MasterUserSecret.SecretArn,
			SecretStatus: db.MasterUserSecret.SecretStatus,
		}}
		o.MasterUserSecretKMSKeyID = db.MasterUserSecret.KmsKeyId
	}
	o.DBSubnetGroupName = observedSubnetGroup(db)
	o.ParameterGroupName = observedParameterGroup(db)
	o.OptionGroupName = observedOptionGroup(db)
	o.ParameterApplyStatus = parameterApplyStatus(db)
	o.PendingModifiedValues = PendingModifications(db)
	o.VPCSecurityGroupIDs = stringPtrs(observedVPCSecurityGroups(db))
	for _, d := range db.DomainMemberships {
		o.Domain, o.DomainFqdn, o.DomainOu, o.DomainIAMRoleName, o.DomainAuthSecretArn = d.Domain, d.FQDN, d.OU, d.IAMRoleName, d.AuthSecretArn
		o.DomainDNSIps = stringPtrs(d.DnsIps)
	}
}
