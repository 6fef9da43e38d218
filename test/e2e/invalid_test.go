package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/test/harness"
)

// invalidManifest is a manifest a user may write wrong: a merge patch over
// a valid Instance, and the message the user sees, from the API server
// (rejected: nothing stored) or on the Instance's Synced condition.
type invalidManifest struct {
	name, patch, want string
	rejected          bool
}

var invalidManifests = []invalidManifest{
	// Refused by the API server: the CRD schema and its rules.
	{name: "no-region", patch: `{"spec":{"forProvider":{"region":null}}}`, want: "spec.forProvider.region: Required value", rejected: true},
	{name: "no-class", patch: `{"spec":{"forProvider":{"instanceClass":null}}}`, want: "spec.forProvider.instanceClass is a required parameter", rejected: true},
	{name: "no-for-provider", patch: `{"spec":{"forProvider":null}}`, want: "spec.forProvider: Required value", rejected: true},
	{name: "storage-as-text", patch: `{"spec":{"forProvider":{"allocatedStorage":"twenty"}}}`, want: `spec.forProvider.allocatedStorage: Invalid value: "string"`, rejected: true},
	{name: "multi-az-as-text", patch: `{"spec":{"forProvider":{"multiAz":"yes"}}}`, want: `spec.forProvider.multiAz: Invalid value: "string"`, rejected: true},
	{name: "tags-as-list", patch: `{"spec":{"forProvider":{"tags":["team"]}}}`, want: `spec.forProvider.tags: Invalid value: "array"`, rejected: true},
	{name: "tag-value-number", patch: `{"spec":{"forProvider":{"tags":{"team":5}}}}`, want: `spec.forProvider.tags.team: Invalid value: "integer"`, rejected: true},
	{name: "unknown-field", patch: `{"spec":{"forProvider":{"instanceType":"db.t3.micro"}}}`, want: `unknown field "spec.forProvider.instanceType"`, rejected: true},
	{name: "unknown-spec-field", patch: `{"spec":{"deleteProtection":true}}`, want: `unknown field "spec.deleteProtection"`, rejected: true},
	{name: "storage-type", patch: `{"spec":{"forProvider":{"storageType":"ssd"}}}`, want: "spec.forProvider.storageType", rejected: true},
	{name: "identifier-digit", patch: `{"spec":{"forProvider":{"identifier":"9lives"}}}`, want: "spec.forProvider.identifier", rejected: true},
	{name: "deletion-policy", patch: `{"spec":{"deletionPolicy":"Destroy"}}`, want: `spec.deletionPolicy: Unsupported value: "Destroy"`, rejected: true},
	{name: "management-policy", patch: `{"spec":{"managementPolicies":["Everything"]}}`, want: `spec.managementPolicies[0]: Unsupported value: "Everything"`, rejected: true},
	{name: "provider-config-no-name", patch: `{"spec":{"providerConfigRef":{"name":null}}}`, want: "spec.providerConfigRef.name: Required value", rejected: true},
	{name: "connection-secret-no-namespace", patch: `{"spec":{"writeConnectionSecretToRef":{"name":"conn"}}}`, want: "spec.writeConnectionSecretToRef.namespace: Required value", rejected: true},
	{name: "password-no-key", patch: `{"spec":{"forProvider":{"passwordSecretRef":{"name":"pw","namespace":"default"}}}}`, want: "spec.forProvider.passwordSecretRef.key: Required value", rejected: true},
	{name: "ref-no-name", patch: `{"spec":{"forProvider":{"dbSubnetGroupNameRef":{"policy":{"resolution":"Required"}}}}}`, want: "spec.forProvider.dbSubnetGroupNameRef.name: Required value", rejected: true},
	{name: "ref-policy", patch: `{"spec":{"forProvider":{"kmsKeyIdRef":{"name":"k","policy":{"resolution":"Sometimes"}}}}}`, want: `spec.forProvider.kmsKeyIdRef.policy.resolution: Unsupported value: "Sometimes"`, rejected: true},
	{name: "restore-as-list", patch: `{"spec":{"forProvider":{"restoreToPointInTime":[{"useLatestRestorableTime":true}]}}}`, want: `unknown field "spec.forProvider.restoreToPointInTime[0].useLatestRestorableTime"`, rejected: true},

	// Refused by the provider before any AWS call: values AWS documents.
	{name: "class", patch: `{"spec":{"forProvider":{"instanceClass":"t3.micro"}}}`, want: `instanceClass "t3.micro" is not a DB instance class`},
	{name: "class-size", patch: `{"spec":{"forProvider":{"instanceClass":"db.t3"}}}`, want: `instanceClass "db.t3" is not a DB instance class`},
	{name: "engine", patch: `{"spec":{"forProvider":{"engine":"postgresql"}}}`, want: `engine "postgresql" is not an RDS engine`},
	{name: "engine-case", patch: `{"spec":{"forProvider":{"engine":"Oracle"}}}`, want: `engine "oracle" is not an RDS engine`},
	{name: "no-engine", patch: `{"spec":{"forProvider":{"engine":null}}}`, want: "engine is required to create a DB instance"},
	{name: "postgres-mysql-version", patch: `{"spec":{"forProvider":{"engineVersion":"8.0.35"}}}`, want: `engineVersion "8.0.35" is not a version of postgres`},
	{name: "mysql-postgres-version", patch: `{"spec":{"forProvider":{"engine":"mysql","engineVersion":"16.2"}}}`, want: `engineVersion "16.2" is not a version of mysql`},
	{name: "mariadb-version", patch: `{"spec":{"forProvider":{"engine":"mariadb","engineVersion":"8.0.35"}}}`, want: `engineVersion "8.0.35" is not a version of mariadb`},
	{name: "no-storage", patch: `{"spec":{"forProvider":{"allocatedStorage":null}}}`, want: "allocatedStorage is required to create a DB instance"},
	{name: "storage-small", patch: `{"spec":{"forProvider":{"allocatedStorage":10}}}`, want: "allocatedStorage 10 GiB is outside what postgres on gp2 storage takes: 20 to 65536 GiB"},
	{name: "storage-huge", patch: `{"spec":{"forProvider":{"allocatedStorage":70000}}}`, want: "allocatedStorage 70000 GiB is outside"},
	{name: "storage-fraction", patch: `{"spec":{"forProvider":{"allocatedStorage":20.5}}}`, want: "allocatedStorage 20.5 GiB is outside"},
	{name: "io1-small", patch: `{"spec":{"forProvider":{"storageType":"io1","iops":1000}}}`, want: "on io1 storage takes: 100 to 65536 GiB"},
	{name: "magnetic-big", patch: `{"spec":{"forProvider":{"storageType":"standard","allocatedStorage":4000}}}`, want: "on standard storage takes: 5 to 3072 GiB"},
	{name: "sqlserver-big", patch: `{"spec":{"forProvider":{"engine":"sqlserver-se","engineVersion":null,"allocatedStorage":20000}}}`, want: "sqlserver-se on gp2 storage takes: 20 to 16384 GiB"},
	{name: "iops-gp2", patch: `{"spec":{"forProvider":{"iops":3000}}}`, want: `iops is set, and storageType "gp2" has no provisioned IOPS`},
	{name: "throughput-io1", patch: `{"spec":{"forProvider":{"storageType":"io1","allocatedStorage":100,"iops":1000,"storageThroughput":125}}}`, want: "only gp3 storage has a throughput setting"},
	{name: "max-storage", patch: `{"spec":{"forProvider":{"maxAllocatedStorage":10}}}`, want: "maxAllocatedStorage (10) must be greater than allocatedStorage (20)"},
	{name: "retention", patch: `{"spec":{"forProvider":{"backupRetentionPeriod":36}}}`, want: "backupRetentionPeriod 36 is not a whole number from 0 to 35"},
	{name: "retention-negative", patch: `{"spec":{"forProvider":{"backupRetentionPeriod":-1}}}`, want: "backupRetentionPeriod -1 is not a whole number"},
	{name: "port", patch: `{"spec":{"forProvider":{"port":80}}}`, want: "port 80 is not a whole number from 1150 to 65535"},
	{name: "monitoring", patch: `{"spec":{"forProvider":{"monitoringInterval":7}}}`, want: "spec.forProvider.monitoringInterval: Unsupported value: 7", rejected: true},
	{name: "pi-retention", patch: `{"spec":{"forProvider":{"performanceInsightsRetentionPeriod":100}}}`, want: "performanceInsightsRetentionPeriod 100 is not 7, 731"},
	{name: "backup-window", patch: `{"spec":{"forProvider":{"backupWindow":"3am-4am"}}}`, want: `backupWindow "3am-4am" is not hh24:mi-hh24:mi`},
	{name: "maintenance-window", patch: `{"spec":{"forProvider":{"maintenanceWindow":"sunday 05:00"}}}`, want: `maintenanceWindow "sunday 05:00" is not ddd:hh24:mi-ddd:hh24:mi`},
	{name: "license", patch: `{"spec":{"forProvider":{"licenseModel":"free"}}}`, want: `licenseModel "free" is not one of`},
	{name: "multi-az-zone", patch: `{"spec":{"forProvider":{"multiAz":true,"availabilityZone":"us-east-1a"}}}`, want: "availabilityZone is set with multiAz"},
	{name: "timezone", patch: `{"spec":{"forProvider":{"timezone":"UTC"}}}`, want: `timezone is a setting of SQL Server only, and engine is "postgres"`},
	{name: "db-name", patch: `{"spec":{"forProvider":{"dbName":"my-app"}}}`, want: `dbName "my-app" is not a database name`},
	{name: "db-name-long", patch: `{"spec":{"forProvider":{"dbName":"` + strings.Repeat("a", 65) + `"}}}`, want: "is not a database name: 1 to 64"},
	{name: "db-name-sqlserver", patch: `{"spec":{"forProvider":{"engine":"sqlserver-ex","engineVersion":null,"dbName":"app"}}}`, want: "dbName must be left unset for SQL Server"},
	{name: "username-reserved", patch: `{"spec":{"forProvider":{"username":"rdsadmin"}}}`, want: `username "rdsadmin" is reserved by RDS`},
	{name: "username-mysql-long", patch: `{"spec":{"forProvider":{"engine":"mysql","engineVersion":"8.0.35","username":"application_owner_01"}}}`, want: "is not a master user name for mysql: 1 to 16"},
	{name: "username-symbol", patch: `{"spec":{"forProvider":{"username":"app-user"}}}`, want: `username "app-user" is not a master user name`},
	{name: "tag-key-long", patch: `{"spec":{"forProvider":{"tags":{"` + strings.Repeat("k", 129) + `":"v"}}}}`, want: "keys are 1 to 128 characters and values at most 256"},
	{name: "identifier-and-prefix", patch: `{"spec":{"forProvider":{"identifier":"orders","identifierPrefix":"orders-"}}}`, want: "identifier and identifierPrefix are both set"},
	{name: "snapshot-and-replica", patch: `{"spec":{"forProvider":{"snapshotIdentifier":"snap","replicateSourceDb":"source"}}}`, want: "at most one of snapshotIdentifier, restoreToPointInTime, replicateSourceDb and s3Import may be set"},
	{name: "s3-postgres", patch: `{"spec":{"forProvider":{"s3Import":{"bucketName":"backups","ingestionRole":"arn:aws:iam::123456789012:role/r","sourceEngine":"mysql","sourceEngineVersion":"8.0"}}}}`, want: `s3Import restores MySQL backups only, and engine is "postgres"`},
	{name: "restore-time", patch: `{"spec":{"forProvider":{"restoreToPointInTime":{"sourceDbInstanceIdentifier":"src","restoreTime":"yesterday"}}}}`, want: `restoreToPointInTime.restoreTime "yesterday" is not an RFC 3339 time`},
	{name: "external-name", patch: `{"metadata":{"annotations":{"crossplane.io/external-name":"Bad_Name"}}}`, want: `external name "Bad_Name" is not a valid DB instance identifier`},
	{name: "password-secret-missing", patch: `{"spec":{"forProvider":{"passwordSecretRef":{"name":"no-such-secret","namespace":"default","key":"password"}}}}`, want: `"no-such-secret" not found`},
	{name: "password-key-missing", patch: `{"spec":{"forProvider":{"passwordSecretRef":{"name":"invalid-manifests-pw","namespace":"crossplane-system","key":"nokey"}}}}`, want: `nokey`},
	{name: "ref-missing", patch: `{"spec":{"forProvider":{"parameterGroupNameRef":{"name":"no-such-group"}}}}`, want: `ParameterGroup.rds.aws.upbound.io "no-such-group" not found: the referenced object does not exist`},
	{name: "provider-config-missing", patch: `{"spec":{"providerConfigRef":{"name":"no-such-config"}}}`, want: `"no-such-config" not found`},
	{name: "region-unknown", patch: `{"spec":{"forProvider":{"region":"mars-north-1"}}}`, want: `region "mars-north-1" is not a known AWS region`},
}

