package controller

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// A status write that changes nothing is left out; one that changes
// something, or is made on another version than the cache holds, is not.
func TestUnchangedStatusIsNotWritten(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1beta3.SchemeBuilder.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "db"}}
	in.Status.SetConditions(xpv2.Available(), xpv2.ReconcileSuccess())
	writes := 0
	inner := fake.NewClientBuilder().WithScheme(scheme).WithObjects(in).WithStatusSubresource(in).Build()
	c := &unchangedStatusSkipped{Client: countingStatus{Client: inner, writes: &writes}}
	ctx := context.Background()
	get := func() *v1beta3.Instance {
		got := &v1beta3.Instance{}
		if err := c.Get(ctx, client.ObjectKey{Name: "db"}, got); err != nil {
			t.Fatal(err)
		}
		return got
	}

	got := get()
	got.Status.SetConditions(xpv2.Available(), xpv2.ReconcileSuccess()) // as a reconcile that found nothing to do
	if err := c.Status().Update(ctx, got); err != nil || writes != 0 {
		t.Fatalf("an unchanged status: want no write, got %d (%v)", writes, err)
	}

	got.Status.SetConditions(xpv2.Unavailable())
	if err := c.Status().Update(ctx, got); err != nil || writes != 1 {
		t.Fatalf("a changed status: want one write, got %d (%v)", writes, err)
	}
	if s := get().Status.GetCondition(xpv2.TypeReady).Status; s != corev1.ConditionFalse {
		t.Fatalf("the changed status was not written: Ready %s", s)
	}

	stale := get()
	stale.SetResourceVersion("1")
	if err := c.Status().Update(ctx, stale); err == nil || writes != 2 {
		t.Errorf("an object of another version than the cache's: want it sent (and refused as a conflict), got %d writes, %v", writes, err)
	}
}

// countingStatus counts the status writes that reach the API.
type countingStatus struct {
	client.Client
	writes *int
}

func (c countingStatus) Status() client.SubResourceWriter {
	return countingWriter{SubResourceWriter: c.Client.Status(), writes: c.writes}
}

type countingWriter struct {
	client.SubResourceWriter
	writes *int
}

func (w countingWriter) Update(ctx context.Context, obj client.Object, opts ...client.SubResourceUpdateOption) error {
	*w.writes++
	return w.SubResourceWriter.Update(ctx, obj, opts...)
}
