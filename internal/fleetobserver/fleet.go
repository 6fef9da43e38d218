// Package fleetobserver observes many DB instances with few AWS calls. The
// DB instances that one set of credentials sees in one region (a fleet)
// are described together, up to 100 per DescribeDBInstances call, instead
// of one call per instance per poll.
//
// Every watched DB instance is described once per sweep period, in batches;
// a reconcile reads the last description when it is fresh enough and
// otherwise waits for the next batch, which it shares with the other
// reconciles waiting at the time. Three rules keep a batched read as
// correct as a call of one's own:
//
//   - After this provider changed a DB instance (Changed), only a
//     description from a call that started afterwards is used, so there is
//     never a second create nor a modify from a stale read.
//   - A sweep that finds a DB instance changed, created or deleted out of
//     band tells the watchers of that instance (Options.Notify), so that
//     they are reconciled within a sweep period, not a poll later.
//   - A DB instance that was there and is missing from a batch is described
//     on its own before it is taken for gone, unless this provider deleted
//     it; an instance never seen needs no such check, as creating it is
//     idempotent.
package fleetobserver

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

const (
	// BatchSize is how many DB instances one call asks for: the most one
	// response page holds (MaxRecords is at most 100).
	BatchSize = 100

	filterIdentifier = "db-instance-id"
	filterResourceID = "dbi-resource-id"

	// callTimeout bounds one call with its retries.
	callTimeout = 3 * time.Minute
	// maxSweepBackoff bounds how far sweeps are put off while AWS fails
	// every call (see Fleet.run).
	maxSweepBackoff = 5 * time.Minute
	// forgetAfter is how many sweep periods a DB instance nobody asked
	// about stays watched: its Instance is gone, or uses other credentials.
	forgetAfter = 3
)

// API is the call a fleet batches.
type API interface {
	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, opts ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
}

// A Watcher is a managed resource that observes a DB instance.
type Watcher struct {
	Kind, Namespace, Name string
}

// Options of every fleet of a Registry.
type Options struct {
	// Period is how often every watched DB instance is described; never
	// when zero.
	Period time.Duration
	// TransitionPeriod is how often DB instances whose last observation
	// asked for descriptions newer than Period (those in a short
	// transition, such as creating) are described, so that their watchers
	// hear of the end of the transition within it.
	TransitionPeriod time.Duration
	// Linger is how long a call for waiting reconciles waits for more of
	// them, unless it is full: when a fleet is created at once, reconciles
	// ask one after another, and a call each would spend AWS's request
	// budget on describes instead of creates.
	Linger time.Duration
	// Notify is told of a watcher whose DB instance a sweep found changed,
	// created or gone. It must not block.
	Notify func(Watcher)
}

// Registry holds the fleets of a process, one per set of credentials and
// region.
type Registry struct {
	opts   Options
	mu     sync.Mutex
	fleets map[string]*Fleet
}

// NewRegistry returns an empty Registry.
func NewRegistry(o Options) *Registry {
	return &Registry{opts: o, fleets: map[string]*Fleet{}}
}

// For returns the fleet of a session (its credentials and region), made on
// first use with the session's API client.
func (r *Registry) For(session string, api API) *Fleet {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.fleets[session]
	if !ok {
		f = &Fleet{api: api, opts: r.opts, entries: map[key]*entry{}, wake: make(chan struct{}, 1)}
		r.fleets[session] = f
	}
	return f
}

// key names a DB instance by identifier (lower case, as RDS compares
// them) or by resource ID.
type key struct {
	filter, value string
}

func identifierKey(id string) key { return key{filterIdentifier, strings.ToLower(id)} }
func resourceIDKey(id string) key { return key{filterResourceID, id} }

// entry is what a fleet knows of one DB instance.
type entry struct {
	db *types.DBInstance // nil while absent or unknown
	// described is when the call that last described it started; zero
	// until one did.
	described time.Time
	// changed is when this provider last changed it; a description from
	// before then is stale.
	changed time.Time
	// deleted: this provider deleted it, so its absence needs no check.
	deleted bool
	// wanted is when a watcher last asked for it, and maxAge how new a
	// description it asked for.
	wanted   time.Time
	maxAge   time.Duration
	watchers map[Watcher]bool
	waiters  []waiter
	queued   bool // in Fleet.queue
	sweeping bool // in Fleet.sweep
}

