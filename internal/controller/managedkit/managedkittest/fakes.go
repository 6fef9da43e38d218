// Package managedkittest holds fakes of the AWS APIs the managed-resource
// controllers share, for their unit tests.
package managedkittest

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// Shared is a fake of managedkit.TagsAPI and managedkit.InstancesAPI: it
// answers with Tags and Instances, and records in Calls the calls that
// change something, for the controller's own fake to add to.
type Shared struct {
	Tags      []types.Tag
	Instances []types.DBInstance
	Calls     []string
}

// Call records a call that changes something.
func (f *Shared) Call(name string) { f.Calls = append(f.Calls, name) }

func (f *Shared) ListTagsForResource(context.Context, *rds.ListTagsForResourceInput, ...func(*rds.Options)) (*rds.ListTagsForResourceOutput, error) {
	return &rds.ListTagsForResourceOutput{TagList: f.Tags}, nil
}

func (f *Shared) AddTagsToResource(context.Context, *rds.AddTagsToResourceInput, ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error) {
	f.Call("AddTagsToResource")
	return &rds.AddTagsToResourceOutput{}, nil
}

func (f *Shared) RemoveTagsFromResource(context.Context, *rds.RemoveTagsFromResourceInput, ...func(*rds.Options)) (*rds.RemoveTagsFromResourceOutput, error) {
	f.Call("RemoveTagsFromResource")
	return &rds.RemoveTagsFromResourceOutput{}, nil
}

func (f *Shared) DescribeDBInstances(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	return &rds.DescribeDBInstancesOutput{DBInstances: f.Instances}, nil
}
