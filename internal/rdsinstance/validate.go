package rdsinstance

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// The values AWS accepts, as the CreateDBInstance API reference documents
// them, for what can be checked before asking AWS: a spec that breaks one
// of these rules would be refused, or would make a database other than the
// one asked for.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
var (
	instanceClassPattern = regexp.MustCompile(`^db\.[a-z0-9-]+\.[a-z0-9]+$`)
	namePattern          = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	backupWindowPattern  = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$`)
	maintenancePattern   = regexp.MustCompile(`^(?i)(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$`)

	engines = []string{
		"custom-oracle-ee", "custom-oracle-ee-cdb", "custom-oracle-se2", "custom-oracle-se2-cdb", "custom-sqlserver-ee",
		"custom-sqlserver-se", "custom-sqlserver-web", "custom-sqlserver-dev", "db2-ae", "db2-se", "mariadb", "mysql",
		"oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb", "postgres", "sqlserver-dev-ee", "sqlserver-ee",
		"sqlserver-ex", "sqlserver-se", "sqlserver-web",
	}
	licenseModels      = []string{"license-included", "bring-your-own-license", "general-public-license", "postgresql-license", "marketplace-license"}
	monitoringInterval = []float64{0, 1, 5, 10, 15, 30, 60}
)

// Validate returns what makes a spec unable to create the DB instance it
// describes, each naming its field and what AWS accepts; nothing for a
// spec AWS may accept. It looks at the values a creation uses (forProvider
// over initProvider) and never at an existing instance.
func Validate(p v1beta3.InstanceParameters, m CreationMethod) []string {
	v := validation{}
	engine := strings.ToLower(aws.ToString(p.Engine))
	v.identity(p, m, engine)
	v.storageSettings(p, m, engine)
	v.settings(p, engine)
	if m == CreateEmpty {
		v.dbName(engine, aws.ToString(p.DBName))
		v.username(engine, aws.ToString(p.Username))
	}
	for k, val := range p.Tags {
		if len(k) == 0 || len(k) > 128 || len(aws.ToString(val)) > 256 {
			v.add("tag %q: keys are 1 to 128 characters and values at most 256", truncate(k, 40))
		}
	}
	return v.problems
}

// identity checks what the DB instance is: its class, identifier and
// engine.
func (v *validation) identity(p v1beta3.InstanceParameters, m CreationMethod, engine string) {
	if c := aws.ToString(p.InstanceClass); c != "" && !instanceClassPattern.MatchString(c) {
		v.add("instanceClass %q is not a DB instance class: db.<family>.<size>, such as db.t3.micro", c)
	}
	if p.Identifier != nil && p.IdentifierPrefix != nil {
		v.add("identifier and identifierPrefix are both set: set one of them")
	}
	switch {
	case engine == "" && (m == CreateEmpty || m == CreateFromS3):
		v.add("engine is required to create a DB instance")
	case engine != "" && !slices.Contains(engines, engine):
		v.add("engine %q is not an RDS engine: one of %s", engine, strings.Join(engines, ", "))
	case engine != "":
		v.engineVersion(engine, aws.ToString(p.EngineVersion))
	}
	if m == CreateFromS3 && engine != "" && engine != "mysql" {
		v.add("s3Import restores MySQL backups only, and engine is %q", engine)
	}
}

// storageSettings checks storage: its size, type, IOPS and throughput.
func (v *validation) storageSettings(p v1beta3.InstanceParameters, m CreationMethod, engine string) {
	if m == CreateEmpty || m == CreateFromS3 {
		v.storage(engine, p)
	}
	if t := strings.ToLower(aws.ToString(p.StorageType)); p.Iops != nil && t != "io1" && t != "io2" && t != "gp3" {
		v.add("iops is set, and storageType %q has no provisioned IOPS: use io1, io2 or gp3", cmp.Or(t, "gp2"))
	}
	if t := strings.ToLower(aws.ToString(p.StorageType)); p.StorageThroughput != nil && t != "gp3" {
		v.add("storageThroughput is set, and only gp3 storage has a throughput setting (storageType is %q)", cmp.Or(t, "gp2"))
	}
	if iops, throughput, gp3 := specGP3Baseline(p); gp3 {
		for _, r := range gp3Refusals(engine, aws.ToInt32(int32Ptr(p.AllocatedStorage)), p, iops, throughput) {
			v.add("%s", r)
		}
	}
	if p.MaxAllocatedStorage != nil && p.AllocatedStorage != nil && *p.MaxAllocatedStorage != 0 && *p.MaxAllocatedStorage <= *p.AllocatedStorage {
		v.add("maxAllocatedStorage (%g) must be greater than allocatedStorage (%g), or 0 to turn storage autoscaling off", *p.MaxAllocatedStorage, *p.AllocatedStorage)
	}
}

// settings checks ranges, windows, the license model and placement.
func (v *validation) settings(p v1beta3.InstanceParameters, engine string) {
	v.between("backupRetentionPeriod", p.BackupRetentionPeriod, 0, 35)
	v.between("port", p.Port, 1150, 65535)
	if p.MonitoringInterval != nil && !slices.Contains(monitoringInterval, *p.MonitoringInterval) {
		v.add("monitoringInterval %g is not one of 0, 1, 5, 10, 15, 30, 60 seconds", *p.MonitoringInterval)
	}
	if d := p.PerformanceInsightsRetentionPeriod; d != nil && !validRetention(*d) {
		v.add("performanceInsightsRetentionPeriod %g is not 7, 731, or a number of months times 31 (31, 62, ... 713) days", *d)
	}
	v.windows(p)
	if l := strings.ToLower(aws.ToString(p.LicenseModel)); l != "" && !slices.Contains(licenseModels, l) {
		v.add("licenseModel %q is not one of %s", l, strings.Join(licenseModels, ", "))
	}
	if aws.ToBool(p.MultiAZ) && aws.ToString(p.AvailabilityZone) != "" {
		v.add("availabilityZone is set with multiAz: AWS places a Multi-AZ instance's standby itself; leave availabilityZone unset")
	}
	if aws.ToString(p.Timezone) != "" && engine != "" && !strings.Contains(engine, "sqlserver") {
		v.add("timezone is a setting of SQL Server only, and engine is %q", engine)
	}
}

// windows checks the backup and maintenance windows' syntax.
func (v *validation) windows(p v1beta3.InstanceParameters) {
	if w := aws.ToString(p.BackupWindow); w != "" && !backupWindowPattern.MatchString(w) {
		v.add("backupWindow %q is not hh24:mi-hh24:mi in UTC, such as 03:00-04:00", w)
	}
	if w := aws.ToString(p.MaintenanceWindow); w != "" && !maintenancePattern.MatchString(w) {
		v.add("maintenanceWindow %q is not ddd:hh24:mi-ddd:hh24:mi in UTC, such as sun:05:00-sun:06:00", w)
	}
}

type validation struct{ problems []string }

func (v *validation) add(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validation) between(field string, value *float64, low, high float64) {
	if value != nil && (*value < low || *value > high || *value != math.Trunc(*value)) {
		v.add("%s %g is not a whole number from %g to %g", field, *value, low, high)
	}
}

// engineVersion checks that a version belongs to the engine: a PostgreSQL
// version given to MySQL is a mistake AWS answers only at creation.
func (v *validation) engineVersion(engine, version string) {
	if version == "" {
		return
	}
	major := majorVersion(engine, version)
	ok := true
	switch engine {
	case "postgres":
		n, err := strconv.Atoi(strings.SplitN(version, ".", 2)[0])
		ok = err == nil && n >= 11 && n <= 30
	case "mysql":
		ok = major == "5.7" || major == "8.0" || major == "8.4" || strings.HasPrefix(major, "9.")
	case "mariadb":
		ok = strings.HasPrefix(major, "10.") || strings.HasPrefix(major, "11.")
	}
	if !ok {
		v.add("engineVersion %q is not a version of %s", version, engine)
	}
}

// storage checks allocatedStorage against the engine's range for the
// storage type.
func (v *validation) storage(engine string, p v1beta3.InstanceParameters) {
	if p.AllocatedStorage == nil {
		v.add("allocatedStorage is required to create a DB instance")
		return
	}
	gib := *p.AllocatedStorage
	t := strings.ToLower(cmp.Or(aws.ToString(p.StorageType), "gp2"))
	low, high := 20.0, 65536.0
	switch t {
	case "standard":
		low, high = 5, 3072
		if strings.HasPrefix(engine, "oracle") {
			low = 10
		}
	case "io1", "io2":
		low = 100
	}
	if strings.HasPrefix(engine, "sqlserver") {
		high = 16384
		if t == "standard" {
			high = 1024
		}
	}
	if gib < low || gib > high || gib != math.Trunc(gib) {
		v.add("allocatedStorage %g GiB is outside what %s on %s storage takes: %g to %g GiB", gib, cmp.Or(engine, "the engine"), t, low, high)
	}
}

func (v *validation) dbName(engine, name string) {
	switch {
	case name == "":
	case strings.HasPrefix(engine, "sqlserver"):
		v.add("dbName must be left unset for SQL Server, which creates no database with the instance")
	case len(name) > 64 || !namePattern.MatchString(name):
		v.add("dbName %q is not a database name: 1 to 64 letters, digits or underscores, starting with a letter", truncate(name, 70))
	}
}

func (v *validation) username(engine, user string) {
	limit := 63
	if engine == "mysql" || engine == "mariadb" {
		limit = 16
	}
	switch {
	case user == "":
	case strings.EqualFold(user, "rdsadmin"):
		v.add("username %q is reserved by RDS", user)
	case len(user) > limit || !namePattern.MatchString(user):
		v.add("username %q is not a master user name for %s: 1 to %d letters, digits or underscores, starting with a letter", truncate(user, 70), cmp.Or(engine, "this engine"), limit)
	}
}

// validRetention reports whether Performance Insights keeps data for this
// many days: 7 (the free tier), 731, or whole months of 31 days.
func validRetention(days float64) bool {
	if days == 7 || days == 731 {
		return true
	}
	return days >= 31 && days <= 713 && math.Mod(days, 31) == 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