type waiter struct {
	watcher Watcher
	done    chan outcome
}

type outcome struct {
	db  *types.DBInstance
	err error
}

// A Fleet observes the DB instances one set of credentials sees in one
// region.
type Fleet struct {
	api  API
	opts Options

	mu      sync.Mutex
	entries map[key]*entry
	queue   []key // asked for by waiting reconciles, first served
	// queuedSince is when the oldest key of the queue was queued.
	queuedSince time.Time
	sweep       []key // due in the current sweep
	running     bool
	wake        chan struct{}
}

// Observe returns the DB instance an external name names, or nil when
// there is none, from a description no older than maxAge and newer than
// this provider's last change to it; fresh says whether it comes from a
// call made after Observe was called (maxAge zero asks for one). An
// external name of the form of a resource ID (db-...) is looked up as one
// first, then as an identifier, since the reference provider records
// resource IDs as external names.
func (f *Fleet) Observe(ctx context.Context, name string, w Watcher, maxAge time.Duration, resourceIDLike bool) (db *types.DBInstance, fresh bool, err error) {
	if resourceIDLike {
		db, fresh, err := f.observe(ctx, resourceIDKey(name), w, maxAge)
		if err != nil || db != nil {
			return db, fresh, err
		}
	}
	return f.observe(ctx, identifierKey(name), w, maxAge)
}

