package rdsinstance

import (
	"cmp"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdstags"
)

// Drift is what separates a DB instance from its spec.
type Drift struct {
	// Fields names the spec fields that differ and that Modify corrects.
	Fields []string

	// Modify corrects Fields; nil when nothing needs modifying.
	Modify *rds.ModifyDBInstanceInput

	// NeedsPassword is set when Modify stops AWS from managing the master
	// password, which RDS only accepts together with a new password.
	NeedsPassword bool

	// TagsToAdd and TagsToRemove make the tags as desired.
	TagsToAdd    []types.Tag
	TagsToRemove []string

	// Promote says the spec names no source for a DB instance that is a
	// read replica: promote it to a standalone DB instance
	// (PromoteReadReplica), which RDS does alone, with no other change.
	Promote bool

	// BlueGreen is the change a Blue/Green deployment makes, when the spec
	// asks for Blue/Green updates; the rest of the modification waits for
	// its switchover.
	BlueGreen *BlueGreen

	// CannotApply explains differences that RDS cannot correct on an
	// existing instance (create-only fields, shrinking storage, engine
	// downgrades). They are reported, never retried.
	CannotApply []string
}

// Names of the changes a Drift makes besides its fields, as Summary and
// Effects name them.
const (
	ChangePromotion = "replicateSourceDb (promotion)"
	ChangeTags      = "tags"
	ChangePassword  = "master password"
)

// UpToDate reports whether nothing needs to change in AWS.
func (d Drift) UpToDate() bool {
	return d.Modify == nil && !d.Promote && d.BlueGreen == nil && len(d.TagsToAdd) == 0 && len(d.TagsToRemove) == 0
}

// Summary names what drifted, for the Synced condition and events.
func (d Drift) Summary() string {
	names := append([]string{}, d.Fields...)
	if d.Promote {
		names = append(names, ChangePromotion)
	}
	if d.BlueGreen != nil {
		names = append(names, strings.Join(d.BlueGreen.Fields, ", ")+" (Blue/Green deployment)")
	}
	if len(d.TagsToAdd) > 0 || len(d.TagsToRemove) > 0 {
		names = append(names, ChangeTags)
	}
	return strings.Join(names, ", ")
}

// Diff compares the spec with a described DB instance. Only fields the spec
// sets are compared: AWS defaults for unset fields are not drift. Values
// already pending in PendingModifiedValues are not drift either, and while a
// change is in flight nothing is modified.
func Diff(p v1beta3.InstanceParameters, db types.DBInstance, desiredTags map[string]string) Drift {
	d := &differ{db: db, pending: db.PendingModifiedValues}
	if d.pending == nil {
		d.pending = &types.PendingModifiedValues{}
	}
	if !InFlight(aws.ToString(db.DBInstanceStatus)) {
		d.compare(p)
	}
	if len(d.fields) > 0 && strings.EqualFold(aws.ToString(db.DBInstanceStatus), StatusStopped) {
		// RDS refuses to modify a stopped DB instance (InvalidDBInstanceState).
		d.cannot = append(d.cannot, fmt.Sprintf("%s: the DB instance is stopped, and RDS modifies no stopped DB instance; start it to apply the change", strings.Join(d.fields, ", ")))
		d.withhold()
	}
	d.holdForBlueGreen(p)
	if d.promote {
		// Promotion goes alone: RDS reboots the replica, and the other
		// changes follow once it is available.
		d.withhold()
	}
	out := Drift{Fields: d.fields, CannotApply: d.cannot, NeedsPassword: d.needsPassword, Promote: d.promote, BlueGreen: d.blueGreen}
	if len(d.fields) > 0 {
		d.in.DBInstanceIdentifier = db.DBInstanceIdentifier
		d.in.ApplyImmediately = p.ApplyImmediately
		out.Modify = &d.in
	}
	out.TagsToAdd, out.TagsToRemove = rdstags.TagDiff(desiredTags, db.TagList)
	return out
}

