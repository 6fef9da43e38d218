package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	ktypes "k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

// waitTimeout bounds each wait for the provider; main scales it to the
// backend (real AWS is slower than the test bed).
var waitTimeout = 60 * time.Second

// applyFile creates the objects of a YAML file as written, in the API
// version it names.
func applyFile(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(env.Root, path))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := harness.DecodeObjects(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, o := range objs {
		if err := env.Kube.Create(context.Background(), o); err != nil {
			t.Fatalf("cannot apply %s: %v", path, err)
		}
	}
}

func getInstance(t *testing.T, name string) *v1beta3.Instance {
	t.Helper()
	return env.Instance(t, name)
}

func condition(in *v1beta3.Instance, ct xpv2.ConditionType) xpv2.Condition {
	return in.Status.GetCondition(ct)
}

// waitReadySynced waits until an Instance is Ready and Synced.
func waitReadySynced(t *testing.T, name string) *v1beta3.Instance {
	t.Helper()
	return env.WaitReadySynced(t, name, waitTimeout)
}

// waitSyncedError waits until an Instance's Synced condition is False with a
// message containing want, and returns the message.
func waitSyncedError(t *testing.T, name, want string) string {
	t.Helper()
	msg := ""
	harness.Eventually(t, waitTimeout, "Instance "+name+" Synced=False mentioning "+want, func() (bool, string) {
		s := condition(getInstance(t, name), xpv2.TypeSynced)
		msg = s.Message
		return s.Status == corev1.ConditionFalse && strings.Contains(s.Message, want), "Synced=" + string(s.Status) + ": " + s.Message
	})
	return msg
}

// waitAvailable waits until AWS reports a DB instance available: Ready
// comes as soon as it serves (backing-up included), and some actions (stop,
// reboot) AWS takes only when it is available.
func waitAvailable(t *testing.T, id string) {
	t.Helper()
	harness.Eventually(t, waitTimeout, id+" available", func() (bool, string) {
		db := describe(t, id)
		return db != nil && aws.ToString(db.DBInstanceStatus) == "available", "not yet"
	})
}

// describe returns the DB instance from the backend, or nil if it is gone.
func describe(t *testing.T, id string) *types.DBInstance {
	t.Helper()
	return env.Describe(t, harness.Region, id)
}

// deleteAndWaitGone deletes an Instance and waits until the object is gone.
func deleteAndWaitGone(t *testing.T, name string) {
	t.Helper()
	env.DeleteAndWaitGone(t, name, waitTimeout)
}

func getSecret(t *testing.T, namespace, name string) *corev1.Secret {
	t.Helper()
	s := &corev1.Secret{}
	if err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: namespace, Name: name}, s); err != nil {
		t.Fatalf("cannot get Secret %s/%s: %v", namespace, name, err)
	}
	return s
}

func itoa32(i *int32) string { return strconv.Itoa(int(aws.ToInt32(i))) }

// ensureNamespace creates a namespace if it does not exist yet.
func ensureNamespace(t *testing.T, name string) {
	t.Helper()
	ns := &corev1.Namespace{}
	ns.SetName(name)
	if err := env.Kube.Create(context.Background(), ns); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// createOutOfBand creates a DB instance directly in the backend, as someone
// outside Kubernetes would, and returns it.
func createOutOfBand(t *testing.T, id, engine, class, user string) *types.DBInstance {
	t.Helper()
	// The version the tests' manifests name (newInstance), not moto's
	// default for an engine (PostgreSQL 9.3.3), which AWS no longer offers:
	// adopting such a database would be a major upgrade.
	version := map[string]string{"postgres": "16.2", "mysql": "8.0.35"}[engine]
	out, err := env.RDS().CreateDBInstance(context.Background(), &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String(id), DBInstanceClass: aws.String(class), Engine: aws.String(engine), EngineVersion: aws.String(version),
		AllocatedStorage: aws.Int32(20), MasterUsername: aws.String(user), MasterUserPassword: aws.String("out-of-band-password"),
	})
	if err != nil {
		t.Fatalf("cannot create %s in the backend: %v", id, err)
	}
	return out.DBInstance
}

// eventMessages returns the messages of the events of a reason recorded for
// an Instance.
func eventMessages(t *testing.T, name, reason string) []string {
	t.Helper()
	var out []string
	for _, e := range env.InstanceEvents(t, name) {
		if e.Reason == reason {
			out = append(out, e.Message)
		}
	}
	return out
}