func (f *Fleet) observe(ctx context.Context, k key, w Watcher, maxAge time.Duration) (*types.DBInstance, bool, error) {
	f.mu.Lock()
	now := time.Now()
	e := f.entry(k)
	e.watchers[w] = true
	e.wanted, e.maxAge = now, maxAge
	if !e.described.IsZero() && e.described.After(e.changed) && now.Sub(e.described) < maxAge {
		db := e.db
		f.mu.Unlock()
		return db, false, nil
	}
	done := make(chan outcome, 1)
	e.waiters = append(e.waiters, waiter{watcher: w, done: done})
	if !e.queued {
		e.queued = true
		if len(f.queue) == 0 {
			f.queuedSince = now
		}
		f.queue = append(f.queue, k)
	}
	f.start()
	f.mu.Unlock()
	select {
	case o := <-done:
		return o.db, true, o.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// Changed records that this provider changed (created, modified, tagged)
// the DB instance an external name names: later observations come from
// calls made after this one.
func (f *Fleet) Changed(name string) {
	f.mark(name, false)
}

// Deleted records that this provider deleted the DB instance: it is
// observed afresh, and its absence from a batch is taken as final.
func (f *Fleet) Deleted(name string) {
	f.mark(name, true)
}

func (f *Fleet) mark(name string, deleted bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	for _, k := range []key{identifierKey(name), resourceIDKey(name)} {
		if _, ok := f.entries[k]; ok || k.filter == filterIdentifier {
			e := f.entry(k)
			e.changed = now
			e.deleted = e.deleted || deleted
		}
	}
}

// Forget stops a watcher watching a DB instance: its Instance is gone.
func (f *Fleet) Forget(name string, w Watcher) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range []key{identifierKey(name), resourceIDKey(name)} {
		if e, ok := f.entries[k]; ok {
			delete(e.watchers, w)
			if len(e.watchers) == 0 && len(e.waiters) == 0 {
				f.drop(k)
			}
		}
	}
}

// entry returns the entry of a key, made if missing; f.mu is held.
func (f *Fleet) entry(k key) *entry {
	e, ok := f.entries[k]
	if !ok {
		e = &entry{watchers: map[Watcher]bool{}}
		f.entries[k] = e
	}
	return e
}

// drop removes an entry and its place in the queues; f.mu is held.
func (f *Fleet) drop(k key) {
	delete(f.entries, k)
	is := func(x key) bool { return x == k }
	f.queue, f.sweep = slices.DeleteFunc(f.queue, is), slices.DeleteFunc(f.sweep, is)
}

// start runs the fleet's loop unless it runs, and wakes it; f.mu is held.
func (f *Fleet) start() {
	if !f.running {
		f.running = true
		go f.run()
	}
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// run describes batches until nothing is watched any more: what waiting
// reconciles asked for first, then what the sweep has left to describe.
func (f *Fleet) run() {
	nextSweep, nextTransitions := after(f.opts.Period), after(f.opts.TransitionPeriod)
	failures := 0
	for {
		f.mu.Lock()
		if !time.Now().Before(nextSweep) {
			f.startSweep(func(*entry) bool { return true })
			nextSweep = after(f.opts.Period)
		}
		if !time.Now().Before(nextTransitions) {
			// Only instances there: one that is absent has no transition
			// to end, and the full sweep notices it appear.
			f.startSweep(func(e *entry) bool { return e.maxAge < f.opts.Period && e.db != nil })
			nextTransitions = after(f.opts.TransitionPeriod)
		}
		if wait := f.lingering(); wait > 0 {
			f.mu.Unlock()
			f.idle(wait)
			continue
		}
		batch := f.nextBatch()
		if len(batch) == 0 {
			if len(f.entries) == 0 {
				f.running = false
				f.mu.Unlock()
				return
			}
			f.mu.Unlock()
			f.idle(time.Until(earliest(nextSweep, nextTransitions)))
			continue
		}
		// The reconciles waiting now asked before this call starts, so its
		// answer is fresh enough for them; later ones wait for the next.
		waiters := map[key][]waiter{}
		recheck := map[key]bool{}
		for _, k := range batch {
			e := f.entries[k]
			waiters[k], e.waiters = e.waiters, nil
			recheck[k] = e.db != nil && !e.deleted
		}
		f.mu.Unlock()

		started := time.Now()
		found, err := f.describeBatch(batch, recheck)
		f.settle(batch, started, found, err, waiters)
		if err == nil {
			if failures > 0 {
				// AWS answers again: sweeps return to their schedule.
				failures = 0
				nextSweep, nextTransitions = earliest(nextSweep, after(f.opts.Period)), earliest(nextTransitions, after(f.opts.TransitionPeriod))
			}
			continue
		}
		// While AWS fails every call (an outage, a throttling storm),
		// sweeping on schedule only adds load: sweeps back off
		// exponentially. Reconciles still ask when their own failure
		// back-off ends, so the fleet recovers as soon as AWS does.
		failures++
		backoff := time.Now().Add(min(maxSweepBackoff, f.opts.Period<<min(failures, 10)))
		nextSweep, nextTransitions = latest(nextSweep, backoff), latest(nextTransitions, backoff)
	}
}

// describeBatch describes a batch. A DB instance that was there (recheck)
// and that the batch's answer leaves out is described on its own before
// it is taken for gone.
func (f *Fleet) describeBatch(batch []key, recheck map[key]bool) (map[key]*types.DBInstance, error) {
	found, err := f.describe(batch)
	if err != nil {
		return found, err
	}
	for _, k := range batch {
		if _, ok := found[k]; ok || !recheck[k] {
			continue
		}
		db, err := f.describeOne(k)
		if err != nil {
			return found, err
		}
		if db != nil {
			found[k] = db
		}
	}
	return found, nil
}

// idle waits until a reconcile asks for something, or for d.
func (f *Fleet) idle(d time.Duration) {
	select {
	case <-f.wake:
	case <-time.After(d):
	}
}

// after is when a sweep of a period starts next; never without a period.
func after(period time.Duration) time.Time {
	if period <= 0 {
		return time.Now().Add(100 * 365 * 24 * time.Hour)
	}
	return time.Now().Add(period)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// startSweep queues the watched DB instances a sweep describes, forgetting
// those nobody asked for in a while; f.mu is held.
func (f *Fleet) startSweep(due func(*entry) bool) {
	now := time.Now()
	for k, e := range f.entries {
		if f.opts.Period > 0 && len(e.waiters) == 0 && now.Sub(e.wanted) > forgetAfter*f.opts.Period {
			f.drop(k)
			continue
		}
		if due(e) && !e.sweeping {
			e.sweeping = true
			f.sweep = append(f.sweep, k)
		}
	}
}

// lingering returns how much longer the waiting reconciles' call waits
// for others; f.mu is held.
func (f *Fleet) lingering() time.Duration {
	if len(f.queue) == 0 || len(f.queue)+len(f.sweep) >= BatchSize {
		return 0
	}
	return f.opts.Linger - time.Since(f.queuedSince)
}

// nextBatch takes up to BatchSize keys of one filter: those reconciles
// wait for, then those the sweep has left; f.mu is held.
func (f *Fleet) nextBatch() []key {
	var filter string
	switch {
	case len(f.queue) > 0:
		filter = f.queue[0].filter
	case len(f.sweep) > 0:
		filter = f.sweep[0].filter
	default:
		return nil
	}
	var batch []key
	in := map[key]bool{}
	// take moves keys of the filter into the batch while it has room. A
	// key may be in both lists (a reconcile waits for it and the sweep
	// has it due): it goes into the batch once, or its waiters would be
	// collected twice, the second time as none. The queue is taken from
	// first, so a key the sweep gives is never left behind in it: either
	// the queue's keys of the filter all fit, or the batch is full.
	take := func(ks []key) []key {
		rest := ks[:0]
		for _, k := range ks {
			switch {
			case in[k]:
			case k.filter == filter && len(batch) < BatchSize:
				batch = append(batch, k)
				in[k] = true
				e := f.entries[k]
				e.queued, e.sweeping = false, false
			default:
				rest = append(rest, k)
			}
		}
		return rest
	}
	f.queue = take(f.queue)
	f.sweep = take(f.sweep)
	if len(f.queue) == 0 {
		f.queuedSince = time.Time{}
	}
	return batch
}

// describe describes a batch of DB instances of one filter, page by page.
func (f *Fleet) describe(batch []key) (map[key]*types.DBInstance, error) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	values := make([]string, len(batch))
	for i, k := range batch {
		values[i] = k.value
	}
	filter := batch[0].filter
	in := &rds.DescribeDBInstancesInput{
		Filters:    []types.Filter{{Name: aws.String(filter), Values: values}},
		MaxRecords: aws.Int32(BatchSize),
	}
	found := map[key]*types.DBInstance{}
	for {
		out, err := f.api.DescribeDBInstances(ctx, in)
		if err != nil {
			return nil, err
		}
		for i := range out.DBInstances {
			db := &out.DBInstances[i]
			if filter == filterIdentifier {
				found[identifierKey(aws.ToString(db.DBInstanceIdentifier))] = db
			} else {
				found[resourceIDKey(aws.ToString(db.DbiResourceId))] = db
			}
		}
		if aws.ToString(out.Marker) == "" {
			return found, nil
		}
		in.Marker = out.Marker
	}
}

// describeOne describes one DB instance on its own: by identifier, or
// filtered by its one resource ID.
func (f *Fleet) describeOne(k key) (*types.DBInstance, error) {
	if k.filter == filterResourceID {
		found, err := f.describe([]key{k})
		return found[k], err
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	out, err := f.api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(k.value)})
	// By code, as the instance controller tells it: typed or not.
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "DBInstanceNotFound" {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range out.DBInstances {
		return &out.DBInstances[i], nil
	}
	return nil, nil
}

// settle records what a call found, answers the reconciles that waited
// for it, and tells the other watchers of what changed.
func (f *Fleet) settle(batch []key, started time.Time, found map[key]*types.DBInstance, err error, waiters map[key][]waiter) {
	var notify []Watcher
	f.mu.Lock()
	for _, k := range batch {
		var db *types.DBInstance
		if err == nil {
			db = found[k]
		}
		for _, w := range waiters[k] {
			w.done <- outcome{db: db, err: err}
		}
		e, ok := f.entries[k]
		if !ok || err != nil {
			continue // forgotten meanwhile, or to be described again
		}
		if !e.described.IsZero() && !sameState(e.db, db) {
			waited := map[Watcher]bool{}
			for _, w := range waiters[k] {
				waited[w.watcher] = true
			}
			for w := range e.watchers {
				if !waited[w] {
					notify = append(notify, w)
				}
			}
		}
		e.db, e.described = db, started
		if db == nil {
			e.deleted = false
		}
	}
	f.mu.Unlock()
	if f.opts.Notify != nil {
		for _, w := range notify {
			f.opts.Notify(w)
		}
	}
}

// sameState reports whether two descriptions of a DB instance differ only
// in what changes by itself every few minutes (the latest restorable
// time), which needs no reconcile.
func sameState(a, b *types.DBInstance) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.LatestRestorableTime, y.LatestRestorableTime = nil, nil
	return reflect.DeepEqual(x, y)
}
