package faults

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/test/harness"
)

// waitHeld waits until AWS has acted on a request whose answer the proxy
// holds.
func waitHeld(t *testing.T, f *harness.Fault, what string) {
	t.Helper()
	select {
	case <-f.Reached():
	case <-time.After(waitTimeout):
		t.Fatalf("no %s reached AWS within %s", what, waitTimeout)
	}
}

// The provider is killed after AWS made the database and before the
// provider heard so: the only record is crossplane-runtime's
// external-create-pending annotation. The next provider neither creates
// a second database nor sets another password.
func TestKilledBetweenCreateAndRecord(t *testing.T) {
	ps := newProviders(t)
	first := ps.start()
	mark := proxy.Mark()
	held := proxy.Inject(harness.Fault{Actions: []string{"CreateDBInstance"}, Hold: true})
	createInstance(t, newInstance("killed-db"))
	waitHeld(t, held, "CreateDBInstance")
	ps.kill(first)
	proxy.Remove(held)

	in := getInstance(t, "killed-db")
	if meta.GetExternalCreatePending(in).IsZero() || !meta.GetExternalCreateSucceeded(in).IsZero() {
		t.Fatalf("the provider was not killed between create and record: annotations %v", in.GetAnnotations())
	}
	ps.start()
	waitReadySynced(t, "killed-db")
	t.Logf("calls by action, tried/reached AWS: %s", harnessCounts(mark))
	if _, created := proxy.Count(mark, "CreateDBInstance", "killed-db"); created != 1 {
		t.Errorf("CreateDBInstance calls that reached AWS: want 1, got %d", created)
	}
	if _, modified := proxy.Count(mark, "ModifyDBInstance", "killed-db"); modified != 0 {
		t.Errorf("ModifyDBInstance calls that reached AWS: want 0 (the password is the one created with), got %d", modified)
	}
	checkOneDatabaseWithItsPassword(t, "killed-db")
}

// The provider is killed after AWS accepted a DeleteDBInstance and before
// the provider heard so. The next provider finishes the deletion: the
// database is gone, the Instance and its generated password Secret too,
// without a storm of calls.
func TestRestartedDuringDeletion(t *testing.T) {
	ps := newProviders(t)
	first := ps.start()
	createInstance(t, newInstance("deleted-db"))
	waitReadySynced(t, "deleted-db")

	mark := proxy.Mark()
	held := proxy.Inject(harness.Fault{Actions: []string{"DeleteDBInstance"}, Hold: true})
	if err := env.Kube.Delete(context.Background(), getInstance(t, "deleted-db")); err != nil {
		t.Fatal(err)
	}
	waitHeld(t, held, "DeleteDBInstance")
	ps.kill(first)
	proxy.Remove(held)
	if in := getInstance(t, "deleted-db"); in.GetDeletionTimestamp() == nil || len(in.GetFinalizers()) == 0 {
		t.Fatalf("the provider was not killed during deletion: the Instance has finalizers %v", in.GetFinalizers())
	}

	ps.start()
	env.WaitInstanceGone(t, "deleted-db", waitTimeout)
	t.Logf("calls by action, tried/reached AWS: %s", harnessCounts(mark))
	if ids := dbInstances(t); len(ids) != 0 {
		t.Errorf("DB instances left in AWS: %q", ids)
	}
	if tried, _ := proxy.Count(mark, "DeleteDBInstance", "deleted-db"); tried > 2 {
		t.Errorf("DeleteDBInstance calls: want at most 2 (one before the kill, one after), got %d", tried)
	}
	err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: harness.ProviderNamespace, Name: instance.GeneratedSecretName("deleted-db")}, &corev1.Secret{})
	if !kerrors.IsNotFound(err) {
		t.Errorf("the generated password Secret of the deleted Instance: want gone, got %v", err)
	}
}

