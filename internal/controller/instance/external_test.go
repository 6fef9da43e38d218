package instance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/fleetobserver"
)

// fakeRDS answers Describe with a fixed instance and records mutating calls.
// moto reports every instance available at once, so the in-between states
// are covered here.
type fakeRDS struct {
	RDSAPI
	db        *types.DBInstance
	createErr error
	deleteErr error
	calls     []string
	deleteIn  *rds.DeleteDBInstanceInput
	describes int
	modifyIn  *rds.ModifyDBInstanceInput
}

func (f *fakeRDS) DescribeDBInstances(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	f.describes++
	if f.db == nil {
		return nil, &types.DBInstanceNotFoundFault{Message: aws.String("not found")}
	}
	return &rds.DescribeDBInstancesOutput{DBInstances: []types.DBInstance{*f.db}}, nil
}

func (f *fakeRDS) CreateDBInstance(context.Context, *rds.CreateDBInstanceInput, ...func(*rds.Options)) (*rds.CreateDBInstanceOutput, error) {
	f.calls = append(f.calls, "CreateDBInstance")
	return &rds.CreateDBInstanceOutput{}, f.createErr
}

func (f *fakeRDS) ModifyDBInstance(_ context.Context, in *rds.ModifyDBInstanceInput, _ ...func(*rds.Options)) (*rds.ModifyDBInstanceOutput, error) {
	f.calls = append(f.calls, "ModifyDBInstance")
	f.modifyIn = in
	return &rds.ModifyDBInstanceOutput{}, nil
}

func (f *fakeRDS) AddTagsToResource(context.Context, *rds.AddTagsToResourceInput, ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error) {
	f.calls = append(f.calls, "AddTagsToResource")
	return &rds.AddTagsToResourceOutput{}, nil
}

func (f *fakeRDS) DeleteDBInstance(_ context.Context, in *rds.DeleteDBInstanceInput, _ ...func(*rds.Options)) (*rds.DeleteDBInstanceOutput, error) {
	f.calls = append(f.calls, "DeleteDBInstance")
	f.deleteIn = in
	return &rds.DeleteDBInstanceOutput{}, f.deleteErr
}

func instanceWith(mods ...func(*v1beta3.Instance)) *v1beta3.Instance {
	in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "db", UID: "uid"}}
	meta.SetExternalName(in, "db")
	in.Spec.ForProvider = v1beta3.InstanceParameters{
		Region: aws.String("ap-northeast-2"), InstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
		ManageMasterUserPassword: aws.Bool(true),
	}
	for _, m := range mods {
		m(in)
	}
	return in
}

func dbWith(status string, mods ...func(*types.DBInstance)) *types.DBInstance {
	db := &types.DBInstance{
		DBInstanceIdentifier: aws.String("db"), DBInstanceStatus: aws.String(status), DBInstanceClass: aws.String("db.t3.micro"),
		Engine: aws.String("postgres"), DBInstanceArn: aws.String("arn"), MasterUserSecret: &types.MasterUserSecret{},
		TagList: []types.Tag{
			{Key: aws.String("crossplane-kind"), Value: aws.String("instance.rds.aws.upbound.io")},
			{Key: aws.String("crossplane-name"), Value: aws.String("db")},
		},
	}
	for _, m := range mods {
		m(db)
	}
	return db
}

func fakeExternal(f *fakeRDS) *external {
	return &external{
		rds: f, instances: fleetobserver.NewRegistry(fleetobserver.Options{}).For("test", f), poll: time.Minute, record: event.NewNopRecorder(), kind: Kind,
		now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		// Annotations are written to the object in memory only.
		annotate: func(_ context.Context, o metav1.Object, k, v string) error {
			meta.AddAnnotations(o, map[string]string{k: v})
			return nil
		},
	}
}

