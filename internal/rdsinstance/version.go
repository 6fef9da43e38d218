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

// sameMajor reports whether two versions of an engine are of the same
// major version, which AWS never changes by itself and changes only with
// AllowMajorVersionUpgrade.
func sameMajor(engine, a, b string) bool {
	return majorVersion(engine, a) == majorVersion(engine, b)
}

// majorVersion returns the part of an engine version that names its major
// version, as RDS counts them: the first two parts for MySQL (5.7, 8.0,
// 8.4: "Upgrading the MySQL DB engine") and MariaDB (10.6, 10.11, 11.4:
// "Upgrading the MariaDB DB engine") and for PostgreSQL before 10 (9.6);
// the first part for PostgreSQL from 10 on (16, 17: "Upgrading the
// PostgreSQL DB engine") and for the other engines (Oracle 19, 21; SQL
// Server 15.00, 16.00).
func majorVersion(engine, version string) string {
	parts := strings.SplitN(version, ".", 3)
	first := parts[0]
	twoParts := strings.Contains(engine, "mysql") || strings.Contains(engine, "mariadb")
	if strings.Contains(engine, "postgres") {
		n, err := strconv.Atoi(first)
		twoParts = err == nil && n < 10
	}
	if !twoParts || len(parts) < 2 {
		return first
	}
	return first + "." + parts[1]
}
