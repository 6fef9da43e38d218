package changelogs

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/grpc"

	"github.com/crossplane/crossplane-runtime/v2/apis/changelogs/proto/v1alpha1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// sidecar is a ChangeLogService server that records what it receives.
type sidecar struct {
	v1alpha1.UnimplementedChangeLogServiceServer
	mu      sync.Mutex
	entries []*v1alpha1.ChangeLogEntry
	got     chan struct{}
}

func (s *sidecar) SendChangeLog(_ context.Context, r *v1alpha1.SendChangeLogRequest) (*v1alpha1.SendChangeLogResponse, error) {
	s.mu.Lock()
	s.entries = append(s.entries, r.GetEntry())
	s.mu.Unlock()
	s.got <- struct{}{}
	return &v1alpha1.SendChangeLogResponse{}, nil
}

func serve(t *testing.T, socket string) *sidecar {
	t.Helper()
	l, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	s := &sidecar{got: make(chan struct{}, 100)}
	v1alpha1.RegisterChangeLogServiceServer(srv, s)
	go srv.Serve(l) //nolint:errcheck // Ends with the test.
	t.Cleanup(srv.Stop)
	return s
}

func instance(name string) *v1beta3.Instance {
	i := &v1beta3.Instance{}
	i.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
	i.SetName(name)
	return i
}

// Entries reach a sidecar that starts after the provider, in the order of
// the changes, each naming its operation and resource.
func TestEntriesReachALateSidecarInOrder(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "changelogs.sock")
	conn, err := Dial(socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close() //nolint:errcheck // Test.
	q := NewQueue(Options{Send: managed.NewGRPCChangeLogger(v1alpha1.NewChangeLogServiceClient(conn), managed.WithProviderVersion("provider-rds:test"))})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go q.Start(ctx) //nolint:errcheck // Returns nil.

	ops := []v1alpha1.OperationType{v1alpha1.OperationType_OPERATION_TYPE_CREATE, v1alpha1.OperationType_OPERATION_TYPE_UPDATE, v1alpha1.OperationType_OPERATION_TYPE_DELETE}
	mr := instance("orders")
	for _, op := range ops {
		if err := q.Log(ctx, mr, op, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	// The entry is of the object when it was logged, not as it is sent.
	mr.SetName("renamed-after-logging")

	s := serve(t, socket)
	for range ops {
		select {
		case <-s.got:
		case <-time.After(30 * time.Second):
			t.Fatalf("the sidecar received %d of %d entries", len(s.entries), len(ops))
		}
	}
	type got struct{ Op, Kind, Name, Provider string }
	var gotEntries []got
	for _, e := range s.entries {
		gotEntries = append(gotEntries, got{Op: e.GetOperation().String(), Kind: e.GetKind(), Name: e.GetName(), Provider: e.GetProvider()})
	}
	want := []got{
		{Op: "OPERATION_TYPE_CREATE", Kind: "Instance", Name: "orders", Provider: "provider-rds:test"},
		{Op: "OPERATION_TYPE_UPDATE", Kind: "Instance", Name: "orders", Provider: "provider-rds:test"},
		{Op: "OPERATION_TYPE_DELETE", Kind: "Instance", Name: "orders", Provider: "provider-rds:test"},
	}
	if diff := cmp.Diff(want, gotEntries); diff != "" {
		t.Errorf("entries: -want +got:\n%s", diff)
	}
}

// stuck is a sender that never returns until released, as a sidecar that
// accepts connections and never answers.
type stuck struct {
	release chan struct{}
	calls   chan struct{}
}

func (s stuck) Log(ctx context.Context, _ resource.Managed, _ v1alpha1.OperationType, _ error, _ managed.AdditionalDetails) error {
	s.calls <- struct{}{}
	select {
	case <-s.release:
		return errors.New("the sidecar gave up")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A sidecar that does not answer never holds a reconcile: Log returns at
// once, the queue fills, and what does not fit is dropped and counted, as
// are the entries whose send failed.
func TestStuckSidecarNeverHoldsReconciles(t *testing.T) {
	s := stuck{release: make(chan struct{}), calls: make(chan struct{}, 10)}
	dropped := NewDroppedCounter()
	q := NewQueue(Options{Send: s, Size: 2, Dropped: dropped})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go q.Start(ctx) //nolint:errcheck // Returns nil.

	mr := instance("orders")
	// The first entry is taken by the sender, which hangs on it.
	if err := q.Log(ctx, mr, v1alpha1.OperationType_OPERATION_TYPE_CREATE, nil, nil); err != nil {
		t.Fatal(err)
	}
	<-s.calls
	// Two wait in the queue; the next three do not fit. Had Log waited
	// for the sender, this loop would never end.
	for range 5 {
		if err := q.Log(ctx, mr, v1alpha1.OperationType_OPERATION_TYPE_UPDATE, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := testutil.ToFloat64(dropped.WithLabelValues("queue-full")); got != 3 {
		t.Errorf("entries dropped for a full queue: want 3, got %v", got)
	}
	// The sidecar gives up on each entry: three sends failed.
	close(s.release)
	<-s.calls
	<-s.calls
	deadline := time.Now().Add(30 * time.Second)
	for testutil.ToFloat64(dropped.WithLabelValues("send-failed")) != 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := testutil.ToFloat64(dropped.WithLabelValues("send-failed")); got != 3 {
		t.Errorf("entries whose send failed: want 3, got %v", got)
	}
}
