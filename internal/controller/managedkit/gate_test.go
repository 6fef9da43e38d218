package managedkit

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/gate"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
)

func TestWhenEstablished(t *testing.T) {
	instance := schema.GroupVersionKind{Group: "rds.aws.upbound.io", Version: "v1beta3", Kind: "Instance"}
	config := schema.GroupVersionKind{Group: "aws.upbound.io", Version: "v1beta1", Kind: "ProviderConfig"}
	cases := map[string]struct {
		gated      bool
		set        []schema.GroupVersionKind
		setupErr   error
		wantCalled bool
		wantErr    bool
	}{
		"NoGateSetsUpAtOnce":            {wantCalled: true},
		"NoGateReturnsTheSetupError":    {setupErr: errors.New("boom"), wantCalled: true, wantErr: true},
		"GateWaitsForEveryKind":         {gated: true, set: []schema.GroupVersionKind{instance}},
		"GateOpensWhenEveryKindIsReady": {gated: true, set: []schema.GroupVersionKind{instance, config}, wantCalled: true},
		"GateWaitsWithNothingReady":     {gated: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := controller.Options{Logger: logging.NewNopLogger()}
			var g *gate.Gate[schema.GroupVersionKind]
			if tc.gated {
				g = new(gate.Gate[schema.GroupVersionKind])
				o.Gate = g
			}
			called := make(chan struct{}, 1)
			err := WhenEstablished(o, "managed/instance", func() error { called <- struct{}{}; return tc.setupErr }, instance, config)
			if (err != nil) != tc.wantErr {
				t.Fatalf("WhenEstablished: want error %v, got %v", tc.wantErr, err)
			}
			for _, k := range tc.set {
				g.Set(k, true)
			}
			// The gate calls back on a goroutine of its own.
			var got bool
			select {
			case <-called:
				got = true
			case <-time.After(time.Second):
			}
			if diff := cmp.Diff(tc.wantCalled, got); diff != "" {
				t.Errorf("setup called: -want +got:\n%s", diff)
			}
		})
	}
}
