package rdstags

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
)

// TagDiff's changes, applied, make the tags the desired ones, leave the
// tags reserved for AWS alone, and never touch a reserved key.
func FuzzTagDiff(f *testing.F) {
	f.Add("team=data,env=prod", "team=data,env=dev,old=x,aws:cloudformation:stack-name=s")
	f.Add("", "AWS:x=y")
	f.Add("a=1,a=2", "a=1")
	f.Fuzz(func(t *testing.T, desiredSpec, observedSpec string) {
		desired := map[string]string{}
		for k, v := range parseTags(desiredSpec) {
			desired[k] = v
		}
		var observedTags []types.Tag
		for k, v := range parseTags(observedSpec) {
			observedTags = append(observedTags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		add, remove := TagDiff(desired, observedTags)
		result := map[string]string{}
		for _, tag := range observedTags {
			result[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		for _, k := range remove {
			if Reserved(k) {
				t.Fatalf("removes reserved tag %q", k)
			}
			delete(result, k)
		}
		for _, tag := range add {
			if Reserved(aws.ToString(tag.Key)) {
				t.Fatalf("sets reserved tag %q", aws.ToString(tag.Key))
			}
			result[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		for k, v := range desired {
			if !Reserved(k) && result[k] != v {
				t.Fatalf("tag %q: want %q, got %q", k, v, result[k])
			}
		}
		for k, v := range result {
			_, wanted := desired[k]
			if !wanted && !Reserved(k) {
				t.Fatalf("tag %q=%q left although not desired", k, v)
			}
		}
		for _, tag := range observedTags {
			if k := aws.ToString(tag.Key); Reserved(k) && result[k] != aws.ToString(tag.Value) {
				t.Fatalf("reserved tag %q changed", k)
			}
		}
	})
}

func parseTags(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

func TestDesiredTagsUserWins(t *testing.T) {
	got := DesiredTags(map[string]*string{"crossplane-name": aws.String("mine"), "team": aws.String("data")},
		map[string]string{"crossplane-name": "db", "crossplane-kind": "instance.rds.aws.upbound.io"})
	want := map[string]string{"crossplane-name": "mine", "crossplane-kind": "instance.rds.aws.upbound.io", "team": "data"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DesiredTags: -want, +got:\n%s", diff)
	}
}
