package rdsinstance

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

var ignoreSDK = cmpopts.IgnoreUnexported(rds.CreateDBInstanceInput{}, types.Tag{})

func TestCreateInput(t *testing.T) {
	p := v1beta3.InstanceParameters{
		Region: aws.String("ap-northeast-2"), InstanceClass: aws.String("db.r6g.large"), Engine: aws.String("postgres"),
		EngineVersion: aws.String("16.2"), AllocatedStorage: aws.Float64(100), StorageEncrypted: aws.Bool(true),
		DBName: aws.String("legacy"), MaintenanceWindow: aws.String("mon:00:00-mon:03:00"), Port: aws.Float64(5433),
		VPCSecurityGroupIDs: []*string{aws.String("sg-1")}, DeletionProtection: aws.Bool(true),
	}
	tags := rdstags.TagList(map[string]string{"b": "2", "a": "1"})
	got := CreateInput("production-db", p, Credentials{Username: "postgres", Password: "pw"}, tags)
	want := &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String("production-db"), DBInstanceClass: aws.String("db.r6g.large"), Engine: aws.String("postgres"),
		EngineVersion: aws.String("16.2"), AllocatedStorage: aws.Int32(100), StorageEncrypted: aws.Bool(true),
		DBName: aws.String("legacy"), PreferredMaintenanceWindow: aws.String("mon:00:00-mon:03:00"), Port: aws.Int32(5433),
		VpcSecurityGroupIds: []string{"sg-1"}, DeletionProtection: aws.Bool(true),
		MasterUsername: aws.String("postgres"), MasterUserPassword: aws.String("pw"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}},
	}
	if diff := cmp.Diff(want, got, ignoreSDK, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("CreateInput: -want, +got:\n%s", diff)
	}
}

func TestCreateParametersPrefersForProvider(t *testing.T) {
	spec := v1beta3.InstanceSpec{
		ForProvider:  v1beta3.InstanceParameters{InstanceClass: aws.String("db.t3.micro")},
		InitProvider: v1beta3.InstanceInitParameters{InstanceClass: aws.String("db.t3.large"), AllocatedStorage: aws.Float64(50)},
	}
	got, err := CreateParameters(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := v1beta3.InstanceParameters{InstanceClass: aws.String("db.t3.micro"), AllocatedStorage: aws.Float64(50)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CreateParameters: -want, +got:\n%s", diff)
	}
}

func TestMethodFor(t *testing.T) {
	cases := map[string]struct {
		p       v1beta3.InstanceParameters
		want    CreationMethod
		wantErr bool
	}{
		"Empty":      {want: CreateEmpty},
		"Snapshot":   {p: v1beta3.InstanceParameters{SnapshotIdentifier: aws.String("snap")}, want: CreateFromSnapshot},
		"PITR":       {p: v1beta3.InstanceParameters{RestoreToPointInTime: &v1beta3.RestoreToPointInTime{}}, want: CreateFromPointInTime},
		"Replica":    {p: v1beta3.InstanceParameters{ReplicateSourceDB: aws.String("src")}, want: CreateReadReplica},
		"S3":         {p: v1beta3.InstanceParameters{S3Import: &v1beta3.S3Import{}}, want: CreateFromS3},
		"TwoSources": {p: v1beta3.InstanceParameters{SnapshotIdentifier: aws.String("snap"), ReplicateSourceDB: aws.String("src")}, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := MethodFor(tc.p)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("MethodFor: want %q (error %t), got %q (%v)", tc.want, tc.wantErr, got, err)
			}
		})
	}
}

func TestRestoreToPointInTimeRejectsBadTime(t *testing.T) {
	p := v1beta3.InstanceParameters{RestoreToPointInTime: &v1beta3.RestoreToPointInTime{RestoreTime: aws.String("yesterday")}}
	if _, err := RestoreToPointInTimeInput("db", p, nil); err == nil {
		t.Error("want an error for a restoreTime that is not RFC 3339")
	}
}

