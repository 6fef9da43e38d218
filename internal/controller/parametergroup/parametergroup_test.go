package parametergroup

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit/managedkittest"
)

// fakeRDS answers for one DB parameter group (nil: none) with its user
// parameters, and records the calls that change something.
type fakeRDS struct {
	*managedkittest.Shared
	group     *types.DBParameterGroup
	params    []types.Parameter
	createErr error
	deleteErr error
	modified  []string
	reset     []string
}

func (f *fakeRDS) DescribeDBParameterGroups(context.Context, *rds.DescribeDBParameterGroupsInput, ...func(*rds.Options)) (*rds.DescribeDBParameterGroupsOutput, error) {
	if f.group == nil {
		return nil, &types.DBParameterGroupNotFoundFault{Message: aws.String("not found")}
	}
	return &rds.DescribeDBParameterGroupsOutput{DBParameterGroups: []types.DBParameterGroup{*f.group}}, nil
}

func (f *fakeRDS) DescribeDBParameters(context.Context, *rds.DescribeDBParametersInput, ...func(*rds.Options)) (*rds.DescribeDBParametersOutput, error) {
	return &rds.DescribeDBParametersOutput{Parameters: f.params}, nil
}

func (f *fakeRDS) CreateDBParameterGroup(context.Context, *rds.CreateDBParameterGroupInput, ...func(*rds.Options)) (*rds.CreateDBParameterGroupOutput, error) {
	f.Call("CreateDBParameterGroup")
	return &rds.CreateDBParameterGroupOutput{}, f.createErr
}

func (f *fakeRDS) ModifyDBParameterGroup(_ context.Context, in *rds.ModifyDBParameterGroupInput, _ ...func(*rds.Options)) (*rds.ModifyDBParameterGroupOutput, error) {
	f.Call("ModifyDBParameterGroup")
	for _, p := range in.Parameters {
		f.modified = append(f.modified, aws.ToString(p.ParameterName)+"="+aws.ToString(p.ParameterValue))
	}
	return &rds.ModifyDBParameterGroupOutput{}, nil
}

func (f *fakeRDS) ResetDBParameterGroup(_ context.Context, in *rds.ResetDBParameterGroupInput, _ ...func(*rds.Options)) (*rds.ResetDBParameterGroupOutput, error) {
	f.Call("ResetDBParameterGroup")
	for _, p := range in.Parameters {
		f.reset = append(f.reset, aws.ToString(p.ParameterName))
	}
	return &rds.ResetDBParameterGroupOutput{}, nil
}

func (f *fakeRDS) DeleteDBParameterGroup(context.Context, *rds.DeleteDBParameterGroupInput, ...func(*rds.Options)) (*rds.DeleteDBParameterGroupOutput, error) {
	f.Call("DeleteDBParameterGroup")
	return &rds.DeleteDBParameterGroupOutput{}, f.deleteErr
}

func group() *types.DBParameterGroup {
	return &types.DBParameterGroup{DBParameterGroupName: aws.String("pg16-tuned"), DBParameterGroupFamily: aws.String("postgres16"),
		Description: aws.String("Managed by Crossplane"), DBParameterGroupArn: aws.String("arn:aws:rds:ap-northeast-2:123456789012:pg:pg16-tuned")}
}

var ours = []types.Tag{
	{Key: aws.String("crossplane-kind"), Value: aws.String("parametergroup.rds.aws.upbound.io")},
	{Key: aws.String("crossplane-name"), Value: aws.String("pg16-tuned")},
}

func param(name, value string) v1beta1.Parameter {
	return v1beta1.Parameter{Name: aws.String(name), Value: aws.String(value)}
}

func userParam(name, value string) types.Parameter {
	return types.Parameter{ParameterName: aws.String(name), ParameterValue: aws.String(value), ApplyMethod: types.ApplyMethodImmediate, ApplyType: aws.String("dynamic")}
}

func parameterGroup(params ...v1beta1.Parameter) *v1beta1.ParameterGroup {
	cr := &v1beta1.ParameterGroup{ObjectMeta: metav1.ObjectMeta{Name: "pg16-tuned"}}
	meta.SetExternalName(cr, "pg16-tuned")
	cr.Spec.ForProvider.Region = aws.String("ap-northeast-2")
	cr.Spec.ForProvider.Family = aws.String("postgres16")
	cr.Spec.ForProvider.Description = aws.String("Managed by Crossplane")
	cr.Spec.ForProvider.Parameter = params
	return cr
}

func client(f *fakeRDS) *external {
	if f.Shared == nil {
		f.Shared = &managedkittest.Shared{}
	}
	return &external{rds: f, record: event.NewNopRecorder(), kind: Kind, ownership: managedkit.OwnershipFor("", nil),
		annotate: func(_ context.Context, o metav1.Object, k, v string) error {
			meta.AddAnnotations(o, map[string]string{k: v})
			return nil
		}}
}

