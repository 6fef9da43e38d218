package rdsinstance

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

const storageTypeGP3 = "gp3"

// gp3Baseline returns the IOPS and throughput (MiB/s) that AWS gives every
// gp3 volume of a size: 3,000 and 125 below the engine's threshold (400 GiB
// for Db2, MariaDB, MySQL and PostgreSQL, 200 GiB for Oracle), 12,000 and
// 500 at or above it; SQL Server has the small baseline at every size.
// Below the threshold AWS refuses any IOPS or throughput value, above it any
// value under the baseline. Values at or under the baseline therefore mean
// "the baseline": they are derived by AWS from the volume size, so they are
// neither sent, nor late-initialised, nor compared.
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage
func gp3Baseline(engine string, storageGiB int32) (iops, throughput int32) {
	if t := gp3Threshold(engine); t > 0 && storageGiB >= t {
		return 12000, 500
	}
	return 3000, 125
}

// gp3Threshold is the gp3 volume size (GiB) from which an engine's IOPS
// and throughput can be provisioned: 400 (Db2, MariaDB, MySQL,
// PostgreSQL), 200 (Oracle), 0 for SQL Server, which can provision them at
// every size.
func gp3Threshold(engine string) int32 {
	switch e := strings.ToLower(engine); {
	case strings.HasPrefix(e, "sqlserver"):
		return 0
	case strings.HasPrefix(e, "oracle"):
		return 200
	}
	return 400
}

// gp3Refusals explains the refusals AWS gives to a spec's IOPS and
// throughput on a gp3 volume of a size whose baseline is iops and
// throughput (gp3Refusal): none when it accepts them.
func gp3Refusals(engine string, storageGiB int32, p v1beta3.InstanceParameters, iops, throughput int32) []string {
	var out []string
	for _, r := range []string{
		gp3Refusal(engine, storageGiB, "iops", aws.ToInt32(int32Ptr(p.Iops)), iops),
		gp3Refusal(engine, storageGiB, "storageThroughput", aws.ToInt32(int32Ptr(p.StorageThroughput)), throughput),
	} {
		if r != "" {
			out = append(out, r)
		}
	}
	return out
}

// gp3Refusal explains the refusal AWS gives to IOPS or throughput
// (field, value) above the baseline of a gp3 volume under the engine's
// threshold, or "" when AWS accepts it.
func gp3Refusal(engine string, storageGiB int32, field string, value, baseline int32) string {
	t := gp3Threshold(engine)
	if value <= baseline || t == 0 || storageGiB >= t {
		return ""
	}
	return fmt.Sprintf("%s %d: gp3 storage of %s under %d GiB has the baseline 3,000 IOPS and 125 MiB/s, and RDS accepts no other value; set allocatedStorage to %d or more, or leave %s out", field, value, engine, t, t, field)
}

// beyondBaseline returns a provisioned value unless it is no more than the
// baseline, which AWS derives by itself.
func beyondBaseline(value *int32, baseline int32) *int32 {
	if value == nil || *value <= baseline {
		return nil
	}
	return value
}

// observedGP3Baseline returns the baseline of a described gp3 instance, or
// ok false when it does not use gp3.
func observedGP3Baseline(db types.DBInstance) (iops, throughput int32, ok bool) {
	if !strings.EqualFold(aws.ToString(db.StorageType), storageTypeGP3) {
		return 0, 0, false
	}
	iops, throughput = gp3Baseline(aws.ToString(db.Engine), aws.ToInt32(db.AllocatedStorage))
	return iops, throughput, true
}

// provisionedIops is the IOPS value a create call sends: none for gp3 at or
// below the baseline, which AWS refuses below the engine's threshold and
// sets by itself above it.
func provisionedIops(p v1beta3.InstanceParameters) *int32 {
	iops, _, gp3 := specGP3Baseline(p)
	if gp3 {
		return beyondBaseline(int32Ptr(p.Iops), iops)
	}
	return int32Ptr(p.Iops)
}

// provisionedThroughput is the storage throughput a create call sends, by
// the rule of provisionedIops.
func provisionedThroughput(p v1beta3.InstanceParameters) *int32 {
	_, throughput, gp3 := specGP3Baseline(p)
	if gp3 {
		return beyondBaseline(int32Ptr(p.StorageThroughput), throughput)
	}
	return int32Ptr(p.StorageThroughput)
}

func specGP3Baseline(p v1beta3.InstanceParameters) (iops, throughput int32, ok bool) {
	if !strings.EqualFold(aws.ToString(p.StorageType), storageTypeGP3) {
		return 0, 0, false
	}
	iops, throughput = gp3Baseline(aws.ToString(p.Engine), aws.ToInt32(int32Ptr(p.AllocatedStorage)))
	return iops, throughput, true
}
