package fleetobserver

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
)

// fakeRDS answers DescribeDBInstances from a map, as AWS does: by
// identifier (DBInstanceNotFound when missing), or filtered, in pages.
type fakeRDS struct {
	mu        sync.Mutex
	dbs       map[string]*types.DBInstance // by identifier
	pageSize  int
	latency   time.Duration
	hidden    map[string]bool // left out of filtered answers, as a glitch would
	calls     []string        // "filter:<n values>" or "id:<identifier>"
	maxValues int
	failing   error // every call fails with it, as in an AWS outage
}

func newFake() *fakeRDS {
	return &fakeRDS{dbs: map[string]*types.DBInstance{}, pageSize: 100, hidden: map[string]bool{}}
}

func (f *fakeRDS) put(id, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dbs[id] = &types.DBInstance{DBInstanceIdentifier: aws.String(id), DBInstanceStatus: aws.String(status), DbiResourceId: aws.String("db-" + id)}
}

func (f *fakeRDS) remove(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.dbs, id)
}

func (f *fakeRDS) callLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeRDS) DescribeDBInstances(_ context.Context, in *rds.DescribeDBInstancesInput, _ ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	time.Sleep(f.latency)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		f.calls = append(f.calls, "failed")
		return nil, f.failing
	}
	if id := aws.ToString(in.DBInstanceIdentifier); id != "" {
		f.calls = append(f.calls, "id:"+id)
		db, ok := f.dbs[id]
		if !ok {
			return nil, &types.DBInstanceNotFoundFault{Message: aws.String("DBInstance " + id + " not found.")}
		}
		return &rds.DescribeDBInstancesOutput{DBInstances: []types.DBInstance{*db}}, nil
	}
	filter := in.Filters[0]
	if in.Marker == nil {
		f.calls = append(f.calls, fmt.Sprintf("%s:%d", aws.ToString(filter.Name), len(filter.Values)))
		f.maxValues = max(f.maxValues, len(filter.Values))
	}
	var all []types.DBInstance
	for _, v := range filter.Values {
		for id, db := range f.dbs {
			match := id == v
			if aws.ToString(filter.Name) == filterResourceID {
				match = aws.ToString(db.DbiResourceId) == v
			}
			if match && !f.hidden[id] {
				all = append(all, *db)
			}
		}
	}
	from := 0
	if in.Marker != nil {
		from, _ = strconv.Atoi(*in.Marker)
	}
	to := min(from+f.pageSize, len(all))
	out := &rds.DescribeDBInstancesOutput{DBInstances: all[from:to]}
	if to < len(all) {
		out.Marker = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

func watcher(name string) Watcher { return Watcher{Kind: "Instance", Name: name} }

func statusOf(db *types.DBInstance) string {
	if db == nil {
		return "<absent>"
	}
	return aws.ToString(db.DBInstanceStatus)
}

// Reconciles that observe at the same time share calls of up to 100
// identifiers, and each gets its own instance.
func TestObserveBatchesConcurrentReconciles(t *testing.T) {
	api := newFake()
	api.latency = 20 * time.Millisecond
	const n = 250
	observeConcurrently(t, api, n)
	calls := api.callLog()
	if len(calls) > 6 || api.maxValues > BatchSize {
		t.Errorf("%d calls (largest %d identifiers) for %d reconciles: %v; want a few calls of at most %d", len(calls), api.maxValues, n, calls, BatchSize)
	}
}

// Reconciles that ask one after another, as when a fleet is created, share
// a call when they ask within the linger time.
func TestObserveLingersForMoreReconciles(t *testing.T) {
	api := newFake()
	const n = 10
	for i := range n {
		api.put(fmt.Sprintf("db-%d", i), "creating")
	}
	f := NewRegistry(Options{Period: time.Hour, Linger: time.Second}).For("s", api)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("db-%d", i)
			if db, _, err := f.Observe(context.Background(), id, watcher(id), time.Minute, false); err != nil || db == nil {
				t.Errorf("%s: %v, %v", id, db, err)
			}
		}()
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	if calls := api.callLog(); len(calls) != 1 {
		t.Errorf("%d reconciles asking 20ms apart made calls %v; want one", n, calls)
	}
}

