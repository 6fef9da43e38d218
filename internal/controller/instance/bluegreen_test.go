package instance

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

func TestNextBlueGreenStep(t *testing.T) {
	cases := map[string]struct {
		status string
		wanted bool
		want   blueGreenStep
	}{
		"Provisioning":           {status: rdsinstance.BlueGreenProvisioning, wanted: true, want: bgWait},
		"Ready":                  {status: rdsinstance.BlueGreenAvailable, wanted: true, want: bgSwitchover},
		"SwitchingOver":          {status: rdsinstance.BlueGreenSwitchoverInProgress, wanted: true, want: bgWait},
		"SwitchingOverWithdrawn": {status: rdsinstance.BlueGreenSwitchoverInProgress, want: bgWait},
		"SwitchedOver":           {status: rdsinstance.BlueGreenSwitchoverCompleted, want: bgFinish},
		"Failed":                 {status: rdsinstance.BlueGreenSwitchoverFailed, wanted: true, want: bgFailed},
		"InvalidConfiguration":   {status: rdsinstance.BlueGreenInvalidConfiguration, wanted: true, want: bgFailed},
		"FailedThenWithdrawn":    {status: rdsinstance.BlueGreenSwitchoverFailed, want: bgAbandon},
		"ReadyButWithdrawn":      {status: rdsinstance.BlueGreenAvailable, want: bgAbandon},
		"Deleting":               {status: rdsinstance.BlueGreenDeleting, want: bgWait},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := nextBlueGreenStep(tc.status, tc.wanted); got != tc.want {
				t.Errorf("nextBlueGreenStep(%s, wanted=%t): want %d, got %d", tc.status, tc.wanted, tc.want, got)
			}
		})
	}
}

// blueGreenRDS adds a Blue/Green deployment to fakeRDS, and the DB
// instances a switchover leaves, by identifier.
type blueGreenRDS struct {
	*fakeRDS
	deployment *types.BlueGreenDeployment
	instances  map[string]types.DBInstance
	deleteBG   *rds.DeleteBlueGreenDeploymentInput
}

func (f *blueGreenRDS) DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, o ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	if db, ok := f.instances[aws.ToString(in.DBInstanceIdentifier)]; ok {
		return &rds.DescribeDBInstancesOutput{DBInstances: []types.DBInstance{db}}, nil
	}
	return f.fakeRDS.DescribeDBInstances(ctx, in, o...)
}

func (f *blueGreenRDS) DescribeBlueGreenDeployments(context.Context, *rds.DescribeBlueGreenDeploymentsInput, ...func(*rds.Options)) (*rds.DescribeBlueGreenDeploymentsOutput, error) {
	if f.deployment == nil {
		return nil, &types.BlueGreenDeploymentNotFoundFault{Message: aws.String("not found")}
	}
	return &rds.DescribeBlueGreenDeploymentsOutput{BlueGreenDeployments: []types.BlueGreenDeployment{*f.deployment}}, nil
}

func (f *blueGreenRDS) SwitchoverBlueGreenDeployment(context.Context, *rds.SwitchoverBlueGreenDeploymentInput, ...func(*rds.Options)) (*rds.SwitchoverBlueGreenDeploymentOutput, error) {
	f.calls = append(f.calls, "SwitchoverBlueGreenDeployment")
	return &rds.SwitchoverBlueGreenDeploymentOutput{}, nil
}

func (f *blueGreenRDS) DeleteBlueGreenDeployment(_ context.Context, in *rds.DeleteBlueGreenDeploymentInput, _ ...func(*rds.Options)) (*rds.DeleteBlueGreenDeploymentOutput, error) {
	f.calls = append(f.calls, "DeleteBlueGreenDeployment")
	f.deleteBG = in
	return &rds.DeleteBlueGreenDeploymentOutput{}, nil
}

func deployment(status string) *types.BlueGreenDeployment {
	d := &types.BlueGreenDeployment{BlueGreenDeploymentIdentifier: aws.String("bgd-1"), Status: aws.String(status),
		Source: aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:db"), Target: aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:db-green-abcdef")}
	if status == rdsinstance.BlueGreenSwitchoverCompleted {
		d.Source, d.Target = aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:db-old1"), aws.String("arn:aws:rds:ap-northeast-2:123456789012:db:db")
	}
	return d
}

