package rdsinstance

import (
	"strings"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// DB instance statuses with special meaning.
const (
	StatusAvailable = "available"
	StatusCreating  = "creating"
	StatusDeleting  = "deleting"
)

// servingStatuses are the DB instance statuses in which the database accepts
// connections: the instance is Available to its users even though AWS is
// doing work on it.
var servingStatuses = map[string]bool{
	StatusAvailable:                   true,
	"backing-up":                      true,
	"modifying":                       true,
	"storage-optimization":            true,
	"configuring-enhanced-monitoring": true,
	"configuring-iam-database-auth":   true,
	"configuring-log-exports":         true,
	"storage-config-upgrade":          true,
	"storage-initialization":          true,
}

// inFlightStatuses are the statuses in which a change is already under way.
// Comparing desired with observed state then would report drift that AWS is
// about to resolve, and a ModifyDBInstance would be refused or queued behind
// it, so nothing is changed until the instance settles.
var inFlightStatuses = map[string]bool{
	"modifying":                       true,
	"upgrading":                       true,
	"backing-up":                      true,
	"rebooting":                       true,
	"renaming":                        true,
	"resetting-master-credentials":    true,
	"maintenance":                     true,
	"starting":                        true,
	"stopping":                        true,
	"storage-optimization":            true,
	"configuring-enhanced-monitoring": true,
	"configuring-iam-database-auth":   true,
	"configuring-log-exports":         true,
	"moving-to-vpc":                   true,
	"converting-to-vpc":               true,
	StatusCreating:                    true,
}

// InFlight reports whether a change is under way on the DB instance.
func InFlight(status string) bool { return inFlightStatuses[strings.ToLower(status)] }

// ReadyCondition maps a DB instance status to the Ready condition.
func ReadyCondition(status string) xpv2.Condition {
	s := strings.ToLower(status)
	switch {
	case s == StatusCreating:
		return xpv2.Creating()
	case s == StatusDeleting:
		return xpv2.Deleting()
	case servingStatuses[s]:
		return xpv2.Available()
	default:
		return xpv2.Unavailable().WithMessage("DB instance status is " + status)
	}
}