// The API server's process is killed and comes back 5 s later, with the
// same etcd. The provider keeps running, changes nothing in AWS while it cannot
// read its resources, and then corrects a change made meanwhile.
func TestAPIServerRestart(t *testing.T) {
	ps := newProviders(t)
	p := ps.start()
	createInstance(t, newInstance("apiserver-db"))
	waitReadySynced(t, "apiserver-db")

	mark := proxy.Mark()
	env.RestartAPIServer(t, 5*time.Second)
	restarted := proxy.Mark()
	if !p.Running() {
		t.Fatal("the provider exited when the API server restarted")
	}
	mutating := func(r harness.ProxiedRequest) bool { return harness.Mutating(r.Action) }
	if n := proxy.Tally(mark, restarted, mutating); n != 0 {
		t.Errorf("calls that change AWS while the API server was away: want 0, got %d (%s)", n, harnessCounts(mark))
	}

	patch := client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"forProvider":{"instanceClass":"db.t3.small"}}}`))
	if err := env.Kube.Patch(context.Background(), getInstance(t, "apiserver-db"), patch); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, waitTimeout, "apiserver-db resized to db.t3.small", func() (bool, string) {
		db := env.Describe(t, harness.Region, "apiserver-db")
		pending := ""
		if db.PendingModifiedValues != nil {
			pending = aws.ToString(db.PendingModifiedValues.DBInstanceClass)
		}
		return aws.ToString(db.DBInstanceClass) == "db.t3.small" || pending == "db.t3.small", aws.ToString(db.DBInstanceClass)
	})
	t.Logf("calls by action since the restart, tried/reached AWS: %s", harnessCounts(restarted))
	checkOneDatabaseWithItsPassword(t, "apiserver-db")
}

// The emulator restarts and forgets every database. The provider makes
// the Instance's database again, once, under the same identifier and with
// the same password: the Instance asks for a database, and the password
// Secret applications read stays right. (A database that vanishes in AWS
// has been deleted by someone; Crossplane's contract is that the spec is
// what should exist.)
func TestEmulatorRestart(t *testing.T) {
	ps := newProviders(t)
	ps.start()
	in := newInstance("vanished-db")
	in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: "vanished-db-conn"}
	createInstance(t, in)
	waitReadySynced(t, "vanished-db")
	before := getInstance(t, "vanished-db").Status.AtProvider.ResourceID

	mark := proxy.Mark()
	proxy.SetTarget(env.RestartBackend(context.Background(), t))
	harness.Eventually(t, waitTimeout, "vanished-db made again", func() (bool, string) {
		got := getInstance(t, "vanished-db").Status.AtProvider.ResourceID
		return got != nil && aws.ToString(got) != aws.ToString(before), "resource ID " + aws.ToString(got)
	})
	waitReadySynced(t, "vanished-db")
	t.Logf("calls by action, tried/reached AWS: %s", harnessCounts(mark))
	if _, created := proxy.Count(mark, "CreateDBInstance", "vanished-db"); created != 1 {
		t.Errorf("CreateDBInstance calls that reached AWS: want 1, got %d", created)
	}
	checkOneDatabaseWithItsPassword(t, "vanished-db")
	conn := &corev1.Secret{}
	if err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Namespace: "default", Name: "vanished-db-conn"}, conn); err != nil {
		t.Fatal(err)
	}
	if string(conn.Data["password"]) != password(t, "vanished-db") {
		t.Error("the connection Secret's password is not the one the new database has")
	}
	created := 0
	for _, e := range env.InstanceEvents(t, "vanished-db") {
		if e.Reason == "CreatedExternalResource" {
			created += int(max(e.Count, 1))
		}
	}
	if created != 2 {
		t.Errorf("CreatedExternalResource events: want 2 (the first create and the one after the restart), got %d", created)
	}
}

// Two replicas elect a leader; only it calls AWS. Killed at once (its
// lease is not released), the other takes over within the lease duration
// and reconciles what changed meanwhile, creating nothing twice.
func TestLeaderKilled(t *testing.T) {
	ps := newProviders(t)
	leader := ps.start("--leader-election")
	harness.Eventually(t, waitTimeout, "the first replica leads", func() (bool, string) {
		return strings.Contains(leader.Log(), "Successfully acquired lease"), "not yet"
	})
	standby := ps.start("--leader-election")
	mark := proxy.Mark()
	createInstance(t, newInstance("led-db"))
	waitReadySynced(t, "led-db")
	if n := awsCalls(t, standby); n != 0 {
		t.Errorf("AWS calls of the standby replica while the leader ran: want 0, got %d", n)
	}

	ps.kill(leader)
	killed := time.Now()
	createInstance(t, newInstance("after-leader-db"))
	waitReadySynced(t, "after-leader-db")
	t.Logf("the standby made after-leader-db Ready %s after the leader was killed", time.Since(killed).Round(time.Second))
	if !strings.Contains(standby.Log(), "Successfully acquired lease") {
		t.Error("the standby replica never took the lease")
	}
	t.Logf("calls by action, tried/reached AWS: %s", harnessCounts(mark))
	for _, id := range []string{"led-db", "after-leader-db"} {
		if _, created := proxy.Count(mark, "CreateDBInstance", id); created != 1 {
			t.Errorf("CreateDBInstance calls for %s that reached AWS: want 1, got %d", id, created)
		}
	}
	checkOneDatabaseWithItsPassword(t, "led-db", "after-leader-db")
}
