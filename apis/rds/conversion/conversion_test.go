package conversion_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/conversion"
	"sigs.k8s.io/randfill"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta2"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

const rounds = 300

// filler generates spec and status contents: every field, nil or set, with
// lists of zero to three elements.
func filler(seed int64) *randfill.Filler {
	return randfill.NewWithSeed(seed).NilChance(0.3).NumElements(0, 3).Funcs(
		// JSON keeps whole seconds of a time.
		func(t *metav1.Time, c randfill.Continue) { *t = metav1.Unix(c.Int63n(4e9), 0) },
	)
}

// hub returns a generated v1beta3 Instance.
func hub(f *randfill.Filler) *v1beta3.Instance {
	h := &v1beta3.Instance{}
	h.SetName("db")
	f.Fill(&h.Spec)
	f.Fill(&h.Status)
	return h
}

var equate = cmpopts.EquateEmpty()

// Every v1beta3 object survives a trip through each older version
// unchanged: nothing the hub holds is lost.
func TestHubRoundTrips(t *testing.T) {
	for i := range rounds {
		checkHubRoundTrip(t, int64(i))
	}
}

func checkHubRoundTrip(t *testing.T, seed int64) {
	t.Helper()
	want := hub(filler(seed))
	for name, spoke := range map[string]conversion.Convertible{"v1beta1": &v1beta1.Instance{}, "v1beta2": &v1beta2.Instance{}} {
		if err := spoke.ConvertFrom(want.DeepCopy()); err != nil {
			t.Fatalf("%s ConvertFrom: %v", name, err)
		}
		got := &v1beta3.Instance{}
		if err := spoke.ConvertTo(got); err != nil {
			t.Fatalf("%s ConvertTo: %v", name, err)
		}
		got.TypeMeta = want.TypeMeta
		if diff := cmp.Diff(want, got, equate); diff != "" {
			t.Fatalf("seed %d: v1beta3 -> %s -> v1beta3 lost data: -want, +got:\n%s", seed, name, diff)
		}
	}
}

// Every v1beta1 object survives a trip through the hub with everything the
// hub can hold: name arrives as dbName (unless dbName is set), the
// EC2-Classic securityGroupNames have no counterpart, and the one-element
// blocks keep their element.
func TestV1beta1RoundTrips(t *testing.T) {
	for i := range rounds {
		f := filler(int64(i))
		in := &v1beta1.Instance{}
		in.SetName("db")
		f.Fill(&in.Spec)
		f.Fill(&in.Status)

		h := &v1beta3.Instance{}
		if err := in.DeepCopy().ConvertTo(h); err != nil {
			t.Fatal(err)
		}
		got := &v1beta1.Instance{}
		if err := got.ConvertFrom(h); err != nil {
			t.Fatal(err)
		}
		want := in.DeepCopy()
		normalizeV1beta1Parameters(&want.Spec.ForProvider.Name, &want.Spec.ForProvider.DBName, &want.Spec.ForProvider.SecurityGroupNames)
		normalizeV1beta1Parameters(&want.Spec.InitProvider.Name, &want.Spec.InitProvider.DBName, &want.Spec.InitProvider.SecurityGroupNames)
		normalizeV1beta1Parameters(&want.Status.AtProvider.Name, &want.Status.AtProvider.DBName, &want.Status.AtProvider.SecurityGroupNames)
		keepFirst(&want.Spec.ForProvider.BlueGreenUpdate, &want.Spec.InitProvider.BlueGreenUpdate, &want.Status.AtProvider.BlueGreenUpdate)
		keepFirst(&want.Spec.ForProvider.RestoreToPointInTime, &want.Spec.InitProvider.RestoreToPointInTime, &want.Status.AtProvider.RestoreToPointInTime)
		keepFirst(&want.Spec.ForProvider.S3Import, &want.Spec.InitProvider.S3Import, &want.Status.AtProvider.S3Import)
		got.TypeMeta = want.TypeMeta
		if diff := cmp.Diff(want, got, equate); diff != "" {
			t.Fatalf("seed %d: v1beta1 -> v1beta3 -> v1beta1: -want, +got:\n%s", i, diff)
		}
	}
}

