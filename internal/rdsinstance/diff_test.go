package rdsinstance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// observed is a DB instance as DescribeDBInstances reports one.
func observed(mods ...func(*types.DBInstance)) types.DBInstance {
	db := types.DBInstance{
		DBInstanceIdentifier:       aws.String("db"),
		DBInstanceArn:              aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:db"),
		DBInstanceStatus:           aws.String("available"),
		DBInstanceClass:            aws.String("db.r6g.large"),
		Engine:                     aws.String("postgres"),
		EngineVersion:              aws.String("16.4"),
		AutoMinorVersionUpgrade:    aws.Bool(true),
		AllocatedStorage:           aws.Int32(100),
		StorageEncrypted:           aws.Bool(true),
		StorageType:                aws.String("gp3"),
		PreferredMaintenanceWindow: aws.String("mon:00:00-mon:03:00"),
		PreferredBackupWindow:      aws.String("04:00-05:00"),
		BackupRetentionPeriod:      aws.Int32(7),
		MultiAZ:                    aws.Bool(false),
		MasterUsername:             aws.String("postgres"),
		DBParameterGroups:          []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("default.postgres16")}},
		VpcSecurityGroups:          []types.VpcSecurityGroupMembership{{VpcSecurityGroupId: aws.String("sg-1")}, {VpcSecurityGroupId: aws.String("sg-2")}},
		TagList:                    []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}, {Key: aws.String("env"), Value: aws.String("prod")}},
		Endpoint:                   &types.Endpoint{Address: aws.String("db.example"), Port: aws.Int32(5432)},
	}
	for _, m := range mods {
		m(&db)
	}
	return db
}

var tags = map[string]string{"env": "prod", "team": "data"}

