// Package changelogs sends a change-log entry for every create, update and
// delete the managed reconciler makes, to the change-log sidecar that
// users add beside the provider (a DeploymentRuntimeConfig), through
// crossplane-runtime's change logger and its gRPC ChangeLogService.
//
// The reconciler waits for its change logger, and crossplane-runtime's
// waits for the sidecar (up to its send timeout, 10 s, for every entry).
// An absent or slow sidecar must not stall reconciling: a create whose
// result waits to be recorded is the one a restart can lose. So entries
// are queued and sent in order by one sender; when the queue is full,
// the newest entries are dropped and counted, and the log says when
// sending fails and when it recovers.
package changelogs

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/crossplane/crossplane-runtime/v2/apis/changelogs/proto/v1alpha1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// DefaultQueueSize is how many entries may wait for the sidecar: hours of
// changes for most fleets, a few hundred kilobytes to a few megabytes.
const DefaultQueueSize = 1000

// DefaultSendTimeout bounds each entry's send, waiting for the sidecar
// included.
const DefaultSendTimeout = 5 * time.Second

const errDial = "cannot set up the change-log client"

// Dial returns a client of the sidecar's ChangeLogService on a unix
// socket. It connects lazily: the sidecar may start after the provider.
func Dial(socketPath string) (*grpc.ClientConn, error) {
	conn, err := grpc.NewClient("unix://"+socketPath, grpc.WithTransportCredentials(insecure.NewCredentials()))
	return conn, errors.Wrap(err, errDial)
}

// Options of a Queue.
type Options struct {
	// Send is the change logger that sends one entry and waits for it.
	Send managed.ChangeLogger
	// Size is how many entries may wait; DefaultQueueSize when zero.
	Size int
	// Logger reports when sending starts failing and when it recovers.
	Logger logging.Logger
	// Dropped counts entries dropped, by why: "queue-full" or
	// "send-failed".
	Dropped *prometheus.CounterVec
}

// A Queue is a managed.ChangeLogger that does not wait for the sidecar.
// Start it with the manager (it is a manager.Runnable).
type Queue struct {
	send    managed.ChangeLogger
	entries chan entry
	log     logging.Logger
	dropped *prometheus.CounterVec

	mu      sync.Mutex
	failing bool
}

type entry struct {
	mr      resource.Managed
	op      v1alpha1.OperationType
	err     error
	details managed.AdditionalDetails
}

// NewQueue returns a queue of change-log entries.
func NewQueue(o Options) *Queue {
	size := o.Size
	if size <= 0 {
		size = DefaultQueueSize
	}
	return &Queue{send: o.Send, entries: make(chan entry, size), log: o.Logger, dropped: o.Dropped}
}

// NewDroppedCounter returns the counter of dropped entries.
func NewDroppedCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "provider_rds_changelog_entries_dropped_total",
		Help: "Change-log entries not delivered to the change-log sidecar, by why: queue-full or send-failed.",
	}, []string{"reason"})
}

// Log queues an entry of the managed resource as it is now, and returns at
// once. It never fails: an entry that cannot be queued is counted.
func (q *Queue) Log(_ context.Context, mr resource.Managed, op v1alpha1.OperationType, changeErr error, ad managed.AdditionalDetails) error {
	// The reconciler goes on changing the object; the entry is of now.
	snapshot, ok := mr.DeepCopyObject().(resource.Managed)
	if !ok {
		return nil
	}
	select {
	case q.entries <- entry{mr: snapshot, op: op, err: changeErr, details: ad}:
	default:
		q.drop("queue-full", errors.New("the change-log queue is full"))
	}
	return nil
}

// Start sends queued entries, in order, until ctx is done.
func (q *Queue) Start(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-q.entries:
			err := q.send.Log(ctx, e.mr, e.op, e.err, e.details)
			if err != nil {
				q.drop("send-failed", err)
				continue
			}
			q.recovered()
		}
	}
}

// NeedLeaderElection: every replica records what it changes, and only
// the leader changes anything.
func (q *Queue) NeedLeaderElection() bool { return false }

func (q *Queue) drop(reason string, err error) {
	if q.dropped != nil {
		q.dropped.WithLabelValues(reason).Inc()
	}
	q.mu.Lock()
	first := !q.failing
	q.failing = true
	q.mu.Unlock()
	if first && q.log != nil {
		q.log.Info("Change-log entries are being dropped: the change-log sidecar does not take them (provider_rds_changelog_entries_dropped_total counts them)", "reason", reason, "error", err)
	}
}

func (q *Queue) recovered() {
	q.mu.Lock()
	was := q.failing
	q.failing = false
	q.mu.Unlock()
	if was && q.log != nil {
		q.log.Info("Change-log entries reach the change-log sidecar again")
	}
}
