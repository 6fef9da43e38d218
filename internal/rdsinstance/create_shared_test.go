package rdsinstance

import (
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/fieldcoverage"
)

// Every create call sends the spec's create-time settings as
// CreateDBInstance does, field for field, but those withheld from it: one
// mapping for the five calls.
func TestCreateCallsShareOneMapping(t *testing.T) {
	p := v1beta3.InstanceParameters{}
	fieldcoverage.Fill(reflect.ValueOf(&p).Elem(), "spec", 700, true)
	p.RestoreToPointInTime.RestoreTime = aws.String("2026-12-01T00:00:00Z")
	creds := Credentials{Username: "owner", Password: "pw"}
	full := reflect.ValueOf(CreateInput("db", p, creds, nil)).Elem()
	for _, m := range []CreationMethod{CreateFromSnapshot, CreateFromPointInTime, CreateReadReplica, CreateFromS3} {
		req, err := CreateRequest(m, "db", p, creds, nil)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		got := reflect.ValueOf(req).Elem()
		shared := 0
		for i := range full.NumField() {
			f := full.Type().Field(i)
			g := got.FieldByName(f.Name)
			if !f.IsExported() || !g.IsValid() || g.Type() != f.Type {
				continue
			}
			shared++
			want := full.Field(i).Interface()
			if slices.Contains(withheld[m], f.Name) {
				want = reflect.Zero(f.Type).Interface()
			}
			if !reflect.DeepEqual(g.Interface(), want) {
				t.Errorf("%s %s: want %v as CreateDBInstance sends it (or nothing when withheld), got %v", m, f.Name, want, g.Interface())
			}
		}
		if shared < 20 {
			t.Errorf("%s shares %d fields with CreateDBInstance; want the spec's settings", m, shared)
		}
	}
}