// A fresh description is reused; an old one is not.
func TestObserveReusesFreshDescriptions(t *testing.T) {
	api := newFake()
	api.put("orders", "available")
	f := NewRegistry(Options{Period: time.Hour}).For("s", api)
	ctx := context.Background()
	for range 3 {
		if _, _, err := f.Observe(ctx, "orders", watcher("orders"), time.Minute, false); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(api.callLog()); got != 1 {
		t.Errorf("3 observations within a minute made %d calls, want 1", got)
	}
	if _, fresh, _ := f.Observe(ctx, "orders", watcher("orders"), time.Minute, false); fresh {
		t.Error("a reused description is reported fresh")
	}
	if _, fresh, err := f.Observe(ctx, "orders", watcher("orders"), 0, false); err != nil || !fresh {
		t.Fatalf("asked for a description made now: fresh %t, error %v", fresh, err)
	}
	if got := len(api.callLog()); got != 2 {
		t.Errorf("an observation that needs a newer description made %d calls in all, want 2", got)
	}
}

// After this provider changed an instance, the next observation reflects
// the change: never a second create or a modify from a stale read.
func TestObserveAfterChangeIsFresh(t *testing.T) {
	api := newFake()
	f := NewRegistry(Options{Period: time.Hour}).For("s", api)
	ctx := context.Background()
	w := watcher("orders")
	db, _, err := f.Observe(ctx, "orders", w, time.Hour, false)
	if err != nil || db != nil {
		t.Fatalf("before create: got %v, %v; want absent", db, err)
	}
	api.put("orders", "creating") // CreateDBInstance
	f.Changed("orders")
	db, _, err = f.Observe(ctx, "orders", w, time.Hour, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := statusOf(db); got != "creating" {
		t.Errorf("after create: got %s, want creating", got)
	}
	api.put("orders", "modifying") // ModifyDBInstance
	f.Changed("orders")
	if db, _, _ = f.Observe(ctx, "orders", w, time.Hour, false); statusOf(db) != "modifying" {
		t.Errorf("after modify: got %s, want modifying", statusOf(db))
	}
	api.put("orders", "deleting") // DeleteDBInstance
	f.Deleted("orders")
	if db, _, _ = f.Observe(ctx, "orders", w, time.Hour, false); statusOf(db) != "deleting" {
		t.Errorf("after delete: got %s, want deleting", statusOf(db))
	}
}

// An instance that was there and is missing from a batch is described on
// its own before it is taken for gone, unless this provider deleted it.
func TestMissingFromBatchIsCheckedOnItsOwn(t *testing.T) {
	cases := map[string]struct {
		exists  bool // whether it is still there (only the batch missed it)
		deleted bool // whether this provider deleted it
		want    string
		wantOwn bool // whether a call of its own was made
	}{
		"a batch missed it":           {exists: true, want: "available", wantOwn: true},
		"gone out of band":            {want: "<absent>", wantOwn: true},
		"deleted by this provider":    {deleted: true, want: "<absent>"},
		"never there, needs no check": {want: "<absent>"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFake()
			f := NewRegistry(Options{Period: time.Hour}).For("s", api)
			ctx := context.Background()
			w := watcher("orders")
			if name != "never there, needs no check" {
				api.put("orders", "available")
				if db, _, err := f.Observe(ctx, "orders", w, time.Hour, false); err != nil || db == nil {
					t.Fatalf("first observation: %v, %v", db, err)
				}
			}
			if tc.exists {
				api.hidden["orders"] = true
			} else {
				api.remove("orders")
			}
			if tc.deleted {
				f.Deleted("orders")
			}
			db, _, err := f.Observe(ctx, "orders", w, time.Nanosecond, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := statusOf(db); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if own := slices.Contains(api.callLog(), "id:orders"); own != tc.wantOwn {
				t.Errorf("described on its own: %t, want %t (calls %v)", own, tc.wantOwn, api.callLog())
			}
		})
	}
}

// A sweep describes every watched instance each period and tells the
// watchers of those changed, created or deleted out of band.
func TestSweepNotifiesOutOfBandChanges(t *testing.T) {
	api := newFake()
	api.put("changed", "available")
	api.put("deleted", "available")
	api.put("steady", "available")
	notified := make(chan Watcher, 10)
	f := NewRegistry(Options{Period: 50 * time.Millisecond, Notify: func(w Watcher) { notified <- w }}).For("s", api)
	ctx := context.Background()
	for _, id := range []string{"changed", "deleted", "steady", "created"} {
		if _, _, err := f.Observe(ctx, id, watcher(id), time.Hour, false); err != nil {
			t.Fatal(err)
		}
	}
	api.put("changed", "storage-full")
	api.remove("deleted")
	api.put("created", "available")

	got := map[string]bool{}
	deadline := time.After(10 * time.Second)
	for len(got) < 3 {
		select {
		case w := <-notified:
			got[w.Name] = true
		case <-deadline:
			t.Fatalf("after 10s, notified only %v", got)
		}
	}
	if diff := cmp.Diff(map[string]bool{"changed": true, "deleted": true, "created": true}, got); diff != "" {
		t.Errorf("notified (-want +got):\n%s", diff)
	}
	// The next reconcile reads what the sweep found, without a call.
	before := len(api.callLog())
	db, _, _ := f.Observe(ctx, "changed", watcher("changed"), time.Hour, false)
	if statusOf(db) != "storage-full" {
		t.Errorf("after the sweep: got %s, want storage-full", statusOf(db))
	}
	if calls := api.callLog()[before:]; len(calls) > 1 {
		// At most a sweep's own call may have slipped in.
		t.Errorf("the reconcile after a sweep made calls: %v", calls)
	}
}

// An instance in a short transition is described every transition period,
// so its watcher hears when the transition ends; settled ones wait for
// the full sweep.
// While AWS fails every call, sweeps come less and less often instead of
// every period; once it answers again, they come every period again.
func TestSweepsBackOffWhileAWSFails(t *testing.T) {
	api := newFake()
	api.put("db", "available")
	const period = 20 * time.Millisecond
	f := NewRegistry(Options{Period: period}).For("s", api)
	if _, _, err := f.Observe(context.Background(), "db", watcher("db"), time.Hour, false); err != nil {
		t.Fatal(err)
	}
	// Its reconcile keeps asking, content with what was described.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(period):
				_, _, _ = f.Observe(context.Background(), "db", watcher("db"), time.Hour, false)
			}
		}
	}()
	api.mu.Lock()
	api.failing = errors.New("api error ServiceUnavailable")
	api.mu.Unlock()
	time.Sleep(50 * period)
	// Every period, 50 sweeps would have failed; backing off from 2
	// periods, doubling, 5 (2+4+8+16 = 30 periods, the next at 62).
	if got := len(api.callLog()) - 1; got > 6 {
		t.Errorf("calls while AWS failed for 50 sweep periods: want at most 6 (backing off), got %d", got)
	}
	api.mu.Lock()
	api.failing = nil
	api.mu.Unlock()
	// A reconcile asks when its own back-off ends: its call succeeds and
	// sweeps return to their period.
	if _, _, err := f.Observe(context.Background(), "db", watcher("db"), 0, false); err != nil {
		t.Fatal(err)
	}
	before := len(api.callLog())
	time.Sleep(20 * period)
	if got := len(api.callLog()) - before; got < 10 {
		t.Errorf("sweeps in 20 periods after AWS recovered: want at least 10, got %d", got)
	}
}