// withhold sends none of the modification compared so far: RDS would
// refuse it, or it must wait.
func (d *differ) withhold() {
	d.fields, d.needsPassword, d.in = nil, false, rds.ModifyDBInstanceInput{}
}

type differ struct {
	promote   bool
	blueGreen *BlueGreen
	db        types.DBInstance
	pending   *types.PendingModifiedValues
	in        rds.ModifyDBInstanceInput

	fields        []string
	cannot        []string
	needsPassword bool
}

func (d *differ) drift(field string) { d.fields = append(d.fields, field) }

func (d *differ) cannotApply(format string, args ...any) {
	d.cannot = append(d.cannot, fmt.Sprintf(format, args...))
}

// intField compares an integer field and, if it drifted, sets it.
func (d *differ) intField(field string, want *float64, have, pending *int32, set **int32) {
	w := int32Ptr(want)
	if w == nil || aws.ToInt32(have) == *w || (pending != nil && *pending == *w) {
		return
	}
	*set = w
	d.drift(field)
}

// boolField compares a boolean field and, if it drifted, sets it.
func (d *differ) boolField(field string, want, have, pending *bool, set **bool) {
	if want == nil || aws.ToBool(have) == *want || (pending != nil && *pending == *want) {
		return
	}
	*set = want
	d.drift(field)
}

// stringField compares a string field ignoring case, since AWS lower-cases
// names, classes and windows, and, if it drifted, sets it.
func (d *differ) stringField(field string, want, have, pending *string, set **string) {
	if want == nil || equalFold(want, have) || (pending != nil && equalFold(want, pending)) {
		return
	}
	*set = want
	d.drift(field)
}

