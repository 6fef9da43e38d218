package e2e

import (
	"fmt"
	"strings"
	"testing"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// When AWS throttles (the bed's token bucket, small here so that it runs in
// seconds, and smaller than the provider's budget assumes, as when other
// tools share the account), a burst of reconciles is paced and retried by
// the retryer the account and region share: every Instance becomes Ready,
// and no throttled call reaches an Instance's conditions. The bucket is
// tiny because batched observation makes few calls: eight creates and a
// handful of describes.
func TestThrottlingIsAbsorbed(t *testing.T) {
	bed := env.Bed(t)
	bed.Throttle(t, true, 3, 1)
	defer bed.Throttle(t, false, 0, 0)
	refusedBefore, failedBefore := bed.Throttled(t), env.Calls.Failures("Throttling")

	names := make([]string, 8)
	for i := range names {
		names[i] = fmt.Sprintf("throttled-%d", i)
		createInstance(t, newInstance(names[i], providerConfigName))
	}
	for _, name := range names {
		in := waitReadySynced(t, name)
		for _, c := range in.Status.Conditions {
			if strings.Contains(c.Message, "Throttling") || strings.Contains(c.Message, "Rate exceeded") {
				t.Errorf("%s: throttling reached condition %s: %s", name, c.Type, c.Message)
			}
		}
	}
	if refused := bed.Throttled(t) - refusedBefore; refused == 0 {
		t.Fatal("AWS (the bed) refused no call, so this test shows nothing; make the bucket smaller")
	}
	if failed := env.Calls.Failures("Throttling") - failedBefore; failed != 0 {
		t.Errorf("%d calls failed with Throttling after retries; want all absorbed", failed)
	}
	for _, name := range names {
		if s := condition(getInstance(t, name), xpv2.TypeSynced); s.Status != "True" {
			t.Errorf("%s Synced %s: %s", name, s.Status, s.Message)
		}
	}
}