func TestObservation(t *testing.T) {
	db := observed(func(db *types.DBInstance) {
		db.DbiResourceId = aws.String("db-ABC")
		db.MasterUserSecret = &types.MasterUserSecret{SecretArn: aws.String("arn:secret"), SecretStatus: aws.String("active"), KmsKeyId: aws.String("key")}
		db.Endpoint.HostedZoneId = aws.String("Z1")
	})
	got := Observation(db, v1beta3.InstanceParameters{Region: aws.String("ap-northeast-2"), EngineVersion: aws.String("16"), SkipFinalSnapshot: aws.Bool(true)})
	checks := map[string][2]any{
		"address":             {"db.example", aws.ToString(got.Address)},
		"endpoint":            {"db.example:5432", aws.ToString(got.Endpoint)},
		"port":                {5432.0, aws.ToFloat64(got.Port)},
		"arn":                 {"arn:aws:rds:ap-northeast-2:123456789012:db:db", aws.ToString(got.Arn)},
		"resourceId":          {"db-ABC", aws.ToString(got.ResourceID)},
		"hostedZoneId":        {"Z1", aws.ToString(got.HostedZoneID)},
		"engineVersion":       {"16", aws.ToString(got.EngineVersion)},
		"engineVersionActual": {"16.4", aws.ToString(got.EngineVersionActual)},
		"status":              {"available", aws.ToString(got.Status)},
		"parameterGroupName":  {"default.postgres16", aws.ToString(got.ParameterGroupName)},
		"tagsAll.team":        {"data", aws.ToString(got.TagsAll["team"])},
		"masterUserSecret":    {"arn:secret", aws.ToString(got.MasterUserSecret[0].SecretArn)},
		"skipFinalSnapshot":   {true, aws.ToBool(got.SkipFinalSnapshot)},
		"vpcSecurityGroupIds": {2, len(got.VPCSecurityGroupIDs)},
	}
	for field, c := range checks {
		if diff := cmp.Diff(c[0], c[1]); diff != "" {
			t.Errorf("atProvider.%s: -want, +got:\n%s", field, diff)
		}
	}
}

func TestLateInitialize(t *testing.T) {
	p := v1beta3.InstanceParameters{InstanceClass: aws.String("db.r6g.large")}
	init := v1beta3.InstanceInitParameters{BackupRetentionPeriod: aws.Float64(3)}
	if !LateInitialize(&p, init, observed()) {
		t.Fatal("LateInitialize: want a change")
	}
	if aws.ToString(p.MaintenanceWindow) != "mon:00:00-mon:03:00" || aws.ToString(p.EngineVersion) != "16.4" || aws.ToString(p.Username) != "postgres" {
		t.Errorf("AWS defaults were not late-initialised: %+v", p)
	}
	if p.BackupRetentionPeriod != nil {
		t.Error("a field set in initProvider was late-initialised into forProvider, which would enforce it")
	}
	if p.ParameterGroupName != nil {
		t.Error("a default parameter group was late-initialised; it would block major version upgrades")
	}
	if aws.ToString(p.InstanceClass) != "db.r6g.large" {
		t.Error("a set field was overwritten")
	}
	if LateInitialize(&p, init, observed()) {
		t.Error("a second LateInitialize changed the spec again")
	}
}