func (d *differ) compare(p v1beta3.InstanceParameters) {
	db, pend, in := d.db, d.pending, &d.in

	d.storage(p)
	d.stringField("instanceClass", p.InstanceClass, db.DBInstanceClass, pend.DBInstanceClass, &in.DBInstanceClass)
	d.engineVersion(p)
	d.intField("backupRetentionPeriod", p.BackupRetentionPeriod, db.BackupRetentionPeriod, pend.BackupRetentionPeriod, &in.BackupRetentionPeriod)
	d.stringField("backupWindow", p.BackupWindow, db.PreferredBackupWindow, nil, &in.PreferredBackupWindow)
	d.stringField("maintenanceWindow", p.MaintenanceWindow, db.PreferredMaintenanceWindow, nil, &in.PreferredMaintenanceWindow)
	d.stringField("caCertIdentifier", p.CACertIdentifier, db.CACertificateIdentifier, pend.CACertificateIdentifier, &in.CACertificateIdentifier)
	d.boolField("copyTagsToSnapshot", p.CopyTagsToSnapshot, db.CopyTagsToSnapshot, nil, &in.CopyTagsToSnapshot)
	d.boolField("deletionProtection", p.DeletionProtection, db.DeletionProtection, nil, &in.DeletionProtection)
	d.boolField("autoMinorVersionUpgrade", p.AutoMinorVersionUpgrade, db.AutoMinorVersionUpgrade, nil, &in.AutoMinorVersionUpgrade)
	d.boolField("multiAz", p.MultiAZ, db.MultiAZ, pend.MultiAZ, &in.MultiAZ)
	d.boolField("publiclyAccessible", p.PubliclyAccessible, db.PubliclyAccessible, nil, &in.PubliclyAccessible)
	d.boolField("iamDatabaseAuthenticationEnabled", p.IAMDatabaseAuthenticationEnabled, db.IAMDatabaseAuthenticationEnabled, pend.IAMDatabaseAuthenticationEnabled, &in.EnableIAMDatabaseAuthentication)
	d.boolField("performanceInsightsEnabled", p.PerformanceInsightsEnabled, db.PerformanceInsightsEnabled, nil, &in.EnablePerformanceInsights)
	d.boolField("customerOwnedIpEnabled", p.CustomerOwnedIPEnabled, db.CustomerOwnedIpEnabled, nil, &in.EnableCustomerOwnedIp)
	d.boolField("dedicatedLogVolume", p.DedicatedLogVolume, db.DedicatedLogVolume, pend.DedicatedLogVolume, &in.DedicatedLogVolume)
	d.provisioned(p)
	d.intField("maxAllocatedStorage", p.MaxAllocatedStorage, db.MaxAllocatedStorage, nil, &in.MaxAllocatedStorage)
	d.intField("monitoringInterval", p.MonitoringInterval, db.MonitoringInterval, nil, &in.MonitoringInterval)
	d.intField("performanceInsightsRetentionPeriod", p.PerformanceInsightsRetentionPeriod, db.PerformanceInsightsRetentionPeriod, nil, &in.PerformanceInsightsRetentionPeriod)
	if port := observedPort(db); port != nil {
		d.intField("port", p.Port, port, pend.Port, &in.DBPortNumber)
	}
	d.stringField("storageType", p.StorageType, db.StorageType, pend.StorageType, &in.StorageType)
	d.stringField("networkType", p.NetworkType, db.NetworkType, nil, &in.NetworkType)
	d.stringField("licenseModel", p.LicenseModel, db.LicenseModel, pend.LicenseModel, &in.LicenseModel)
	d.stringField("engineLifecycleSupport", p.EngineLifecycleSupport, db.EngineLifecycleSupport, nil, &in.EngineLifecycleSupport)
	d.stringField("monitoringRoleArn", p.MonitoringRoleArn, db.MonitoringRoleArn, nil, &in.MonitoringRoleArn)
	d.stringField("dbSubnetGroupName", p.DBSubnetGroupName, observedSubnetGroup(db), pend.DBSubnetGroupName, &in.DBSubnetGroupName)
	d.stringField("parameterGroupName", p.ParameterGroupName, observedParameterGroup(db), nil, &in.DBParameterGroupName)
	d.stringField("optionGroupName", p.OptionGroupName, observedOptionGroup(db), nil, &in.OptionGroupName)
	if p.DatabaseInsightsMode != nil && !strings.EqualFold(*p.DatabaseInsightsMode, string(db.DatabaseInsightsMode)) {
		in.DatabaseInsightsMode = types.DatabaseInsightsMode(*p.DatabaseInsightsMode)
		d.drift("databaseInsightsMode")
	}
	if p.ReplicaMode != nil && !strings.EqualFold(*p.ReplicaMode, string(db.ReplicaMode)) {
		in.ReplicaMode = types.ReplicaMode(*p.ReplicaMode)
		d.drift("replicaMode")
	}
	if p.PerformanceInsightsKMSKeyID != nil && !sameKey(*p.PerformanceInsightsKMSKeyID, aws.ToString(db.PerformanceInsightsKMSKeyId)) {
		in.PerformanceInsightsKMSKeyId = p.PerformanceInsightsKMSKeyID
		d.drift("performanceInsightsKmsKeyId")
	}
	if len(p.VPCSecurityGroupIDs) > 0 && !sameSet(stringValues(p.VPCSecurityGroupIDs), observedVPCSecurityGroups(db)) {
		in.VpcSecurityGroupIds = stringValues(p.VPCSecurityGroupIDs)
		d.drift("vpcSecurityGroupIds")
	}
	d.logExports(p)
	d.masterPassword(p)
	d.domain(p)
	d.createOnly(p)
	d.replication(p)
}

// storage compares allocated storage. RDS can grow storage but never shrink
// it, and storage autoscaling (maxAllocatedStorage) grows it by itself, so
// only a request for more storage is drift.
func (d *differ) storage(p v1beta3.InstanceParameters) {
	want, have := int32Ptr(p.AllocatedStorage), aws.ToInt32(d.db.AllocatedStorage)
	if want == nil || *want == have || (d.pending.AllocatedStorage != nil && *d.pending.AllocatedStorage == *want) {
		return
	}
	if *want < have {
		// Storage autoscaling may grow storage past the spec while it is
		// on: when the spec sets a maximum, or leaves it out and AWS
		// reports one (set by initProvider or outside Kubernetes). A spec
		// maximum of 0 turns it off, and storage it grew stays.
		autoscaling := aws.ToInt32(d.db.MaxAllocatedStorage) > 0
		if p.MaxAllocatedStorage != nil {
			autoscaling = *p.MaxAllocatedStorage > 0
		}
		switch {
		case !autoscaling && p.MaxAllocatedStorage != nil:
			d.cannotApply("allocatedStorage: the instance has %d GiB, grown by storage autoscaling, which maxAllocatedStorage 0 turns off; RDS cannot shrink storage: set allocatedStorage to %d or more", have, have)
		case !autoscaling:
			d.cannotApply("allocatedStorage: RDS cannot shrink storage from %d to %d GiB", have, *want)
		}
		return
	}
	d.in.AllocatedStorage = want
	d.drift("allocatedStorage")
}

