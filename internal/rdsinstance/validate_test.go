package rdsinstance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

func TestValidate(t *testing.T) {
	valid := func(mods ...func(*v1beta3.InstanceParameters)) v1beta3.InstanceParameters {
		p := v1beta3.InstanceParameters{Engine: aws.String("postgres"), EngineVersion: aws.String("16.2"), InstanceClass: aws.String("db.t3.micro"), AllocatedStorage: aws.Float64(20)}
		for _, m := range mods {
			m(&p)
		}
		return p
	}
	cases := map[string]struct {
		p      v1beta3.InstanceParameters
		method CreationMethod
		want   string
	}{
		"Valid": {p: valid()},
		"ValidGp3": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.StorageType, p.AllocatedStorage, p.Iops, p.StorageThroughput = aws.String("gp3"), aws.Float64(400), aws.Float64(12000), aws.Float64(500)
		})},
		"Gp3BaselineBelowThreshold": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.StorageType, p.AllocatedStorage, p.Iops, p.StorageThroughput = aws.String("gp3"), aws.Float64(100), aws.Float64(3000), aws.Float64(125)
		})},
		"Gp3IopsBelowThreshold": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.StorageType, p.AllocatedStorage, p.Iops = aws.String("gp3"), aws.Float64(100), aws.Float64(6000)
		}), want: "iops 6000: gp3 storage of postgres under 400 GiB has the baseline 3,000 IOPS and 125 MiB/s, and RDS accepts no other value; set allocatedStorage to 400 or more, or leave iops out"},
		"Gp3ThroughputSQLServer": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Engine, p.EngineVersion, p.LicenseModel = aws.String("sqlserver-ex"), nil, aws.String("license-included")
			p.StorageType, p.AllocatedStorage, p.StorageThroughput = aws.String("gp3"), aws.Float64(100), aws.Float64(500)
		})},
		"ValidReplica":   {p: v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.large")}, method: CreateReadReplica},
		"ValidRetention": {p: valid(func(p *v1beta3.InstanceParameters) { p.PerformanceInsightsRetentionPeriod = aws.Float64(93) })},
		"ValidSQLServer": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Engine, p.EngineVersion, p.Timezone = aws.String("sqlserver-ex"), nil, aws.String("UTC")
		})},
		"ValidMaintenance": {p: valid(func(p *v1beta3.InstanceParameters) { p.MaintenanceWindow = aws.String("Sun:05:00-Sun:06:00") })},
		"InstanceClass":    {p: valid(func(p *v1beta3.InstanceParameters) { p.InstanceClass = aws.String("t3.micro") }), want: `instanceClass "t3.micro" is not a DB instance class`},
		"Engine":           {p: valid(func(p *v1beta3.InstanceParameters) { p.Engine = aws.String("postgresql") }), want: `engine "postgresql" is not an RDS engine`},
		"NoEngine":         {p: valid(func(p *v1beta3.InstanceParameters) { p.Engine = nil }), want: "engine is required"},
		"VersionOfOther":   {p: valid(func(p *v1beta3.InstanceParameters) { p.EngineVersion = aws.String("8.0.35") }), want: `engineVersion "8.0.35" is not a version of postgres`},
		"StorageSmall":     {p: valid(func(p *v1beta3.InstanceParameters) { p.AllocatedStorage = aws.Float64(10) }), want: "allocatedStorage 10 GiB is outside what postgres on gp2 storage takes: 20 to 65536 GiB"},
		"StorageIo1":       {p: valid(func(p *v1beta3.InstanceParameters) { p.StorageType, p.Iops = aws.String("io1"), aws.Float64(1000) }), want: "io1 storage takes: 100 to 65536"},
		"StorageSQLServer": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Engine, p.EngineVersion, p.AllocatedStorage = aws.String("sqlserver-se"), nil, aws.Float64(20000)
		}), want: "20 to 16384"},
		"IopsOnGp2":         {p: valid(func(p *v1beta3.InstanceParameters) { p.Iops = aws.Float64(3000) }), want: `storageType "gp2" has no provisioned IOPS`},
		"ThroughputNotGp3":  {p: valid(func(p *v1beta3.InstanceParameters) { p.StorageThroughput = aws.Float64(125) }), want: "only gp3 storage has a throughput setting"},
		"MaxStorage":        {p: valid(func(p *v1beta3.InstanceParameters) { p.MaxAllocatedStorage = aws.Float64(20) }), want: "maxAllocatedStorage (20) must be greater than allocatedStorage (20)"},
		"Retention":         {p: valid(func(p *v1beta3.InstanceParameters) { p.BackupRetentionPeriod = aws.Float64(36) }), want: "backupRetentionPeriod 36 is not a whole number from 0 to 35"},
		"Port":              {p: valid(func(p *v1beta3.InstanceParameters) { p.Port = aws.Float64(80) }), want: "port 80"},
		"Monitoring":        {p: valid(func(p *v1beta3.InstanceParameters) { p.MonitoringInterval = aws.Float64(7) }), want: "monitoringInterval 7"},
		"PIRetention":       {p: valid(func(p *v1beta3.InstanceParameters) { p.PerformanceInsightsRetentionPeriod = aws.Float64(100) }), want: "performanceInsightsRetentionPeriod 100"},
		"BackupWindow":      {p: valid(func(p *v1beta3.InstanceParameters) { p.BackupWindow = aws.String("3am-4am") }), want: `backupWindow "3am-4am"`},
		"MaintenanceWindow": {p: valid(func(p *v1beta3.InstanceParameters) { p.MaintenanceWindow = aws.String("sunday 5:00") }), want: `maintenanceWindow "sunday 5:00"`},
		"LicenseModel":      {p: valid(func(p *v1beta3.InstanceParameters) { p.LicenseModel = aws.String("free") }), want: `licenseModel "free"`},
		"MultiAZWithZone": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.MultiAZ, p.AvailabilityZone = aws.Bool(true), aws.String("us-east-1a")
		}), want: "availabilityZone is set with multiAz"},
		"TimezoneNotSQL": {p: valid(func(p *v1beta3.InstanceParameters) { p.Timezone = aws.String("UTC") }), want: "timezone is a setting of SQL Server only"},
		"DBName":         {p: valid(func(p *v1beta3.InstanceParameters) { p.DBName = aws.String("1app") }), want: `dbName "1app"`},
		"DBNameSQLServer": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Engine, p.EngineVersion, p.DBName = aws.String("sqlserver-ex"), nil, aws.String("app")
		}), want: "dbName must be left unset for SQL Server"},
		"ReservedUser": {p: valid(func(p *v1beta3.InstanceParameters) { p.Username = aws.String("rdsadmin") }), want: `username "rdsadmin" is reserved`},
		"LongMySQLUser": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Engine, p.EngineVersion, p.Username = aws.String("mysql"), aws.String("8.0.35"), aws.String("a_rather_long_user_name")
		}), want: "1 to 16 letters"},
		"IdentifierAndPrefix": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Identifier, p.IdentifierPrefix = aws.String("a"), aws.String("b")
		}), want: "identifier and identifierPrefix are both set"},
		"S3NotMySQL": {p: valid(func(p *v1beta3.InstanceParameters) { p.S3Import = &v1beta3.S3Import{BucketName: aws.String("b")} }), method: CreateFromS3, want: "s3Import restores MySQL backups only"},
		"TagKey": {p: valid(func(p *v1beta3.InstanceParameters) {
			p.Tags = map[string]*string{strings.Repeat("k", 129): aws.String("v")}
		}), want: "keys are 1 to 128 characters"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.method == "" {
				tc.method = CreateEmpty
			}
			got := strings.Join(Validate(tc.p, tc.method), "; ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("Validate: want %q, got %q", tc.want, got)
			}
		})
	}
}
