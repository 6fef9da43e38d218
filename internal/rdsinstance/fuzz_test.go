package rdsinstance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

var storageTypes = []string{"gp2", "gp3", "io1", "io2", "standard"}

// Diff never panics, and applying the modification it computes (as AWS
// would, raising gp3 volumes to their baseline) leaves nothing to modify:
// a correct diff converges instead of looping.
func FuzzDiff(f *testing.F) {
	f.Add("db.t3.micro", "db.t3.large", int16(20), int16(30), uint8(1), uint8(1), int16(0), int16(3000), int16(7), int16(1), true, false, "16.2", "16.4", int16(5432), int16(5433))
	f.Add("db.r6g.large", "db.r6g.large", int16(200), int16(500), uint8(1), uint8(1), int16(3000), int16(3000), int16(0), int16(7), false, true, "16", "16.4", int16(5432), int16(5432))
	f.Add("a", "b", int16(500), int16(100), uint8(3), uint8(2), int16(1000), int16(-5), int16(-1), int16(35), false, false, "15.2", "16.1", int16(0), int16(3306))
	f.Fuzz(func(t *testing.T, haveClass, wantClass string, haveStorage, wantStorage int16, haveType, wantType uint8, haveIops, wantIops, haveRetention, wantRetention int16, haveMultiAZ, wantMultiAZ bool, haveVersion, wantVersion string, havePort, wantPort int16) {
		db := observed(func(db *types.DBInstance) {
			db.DBInstanceClass, db.AllocatedStorage = aws.String(haveClass), aws.Int32(int32(haveStorage))
			db.StorageType, db.Iops = aws.String(storageTypes[int(haveType)%len(storageTypes)]), aws.Int32(int32(haveIops))
			db.BackupRetentionPeriod, db.MultiAZ, db.EngineVersion = aws.Int32(int32(haveRetention)), aws.Bool(haveMultiAZ), aws.String(haveVersion)
			db.Endpoint.Port = aws.Int32(int32(havePort))
		})
		spec := v1beta3.InstanceParameters{
			InstanceClass: aws.String(wantClass), AllocatedStorage: aws.Float64(float64(wantStorage)),
			StorageType: aws.String(storageTypes[int(wantType)%len(storageTypes)]), Iops: aws.Float64(float64(wantIops)),
			BackupRetentionPeriod: aws.Float64(float64(wantRetention)), MultiAZ: aws.Bool(wantMultiAZ), EngineVersion: aws.String(wantVersion),
			Port: aws.Float64(float64(wantPort)), ApplyImmediately: aws.Bool(true),
		}
		first := Diff(spec, db, tags)
		if first.Modify == nil {
			return
		}
		applyModify(&db, first.Modify)
		if again := Diff(spec, db, tags); again.Modify != nil {
			t.Fatalf("after applying %s the diff still asks for %s (fields %v)", describeModify(first.Modify), describeModify(again.Modify), again.Fields)
		}
	})
}

// applyModify does to a described instance what AWS does with a
// ModifyDBInstance applied immediately.
func applyModify(db *types.DBInstance, in *rds.ModifyDBInstanceInput) {
	set := func(dst **string, v *string) {
		if v != nil {
			*dst = v
		}
	}
	setInt := func(dst **int32, v *int32) {
		if v != nil {
			*dst = v
		}
	}
	set(&db.DBInstanceClass, in.DBInstanceClass)
	set(&db.StorageType, in.StorageType)
	set(&db.EngineVersion, in.EngineVersion)
	setInt(&db.AllocatedStorage, in.AllocatedStorage)
	setInt(&db.Iops, in.Iops)
	setInt(&db.StorageThroughput, in.StorageThroughput)
	setInt(&db.BackupRetentionPeriod, in.BackupRetentionPeriod)
	setInt(&db.Endpoint.Port, in.DBPortNumber)
	if in.MultiAZ != nil {
		db.MultiAZ = in.MultiAZ
	}
	if iops, throughput, gp3 := observedGP3Baseline(*db); gp3 {
		db.Iops = aws.Int32(max(aws.ToInt32(db.Iops), iops))
		db.StorageThroughput = aws.Int32(max(aws.ToInt32(db.StorageThroughput), throughput))
	}
}

func describeModify(in *rds.ModifyDBInstanceInput) string {
	var b strings.Builder
	add := func(name string, v any) {
		switch x := v.(type) {
		case *string:
			if x != nil {
				b.WriteString(name + "=" + *x + " ")
			}
		case *int32:
			if x != nil {
				b.WriteString(name + "=" + strconv.Itoa(int(*x)) + " ")
			}
		}
	}
	add("class", in.DBInstanceClass)
	add("storage", in.AllocatedStorage)
	add("type", in.StorageType)
	add("iops", in.Iops)
	add("throughput", in.StorageThroughput)
	add("retention", in.BackupRetentionPeriod)
	add("version", in.EngineVersion)
	add("port", in.DBPortNumber)
	if in.MultiAZ != nil {
		b.WriteString("multiAZ ")
	}
	return b.String()
}