// provisioned compares provisioned IOPS and storage throughput. For gp3
// storage a value at or below the baseline of the target volume size is
// the baseline, which AWS sets by itself and changes as the volume grows:
// it is met by whatever baseline AWS reports and is never sent.
func (d *differ) provisioned(p v1beta3.InstanceParameters) {
	db, pend, in := d.db, d.pending, &d.in
	storageType := aws.ToString(p.StorageType)
	if storageType == "" {
		storageType = aws.ToString(db.StorageType)
	}
	if !strings.EqualFold(storageType, storageTypeGP3) {
		d.intField("iops", p.Iops, db.Iops, pend.Iops, &in.Iops)
		d.intField("storageThroughput", p.StorageThroughput, db.StorageThroughput, pend.StorageThroughput, &in.StorageThroughput)
		return
	}
	storage := aws.ToInt32(db.AllocatedStorage)
	if want := int32Ptr(p.AllocatedStorage); want != nil && *want > storage {
		storage = *want
	}
	engine := aws.ToString(db.Engine)
	iops, throughput := gp3Baseline(engine, storage)
	if refusals := gp3Refusals(engine, storage, p, iops, throughput); len(refusals) > 0 {
		for _, r := range refusals {
			d.cannotApply("%s", r)
		}
		return
	}
	d.gp3Field("iops", p.Iops, iops, db.Iops, pend.Iops, &in.Iops)
	d.gp3Field("storageThroughput", p.StorageThroughput, throughput, db.StorageThroughput, pend.StorageThroughput, &in.StorageThroughput)
}

// gp3Field compares one provisioned gp3 value against its baseline.
func (d *differ) gp3Field(field string, want *float64, baseline int32, have, pending *int32, set **int32) {
	w := int32Ptr(want)
	if w == nil {
		return
	}
	if *w <= baseline {
		if aws.ToInt32(have) <= baseline {
			return // AWS keeps the baseline
		}
		w = &baseline // back down from a provisioned value to the baseline
	}
	if aws.ToInt32(have) == *w || (pending != nil && *pending == *w) {
		return
	}
	*set = w
	d.drift(field)
}

// engineVersion compares the engine version. A requested prefix ("16") is
// met by any version it covers; a newer actual version is not drift, since
// AWS upgrades minor versions by itself and RDS cannot downgrade.
func (d *differ) engineVersion(p v1beta3.InstanceParameters) {
	want, have := aws.ToString(p.EngineVersion), aws.ToString(d.db.EngineVersion)
	if want == "" || versionCovers(want, have) || versionCovers(want, aws.ToString(d.pending.EngineVersion)) {
		return
	}
	engine := aws.ToString(d.db.Engine)
	if compareVersions(have, want) > 0 {
		if d.db.ReadReplicaSourceDBInstanceIdentifier != nil {
			// A read replica follows its source: upgrading the source
			// upgrades it, past whatever version the spec recorded.
			return
		}
		autoMinor := aws.ToBool(d.db.AutoMinorVersionUpgrade)
		if !autoMinor || !sameMajor(engine, have, want) {
			d.cannotApply("engineVersion: the instance runs %s, newer than the requested %s, and RDS cannot downgrade", have, want)
		}
		return
	}
	if !sameMajor(engine, have, want) {
		// RDS refuses a major upgrade without AllowMajorVersionUpgrade,
		// and one that keeps a custom parameter group, whose family is
		// the old major version's.
		if !aws.ToBool(p.AllowMajorVersionUpgrade) {
			d.cannotApply("engineVersion: %s to %s is a major version upgrade, which RDS makes only with allowMajorVersionUpgrade: true", have, want)
			return
		}
		if group := aws.ToString(observedParameterGroup(d.db)); group != "" && !strings.HasPrefix(group, "default.") &&
			(p.ParameterGroupName == nil || strings.EqualFold(*p.ParameterGroupName, group)) {
			d.cannotApply("engineVersion: %s to %s is a major version upgrade, and the DB instance keeps its parameter group %q, whose family is %s's; RDS needs a parameter group of the new major version's family: name one in parameterGroupName", have, want, group, majorVersion(engine, have))
			return
		}
		d.in.AllowMajorVersionUpgrade = p.AllowMajorVersionUpgrade
	}
	d.in.EngineVersion = p.EngineVersion
	d.drift("engineVersion")
}

