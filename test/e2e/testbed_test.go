package e2e

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"

	"github.com/provider-rds/provider-rds/test/harness"
)

// The test bed refuses what AWS refuses, with AWS's error codes, so that no
// end-to-end test can pass by relying on something AWS would not do (the
// old drift test shrank storage). Defect 12.
func TestBedRefusesWhatAWSRefuses(t *testing.T) {
	bed := env.Bed(t)
	ctx := context.Background()
	api := env.RDS()
	create := func(id string, in rds.CreateDBInstanceInput) {
		t.Helper()
		in.DBInstanceIdentifier, in.DBInstanceClass, in.Engine = aws.String(id), aws.String("db.t3.micro"), aws.String("postgres")
		in.MasterUsername, in.MasterUserPassword = aws.String("app"), aws.String("bed-password-1")
		if _, err := api.CreateDBInstance(ctx, &in); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = api.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id), SkipFinalSnapshot: aws.Bool(true)})
		})
	}
	create("bed-gp2", rds.CreateDBInstanceInput{AllocatedStorage: aws.Int32(50)})
	create("bed-gp3", rds.CreateDBInstanceInput{AllocatedStorage: aws.Int32(500), StorageType: aws.String("gp3")})

	// A new instance takes time, and reports no endpoint until it can.
	first, err := api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("bed-gp2")})
	if err != nil {
		t.Fatal(err)
	}
	if s := aws.ToString(first.DBInstances[0].DBInstanceStatus); s != "creating" || first.DBInstances[0].Endpoint != nil {
		t.Errorf("a new instance: want creating without endpoint, got %s with %+v", s, first.DBInstances[0].Endpoint)
	}
	for _, id := range []string{"bed-gp2", "bed-gp3"} {
		harness.Eventually(t, waitTimeout, id+" available", func() (bool, string) {
			s := aws.ToString(describe(t, id).DBInstanceStatus)
			return s == "available", s
		})
	}
	if db := describe(t, "bed-gp3"); aws.ToInt32(db.Iops) != 12000 || aws.ToInt32(db.StorageThroughput) != 500 {
		t.Errorf("gp3 baseline at 500 GiB: want 12000 IOPS and 500 MiB/s, got %d and %d", aws.ToInt32(db.Iops), aws.ToInt32(db.StorageThroughput))
	}
	arn := describe(t, "bed-gp2").DBInstanceArn
	bed.SystemTag(t, "bed-gp2", "aws:cloudformation:stack-name", "s")

	cases := map[string]struct {
		call func() error
		code string
	}{
		"StorageDecrease": {code: "InvalidParameterCombination", call: func() error {
			_, err := api.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp2"), AllocatedStorage: aws.Int32(20), ApplyImmediately: aws.Bool(true)})
			return err
		}},
		"GP3IopsBelowThreshold": {code: "InvalidParameterCombination", call: func() error {
			_, err := api.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp3-small"), DBInstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
				AllocatedStorage: aws.Int32(200), StorageType: aws.String("gp3"), Iops: aws.Int32(3000), MasterUsername: aws.String("app"), MasterUserPassword: aws.String("bed-password-1")})
			return err
		}},
		"GP3IopsBelowBaseline": {code: "InvalidParameterCombination", call: func() error {
			_, err := api.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp3"), Iops: aws.Int32(3000), ApplyImmediately: aws.Bool(true)})
			return err
		}},
		"MajorUpgradeWithoutFlag": {code: "InvalidParameterCombination", call: func() error {
			_, err := api.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp3"), EngineVersion: aws.String("99.1"), ApplyImmediately: aws.Bool(true)})
			return err
		}},
		"PromoteNotAReplica": {code: "InvalidDBInstanceState", call: func() error {
			_, err := api.PromoteReadReplica(ctx, &rds.PromoteReadReplicaInput{DBInstanceIdentifier: aws.String("bed-gp2")})
			return err
		}},
		"RemoveReservedTag": {code: "InvalidParameterValue", call: func() error {
			_, err := api.RemoveTagsFromResource(ctx, &rds.RemoveTagsFromResourceInput{ResourceName: arn, TagKeys: []string{"aws:cloudformation:stack-name"}})
			return err
		}},
		"AddReservedTag": {code: "InvalidParameterValue", call: func() error {
			_, err := api.AddTagsToResource(ctx, &rds.AddTagsToResourceInput{ResourceName: arn, Tags: []types.Tag{{Key: aws.String("AWS:owner"), Value: aws.String("me")}}})
			return err
		}},
		"DuplicateIdentifier": {code: "DBInstanceAlreadyExists", call: func() error {
			_, err := api.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp2"), DBInstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
				AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("app"), MasterUserPassword: aws.String("bed-password-1")})
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := errorCode(tc.call()); got != tc.code {
				t.Errorf("want AWS error %s, got %q", tc.code, got)
			}
		})
	}

	t.Run("FinalSnapshotOfFailedInstance", func(t *testing.T) {
		bed.SetStatus(t, "bed-gp2", "failed", 0)
		defer bed.SetStatus(t, "bed-gp2", "available", 0)
		_, err := api.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp2"), FinalDBSnapshotIdentifier: aws.String("bed-gp2-final")})
		if got := errorCode(err); got != "InvalidDBInstanceState" {
			t.Errorf("want InvalidDBInstanceState, got %q", got)
		}
	})
	t.Run("ModifyStoppedInstance", func(t *testing.T) {
		if _, err := api.StopDBInstance(ctx, &rds.StopDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp2")}); err != nil {
			t.Fatal(err)
		}
		harness.Eventually(t, waitTimeout, "stopped", func() (bool, string) {
			s := aws.ToString(describe(t, "bed-gp2").DBInstanceStatus)
			return s == "stopped", s
		})
		_, err := api.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("bed-gp2"), MasterUserPassword: aws.String("bed-password-2")})
		if got := errorCode(err); got != "InvalidDBInstanceState" {
			t.Errorf("want InvalidDBInstanceState, got %q", got)
		}
	})
}