// A reconcile of an existing group: what it sets, what it resets, and
// what it leaves alone.
func TestObserveAndUpdate(t *testing.T) {
	cases := map[string]struct {
		reason       string
		cr           *v1beta1.ParameterGroup
		managed      string // the annotation: parameters set from the spec before
		f            *fakeRDS
		wantUpToDate bool
		wantModified []string
		wantReset    []string
	}{
		"InSync": {
			reason:       "Parameters at the spec's values: nothing to do.",
			cr:           parameterGroup(param("log_connections", "1")),
			managed:      "log_connections",
			f:            &fakeRDS{group: group(), Shared: &managedkittest.Shared{Tags: ours}, params: []types.Parameter{userParam("log_connections", "1")}},
			wantUpToDate: true,
		},
		"ValueDrifted": {
			reason:       "A parameter changed outside the spec is set back.",
			cr:           parameterGroup(param("log_connections", "1")),
			managed:      "log_connections",
			f:            &fakeRDS{group: group(), Shared: &managedkittest.Shared{Tags: ours}, params: []types.Parameter{userParam("log_connections", "0")}},
			wantModified: []string{"log_connections=1"},
		},
		"RemovedFromTheSpec": {
			reason:    "A parameter the spec set before and no longer lists is reset to the engine default.",
			cr:        parameterGroup(),
			managed:   "log_connections",
			f:         &fakeRDS{group: group(), Shared: &managedkittest.Shared{Tags: ours}, params: []types.Parameter{userParam("log_connections", "1")}},
			wantReset: []string{"log_connections"},
		},
		"SetOutsideTheSpec": {
			reason:       "A parameter the spec never set is left alone.",
			cr:           parameterGroup(),
			f:            &fakeRDS{group: group(), Shared: &managedkittest.Shared{Tags: ours}, params: []types.Parameter{userParam("work_mem", "65536")}},
			wantUpToDate: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.managed != "" {
				meta.AddAnnotations(tc.cr, map[string]string{AnnotationManagedParameters: tc.managed})
			}
			e := client(tc.f)
			obs, err := e.Observe(context.Background(), tc.cr)
			if err != nil {
				t.Fatalf("%s\nObserve: %v", tc.reason, err)
			}
			if obs.ResourceUpToDate != tc.wantUpToDate {
				t.Errorf("%s\nup to date: want %t, got %t (diff %q)", tc.reason, tc.wantUpToDate, obs.ResourceUpToDate, obs.Diff)
			}
			if !obs.ResourceUpToDate {
				if _, err := e.Update(context.Background(), tc.cr); err != nil {
					t.Fatalf("%s\nUpdate: %v", tc.reason, err)
				}
			}
			if diff := cmp.Diff(tc.wantModified, tc.f.modified); diff != "" {
				t.Errorf("%s\nset: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantReset, tc.f.reset); diff != "" {
				t.Errorf("%s\nreset: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCreateAndDelete(t *testing.T) {
	cases := map[string]struct {
		reason       string
		do           func(*external, *v1beta1.ParameterGroup) error
		f            *fakeRDS
		wantCalls    []string
		wantModified []string
		wantErr      string
	}{
		"CreateSetsTheParametersAtOnce": {
			reason:       "A new group gets the spec's parameters in the same reconcile, not a poll later.",
			do:           create,
			f:            &fakeRDS{},
			wantCalls:    []string{"CreateDBParameterGroup", "ModifyDBParameterGroup"},
			wantModified: []string{"log_connections=1"},
		},
		"CreateOfOneThatExists": {
			reason:    "A group that already exists is taken up by the next observation; nothing is modified blind.",
			do:        create,
			f:         &fakeRDS{createErr: &smithy.GenericAPIError{Code: "DBParameterGroupAlreadyExists"}},
			wantCalls: []string{"CreateDBParameterGroup"},
		},
		"DeleteOfOneInUse": {
			reason:    "AWS refuses to delete a group a DB instance uses: the error says so.",
			do:        remove,
			f:         &fakeRDS{deleteErr: &smithy.GenericAPIError{Code: "InvalidDBParameterGroupState", Message: "in use"}},
			wantCalls: []string{"DeleteDBParameterGroup"},
			wantErr:   `DB parameter group "pg16-tuned"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.do(client(tc.f), parameterGroup(param("log_connections", "1")))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("%s\n%v", tc.reason, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("%s\nwant error containing %q, got %v", tc.reason, tc.wantErr, err)
			}
			if diff := cmp.Diff(tc.wantCalls, tc.f.Calls); diff != "" {
				t.Errorf("%s\ncalls: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantModified, tc.f.modified); diff != "" {
				t.Errorf("%s\nset: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// A group tagged as another namespace's object is neither adopted nor, when
// the refused object goes, deleted.
func TestAnotherNamespacesGroupIsLeftAlone(t *testing.T) {
	theirs := []types.Tag{
		{Key: aws.String("crossplane-kind"), Value: aws.String("parametergroup.rds.aws.m.upbound.io")},
		{Key: aws.String("crossplane-namespace"), Value: aws.String("team-a")},
		{Key: aws.String("crossplane-name"), Value: aws.String("pg16-tuned")},
	}
	cr := parameterGroup(param("log_connections", "1"))
	cr.SetNamespace("team-b")
	f := &fakeRDS{group: group(), Shared: &managedkittest.Shared{Tags: theirs}, params: []types.Parameter{userParam("log_connections", "0")}}
	e := client(f)
	e.kind, e.ownership = NamespacedKind, managedkit.OwnershipFor("team-b", nil)
	if _, err := e.Observe(context.Background(), cr); err == nil || !strings.Contains(err.Error(), "belongs to parametergroup.rds.aws.m.upbound.io team-a/pg16-tuned") {
		t.Errorf("Observe: want the refusal, got %v", err)
	}
	now := metav1.Now()
	cr.SetDeletionTimestamp(&now)
	if obs, err := e.Observe(context.Background(), cr); err != nil || obs.ResourceExists {
		t.Errorf("Observe while deleting: want taken as gone, got exists=%t, %v", obs.ResourceExists, err)
	}
	if len(f.Calls) != 0 {
		t.Errorf("calls: want none, got %v", f.Calls)
	}
}

// create and remove are the calls a case makes.
func create(e *external, cr *v1beta1.ParameterGroup) error {
	_, err := e.Create(context.Background(), cr)
	return err
}

func remove(e *external, cr *v1beta1.ParameterGroup) error {
	_, err := e.Delete(context.Background(), cr)
	return err
}