func TestObserveStates(t *testing.T) {
	cases := map[string]struct {
		db       *types.DBInstance
		spec     func(*v1beta3.Instance)
		ready    xpv2.Condition
		upToDate bool
	}{
		"Creating":  {db: dbWith("creating"), ready: xpv2.Creating(), upToDate: true},
		"Available": {db: dbWith("available"), ready: xpv2.Available(), upToDate: true},
		"ModifyingWithDrift": {
			db:       dbWith("modifying"),
			spec:     func(in *v1beta3.Instance) { in.Spec.ForProvider.InstanceClass = aws.String("db.t3.large") },
			ready:    xpv2.Available(),
			upToDate: true,
		},
		"AvailableWithDrift": {
			db:    dbWith("available"),
			spec:  func(in *v1beta3.Instance) { in.Spec.ForProvider.InstanceClass = aws.String("db.t3.large") },
			ready: xpv2.Available(),
		},
		"Stopped": {db: dbWith("stopped"), ready: xpv2.Unavailable(), upToDate: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := instanceWith()
			if tc.spec != nil {
				tc.spec(cr)
			}
			f := &fakeRDS{db: tc.db}
			obs, err := fakeExternal(f).Observe(context.Background(), cr)
			if err != nil {
				t.Fatal(err)
			}
			if !obs.ResourceExists {
				t.Fatal("ResourceExists: want true")
			}
			if got := cr.Status.GetCondition(xpv2.TypeReady); got.Reason != tc.ready.Reason {
				t.Errorf("Ready reason: want %s, got %s", tc.ready.Reason, got.Reason)
			}
			if obs.ResourceUpToDate != tc.upToDate {
				t.Errorf("ResourceUpToDate: want %t, got %t (diff %q)", tc.upToDate, obs.ResourceUpToDate, obs.Diff)
			}
			if len(f.calls) != 0 {
				t.Errorf("Observe made mutating calls: %v", f.calls)
			}
		})
	}
}

func TestObserveRejectsInvalidIdentifier(t *testing.T) {
	cr := instanceWith(func(in *v1beta3.Instance) { meta.SetExternalName(in, "my.db") })
	_, err := fakeExternal(&fakeRDS{}).Observe(context.Background(), cr)
	if err == nil || !strings.Contains(err.Error(), `external name "my.db" is not a valid DB instance identifier`) {
		t.Errorf("want a clear identifier error, got %v", err)
	}
}

func TestDeletingAnInvalidIdentifierDoesNotBlock(t *testing.T) {
	cr := instanceWith(func(in *v1beta3.Instance) {
		meta.SetExternalName(in, "my.db")
		now := metav1.Now()
		in.SetDeletionTimestamp(&now)
	})
	obs, err := fakeExternal(&fakeRDS{}).Observe(context.Background(), cr)
	if err != nil || obs.ResourceExists {
		t.Errorf("deleting an Instance whose identifier cannot exist: want no error and nothing to delete, got exists=%t err=%v", obs.ResourceExists, err)
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	f := &fakeRDS{createErr: &types.DBInstanceAlreadyExistsFault{Message: aws.String("exists")}}
	withStorage := func(in *v1beta3.Instance) { in.Spec.ForProvider.AllocatedStorage = aws.Float64(20) }
	if _, err := fakeExternal(f).Create(context.Background(), instanceWith(withStorage)); err != nil {
		t.Errorf("a create that finds the instance already there must succeed, got %v", err)
	}
}

func TestDelete(t *testing.T) {
	cases := map[string]struct {
		db           *types.DBInstance
		spec         func(*v1beta3.Instance)
		wantErr      string
		wantCalls    []string
		wantSnapshot string
		wantSkip     bool
	}{
		"FinalSnapshotDerived": {
			db:           dbWith("available"),
			wantCalls:    []string{"DeleteDBInstance"},
			wantSnapshot: "db-final-20260102-030405",
		},
		"FinalSnapshotNamed": {
			db:           dbWith("available"),
			spec:         func(in *v1beta3.Instance) { in.Spec.ForProvider.FinalSnapshotIdentifier = aws.String("keep-me") },
			wantCalls:    []string{"DeleteDBInstance"},
			wantSnapshot: "keep-me",
		},
		"SkipFinalSnapshot": {
			db:        dbWith("available"),
			spec:      func(in *v1beta3.Instance) { in.Spec.ForProvider.SkipFinalSnapshot = aws.Bool(true) },
			wantCalls: []string{"DeleteDBInstance"},
			wantSkip:  true,
		},
		"ReadReplica": {
			db:        dbWith("available", func(db *types.DBInstance) { db.ReadReplicaSourceDBInstanceIdentifier = aws.String("src") }),
			wantCalls: []string{"DeleteDBInstance"},
			wantSkip:  true,
		},
		"AlreadyDeleting": {db: dbWith("deleting")},
		"FailedWithoutSkip": {
			db:      dbWith("failed"),
			wantErr: "set spec.forProvider.skipFinalSnapshot to true",
		},
		"FailedWithSkip": {
			db:        dbWith("incompatible-network"),
			spec:      func(in *v1beta3.Instance) { in.Spec.ForProvider.SkipFinalSnapshot = aws.Bool(true) },
			wantCalls: []string{"DeleteDBInstance"},
			wantSkip:  true,
		},
		"Protected": {
			db:      dbWith("available", func(db *types.DBInstance) { db.DeletionProtection = aws.Bool(true) }),
			spec:    func(in *v1beta3.Instance) { in.Spec.ForProvider.DeletionProtection = aws.Bool(true) },
			wantErr: errDeletionProtected,
		},
		"ProtectionTurnedOff": {
			db:           dbWith("available", func(db *types.DBInstance) { db.DeletionProtection = aws.Bool(true) }),
			spec:         func(in *v1beta3.Instance) { in.Spec.ForProvider.DeletionProtection = aws.Bool(false) },
			wantCalls:    []string{"ModifyDBInstance", "DeleteDBInstance"},
			wantSnapshot: "db-final-20260102-030405",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := instanceWith()
			if tc.spec != nil {
				tc.spec(cr)
			}
			f := &fakeRDS{db: tc.db}
			e := fakeExternal(f)
			e.passwords = passwords{kube: fake.NewClientBuilder().Build(), namespace: "crossplane-system", key: &fingerprintKey{}}
			if _, err := e.Observe(context.Background(), cr); err != nil {
				t.Fatal(err)
			}
			_, err := e.Delete(context.Background(), cr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want error %q, got %v", tc.wantErr, err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(f.calls, ",") != strings.Join(tc.wantCalls, ",") {
				t.Errorf("calls: want %v, got %v", tc.wantCalls, f.calls)
			}
			if f.deleteIn == nil {
				return
			}
			if got := aws.ToString(f.deleteIn.FinalDBSnapshotIdentifier); got != tc.wantSnapshot {
				t.Errorf("final snapshot: want %q, got %q", tc.wantSnapshot, got)
			}
			if got := aws.ToBool(f.deleteIn.SkipFinalSnapshot); got != tc.wantSkip {
				t.Errorf("SkipFinalSnapshot: want %t, got %t", tc.wantSkip, got)
			}
		})
	}
}