func TestLateInitializeLeavesAWSDerivedValues(t *testing.T) {
	cases := map[string]struct {
		reason string
		db     types.DBInstance
		check  func(p v1beta3.InstanceParameters) bool
	}{
		"Creating": {
			reason: "Nothing is filled while AWS has not settled the instance's values.",
			db: observed(func(db *types.DBInstance) {
				db.DBInstanceStatus, db.Endpoint, db.DbInstancePort = aws.String("creating"), nil, aws.Int32(0)
			}),
			check: func(p v1beta3.InstanceParameters) bool { return p.Port == nil && p.EngineVersion == nil },
		},
		"GP3Baseline": {
			reason: "gp3 IOPS and throughput at the baseline grow with the volume: not pinned.",
			db:     observed(func(db *types.DBInstance) { db.Iops, db.StorageThroughput = aws.Int32(3000), aws.Int32(125) }),
			check:  func(p v1beta3.InstanceParameters) bool { return p.Iops == nil && p.StorageThroughput == nil },
		},
		"GP3Provisioned": {
			reason: "gp3 IOPS above the baseline were provisioned: filled.",
			db:     observed(func(db *types.DBInstance) { db.Iops = aws.Int32(6000) }),
			check:  func(p v1beta3.InstanceParameters) bool { return aws.ToFloat64(p.Iops) == 6000 },
		},
		"CACertificate": {
			reason: "The CA certificate is rotated by AWS and operators: not pinned.",
			db:     observed(func(db *types.DBInstance) { db.CACertificateIdentifier = aws.String("rds-ca-rsa2048-g1") }),
			check:  func(p v1beta3.InstanceParameters) bool { return p.CACertIdentifier == nil },
		},
		"PortFromEndpoint": {
			reason: "The port is the endpoint's, never DbInstancePort (a cluster member's port).",
			db:     observed(func(db *types.DBInstance) { db.DbInstancePort = aws.Int32(0) }),
			check:  func(p v1beta3.InstanceParameters) bool { return aws.ToFloat64(p.Port) == 5432 },
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := v1beta3.InstanceParameters{}
			LateInitialize(&p, v1beta3.InstanceInitParameters{}, tc.db)
			if !tc.check(p) {
				t.Errorf("%s\ngot %+v", tc.reason, p)
			}
		})
	}
}

func TestCreateInputOmitsGP3Baseline(t *testing.T) {
	p := v1beta3.InstanceParameters{Engine: aws.String("postgres"), StorageType: aws.String("gp3"), AllocatedStorage: aws.Float64(200), Iops: aws.Float64(3000), StorageThroughput: aws.Float64(125)}
	if in := CreateInput("db", p, Credentials{}, nil); in.Iops != nil || in.StorageThroughput != nil {
		t.Errorf("baseline gp3 values below the threshold are refused by AWS; want them omitted, got %v and %v", aws.ToInt32(in.Iops), aws.ToInt32(in.StorageThroughput))
	}
	p.AllocatedStorage, p.Iops = aws.Float64(500), aws.Float64(15000)
	if in := CreateInput("db", p, Credentials{}, nil); aws.ToInt32(in.Iops) != 15000 {
		t.Errorf("provisioned gp3 IOPS above the baseline: want 15000, got %v", aws.ToInt32(in.Iops))
	}
}

func TestPendingSummary(t *testing.T) {
	db := observed(func(db *types.DBInstance) {
		db.PendingModifiedValues = &types.PendingModifiedValues{DBInstanceClass: aws.String("db.r6g.xlarge"), MasterUserPassword: aws.String("****")}
		db.DBParameterGroups = []types.DBParameterGroupStatus{{DBParameterGroupName: aws.String("tuned"), ParameterApplyStatus: aws.String("pending-reboot")}}
	})
	want := []string{"instanceClass db.r6g.xlarge", "a new master password", "parameter group tuned (pending-reboot: it takes effect when the DB instance is rebooted)"}
	if diff := cmp.Diff(want, PendingSummary(db)); diff != "" {
		t.Errorf("PendingSummary: -want, +got:\n%s", diff)
	}
	if !PasswordPending(db) {
		t.Error("PasswordPending: want true while AWS lists a master password in PendingModifiedValues")
	}
	if got := PendingSummary(observed()); len(got) != 0 {
		t.Errorf("PendingSummary of a settled instance: want none, got %q", got)
	}
}

