package rdsinstance

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

// ImportParameters returns the forProvider of a manifest that describes a
// DB instance as it is, as a person would write it: what AWS reports (the
// fields late-initialisation fills, and those it leaves to the user),
// without the values AWS gives when a create leaves them out. Applied,
// such a spec differs from the DB instance in nothing Diff compares.
func ImportParameters(db types.DBInstance, region string) v1beta3.InstanceParameters {
	p := v1beta3.InstanceParameters{Region: aws.String(region)}
	// Late-initialisation waits for a DB instance being created to settle;
	// an import takes what AWS reports now.
	settled := db
	settled.DBInstanceStatus = aws.String(StatusAvailable)
	LateInitialize(&p, v1beta3.InstanceInitParameters{}, settled)
	// The external name names the DB instance.
	p.Identifier = nil
	if v := positive(db.MaxAllocatedStorage); v != nil {
		p.MaxAllocatedStorage = floatPtr(v)
	}
	if aws.ToBool(db.PerformanceInsightsEnabled) {
		p.PerformanceInsightsRetentionPeriod = floatPtr(positive(db.PerformanceInsightsRetentionPeriod))
	}
	if arn := aws.ToString(db.MonitoringRoleArn); arn != "" {
		p.MonitoringRoleArn = aws.String(arn)
	}
	if len(db.EnabledCloudwatchLogsExports) > 0 {
		p.EnabledCloudwatchLogsExports = stringPtrs(db.EnabledCloudwatchLogsExports)
	}
	if src := aws.ToString(db.ReadReplicaSourceDBInstanceIdentifier); src != "" {
		p.ReplicateSourceDB = aws.String(src)
	}
	p.Tags = UserTags(db.TagList)
	withoutDefaults(&p)
	return p
}

// UserTags are an RDS resource's tags but AWS's and Crossplane's ownership
// tags, which the provider writes itself.
func UserTags(tags []types.Tag) map[string]*string {
	out := rdstags.Map(tags)
	for k := range out {
		if rdstags.Reserved(k) || ownershipTag(k) {
			delete(out, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func ownershipTag(key string) bool {
	switch key {
	case resource.ExternalResourceTagKeyKind, resource.ExternalResourceTagKeyName, resource.ExternalResourceTagKeyProvider, resource.ExternalResourceTagKeyNamespace:
		return true
	}
	return false
}

// withoutDefaults leaves out the values CreateDBInstance gives to what it
// is not told, so that the manifest says only what was chosen:
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
// Backup and maintenance windows AWS picks at random are left out too,
// and so are the default subnet group and the engine's default port and
// license model.
func withoutDefaults(p *v1beta3.InstanceParameters) {
	engine := strings.ToLower(aws.ToString(p.Engine))
	dropBool(&p.AutoMinorVersionUpgrade, true)
	dropBool(&p.CopyTagsToSnapshot, false)
	dropBool(&p.DeletionProtection, false)
	dropBool(&p.IAMDatabaseAuthenticationEnabled, false)
	dropBool(&p.MultiAZ, false)
	dropBool(&p.PerformanceInsightsEnabled, false)
	dropBool(&p.PubliclyAccessible, false)
	dropBool(&p.StorageEncrypted, false)
	dropFloat(&p.BackupRetentionPeriod, 1)
	dropFloat(&p.MonitoringInterval, 0)
	if port, ok := defaultPorts[engineFamily(engine)]; ok {
		dropFloat(&p.Port, port)
	}
	if license, ok := defaultLicenses[engineFamily(engine)]; ok && strings.EqualFold(aws.ToString(p.LicenseModel), license) {
		p.LicenseModel = nil
	}
	if strings.EqualFold(aws.ToString(p.NetworkType), "IPV4") {
		p.NetworkType = nil
	}
	if strings.EqualFold(aws.ToString(p.DBSubnetGroupName), "default") {
		p.DBSubnetGroupName = nil
	}
	p.BackupWindow, p.MaintenanceWindow = nil, nil
}

// engineFamily is an engine's family for its defaults: mysql, mariadb,
// postgres, oracle, sqlserver or db2.
func engineFamily(engine string) string {
	for _, f := range []string{"postgres", "mariadb", "mysql", "oracle", "sqlserver", "db2"} {
		if strings.Contains(engine, f) {
			return f
		}
	}
	return engine
}

var (
	defaultPorts    = map[string]float64{"mysql": 3306, "mariadb": 3306, "postgres": 5432, "oracle": 1521, "sqlserver": 1433, "db2": 50000}
	defaultLicenses = map[string]string{"mysql": "general-public-license", "mariadb": "general-public-license", "postgres": "postgresql-license"}
)

func dropBool(v **bool, def bool) {
	if *v != nil && **v == def {
		*v = nil
	}
}

func dropFloat(v **float64, def float64) {
	if *v != nil && **v == def {
		*v = nil
	}
}
