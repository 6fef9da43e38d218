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
	o := v1beta3.InstanceObservation{
		AllocatedStorage:                   floatPtr(db.AllocatedStorage),
		AllowMajorVersionUpgrade:           p.AllowMajorVersionUpgrade,
		ApplyImmediately:                   p.ApplyImmediately,
		Arn:                                db.DBInstanceArn,
		AutoMinorVersionUpgrade:            db.AutoMinorVersionUpgrade,
		AvailabilityZone:                   db.AvailabilityZone,
		BackupRetentionPeriod:              floatPtr(db.BackupRetentionPeriod),
		BackupTarget:                       db.BackupTarget,
		BackupWindow:                       db.PreferredBackupWindow,
		BlueGreenUpdate:                    p.BlueGreenUpdate,
		CACertIdentifier:                   db.CACertificateIdentifier,
		CharacterSetName:                   db.CharacterSetName,
		CopyTagsToSnapshot:                 db.CopyTagsToSnapshot,
		CustomIAMInstanceProfile:           db.CustomIamInstanceProfile,
		CustomerOwnedIPEnabled:             db.CustomerOwnedIpEnabled,
		DBName:                             db.DBName,
		DatabaseInsightsMode:               nonEmpty(string(db.DatabaseInsightsMode)),
		DedicatedLogVolume:                 db.DedicatedLogVolume,
		DeleteAutomatedBackups:             p.DeleteAutomatedBackups,
		DeletionProtection:                 db.DeletionProtection,
		EnabledCloudwatchLogsExports:       stringPtrs(db.EnabledCloudwatchLogsExports),
		Engine:                             db.Engine,
		EngineLifecycleSupport:             db.EngineLifecycleSupport,
		EngineVersion:                      p.EngineVersion,
		EngineVersionActual:                db.EngineVersion,
		FinalSnapshotIdentifier:            p.FinalSnapshotIdentifier,
		IAMDatabaseAuthenticationEnabled:   db.IAMDatabaseAuthenticationEnabled,
		ID:                                 db.DbiResourceId,
		Identifier:                         db.DBInstanceIdentifier,
		IdentifierPrefix:                   p.IdentifierPrefix,
		InstanceClass:                      db.DBInstanceClass,
		Iops:                               floatPtr(db.Iops),
		KMSKeyID:                           db.KmsKeyId,
		LicenseModel:                       db.LicenseModel,
		MaintenanceWindow:                  db.PreferredMaintenanceWindow,
		ManageMasterUserPassword:           aws.Bool(db.MasterUserSecret != nil),
		MasterUserSecretKMSKeyID:           p.MasterUserSecretKMSKeyID,
		MaxAllocatedStorage:                floatPtr(db.MaxAllocatedStorage),
		MonitoringInterval:                 floatPtr(db.MonitoringInterval),
		MonitoringRoleArn:                  db.MonitoringRoleArn,
		MultiAZ:                            db.MultiAZ,
		NcharCharacterSetName:              db.NcharCharacterSetName,
		NetworkType:                        db.NetworkType,
		PasswordWoVersion:                  p.PasswordWoVersion,
		PerformanceInsightsEnabled:         db.PerformanceInsightsEnabled,
		PerformanceInsightsKMSKeyID:        db.PerformanceInsightsKMSKeyId,
		PerformanceInsightsRetentionPeriod: floatPtr(db.PerformanceInsightsRetentionPeriod),
		PubliclyAccessible:                 db.PubliclyAccessible,
		Region:                             p.Region,
		ReplicaMode:                        nonEmpty(string(db.ReplicaMode)),
		Replicas:                           stringPtrs(db.ReadReplicaDBInstanceIdentifiers),
		ReplicateSourceDB:                  db.ReadReplicaSourceDBInstanceIdentifier,
		ResourceID:                         db.DbiResourceId,
		RestoreToPointInTime:               p.RestoreToPointInTime,
		S3Import:                           p.S3Import,
		SkipFinalSnapshot:                  p.SkipFinalSnapshot,
		SnapshotIdentifier:                 p.SnapshotIdentifier,
		Status:                             db.DBInstanceStatus,
		StorageEncrypted:                   db.StorageEncrypted,
		StorageThroughput:                  floatPtr(db.StorageThroughput),
		StorageType:                        db.StorageType,
		Tags:                               p.Tags,
		TagsAll:                            rdstags.Map(db.TagList),
		Timezone:                           db.Timezone,
		UpgradeRolloutOrder:                nonEmpty(string(db.UpgradeRolloutOrder)),
		UpgradeStorageConfig:               p.UpgradeStorageConfig,
		Username:                           db.MasterUsername,
	}
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
	return o
}