func TestGeneratedSecretNameFits(t *testing.T) {
	long := strings.Repeat("a", 253)
	if got := GeneratedSecretName(long); len(got) > 253 || !strings.HasSuffix(got, "-master-password") {
		t.Errorf("GeneratedSecretName of a 253-character name: got %d characters %q", len(got), got)
	}
	if got := GeneratedSecretName("production-db"); got != "production-db-master-password" {
		t.Errorf("GeneratedSecretName: got %q", got)
	}
}

func TestDefaultIdentifier(t *testing.T) {
	in := instanceWith(func(in *v1beta3.Instance) { in.Spec.ForProvider.IdentifierPrefix = aws.String("app-") })
	id, err := defaultIdentifier(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "app-") || len(id) != len("app-")+26 || validIdentifier(id) != nil {
		t.Errorf("identifier from prefix: got %q", id)
	}
	in.Spec.ForProvider.Identifier = aws.String("explicit")
	if id, _ := defaultIdentifier(in); id != "explicit" {
		t.Errorf("identifier wins over prefix: got %q", id)
	}
}

// Update applies what Observe found with one ModifyDBInstance and the tag
// calls, without describing the instance again.
func TestUpdateAppliesObservedDrift(t *testing.T) {
	cr := instanceWith(func(in *v1beta3.Instance) {
		in.Spec.ForProvider.InstanceClass = aws.String("db.t3.large")
		in.Spec.ForProvider.Tags = map[string]*string{"team": aws.String("data")}
	})
	f := &fakeRDS{db: dbWith("available")}
	e := fakeExternal(f)
	obs, err := e.Observe(context.Background(), cr)
	if err != nil {
		t.Fatal(err)
	}
	if obs.ResourceUpToDate || obs.Diff != "instanceClass, tags" {
		t.Fatalf("Observe: want drift in instanceClass and tags, got up-to-date=%t diff=%q", obs.ResourceUpToDate, obs.Diff)
	}
	if _, err := e.Update(context.Background(), cr); err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.calls, ",") != "ModifyDBInstance,AddTagsToResource" {
		t.Errorf("calls: want ModifyDBInstance then AddTagsToResource, got %v", f.calls)
	}
	if aws.ToString(f.modifyIn.DBInstanceClass) != "db.t3.large" || f.modifyIn.MasterUserPassword != nil {
		t.Errorf("ModifyDBInstance input: want only the class, got class %q password set %t", aws.ToString(f.modifyIn.DBInstanceClass), f.modifyIn.MasterUserPassword != nil)
	}
}

