package parametergroup

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/internal/fieldcoverage"
)

// Every forProvider field of a ParameterGroup reaches create, diff,
// late-initialisation and status, or is exempt from one with a reason.
func TestEveryParameterGroupFieldIsHandled(t *testing.T) {
	g := types.DBParameterGroup{}
	fieldcoverage.Fill(reflect.ValueOf(&g).Elem(), "aws", 3, false)
	var user []types.Parameter
	fieldcoverage.Fill(reflect.ValueOf(&user).Elem(), "aws", 3, false)
	tags := []types.Tag{{Key: aws.String("aws-tag"), Value: aws.String("aws")}}
	lateInit := v1beta1.ParameterGroupParameters{}
	LateInitialize(&lateInit, v1beta1.ParameterGroupInitParameters{}, g)
	filled := fieldcoverage.JSONFields(lateInit)

	handled := map[string]map[string]bool{}
	typ := reflect.TypeOf(v1beta1.ParameterGroupParameters{})
	for i := range typ.NumField() {
		base := v1beta1.ParameterGroupParameters{Region: aws.String("us-east-1")}
		p := base
		fieldcoverage.Fill(reflect.ValueOf(&p).Elem().Field(i), "spec", 700, true)
		name := fieldcoverage.JSONName(typ.Field(i))
		init := v1beta1.ParameterGroupInitParameters{}
		handled[name] = map[string]bool{
			fieldcoverage.Create: !reflect.DeepEqual(CreateInput("g", base, init, nil), CreateInput("g", p, init, nil)) ||
				!reflect.DeepEqual(InitialParameters(base, init), InitialParameters(p, init)),
			fieldcoverage.Diff:     !reflect.DeepEqual(Diff(base, g, user, nil, tags, nil), Diff(p, g, user, nil, tags, nil)),
			fieldcoverage.LateInit: filled[name],
			fieldcoverage.Status:   fieldcoverage.JSONFields(Observation(g, user, tags, "us-east-1", p))[name],
		}
	}
	fieldcoverage.Check(t, typ, handled, fieldcoverage.Exemptions{
		"region":      {fieldcoverage.Create: sessionRegion, fieldcoverage.Diff: sessionRegion, fieldcoverage.LateInit: sessionRegion},
		"skipDestroy": {fieldcoverage.Create: keepOnDelete, fieldcoverage.Diff: keepOnDelete, fieldcoverage.LateInit: keepOnDelete},
		"parameter":   {fieldcoverage.LateInit: "only the parameters the spec names are managed; AWS's others are the family's defaults"},
		"tags": {
			fieldcoverage.Create:   "the controller sends them with its ownership tags (DesiredTags)",
			fieldcoverage.Diff:     "compared with the controller's own tags, which it passes as the desired ones",
			fieldcoverage.LateInit: "AWS's tags stay AWS's: the spec's are the user's",
		},
	})
}

const (
	sessionRegion = "the region of the session every call goes to"
	keepOnDelete  = "tells the provider to keep the group when the object is deleted; it is no setting of the group"
)
