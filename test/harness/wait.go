package harness

import (
	"testing"
	"time"
)

// Eventually polls cond until it holds or timeout passes, then fails the
// test with the last explanation cond gave.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	EventuallyEvery(t, 200*time.Millisecond, timeout, what, cond)
}

// EventuallyEvery is Eventually polling every interval, for conditions
// that are costly to check.
func EventuallyEvery(t testing.TB, interval, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not so after %s: %s", what, timeout, why)
		}
		time.Sleep(interval)
	}
}
