package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// Bed steers the stricter test bed (test/strictaws): it puts instances into
// states AWS reaches by itself (failed, storage-optimization, a maintenance
// window), adds tags only AWS may add, grows storage as autoscaling does,
// checks a password as a database client would, and turns throttling on.
type Bed struct {
	endpoint string
	region   string
}

// Bed returns the test bed's controls in the default region. A test that
// needs them is skipped, with the reason, on any other backend (real AWS or
// LocalStack cannot be steered).
func (e *Env) Bed(t testing.TB) *Bed {
	t.Helper()
	if e.Backend.Kind != BackendStrict {
		t.Skipf("needs the controls of the stricter test bed (test/strictaws); the backend is %s", e.Backend.Kind)
	}
	return &Bed{endpoint: e.Backend.Endpoint, region: Region}
}

// In returns the controls for instances in another region.
func (b *Bed) In(region string) *Bed {
	return &Bed{endpoint: b.endpoint, region: region}
}

// Patience scales a wait written for the test bed to the backend: real AWS
// takes minutes to create or modify what the bed does in seconds.
func (e *Env) Patience(d time.Duration) time.Duration {
	if e.Backend.Kind == BackendStrict {
		return d
	}
	return 30 * d
}

// SetStatus puts an instance into a status: for a while when d is positive
// (then it returns to what it was), otherwise until set again.
func (b *Bed) SetStatus(t testing.TB, id, status string, d time.Duration) {
	t.Helper()
	b.call(t, "status", map[string]any{"id": id, "status": status, "seconds": d.Seconds()})
}

// Maintenance runs the instance's maintenance window now: modifications
// waiting for it are applied.
func (b *Bed) Maintenance(t testing.TB, id string) {
	t.Helper()
	b.call(t, "maintenance", map[string]any{"id": id})
}

// SystemTag adds a tag as AWS itself does, such as aws:cloudformation:*
// tags, which API callers can neither add nor remove.
func (b *Bed) SystemTag(t testing.TB, id, key, value string) {
	t.Helper()
	b.call(t, "system-tag", map[string]any{"id": id, "key": key, "value": value})
}

// GrowStorage grows an instance's storage as storage autoscaling does,
// without an API call.
func (b *Bed) GrowStorage(t testing.TB, id string, gib int) {
	t.Helper()
	b.call(t, "grow-storage", map[string]any{"id": id, "allocatedStorage": gib})
}

// FailNextSwitchover makes the next switchover of a Blue/Green deployment
// of a DB instance fail, as one that runs past its timeout does: RDS rolls
// it back and the deployment is SWITCHOVER_FAILED.
func (b *Bed) FailNextSwitchover(t testing.TB, id string) {
	t.Helper()
	b.call(t, "blue-green-fail-switchover", map[string]any{"id": id})
}

// Authenticates reports whether a password opens the database, as a client
// connecting to it would find.
func (b *Bed) Authenticates(t testing.TB, id, password string) bool {
	t.Helper()
	ok, _ := b.call(t, "authenticate", map[string]any{"id": id, "password": password})["ok"].(bool)
	return ok
}

// ThrottleSettings are the token bucket of the test bed's throttling.
type ThrottleSettings struct {
	Enabled bool    `json:"enabled"`
	Burst   float64 `json:"burst"`
	Rate    float64 `json:"rate"`
}

// Throttle turns throttling on or off for every account and region of the
// backend. A zero burst or rate means AWS's: 300 requests of burst, 12 per
// second. It returns the settings in force.
func (b *Bed) Throttle(t testing.TB, on bool, burst, rate float64) ThrottleSettings {
	t.Helper()
	m := b.call(t, "config", map[string]any{"throttle": on, "burst": burst, "rate": rate})
	raw, err := json.Marshal(m["throttle"])
	if err != nil {
		t.Fatal(err)
	}
	var out ThrottleSettings
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Throttled returns how many calls the bed has refused with Throttling.
func (b *Bed) Throttled(t testing.TB) int {
	t.Helper()
	n, _ := b.call(t, "config", map[string]any{})["throttled"].(float64)
	return int(n)
}

// Durations sets how long transient states last, in seconds, by status
// (creating, backing-up, modifying, resetting-master-credentials, rebooting,
// stopping, starting).
func (b *Bed) Durations(t testing.TB, d map[string]float64) {
	t.Helper()
	b.call(t, "config", map[string]any{"durations": d})
}

// PartitionCredentials binds an access key to a partition (aws-cn,
// aws-us-gov, ...): STS of any other partition then rejects it, as AWS's
// does.
func (b *Bed) PartitionCredentials(t testing.TB, accessKeyID, partition string) {
	t.Helper()
	b.call(t, "partition-credentials", map[string]any{"accessKeyId": accessKeyID, "partition": partition})
}

// Observations are when the bed described each instance lately (in the
// first page of a DescribeDBInstances answer), by identifier, in seconds
// of the bed's clock, and that clock's time now.
func (b *Bed) Observations(t testing.TB) (now float64, at map[string][]float64) {
	t.Helper()
	m := b.call(t, "observations", map[string]any{})
	now, _ = m["now"].(float64)
	at = map[string][]float64{}
	list, _ := m["instances"].([]any)
	for _, item := range list {
		o, _ := item.(map[string]any)
		if o["region"] != b.region {
			continue
		}
		id, _ := o["id"].(string)
		times, _ := o["at"].([]any)
		for _, v := range times {
			f, _ := v.(float64)
			at[id] = append(at[id], f)
		}
	}
	return now, at
}

func (b *Bed) call(t testing.TB, path string, body map[string]any) map[string]any {
	t.Helper()
	if _, ok := body["region"]; !ok {
		body["region"] = b.region
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	rsp, err := http.Post(b.endpoint+"/moto-api/strict/"+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("test bed %s: %v", path, err)
	}
	defer rsp.Body.Close() //nolint:errcheck // Read fully below.
	out, err := io.ReadAll(rsp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if rsp.StatusCode != http.StatusOK {
		t.Fatalf("test bed %s answered %s: %s", path, rsp.Status, out)
	}
	m := map[string]any{}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(fmt.Errorf("test bed %s: %w", path, err))
	}
	return m
}

// CallsOf returns the RDS actions (moto's names: describe_db_instances,
// modify_db_instance, ...) a program sent, by the application ID its
// User-Agent carries (app/ID).
func (b *Bed) CallsOf(t testing.TB, appID string) map[string]int {
	t.Helper()
	out := map[string]int{}
	calls, _ := b.call(t, "calls", map[string]any{"app": appID})["calls"].(map[string]any)
	for k, v := range calls {
		n, _ := v.(float64)
		out[k] = int(n)
	}
	return out
}
