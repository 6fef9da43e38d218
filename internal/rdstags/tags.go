// Package rdstags computes the tags of RDS resources: the desired set and
// the changes that make AWS's tags match it. It is pure: no Kubernetes
// client and no AWS calls.
package rdstags

import (
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// DesiredTags returns the tags an RDS resource should carry: the user's tags
// plus the Crossplane default tags. A user tag of the same key wins.
func DesiredTags(user map[string]*string, defaults map[string]string) map[string]string {
	out := make(map[string]string, len(user)+len(defaults))
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range user {
		out[k] = aws.ToString(v)
	}
	return out
}

// TagList converts a tag map to the SDK's list, sorted by key so that the
// same tags always make the same request.
func TagList(m map[string]string) []types.Tag {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]types.Tag, len(keys))
	for i, k := range keys {
		out[i] = types.Tag{Key: aws.String(k), Value: aws.String(m[k])}
	}
	return out
}

// Map converts the SDK's tag list to a map.
func Map(tags []types.Tag) map[string]*string {
	if len(tags) == 0 {
		return nil
	}
	out := make(map[string]*string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.String(aws.ToString(t.Value))
	}
	return out
}

// Reserved reports whether a tag key belongs to AWS: keys starting with
// "aws:" (in any case) can be neither added, changed nor removed.
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html
func Reserved(key string) bool {
	return len(key) >= 4 && strings.EqualFold(key[:4], "aws:")
}

// TagDiff returns the tags to add or overwrite and the keys to remove so that
// the observed tags become the desired ones. Order never matters, and tags
// reserved for AWS are left alone.
func TagDiff(desired map[string]string, observed []types.Tag) (add []types.Tag, remove []string) {
	have := map[string]string{}
	for _, t := range observed {
		if !Reserved(aws.ToString(t.Key)) {
			have[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	want := map[string]string{}
	for k, v := range desired {
		if Reserved(k) {
			continue
		}
		if cur, ok := have[k]; !ok || cur != v {
			want[k] = v
		}
	}
	for k := range have {
		if _, ok := desired[k]; !ok {
			remove = append(remove, k)
		}
	}
	sort.Strings(remove)
	return TagList(want), remove
}
