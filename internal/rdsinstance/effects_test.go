package rdsinstance

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
)

func TestEffects(t *testing.T) {
	// A Sunday, 2026-12-06 07:00 UTC.
	now := time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)
	db := types.DBInstance{PreferredMaintenanceWindow: aws.String("sun:05:00-sun:05:30")}
	window := time.Date(2026, 12, 13, 5, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		reason    string
		drift     Drift
		immediate bool
		want      []Effect
	}{
		"ClassDeferred": {
			reason: "An instance-class change without applyImmediately waits for the next window, and restarts the database.",
			drift:  Drift{Fields: []string{"instanceClass"}},
			want:   []Effect{{Field: "instanceClass", When: WhenMaintenanceWindow, At: &window, Interruption: outage}},
		},
		"ClassNow": {
			reason:    "With applyImmediately it happens now, with the same outage.",
			drift:     Drift{Fields: []string{"instanceClass"}},
			immediate: true,
			want:      []Effect{{Field: "instanceClass", When: WhenNow, Interruption: outage}},
		},
		"StorageLock": {
			reason:    "Storage grows without downtime, and locks further storage changes.",
			drift:     Drift{Fields: []string{"allocatedStorage"}},
			immediate: true,
			want:      []Effect{{Field: "allocatedStorage", When: WhenNow, Interruption: storageLock}},
		},
		"ParameterGroupWaitsForReboot": {
			reason: "A parameter group is attached at once and its parameters apply at the next reboot.",
			drift:  Drift{Fields: []string{"parameterGroupName"}},
			want:   []Effect{{Field: "parameterGroupName", When: WhenReboot, Interruption: rebootToApply}},
		},
		"PortIgnoresApplyImmediately": {
			reason: "A port change reboots at once, whatever applyImmediately says.",
			drift:  Drift{Fields: []string{"port"}},
			want:   []Effect{{Field: "port", When: WhenNow, Interruption: "outage: the DB instance is rebooted at once"}},
		},
		"TagsAndPassword": {
			reason: "Tags and a master password apply at once, without interruption.",
			drift:  Drift{NeedsPassword: true, TagsToRemove: []string{"team"}},
			want:   []Effect{{Field: "master password", When: WhenNow}, {Field: "tags", When: WhenNow}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Effects(tc.drift, tc.immediate, db, now)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nEffects(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestNextWindow(t *testing.T) {
	now := time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC) // Sunday
	cases := map[string]struct {
		window string
		want   time.Time
		ok     bool
	}{
		"LaterToday":     {window: "sun:09:30-sun:10:00", want: time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC), ok: true},
		"PassedThisWeek": {window: "sun:05:00-sun:05:30", want: time.Date(2026, 12, 13, 5, 0, 0, 0, time.UTC), ok: true},
		"Wednesday":      {window: "Wed:03:15-Wed:03:45", want: time.Date(2026, 12, 9, 3, 15, 0, 0, time.UTC), ok: true},
		"Malformed":      {window: "sometime"},
		"UnknownDay":     {window: "xyz:01:00-xyz:02:00"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := NextWindow(tc.window, now)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Errorf("NextWindow(%q): want %v %v, got %v %v", tc.window, tc.want, tc.ok, got, ok)
			}
		})
	}
}
