package awsconfig

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// RDS's API request budget per account and Region: a token bucket of 300
// requests, refilled at 12 per second, shared by every caller.
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#Limits.API
const (
	rdsBurst = 300
	rdsRate  = 12
)

// A budget paces the RDS calls of one account and Region to AWS's token
// bucket, so that a burst of reconciles waits for its turn here instead of
// being refused by AWS. Reads (Describe*, List*) go before writes: a
// waiting create costs its reconcile nothing, while a delayed observation
// delays every reconcile waiting for it, and Ready with it.
type budget struct {
	rate, burst float64

	mu      sync.Mutex
	tokens  float64
	last    time.Time
	waiting [2][]*turn // reads, then writes
	timer   *time.Timer
}

// A turn is a call waiting for a token; granted is closed when it has one.
type turn struct{ granted chan struct{} }

const (
	reads = iota
	writes
)

func newBudget(burst, rate float64) *budget {
	return &budget{rate: rate, burst: burst, tokens: burst, last: time.Now()}
}

// wait returns when the call may be sent, or with the context's error.
func (b *budget) wait(ctx context.Context, class int) error {
	b.mu.Lock()
	b.refill()
	if b.tokens >= 1 && len(b.waiting[reads]) == 0 && (class == reads || len(b.waiting[writes]) == 0) {
		b.tokens--
		b.mu.Unlock()
		return nil
	}
	t := &turn{granted: make(chan struct{})}
	b.waiting[class] = append(b.waiting[class], t)
	b.schedule()
	b.mu.Unlock()

	select {
	case <-t.granted:
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		defer b.mu.Unlock()
		select {
		case <-t.granted:
			return nil // granted meanwhile: use it
		default:
		}
		b.waiting[class] = slices.DeleteFunc(b.waiting[class], func(x *turn) bool { return x == t })
		return ctx.Err()
	}
}

// refill adds the tokens earned since the last refill; b.mu is held.
func (b *budget) refill() {
	now := time.Now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
}

// schedule sets a timer for when the next token is earned, if calls wait
// and none is set; b.mu is held.
func (b *budget) schedule() {
	if b.timer != nil || len(b.waiting[reads])+len(b.waiting[writes]) == 0 {
		return
	}
	delay := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
	b.timer = time.AfterFunc(max(delay, time.Millisecond), b.grant)
}

// grant hands earned tokens to waiting calls, reads first, in order.
func (b *budget) grant() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.timer = nil
	b.refill()
	for b.tokens >= 1 {
		class := reads
		if len(b.waiting[reads]) == 0 {
			class = writes
		}
		if len(b.waiting[class]) == 0 {
			break
		}
		t := b.waiting[class][0]
		b.waiting[class] = b.waiting[class][1:]
		b.tokens--
		close(t.granted)
	}
	b.schedule()
}

// classOf tells reads from writes by the operation's name.
func classOf(operation string) int {
	if strings.HasPrefix(operation, "Describe") || strings.HasPrefix(operation, "List") {
		return reads
	}
	return writes
}

// paced is the middleware that makes each attempt of a call (retries too:
// AWS counts them) wait for its token.
func (b *budget) paced(st *middleware.Stack) error {
	return st.Finalize.Insert(middleware.FinalizeMiddlewareFunc("ProviderRDSBudget",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if err := b.wait(ctx, classOf(middleware.GetOperationName(ctx))); err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleFinalize(ctx, in)
		}), "Retry", middleware.After)
}
