package managedkit

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

func TestProviderConfigBackoff(t *testing.T) {
	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	pc := &awsv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Name: "slow"}}
	pc.Spec.ReconciliationPolicy = &awsv1beta1.ReconciliationPolicy{ExponentialFailureRateLimiter: &awsv1beta1.ExponentialFailureRateLimiter{
		BaseDelay: &metav1.Duration{Duration: 10 * time.Second}, MaxDelay: &metav1.Duration{Duration: 30 * time.Second},
	}}
	tuned := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "tuned"}}
	tuned.Spec.ProviderConfigReference = &xpv2.Reference{Name: "slow"}
	plain := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "plain"}}
	plain.Spec.ProviderConfigReference = &xpv2.Reference{Name: "default"}
	b := newProviderConfigBackoff(fake.NewClientBuilder().WithScheme(s).WithObjects(pc, tuned, plain).Build(), func() resource.Managed { return &v1beta3.Instance{} })

	req := func(n string) reconcile.Request {
		return reconcile.Request{NamespacedName: types.NamespacedName{Name: n}}
	}
	var got []time.Duration
	for range 4 {
		got = append(got, b.When(req("tuned")))
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second, 30 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("tuned ProviderConfig delays: want %v, got %v", want, got)
			break
		}
	}
	if d := b.When(req("plain")); d != defaultBaseDelay {
		t.Errorf("default delay: want %v, got %v", defaultBaseDelay, d)
	}
	b.Forget(req("tuned"))
	if d := b.When(req("tuned")); d != 10*time.Second || b.NumRequeues(req("tuned")) != 1 {
		t.Errorf("after Forget: want the base delay again, got %v", d)
	}
}
