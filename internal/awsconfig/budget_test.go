package awsconfig

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A burst of calls never spends more than the bucket holds plus what it
// earns: AWS would refuse the rest.
func TestBudgetKeepsCallsInsideTheBucket(t *testing.T) {
	const burst, rate, calls = 5, 100.0, 40
	b := newBudget(burst, rate)
	start := time.Now()
	var mu sync.Mutex
	var at []time.Duration
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			class := writes
			if i%3 == 0 {
				class = reads
			}
			if err := b.wait(context.Background(), class); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			at = append(at, time.Since(start))
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(at) != calls {
		t.Fatalf("got %d calls through, want %d", len(at), calls)
	}
	// The k-th call (from 1) cannot go before the bucket earned k-burst
	// tokens. Sorting is not needed for the bound: count how many went by
	// each call's own time.
	for _, d := range at {
		sent := 0
		for _, e := range at {
			if e <= d {
				sent++
			}
		}
		if allowed := burst + int(d.Seconds()*rate) + 1; sent > allowed {
			t.Errorf("%d calls went by %v; the bucket allows %d", sent, d, allowed)
		}
	}
}

// Waiting reads go before waiting writes; each class keeps its order.
func TestBudgetServesReadsFirst(t *testing.T) {
	b := newBudget(1, 50)
	if err := b.wait(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	n := 0
	enqueue := func(name string, class int) {
		n++
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.wait(context.Background(), class); err != nil {
				t.Error(err)
			}
			mu.Lock()
			got = append(got, name)
			mu.Unlock()
		}()
		// Wait until it is queued, so that the order is known.
		for waitingCalls(b) < n {
			time.Sleep(time.Millisecond)
		}
	}
	b.mu.Lock()
	b.tokens = -3 // nothing is granted until all three are queued
	b.mu.Unlock()
	enqueue("create-1", writes)
	enqueue("create-2", writes)
	enqueue("describe", reads)
	wg.Wait()
	if diff := cmp.Diff([]string{"describe", "create-1", "create-2"}, got); diff != "" {
		t.Errorf("order of calls (-want +got):\n%s", diff)
	}
}

func waitingCalls(b *budget) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiting[reads]) + len(b.waiting[writes])
}

// A call whose context ends while it waits leaves the queue without
// spending a token.
func TestBudgetCancelledWaitSpendsNothing(t *testing.T) {
	b := newBudget(1, 10)
	if err := b.wait(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := b.wait(ctx, writes); err == nil {
		t.Fatal("a wait with no token and an expiring context returned no error")
	}
	b.mu.Lock()
	n := len(b.waiting[writes])
	b.mu.Unlock()
	if n != 0 {
		t.Errorf("%d cancelled calls still wait", n)
	}
	// The token earned meanwhile goes to the next caller.
	if err := b.wait(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
}