func TestTransitionsAreSweptSooner(t *testing.T) {
	api := newFake()
	api.put("creating", "creating")
	api.put("settled", "available")
	notified := make(chan Watcher, 10)
	f := NewRegistry(Options{Period: time.Hour, TransitionPeriod: 20 * time.Millisecond, Notify: func(w Watcher) { notified <- w }}).For("s", api)
	ctx := context.Background()
	if _, _, err := f.Observe(ctx, "creating", watcher("creating"), time.Second, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Observe(ctx, "settled", watcher("settled"), time.Hour, false); err != nil {
		t.Fatal(err)
	}
	api.put("creating", "available")
	api.put("settled", "stopped")
	select {
	case w := <-notified:
		if w.Name != "creating" {
			t.Errorf("notified %s; want creating", w.Name)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the end of the transition was not noticed")
	}
	time.Sleep(100 * time.Millisecond) // five transition periods
	select {
	case w := <-notified:
		t.Errorf("notified %s before the full sweep", w.Name)
	default:
	}
}

// A DB instance a reconcile waits for and a sweep has due at once is
// described once, and the reconcile gets its answer.
func TestBatchTakesAKeyOnce(t *testing.T) {
	f := NewRegistry(Options{}).For("s", newFake())
	f.mu.Lock()
	for _, id := range []string{"a", "b", "c"} {
		k := identifierKey(id)
		f.entry(k).queued, f.entry(k).sweeping = true, true
		f.queue = append(f.queue, k)
		f.sweep = append([]key{k}, f.sweep...)
	}
	batch := f.nextBatch()
	rest := len(f.queue) + len(f.sweep)
	f.mu.Unlock()
	if diff := cmp.Diff([]key{identifierKey("a"), identifierKey("b"), identifierKey("c")}, batch, cmp.AllowUnexported(key{})); diff != "" {
		t.Errorf("batch (-want +got):\n%s", diff)
	}
	if rest != 0 {
		t.Errorf("%d keys left queued after the batch took them all", rest)
	}

	// End to end: a reconcile waiting while transition sweeps run gets
	// its answer every time.
	api := newFake()
	api.put("orders", "creating")
	f = NewRegistry(Options{Period: time.Hour, TransitionPeriod: time.Millisecond, Linger: time.Millisecond}).For("s", api)
	for range 200 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _, err := f.Observe(ctx, "orders", watcher("orders"), time.Microsecond, false)
		cancel()
		if err != nil {
			t.Fatalf("a waiting reconcile got no answer: %v", err)
		}
	}
}

// Answers longer than a page are read to the end.
func TestObserveReadsEveryPage(t *testing.T) {
	api := newFake()
	api.pageSize = 7
	api.latency = 10 * time.Millisecond
	observeConcurrently(t, api, 30)
}

// observeConcurrently puts n available instances into the fake and has as
// many reconciles observe one each at once: each must get its own.
func observeConcurrently(t *testing.T, api *fakeRDS, n int) {
	t.Helper()
	for i := range n {
		api.put(fmt.Sprintf("db-%03d", i), "available")
	}
	f := NewRegistry(Options{Period: time.Hour}).For("s", api)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("db-%03d", i)
			db, _, err := f.Observe(context.Background(), id, watcher(id), time.Minute, false)
			switch {
			case err != nil:
				errs <- fmt.Errorf("%s: %w", id, err)
			case db == nil || aws.ToString(db.DBInstanceIdentifier) != id:
				errs <- fmt.Errorf("%s: got %v", id, db)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// An external name in the form of a resource ID is looked up as one, then
// as an identifier.
func TestObserveByResourceID(t *testing.T) {
	api := newFake()
	api.put("orders", "available") // resource ID db-orders
	api.put("db-legacy", "available")
	f := NewRegistry(Options{Period: time.Hour}).For("s", api)
	ctx := context.Background()
	for name, want := range map[string]string{"db-orders": "orders", "db-legacy": "db-legacy"} {
		db, _, err := f.Observe(ctx, name, watcher(name), time.Hour, true)
		if err != nil || db == nil {
			t.Fatalf("%s: %v, %v", name, db, err)
		}
		if got := aws.ToString(db.DBInstanceIdentifier); got != want {
			t.Errorf("%s: got %s, want %s", name, got, want)
		}
	}
}

// When its Instances are gone, a fleet forgets their instances and stops.
func TestForgetStopsTheFleet(t *testing.T) {
	api := newFake()
	api.put("orders", "available")
	f := NewRegistry(Options{Period: 10 * time.Millisecond}).For("s", api)
	if _, _, err := f.Observe(context.Background(), "orders", watcher("orders"), time.Hour, false); err != nil {
		t.Fatal(err)
	}
	f.Forget("orders", watcher("orders"))
	f.mu.Lock()
	watched := len(f.entries)
	f.mu.Unlock()
	if watched != 0 {
		t.Errorf("%d instances still watched", watched)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		running := f.running
		f.mu.Unlock()
		if !running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the fleet's loop still runs with nothing to watch")
		}
		time.Sleep(5 * time.Millisecond)
	}
	calls := len(api.callLog())
	time.Sleep(50 * time.Millisecond)
	if got := len(api.callLog()); got != calls {
		t.Errorf("%d calls after everything was forgotten", got-calls)
	}
}
