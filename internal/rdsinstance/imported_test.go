package rdsinstance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

func TestImportParameters(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	postgres := types.DBInstance{
		DBInstanceIdentifier: aws.String("orders"), DBInstanceStatus: aws.String("available"),
		Engine: aws.String("postgres"), EngineVersion: aws.String("16.3"), DBInstanceClass: aws.String("db.m6g.large"),
		AllocatedStorage: aws.Int32(100), MaxAllocatedStorage: aws.Int32(500), StorageType: aws.String("gp3"),
		StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k1"),
		MultiAZ: aws.Bool(true), AutoMinorVersionUpgrade: aws.Bool(true), BackupRetentionPeriod: aws.Int32(7),
		PreferredBackupWindow: aws.String("03:00-03:30"), PreferredMaintenanceWindow: aws.String("sun:05:00-sun:05:30"),
		MasterUsername: aws.String("app"), DBName: aws.String("orders"), LicenseModel: aws.String("postgresql-license"),
		Endpoint: &types.Endpoint{Port: aws.Int32(5432)}, PubliclyAccessible: aws.Bool(false), NetworkType: aws.String("IPV4"),
		DBSubnetGroup:                &types.DBSubnetGroup{DBSubnetGroupName: aws.String("orders-subnets")},
		DBParameterGroups:            []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("orders-pg16")}},
		EnabledCloudwatchLogsExports: []string{"postgresql"},
		TagList: []types.Tag{
			{Key: aws.String("team"), Value: aws.String("payments")},
			{Key: aws.String("crossplane-kind"), Value: aws.String("instance.rds.aws.upbound.io")},
			{Key: aws.String("aws:cloudformation:stack-name"), Value: aws.String("x")},
		},
	}
	mysql := types.DBInstance{
		DBInstanceIdentifier: aws.String("legacy"), DBInstanceStatus: aws.String("backing-up"),
		Engine: aws.String("mysql"), EngineVersion: aws.String("8.0.39"), DBInstanceClass: aws.String("db.r6g.xlarge"),
		AllocatedStorage: aws.Int32(400), StorageType: aws.String("io1"), Iops: aws.Int32(3000),
		MultiAZ: aws.Bool(false), AutoMinorVersionUpgrade: aws.Bool(false), BackupRetentionPeriod: aws.Int32(1),
		MasterUsername: aws.String("admin"), LicenseModel: aws.String("general-public-license"), DeletionProtection: aws.Bool(true),
		Endpoint: &types.Endpoint{Port: aws.Int32(3307)}, DBSubnetGroup: &types.DBSubnetGroup{DBSubnetGroupName: aws.String("default")},
		DBParameterGroups: []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("default.mysql8.0")}},
	}
	cases := map[string]struct {
		reason string
		db     types.DBInstance
		want   v1beta3.InstanceParameters
	}{
		"Postgres": {
			reason: "What was chosen is kept; AWS's defaults, its random windows, the default port and license, and AWS's and Crossplane's tags are left out.",
			db:     postgres,
			want: v1beta3.InstanceParameters{
				Region: aws.String("eu-west-1"), Engine: aws.String("postgres"), EngineVersion: aws.String("16.3"), InstanceClass: aws.String("db.m6g.large"),
				AllocatedStorage: f(100), MaxAllocatedStorage: f(500), StorageType: aws.String("gp3"),
				StorageEncrypted: aws.Bool(true), KMSKeyID: aws.String("arn:aws:kms:eu-west-1:123456789012:key/k1"),
				MultiAZ: aws.Bool(true), BackupRetentionPeriod: f(7), Username: aws.String("app"), DBName: aws.String("orders"),
				DBSubnetGroupName: aws.String("orders-subnets"), ParameterGroupName: aws.String("orders-pg16"),
				EnabledCloudwatchLogsExports: []*string{aws.String("postgresql")},
				Tags:                         map[string]*string{"team": aws.String("payments")},
			},
		},
		"MySQL": {
			reason: "A non-default port, provisioned IOPS, deletion protection and automatic minor upgrades turned off are kept; the default groups are left out, even while AWS backs it up.",
			db:     mysql,
			want: v1beta3.InstanceParameters{
				Region: aws.String("eu-west-1"), Engine: aws.String("mysql"), EngineVersion: aws.String("8.0.39"), InstanceClass: aws.String("db.r6g.xlarge"),
				AllocatedStorage: f(400), StorageType: aws.String("io1"), Iops: f(3000), AutoMinorVersionUpgrade: aws.Bool(false),
				DeletionProtection: aws.Bool(true), Username: aws.String("admin"), Port: f(3307),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ImportParameters(tc.db, "eu-west-1")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nImportParameters(...): -want, +got:\n%s", tc.reason, diff)
			}
			// The round trip: the imported spec asks nothing of the DB
			// instance it describes.
			d := Diff(got, tc.db, rdstags.DesiredTags(got.Tags, map[string]string{"crossplane-kind": "instance.rds.aws.upbound.io"}))
			if len(d.Fields) > 0 || len(d.CannotApply) > 0 || len(d.TagsToRemove) > 0 {
				t.Errorf("Diff of the imported spec: want none, got fields %v, refusals %v, tags to remove %v", d.Fields, d.CannotApply, d.TagsToRemove)
			}
		})
	}
}