func TestDiff(t *testing.T) {
	type want struct {
		fields    []string
		modify    *rds.ModifyDBInstanceInput
		add       []types.Tag
		remove    []string
		cannot    int
		promote   bool
		blueGreen *BlueGreen
	}
	modify := func(m func(*rds.ModifyDBInstanceInput)) *rds.ModifyDBInstanceInput {
		in := &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("db")}
		m(in)
		return in
	}
	cases := map[string]struct {
		reason string
		spec   v1beta3.InstanceParameters
		db     types.DBInstance
		tags   map[string]string
		want   want
	}{
		"Unchanged": {
			reason: "A spec that matches the instance is up to date.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.large"), AllocatedStorage: aws.Float64(100), EngineVersion: aws.String("16.4")},
			db:     observed(),
		},
		"UnsetFieldsAreNotDrift": {
			reason: "Defaults AWS chose for fields the user left unset are not drift.",
			spec:   v1beta3.InstanceParameters{},
			db:     observed(),
		},
		"StorageGrowth": {
			reason: "More storage than the instance has is applied, honouring applyImmediately.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(200), ApplyImmediately: aws.Bool(true)},
			db:     observed(),
			want: want{fields: []string{"allocatedStorage"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.AllocatedStorage, in.ApplyImmediately = aws.Int32(200), aws.Bool(true)
			})},
		},
		"StorageShrinkCannotApply": {
			reason: "RDS cannot shrink storage: reported, never requested.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(50)},
			db:     observed(),
			want:   want{cannot: 1},
		},
		"StorageAutoscaled": {
			reason: "Storage autoscaling grew the instance: not drift.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(50), MaxAllocatedStorage: aws.Float64(500)},
			db:     observed(func(db *types.DBInstance) { db.MaxAllocatedStorage = aws.Int32(500) }),
		},
		"ClassCase": {
			reason: "Instance class case differences are not drift.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("DB.R6G.LARGE")},
			db:     observed(),
		},
		"ClassChanged": {
			reason: "An out-of-band class change is corrected.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.large")},
			db:     observed(func(db *types.DBInstance) { db.DBInstanceClass = aws.String("db.r6g.xlarge") }),
			want:   want{fields: []string{"instanceClass"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.DBInstanceClass = aws.String("db.r6g.large") })},
		},
		"PendingValue": {
			reason: "A value already pending in PendingModifiedValues is not drift.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.xlarge"), AllocatedStorage: aws.Float64(200)},
			db: observed(func(db *types.DBInstance) {
				db.PendingModifiedValues = &types.PendingModifiedValues{DBInstanceClass: aws.String("db.r6g.xlarge"), AllocatedStorage: aws.Int32(200)}
			}),
		},
		"InFlight": {
			reason: "While a modification is in flight nothing is modified.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.xlarge")},
			db:     observed(func(db *types.DBInstance) { db.DBInstanceStatus = aws.String("modifying") }),
		},
		"BackingUp": {
			reason: "Backing up is in flight too.",
			spec:   v1beta3.InstanceParameters{BackupRetentionPeriod: aws.Float64(14)},
			db:     observed(func(db *types.DBInstance) { db.DBInstanceStatus = aws.String("backing-up") }),
		},
		"VersionPrefix": {
			reason: "A major or minor prefix is met by any version it covers.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("16")},
			db:     observed(),
		},
		"AutoMinorUpgrade": {
			reason: "A newer minor version, applied by AWS with autoMinorVersionUpgrade, is not drift.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("16.2")},
			db:     observed(),
		},
		"NewerWithoutAutoMinor": {
			reason: "A newer version without autoMinorVersionUpgrade cannot be downgraded: reported.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("16.2")},
			db:     observed(func(db *types.DBInstance) { db.AutoMinorVersionUpgrade = aws.Bool(false) }),
			want:   want{cannot: 1},
		},
		"VersionUpgrade": {
			reason: "An older actual version is upgraded; a major upgrade passes allowMajorVersionUpgrade.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("17.1"), AllowMajorVersionUpgrade: aws.Bool(true)},
			db:     observed(),
			want: want{fields: []string{"engineVersion"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.EngineVersion, in.AllowMajorVersionUpgrade = aws.String("17.1"), aws.Bool(true)
			})},
		},
		"MySQLMajorUpgrade": {
			reason: "MySQL 8.0 to 8.4 is a major upgrade (its major versions are 5.7, 8.0, 8.4): allowMajorVersionUpgrade goes with it, or AWS refuses it.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("8.4.3"), AllowMajorVersionUpgrade: aws.Bool(true)},
			db:     observed(func(db *types.DBInstance) { db.Engine, db.EngineVersion = aws.String("mysql"), aws.String("8.0.35") }),
			want: want{fields: []string{"engineVersion"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.EngineVersion, in.AllowMajorVersionUpgrade = aws.String("8.4.3"), aws.Bool(true)
			})},
		},
		"MariaDBMajorUpgrade": {
			reason: "MariaDB 10.6 to 10.11 is a major upgrade.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("10.11.6"), AllowMajorVersionUpgrade: aws.Bool(true)},
			db:     observed(func(db *types.DBInstance) { db.Engine, db.EngineVersion = aws.String("mariadb"), aws.String("10.6.14") }),
			want: want{fields: []string{"engineVersion"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.EngineVersion, in.AllowMajorVersionUpgrade = aws.String("10.11.6"), aws.Bool(true)
			})},
		},
		"MySQLMinorUpgrade": {
			reason: "MySQL 8.0.35 to 8.0.39 is a minor upgrade: no allowMajorVersionUpgrade.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("8.0.39"), AllowMajorVersionUpgrade: aws.Bool(true)},
			db:     observed(func(db *types.DBInstance) { db.Engine, db.EngineVersion = aws.String("mysql"), aws.String("8.0.35") }),
			want:   want{fields: []string{"engineVersion"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.EngineVersion = aws.String("8.0.39") })},
		},
		"MySQLMajorUpgradedOutOfBand": {
			reason: "An out-of-band MySQL 8.4 upgrade of an instance the spec keeps on 8.0 is not an automatic minor upgrade: reported, as RDS cannot downgrade.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("8.0.35")},
			db:     observed(func(db *types.DBInstance) { db.Engine, db.EngineVersion = aws.String("mysql"), aws.String("8.4.3") }),
			want:   want{cannot: 1},
		},
		"DBNameAddedAfterCreation": {
			reason: "A dbName added to an instance created without one cannot be applied: RDS sets it only at creation.",
			spec:   v1beta3.InstanceParameters{DBName: aws.String("orders")},
			db:     observed(func(db *types.DBInstance) { db.DBName = nil }),
			want:   want{cannot: 1},
		},
		"StoppedInstance": {
			reason: "RDS modifies no stopped DB instance: drift is reported, not sent, and tags still are.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.xlarge")},
			tags:   map[string]string{"team": "data", "env": "prod", "tier": "gold"},
			db:     observed(func(db *types.DBInstance) { db.DBInstanceStatus = aws.String("stopped") }),
			want:   want{cannot: 1, add: []types.Tag{{Key: aws.String("tier"), Value: aws.String("gold")}}},
		},
		"Gp3IopsBelowThreshold": {
			reason: "IOPS above the baseline of a gp3 volume under 400 GiB is refused by RDS: reported, not sent.",
			spec:   v1beta3.InstanceParameters{Iops: aws.Float64(6000)},
			db:     observed(func(db *types.DBInstance) { db.AllocatedStorage = aws.Int32(100) }),
			want:   want{cannot: 1},
		},
		"MajorUpgradeWithoutFlag": {
			reason: "A major upgrade without allowMajorVersionUpgrade is refused by RDS: reported, not sent.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("17.1")},
			db:     observed(),
			want:   want{cannot: 1},
		},
		"MajorUpgradeKeepingCustomGroup": {
			reason: "A major upgrade that keeps a custom parameter group of the old family is refused by RDS: reported, not sent.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("17.1"), AllowMajorVersionUpgrade: aws.Bool(true)},
			db: observed(func(db *types.DBInstance) {
				db.DBParameterGroups = []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("orders-pg16")}}
			}),
			want: want{cannot: 1},
		},
		"MajorUpgradeWithNewGroup": {
			reason: "A major upgrade naming a new custom parameter group is sent with it.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("17.1"), AllowMajorVersionUpgrade: aws.Bool(true), ParameterGroupName: aws.String("orders-pg17")},
			db: observed(func(db *types.DBInstance) {
				db.DBParameterGroups = []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("orders-pg16")}}
			}),
			want: want{fields: []string{"engineVersion", "parameterGroupName"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.EngineVersion, in.AllowMajorVersionUpgrade, in.DBParameterGroupName = aws.String("17.1"), aws.Bool(true), aws.String("orders-pg17")
			})},
		},
		"ReplicaUpgradedWithItsSource": {
			reason: "A read replica upgraded with its source past the version late-initialised into its spec is not a downgrade to report.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("16.4"), ReplicateSourceDB: aws.String("source-db")},
			db: observed(func(db *types.DBInstance) {
				db.EngineVersion, db.ReadReplicaSourceDBInstanceIdentifier = aws.String("17.2"), aws.String("source-db")
			}),
		},
		"ReplicaSourceRemoved": {
			reason: "A replica whose spec no longer names a source is promoted, alone: the class change follows once it is available.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.xlarge")},
			db:     observed(func(db *types.DBInstance) { db.ReadReplicaSourceDBInstanceIdentifier = aws.String("source-db") }),
			want:   want{promote: true},
		},
		"ReplicaSourceChanged": {
			reason: "RDS cannot change the source of a read replica: reported.",
			spec:   v1beta3.InstanceParameters{ReplicateSourceDB: aws.String("other-db")},
			db:     observed(func(db *types.DBInstance) { db.ReadReplicaSourceDBInstanceIdentifier = aws.String("source-db") }),
			want:   want{cannot: 1},
		},
		"ReplicaSourceByARN": {
			reason: "A source named by ARN is the same source AWS reports by identifier.",
			spec:   v1beta3.InstanceParameters{ReplicateSourceDB: aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:source-db")},
			db:     observed(func(db *types.DBInstance) { db.ReadReplicaSourceDBInstanceIdentifier = aws.String("source-db") }),
		},
		"NotAReplica": {
			reason: "RDS cannot make an existing DB instance a read replica: reported.",
			spec:   v1beta3.InstanceParameters{ReplicateSourceDB: aws.String("source-db")},
			db:     observed(),
			want:   want{cannot: 1},
		},
		"BlueGreenMakesTheRestarts": {
			reason: "With blueGreenUpdate enabled, a major upgrade and a class change go to a Blue/Green deployment, not in place; the change beside them waits for its switchover.",
			spec: v1beta3.InstanceParameters{EngineVersion: aws.String("17.2"), AllowMajorVersionUpgrade: aws.Bool(true), InstanceClass: aws.String("db.r6g.xlarge"),
				BackupRetentionPeriod: aws.Float64(14), BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}},
			db:   observed(),
			want: want{blueGreen: &BlueGreen{Fields: []string{"instanceClass", "engineVersion"}, EngineVersion: aws.String("17.2"), InstanceClass: aws.String("db.r6g.xlarge")}},
		},
		"BlueGreenParameterGroup": {
			reason: "A new parameter group goes to the deployment too.",
			spec:   v1beta3.InstanceParameters{ParameterGroupName: aws.String("orders-pg16-tuned"), BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}},
			db:     observed(),
			want:   want{blueGreen: &BlueGreen{Fields: []string{"parameterGroupName"}, ParameterGroup: aws.String("orders-pg16-tuned")}},
		},
		"BlueGreenStillNeedsTheMajorFlag": {
			reason: "A major upgrade through a deployment still needs allowMajorVersionUpgrade: the user's consent to a major version is the same.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("17.2"), BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}},
			db:     observed(),
			want:   want{cannot: 1},
		},
		"BlueGreenOtherEngine": {
			reason: "RDS makes no Blue/Green deployment of an Oracle instance: the restart is held and reported, not made in place.",
			spec:   v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6i.xlarge"), BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}},
			db: observed(func(db *types.DBInstance) {
				db.Engine, db.EngineVersion = aws.String("oracle-ee"), aws.String("19.0.0.0.ru-2024-01.rur-2024-01.r1")
			}),
			want: want{cannot: 1},
		},
		"BlueGreenOfAReplica": {
			reason: "A deployment is made of a replica's source, not of the replica: held and reported.",
			spec: v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.xlarge"), ReplicateSourceDB: aws.String("source-db"),
				BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}},
			db:   observed(func(db *types.DBInstance) { db.ReadReplicaSourceDBInstanceIdentifier = aws.String("source-db") }),
			want: want{cannot: 1},
		},
		"BlueGreenLetsOthersThrough": {
			reason: "With blueGreenUpdate enabled, a change that restarts nothing is made in place.",
			spec:   v1beta3.InstanceParameters{BackupRetentionPeriod: aws.Float64(14), BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}},
			db:     observed(),
			want:   want{fields: []string{"backupRetentionPeriod"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.BackupRetentionPeriod = aws.Int32(14) })},
		},
		"PendingVersion": {
			reason: "A version pending for the maintenance window is not drift.",
			spec:   v1beta3.InstanceParameters{EngineVersion: aws.String("17.1")},
			db: observed(func(db *types.DBInstance) {
				db.PendingModifiedValues = &types.PendingModifiedValues{EngineVersion: aws.String("17.1")}
			}),
		},
		"WindowCase": {
			reason: "AWS lower-cases maintenance windows: not drift.",
			spec:   v1beta3.InstanceParameters{MaintenanceWindow: aws.String("Mon:00:00-Mon:03:00")},
			db:     observed(),
		},
		"SecurityGroupOrder": {
			reason: "Security group order does not matter.",
			spec:   v1beta3.InstanceParameters{VPCSecurityGroupIDs: []*string{aws.String("sg-2"), aws.String("sg-1")}},
			db:     observed(),
		},
		"SecurityGroupsResolvedToNone": {
			reason: "Reference resolution leaves an empty, non-nil list when nothing was referenced: that asks for nothing, and must not remove the instance's security groups.",
			spec:   v1beta3.InstanceParameters{VPCSecurityGroupIDs: []*string{}},
			db:     observed(),
		},
		"SecurityGroupsChanged": {
			reason: "A changed security group set is applied whole.",
			spec:   v1beta3.InstanceParameters{VPCSecurityGroupIDs: []*string{aws.String("sg-3")}},
			db:     observed(),
			want:   want{fields: []string{"vpcSecurityGroupIds"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.VpcSecurityGroupIds = []string{"sg-3"} })},
		},
		"TagOrder": {
			reason: "Tag order does not matter.",
			db:     observed(func(db *types.DBInstance) { db.TagList[0], db.TagList[1] = db.TagList[1], db.TagList[0] }),
		},
		"TagsChanged": {
			reason: "Tags are added, changed and removed to match.",
			db:     observed(),
			tags:   map[string]string{"env": "staging", "owner": "me"},
			want: want{
				add:    []types.Tag{{Key: aws.String("env"), Value: aws.String("staging")}, {Key: aws.String("owner"), Value: aws.String("me")}},
				remove: []string{"team"},
			},
		},
		"CreateOnlyFields": {
			reason: "Fields RDS sets only at creation are reported, not modified.",
			spec:   v1beta3.InstanceParameters{StorageEncrypted: aws.Bool(false), Engine: aws.String("mysql"), Username: aws.String("admin")},
			db:     observed(),
			want:   want{cannot: 3},
		},
		"KMSKeyIDvsARN": {
			reason: "A key ID matches the ARN AWS reports.",
			spec:   v1beta3.InstanceParameters{KMSKeyID: aws.String("1234abcd-12ab")},
			db: observed(func(db *types.DBInstance) {
				db.KmsKeyId = aws.String("arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab")
			}),
		},
		"LogExports": {
			reason: "Log exports are compared as sets and changed by difference.",
			spec:   v1beta3.InstanceParameters{EnabledCloudwatchLogsExports: []*string{aws.String("upgrade"), aws.String("postgresql")}},
			db: observed(func(db *types.DBInstance) {
				db.EnabledCloudwatchLogsExports = []string{"postgresql", "iam-db-auth-error"}
			}),
			want: want{fields: []string{"enabledCloudwatchLogsExports"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.CloudwatchLogsExportConfiguration = &types.CloudwatchLogsExportConfiguration{EnableLogTypes: []string{"upgrade"}, DisableLogTypes: []string{"iam-db-auth-error"}}
			})},
		},
		"GP3BaselineGrewWithStorage": {
			reason: "A gp3 value at the small baseline is met by the larger baseline AWS reports once the volume grew.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(500), Iops: aws.Float64(3000), StorageThroughput: aws.Float64(125)},
			db: observed(func(db *types.DBInstance) {
				db.AllocatedStorage, db.Iops, db.StorageThroughput = aws.Int32(500), aws.Int32(12000), aws.Int32(500)
			}),
		},
		"GP3GrowthPastThresholdSendsNoIops": {
			reason: "Growing gp3 past the threshold sends only the storage; AWS raises the baseline itself.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(500), Iops: aws.Float64(3000), ApplyImmediately: aws.Bool(true)},
			db:     observed(func(db *types.DBInstance) { db.Iops = aws.Int32(3000) }),
			want: want{fields: []string{"allocatedStorage"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.AllocatedStorage, in.ApplyImmediately = aws.Int32(500), aws.Bool(true)
			})},
		},
		"GP3ProvisionedAboveBaseline": {
			reason: "IOPS above the baseline are provisioned and compared.",
			spec:   v1beta3.InstanceParameters{Iops: aws.Float64(16000)},
			db: observed(func(db *types.DBInstance) {
				db.AllocatedStorage, db.Iops = aws.Int32(500), aws.Int32(12000)
			}),
			want: want{fields: []string{"iops"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.Iops = aws.Int32(16000) })},
		},
		"OptionGroupPendingMaintenance": {
			reason: "With both memberships listed, the group on its way in is the instance's, whatever the order.",
			spec:   v1beta3.InstanceParameters{OptionGroupName: aws.String("og-next")},
			db: observed(func(db *types.DBInstance) {
				db.OptionGroupMemberships = []types.OptionGroupMembership{
					{OptionGroupName: aws.String("og-current"), Status: aws.String("pending-maintenance-removal")},
					{OptionGroupName: aws.String("og-next"), Status: aws.String("pending-maintenance-apply")},
				}
			}),
		},
		"DomainDetailsFromAWS": {
			reason: "The FQDN, OU and role AWS reports for a domain given by ID are not drift.",
			spec:   v1beta3.InstanceParameters{Domain: aws.String("d-1234567890")},
			db: observed(func(db *types.DBInstance) {
				db.DomainMemberships = []types.DomainMembership{{Domain: aws.String("d-1234567890"), FQDN: aws.String("corp.example.com"), OU: aws.String("OU=db"), IAMRoleName: aws.String("rds-ad")}}
			}),
		},
		"DomainDNSIpsChanged": {
			reason: "Changed DNS addresses of a self-managed directory are drift (compared as a set).",
			spec: v1beta3.InstanceParameters{DomainFqdn: aws.String("corp.example.com"), DomainOu: aws.String("OU=db"),
				DomainAuthSecretArn: aws.String("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:ad"), DomainDNSIps: []*string{aws.String("10.0.0.3"), aws.String("10.0.0.4")}},
			db: observed(func(db *types.DBInstance) {
				db.DomainMemberships = []types.DomainMembership{{FQDN: aws.String("corp.example.com"), OU: aws.String("OU=db"),
					AuthSecretArn: aws.String("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:ad"), DnsIps: []string{"10.0.0.1", "10.0.0.2"}}}
			}),
			want: want{fields: []string{"domain"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.DomainFqdn, in.DomainOu = aws.String("corp.example.com"), aws.String("OU=db")
				in.DomainAuthSecretArn = aws.String("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:ad")
				in.DomainDnsIps = []string{"10.0.0.3", "10.0.0.4"}
			})},
		},
		"DomainDNSIpsInOtherOrder": {
			reason: "The same DNS addresses in another order are not drift.",
			spec:   v1beta3.InstanceParameters{DomainFqdn: aws.String("corp.example.com"), DomainDNSIps: []*string{aws.String("10.0.0.2"), aws.String("10.0.0.1")}},
			db: observed(func(db *types.DBInstance) {
				db.DomainMemberships = []types.DomainMembership{{FQDN: aws.String("corp.example.com"), DnsIps: []string{"10.0.0.1", "10.0.0.2"}}}
			}),
		},
		"DomainAuthSecretChanged": {
			reason: "A changed directory credentials secret is drift.",
			spec:   v1beta3.InstanceParameters{DomainFqdn: aws.String("corp.example.com"), DomainAuthSecretArn: aws.String("arn:new")},
			db: observed(func(db *types.DBInstance) {
				db.DomainMemberships = []types.DomainMembership{{FQDN: aws.String("corp.example.com"), AuthSecretArn: aws.String("arn:old")}}
			}),
			want: want{fields: []string{"domain"}, modify: modify(func(in *rds.ModifyDBInstanceInput) {
				in.DomainFqdn, in.DomainAuthSecretArn = aws.String("corp.example.com"), aws.String("arn:new")
			})},
		},
		"AutoscalingTurnedOffAfterGrowth": {
			reason: "maxAllocatedStorage 0 after autoscaling grew the storage past the spec: the spec asks for less than the instance has, which RDS cannot shrink; reported, and autoscaling is turned off.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(20), MaxAllocatedStorage: aws.Float64(0)},
			db: observed(func(db *types.DBInstance) {
				db.AllocatedStorage, db.MaxAllocatedStorage = aws.Int32(30), aws.Int32(100)
			}),
			want: want{cannot: 1, fields: []string{"maxAllocatedStorage"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.MaxAllocatedStorage = aws.Int32(0) })},
		},
		"AutoscaledWithSpecMaximum": {
			reason: "Storage grown by the autoscaling the spec turns on is not a shrink.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(20), MaxAllocatedStorage: aws.Float64(100)},
			db: observed(func(db *types.DBInstance) {
				db.AllocatedStorage, db.MaxAllocatedStorage = aws.Int32(30), aws.Int32(100)
			}),
		},
		"ReservedTags": {
			reason: "Tags with the aws: prefix belong to AWS: never removed.",
			db: observed(func(db *types.DBInstance) {
				db.TagList = append(db.TagList, types.Tag{Key: aws.String("aws:cloudformation:stack-name"), Value: aws.String("s")})
			}),
		},
		"AutoscaledStorageOutsideSpec": {
			reason: "More storage than the spec asks, with autoscaling on in AWS (set outside forProvider), is not a shrink.",
			spec:   v1beta3.InstanceParameters{AllocatedStorage: aws.Float64(20)},
			db: observed(func(db *types.DBInstance) {
				db.AllocatedStorage, db.MaxAllocatedStorage = aws.Int32(30), aws.Int32(100)
			}),
		},
		"NoEndpointNoPortDrift": {
			reason: "Without an endpoint the port is unknown, not different.",
			spec:   v1beta3.InstanceParameters{Port: aws.Float64(5432)},
			db: observed(func(db *types.DBInstance) {
				db.Endpoint, db.DbInstancePort = nil, aws.Int32(0)
			}),
		},
		"StopManagedPassword": {
			reason: "Taking the password back from AWS needs a password.",
			spec:   v1beta3.InstanceParameters{ManageMasterUserPassword: aws.Bool(false)},
			db: observed(func(db *types.DBInstance) {
				db.MasterUserSecret = &types.MasterUserSecret{SecretArn: aws.String("arn")}
			}),
			want: want{fields: []string{"manageMasterUserPassword"}, modify: modify(func(in *rds.ModifyDBInstanceInput) { in.ManageMasterUserPassword = aws.Bool(false) })},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			desired := tc.tags
			if desired == nil {
				desired = tags
			}
			got := Diff(tc.spec, tc.db, desired)
			opts := []cmp.Option{cmpopts.IgnoreUnexported(rds.ModifyDBInstanceInput{}, types.Tag{}, types.CloudwatchLogsExportConfiguration{}), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(tc.want.fields, got.Fields, opts...); diff != "" {
				t.Errorf("%s\nFields: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.modify, got.Modify, opts...); diff != "" {
				t.Errorf("%s\nModify: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.add, got.TagsToAdd, opts...); diff != "" {
				t.Errorf("%s\nTagsToAdd: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.remove, got.TagsToRemove, opts...); diff != "" {
				t.Errorf("%s\nTagsToRemove: -want, +got:\n%s", tc.reason, diff)
			}
			if got.Promote != tc.want.promote {
				t.Errorf("%s\nPromote: want %t, got %t", tc.reason, tc.want.promote, got.Promote)
			}
			if diff := cmp.Diff(tc.want.blueGreen, got.BlueGreen, opts...); diff != "" {
				t.Errorf("%s\nBlueGreen: -want, +got:\n%s", tc.reason, diff)
			}
			if len(got.CannotApply) != tc.want.cannot {
				t.Errorf("%s\nCannotApply: want %d, got %q", tc.reason, tc.want.cannot, got.CannotApply)
			}
			if wantUpToDate := tc.want.modify == nil && tc.want.add == nil && tc.want.remove == nil && !tc.want.promote && tc.want.blueGreen == nil; got.UpToDate() != wantUpToDate {
				t.Errorf("%s\nUpToDate: want %t, got %t", tc.reason, wantUpToDate, got.UpToDate())
			}
		})
	}
}

func TestDiffNeedsPasswordWhenAWSStopsManagingIt(t *testing.T) {
	got := Diff(v1beta3.InstanceParameters{ManageMasterUserPassword: aws.Bool(false)},
		observed(func(db *types.DBInstance) { db.MasterUserSecret = &types.MasterUserSecret{} }), tags)
	if !got.NeedsPassword {
		t.Error("NeedsPassword: want true when manageMasterUserPassword turns false")
	}
}