// logExports compares the CloudWatch Logs exports as sets, counting exports
// already pending as done.
func (d *differ) logExports(p v1beta3.InstanceParameters) {
	if p.EnabledCloudwatchLogsExports == nil {
		return
	}
	want := stringValues(p.EnabledCloudwatchLogsExports)
	have := map[string]bool{}
	for _, l := range d.db.EnabledCloudwatchLogsExports {
		have[l] = true
	}
	if pl := d.pending.PendingCloudwatchLogsExports; pl != nil {
		for _, l := range pl.LogTypesToEnable {
			have[l] = true
		}
		for _, l := range pl.LogTypesToDisable {
			delete(have, l)
		}
	}
	cfg := &types.CloudwatchLogsExportConfiguration{}
	wanted := map[string]bool{}
	for _, l := range want {
		wanted[l] = true
		if !have[l] {
			cfg.EnableLogTypes = append(cfg.EnableLogTypes, l)
		}
	}
	for l := range have {
		if !wanted[l] {
			cfg.DisableLogTypes = append(cfg.DisableLogTypes, l)
		}
	}
	if len(cfg.EnableLogTypes)+len(cfg.DisableLogTypes) == 0 {
		return
	}
	sort.Strings(cfg.EnableLogTypes)
	sort.Strings(cfg.DisableLogTypes)
	d.in.CloudwatchLogsExportConfiguration = cfg
	d.drift("enabledCloudwatchLogsExports")
}

// masterPassword compares who manages the master password.
func (d *differ) masterPassword(p v1beta3.InstanceParameters) {
	managed := d.db.MasterUserSecret != nil
	if p.ManageMasterUserPassword != nil && *p.ManageMasterUserPassword != managed {
		d.in.ManageMasterUserPassword = p.ManageMasterUserPassword
		if *p.ManageMasterUserPassword {
			d.in.MasterUserSecretKmsKeyId = p.MasterUserSecretKMSKeyID
		} else {
			d.needsPassword = true
		}
		d.drift("manageMasterUserPassword")
		return
	}
	if managed && p.MasterUserSecretKMSKeyID != nil && !sameKey(*p.MasterUserSecretKMSKeyID, aws.ToString(d.db.MasterUserSecret.KmsKeyId)) {
		d.in.ManageMasterUserPassword = aws.Bool(true)
		d.in.MasterUserSecretKmsKeyId = p.MasterUserSecretKMSKeyID
		d.drift("masterUserSecretKmsKeyId")
	}
}

