package subnetgroup

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
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit/managedkittest"
)

// fakeRDS answers for one DB subnet group (nil: none) and records the
// calls that change something.
type fakeRDS struct {
	*managedkittest.Shared
	group     *types.DBSubnetGroup
	createErr error
	deleteErr error
}

func (f *fakeRDS) DescribeDBSubnetGroups(context.Context, *rds.DescribeDBSubnetGroupsInput, ...func(*rds.Options)) (*rds.DescribeDBSubnetGroupsOutput, error) {
	if f.group == nil {
		return nil, &types.DBSubnetGroupNotFoundFault{Message: aws.String("not found")}
	}
	return &rds.DescribeDBSubnetGroupsOutput{DBSubnetGroups: []types.DBSubnetGroup{*f.group}}, nil
}

func (f *fakeRDS) CreateDBSubnetGroup(context.Context, *rds.CreateDBSubnetGroupInput, ...func(*rds.Options)) (*rds.CreateDBSubnetGroupOutput, error) {
	f.Call("CreateDBSubnetGroup")
	return &rds.CreateDBSubnetGroupOutput{}, f.createErr
}

func (f *fakeRDS) ModifyDBSubnetGroup(context.Context, *rds.ModifyDBSubnetGroupInput, ...func(*rds.Options)) (*rds.ModifyDBSubnetGroupOutput, error) {
	f.Call("ModifyDBSubnetGroup")
	return &rds.ModifyDBSubnetGroupOutput{}, nil
}

func (f *fakeRDS) DeleteDBSubnetGroup(context.Context, *rds.DeleteDBSubnetGroupInput, ...func(*rds.Options)) (*rds.DeleteDBSubnetGroupOutput, error) {
	f.Call("DeleteDBSubnetGroup")
	return &rds.DeleteDBSubnetGroupOutput{}, f.deleteErr
}

func group(subnets ...string) *types.DBSubnetGroup {
	g := &types.DBSubnetGroup{DBSubnetGroupName: aws.String("db-subnets"), DBSubnetGroupDescription: aws.String("Managed by Crossplane"),
		DBSubnetGroupArn: aws.String("arn:aws:rds:ap-northeast-2:123456789012:subgrp:db-subnets")}
	for _, s := range subnets {
		g.Subnets = append(g.Subnets, types.Subnet{SubnetIdentifier: aws.String(s)})
	}
	return g
}

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// ours are the tags the provider gives a cluster-scoped SubnetGroup
// "db-subnets".
var ours = tags("crossplane-kind", "subnetgroup.rds.aws.upbound.io", "crossplane-name", "db-subnets")

func subnetGroup(namespace string, mods ...func(*v1beta1.SubnetGroup)) *v1beta1.SubnetGroup {
	cr := &v1beta1.SubnetGroup{ObjectMeta: metav1.ObjectMeta{Name: "db-subnets", Namespace: namespace}}
	meta.SetExternalName(cr, "db-subnets")
	cr.Spec.ForProvider.Region = aws.String("ap-northeast-2")
	cr.Spec.ForProvider.SubnetIDs = aws.StringSlice([]string{"subnet-a", "subnet-b"})
	cr.Spec.ForProvider.Description = aws.String("Managed by Crossplane")
	for _, m := range mods {
		m(cr)
	}
	return cr
}

func client(f *fakeRDS, namespace string) *external {
	if f.Shared == nil {
		f.Shared = &managedkittest.Shared{}
	}
	k := Kind
	if namespace != "" {
		k = NamespacedKind
	}
	return &external{rds: f, record: event.NewNopRecorder(), kind: k, ownership: managedkit.OwnershipFor(namespace, nil)}
}