func TestNotOurs(t *testing.T) {
	untagged := func(db *types.DBInstance) { db.TagList = nil }
	newInstance := func(in *v1beta3.Instance) {
		meta.AddAnnotations(in, map[string]string{AnnotationNewInstance: "true"})
	}
	cases := map[string]struct {
		reason string
		cr     *v1beta3.Instance
		db     *types.DBInstance
		want   bool
	}{
		"Adoption": {
			reason: "An identifier the user named is an adoption, whatever the tags.",
			cr:     instanceWith(), db: dbWith("available", untagged),
		},
		"Collision": {
			reason: "An identifier the provider chose that names an untagged database is a collision.",
			cr:     instanceWith(newInstance), db: dbWith("available", untagged), want: true,
		},
		"CreatedEarlier": {
			reason: "A database carrying this Instance's tags was created by it (an interrupted create).",
			cr:     instanceWith(newInstance), db: dbWith("available"),
		},
		"OtherInstancesDatabase": {
			reason: "Tags naming another Instance do not make the database this one's.",
			cr:     instanceWith(newInstance),
			db: dbWith("available", func(db *types.DBInstance) {
				db.TagList = []types.Tag{{Key: aws.String("crossplane-kind"), Value: aws.String("instance.rds.aws.upbound.io")}, {Key: aws.String("crossplane-name"), Value: aws.String("other")}}
			}),
			want: true,
		},
		"CreateSucceeded": {
			reason: "After a recorded create the database is this Instance's even if its tags were removed.",
			cr:     instanceWith(newInstance, func(in *v1beta3.Instance) { meta.SetExternalCreateSucceeded(in, time.Now()) }),
			db:     dbWith("available", untagged),
		},
		"ObservedBefore": {
			reason: "A database observed before under the same resource ID is this Instance's.",
			cr:     instanceWith(newInstance, func(in *v1beta3.Instance) { in.Status.AtProvider.ResourceID = aws.String("db-ABC") }),
			db:     dbWith("available", untagged, func(db *types.DBInstance) { db.DbiResourceId = aws.String("db-ABC") }),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := notOurs(tc.cr, *tc.db, Kind); got != tc.want {
				t.Errorf("%s\nnotOurs: want %t, got %t", tc.reason, tc.want, got)
			}
		})
	}
}

// A reconcile that will change or delete the DB instance acts on a
// description made for it, not on the fleet's earlier one: AWS may have
// changed the instance since (here it failed, and AWS refuses a final
// snapshot of a failed instance), and a reconcile that changes nothing
// reuses the earlier description.
func TestActsOnlyOnAFreshDescription(t *testing.T) {
	f := &fakeRDS{db: dbWith("available")}
	e := fakeExternal(f)
	ctx := context.Background()
	settled := instanceWith(func(in *v1beta3.Instance) { in.Status.AtProvider.Status = aws.String("available") })
	if _, err := e.Observe(ctx, settled); err != nil { // described, and late-initialised
		t.Fatal(err)
	}

	f.db = dbWith("failed") // out of band, after the fleet described it
	if _, err := e.Observe(ctx, settled); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(settled.Status.AtProvider.Status); got != "available" {
		t.Errorf("a reconcile that changes nothing described the instance again: status %s", got)
	}

	deleted := settled.DeepCopy()
	now := metav1.Now()
	deleted.SetDeletionTimestamp(&now)
	if _, err := e.Observe(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	_, err := e.Delete(ctx, deleted)
	if err == nil || !strings.Contains(err.Error(), "skipFinalSnapshot") {
		t.Errorf("Delete of an instance that failed since the last description: got %v, want the final snapshot refusal", err)
	}
	if len(f.calls) != 0 {
		t.Errorf("calls AWS would refuse: %v", f.calls)
	}
}

// A region changed after creation is refused before any call in the new
// region: looking there finds nothing, and the reconcile would create a
// second, empty database, or, during deletion, leave the real one behind.
func TestChangedRegionIsRefusedBeforeAnyCall(t *testing.T) {
	for name, deleting := range map[string]bool{"Live": false, "Deleting": true} {
		t.Run(name, func(t *testing.T) {
			cr := instanceWith(func(in *v1beta3.Instance) {
				in.Spec.ForProvider.Region = aws.String("eu-west-1")
				in.Status.AtProvider.Arn = aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:db")
				if deleting {
					now := metav1.Now()
					in.SetDeletionTimestamp(&now)
				}
			})
			f := &fakeRDS{}
			obs, err := fakeExternal(f).Observe(context.Background(), cr)
			want := "spec.forProvider.region is create-only: the DB instance is in ap-northeast-2 (status.atProvider.arn), and RDS cannot move it to eu-west-1"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("want the error %q, got %v", want, err)
			}
			if obs.ResourceExists || f.describes != 0 || len(f.calls) != 0 {
				t.Errorf("want no AWS call in the new region, got %d describes and %v", f.describes, f.calls)
			}
		})
	}
}

