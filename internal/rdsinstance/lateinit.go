package rdsinstance

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// LateInitialize fills spec fields the user left unset with the values AWS
// chose, so that defaults are visible and not mistaken for drift. A field set
// in initProvider is left alone: the user asked for it to be applied at
// creation and never enforced. It reports whether anything was filled.
//
// Nothing is filled while the instance is being created: AWS has not settled
// its values yet (the endpoint and its port among them). Values AWS derives
// and changes by itself are never filled, so that they do not pin what AWS
// later changes: gp3 IOPS and throughput at their baseline (which grows with
// the volume), and the CA certificate (which AWS and operators rotate).
func LateInitialize(p *v1beta3.InstanceParameters, init v1beta3.InstanceInitParameters, db types.DBInstance) bool {
	if strings.EqualFold(aws.ToString(db.DBInstanceStatus), StatusCreating) {
		return false
	}
	li := lateInit{}
	iops, throughput := positive(db.Iops), positive(db.StorageThroughput)
	if baseIops, baseThroughput, gp3 := observedGP3Baseline(db); gp3 {
		iops, throughput = beyondBaseline(iops, baseIops), beyondBaseline(throughput, baseThroughput)
	}
	li.float(&p.AllocatedStorage, init.AllocatedStorage, db.AllocatedStorage)
	li.boolean(&p.AutoMinorVersionUpgrade, init.AutoMinorVersionUpgrade, db.AutoMinorVersionUpgrade)
	li.float(&p.BackupRetentionPeriod, init.BackupRetentionPeriod, db.BackupRetentionPeriod)
	li.str(&p.BackupWindow, init.BackupWindow, db.PreferredBackupWindow)
	li.boolean(&p.CopyTagsToSnapshot, init.CopyTagsToSnapshot, db.CopyTagsToSnapshot)
	li.str(&p.DBSubnetGroupName, init.DBSubnetGroupName, observedSubnetGroup(db))
	li.boolean(&p.DeletionProtection, init.DeletionProtection, db.DeletionProtection)
	li.str(&p.Engine, init.Engine, db.Engine)
	li.str(&p.EngineVersion, init.EngineVersion, db.EngineVersion)
	li.boolean(&p.IAMDatabaseAuthenticationEnabled, init.IAMDatabaseAuthenticationEnabled, db.IAMDatabaseAuthenticationEnabled)
	li.str(&p.InstanceClass, init.InstanceClass, db.DBInstanceClass)
	if p.IdentifierPrefix == nil && init.IdentifierPrefix == nil {
		li.str(&p.Identifier, init.Identifier, db.DBInstanceIdentifier)
	}
	li.float(&p.Iops, init.Iops, iops)
	li.str(&p.KMSKeyID, init.KMSKeyID, db.KmsKeyId)
	li.str(&p.LicenseModel, init.LicenseModel, db.LicenseModel)
	li.str(&p.MaintenanceWindow, init.MaintenanceWindow, db.PreferredMaintenanceWindow)
	li.float(&p.MonitoringInterval, init.MonitoringInterval, db.MonitoringInterval)
	li.boolean(&p.MultiAZ, init.MultiAZ, db.MultiAZ)
	li.str(&p.NetworkType, init.NetworkType, db.NetworkType)
	li.str(&p.OptionGroupName, init.OptionGroupName, nonDefaultGroup(observedOptionGroup(db)))
	li.str(&p.ParameterGroupName, init.ParameterGroupName, nonDefaultGroup(observedParameterGroup(db)))
	li.boolean(&p.PerformanceInsightsEnabled, init.PerformanceInsightsEnabled, db.PerformanceInsightsEnabled)
	li.float(&p.Port, init.Port, observedPort(db))
	li.boolean(&p.PubliclyAccessible, init.PubliclyAccessible, db.PubliclyAccessible)
	li.boolean(&p.StorageEncrypted, init.StorageEncrypted, db.StorageEncrypted)
	li.float(&p.StorageThroughput, init.StorageThroughput, throughput)
	li.str(&p.StorageType, init.StorageType, db.StorageType)
	li.str(&p.Username, init.Username, db.MasterUsername)
	li.str(&p.DBName, init.DBName, db.DBName)
	if len(p.VPCSecurityGroupIDs) == 0 && len(init.VPCSecurityGroupIDs) == 0 && len(db.VpcSecurityGroups) > 0 {
		p.VPCSecurityGroupIDs, li.changed = stringPtrs(observedVPCSecurityGroups(db)), true
	}
	return li.changed
}

type lateInit struct{ changed bool }

func (l *lateInit) str(spec **string, init, observed *string) {
	if *spec == nil && init == nil && aws.ToString(observed) != "" {
		*spec, l.changed = aws.String(*observed), true
	}
}

func (l *lateInit) boolean(spec **bool, init, observed *bool) {
	if *spec == nil && init == nil && observed != nil {
		*spec, l.changed = aws.Bool(*observed), true
	}
}

func (l *lateInit) float(spec **float64, init *float64, observed *int32) {
	if *spec == nil && init == nil && observed != nil {
		*spec, l.changed = floatPtr(observed), true
	}
}

// positive hides zero values AWS reports for settings that do not apply,
// such as IOPS of gp2 storage.
func positive(i *int32) *int32 {
	if i == nil || *i <= 0 {
		return nil
	}
	return i
}

// nonDefaultGroup hides AWS's default parameter and option groups
// (default.postgres16, default:postgres-16). They belong to one engine
// version: pinning one in the spec would block the next major upgrade, which
// must move to the next version's default group.
func nonDefaultGroup(name *string) *string {
	if n := aws.ToString(name); strings.HasPrefix(n, "default.") || strings.HasPrefix(n, "default:") {
		return nil
	}
	return name
}