func TestObserve(t *testing.T) {
	deleted := func(cr *v1beta1.SubnetGroup) { now := metav1.Now(); cr.SetDeletionTimestamp(&now) }
	cases := map[string]struct {
		reason    string
		namespace string
		cr        func(*v1beta1.SubnetGroup)
		f         *fakeRDS
		want      managed.ExternalObservation
		wantErr   string
	}{
		"Absent": {
			reason: "No group of the name: it is to be created.",
			f:      &fakeRDS{},
			want:   managed.ExternalObservation{ResourceExists: false},
		},
		"UpToDate": {
			reason: "The group has the spec's subnets and the provider's tags.",
			f:      &fakeRDS{group: group("subnet-b", "subnet-a"), Shared: &managedkittest.Shared{Tags: ours}},
			want:   managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
		},
		"SubnetsDrifted": {
			reason: "Another subnet set is drift, named in the diff.",
			f:      &fakeRDS{group: group("subnet-a"), Shared: &managedkittest.Shared{Tags: ours}},
			want:   managed.ExternalObservation{ResourceExists: true, Diff: "subnetIds"},
		},
		"UntaggedAdoptedByTheCluster": {
			reason: "A cluster-scoped object (the platform's) adopts a group no Crossplane object owns, and tags it.",
			f:      &fakeRDS{group: group("subnet-a", "subnet-b")},
			want:   managed.ExternalObservation{ResourceExists: true, Diff: "tags"},
		},
		"UntaggedRefusedToANamespace": {
			reason:    "A namespaced object may not adopt an untagged group unless the platform allows its namespace.",
			namespace: "team-b",
			f:         &fakeRDS{group: group("subnet-a", "subnet-b")},
			wantErr:   `namespace "team-b" may not adopt such resources`,
		},
		"AnotherNamespacesGroup": {
			reason:    "A group tagged as another namespace's object is not taken over.",
			namespace: "team-b",
			f:         &fakeRDS{group: group("subnet-a", "subnet-b"), Shared: &managedkittest.Shared{Tags: tags("crossplane-kind", "subnetgroup.rds.aws.m.upbound.io", "crossplane-namespace", "team-a", "crossplane-name", "db-subnets")}},
			wantErr:   "belongs to subnetgroup.rds.aws.m.upbound.io team-a/db-subnets",
		},
		"AnotherNamespacesGroupWhileDeleting": {
			reason:    "Deleting the refused object deletes nothing: the group is taken as gone.",
			namespace: "team-b",
			cr:        deleted,
			f:         &fakeRDS{group: group("subnet-a", "subnet-b"), Shared: &managedkittest.Shared{Tags: tags("crossplane-kind", "subnetgroup.rds.aws.m.upbound.io", "crossplane-namespace", "team-a", "crossplane-name", "db-subnets")}},
			want:      managed.ExternalObservation{ResourceExists: false},
		},
		"InvalidName": {
			reason:  `AWS reserves "default": refused before any call.`,
			cr:      func(cr *v1beta1.SubnetGroup) { meta.SetExternalName(cr, "default") },
			f:       &fakeRDS{},
			wantErr: "is not a valid DB subnet group name",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := subnetGroup(tc.namespace)
			if tc.cr != nil {
				tc.cr(cr)
			}
			got, err := client(tc.f, tc.namespace).Observe(context.Background(), cr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s\nwant error containing %q, got %v", tc.reason, tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\n%v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\n-want, +got:\n%s", tc.reason, diff)
			}
			if len(tc.f.Calls) != 0 {
				t.Errorf("%s\nObserve changed something: %v", tc.reason, tc.f.Calls)
			}
		})
	}
}

func TestCreateAndDelete(t *testing.T) {
	inUse := &smithy.GenericAPIError{Code: "InvalidDBSubnetGroupStateFault", Message: "in use"}
	cases := map[string]struct {
		reason    string
		do        func(*external, *v1beta1.SubnetGroup) error
		f         *fakeRDS
		cr        func(*v1beta1.SubnetGroup)
		wantCalls []string
		wantErr   string
	}{
		"CreateOfOneThatExists": {
			reason:    "A group made by an earlier attempt whose answer was lost is not an error: the next observation takes it.",
			do:        create,
			f:         &fakeRDS{createErr: &smithy.GenericAPIError{Code: "DBSubnetGroupAlreadyExists"}},
			wantCalls: []string{"CreateDBSubnetGroup"},
		},
		"CreateWithForgedTags": {
			reason: "A spec that sets the ownership tags to another object's is refused before any call.",
			do:     create,
			cr: func(cr *v1beta1.SubnetGroup) {
				cr.Spec.ForProvider.Tags = map[string]*string{"crossplane-name": aws.String("theirs")}
			},
			f:       &fakeRDS{},
			wantErr: "only the provider sets them",
		},
		"DeleteOfOneGone": {
			reason:    "A group already gone is deleted.",
			do:        remove,
			f:         &fakeRDS{deleteErr: &types.DBSubnetGroupNotFoundFault{Message: aws.String("gone")}},
			wantCalls: []string{"DeleteDBSubnetGroup"},
		},
		"DeleteOfOneInUse": {
			reason: "AWS refuses to delete a group a DB instance uses: the error names the instances.",
			do:     remove,
			f: &fakeRDS{deleteErr: inUse, Shared: &managedkittest.Shared{Instances: []types.DBInstance{
				{DBInstanceIdentifier: aws.String("orders"), DBSubnetGroup: &types.DBSubnetGroup{DBSubnetGroupName: aws.String("db-subnets")}},
				{DBInstanceIdentifier: aws.String("elsewhere"), DBSubnetGroup: &types.DBSubnetGroup{DBSubnetGroupName: aws.String("other")}},
			}}},
			wantCalls: []string{"DeleteDBSubnetGroup"},
			wantErr:   "orders",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := subnetGroup("")
			if tc.cr != nil {
				tc.cr(cr)
			}
			err := tc.do(client(tc.f, ""), cr)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("%s\n%v", tc.reason, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("%s\nwant error containing %q, got %v", tc.reason, tc.wantErr, err)
			case tc.wantErr != "" && strings.Contains(err.Error(), "elsewhere"):
				t.Errorf("%s\nthe error names an instance that does not use the group: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.wantCalls, tc.f.Calls); diff != "" {
				t.Errorf("%s\ncalls: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// create and remove are the calls a case makes.
func create(e *external, cr *v1beta1.SubnetGroup) error {
	_, err := e.Create(context.Background(), cr)
	return err
}

func remove(e *external, cr *v1beta1.SubnetGroup) error {
	_, err := e.Delete(context.Background(), cr)
	return err
}
