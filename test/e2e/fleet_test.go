package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/test/harness"
)

// createFleet creates Instances named prefix-0 to prefix-(n-1) and waits
// until all are Ready.
func createFleet(t *testing.T, prefix string, n int) []string {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%d", prefix, i)
		createInstance(t, newInstance(names[i], providerConfigName))
	}
	for _, name := range names {
		waitReadySynced(t, name)
	}
	return names
}

// A fleet's Instances are observed together: DescribeDBInstances calls
// filtered by many identifiers, not one call per Instance per poll, and
// still every Instance is described within each poll or so (the bed's
// record of what its answers held says so).
func TestFleetIsObservedInBatches(t *testing.T) {
	bed := env.Bed(t)
	names := createFleet(t, "batched", 12)
	time.Sleep(2 * pollInterval) // transitions end

	const polls = 5
	before := env.Calls.Snapshot()
	from, _ := bed.Observations(t)
	time.Sleep(polls * pollInterval)
	to, observed := bed.Observations(t)
	calls := env.Calls.Since(before)

	// One call per Instance per poll would be 60.
	if got, most := calls["rds:DescribeDBInstances"], 2*polls; got > most {
		t.Errorf("%d DescribeDBInstances for %d Instances over %d polls; want at most %d (batched)", got, len(names), polls, most)
	}
	if n := mutating(calls); n != 0 {
		t.Errorf("%d mutating calls in steady state: %s", n, harness.Format(calls))
	}
	// Twice the poll: the suite runs beside three other test processes on
	// two cores; `make bench` holds the provider to one poll.
	for _, name := range names {
		if gap, most := longestGap(observed[name], from, to), 2*pollInterval.Seconds(); gap > most {
			t.Errorf("%s went %.1fs without being described; want at most %.1fs", name, gap, most)
		}
	}
}

// longestGap is the longest time within [from, to] without a description.
func longestGap(at []float64, from, to float64) float64 {
	prev, gap := from, 0.0
	for _, t := range at {
		if t < from || t > to {
			continue
		}
		gap, prev = max(gap, t-prev), t
	}
	return max(gap, to-prev)
}

// After the provider changed a DB instance, what it acts on next reflects
// that change, although observations are shared: one create per database,
// one modify per change, never a second from a stale read.
func TestFleetActsOnFreshObservationsAfterItsChanges(t *testing.T) {
	before := env.Calls.Snapshot()
	names := createFleet(t, "fresh", 8)
	if got := env.Calls.Since(before)["rds:CreateDBInstance"]; got != len(names) {
		t.Errorf("%d CreateDBInstance for %d Instances; want one each", got, len(names))
	}

	before = env.Calls.Snapshot()
	for _, name := range names {
		// A merge patch, as kubectl applies a change: the provider may be
		// writing the Instance at the same time.
		patchInstance(t, name, `{"spec":{"forProvider":{"instanceClass":"db.t3.small","applyImmediately":true}}}`)
	}
	for _, name := range names {
		harness.Eventually(t, waitTimeout, name+" is db.t3.small and Ready", func() (bool, string) {
			db := describe(t, name)
			in := getInstance(t, name)
			ready := condition(in, xpv2.TypeReady).Status == corev1.ConditionTrue
			return aws.ToString(db.DBInstanceClass) == "db.t3.small" && ready, aws.ToString(db.DBInstanceClass) + " " + aws.ToString(db.DBInstanceStatus)
		})
	}
	time.Sleep(3 * pollInterval) // a stale read would modify again meanwhile
	if got := env.Calls.Since(before)["rds:ModifyDBInstance"]; got != len(names) {
		t.Errorf("%d ModifyDBInstance for %d changed Instances; want one each", got, len(names))
	}
}

// A DB instance deleted out of band is noticed within about a poll, and
// the provider makes it again; one created out of band for an observe-only
// Instance is found as soon.
func TestFleetNoticesOutOfBandCreatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	names := createFleet(t, "oob", 3)
	victim := names[1]
	old := aws.ToString(describe(t, victim).DbiResourceId)

	observeOnly := newInstance("oob-observed", providerConfigName)
	observeOnly.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
	createInstance(t, observeOnly)
	t.Cleanup(func() { // an observe-only Instance leaves its database behind
		_, _ = env.RDS().DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("oob-observed"), SkipFinalSnapshot: aws.Bool(true)})
	})
	waitSyncedError(t, "oob-observed", "does not exist")

	if _, err := env.RDS().DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(victim), SkipFinalSnapshot: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	createOutOfBand(t, "oob-observed", "postgres", "db.t3.micro", "admin")
	changed := time.Now()

	// Within three polls: the sweep (0.9 of a poll), the reconcile it
	// triggers, and slack for a loaded machine.
	within := 3 * pollInterval
	harness.Eventually(t, within, victim+" made again", func() (bool, string) {
		db := describe(t, victim)
		if db == nil {
			return false, "gone"
		}
		return aws.ToString(db.DbiResourceId) != old, "still the old one, " + aws.ToString(db.DBInstanceStatus)
	})
	harness.Eventually(t, max(within-time.Since(changed), pollInterval), "oob-observed Ready", func() (bool, string) {
		in := getInstance(t, "oob-observed")
		r := condition(in, xpv2.TypeReady)
		return r.Status == corev1.ConditionTrue, string(r.Status) + " " + r.Message
	})
	// Untouched Instances stay as they were.
	for _, name := range []string{names[0], names[2]} {
		if s := condition(getInstance(t, name), xpv2.TypeSynced); s.Status != corev1.ConditionTrue {
			t.Errorf("%s Synced %s: %s", name, s.Status, s.Message)
		}
	}
}
