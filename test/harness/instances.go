package harness

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// NewInstance returns a small PostgreSQL Instance that deletes without a
// final snapshot, for tests that are not about snapshots.
func NewInstance(name, providerConfig string) *v1beta3.Instance {
	in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: name}}
	in.Spec.ProviderConfigReference = &xpv2.Reference{Name: providerConfig}
	in.Spec.ForProvider = v1beta3.InstanceParameters{
		Region:            aws.String(Region),
		InstanceClass:     aws.String("db.t3.micro"),
		Engine:            aws.String("postgres"),
		EngineVersion:     aws.String("16.2"),
		AllocatedStorage:  aws.Float64(20),
		SkipFinalSnapshot: aws.Bool(true),
	}
	return in
}

// Instance returns the Instance of a name, failing the test if it cannot.
func (e *Env) Instance(t testing.TB, name string) *v1beta3.Instance {
	t.Helper()
	in := &v1beta3.Instance{}
	if err := e.Kube.Get(context.Background(), ktypes.NamespacedName{Name: name}, in); err != nil {
		t.Fatalf("cannot get Instance %s: %v", name, err)
	}
	return in
}

// WaitReadySynced waits until an Instance is Ready and Synced, and returns
// it.
func (e *Env) WaitReadySynced(t testing.TB, name string, timeout time.Duration) *v1beta3.Instance {
	t.Helper()
	var in *v1beta3.Instance
	Eventually(t, timeout, "Instance "+name+" Ready and Synced", func() (bool, string) {
		in = e.Instance(t, name)
		r, s := in.Status.GetCondition(xpv2.TypeReady), in.Status.GetCondition(xpv2.TypeSynced)
		return r.Status == corev1.ConditionTrue && s.Status == corev1.ConditionTrue,
			"Ready=" + string(r.Status) + " " + r.Message + "; Synced=" + string(s.Status) + " " + s.Message
	})
	return in
}

// DeleteAndWaitGone deletes an Instance and waits until the object is gone.
func (e *Env) DeleteAndWaitGone(t testing.TB, name string, timeout time.Duration) {
	t.Helper()
	in := &v1beta3.Instance{}
	in.SetName(name)
	if err := e.Kube.Delete(context.Background(), in); client.IgnoreNotFound(err) != nil {
		t.Fatal(err)
	}
	e.WaitInstanceGone(t, name, timeout)
}

// WaitInstanceGone waits until an Instance object is gone.
func (e *Env) WaitInstanceGone(t testing.TB, name string, timeout time.Duration) {
	t.Helper()
	Eventually(t, timeout, "Instance "+name+" deleted", func() (bool, string) {
		err := e.Kube.Get(context.Background(), ktypes.NamespacedName{Name: name}, &v1beta3.Instance{})
		return kerrors.IsNotFound(err), "still present"
	})
}

// InstanceEvents returns the events of the Instance of a name.
func (e *Env) InstanceEvents(t testing.TB, name string) []corev1.Event {
	t.Helper()
	l := &corev1.EventList{}
	if err := e.Kube.List(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	var out []corev1.Event
	for _, ev := range l.Items {
		if ev.InvolvedObject.Kind == "Instance" && ev.InvolvedObject.Name == name {
			out = append(out, ev)
		}
	}
	return out
}
