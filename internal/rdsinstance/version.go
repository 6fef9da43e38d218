package rdsinstance

import (
	"strconv"
	"strings"
)

// versionCovers reports whether a requested engine version is satisfied by
// an actual one: equal, or a prefix of it at a dot ("16" and "16.4" cover
// "16.4.1").
func versionCovers(requested, actual string) bool {
	return requested == actual || strings.HasPrefix(actual, requested+".")
}

// compareVersions orders dotted engine versions, numerically where both
// parts are numbers ("16.10" > "16.9") and as text otherwise.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		an, aErr := strconv.Atoi(as[i])
		bn, bErr := strconv.Atoi(bs[i])
		switch {
		case aErr == nil && bErr == nil && an != bn:
			if an < bn {
				return -1
			}
			return 1
		case (aErr != nil || bErr != nil) && as[i] != bs[i]:
			return strings.Compare(as[i], bs[i])
		}
	}
	switch {
	case len(as) < len(bs):
		return -1
	case len(as) > len(bs):
		return 1
	}
	return 0
}

// sameMajor reports whether two versions share their first part, the part
// that AWS never changes by itself.
func sameMajor(a, b string) bool {
	ma, _, _ := strings.Cut(a, ".")
	mb, _, _ := strings.Cut(b, ".")
	return ma == mb
}
