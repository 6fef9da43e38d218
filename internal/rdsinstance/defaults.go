package rdsinstance

import "strings"

// DefaultUsername is the conventional master user name of an engine, used
// when the spec names none, so that the minimal manifest works.
func DefaultUsername(engine string) string {
	e := strings.ToLower(engine)
	switch {
	case strings.Contains(e, "postgres"):
		return "postgres"
	case strings.HasPrefix(e, "sqlserver"), strings.HasPrefix(e, "custom-sqlserver"):
		return "sqladmin"
	case strings.HasPrefix(e, "oracle"), strings.HasPrefix(e, "custom-oracle"):
		return "admin"
	case strings.HasPrefix(e, "db2"):
		return "db2admin"
	default: // mysql, mariadb, aurora-mysql
		return "admin"
	}
}

// urlScheme returns the URL scheme clients of an engine understand.
func urlScheme(engine string) string {
	e := strings.ToLower(engine)
	switch {
	case strings.Contains(e, "postgres"):
		return "postgresql"
	case strings.Contains(e, "sqlserver"):
		return "sqlserver"
	case strings.Contains(e, "oracle"):
		return "oracle"
	case strings.HasPrefix(e, "db2"):
		return "db2"
	default:
		return "mysql"
	}
}
