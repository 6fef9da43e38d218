package rdsinstance

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/fieldcoverage"
)

// Reasons a field is exempt from an aspect.
const (
	providerAct          = "tells the provider how to act (on updates, deletion or passwords); it is no setting of the DB instance"
	optionalSetting      = "an optional setting: left unset it is not managed, so late-initialisation does not pin AWS's value"
	awsChosen            = "AWS chooses and changes it (placement, certificate rotation): late-initialisation would pin it"
	createOnlyUnreported = "sent only at creation, and AWS does not report it back"
	creationSource       = "what the DB instance is made from: only create reads it, and the created-from annotation reports an edit of it"
	identity             = "named by the external name or the credentials, which create sends in its own way"
	sessionRegion        = "the region of the session every call goes to; a change of it is refused before any call (regionUnchanged)"
	notHonoured          = "accepted for compatibility and not honoured yet (reported by IgnoredFields)"
)

// coverageExemptions are the aspects a field is deliberately not handled
// by, and why. A new field is handled everywhere or listed here.
var coverageExemptions = fieldcoverage.Exemptions{
	"allowMajorVersionUpgrade":           {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct},
	"applyImmediately":                   {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct},
	"autoGeneratePassword":               {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct, fieldcoverage.Status: providerAct},
	"availabilityZone":                   {fieldcoverage.LateInit: awsChosen},
	"backupTarget":                       {fieldcoverage.LateInit: optionalSetting},
	"blueGreenUpdate":                    {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct},
	"caCertIdentifier":                   {fieldcoverage.LateInit: awsChosen},
	"characterSetName":                   {fieldcoverage.LateInit: optionalSetting},
	"customIamInstanceProfile":           {fieldcoverage.LateInit: optionalSetting},
	"customerOwnedIpEnabled":             {fieldcoverage.LateInit: optionalSetting},
	"databaseInsightsMode":               {fieldcoverage.LateInit: optionalSetting},
	"dedicatedLogVolume":                 {fieldcoverage.LateInit: optionalSetting},
	"deleteAutomatedBackups":             {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct},
	"domain":                             {fieldcoverage.LateInit: optionalSetting},
	"domainAuthSecretArn":                {fieldcoverage.LateInit: optionalSetting},
	"domainDnsIps":                       {fieldcoverage.LateInit: optionalSetting},
	"domainFqdn":                         {fieldcoverage.LateInit: optionalSetting},
	"domainIamRoleName":                  {fieldcoverage.LateInit: optionalSetting},
	"domainOu":                           {fieldcoverage.LateInit: optionalSetting},
	"enabledCloudwatchLogsExports":       {fieldcoverage.LateInit: optionalSetting},
	"engineLifecycleSupport":             {fieldcoverage.LateInit: optionalSetting},
	"finalSnapshotIdentifier":            {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct},
	"identifier":                         {fieldcoverage.Create: identity},
	"identifierPrefix":                   {fieldcoverage.Create: identity, fieldcoverage.Diff: identity, fieldcoverage.LateInit: identity},
	"manageMasterUserPassword":           {fieldcoverage.LateInit: optionalSetting},
	"masterUserSecretKmsKeyId":           {fieldcoverage.LateInit: optionalSetting},
	"maxAllocatedStorage":                {fieldcoverage.LateInit: optionalSetting},
	"monitoringRoleArn":                  {fieldcoverage.LateInit: optionalSetting},
	"ncharCharacterSetName":              {fieldcoverage.LateInit: optionalSetting},
	"passwordSecretRef":                  {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct, fieldcoverage.Status: providerAct},
	"passwordWoSecretRef":                {fieldcoverage.Create: notHonoured, fieldcoverage.Diff: notHonoured, fieldcoverage.LateInit: notHonoured, fieldcoverage.Status: notHonoured},
	"passwordWoVersion":                  {fieldcoverage.Create: notHonoured, fieldcoverage.Diff: notHonoured, fieldcoverage.LateInit: notHonoured},
	"performanceInsightsKmsKeyId":        {fieldcoverage.LateInit: optionalSetting},
	"performanceInsightsRetentionPeriod": {fieldcoverage.LateInit: optionalSetting},
	"region":                             {fieldcoverage.Create: sessionRegion, fieldcoverage.Diff: sessionRegion, fieldcoverage.LateInit: sessionRegion},
	"replicaMode":                        {fieldcoverage.LateInit: optionalSetting},
	"replicateSourceDb":                  {fieldcoverage.LateInit: optionalSetting},
	"restoreToPointInTime":               {fieldcoverage.Diff: creationSource, fieldcoverage.LateInit: creationSource},
	"s3Import":                           {fieldcoverage.Diff: creationSource, fieldcoverage.LateInit: creationSource},
	"skipFinalSnapshot":                  {fieldcoverage.Create: providerAct, fieldcoverage.Diff: providerAct, fieldcoverage.LateInit: providerAct},
	"snapshotIdentifier":                 {fieldcoverage.Diff: creationSource, fieldcoverage.LateInit: creationSource},
	"tags":                               {fieldcoverage.Create: "the controller adds its ownership tags and sends them (DesiredTags)", fieldcoverage.Diff: "TagDiff compares them with the controller's own", fieldcoverage.LateInit: "AWS's tags stay AWS's: the spec's are the user's"},
	"timezone":                           {fieldcoverage.LateInit: optionalSetting},
	"upgradeStorageConfig":               {fieldcoverage.Create: notHonoured, fieldcoverage.Diff: notHonoured, fieldcoverage.LateInit: notHonoured},
	"username":                           {fieldcoverage.Create: identity},
}