func TestRegionOfARN(t *testing.T) {
	cases := map[string]string{
		"arn:aws:rds:ap-northeast-2:123456789012:db:orders":   "ap-northeast-2",
		"arn:aws-cn:rds:cn-north-1:123456789012:db:orders":    "cn-north-1",
		"arn:aws-us-gov:rds:us-gov-west-1:1234:db:orders":     "us-gov-west-1",
		"arn:aws:ec2:eu-west-1:123456789012:security-group/x": "",
		"arn":          "",
		"":             "",
		"not:an:arn:x": "",
	}
	for arn, want := range cases {
		if got := regionOfARN(arn); got != want {
			t.Errorf("regionOfARN(%q): want %q, got %q", arn, want, got)
		}
	}
}

// A change RDS cannot make is the update's failure, so that Synced says so
// where GitOps tools look, and it costs no AWS call; what can be sent
// beside it still is.
func TestRefusedChangeFailsTheUpdate(t *testing.T) {
	cases := map[string]struct {
		spec      func(*v1beta3.Instance)
		wantDiff  string
		wantCalls string
	}{
		"RefusedOnly": {
			spec: func(in *v1beta3.Instance) { in.Spec.ForProvider.StorageEncrypted = aws.Bool(false) },
		},
		"RefusedBesideDrift": {
			spec: func(in *v1beta3.Instance) {
				in.Spec.ForProvider.StorageEncrypted = aws.Bool(false)
				in.Spec.ForProvider.InstanceClass = aws.String("db.t3.large")
			},
			wantDiff:  "instanceClass",
			wantCalls: "ModifyDBInstance",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := instanceWith(tc.spec)
			f := &fakeRDS{db: dbWith("available", func(db *types.DBInstance) { db.StorageEncrypted = aws.Bool(true) })}
			e := fakeExternal(f)
			obs, err := e.Observe(context.Background(), cr)
			if err != nil {
				t.Fatal(err)
			}
			if obs.ResourceUpToDate || obs.Diff != tc.wantDiff {
				t.Fatalf("Observe: want out of date with diff %q, got up-to-date=%t diff=%q", tc.wantDiff, obs.ResourceUpToDate, obs.Diff)
			}
			describes := f.describes
			_, err = e.Update(context.Background(), cr)
			want := "Cannot apply on an existing DB instance: storageEncrypted: the instance has true; RDS sets it only at creation"
			if err == nil || err.Error() != want {
				t.Errorf("Update: want the error %q, got %v", want, err)
			}
			if got := strings.Join(f.calls, ","); got != tc.wantCalls {
				t.Errorf("calls: want %q, got %q", tc.wantCalls, got)
			}
			if f.describes != describes {
				t.Errorf("Update described the DB instance again")
			}
		})
	}
}

// A field accepted and not honoured shows on Synced too: the user set it
// for a reason, and GitOps tools read Synced, not the IgnoredFields
// condition. It costs no AWS call.
func TestIgnoredFieldFailsTheUpdate(t *testing.T) {
	cr := instanceWith(func(in *v1beta3.Instance) {
		in.Spec.ForProvider.UpgradeStorageConfig = aws.Bool(true)
	})
	f := &fakeRDS{db: dbWith("available")}
	e := fakeExternal(f)
	obs, err := e.Observe(context.Background(), cr)
	if err != nil {
		t.Fatal(err)
	}
	if obs.ResourceUpToDate || obs.Diff != "" {
		t.Fatalf("Observe: want out of date with nothing to send, got up-to-date=%t diff=%q", obs.ResourceUpToDate, obs.Diff)
	}
	_, err = e.Update(context.Background(), cr)
	if want := "Cannot apply on an existing DB instance: upgradeStorageConfig: accepted for compatibility, not honoured yet"; err == nil || err.Error() != want {
		t.Errorf("Update: want the error %q, got %v", want, err)
	}
	if len(f.calls) != 0 {
		t.Errorf("calls: want none, got %v", f.calls)
	}
}

