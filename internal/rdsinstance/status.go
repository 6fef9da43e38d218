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
	// StatusStopped: RDS modifies no stopped DB instance ("You can't
	// modify a stopped DB instance", USER_StopInstance).
	StatusStopped = "stopped"
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
	"resetting-master-credentials":    true,
}

// modifiableStatuses are the statuses in which AWS accepts ModifyDBInstance.
// backing-up and storage-optimization can last hours; a new master password
// is set during them rather than after.
var modifiableStatuses = map[string]bool{
	StatusAvailable:        true,
	"backing-up":           true,
	"storage-optimization": true,
}

// noFinalSnapshotStatuses are the failure statuses in which AWS deletes a DB
// instance only without a final snapshot.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
var noFinalSnapshotStatuses = map[string]bool{
	"failed":               true,
	"incompatible-restore": true,
	"incompatible-network": true,
}

// AcceptsModification reports whether AWS accepts ModifyDBInstance in a
// status.
func AcceptsModification(status string) bool { return modifiableStatuses[strings.ToLower(status)] }

// TakesNoFinalSnapshot reports whether AWS refuses a final snapshot of an
// instance in a status.
func TakesNoFinalSnapshot(status string) bool {
	return noFinalSnapshotStatuses[strings.ToLower(status)]
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

// transitionStatuses are the in-flight statuses that follow a request and
// end within minutes. Long-running ones (backing-up, storage-optimization,
// maintenance) are left out: they can last hours.
var transitionStatuses = map[string]bool{
	StatusCreating:                 true,
	StatusDeleting:                 true,
	"modifying":                    true,
	"rebooting":                    true,
	"renaming":                     true,
	"resetting-master-credentials": true,
	"starting":                     true,
	"stopping":                     true,
	"upgrading":                    true,
}

// InTransition reports whether the DB instance is in a short transition
// that a request started, whose end is worth noticing soon.
func InTransition(status string) bool { return transitionStatuses[strings.ToLower(status)] }

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
