// Package rdsinstance translates between the Instance API and the RDS API:
// spec to CreateDBInstance and ModifyDBInstance input, DescribeDBInstances
// output to status, the drift diff, late initialisation, tags and connection
// details. It is pure: no Kubernetes client and no AWS calls, so that every
// rule can be tested exhaustively with plain values.
package rdsinstance
