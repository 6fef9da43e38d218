package rdsinstance

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// BlueGreen is a change the spec asks for that a Blue/Green deployment
// makes on a green copy of the DB instance, then switches over to, instead
// of modifying the DB instance in place and restarting it: the engine
// version (minor or major), the instance class and the parameter group.
// Storage changes apply in place without a restart, and the rest of the
// settings are not taken by CreateBlueGreenDeployment; both wait, and are
// applied in place after the switchover.
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/blue-green-deployments-overview.html
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateBlueGreenDeployment.html
type BlueGreen struct {
	// Fields names the spec fields the deployment changes.
	Fields []string

	EngineVersion  *string
	InstanceClass  *string
	ParameterGroup *string
}

// blueGreenFields are the spec fields a Blue/Green deployment changes.
var blueGreenFields = map[string]bool{"engineVersion": true, "instanceClass": true, "parameterGroupName": true}

// Statuses of a Blue/Green deployment.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_BlueGreenDeployment.html
const (
	BlueGreenProvisioning         = "PROVISIONING"
	BlueGreenAvailable            = "AVAILABLE"
	BlueGreenSwitchoverInProgress = "SWITCHOVER_IN_PROGRESS"
	BlueGreenSwitchoverCompleted  = "SWITCHOVER_COMPLETED"
	BlueGreenInvalidConfiguration = "INVALID_CONFIGURATION"
	BlueGreenSwitchoverFailed     = "SWITCHOVER_FAILED"
	BlueGreenDeleting             = "DELETING"
)

// BlueGreenEngine reports whether RDS makes Blue/Green deployments of a DB
// instance of this engine: "RDS for MariaDB, RDS for MySQL, and RDS for
// PostgreSQL" (Aurora's are of clusters).
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/blue-green-deployments-considerations.html
func BlueGreenEngine(engine string) bool {
	switch strings.ToLower(engine) {
	case "mysql", "mariadb", "postgres":
		return true
	}
	return false
}

// BlueGreenDeploymentInput creates the deployment of a change: its green
// copy of the DB instance gets the target settings.
func BlueGreenDeploymentInput(db types.DBInstance, bg BlueGreen, name string, tags []types.Tag) *rds.CreateBlueGreenDeploymentInput {
	return &rds.CreateBlueGreenDeploymentInput{
		BlueGreenDeploymentName:    aws.String(name),
		Source:                     db.DBInstanceArn,
		TargetEngineVersion:        bg.EngineVersion,
		TargetDBInstanceClass:      bg.InstanceClass,
		TargetDBParameterGroupName: bg.ParameterGroup,
		Tags:                       tags,
	}
}

// BlueGreenDeploymentName names the deployment of a DB instance's change
// made at a time: 1 to 60 letters, digits or hyphens, starting with a
// letter, without two hyphens in a row or a trailing hyphen, as the
// identifier it starts with.
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateBlueGreenDeployment.html
func BlueGreenDeploymentName(id string, at time.Time) string {
	suffix := "-" + at.UTC().Format("20060102150405")
	if len(id)+len(suffix) > 60 {
		id = strings.TrimRight(id[:60-len(suffix)], "-")
	}
	return id + suffix
}

// IdentifierOfARN returns the DB instance identifier an RDS DB instance
// ARN (arn:PARTITION:rds:REGION:ACCOUNT:db:ID) names, or "".
func IdentifierOfARN(arn string) string {
	if i := strings.LastIndex(arn, ":db:"); i >= 0 {
		return arn[i+len(":db:"):]
	}
	return ""
}
