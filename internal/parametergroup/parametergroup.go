// Package parametergroup translates between the ParameterGroup API and the
// RDS API: spec to create and modify input, DescribeDBParameterGroups and
// DescribeDBParameters output to status, the drift diff and
// late-initialisation. It is pure: no Kubernetes client and no AWS calls.
package parametergroup

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

const (
	// DefaultDescription is the description of a new DB parameter group
	// whose spec gives none: AWS requires one.
	DefaultDescription = "Managed by Crossplane"

	// DefaultApplyMethod is the apply method of a parameter whose spec
	// gives none, as the reference provider defaults it.
	DefaultApplyMethod = "immediate"

	// MaxParametersPerCall is how many parameters one
	// ModifyDBParameterGroup or ResetDBParameterGroup call takes.
	// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html
	MaxParametersPerCall = 20
)

// Observation is the status of a DB parameter group: the group and the
// parameters set in it (source "user").
func Observation(g types.DBParameterGroup, user []types.Parameter, tags []types.Tag, region string, p v1beta1.ParameterGroupParameters) v1beta1.ParameterGroupObservation {
	params := make([]v1beta1.Parameter, 0, len(user))
	for _, u := range user {
		params = append(params, v1beta1.Parameter{
			ApplyMethod: nonEmpty(string(u.ApplyMethod)),
			Name:        u.ParameterName,
			Value:       u.ParameterValue,
		})
	}
	sort.Slice(params, func(i, j int) bool { return aws.ToString(params[i].Name) < aws.ToString(params[j].Name) })
	return v1beta1.ParameterGroupObservation{
		ARN:         g.DBParameterGroupArn,
		Description: g.Description,
		Family:      g.DBParameterGroupFamily,
		ID:          g.DBParameterGroupName,
		Parameter:   params,
		Region:      aws.String(region),
		SkipDestroy: p.SkipDestroy,
		Tags:        p.Tags,
		TagsAll:     rdstags.Map(tags),
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// LateInitialize fills the description and family the user left unset
// (in forProvider and initProvider alike) from the group AWS has. Both are
// set at creation only, so an adopted group's values are the only ones
// that can hold. It reports whether anything was filled.
func LateInitialize(p *v1beta1.ParameterGroupParameters, init v1beta1.ParameterGroupInitParameters, g types.DBParameterGroup) bool {
	filled := false
	if p.Description == nil && init.Description == nil && g.Description != nil {
		p.Description, filled = aws.String(*g.Description), true
	}
	if p.Family == nil && init.Family == nil && g.DBParameterGroupFamily != nil {
		p.Family, filled = aws.String(*g.DBParameterGroupFamily), true
	}
	return filled
}

// CreateInput is the CreateDBParameterGroup request of a spec: forProvider
// over initProvider. Parameters are set by a ModifyDBParameterGroup after
// it, as AWS creates every group with the engine defaults.
func CreateInput(name string, p v1beta1.ParameterGroupParameters, init v1beta1.ParameterGroupInitParameters, tags map[string]string) *rds.CreateDBParameterGroupInput {
	return &rds.CreateDBParameterGroupInput{
		DBParameterGroupName:   aws.String(name),
		DBParameterGroupFamily: cmp.Or(p.Family, init.Family),
		Description:            cmp.Or(p.Description, init.Description, aws.String(DefaultDescription)),
		Tags:                   rdstags.TagList(tags),
	}
}

// InitialParameters are the parameters to set on a new group: those of
// forProvider, and those of initProvider that forProvider does not name.
func InitialParameters(p v1beta1.ParameterGroupParameters, init v1beta1.ParameterGroupInitParameters) []v1beta1.Parameter {
	out := append([]v1beta1.Parameter{}, p.Parameter...)
	named := map[string]bool{}
	for _, q := range p.Parameter {
		named[key(aws.ToString(q.Name))] = true
	}
	for _, q := range init.Parameter {
		if !named[key(aws.ToString(q.Name))] {
			out = append(out, q)
		}
	}
	return out
}

// Drift is what differs between the spec and the group, and the calls
// that correct it.
type Drift struct {
	// CannotApply lists changes AWS makes only at creation.
	CannotApply []string
	// Parameters to set, by name, in the order of the spec.
	Parameters []string
	// Modify sets those parameters, at most MaxParametersPerCall per call.
	Modify []*rds.ModifyDBParameterGroupInput
	// Reset returns parameters removed from the spec to the engine
	// default, at most MaxParametersPerCall per call.
	Reset        []*rds.ResetDBParameterGroupInput
	TagsToAdd    []types.Tag
	TagsToRemove []string
}

// Summary names what differs, for the reconciler's diff.
func (d Drift) Summary() string {
	var fields []string
	if len(d.Parameters) > 0 {
		fields = append(fields, "parameter "+strings.Join(d.Parameters, ", "))
	}
	if len(d.Reset) > 0 {
		fields = append(fields, "parameters removed from the spec")
	}
	if len(d.TagsToAdd) > 0 || len(d.TagsToRemove) > 0 {
		fields = append(fields, "tags")
	}
	return strings.Join(fields, "; ")
}

// Diff compares the spec's forProvider with the group. Only the parameters
// the spec names are enforced. previous are the names the provider set
// from the spec before: those the spec no longer names, and that are still
// set in the group, are reset to the engine default.
func Diff(p v1beta1.ParameterGroupParameters, g types.DBParameterGroup, user []types.Parameter, previous []string, observedTags []types.Tag, desiredTags map[string]string) Drift {
	var d Drift
	if p.Description != nil && *p.Description != aws.ToString(g.Description) {
		d.CannotApply = append(d.CannotApply, "description: AWS sets a DB parameter group's description only at creation")
	}
	if p.Family != nil && !strings.EqualFold(*p.Family, aws.ToString(g.DBParameterGroupFamily)) {
		d.CannotApply = append(d.CannotApply, "family: AWS sets a DB parameter group's family only at creation; create a new group for another family")
	}

	have := map[string]types.Parameter{}
	for _, u := range user {
		have[key(aws.ToString(u.ParameterName))] = u
	}
	set, named := changedParameters(p.Parameter, have)
	for _, q := range set {
		d.Parameters = append(d.Parameters, aws.ToString(q.ParameterName))
	}
	for _, batch := range batches(set) {
		d.Modify = append(d.Modify, &rds.ModifyDBParameterGroupInput{DBParameterGroupName: g.DBParameterGroupName, Parameters: batch})
	}
	var reset []types.Parameter
	for _, name := range previous {
		if cur, ok := have[key(name)]; ok && !named[key(name)] {
			reset = append(reset, types.Parameter{ParameterName: cur.ParameterName, ApplyMethod: resetMethod(cur)})
		}
	}
	for _, batch := range batches(reset) {
		d.Reset = append(d.Reset, &rds.ResetDBParameterGroupInput{DBParameterGroupName: g.DBParameterGroupName, Parameters: batch})
	}
	d.TagsToAdd, d.TagsToRemove = rdstags.TagDiff(desiredTags, observedTags)
	return d
}

// changedParameters are the spec's parameters whose value differs from the
// group's (the first of a name counts), and the names the spec sets.
func changedParameters(spec []v1beta1.Parameter, have map[string]types.Parameter) ([]types.Parameter, map[string]bool) {
	var set []types.Parameter
	named := map[string]bool{}
	for _, q := range spec {
		name := aws.ToString(q.Name)
		if name == "" || named[key(name)] {
			continue
		}
		named[key(name)] = true
		if cur, ok := have[key(name)]; ok && SameValue(aws.ToString(q.Value), aws.ToString(cur.ParameterValue)) {
			continue
		}
		method := cmp.Or(aws.ToString(q.ApplyMethod), DefaultApplyMethod)
		set = append(set, types.Parameter{ParameterName: aws.String(name), ParameterValue: q.Value, ApplyMethod: types.ApplyMethod(method)})
	}
	return set, named
}

// resetMethod is how a removed parameter returns to its default: a static
// parameter only at the next reboot.
func resetMethod(p types.Parameter) types.ApplyMethod {
	if strings.EqualFold(aws.ToString(p.ApplyType), "static") || p.ApplyMethod == types.ApplyMethodPendingReboot {
		return types.ApplyMethodPendingReboot
	}
	return types.ApplyMethodImmediate
}

func batches(ps []types.Parameter) [][]types.Parameter {
	var out [][]types.Parameter
	for len(ps) > 0 {
		n := min(len(ps), MaxParametersPerCall)
		out = append(out, ps[:n])
		ps = ps[n:]
	}
	return out
}

// Managed are the names of the parameters forProvider sets, in a stable
// order, as the provider records them to know later which ones the user
// removed.
func Managed(p v1beta1.ParameterGroupParameters) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range p.Parameter {
		name := aws.ToString(q.Name)
		if name != "" && !seen[key(name)] {
			seen[key(name)] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// key is how parameter names compare: AWS's names are case-insensitive.
func key(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// SameValue reports whether two parameter values mean the same to AWS,
// which keeps values as the engine reports them: letters in another case,
// surrounding blanks, and the spellings of a boolean (on, true, 1) are not
// a change.
func SameValue(a, b string) bool {
	na, nb := normalise(a), normalise(b)
	return na == nb
}

func normalise(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case "on", "true":
		return "1"
	case "off", "false":
		return "0"
	}
	return v
}