// contexts are fields that count only beside another: the other is set
// alike in the spec with and without the field.
var contexts = map[string]func(*v1beta3.InstanceParameters){
	"domainAuthSecretArn": withDomain, "domainDnsIps": withDomain, "domainIamRoleName": withDomain, "domainOu": withDomain,
}

func withDomain(p *v1beta3.InstanceParameters) { p.Domain = aws.String("aws") }

// Every forProvider field of an Instance reaches create, diff,
// late-initialisation and status, or is exempt from one with a reason. A
// field added to v1beta3 fails here, named, until it is handled.
func TestEveryInstanceFieldIsHandled(t *testing.T) {
	fieldcoverage.Check(t, reflect.TypeOf(v1beta3.InstanceParameters{}), instanceFieldCoverage(), coverageExemptions)
}

// instanceFieldCoverage finds, field by field, the aspects that act on it:
// each field is set alone (with its context) on a minimal spec, against
// a DB instance whose every reported value differs from the spec's.
func instanceFieldCoverage() map[string]map[string]bool {
	reported := types.DBInstance{}
	fieldcoverage.Fill(reflect.ValueOf(&reported).Elem(), "aws", 3, false)
	reported.DBInstanceStatus, reported.DBInstanceIdentifier = aws.String(StatusAvailable), aws.String("id")
	// A standalone DB instance with nothing pending, for Diff: a replica
	// would be promoted, and pending values hold the comparison.
	standalone := reported
	standalone.ReadReplicaSourceDBInstanceIdentifier, standalone.PendingModifiedValues = nil, nil

	lateInit := v1beta3.InstanceParameters{}
	LateInitialize(&lateInit, v1beta3.InstanceInitParameters{}, reported)
	filled := fieldcoverage.JSONFields(lateInit)

	out := map[string]map[string]bool{}
	typ := reflect.TypeOf(v1beta3.InstanceParameters{})
	for i := range typ.NumField() {
		name := fieldcoverage.JSONName(typ.Field(i))
		base := v1beta3.InstanceParameters{Region: aws.String("us-east-1")}
		if ctx := contexts[name]; ctx != nil {
			ctx(&base)
		}
		with := func(b bool) v1beta3.InstanceParameters {
			p := base
			fieldcoverage.Fill(reflect.ValueOf(&p).Elem().Field(i), "spec", 700, b)
			return p
		}
		out[name] = map[string]bool{
			fieldcoverage.Create:   createSends(base, with(true)),
			fieldcoverage.Diff:     !reflect.DeepEqual(Diff(base, standalone, nil), Diff(with(true), standalone, nil)) || !reflect.DeepEqual(Diff(base, standalone, nil), Diff(with(false), standalone, nil)),
			fieldcoverage.LateInit: filled[name],
			fieldcoverage.Status:   fieldcoverage.JSONFields(Observation(reported, with(true)))[name],
		}
	}
	return out
}

// createSends reports whether any creation method's request changes when
// the field is set.
func createSends(base, with v1beta3.InstanceParameters) bool {
	for _, m := range []CreationMethod{CreateEmpty, CreateFromSnapshot, CreateFromPointInTime, CreateReadReplica, CreateFromS3} {
		b, w := base, with
		for _, p := range []*v1beta3.InstanceParameters{&b, &w} {
			// The sources these methods need, alike in both.
			if p.RestoreToPointInTime == nil {
				p.RestoreToPointInTime = &v1beta3.RestoreToPointInTime{UseLatestRestorableTime: aws.Bool(true)}
			}
			if p.S3Import == nil {
				p.S3Import = &v1beta3.S3Import{BucketName: aws.String("bucket")}
			}
		}
		rb, errB := CreateRequest(m, "id", b, Credentials{}, nil)
		rw, errW := CreateRequest(m, "id", w, Credentials{}, nil)
		// A request refused for the field's value read it too.
		if (errB == nil) != (errW == nil) || !reflect.DeepEqual(rb, rw) {
			return true
		}
	}
	return false
}
