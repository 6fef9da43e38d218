package rdsinstance

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// Option group membership statuses of a group that is on its way out, and of
// one on its way in. With applyImmediately false AWS lists both until the
// maintenance window.
var (
	optionGroupLeaving  = map[string]bool{"pending-maintenance-removal": true, "pending-removal": true, "removing": true}
	optionGroupArriving = map[string]bool{"pending-maintenance-apply": true, "pending-apply": true, "applying": true}
)

// ParameterApplyPendingReboot is the apply status of a DB parameter group
// that takes effect only once the instance reboots.
const ParameterApplyPendingReboot = "pending-reboot"

// observedOptionGroup is the option group the instance has or is moving to.
// A group being removed is not the instance's group any more, whatever its
// place in the list.
func observedOptionGroup(db types.DBInstance) *string {
	var out *string
	for _, m := range db.OptionGroupMemberships {
		if optionGroupLeaving[strings.ToLower(aws.ToString(m.Status))] {
			continue
		}
		if out == nil || optionGroupArriving[strings.ToLower(aws.ToString(m.Status))] {
			out = m.OptionGroupName
		}
	}
	return out
}

// pendingOptionGroup is the option group the instance is moving to, if any.
func pendingOptionGroup(db types.DBInstance) *string {
	for _, m := range db.OptionGroupMemberships {
		if optionGroupArriving[strings.ToLower(aws.ToString(m.Status))] {
			return m.OptionGroupName
		}
	}
	return nil
}

// parameterApplyStatus is the apply status of the instance's DB parameter
// group.
func parameterApplyStatus(db types.DBInstance) *string {
	if len(db.DBParameterGroups) == 0 {
		return nil
	}
	return db.DBParameterGroups[0].ParameterApplyStatus
}

// PendingModifications returns the changes AWS accepted and has not applied
// yet, or nil when there are none.
func PendingModifications(db types.DBInstance) *v1beta3.PendingModifiedValues {
	out := v1beta3.PendingModifiedValues{OptionGroupName: pendingOptionGroup(db)}
	if pv := db.PendingModifiedValues; pv != nil {
		out.AllocatedStorage = floatPtr(pv.AllocatedStorage)
		out.BackupRetentionPeriod = floatPtr(pv.BackupRetentionPeriod)
		out.CACertIdentifier = pv.CACertificateIdentifier
		out.DBSubnetGroupName = pv.DBSubnetGroupName
		out.EngineVersion = pv.EngineVersion
		out.InstanceClass = pv.DBInstanceClass
		out.Iops = floatPtr(pv.Iops)
		out.LicenseModel = pv.LicenseModel
		out.MultiAZ = pv.MultiAZ
		out.Port = floatPtr(pv.Port)
		out.StorageThroughput = floatPtr(pv.StorageThroughput)
		out.StorageType = pv.StorageType
		if pv.MasterUserPassword != nil {
			out.MasterUserPassword = aws.Bool(true)
		}
	}
	if out == (v1beta3.PendingModifiedValues{}) {
		return nil
	}
	return &out
}

// PasswordPending reports whether AWS is still applying a new master
// password: until it has, the database accepts the old one.
func PasswordPending(db types.DBInstance) bool {
	return db.PendingModifiedValues != nil && db.PendingModifiedValues.MasterUserPassword != nil
}

// PendingSummary describes, for a condition message, what AWS has accepted
// and not applied yet, including a parameter group that needs a reboot.
func PendingSummary(db types.DBInstance) []string {
	var out []string
	if p := PendingModifications(db); p != nil {
		named(&out, "instanceClass", p.InstanceClass)
		named(&out, "allocatedStorage", p.AllocatedStorage)
		named(&out, "storageType", p.StorageType)
		named(&out, "iops", p.Iops)
		named(&out, "storageThroughput", p.StorageThroughput)
		named(&out, "engineVersion", p.EngineVersion)
		named(&out, "multiAz", p.MultiAZ)
		named(&out, "caCertIdentifier", p.CACertIdentifier)
		named(&out, "dbSubnetGroupName", p.DBSubnetGroupName)
		named(&out, "licenseModel", p.LicenseModel)
		named(&out, "optionGroupName", p.OptionGroupName)
		named(&out, "port", p.Port)
		named(&out, "backupRetentionPeriod", p.BackupRetentionPeriod)
		if p.MasterUserPassword != nil {
			out = append(out, "a new master password")
		}
	}
	if strings.EqualFold(aws.ToString(parameterApplyStatus(db)), ParameterApplyPendingReboot) {
		out = append(out, fmt.Sprintf("parameter group %s (pending-reboot: it takes effect when the DB instance is rebooted)", aws.ToString(observedParameterGroup(db))))
	}
	return out
}

// named appends "name value" for a value that is set.
func named[T any](out *[]string, name string, v *T) {
	if v != nil {
		*out = append(*out, fmt.Sprintf("%s %v", name, *v))
	}
}