// At least fifty wrong manifests each get a clear message where the user
// looks (the API server's answer, or the Instance's Synced condition), and
// none of them makes AWS create anything.
func TestInvalidManifests(t *testing.T) {
	if len(invalidManifests) < 50 {
		t.Fatalf("want at least 50 invalid manifests, have %d", len(invalidManifests))
	}
	ctx := context.Background()
	createSecret(t, "invalid-manifests-pw", map[string]string{"password": "a-valid-password-1"})
	createProviderConfig(t, "strict-regions", func(pc *awsv1beta1.ProviderConfig) { pc.Spec.SkipRegionValidation = false })
	calls := countOver(1, func() {
		var stored []invalidManifest
		for _, m := range invalidManifests {
			u := validManifest(t, "bad-"+m.name)
			if m.name == "region-unknown" {
				_ = unstructured.SetNestedField(u.Object, "strict-regions", "spec", "providerConfigRef", "name")
			}
			if err := mergePatch(u, m.patch); err != nil {
				t.Fatalf("%s: %v", m.name, err)
			}
			err := env.Kube.Create(ctx, u, client.FieldValidation("Strict"))
			switch {
			case m.rejected && err == nil:
				t.Errorf("%s: the API server accepted it; want %q", m.name, m.want)
				stored = append(stored, m)
			case m.rejected && !strings.Contains(err.Error(), m.want):
				t.Errorf("%s: the API server said %q; want %q", m.name, err, m.want)
			case !m.rejected && err != nil:
				t.Errorf("%s: the API server refused it (%v); want the provider to say %q", m.name, err, m.want)
			case !m.rejected:
				stored = append(stored, m)
			}
		}
		t.Cleanup(func() {
			for _, m := range stored {
				deleteAndWaitGone(t, "bad-"+m.name)
			}
		})
		for _, m := range stored {
			if !m.rejected {
				waitSyncedError(t, "bad-"+m.name, m.want)
			}
		}
	})
	if n := calls["rds:CreateDBInstance"] + calls["rds:CreateDBInstanceReadReplica"] + calls["rds:RestoreDBInstanceFromDBSnapshot"] + calls["rds:RestoreDBInstanceToPointInTime"] + calls["rds:RestoreDBInstanceFromS3"]; n != 0 {
		t.Errorf("invalid manifests made %d AWS creates: %s", n, harness.Format(calls))
	}
	env.CheckNoSecretsLeaked(t)
}

// validManifest is a valid v1beta3 Instance as a user writes it.
func validManifest(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	in := newInstance(name, providerConfigName)
	in.SetGroupVersionKind(v1beta3.InstanceGroupVersionKind)
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(in)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: obj}
	unstructured.RemoveNestedField(u.Object, "status")
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	return u
}

// mergePatch applies a JSON merge patch (RFC 7386) to an object.
func mergePatch(u *unstructured.Unstructured, patch string) error {
	doc, err := u.MarshalJSON()
	if err != nil {
		return err
	}
	patched, err := jsonpatch.MergePatch(doc, []byte(patch))
	if err != nil {
		return fmt.Errorf("patch: %w", err)
	}
	return u.UnmarshalJSON(patched)
}