// domain compares Active Directory membership as one unit, since RDS takes
// its fields together.
func (d *differ) domain(p v1beta3.InstanceParameters) {
	if p.Domain == nil && p.DomainFqdn == nil {
		return
	}
	var have types.DomainMembership
	if len(d.db.DomainMemberships) > 0 {
		have = d.db.DomainMemberships[0]
	}
	// Each field counts only when the spec sets it: AWS reports the
	// directory's FQDN, OU and role for a domain given by ID, and the
	// directory ID for one given by FQDN.
	same := func(want, have *string) bool { return want == nil || equalFold(want, have) }
	sameIPs := p.DomainDNSIps == nil || sameSet(stringValues(p.DomainDNSIps), have.DnsIps)
	if same(p.Domain, have.Domain) && same(p.DomainFqdn, have.FQDN) && same(p.DomainIAMRoleName, have.IAMRoleName) && same(p.DomainOu, have.OU) &&
		same(p.DomainAuthSecretArn, have.AuthSecretArn) && sameIPs {
		return
	}
	d.in.Domain, d.in.DomainFqdn, d.in.DomainOu = p.Domain, p.DomainFqdn, p.DomainOu
	d.in.DomainIAMRoleName, d.in.DomainAuthSecretArn = p.DomainIAMRoleName, p.DomainAuthSecretArn
	d.in.DomainDnsIps = stringValues(p.DomainDNSIps)
	d.drift("domain")
}

// holdForBlueGreen takes the changes that restart the database out of the
// in-place modification when the spec asks for Blue/Green updates: a
// deployment makes them on a green copy. The other changes wait for the
// switchover, to be made in place on the DB instance it leaves serving.
func (d *differ) holdForBlueGreen(p v1beta3.InstanceParameters) {
	if p.BlueGreenUpdate == nil || !aws.ToBool(p.BlueGreenUpdate.Enabled) {
		return
	}
	var held []string
	for _, f := range d.fields {
		if blueGreenFields[f] {
			held = append(held, f)
		}
	}
	if len(held) == 0 {
		return
	}
	if engine := aws.ToString(d.db.Engine); !BlueGreenEngine(engine) {
		d.cannotApply("%s: blueGreenUpdate is enabled, and RDS makes Blue/Green deployments of MySQL, MariaDB and PostgreSQL DB instances only, not %s; applied in place, the change would restart the database, so nothing is modified (%s held with it). Set blueGreenUpdate.enabled to false to apply it in place", strings.Join(held, ", "), engine, strings.Join(d.fields, ", "))
		d.withhold()
		return
	}
	if d.db.ReadReplicaSourceDBInstanceIdentifier != nil {
		d.cannotApply("%s: blueGreenUpdate is enabled, and the DB instance is a read replica; a Blue/Green deployment is made of its source, which brings its replicas along. Set blueGreenUpdate.enabled to false to apply it in place", strings.Join(held, ", "))
		d.withhold()
		return
	}
	d.blueGreen = &BlueGreen{Fields: held, EngineVersion: d.in.EngineVersion, InstanceClass: d.in.DBInstanceClass, ParameterGroup: d.in.DBParameterGroupName}
	d.withhold()
}

// replication compares the read replica relation. A replica whose spec
// names no source is promoted, as Terraform promotes one whose
// replicate_source_db is removed; RDS can neither change a replica's
// source nor make an existing DB instance a replica.
func (d *differ) replication(p v1beta3.InstanceParameters) {
	want, have := aws.ToString(p.ReplicateSourceDB), aws.ToString(d.db.ReadReplicaSourceDBInstanceIdentifier)
	switch {
	case want == "" && have != "":
		d.promote = true
	case want != "" && have == "":
		d.cannotApply("replicateSourceDb: the DB instance is not a read replica; RDS cannot make an existing DB instance one")
	case want != "" && !sameSource(want, have):
		d.cannotApply("replicateSourceDb: the DB instance replicates %q; RDS cannot change the source of a read replica", have)
	}
}

// sameSource reports whether two names of a source DB instance, each an
// identifier or an ARN (a source in another region), name the same one.
func sameSource(a, b string) bool {
	id := func(s string) string { return cmp.Or(IdentifierOfARN(s), s) }
	return strings.EqualFold(a, b) || ((strings.HasPrefix(a, "arn:") != strings.HasPrefix(b, "arn:")) && strings.EqualFold(id(a), id(b)))
}

