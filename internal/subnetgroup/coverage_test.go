package subnetgroup

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/internal/fieldcoverage"
)

// Every forProvider field of a SubnetGroup reaches create, diff,
// late-initialisation and status, or is exempt from one with a reason.
func TestEverySubnetGroupFieldIsHandled(t *testing.T) {
	g := types.DBSubnetGroup{}
	fieldcoverage.Fill(reflect.ValueOf(&g).Elem(), "aws", 3, false)
	tags := []types.Tag{{Key: aws.String("aws-tag"), Value: aws.String("aws")}}
	lateInit := v1beta1.SubnetGroupParameters{}
	LateInitialize(&lateInit, v1beta1.SubnetGroupInitParameters{}, g)
	filled := fieldcoverage.JSONFields(lateInit)

	handled := map[string]map[string]bool{}
	typ := reflect.TypeOf(v1beta1.SubnetGroupParameters{})
	for i := range typ.NumField() {
		base := v1beta1.SubnetGroupParameters{Region: aws.String("us-east-1")}
		p := base
		fieldcoverage.Fill(reflect.ValueOf(&p).Elem().Field(i), "spec", 700, true)
		name := fieldcoverage.JSONName(typ.Field(i))
		handled[name] = map[string]bool{
			fieldcoverage.Create:   !reflect.DeepEqual(CreateInput("g", base, v1beta1.SubnetGroupInitParameters{}, nil), CreateInput("g", p, v1beta1.SubnetGroupInitParameters{}, nil)),
			fieldcoverage.Diff:     !reflect.DeepEqual(Diff(base, g, tags, nil), Diff(p, g, tags, nil)),
			fieldcoverage.LateInit: filled[name],
			fieldcoverage.Status:   fieldcoverage.JSONFields(Observation(g, tags, "us-east-1", p))[name],
		}
	}
	fieldcoverage.Check(t, typ, handled, fieldcoverage.Exemptions{
		"region": {fieldcoverage.Create: sessionRegion, fieldcoverage.Diff: sessionRegion, fieldcoverage.LateInit: sessionRegion},
		"tags": {
			fieldcoverage.Create:   "the controller sends them with its ownership tags (DesiredTags)",
			fieldcoverage.Diff:     "compared with the controller's own tags, which it passes as the desired ones",
			fieldcoverage.LateInit: "AWS's tags stay AWS's: the spec's are the user's",
		},
	})
}

const sessionRegion = "the region of the session every call goes to"