// Without ApplyImmediately a change waits for the maintenance window in
// PendingModifiedValues; a new password is pending until AWS applies it.
func TestBedPendingModifications(t *testing.T) {
	bed := env.Bed(t)
	ctx := context.Background()
	createOutOfBand(t, "bed-pending", "postgres", "db.t3.micro", "app")
	harness.Eventually(t, waitTimeout, "available", func() (bool, string) {
		s := aws.ToString(describe(t, "bed-pending").DBInstanceStatus)
		return s == "available", s
	})
	if _, err := env.RDS().ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("bed-pending"), DBInstanceClass: aws.String("db.t3.large"), MasterUserPassword: aws.String("bed-password-2")}); err != nil {
		t.Fatal(err)
	}
	db := describe(t, "bed-pending")
	if pv := db.PendingModifiedValues; pv == nil || aws.ToString(pv.DBInstanceClass) != "db.t3.large" || pv.MasterUserPassword == nil {
		t.Fatalf("want the class and the password pending, got %+v", pv)
	}
	harness.Eventually(t, waitTimeout, "the password applied, the class still pending", func() (bool, string) {
		db := describe(t, "bed-pending")
		return db.PendingModifiedValues != nil && db.PendingModifiedValues.MasterUserPassword == nil && bed.Authenticates(t, "bed-pending", "bed-password-2"),
			aws.ToString(db.DBInstanceStatus)
	})
	time.Sleep(2 * time.Second)
	if c := aws.ToString(describe(t, "bed-pending").DBInstanceClass); c != "db.t3.micro" {
		t.Errorf("the class changed before the maintenance window: %s", c)
	}
	bed.Maintenance(t, "bed-pending")
	harness.Eventually(t, waitTimeout, "the class applied in the maintenance window", func() (bool, string) {
		db := describe(t, "bed-pending")
		return aws.ToString(db.DBInstanceClass) == "db.t3.large" && aws.ToString(db.DBInstanceStatus) == "available", aws.ToString(db.DBInstanceStatus)
	})
	_, _ = env.RDS().DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("bed-pending"), SkipFinalSnapshot: aws.Bool(true)})
}

// Throttling is AWS's token bucket: a burst, then a steady refill, and
// `Throttling` past it. Tested with a small bucket so that it runs in
// seconds; the defaults are AWS's 300 and 12 per second.
func TestBedThrottles(t *testing.T) {
	bed := env.Bed(t)
	defaults := bed.Throttle(t, false, 0, 0)
	if defaults.Burst != 300 || defaults.Rate != 12 {
		t.Errorf("default token bucket: want AWS's burst 300 and 12/s, got %+v", defaults)
	}
	bed.Throttle(t, true, 10, 2)
	defer bed.Throttle(t, false, 0, 0)
	api := rds.New(rds.Options{Region: harness.Region, BaseEndpoint: aws.String(env.Backend.Endpoint), Credentials: env.RDS().Options().Credentials, RetryMaxAttempts: 1})
	ok := 0
	var err error
	for range 20 {
		if _, err = api.DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{}); err != nil {
			break
		}
		ok++
	}
	if errorCode(err) != "Throttling" {
		t.Fatalf("past the burst: want Throttling, got %v", err)
	}
	if ok < 10 || ok > 12 {
		t.Errorf("calls before throttling with a burst of 10: got %d", ok)
	}
	time.Sleep(time.Second)
	if _, err := api.DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{}); err != nil {
		t.Errorf("after a second of refill at 2/s: %v", err)
	}
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