// createOnly reports differences in fields RDS sets only at creation.
func (d *differ) createOnly(p v1beta3.InstanceParameters) {
	db := d.db
	check := func(field string, want, have *string) {
		if want != nil && have != nil && !strings.EqualFold(*want, *have) {
			d.cannotApply("%s: the instance has %q; RDS sets it only at creation", field, *have)
		}
	}
	// Renaming would move the endpoint every client connects to; the
	// provider does not do it behind a spec edit.
	if p.Identifier != nil && db.DBInstanceIdentifier != nil && !strings.EqualFold(*p.Identifier, *db.DBInstanceIdentifier) {
		d.cannotApply("identifier: the instance is %q; the provider does not rename DB instances (set crossplane.io/external-name to adopt another, or create a new Instance)", *db.DBInstanceIdentifier)
	}
	check("engine", p.Engine, db.Engine)
	check("dbName", DBName(p), db.DBName)
	if DBName(p) != nil && db.DBName == nil {
		// AWS reports no name for a database created without one.
		d.cannotApply("dbName: the instance was created without an initial database; RDS sets it only at creation")
	}
	check("username", p.Username, db.MasterUsername)
	check("characterSetName", p.CharacterSetName, db.CharacterSetName)
	check("ncharCharacterSetName", p.NcharCharacterSetName, db.NcharCharacterSetName)
	check("timezone", p.Timezone, db.Timezone)
	check("backupTarget", p.BackupTarget, db.BackupTarget)
	check("customIamInstanceProfile", p.CustomIAMInstanceProfile, db.CustomIamInstanceProfile)
	if !aws.ToBool(db.MultiAZ) {
		// A Multi-AZ instance changes zone on failover; that is not drift.
		check("availabilityZone", p.AvailabilityZone, db.AvailabilityZone)
	}
	if p.StorageEncrypted != nil && *p.StorageEncrypted != aws.ToBool(db.StorageEncrypted) {
		d.cannotApply("storageEncrypted: the instance has %t; RDS sets it only at creation", aws.ToBool(db.StorageEncrypted))
	}
	if p.KMSKeyID != nil && db.KmsKeyId != nil && !sameKey(*p.KMSKeyID, *db.KmsKeyId) {
		d.cannotApply("kmsKeyId: the instance is encrypted with %q; RDS sets it only at creation", *db.KmsKeyId)
	}
}

// IsKeyAlias reports whether a KMS key reference is an alias (its name or
// ARN), which only KMS can resolve to the key it names.
func IsKeyAlias(key string) bool {
	return strings.HasPrefix(key, "alias/") || strings.Contains(key, ":alias/")
}

// sameKey reports whether two KMS key references may name the same key: AWS
// reports ARNs where users often write key IDs. The controller resolves
// aliases before the comparison; one left unresolved (as the plan command
// shows a spec without AWS) is taken as matching.
func sameKey(want, have string) bool {
	if IsKeyAlias(want) {
		return true
	}
	return want == have || strings.HasSuffix(have, "/"+want) || strings.HasSuffix(want, "/"+have)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	as, bs := append([]string{}, a...), append([]string{}, b...)
	sort.Strings(as)
	sort.Strings(bs)
	for i := range as {
		if as[i] != bs[i] {
			return false
		}
	}
	return true
}

// observedPort is the port of the instance's endpoint, or nil before AWS
// reports one (while creating). DbInstancePort is not used: AWS documents it
// as the port of a DB cluster member and reports 0 for other instances.
func observedPort(db types.DBInstance) *int32 {
	if db.Endpoint != nil {
		return db.Endpoint.Port
	}
	return nil
}

func observedSubnetGroup(db types.DBInstance) *string {
	if db.DBSubnetGroup == nil {
		return nil
	}
	return db.DBSubnetGroup.DBSubnetGroupName
}

func observedParameterGroup(db types.DBInstance) *string {
	if len(db.DBParameterGroups) == 0 {
		return nil
	}
	return db.DBParameterGroups[0].DBParameterGroupName
}

func observedVPCSecurityGroups(db types.DBInstance) []string {
	out := make([]string, 0, len(db.VpcSecurityGroups))
	for _, sg := range db.VpcSecurityGroups {
		out = append(out, aws.ToString(sg.VpcSecurityGroupId))
	}
	return out
}
