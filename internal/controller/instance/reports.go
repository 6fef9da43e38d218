package instance

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta1"
)

// reports emits a warning event when what it says about a resource changes,
// not on every poll, so that a standing condition (a field RDS cannot apply,
// a field not honoured) is visible without an event write per reconcile.
type reports struct {
	mu   sync.Mutex
	last map[reportKey]string
}

type reportKey struct {
	uid    types.UID
	reason event.Reason
}

func newReports() *reports { return &reports{last: map[reportKey]string{}} }

// report emits msg when active and different from the last report of its
// reason; an inactive report is forgotten so that a recurrence is reported.
func (r *reports) report(rec event.Recorder, cr *v1beta1.Instance, reason event.Reason, msg string, active bool) {
	k := reportKey{uid: cr.GetUID(), reason: reason}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !active {
		delete(r.last, k)
		return
	}
	if r.last[k] == msg {
		return
	}
	r.last[k] = msg
	rec.Event(cr, event.Warning(reason, errorString(msg)))
}

// forget drops what was reported about a resource that is gone.
func (r *reports) forget(uid types.UID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.last {
		if k.uid == uid {
			delete(r.last, k)
		}
	}
}

// errorString lets a message travel as the error a warning event takes.
type errorString string

func (e errorString) Error() string { return string(e) }