// Each step of a recorded deployment: what it calls, what it reports on
// Synced, and what the Instance records.
func TestBlueGreenSteps(t *testing.T) {
	const resourceIDName = "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	cases := map[string]struct {
		reason       string
		status       string
		externalName string
		keep         bool
		withdrawn    bool
		wantCalls    []string
		wantErr      string
		wantName     string
		wantDeleteBG *rds.DeleteBlueGreenDeploymentInput
		wantRecorded string
	}{
		"Provisioning": {
			reason: "While RDS makes the green copy, nothing is sent, the drift beside it included.",
			status: rdsinstance.BlueGreenProvisioning, wantRecorded: "bgd-1",
		},
		"Ready": {
			reason: "A ready green environment is switched over to.",
			status: rdsinstance.BlueGreenAvailable, wantCalls: []string{"SwitchoverBlueGreenDeployment"}, wantRecorded: "bgd-1",
		},
		"Failed": {
			reason: "A failed switchover is reported on Synced, and nothing is sent.",
			status: rdsinstance.BlueGreenSwitchoverFailed, wantErr: "keeps serving, unchanged", wantRecorded: "bgd-1",
		},
		"Withdrawn": {
			reason: "A deployment whose change the spec no longer asks for goes with its green copy.",
			status: rdsinstance.BlueGreenSwitchoverFailed, withdrawn: true,
			wantCalls: []string{"DeleteBlueGreenDeployment"}, wantDeleteBG: &rds.DeleteBlueGreenDeploymentInput{BlueGreenDeploymentIdentifier: aws.String("bgd-1"), DeleteTarget: aws.Bool(true)},
		},
		"SwitchedOver": {
			reason:    "After the switchover the deployment is deleted (without DeleteTarget, which RDS refuses then), and the old DB instance with a final snapshot.",
			status:    rdsinstance.BlueGreenSwitchoverCompleted,
			wantCalls: []string{"DeleteBlueGreenDeployment", "DeleteDBInstance"}, wantDeleteBG: &rds.DeleteBlueGreenDeploymentInput{BlueGreenDeploymentIdentifier: aws.String("bgd-1")},
		},
		"SwitchedOverKeepingTheOld": {
			reason: "With the keep annotation the old DB instance stays.",
			status: rdsinstance.BlueGreenSwitchoverCompleted, keep: true,
			wantCalls: []string{"DeleteBlueGreenDeployment"}, wantDeleteBG: &rds.DeleteBlueGreenDeploymentInput{BlueGreenDeploymentIdentifier: aws.String("bgd-1")},
		},
		"SwitchedOverUnderAResourceID": {
			reason: "An Instance named by resource ID (migrated from the reference provider) follows its database to the green instance's resource ID.",
			status: rdsinstance.BlueGreenSwitchoverCompleted, externalName: resourceIDName,
			wantCalls: []string{"DeleteBlueGreenDeployment", "DeleteDBInstance"}, wantDeleteBG: &rds.DeleteBlueGreenDeploymentInput{BlueGreenDeploymentIdentifier: aws.String("bgd-1")},
			wantName: "db-GREENGREENGREENGREENGREEN",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := instanceWith(func(in *v1beta3.Instance) {
				in.Spec.ForProvider.BlueGreenUpdate = &v1beta3.BlueGreenUpdate{Enabled: aws.Bool(true)}
				in.Spec.ForProvider.InstanceClass = aws.String("db.t3.large")
				in.Spec.ForProvider.BackupRetentionPeriod = aws.Float64(14)
				if tc.withdrawn {
					in.Spec.ForProvider.InstanceClass = aws.String("db.t3.micro")
				}
				meta.AddAnnotations(in, map[string]string{AnnotationBlueGreenDeployment: "bgd-1"})
				if tc.keep {
					meta.AddAnnotations(in, map[string]string{AnnotationKeepBlueGreenSource: "true"})
				}
				if tc.externalName != "" {
					meta.SetExternalName(in, tc.externalName)
				}
			})
			db := dbWith("available", func(db *types.DBInstance) {
				db.DbiResourceId = aws.String(resourceIDName)
				db.BackupRetentionPeriod = aws.Int32(7)
			})
			f := &blueGreenRDS{fakeRDS: &fakeRDS{db: db}, deployment: deployment(tc.status), instances: map[string]types.DBInstance{
				"db":      *dbWith("available", func(db *types.DBInstance) { db.DbiResourceId = aws.String("db-GREENGREENGREENGREENGREEN") }),
				"db-old1": *dbWith("available", func(db *types.DBInstance) { db.DBInstanceIdentifier = aws.String("db-old1") }),
			}}
			e := fakeExternal(f.fakeRDS)
			e.rds = f
			if _, err := e.Observe(context.Background(), cr); err != nil {
				t.Fatal(err)
			}
			_, err := e.Update(context.Background(), cr)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("%s\nUpdate: want error containing %q, got %v", tc.reason, tc.wantErr, err)
			}
			if diff := cmp.Diff(tc.wantCalls, f.calls); diff != "" {
				t.Errorf("%s\ncalls: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantDeleteBG, f.deleteBG, cmp.AllowUnexported(rds.DeleteBlueGreenDeploymentInput{})); diff != "" {
				t.Errorf("%s\nDeleteBlueGreenDeployment: -want, +got:\n%s", tc.reason, diff)
			}
			if got := cr.GetAnnotations()[AnnotationBlueGreenDeployment]; got != tc.wantRecorded {
				t.Errorf("%s\nrecorded deployment: want %q, got %q", tc.reason, tc.wantRecorded, got)
			}
			if tc.wantName != "" && meta.GetExternalName(cr) != tc.wantName {
				t.Errorf("%s\nexternal name: want %q, got %q", tc.reason, tc.wantName, meta.GetExternalName(cr))
			}
			if tc.wantName != "" && aws.ToString(cr.Status.AtProvider.ResourceID) != tc.wantName {
				t.Errorf("%s\nstatus: want the new DB instance's (%s), got %q", tc.reason, tc.wantName, aws.ToString(cr.Status.AtProvider.ResourceID))
			}
			if f.deleteIn != nil && (aws.ToString(f.deleteIn.DBInstanceIdentifier) != "db-old1" || aws.ToString(f.deleteIn.FinalDBSnapshotIdentifier) == "") {
				t.Errorf("%s\nDeleteDBInstance: want db-old1 with a final snapshot, got %s (snapshot %q)", tc.reason, aws.ToString(f.deleteIn.DBInstanceIdentifier), aws.ToString(f.deleteIn.FinalDBSnapshotIdentifier))
			}
		})
	}
}
