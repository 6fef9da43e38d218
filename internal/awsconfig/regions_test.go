package awsconfig

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckRegions(t *testing.T) {
	cases := map[string]struct {
		used []string
		want []string
	}{
		"Unused":   {want: []string{"us-east-1", "cn-north-1", "us-gov-west-1"}},
		"China":    {used: []string{"cn-northwest-1"}, want: []string{"cn-north-1", "us-east-1", "us-gov-west-1"}},
		"GovCloud": {used: []string{"us-gov-east-1", "us-gov-west-1"}, want: []string{"us-gov-west-1", "us-east-1", "cn-north-1"}},
		"ISO":      {used: []string{"us-isob-east-1"}, want: []string{"us-isob-east-1", "us-east-1", "cn-north-1", "us-gov-west-1"}},
		"European": {used: []string{"eusc-de-east-1", "eu-west-1"}, want: []string{"eusc-de-east-1", "us-east-1", "cn-north-1", "us-gov-west-1"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, CheckRegions(tc.used)); diff != "" {
				t.Errorf("CheckRegions(%v): -want, +got:\n%s", tc.used, diff)
			}
		})
	}
}