// Every v1beta2 object survives a trip through the hub; only blocks of more
// than one element (which the API rejects) keep just the first.
func TestV1beta2RoundTrips(t *testing.T) {
	for i := range rounds {
		f := filler(int64(i))
		in := &v1beta2.Instance{}
		in.SetName("db")
		f.Fill(&in.Spec)
		f.Fill(&in.Status)

		h := &v1beta3.Instance{}
		if err := in.DeepCopy().ConvertTo(h); err != nil {
			t.Fatal(err)
		}
		got := &v1beta2.Instance{}
		if err := got.ConvertFrom(h); err != nil {
			t.Fatal(err)
		}
		want := in.DeepCopy()
		keepFirst(&want.Spec.ForProvider.BlueGreenUpdate, &want.Spec.InitProvider.BlueGreenUpdate, &want.Status.AtProvider.BlueGreenUpdate)
		keepFirst(&want.Spec.ForProvider.RestoreToPointInTime, &want.Spec.InitProvider.RestoreToPointInTime, &want.Status.AtProvider.RestoreToPointInTime)
		keepFirst(&want.Spec.ForProvider.S3Import, &want.Spec.InitProvider.S3Import, &want.Status.AtProvider.S3Import)
		got.TypeMeta = want.TypeMeta
		if diff := cmp.Diff(want, got, equate); diff != "" {
			t.Fatalf("seed %d: v1beta2 -> v1beta3 -> v1beta2: -want, +got:\n%s", i, diff)
		}
	}
}

// A v1beta1 manifest with the legacy name and the list blocks reaches the
// hub with dbName and objects.
func TestV1beta1ToHub(t *testing.T) {
	in := &v1beta1.Instance{}
	in.Spec.ForProvider.Name = ptr("app")
	in.Spec.ForProvider.BlueGreenUpdate = []v1beta1.BlueGreenUpdate{{Enabled: boolPtr(true)}}
	in.Spec.ForProvider.S3Import = []v1beta1.S3Import{{BucketName: ptr("backups")}}
	in.Spec.ForProvider.SecurityGroupNames = []*string{ptr("classic")}
	h := &v1beta3.Instance{}
	if err := in.ConvertTo(h); err != nil {
		t.Fatal(err)
	}
	want := v1beta3.InstanceParameters{DBName: ptr("app"), BlueGreenUpdate: &v1beta3.BlueGreenUpdate{Enabled: boolPtr(true)}, S3Import: &v1beta3.S3Import{BucketName: ptr("backups")}}
	if diff := cmp.Diff(want, h.Spec.ForProvider); diff != "" {
		t.Errorf("forProvider: -want, +got:\n%s", diff)
	}
	if h.APIVersion != "rds.aws.upbound.io/v1beta3" || h.Kind != "Instance" {
		t.Errorf("type: want rds.aws.upbound.io/v1beta3 Instance, got %s %s", h.APIVersion, h.Kind)
	}
}

func normalizeV1beta1Parameters(name, dbName **string, securityGroupNames *[]*string) {
	if *dbName == nil {
		*dbName = *name
	}
	*name, *securityGroupNames = nil, nil
}

// keepFirst cuts one-element blocks to their first element, all a hub
// object can hold.
func keepFirst[T any](lists ...*[]T) {
	for _, l := range lists {
		if len(*l) > 1 {
			*l = (*l)[:1]
		}
	}
}

func ptr(s string) *string { return &s }
func boolPtr(b bool) *bool { return &b }

// Generated objects of every shape, from fuzzed seeds, survive the trip
// through each older version (the round-trip tests above, beyond their
// fixed seeds).
func FuzzHubRoundTrip(f *testing.F) {
	f.Add(int64(1))
	f.Add(int64(-7))
	f.Fuzz(checkHubRoundTrip)
}
