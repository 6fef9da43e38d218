// Package subnetgroup translates between the SubnetGroup API and the RDS
// API: spec to create and modify input, DescribeDBSubnetGroups output to
// status, the drift diff and late-initialisation. It is pure: no
// Kubernetes client and no AWS calls.
package subnetgroup

import (
	"cmp"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

// DefaultDescription is the description of a new DB subnet group whose spec
// gives none: AWS requires one.
const DefaultDescription = "Managed by Crossplane"

// Observation is the status of a DB subnet group.
func Observation(g types.DBSubnetGroup, tags []types.Tag, region string, p v1beta1.SubnetGroupParameters) v1beta1.SubnetGroupObservation {
	return v1beta1.SubnetGroupObservation{
		ARN:                   g.DBSubnetGroupArn,
		Description:           g.DBSubnetGroupDescription,
		ID:                    g.DBSubnetGroupName,
		Region:                aws.String(region),
		SubnetIDs:             aws.StringSlice(subnetIDs(g)),
		SupportedNetworkTypes: aws.StringSlice(g.SupportedNetworkTypes),
		Tags:                  p.Tags,
		TagsAll:               rdstags.Map(tags),
		VPCID:                 g.VpcId,
	}
}

// subnetIDs are the IDs of a group's subnets, sorted.
func subnetIDs(g types.DBSubnetGroup) []string {
	out := make([]string, 0, len(g.Subnets))
	for _, s := range g.Subnets {
		out = append(out, aws.ToString(s.SubnetIdentifier))
	}
	sort.Strings(out)
	return out
}

// LateInitialize fills the description and subnets the user left unset
// (in forProvider and initProvider alike) from the group AWS has, so that
// an adopted group is not changed by omission. It reports whether anything
// was filled.
func LateInitialize(p *v1beta1.SubnetGroupParameters, init v1beta1.SubnetGroupInitParameters, g types.DBSubnetGroup) bool {
	filled := false
	if p.Description == nil && init.Description == nil && g.DBSubnetGroupDescription != nil {
		p.Description, filled = aws.String(*g.DBSubnetGroupDescription), true
	}
	if len(p.SubnetIDs) == 0 && len(init.SubnetIDs) == 0 && len(g.Subnets) > 0 {
		p.SubnetIDs, filled = aws.StringSlice(subnetIDs(g)), true
	}
	return filled
}

// CreateInput is the CreateDBSubnetGroup request of a spec: forProvider
// over initProvider.
func CreateInput(name string, p v1beta1.SubnetGroupParameters, init v1beta1.SubnetGroupInitParameters, tags map[string]string) *rds.CreateDBSubnetGroupInput {
	description := cmp.Or(p.Description, init.Description, aws.String(DefaultDescription))
	subnets := p.SubnetIDs
	if len(subnets) == 0 {
		subnets = init.SubnetIDs
	}
	return &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName:        aws.String(name),
		DBSubnetGroupDescription: description,
		SubnetIds:                aws.ToStringSlice(subnets),
		Tags:                     rdstags.TagList(tags),
	}
}

// Drift is what differs between the spec and the group, and the calls
// that correct it.
type Drift struct {
	// Fields that differ, by their spec names.
	Fields []string
	// Modify corrects the description and subnets; nil when they match.
	Modify       *rds.ModifyDBSubnetGroupInput
	TagsToAdd    []types.Tag
	TagsToRemove []string
}

// Summary names what differs, for the reconciler's diff.
func (d Drift) Summary() string {
	fields := append([]string{}, d.Fields...)
	if len(d.TagsToAdd) > 0 || len(d.TagsToRemove) > 0 {
		fields = append(fields, "tags")
	}
	return strings.Join(fields, ", ")
}

// Diff compares the spec's forProvider with the group. Only fields the
// spec sets are enforced; subnets compare as a set.
func Diff(p v1beta1.SubnetGroupParameters, g types.DBSubnetGroup, observedTags []types.Tag, desiredTags map[string]string) Drift {
	var d Drift
	if p.Description != nil && *p.Description != aws.ToString(g.DBSubnetGroupDescription) {
		d.Fields = append(d.Fields, "description")
	}
	observed := subnetIDs(g)
	want := observed
	if len(p.SubnetIDs) > 0 {
		want = uniqueSorted(aws.ToStringSlice(p.SubnetIDs))
		if strings.Join(want, ",") != strings.Join(observed, ",") {
			d.Fields = append(d.Fields, "subnetIds")
		}
	}
	if len(d.Fields) > 0 {
		// ModifyDBSubnetGroup always takes the whole subnet list.
		d.Modify = &rds.ModifyDBSubnetGroupInput{
			DBSubnetGroupName:        g.DBSubnetGroupName,
			DBSubnetGroupDescription: cmp.Or(p.Description, g.DBSubnetGroupDescription),
			SubnetIds:                want,
		}
	}
	d.TagsToAdd, d.TagsToRemove = rdstags.TagDiff(desiredTags, observedTags)
	return d
}

func uniqueSorted(in []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
