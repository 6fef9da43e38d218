package awsconfig

import "strings"

// knownRegions are the AWS regions a ProviderConfig accepts unless it sets
// skip_region_validation. A region launched after this list was written needs
// that flag until the list is updated.
var knownRegions = map[string]bool{
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true, "ap-northeast-1": true, "ap-northeast-2": true,
	"ap-northeast-3": true, "ap-south-1": true, "ap-south-2": true, "ap-southeast-1": true, "ap-southeast-2": true,
	"ap-southeast-3": true, "ap-southeast-4": true, "ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
	"ca-central-1": true, "ca-west-1": true, "cn-north-1": true, "cn-northwest-1": true, "eu-central-1": true,
	"eu-central-2": true, "eu-north-1": true, "eu-south-1": true, "eu-south-2": true, "eu-west-1": true,
	"eu-west-2": true, "eu-west-3": true, "eusc-de-east-1": true, "il-central-1": true, "me-central-1": true,
	"me-south-1": true, "mx-central-1": true, "sa-east-1": true, "us-east-1": true, "us-east-2": true,
	"us-gov-east-1": true, "us-gov-west-1": true, "us-iso-east-1": true, "us-iso-west-1": true, "us-isob-east-1": true,
	"us-isof-east-1": true, "us-isof-south-1": true, "us-west-1": true, "us-west-2": true,
}

// partitions are AWS's partitions by the prefix of their regions' names,
// with the region where each one's credentials are checked.
var partitions = []struct{ prefix, name, region string }{
	{"cn-", "aws-cn", "cn-north-1"},
	{"us-gov-", "aws-us-gov", "us-gov-west-1"},
	{"us-isob-", "aws-iso-b", "us-isob-east-1"},
	{"us-isof-", "aws-iso-f", "us-isof-south-1"},
	{"us-iso-", "aws-iso", "us-iso-east-1"},
	{"eusc-", "aws-eusc", "eusc-de-east-1"},
	{"", "aws", "us-east-1"},
}

// Partition returns the partition of a region and the region in which
// its credentials are checked.
func Partition(region string) (name, checkRegion string) {
	for _, p := range partitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.name, p.region
		}
	}
	return "aws", "us-east-1"
}

// CheckRegions are the regions, one per partition, in which a
// ProviderConfig's credentials are checked: the partitions of the regions
// it is used in first (credentials work in one partition only), then the
// commercial, China and GovCloud partitions.
func CheckRegions(used []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(r string) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, r := range used {
		_, check := Partition(r)
		add(check)
	}
	for _, r := range []string{"us-east-1", "cn-north-1", "us-gov-west-1"} {
		add(r)
	}
	return out
}