// The generated password Secret goes with its DB instance only when the
// provider made it for that Instance: a Secret of the same name that
// someone else made stays.
func TestDeleteGeneratedOnlyDeletesTheProvidersSecret(t *testing.T) {
	cases := map[string]struct {
		labels   map[string]string
		wantGone bool
	}{
		"MadeForThisInstance":  {labels: map[string]string{labelInstance: "db"}, wantGone: true},
		"MadeForAnother":       {labels: map[string]string{labelInstance: "other"}},
		"NotMadeByTheProvider": {},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "crossplane-system", Name: "db-master-password", Labels: tc.labels}}
			kube := fake.NewClientBuilder().WithObjects(s).Build()
			p := passwords{kube: kube, namespace: "crossplane-system", generatedIn: "crossplane-system", key: &fingerprintKey{}}
			if err := p.deleteGenerated(context.Background(), instanceWith()); err != nil {
				t.Fatal(err)
			}
			err := kube.Get(context.Background(), client.ObjectKeyFromObject(s), &corev1.Secret{})
			if gone := kerrors.IsNotFound(err); gone != tc.wantGone {
				t.Errorf("Secret gone: want %t, got %t (%v)", tc.wantGone, gone, err)
			}
		})
	}
}

// RDS reads snapshotIdentifier, restoreToPointInTime and s3Import only when
// it creates a DB instance: an edit of them afterwards is reported on
// Synced, not silently ignored. An Instance with no record of them
// (adopted, migrated) takes its spec's as the record.
func TestCreationSourceEditedAfterCreation(t *testing.T) {
	f := &fakeRDS{db: dbWith("available")}
	e := fakeExternal(f)
	cr := instanceWith(func(in *v1beta3.Instance) { in.Spec.ForProvider.SnapshotIdentifier = aws.String("orders-2026-01") })
	if _, err := e.Observe(context.Background(), cr); err != nil {
		t.Fatal(err)
	}
	if got := cr.GetAnnotations()[AnnotationCreatedFrom]; got != "snapshot orders-2026-01" {
		t.Fatalf("record of an adopted Instance: want %q, got %q", "snapshot orders-2026-01", got)
	}
	if len(e.refusals) != 0 {
		t.Fatalf("refusals before any edit: %v", e.refusals)
	}
	cr.Spec.ForProvider.SnapshotIdentifier = aws.String("orders-2026-02")
	obs, err := e.Observe(context.Background(), cr)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Update(context.Background(), cr)
	want := "the DB instance was made from snapshot orders-2026-01, and the spec now names snapshot orders-2026-02"
	if obs.ResourceUpToDate || err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("want the edit refused with %q, got up-to-date=%t err=%v", want, obs.ResourceUpToDate, err)
	}
	if len(f.calls) != 0 {
		t.Errorf("calls: want none, got %v", f.calls)
	}
}

// A replica whose source is named in initProvider is created as a replica
// and its relation is not managed afterwards, as every initProvider field:
// it is neither promoted nor refused.
func TestReplicaNamedInInitProviderIsNotPromoted(t *testing.T) {
	cr := instanceWith(func(in *v1beta3.Instance) { in.Spec.InitProvider.ReplicateSourceDB = aws.String("source-db") })
	f := &fakeRDS{db: dbWith("available", func(db *types.DBInstance) { db.ReadReplicaSourceDBInstanceIdentifier = aws.String("source-db") })}
	e := fakeExternal(f)
	obs, err := e.Observe(context.Background(), cr)
	if err != nil {
		t.Fatal(err)
	}
	if !obs.ResourceUpToDate || e.drift.Promote || len(e.refusals) != 0 {
		t.Errorf("want up to date with no promotion or refusal, got up-to-date=%t promote=%t refusals=%v", obs.ResourceUpToDate, e.drift.Promote, e.refusals)
	}
}
