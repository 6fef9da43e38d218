package parametergroup

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
)

func spec(params ...v1beta1.Parameter) v1beta1.ParameterGroupParameters {
	return v1beta1.ParameterGroupParameters{Family: aws.String("postgres16"), Description: aws.String("d"), Parameter: params}
}

func p(name, value string) v1beta1.Parameter {
	return v1beta1.Parameter{Name: aws.String(name), Value: aws.String(value)}
}

func user(name, value string) types.Parameter {
	return types.Parameter{ParameterName: aws.String(name), ParameterValue: aws.String(value), ApplyMethod: types.ApplyMethodImmediate}
}

var group = types.DBParameterGroup{DBParameterGroupName: aws.String("pg"), DBParameterGroupFamily: aws.String("postgres16"), Description: aws.String("d")}

func TestDiff(t *testing.T) {
	type want struct {
		parameters  []string
		modify      []*rds.ModifyDBParameterGroupInput
		reset       []*rds.ResetDBParameterGroupInput
		cannotApply int
	}
	cases := map[string]struct {
		reason   string
		spec     v1beta1.ParameterGroupParameters
		user     []types.Parameter
		previous []string
		want     want
	}{
		"InSync": {
			reason: "Parameters at their spec values need nothing.",
			spec:   spec(p("work_mem", "8192")),
			user:   []types.Parameter{user("work_mem", "8192")},
		},
		"Normalised": {
			reason: "Case, blanks and boolean spellings are not drift.",
			spec:   spec(p("RDS.Force_SSL", "on"), p("log_connections", " TRUE ")),
			user:   []types.Parameter{user("rds.force_ssl", "1"), user("log_connections", "1")},
		},
		"Changed": {
			reason: "A changed or missing parameter is set with its apply method, immediate by default.",
			spec:   spec(p("work_mem", "8192"), v1beta1.Parameter{Name: aws.String("shared_buffers"), Value: aws.String("16384"), ApplyMethod: aws.String("pending-reboot")}),
			user:   []types.Parameter{user("work_mem", "4096")},
			want: want{parameters: []string{"work_mem", "shared_buffers"}, modify: []*rds.ModifyDBParameterGroupInput{{
				DBParameterGroupName: aws.String("pg"),
				Parameters: []types.Parameter{
					{ParameterName: aws.String("work_mem"), ParameterValue: aws.String("8192"), ApplyMethod: types.ApplyMethodImmediate},
					{ParameterName: aws.String("shared_buffers"), ParameterValue: aws.String("16384"), ApplyMethod: types.ApplyMethodPendingReboot},
				},
			}}},
		},
		"OutsideSpec": {
			reason: "A parameter the spec never named is left alone.",
			spec:   spec(),
			user:   []types.Parameter{user("work_mem", "4096")},
		},
		"Removed": {
			reason:   "A parameter the provider set before and the spec no longer names is reset.",
			spec:     spec(),
			user:     []types.Parameter{user("work_mem", "4096"), user("other", "1")},
			previous: []string{"work_mem", "gone_already"},
			want: want{reset: []*rds.ResetDBParameterGroupInput{{
				DBParameterGroupName: aws.String("pg"),
				Parameters:           []types.Parameter{{ParameterName: aws.String("work_mem"), ApplyMethod: types.ApplyMethodImmediate}},
			}}},
		},
		"CreationOnly": {
			reason: "Family and description are set only at creation.",
			spec:   v1beta1.ParameterGroupParameters{Family: aws.String("postgres17"), Description: aws.String("other")},
			want:   want{cannotApply: 2},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := Diff(tc.spec, group, tc.user, tc.previous, nil, nil)
			got := want{parameters: d.Parameters, modify: d.Modify, reset: d.Reset, cannotApply: len(d.CannotApply)}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), cmpopts.IgnoreUnexported(rds.ModifyDBParameterGroupInput{}, rds.ResetDBParameterGroupInput{}, types.Parameter{})); diff != "" {
				t.Errorf("%s\nDiff: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDiffBatches(t *testing.T) {
	var params []v1beta1.Parameter
	for i := range 45 {
		params = append(params, p("param_"+string(rune('a'+i/26))+string(rune('a'+i%26)), "1"))
	}
	d := Diff(spec(params...), group, nil, nil, nil, nil)
	if len(d.Modify) != 3 || len(d.Modify[0].Parameters) != MaxParametersPerCall || len(d.Modify[2].Parameters) != 5 {
		t.Errorf("45 parameters: want calls of 20, 20 and 5, got %d calls", len(d.Modify))
	}
}

func TestManagedAndInitial(t *testing.T) {
	fp := spec(p("b", "1"), p("a", "2"), p("B", "3"))
	if got, want := Managed(fp), []string{"a", "b"}; !cmp.Equal(got, want) {
		t.Errorf("Managed: want %v, got %v", want, got)
	}
	init := v1beta1.ParameterGroupInitParameters{Parameter: []v1beta1.Parameter{p("a", "init"), p("c", "init")}}
	got := InitialParameters(spec(p("a", "spec")), init)
	want := []v1beta1.Parameter{p("a", "spec"), p("c", "init")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("InitialParameters: forProvider wins over initProvider; -want, +got:\n%s", diff)
	}
}
