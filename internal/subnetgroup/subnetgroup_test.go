package subnetgroup

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
)

var observed = types.DBSubnetGroup{
	DBSubnetGroupName:        aws.String("sg"),
	DBSubnetGroupDescription: aws.String("private"),
	Subnets:                  []types.Subnet{{SubnetIdentifier: aws.String("subnet-b")}, {SubnetIdentifier: aws.String("subnet-a")}},
}

func TestDiff(t *testing.T) {
	cases := map[string]struct {
		reason string
		spec   v1beta1.SubnetGroupParameters
		want   *rds.ModifyDBSubnetGroupInput
	}{
		"InSync": {
			reason: "Subnets compare as a set.",
			spec:   v1beta1.SubnetGroupParameters{Description: aws.String("private"), SubnetIDs: aws.StringSlice([]string{"subnet-a", "subnet-b", "subnet-a"})},
		},
		"Unset": {
			reason: "Fields the spec leaves unset are not enforced; an empty list (as reference resolution leaves it) asks for nothing.",
			spec:   v1beta1.SubnetGroupParameters{SubnetIDs: []*string{}},
		},
		"DescriptionChanged": {
			reason: "A description change is applied in place, with the whole subnet list AWS requires.",
			spec:   v1beta1.SubnetGroupParameters{Description: aws.String("new")},
			want:   &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: aws.String("sg"), DBSubnetGroupDescription: aws.String("new"), SubnetIds: []string{"subnet-a", "subnet-b"}},
		},
		"SubnetsChanged": {
			reason: "A changed subnet set is applied whole.",
			spec:   v1beta1.SubnetGroupParameters{SubnetIDs: aws.StringSlice([]string{"subnet-c", "subnet-a"})},
			want:   &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: aws.String("sg"), DBSubnetGroupDescription: aws.String("private"), SubnetIds: []string{"subnet-a", "subnet-c"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Diff(tc.spec, observed, nil, nil).Modify
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(rds.ModifyDBSubnetGroupInput{})); diff != "" {
				t.Errorf("%s\nDiff: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestLateInitializeAndCreate(t *testing.T) {
	p := v1beta1.SubnetGroupParameters{}
	if !LateInitialize(&p, v1beta1.SubnetGroupInitParameters{}, observed) {
		t.Fatal("LateInitialize: want the description and subnets of an adopted group filled")
	}
	if got := aws.ToString(p.Description); got != "private" || len(p.SubnetIDs) != 2 {
		t.Errorf("LateInitialize: got description %q, subnets %v", got, aws.ToStringSlice(p.SubnetIDs))
	}
	initOnly := v1beta1.SubnetGroupParameters{}
	if LateInitialize(&initOnly, v1beta1.SubnetGroupInitParameters{Description: aws.String("x"), SubnetIDs: aws.StringSlice([]string{"s"})}, observed) {
		t.Error("LateInitialize: fields set in initProvider must stay unenforced")
	}
	in := CreateInput("sg", v1beta1.SubnetGroupParameters{}, v1beta1.SubnetGroupInitParameters{SubnetIDs: aws.StringSlice([]string{"subnet-a"})}, nil)
	if aws.ToString(in.DBSubnetGroupDescription) != DefaultDescription || len(in.SubnetIds) != 1 {
		t.Errorf("CreateInput: want the default description and initProvider's subnets, got %+v", in)
	}
}
