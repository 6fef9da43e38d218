package rdsinstance

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// When AWS applies a modification.
const (
	WhenNow               = "now"
	WhenMaintenanceWindow = "maintenance window"
	WhenReboot            = "pending reboot"
)

// Effect is what AWS does with a modification of one field: when it
// applies it, and what the database goes through meanwhile.
type Effect struct {
	Field string `json:"field"`
	// When is WhenNow, WhenMaintenanceWindow or WhenReboot; At is the
	// start of the next maintenance window when it waits for one.
	When string     `json:"when"`
	At   *time.Time `json:"at,omitempty"`
	// Interruption says what the database goes through, as AWS documents
	// it; empty when AWS documents no downtime.
	Interruption string `json:"interruption,omitempty"`
}

// fieldEffect is AWS's documentation of modifying one setting.
type fieldEffect struct {
	// ignoresApplyImmediately: AWS applies the change as soon as it can,
	// whatever ApplyImmediately says.
	ignoresApplyImmediately bool
	// reboot: the change takes effect at the next reboot.
	reboot       bool
	interruption string
}

const (
	outage         = "outage: the DB instance restarts (a failover on Multi-AZ), typically minutes"
	storageLock    = "no downtime; storage optimization follows, and no further storage change is accepted for 6 hours or until it ends, whichever is longer"
	rebootToApply  = "the DB instance must be rebooted for the parameters to take effect: an outage when it is"
	engineUpgrade  = "outage: the engine is upgraded in place, and the DB instance is unavailable until it ends (longer for a major version)"
	backupsToggled = "outage when backups are turned on or off (0 to another value, or back): the DB instance restarts"
)

// fieldEffects are from "Settings for DB instances", AWS's table of what
// each modification does:
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ModifyInstance.Settings.html
// and "Working with storage for Amazon RDS DB instances" for the storage
// optimization lock:
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.StorageTypes.html#USER_PIOPS.ModifyingExisting
// A field missing here follows ApplyImmediately and has no documented
// downtime.
var fieldEffects = map[string]fieldEffect{
	"instanceClass":                {interruption: outage},
	"engineVersion":                {interruption: engineUpgrade},
	"allocatedStorage":             {interruption: storageLock},
	"storageType":                  {interruption: storageLock},
	"iops":                         {interruption: storageLock},
	"storageThroughput":            {interruption: storageLock},
	"port":                         {ignoresApplyImmediately: true, interruption: "outage: the DB instance is rebooted at once"},
	"caCertIdentifier":             {interruption: "outage unless the engine rotates certificates without a restart"},
	"dbSubnetGroupName":            {interruption: outage},
	"backupRetentionPeriod":        {interruption: backupsToggled},
	"parameterGroupName":           {reboot: true, interruption: rebootToApply},
	"maintenanceWindow":            {ignoresApplyImmediately: true},
	"backupWindow":                 {ignoresApplyImmediately: true},
	"vpcSecurityGroupIds":          {ignoresApplyImmediately: true},
	"publiclyAccessible":           {ignoresApplyImmediately: true},
	"autoMinorVersionUpgrade":      {ignoresApplyImmediately: true},
	"deletionProtection":           {ignoresApplyImmediately: true},
	"copyTagsToSnapshot":           {ignoresApplyImmediately: true},
	"maxAllocatedStorage":          {ignoresApplyImmediately: true},
	"monitoringInterval":           {ignoresApplyImmediately: true},
	"monitoringRoleArn":            {ignoresApplyImmediately: true},
	"performanceInsightsEnabled":   {ignoresApplyImmediately: true},
	"enabledCloudwatchLogsExports": {ignoresApplyImmediately: true},
	ChangePassword:                 {ignoresApplyImmediately: true},
	ChangeTags:                     {ignoresApplyImmediately: true},
	ChangePromotion:                {ignoresApplyImmediately: true, interruption: "outage: the replica is rebooted as it is promoted"},
}

// Effects says, for each drifted field, when AWS applies its change and
// what it interrupts, given the spec's applyImmediately and the DB
// instance's maintenance window. now is the time the next window is
// counted from.
func Effects(d Drift, applyImmediately bool, db types.DBInstance, now time.Time) []Effect {
	names := append([]string{}, d.Fields...)
	if d.NeedsPassword {
		names = append(names, ChangePassword)
	}
	if d.Promote {
		names = append(names, ChangePromotion)
	}
	if len(d.TagsToAdd) > 0 || len(d.TagsToRemove) > 0 {
		names = append(names, ChangeTags)
	}
	out := make([]Effect, 0, len(names))
	for _, f := range names {
		out = append(out, EffectOf(f, applyImmediately, db, now))
	}
	return out
}

// EffectOf is the effect of modifying one field.
func EffectOf(field string, applyImmediately bool, db types.DBInstance, now time.Time) Effect {
	fe := fieldEffects[field]
	e := Effect{Field: field, When: WhenNow, Interruption: fe.interruption}
	switch {
	case fe.reboot:
		e.When = WhenReboot
	case fe.ignoresApplyImmediately || applyImmediately:
	default:
		e.When = WhenMaintenanceWindow
		if at, ok := NextWindow(aws.ToString(db.PreferredMaintenanceWindow), now); ok {
			e.At = &at
		}
	}
	return e
}

// NextWindow returns the next start of a weekly window written as AWS
// writes them ("sun:05:00-sun:05:30", UTC) at or after now.
func NextWindow(window string, now time.Time) (time.Time, bool) {
	start, _, ok := strings.Cut(window, "-")
	if !ok {
		return time.Time{}, false
	}
	var day string
	var hour, minute int
	if _, err := fmt.Sscanf(strings.Replace(start, ":", " ", 1), "%3s %d:%d", &day, &hour, &minute); err != nil {
		return time.Time{}, false
	}
	weekday := map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}
	wd, ok := weekday[strings.ToLower(day)]
	if !ok {
		return time.Time{}, false
	}
	now = now.UTC()
	t := time.Date(now.Year(), now.Month(), now.Day(), hour, minute, 0, 0, time.UTC)
	t = t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7)
	if t.Before(now) {
		t = t.AddDate(0, 0, 7)
	}
	return t, true
}
