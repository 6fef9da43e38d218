package managedkit

import (
	"context"
	"math"
	"sync"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/internal/awsconfig"
)

// Default failure back-off of managed resources whose ProviderConfig sets none, the
// same as crossplane-runtime's controllers use.
const (
	defaultBaseDelay = 1 * time.Second
	defaultMaxDelay  = 60 * time.Second
)

// providerConfigBackoff is a controller's per-item failure rate limiter.
// Each managed resource backs off exponentially after failures, with the base and
// maximum delay of its ProviderConfig's
// reconciliationPolicy.exponentialFailureRateLimiter, or the defaults. It
// reads both objects from the manager's cache, so it costs no API call.
type providerConfigBackoff struct {
	cache client.Reader
	empty func() resource.Managed

	mu       sync.Mutex
	failures map[reconcile.Request]int
}

func newProviderConfigBackoff(cache client.Reader, empty func() resource.Managed) *providerConfigBackoff {
	return &providerConfigBackoff{cache: cache, empty: empty, failures: map[reconcile.Request]int{}}
}

// When returns how long to wait before retrying an item, and counts a
// failure.
func (b *providerConfigBackoff) When(item reconcile.Request) time.Duration {
	base, maxDelay := b.delays(item)
	b.mu.Lock()
	n := b.failures[item]
	b.failures[item] = n + 1
	b.mu.Unlock()
	d := float64(base) * math.Pow(2, float64(n))
	if d > float64(maxDelay) {
		return maxDelay
	}
	return time.Duration(d)
}

// Forget clears an item's failures after a success.
func (b *providerConfigBackoff) Forget(item reconcile.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.failures, item)
}

// NumRequeues returns how often an item failed in a row.
func (b *providerConfigBackoff) NumRequeues(item reconcile.Request) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failures[item]
}

func (b *providerConfigBackoff) delays(item reconcile.Request) (time.Duration, time.Duration) {
	base, maxDelay := defaultBaseDelay, defaultMaxDelay
	ctx := context.Background()
	mg := b.empty()
	if err := b.cache.Get(ctx, item.NamespacedName, mg); err != nil {
		return base, maxDelay
	}
	pc, err := awsconfig.ProviderConfigSpec(ctx, b.cache, ConfigRefOf(mg))
	if err != nil {
		return base, maxDelay
	}
	if rp := pc.Spec.ReconciliationPolicy; rp != nil && rp.ExponentialFailureRateLimiter != nil {
		if d := rp.ExponentialFailureRateLimiter.BaseDelay; d != nil && d.Duration > 0 {
			base = d.Duration
		}
		if d := rp.ExponentialFailureRateLimiter.MaxDelay; d != nil && d.Duration > 0 {
			maxDelay = d.Duration
		}
	}
	if maxDelay < base {
		maxDelay = base
	}
	return base, maxDelay
}
