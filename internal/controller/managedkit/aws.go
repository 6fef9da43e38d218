package managedkit

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"
	"k8s.io/apimachinery/pkg/runtime"
	kubetypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
)

const (
	errAddTags    = "cannot add tags"
	errRemoveTags = "cannot remove tags"
	errListTags   = "cannot list tags"
	errHolders    = "cannot find the DB instances that use it"
)

// TagsAPI is the part of the RDS API that tags resources.
type TagsAPI interface {
	ListTagsForResource(ctx context.Context, in *rds.ListTagsForResourceInput, opts ...func(*rds.Options)) (*rds.ListTagsForResourceOutput, error)
	AddTagsToResource(ctx context.Context, in *rds.AddTagsToResourceInput, opts ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error)
	RemoveTagsFromResource(ctx context.Context, in *rds.RemoveTagsFromResourceInput, opts ...func(*rds.Options)) (*rds.RemoveTagsFromResourceOutput, error)
}

// Tags returns the tags of an RDS resource, for the kinds whose describe
// call does not include them.
func Tags(ctx context.Context, api TagsAPI, arn *string) ([]types.Tag, error) {
	out, err := api.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: arn})
	if err != nil {
		return nil, errors.Wrap(err, errListTags)
	}
	return out.TagList, nil
}

// TagMap returns tags as a map, as the ownership checks read them.
func TagMap(tags []types.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

// ApplyTags adds and removes tags of an RDS resource as a tag diff says.
func ApplyTags(ctx context.Context, api TagsAPI, arn *string, add []types.Tag, remove []string) error {
	if len(add) > 0 {
		if _, err := api.AddTagsToResource(ctx, &rds.AddTagsToResourceInput{ResourceName: arn, Tags: add}); err != nil {
			return errors.Wrap(err, errAddTags)
		}
	}
	if len(remove) > 0 {
		if _, err := api.RemoveTagsFromResource(ctx, &rds.RemoveTagsFromResourceInput{ResourceName: arn, TagKeys: remove}); err != nil {
			return errors.Wrap(err, errRemoveTags)
		}
	}
	return nil
}

// InstancesAPI lists DB instances.
type InstancesAPI interface {
	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, opts ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
}

// InstancesUsing returns the identifiers of the DB instances for which
// uses is true, sorted. It lists every instance of the account and region,
// so it runs only to explain a refusal, never on a poll.
func InstancesUsing(ctx context.Context, api InstancesAPI, uses func(types.DBInstance) bool) ([]string, error) {
	var out []string
	p := rds.NewDescribeDBInstancesPaginator(api, &rds.DescribeDBInstancesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, errors.Wrap(err, errHolders)
		}
		for _, db := range page.DBInstances {
			if uses(db) {
				out = append(out, aws.ToString(db.DBInstanceIdentifier))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// ErrorCode is the AWS error code of an error, or "".
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Annotate persists one annotation of an object with a merge patch,
// leaving the rest of the object as the reconciler holds it, for what an
// Update must record (the reconciler persists only status after one).
// An object read with the annotation already at that value costs no write:
// a create retried after AWS refused it records its password each time.
func Annotate(ctx context.Context, kube client.Client, obj client.Object, key, value string) error {
	if v, ok := obj.GetAnnotations()[key]; ok && v == value {
		return nil
	}
	body, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{key: value}}})
	if err != nil {
		return err
	}
	u, ok := obj.DeepCopyObject().(client.Object)
	if !ok {
		return errors.New("cannot copy the object to annotate")
	}
	if err := kube.Patch(ctx, u, client.RawPatch(kubetypes.MergePatchType, body)); err != nil {
		return err
	}
	meta.AddAnnotations(obj, map[string]string{key: value})
	obj.SetResourceVersion(u.GetResourceVersion())
	return nil
}

// InUse explains AWS's refusal to delete a group that DB instances still
// use (what names the group, such as `DB subnet group "x"`), naming the
// instances that hold it when it can find them. The caller returns it, so
// the controller retries with its back-off.
func InUse(ctx context.Context, api InstancesAPI, what string, refusal error, uses func(types.DBInstance) bool) error {
	holders, err := InstancesUsing(ctx, api, uses)
	if err != nil || len(holders) == 0 {
		return errors.Errorf("%s is in use by a DB instance (%s); AWS deletes it only once no DB instance uses it, so the provider retries with back-off", what, refusal.Error())
	}
	return errors.Errorf("%s is in use by DB instance(s) %s; AWS deletes it only once they are deleted or no longer use it, so the provider retries with back-off", what, strings.Join(holders, ", "))
}

// errReadOnlyKube is what a write through a ReadOnly client returns.
const errReadOnlyKube = "refused: this command writes nothing to the cluster"

// ReadOnly returns a client that reads through c and refuses every write,
// for commands that must leave the cluster as it is.
func ReadOnly(c client.Client) client.Client { return readOnly{Client: c} }

type readOnly struct{ client.Client }

func (readOnly) Create(context.Context, client.Object, ...client.CreateOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnly) Update(context.Context, client.Object, ...client.UpdateOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnly) Patch(context.Context, client.Object, client.Patch, ...client.PatchOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnly) Apply(context.Context, runtime.ApplyConfiguration, ...client.ApplyOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnly) Delete(context.Context, client.Object, ...client.DeleteOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnly) DeleteAllOf(context.Context, client.Object, ...client.DeleteAllOfOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnly) Status() client.SubResourceWriter { return readOnlyStatus{} }

func (readOnly) SubResource(string) client.SubResourceClient { return readOnlyStatus{} }

type readOnlyStatus struct{}

func (readOnlyStatus) Get(context.Context, client.Object, client.Object, ...client.SubResourceGetOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnlyStatus) Create(context.Context, client.Object, client.Object, ...client.SubResourceCreateOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnlyStatus) Update(context.Context, client.Object, ...client.SubResourceUpdateOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnlyStatus) Patch(context.Context, client.Object, client.Patch, ...client.SubResourcePatchOption) error {
	return errors.New(errReadOnlyKube)
}

func (readOnlyStatus) Apply(context.Context, runtime.ApplyConfiguration, ...client.SubResourceApplyOption) error {
	return errors.New(errReadOnlyKube)
}
