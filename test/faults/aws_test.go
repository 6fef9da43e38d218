package faults

import (
	"net/http"
	"testing"
	"time"

	"github.com/provider-rds/provider-rds/test/harness"
)

// faultLength is how long each AWS-side fault lasts: long enough for
// back-off to show.
const faultLength = 16 * time.Second

// Back-off, in calls tried while a fault lasts: the second half of the
// fault sees at most half the calls of the first, give or take one call's
// attempts (the SDK makes up to 5), and the whole fault at most
// maxFaultCalls. Calling at a fixed rate (every poll, say) fails the
// first; a hot loop fails both.
const (
	callAttempts  = 5
	maxFaultCalls = 60
)

// awsFault creates an Instance while a fault lasts and checks what the
// catalogue asks of every AWS-side fault: the Instance says what is wrong
// while it lasts (waitToldOfFault), the provider backs off (see
// callAttempts), and once it ends the Instance is Ready with exactly one
// database, opening with its Secret's password, made by at most
// maxCreates CreateDBInstance calls that reached AWS (more than one only
// where the fault hides the answer of one that did).
func awsFault(t *testing.T, name string, f harness.Fault, maxCreates int, says string) {
	t.Helper()
	ps := newProviders(t)
	ps.start()
	fault := proxy.Inject(f)
	start, mark := time.Now(), proxy.Mark()
	createInstance(t, newInstance(name))
	msg := waitToldOfFault(t, name, says)
	window(start, faultLength/2)
	half := proxy.Mark()
	window(start, faultLength)
	proxy.Remove(fault)
	// Only the calls the fault hits count: others (describes, while
	// creates alone fail) are the provider's ordinary polling.
	end := proxy.Mark()
	hit := func(r harness.ProxiedRequest) bool { return fault.Matches(r.Action) }
	first, second := proxy.Tally(mark, half, hit), proxy.Tally(half, end, hit)
	t.Logf("while the fault lasted, the Instance said %q", msg)
	t.Logf("calls the fault hit: %d in the first half of %s, %d in the second", first, faultLength, second)
	if second > first/2+callAttempts {
		t.Errorf("calls the fault hit in its second half: want at most half the first half's %d, plus %d (backing off), got %d", first, callAttempts, second)
	}
	if first+second > maxFaultCalls {
		t.Errorf("calls the fault hit: want at most %d, got %d", maxFaultCalls, first+second)
	}

	waitReadySynced(t, name)
	t.Logf("calls by action, tried/reached AWS: %s", harnessCounts(mark))
	checkOneDatabaseWithItsPassword(t, name)
	if _, created := proxy.Count(mark, "CreateDBInstance", name); created < 1 || created > maxCreates {
		t.Errorf("CreateDBInstance calls that reached AWS: want 1 to %d, got %d", maxCreates, created)
	}
	// The provider knows the database has the password it was created
	// with, even when it never heard the create's answer: setting it again
	// would put the instance through resetting-master-credentials.
	if _, modified := proxy.Count(mark, "ModifyDBInstance", name); modified != 0 {
		t.Errorf("ModifyDBInstance calls that reached AWS: want 0, got %d", modified)
	}
}

// AWS answers 503 ServiceUnavailable to every call.
func TestServerErrorBurst(t *testing.T) {
	needBed(t)
	awsFault(t, "burst-db", harness.Fault{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailable"}, 1, `api error ServiceUnavailable`)
}

// AWS refuses every call with Throttling, as when another tool of the
// account spends its whole request budget.
func TestThrottlingStorm(t *testing.T) {
	needBed(t)
	awsFault(t, "storm-db", harness.Fault{Status: http.StatusBadRequest, Code: "Throttling"}, 1, `api error Throttling`)
}

// AWS acts on every CreateDBInstance but answers only after three times
// the SDK's attempt timeout. The create takes effect although its answer
// never arrives in time; the retries that follow (which meet
// DBInstanceAlreadyExists, unseen) must not make a second database nor
// change the password.
func TestLatencyPastTheTimeout(t *testing.T) {
	needBed(t)
	awsFault(t, "slow-db", harness.Fault{Actions: []string{"CreateDBInstance"}, Delay: 3 * attemptTimeout}, callAttempts, `CreateDBInstance.*(Client\.Timeout|deadline) exceeded`)
}

// The connection is reset after AWS acted on a CreateDBInstance, every
// time: the provider never hears that the database was made.
func TestConnectionResetAfterCreate(t *testing.T) {
	needBed(t)
	awsFault(t, "reset-db", harness.Fault{Actions: []string{"CreateDBInstance"}, Reset: true}, callAttempts, `CreateDBInstance.*connection reset`)
}
