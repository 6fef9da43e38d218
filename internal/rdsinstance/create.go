package rdsinstance

import (
	"cmp"
	"reflect"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// Credentials are the master user credentials a DB instance is created with.
// Password is empty when AWS manages the password or the instance inherits
// its credentials (replicas, restores).
type Credentials struct {
	Username string
	Password string
}

// DBName returns the database name of the spec. (v1beta1's legacy spelling
// name arrives here as dbName, by conversion.)
func DBName(p v1beta3.InstanceParameters) *string {
	return p.DBName
}

// CreateInput returns the CreateDBInstance input for a new, empty DB instance.
func CreateInput(id string, p v1beta3.InstanceParameters, c Credentials, tags []types.Tag) *rds.CreateDBInstanceInput {
	in := &rds.CreateDBInstanceInput{
		DBInstanceIdentifier:               aws.String(id),
		DBInstanceClass:                    p.InstanceClass,
		Engine:                             p.Engine,
		EngineVersion:                      p.EngineVersion,
		AllocatedStorage:                   int32Ptr(p.AllocatedStorage),
		AutoMinorVersionUpgrade:            p.AutoMinorVersionUpgrade,
		AvailabilityZone:                   p.AvailabilityZone,
		BackupRetentionPeriod:              int32Ptr(p.BackupRetentionPeriod),
		BackupTarget:                       p.BackupTarget,
		CACertificateIdentifier:            p.CACertIdentifier,
		CharacterSetName:                   p.CharacterSetName,
		CopyTagsToSnapshot:                 p.CopyTagsToSnapshot,
		CustomIamInstanceProfile:           p.CustomIAMInstanceProfile,
		DBName:                             DBName(p),
		DBParameterGroupName:               p.ParameterGroupName,
		DBSubnetGroupName:                  p.DBSubnetGroupName,
		DatabaseInsightsMode:               types.DatabaseInsightsMode(aws.ToString(p.DatabaseInsightsMode)),
		DedicatedLogVolume:                 p.DedicatedLogVolume,
		DeletionProtection:                 p.DeletionProtection,
		Domain:                             p.Domain,
		DomainAuthSecretArn:                p.DomainAuthSecretArn,
		DomainDnsIps:                       stringValues(p.DomainDNSIps),
		DomainFqdn:                         p.DomainFqdn,
		DomainIAMRoleName:                  p.DomainIAMRoleName,
		DomainOu:                           p.DomainOu,
		EnableCloudwatchLogsExports:        stringValues(p.EnabledCloudwatchLogsExports),
		EnableCustomerOwnedIp:              p.CustomerOwnedIPEnabled,
		EnableIAMDatabaseAuthentication:    p.IAMDatabaseAuthenticationEnabled,
		EnablePerformanceInsights:          p.PerformanceInsightsEnabled,
		EngineLifecycleSupport:             p.EngineLifecycleSupport,
		Iops:                               provisionedIops(p),
		KmsKeyId:                           p.KMSKeyID,
		LicenseModel:                       p.LicenseModel,
		ManageMasterUserPassword:           p.ManageMasterUserPassword,
		MasterUserSecretKmsKeyId:           p.MasterUserSecretKMSKeyID,
		MasterUsername:                     nonEmpty(c.Username),
		MasterUserPassword:                 nonEmpty(c.Password),
		MaxAllocatedStorage:                int32Ptr(p.MaxAllocatedStorage),
		MonitoringInterval:                 int32Ptr(p.MonitoringInterval),
		MonitoringRoleArn:                  p.MonitoringRoleArn,
		MultiAZ:                            p.MultiAZ,
		NcharCharacterSetName:              p.NcharCharacterSetName,
		NetworkType:                        p.NetworkType,
		OptionGroupName:                    p.OptionGroupName,
		PerformanceInsightsKMSKeyId:        p.PerformanceInsightsKMSKeyID,
		PerformanceInsightsRetentionPeriod: int32Ptr(p.PerformanceInsightsRetentionPeriod),
		Port:                               int32Ptr(p.Port),
		PreferredBackupWindow:              p.BackupWindow,
		PreferredMaintenanceWindow:         p.MaintenanceWindow,
		PubliclyAccessible:                 p.PubliclyAccessible,
		StorageEncrypted:                   p.StorageEncrypted,
		StorageThroughput:                  provisionedThroughput(p),
		StorageType:                        p.StorageType,
		Tags:                               tags,
		Timezone:                           p.Timezone,
		VpcSecurityGroupIds:                stringValues(p.VPCSecurityGroupIDs),
	}
	return in
}

// RestoreFromSnapshotInput returns the RestoreDBInstanceFromDBSnapshot input
// for a spec with snapshotIdentifier. The snapshot supplies engine, storage
// and master user; fields the restore cannot set are applied afterwards by
// the usual drift correction.
func RestoreFromSnapshotInput(id string, p v1beta3.InstanceParameters, tags []types.Tag) *rds.RestoreDBInstanceFromDBSnapshotInput {
	in := &rds.RestoreDBInstanceFromDBSnapshotInput{DBSnapshotIdentifier: p.SnapshotIdentifier}
	sharedFields(CreateInput(id, p, Credentials{}, tags), in, withheld[CreateFromSnapshot])
	return in
}

// RestoreToPointInTimeInput returns the RestoreDBInstanceToPointInTime input
// for a spec with restoreToPointInTime.
func RestoreToPointInTimeInput(id string, p v1beta3.InstanceParameters, tags []types.Tag) (*rds.RestoreDBInstanceToPointInTimeInput, error) {
	r := *p.RestoreToPointInTime
	in := &rds.RestoreDBInstanceToPointInTimeInput{
		TargetDBInstanceIdentifier:          aws.String(id),
		SourceDBInstanceIdentifier:          r.SourceDBInstanceIdentifier,
		SourceDBInstanceAutomatedBackupsArn: r.SourceDBInstanceAutomatedBackupsArn,
		SourceDbiResourceId:                 r.SourceDbiResourceID,
		UseLatestRestorableTime:             r.UseLatestRestorableTime,
	}
	sharedFields(CreateInput(id, p, Credentials{}, tags), in, withheld[CreateFromPointInTime])
	if r.RestoreTime != nil {
		t, err := time.Parse(time.RFC3339, *r.RestoreTime)
		if err != nil {
			return nil, errors.Errorf("restoreToPointInTime.restoreTime %q is not an RFC 3339 time", *r.RestoreTime)
		}
		in.RestoreTime = &t
	}
	return in, nil
}

// ReadReplicaInput returns the CreateDBInstanceReadReplica input for a spec
// with replicateSourceDb. A replica inherits engine, storage encryption and
// master user from its source.
func ReadReplicaInput(id string, p v1beta3.InstanceParameters, tags []types.Tag) *rds.CreateDBInstanceReadReplicaInput {
	in := &rds.CreateDBInstanceReadReplicaInput{
		SourceDBInstanceIdentifier: p.ReplicateSourceDB,
		ReplicaMode:                types.ReplicaMode(aws.ToString(p.ReplicaMode)),
	}
	sharedFields(CreateInput(id, p, Credentials{}, tags), in, withheld[CreateReadReplica])
	return in
}

// S3ImportInput returns the RestoreDBInstanceFromS3 input for a spec with
// s3Import.
func S3ImportInput(id string, p v1beta3.InstanceParameters, c Credentials, tags []types.Tag) *rds.RestoreDBInstanceFromS3Input {
	s := *p.S3Import
	in := &rds.RestoreDBInstanceFromS3Input{
		S3BucketName:        s.BucketName,
		S3Prefix:            s.BucketPrefix,
		S3IngestionRoleArn:  s.IngestionRole,
		SourceEngine:        s.SourceEngine,
		SourceEngineVersion: s.SourceEngineVersion,
	}
	sharedFields(CreateInput(id, p, c, tags), in, withheld[CreateFromS3])
	return in
}

// withheld are, by create call, the fields of the CreateDBInstance request
// that the call also takes and that it is not sent: the DB instance comes
// from a source, and drift correction applies the spec's values once it
// exists, as the usual modification of an existing DB instance.
var withheld = map[CreationMethod][]string{
	CreateFromSnapshot: {"BackupRetentionPeriod", "ManageMasterUserPassword", "MasterUserSecretKmsKeyId", "PreferredBackupWindow"},
	CreateFromPointInTime: {
		"BackupRetentionPeriod", "CACertificateIdentifier", "DomainAuthSecretArn", "DomainDnsIps", "DomainFqdn", "DomainIAMRoleName", "DomainOu",
		"EngineLifecycleSupport", "ManageMasterUserPassword", "MasterUserSecretKmsKeyId", "MaxAllocatedStorage", "PreferredBackupWindow",
	},
	CreateReadReplica: {"DomainAuthSecretArn", "DomainDnsIps", "DomainFqdn", "DomainIAMRoleName", "DomainOu"},
}

// sharedFields copies into the input of another create call the fields of
// the CreateDBInstance request it also takes, under the same name and
// type, but those withheld: the spec's create-time settings are mapped
// once, in CreateInput.
func sharedFields(from *rds.CreateDBInstanceInput, to any, withheld []string) {
	src, dst := reflect.ValueOf(from).Elem(), reflect.ValueOf(to).Elem()
	for i := range src.NumField() {
		f := src.Type().Field(i)
		if !f.IsExported() || slices.Contains(withheld, f.Name) {
			continue
		}
		if d := dst.FieldByName(f.Name); d.IsValid() && d.CanSet() && d.Type() == f.Type && d.IsZero() {
			d.Set(src.Field(i))
		}
	}
}

// CreationMethod says which RDS API creates the DB instance of a spec.
type CreationMethod string

// Creation methods.
const (
	CreateEmpty           CreationMethod = "CreateDBInstance"
	CreateFromSnapshot    CreationMethod = "RestoreDBInstanceFromDBSnapshot"
	CreateFromPointInTime CreationMethod = "RestoreDBInstanceToPointInTime"
	CreateReadReplica     CreationMethod = "CreateDBInstanceReadReplica"
	CreateFromS3          CreationMethod = "RestoreDBInstanceFromS3"
)

// MethodFor returns the creation method of a spec. At most one source may be
// set; more than one is an error rather than a silent pick.
func MethodFor(p v1beta3.InstanceParameters) (CreationMethod, error) {
	var set []CreationMethod
	if aws.ToString(p.SnapshotIdentifier) != "" {
		set = append(set, CreateFromSnapshot)
	}
	if p.RestoreToPointInTime != nil {
		set = append(set, CreateFromPointInTime)
	}
	if aws.ToString(p.ReplicateSourceDB) != "" {
		set = append(set, CreateReadReplica)
	}
	if p.S3Import != nil {
		set = append(set, CreateFromS3)
	}
	switch len(set) {
	case 0:
		return CreateEmpty, nil
	case 1:
		return set[0], nil
	default:
		return "", errors.New("at most one of snapshotIdentifier, restoreToPointInTime, replicateSourceDb and s3Import may be set")
	}
}

// Restores reports whether a method restores a snapshot or a point in
// time, whose calls take no master password: the DB instance has its
// source's until one is set.
func (m CreationMethod) Restores() bool {
	return m == CreateFromSnapshot || m == CreateFromPointInTime
}

// InheritsCredentials reports whether a creation method takes the master
// user from its source, so that the provider must not invent one.
func (m CreationMethod) InheritsCredentials() bool {
	return m == CreateReadReplica || m == CreateFromSnapshot || m == CreateFromPointInTime
}

// CreationSource names what a spec restores or imports its DB instance
// from, for telling later whether it changed: "snapshot <id>",
// "point in time of <source> at <time>", "S3 backup s3://bucket/prefix", or
// "nothing" for an empty DB instance (and a read replica, whose source
// replication compares). RDS uses these fields only when it creates the DB
// instance.
func CreationSource(p v1beta3.InstanceParameters) string {
	switch {
	case aws.ToString(p.SnapshotIdentifier) != "":
		return "snapshot " + *p.SnapshotIdentifier
	case p.RestoreToPointInTime != nil:
		r := p.RestoreToPointInTime
		source := cmp.Or(aws.ToString(r.SourceDBInstanceIdentifier), aws.ToString(r.SourceDbiResourceID), aws.ToString(r.SourceDBInstanceAutomatedBackupsArn))
		at := aws.ToString(r.RestoreTime)
		if aws.ToBool(r.UseLatestRestorableTime) || at == "" {
			at = "the latest restorable time"
		}
		return "point in time of " + source + " at " + at
	case p.S3Import != nil:
		return "S3 backup s3://" + aws.ToString(p.S3Import.BucketName) + "/" + aws.ToString(p.S3Import.BucketPrefix)
	}
	return "nothing"
}

// CreateRequest returns the input of the call that creates the DB instance
// of a spec by a method: a *rds.CreateDBInstanceInput, or the input of the
// restore, replica or import call. The controller sends it; the plan
// command shows it.
func CreateRequest(m CreationMethod, id string, p v1beta3.InstanceParameters, c Credentials, tags []types.Tag) (any, error) {
	switch m {
	case CreateEmpty:
		return CreateInput(id, p, c, tags), nil
	case CreateFromSnapshot:
		return RestoreFromSnapshotInput(id, p, tags), nil
	case CreateFromPointInTime:
		return RestoreToPointInTimeInput(id, p, tags)
	case CreateReadReplica:
		return ReadReplicaInput(id, p, tags), nil
	case CreateFromS3:
		return S3ImportInput(id, p, c, tags), nil
	}
	return nil, errors.Errorf("unknown creation method %q", m)
}
