package managedkit

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

type countingRecorder struct{ events []event.Event }

func (r *countingRecorder) Event(_ runtime.Object, e event.Event) { r.events = append(r.events, e) }

func (r *countingRecorder) WithAnnotations(...string) event.Recorder { return r }

func TestWarnOncePerChange(t *testing.T) {
	rec := &countingRecorder{}
	cr := &v1beta3.Instance{}
	for range 3 {
		Warn(rec, cr, TypeCannotApply, "CannotApply", "storageEncrypted: RDS sets it only at creation", true)
	}
	if len(rec.events) != 1 {
		t.Fatalf("the same warning on three polls: want 1 event, got %d", len(rec.events))
	}
	if c := cr.GetCondition(TypeCannotApply); c.Status != corev1.ConditionTrue || c.Message != "storageEncrypted: RDS sets it only at creation" {
		t.Errorf("condition: want True with the message, got %s %q", c.Status, c.Message)
	}
	Warn(rec, cr, TypeCannotApply, "CannotApply", "engine: RDS sets it only at creation", true)
	if len(rec.events) != 2 {
		t.Errorf("a changed warning: want a second event, got %d in all", len(rec.events))
	}
	Warn(rec, cr, TypeCannotApply, "CannotApply", "", false)
	if c := cr.GetCondition(TypeCannotApply); c.Status != corev1.ConditionFalse {
		t.Errorf("condition once resolved: want False, got %s", c.Status)
	}
}
