package managedkit

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// Conditions that report standing states which retrying does not change: a
// spec change AWS cannot apply to an existing resource, fields accepted for
// compatibility but not honoured, changes AWS accepted and has not applied
// yet, and a new master password that is not in effect yet.
const (
	TypeCannotApply     xpv2.ConditionType = "CannotApply"
	TypeIgnoredFields   xpv2.ConditionType = "IgnoredFields"
	TypeChangesPending  xpv2.ConditionType = "ChangesPending"
	TypePasswordPending xpv2.ConditionType = "PasswordPending"

	reasonNone xpv2.ConditionReason = "None"
)

// Reported is a managed resource that carries standing conditions.
type Reported interface {
	resource.Object
	resource.Conditioned
}

// Warn reports a standing problem: a condition and a warning event.
func Warn(rec event.Recorder, cr Reported, ct xpv2.ConditionType, reason event.Reason, msg string, active bool) {
	report(rec, cr, ct, reason, msg, active, func(r event.Reason, m string) event.Event { return event.Warning(r, errorString(m)) })
}

// Inform reports a standing state that needs no action: a condition and a
// normal event.
func Inform(rec event.Recorder, cr Reported, ct xpv2.ConditionType, reason event.Reason, msg string, active bool) {
	report(rec, cr, ct, reason, msg, active, func(r event.Reason, m string) event.Event { return event.Normal(r, m) })
}

// report sets a condition on the resource and emits an event when its
// message changes. The condition lives in the resource's status, so the
// event is emitted once per change, not once per poll, and the provider
// keeps no state of its own about it.
func report(rec event.Recorder, cr Reported, ct xpv2.ConditionType, reason event.Reason, msg string, active bool, ev func(event.Reason, string) event.Event) {
	prev := cr.GetCondition(ct)
	if !active {
		if prev.Status == corev1.ConditionTrue {
			cr.SetConditions(xpv2.Condition{Type: ct, Status: corev1.ConditionFalse, Reason: reasonNone, LastTransitionTime: metav1.Now()})
		}
		return
	}
	if prev.Status == corev1.ConditionTrue && prev.Message == msg {
		return
	}
	cr.SetConditions(xpv2.Condition{Type: ct, Status: corev1.ConditionTrue, Reason: xpv2.ConditionReason(reason), Message: msg, LastTransitionTime: metav1.Now()})
	rec.Event(cr, ev(reason, msg))
}

// errorString lets a message travel as the error a warning event takes.
type errorString string

func (e errorString) Error() string { return string(e) }
