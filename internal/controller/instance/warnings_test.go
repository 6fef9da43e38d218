package instance

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
)

type countingRecorder struct{ events []event.Event }

func (r *countingRecorder) Event(_ runtime.Object, e event.Event) { r.events = append(r.events, e) }

func (r *countingRecorder) WithAnnotations(...string) event.Recorder { return r }

func TestWarnOncePerChange(t *testing.T) {
	rec := &countingRecorder{}
	cr := instanceWith()
	for range 3 {
		warn(rec, cr, TypeCannotApply, reasonCannotApply, "storageEncrypted: RDS sets it only at creation", true)
	}
	if len(rec.events) != 1 {
		t.Fatalf("the same warning on three polls: want 1 event, got %d", len(rec.events))
	}
	if c := cr.Status.GetCondition(TypeCannotApply); c.Status != corev1.ConditionTrue || c.Message != "storageEncrypted: RDS sets it only at creation" {
		t.Errorf("condition: want True with the message, got %s %q", c.Status, c.Message)
	}
	warn(rec, cr, TypeCannotApply, reasonCannotApply, "engine: RDS sets it only at creation", true)
	if len(rec.events) != 2 {
		t.Errorf("a changed warning: want a second event, got %d in all", len(rec.events))
	}
	warn(rec, cr, TypeCannotApply, reasonCannotApply, "", false)
	if c := cr.Status.GetCondition(TypeCannotApply); c.Status != corev1.ConditionFalse {
		t.Errorf("condition once resolved: want False, got %s", c.Status)
	}
}