func TestConnectionDetails(t *testing.T) {
	cases := map[string]struct {
		db   types.DBInstance
		pw   string
		want map[string]string
	}{
		"Postgres": {
			db: observed(func(db *types.DBInstance) { db.DBName = aws.String("app") }),
			pw: "p@ss/word",
			want: map[string]string{
				"endpoint": "db.example:5432", "address": "db.example", "host": "db.example", "port": "5432",
				"username": "postgres", "password": "p@ss/word", "attribute.password": "p@ss/word", "database": "app",
				"url": "postgresql://postgres:p%40ss%2Fword@db.example:5432/app",
			},
		},
		"SQLServerManagedPassword": {
			db: observed(func(db *types.DBInstance) {
				db.Engine, db.MasterUsername, db.DBName = aws.String("sqlserver-se"), aws.String("sqladmin"), aws.String("app")
				db.Endpoint.Port = aws.Int32(1433)
			}),
			want: map[string]string{
				"endpoint": "db.example:1433", "address": "db.example", "host": "db.example", "port": "1433",
				"username": "sqladmin", "database": "app", "url": "sqlserver://sqladmin@db.example:1433?database=app",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := map[string]string{}
			for k, v := range ConnectionDetails(tc.db, tc.pw) {
				got[k] = string(v)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ConnectionDetails: -want, +got:\n%s", diff)
			}
		})
	}
}

func TestReadyCondition(t *testing.T) {
	cases := map[string]struct {
		status string
		want   xpv2.Condition
	}{
		"Creating":  {"creating", xpv2.Creating()},
		"Available": {"available", xpv2.Available()},
		"Modifying": {"modifying", xpv2.Available()},
		"BackingUp": {"backing-up", xpv2.Available()},
		"Deleting":  {"deleting", xpv2.Deleting()},
		"Stopped":   {"stopped", xpv2.Unavailable().WithMessage("DB instance status is stopped")},
		"Failed":    {"failed", xpv2.Unavailable().WithMessage("DB instance status is failed")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ReadyCondition(tc.status)
			if got.Status != tc.want.Status || got.Reason != tc.want.Reason || got.Message != tc.want.Message {
				t.Errorf("ReadyCondition(%q): want %s/%s %q, got %s/%s %q", tc.status, tc.want.Status, tc.want.Reason, tc.want.Message, got.Status, got.Reason, got.Message)
			}
		})
	}
	if ReadyCondition("available").Status != corev1.ConditionTrue {
		t.Error("available must be Ready")
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"16.10", "16.9", 1}, {"16.4", "16.4", 0}, {"8.0.35", "8.0.4", 1}, {"16", "16.1", -1},
		{"19.0.0.0.ru-2024-01.rur-2024-01.r1", "19.0.0.0.ru-2023-10.rur-2023-10.r1", 1},
	}
	for _, tc := range cases {
		if got := compareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("compareVersions(%q, %q): want %d, got %d", tc.a, tc.b, tc.want, got)
		}
	}
}

func TestDefaultUsername(t *testing.T) {
	for engine, want := range map[string]string{"postgres": "postgres", "aurora-postgresql": "postgres", "mysql": "admin", "mariadb": "admin", "sqlserver-ex": "sqladmin", "oracle-ee": "admin"} {
		if got := DefaultUsername(engine); got != want {
			t.Errorf("DefaultUsername(%q): want %q, got %q", engine, want, got)
		}
	}
}

func TestFinalSnapshotName(t *testing.T) {
	at := time.Date(2026, 11, 29, 4, 5, 6, 0, time.UTC)
	if got, want := FinalSnapshotName("production-db", at), "production-db-final-20261129-040506"; got != want {
		t.Errorf("FinalSnapshotName: want %q, got %q", want, got)
	}
}

func TestBlueGreenDeploymentName(t *testing.T) {
	at := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	cases := map[string]struct{ id, want string }{
		"Short":        {id: "orders", want: "orders-20261206050000"},
		"Long":         {id: "a-very-long-identifier-that-fills-most-of-the-sixty-three-chars", want: "a-very-long-identifier-that-fills-most-of-the-20261206050000"},
		"CutAtAHyphen": {id: "abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcd-xyz", want: "abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcd-20261206050000"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := BlueGreenDeploymentName(tc.id, at)
			if got != tc.want || len(got) > 60 || strings.Contains(got, "--") {
				t.Errorf("BlueGreenDeploymentName(%q): want %q (at most 60 characters, no two hyphens in a row), got %q", tc.id, tc.want, got)
			}
		})
	}
}
