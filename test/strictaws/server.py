"""The stricter test bed: moto's server, with RDS made to behave as AWS
documents where moto is kinder.

moto answers every RDS call at once: a new instance is `available`
immediately, every modification applies on the spot, nothing is ever
pending, and no call is refused for the instance's state. The provider's
most important code paths (waiting, pending changes, refusals) would then
run only in unit tests. This module patches moto's RDS models and responses
in moto's own server process, before the server starts, so that every
end-to-end test meets the documented behaviour instead. Each rule cites the
AWS documentation page it comes from.

Run it with the Python of moto's virtualenv, taking moto_server's flags:

    python test/strictaws/server.py -H 127.0.0.1 -p 5000

Tests steer it through JSON endpoints under /moto-api/strict/ (see
README.md beside this file); the Go side is test/harness/strictaws.go.
"""

from __future__ import annotations

import datetime
import inspect
import json
import os
import random
import re
import string
import sys
import threading
import time
from typing import Any, Callable

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.moto_api._internal import urls as moto_api_urls
from moto.rds import responses as rds_responses
from moto.rds.models import BlueGreenDeployment, DBInstance, rds_backends
from moto.server import main as moto_main

# How long each transient state lasts, in seconds. Short by default so that
# the suite stays fast; a test may change them with /moto-api/strict/config,
# and STRICTAWS_DURATIONS (JSON) sets them at start.
DURATIONS: dict[str, float] = {
    "creating": 1.0,
    "backing-up": 1.0,
    "modifying": 1.0,
    "resetting-master-credentials": 1.0,
    "rebooting": 0.5,
    "stopping": 0.5,
    "starting": 0.5,
    "blue-green-provisioning": 2.0,
    "blue-green-switchover": 1.0,
}
DURATIONS.update(json.loads(os.environ.get("STRICTAWS_DURATIONS", "{}")))

# moto's server is threaded; the rules below read and change several
# objects together, so RDS actions and control calls run one at a time.
LOCK = threading.RLock()


class Refused(ServiceException):
    """An AWS error response, with AWS's error code."""


def _now() -> float:
    return time.monotonic()


# ---------------------------------------------------------------------------
# Lifecycle with time
# ---------------------------------------------------------------------------
#
# An instance carries a queue of timed phases ahead of its settled status.
# Phases end only when a request arrives (settle runs at the start of each
# RDS action), so that what one response shows is consistent: a phase's
# effects (applying modifications) happen together with its status change.


def _phases(db: DBInstance) -> list[list[Any]]:
    if "_bed_phases" not in db.__dict__:
        db.__dict__["_bed_phases"] = []
    return db.__dict__["_bed_phases"]


def _pending(db: DBInstance) -> dict[str, Any]:
    """Modifications waiting for the maintenance window."""
    return db.__dict__.setdefault("_bed_pending", {})


def _inflight(db: DBInstance) -> dict[str, Any]:
    """Modifications being applied by the current phase."""
    return db.__dict__.setdefault("_bed_inflight", {})


def _add_phase(db: DBInstance, status: str, seconds: float | None = None, on_end: Callable[[], None] | None = None) -> None:
    phases = _phases(db)
    start = phases[-1][1] if phases else _now()
    phases.append([status, start + (DURATIONS.get(status, 1.0) if seconds is None else seconds), on_end])


def _settle(db: DBInstance) -> None:
    phases = _phases(db)
    while phases and phases[0][1] <= _now():
        _, _, on_end = phases.pop(0)
        if on_end is not None:
            on_end()
    due = db.__dict__.get("_bed_inflight_due")
    if due is not None and due <= _now():
        del db.__dict__["_bed_inflight_due"]
        _apply(db, _inflight(db))


def _start_applying(db: DBInstance) -> None:
    """Applies the in-flight modifications after the time AWS takes. The
    instance shows `modifying` (or `resetting-master-credentials` for a
    password alone) meanwhile, unless it is already in a timed state such
    as `backing-up`, which AWS keeps showing."""
    inflight = _inflight(db)
    if not inflight or "_bed_inflight_due" in db.__dict__:
        return
    status = "resetting-master-credentials" if set(inflight) == {"master_user_password"} else "modifying"
    db.__dict__["_bed_inflight_due"] = _now() + DURATIONS[status]
    if not _phases(db):
        _add_phase(db, status)


def _timed_status(obj: Any, settled: str) -> str:
    """The status of a timed phase under way, or the settled one."""
    phases = obj.__dict__.get("_bed_phases")
    if phases:
        return phases[0][0]
    return obj.__dict__.get("_bed_status", settled)


def _status_get(db: DBInstance) -> str:
    return _timed_status(db, "available")


def _status_set(db: DBInstance, value: str) -> None:
    db.__dict__["_bed_status"] = value


DBInstance.status = property(_status_get, _status_set)  # type: ignore[assignment]


# AWS reports no endpoint until a new instance can take connections, and
# DbInstancePort only for members of a DB cluster ("Specifies the port that
# the DB instance listens on. If the DB instance is part of a DB cluster,
# this can be a different port than the DB cluster port."; 0 otherwise).
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
_moto_endpoint = DBInstance.endpoint


def _endpoint(db: DBInstance) -> Any:
    if _status_get(db) == "creating":
        return None
    return _moto_endpoint.fget(db)  # type: ignore[union-attr]


DBInstance.endpoint = property(_endpoint)  # type: ignore[assignment]
DBInstance.db_instance_port = property(lambda db: db.port if db.db_cluster_identifier else 0)  # type: ignore[assignment]


# ---------------------------------------------------------------------------
# Pending modifications
# ---------------------------------------------------------------------------
#
# "Modifying an Amazon RDS DB instance", the settings table, says for each
# setting whether ApplyImmediately decides when it applies. These settings
# wait for the next maintenance window unless ApplyImmediately is set, and
# appear meanwhile in PendingModifiedValues; the rest apply at once.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ModifyInstance.Settings.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_PendingModifiedValues.html
DEFERRABLE = {
    "allocated_storage": "AllocatedStorage",
    "db_instance_class": "DBInstanceClass",
    "engine_version": "EngineVersion",
    "iops": "Iops",
    "storage_throughput": "StorageThroughput",
    "storage_type": "StorageType",
    "multi_az": "MultiAZ",
    "ca_certificate_identifier": "CACertificateIdentifier",
    "db_subnet_group_name": "DBSubnetGroupName",
    "license_model": "LicenseModel",
    "option_group_name": None,  # shown in OptionGroupMemberships instead
}


def _pending_modified_values(db: DBInstance) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for source in (_pending(db), _inflight(db)):
        for key, value in source.items():
            name = DEFERRABLE.get(key)
            if name:
                out[name] = value
    # "Between the time of the request and the completion of the request,
    # the MasterUserPassword element exists in the PendingModifiedValues
    # element of the operation response."
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html
    if "master_user_password" in _inflight(db):
        out["MasterUserPassword"] = "****"
    return out


DBInstance.pending_modified_values = property(_pending_modified_values)  # type: ignore[attr-defined]


def _apply(db: DBInstance, changes: dict[str, Any]) -> None:
    if changes:
        db.update(**changes)
        changes.clear()
    _gp3_baseline(db)


# With ApplyImmediately false, a new option group waits for the maintenance
# window, and DescribeDBInstances lists both memberships meanwhile: the old
# one `pending-maintenance-removal`, the new one `pending-maintenance-apply`
# (and `removing` / `applying` while the change is applied).
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_OptionGroupMembership.html
def _option_group_memberships(db: DBInstance) -> list[dict[str, str]]:
    current = {"OptionGroupName": db.option_group_name, "Status": "in-sync"}
    if "option_group_name" in _pending(db):
        return [dict(current, Status="pending-maintenance-removal"),
                {"OptionGroupName": _pending(db)["option_group_name"], "Status": "pending-maintenance-apply"}]
    if "option_group_name" in _inflight(db):
        return [dict(current, Status="removing"),
                {"OptionGroupName": _inflight(db)["option_group_name"], "Status": "applying"}]
    return [current]


DBInstance.option_group_memberships = property(_option_group_memberships)  # type: ignore[assignment]


# A new DB parameter group is associated at once, but "the DB instance must
# be rebooted" for it to take effect: until then its ParameterApplyStatus is
# `pending-reboot`. The same holds when a static parameter of the group
# changes (ApplyMethod pending-reboot).
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithDBInstanceParamGroups.html
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_RebootInstance.html
def _db_parameter_group_status_list(db: DBInstance) -> Any:
    groups = db.db_parameter_groups()
    for group in groups:
        group.ParameterApplyStatus = db.__dict__.get("_bed_parameter_apply_status", "in-sync")
    return groups


DBInstance.db_parameter_group_status_list = property(_db_parameter_group_status_list)  # type: ignore[assignment]


# ---------------------------------------------------------------------------
# gp3 baselines
# ---------------------------------------------------------------------------
#
# gp3 volumes get a baseline of 3,000 IOPS and 125 MiB/s below an engine's
# threshold (400 GiB for Db2, MariaDB, MySQL and PostgreSQL, 200 GiB for
# Oracle) and 12,000 IOPS and 500 MiB/s at or above it; SQL Server has the
# small baseline at every size. Below the threshold IOPS and throughput
# cannot be specified; above it they cannot be set below the baseline.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage
def gp3_threshold(engine: str) -> int | None:
    engine = (engine or "").lower()
    if engine.startswith("sqlserver"):
        return None
    if engine.startswith("oracle"):
        return 200
    return 400


def gp3_baseline(engine: str, storage: int) -> tuple[int, int]:
    threshold = gp3_threshold(engine)
    if threshold is not None and storage >= threshold:
        return 12000, 500
    return 3000, 125


def _gp3_baseline(db: DBInstance) -> None:
    if db.storage_type != "gp3":
        return
    iops, throughput = gp3_baseline(db.engine, int(db.allocated_storage))
    if not db.iops or int(db.iops) < iops:
        db.iops = iops
    if not db.storage_throughput or int(db.storage_throughput) < throughput:
        db.storage_throughput = throughput


def _check_gp3(engine: str, storage_type: str | None, storage: int, iops: Any, throughput: Any) -> None:
    if storage_type != "gp3" or (iops is None and throughput is None):
        return
    threshold = gp3_threshold(engine)
    if threshold is not None and storage < threshold:
        raise Refused("InvalidParameterCombination",
                      f"You can't specify IOPS or storage throughput for engine {engine} and a storage size less than {threshold}.")
    base_iops, base_throughput = gp3_baseline(engine, storage)
    if iops is not None and int(iops) < base_iops:
        raise Refused("InvalidParameterCombination",
                      f"The IOPS value {iops} is below the baseline of {base_iops} for gp3 storage of {storage} GiB.")
    if throughput is not None and int(throughput) < base_throughput:
        raise Refused("InvalidParameterCombination",
                      f"The storage throughput value {throughput} is below the baseline of {base_throughput} for gp3 storage of {storage} GiB.")


# ---------------------------------------------------------------------------
# Reserved tags
# ---------------------------------------------------------------------------
#
# "Tag keys can't start with aws:" and "You can't edit or delete tag keys or
# values with this prefix": they are reserved for AWS.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html
def _check_tag_keys(keys: list[str]) -> None:
    for key in keys:
        if key.lower().startswith("aws:"):
            raise Refused("InvalidParameterValue", 'Tag keys cannot start with the reserved prefix "aws:".')


# ---------------------------------------------------------------------------
# The actions
# ---------------------------------------------------------------------------

# States in which ModifyDBInstance is accepted. Any other is refused with
# InvalidDBInstanceState, among them `stopped`: "You can't modify a stopped
# DB instance" (start it first).
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_StopInstance.html
MODIFIABLE = {"available", "backing-up", "storage-optimization"}

# A failed instance cannot give a final snapshot: "When a DB instance is in
# a failure state and has a status of failed, incompatible-restore, or
# incompatible-network, RDS can delete the instance only if you enable
# SkipFinalSnapshot."
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html
NO_FINAL_SNAPSHOT = {"failed", "incompatible-restore", "incompatible-network"}


def _instance(response: Any, identifier: str | None) -> DBInstance | None:
    if not identifier:
        return None
    return response.backend.databases.get(identifier.lower())


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _new_resource_id() -> str:
    # DbiResourceId is unique per instance: "db-" and 26 upper-case letters
    # and digits (moto gives every instance the same one).
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
    return "db-" + "".join(random.choices(string.ascii_uppercase + string.digits, k=26))


# Performance Insights settings are kept and reported (moto drops them);
# a change "occurs immediately" and ignores ApplyImmediately.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ModifyInstance.Settings.html
def _performance_insights(db: DBInstance, p: Any) -> None:
    enabled = p.get("EnablePerformanceInsights")
    if enabled is not None:
        db.performance_insights_enabled = str(enabled).lower() == "true"
    if p.get("PerformanceInsightsKMSKeyId") is not None:
        db.performance_insights_kms_key_id = p.get("PerformanceInsightsKMSKeyId")
    if p.get("PerformanceInsightsRetentionPeriod") is not None:
        db.performance_insights_retention_period = int(p.get("PerformanceInsightsRetentionPeriod"))


# The latest restorable time advances as RDS uploads transaction logs, every
# five minutes, and an instance without automated backups (retention 0) has
# none; moto reports the current time on every describe.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html
LOG_UPLOAD_SECONDS = 300


def _latest_restorable_time(db: DBInstance) -> Any:
    if not getattr(db, "backup_retention_period", 0):
        return None
    now = time.time()
    return datetime.datetime.fromtimestamp(now - now % LOG_UPLOAD_SECONDS, tz=datetime.timezone.utc)


DBInstance.latest_restorable_time = property(_latest_restorable_time)  # type: ignore[assignment,method-assign]


def _on_create(response: Any, result: Any) -> None:
    # A new instance is `creating`, then `backing-up` (its first automated
    # backup), then `available`.
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status
    db = _instance(response, response.params.get("DBInstanceIdentifier") or response.params.get("TargetDBInstanceIdentifier"))
    if db is None:
        return
    db.dbi_resource_id = _new_resource_id()
    key = _kms_key(response, db.kms_key_id)
    if key is not None:
        db.kms_key_id = key.arn
    _performance_insights(db, response.params)
    _gp3_baseline(db)
    _add_phase(db, "creating")
    _add_phase(db, "backing-up")


# DBInstance.KmsKeyId is "the AWS KMS key identifier for the encrypted DB
# instance ... the key ARN", whichever form the request named the key in
# (key ID, key ARN, alias name or alias ARN); moto keeps what was written.
# A key KMS does not know is refused with KMSKeyNotAccessibleFault. (Keys the
# bed's KMS does not hold are kept as written: tests name made-up key ARNs.)
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
def _kms_key(response: Any, key: str | None) -> Any:
    if not key or key == "default_kms_key_id":
        return None
    from moto.kms.models import kms_backends

    try:
        return kms_backends[response.current_account][response.region].describe_key(key)
    except Exception:  # noqa: BLE001 - moto's NotFound, or a malformed ID
        return None


def before_create(response: Any) -> None:
    p = response.params
    key = p.get("KmsKeyId")
    if key and (key.startswith("alias/") or ":alias/" in key) and _kms_key(response, key) is None:
        raise Refused("KMSKeyNotAccessibleFault", f"The specified KMS key {key} does not exist or is not accessible.")
    _check_tag_keys([t.get("Key", "") for t in p.get("Tags") or []])
    if p.get("AllocatedStorage") is not None:
        _check_gp3(p.get("Engine", ""), p.get("StorageType"), int(p["AllocatedStorage"]), p.get("Iops"), p.get("StorageThroughput"))


def _major(engine: str, version: str) -> str:
    """The major version as RDS counts it: two parts for MySQL and MariaDB
    (8.0, 8.4; 10.6, 10.11) and PostgreSQL before 10, one part otherwise.
    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.MySQL.html
    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.html"""
    parts = (version or "").split(".")
    two = "mysql" in engine or "mariadb" in engine
    if "postgres" in engine:
        two = parts[0].isdigit() and int(parts[0]) < 10
    return ".".join(parts[:2]) if two else parts[0]


def modify(response: Any, original: Callable[[], Any]) -> Any:
    p = response.params
    db = _instance(response, p.get("DBInstanceIdentifier"))
    if db is None:
        return original()
    status = _status_get(db)
    if status not in MODIFIABLE:
        raise Refused("InvalidDBInstanceState", f"Database instance {db.db_instance_identifier} is not in available state (it is {status}).")
    _performance_insights(db, p)
    storage = p.get("AllocatedStorage")
    storage_change = any(p.get(k) is not None for k in ("AllocatedStorage", "Iops", "StorageThroughput", "StorageType"))
    # "After you modify the storage ... the status of the DB instance is
    # storage-optimization ... you can make additional storage modifications
    # after storage optimization completes."
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.StorageTypes.html#USER_PIOPS.ModifyingExisting
    if storage_change and status == "storage-optimization":
        raise Refused("InvalidParameterCombination", "You can't make storage modifications while storage optimization is in progress.")
    # Storage can grow but not shrink: "you can't reduce the storage size".
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.ModifyingExisting.html
    if storage is not None and int(storage) < int(db.allocated_storage):
        raise Refused("InvalidParameterCombination",
                      f"Invalid storage size: you can't decrease allocated storage from {db.allocated_storage} to {storage} GiB.")
    target_storage = int(storage) if storage is not None else int(db.allocated_storage)
    _check_gp3(db.engine, p.get("StorageType") or db.storage_type, target_storage, p.get("Iops"), p.get("StorageThroughput"))
    # "AllowMajorVersionUpgrade ... must be set to true when specifying a
    # value for the EngineVersion parameter that is a different major
    # version than the DB instance's current version."
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html
    version = p.get("EngineVersion")
    if version and _major(db.engine, version) != _major(db.engine, db.engine_version) and not _truthy(p.get("AllowMajorVersionUpgrade")):
        raise Refused("InvalidParameterCombination", "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.")

    immediately = _truthy(p.get("ApplyImmediately"))
    deferred = {}
    for key in DEFERRABLE:
        if key in p and p[key] is not None:
            deferred[key] = p[key]
            del p[key]
    password = p.get("MasterUserPassword")
    if password is not None:
        del p["MasterUserPassword"]
    new_parameter_group = p.get("DBParameterGroupName")
    if new_parameter_group and new_parameter_group != db.db_parameter_group_name:
        db.__dict__["_bed_parameter_apply_status"] = "pending-reboot"

    result = original()  # applies what AWS applies at once
    if immediately:
        # "Specifies whether the modifications in this request and any
        # pending modifications are asynchronously applied as soon as
        # possible."
        inflight = _inflight(db)
        inflight.update(_pending(db))
        _pending(db).clear()
        inflight.update(deferred)
    else:
        _pending(db).update(deferred)
    if password is not None:
        _inflight(db)["master_user_password"] = password
    _start_applying(db)
    return result


def delete(response: Any, original: Callable[[], Any]) -> Any:
    p = response.params
    db = _instance(response, p.get("DBInstanceIdentifier"))
    if db is not None and _status_get(db) in NO_FINAL_SNAPSHOT and not _truthy(p.get("SkipFinalSnapshot")):
        raise Refused("InvalidDBInstanceState",
                      f"DB instance {db.db_instance_identifier} is in state {_status_get(db)}; it can only be deleted with SkipFinalSnapshot.")
    return original()


def reboot(response: Any, original: Callable[[], Any]) -> Any:
    db = _instance(response, response.params.get("DBInstanceIdentifier"))
    if db is None:
        return original()
    if _status_get(db) != "available":
        raise Refused("InvalidDBInstanceState", f"Database instance {db.db_instance_identifier} is not in available state.")
    result = original()
    # The reboot applies what was pending when it began; a static change
    # made while it runs waits for the next one.
    generation = db.__dict__.get("_bed_parameter_generation", 0)

    def applied() -> None:
        if db.__dict__.get("_bed_parameter_generation", 0) == generation:
            db.__dict__.pop("_bed_parameter_apply_status", None)

    _add_phase(db, "rebooting", on_end=applied)
    return result


# PromoteReadReplica makes a read replica a standalone DB instance. "The
# read replica is rebooted" during promotion, which takes a few minutes;
# afterwards it names no source, and its source no longer lists it. moto
# keeps both links. Promoting an instance that is not a read replica is
# refused ("InvalidDBInstanceState ... The DB instance isn't in a valid
# state"), as is promoting one that is not available.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_PromoteReadReplica.html
def promote(response: Any, original: Callable[[], Any]) -> Any:
    db = _instance(response, response.params.get("DBInstanceIdentifier"))
    if db is None:
        return original()
    if not db.is_replica:
        raise Refused("InvalidDBInstanceState", f"DB instance {db.db_instance_identifier} is not a read replica.")
    if _status_get(db) != "available":
        raise Refused("InvalidDBInstanceState", f"DB instance {db.db_instance_identifier} is not in available state.")
    source = db.source_db_instance_identifier
    # moto's own promote reads its parameters under names its responses
    # never give it, and fails; the bed promotes by itself.
    db.is_replica = False
    try:
        primary = response.backend.find_db_from_id(source)
        primary.replicas = [r for r in primary.replicas if r not in (db.db_instance_identifier, db.db_instance_arn)]
    except Exception:  # noqa: BLE001 - a source in another region or gone
        pass
    db.source_db_instance_identifier = None
    _add_phase(db, "modifying")
    _add_phase(db, "rebooting")
    return ActionResult({"DBInstance": db})


def passing_through(status: str) -> Callable[[Any, Callable[[], Any]], Any]:
    """A rule for an action after which the instance passes through a
    transient status before the one moto sets: StopDBInstance is `stopping`
    then `stopped`, StartDBInstance `starting` then `available`.
    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_StopInstance.html"""

    def rule(response: Any, original: Callable[[], Any]) -> Any:
        result = original()
        db = _instance(response, response.params.get("DBInstanceIdentifier"))
        if db is not None:
            _add_phase(db, status)
        return result

    return rule


def remove_tags(response: Any, original: Callable[[], Any]) -> Any:
    _check_tag_keys(list(response.params.get("TagKeys") or []))
    return original()


def add_tags(response: Any, original: Callable[[], Any]) -> Any:
    _check_tag_keys([t.get("Key", "") for t in response.params.get("Tags") or []])
    return original()


def creating(response: Any, original: Callable[[], Any]) -> Any:
    before_create(response)
    result = original()
    _on_create(response, result)
    return result



# ---------------------------------------------------------------------------
# DB subnet groups and DB parameter groups
# ---------------------------------------------------------------------------

# ModifyDBSubnetGroup changes a group in place. moto takes the group out of
# its table and never puts it back, so a modified group would vanish.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSubnetGroup.html
def modify_subnet_group(response: Any, original: Callable[[], Any]) -> Any:
    name = (response.params.get("DBSubnetGroupName") or "").lower()
    group = response.backend.subnet_groups.get(name)
    result = original()
    if group is not None:
        response.backend.subnet_groups[name] = group
    return result


def _instances_using(backend: Any, uses: Callable[[DBInstance], bool]) -> list[str]:
    return sorted(db.db_instance_identifier for db in backend.databases.values() if uses(db))


# "The specified database subnet group must not be associated with any DB
# instances": AWS refuses with InvalidDBSubnetGroupStateFault.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html
def delete_subnet_group(response: Any, original: Callable[[], Any]) -> Any:
    name = (response.params.get("DBSubnetGroupName") or "").lower()
    if _instances_using(response.backend, lambda db: getattr(getattr(db, "db_subnet_group", None), "name", "") == name):
        raise Refused("InvalidDBSubnetGroupStateFault",
                      f"Cannot delete the subnet group '{name}' because at least one database instance is still using it.")
    return original()


# "The specified DB parameter group can't be associated with any DB
# instances": AWS refuses with InvalidDBParameterGroupState.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBParameterGroup.html
def delete_parameter_group(response: Any, original: Callable[[], Any]) -> Any:
    name = response.params.get("DBParameterGroupName") or ""
    if _instances_using(response.backend, lambda db: db.db_parameter_group_name == name):
        raise Refused("InvalidDBParameterGroupState",
                      f"One or more database instances are still members of this parameter group {name}, so the group cannot be deleted")
    return original()


# "You can use the immediate value with dynamic parameters only. You can
# use the pending-reboot value for both dynamic and static parameters."
# moto knows no parameter's type; these are static in the engines' own
# parameter lists (DescribeEngineDefaultParameters, ApplyType static).
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.Modifying.html
STATIC_PARAMETERS = {
    "postgres": {"shared_buffers", "max_connections", "shared_preload_libraries", "max_wal_senders", "wal_buffers", "max_worker_processes"},
    "mysql": {"performance_schema", "innodb_log_buffer_size", "innodb_read_io_threads", "innodb_write_io_threads"},
}


def _static(family: str, name: str) -> bool:
    for prefix, names in STATIC_PARAMETERS.items():
        if family.lower().startswith(prefix) and name.lower() in names:
            return True
    return False


# A new DB parameter group is associated at once, but "the DB instance must
# be rebooted" for static changes: instances using the group show
# pending-reboot until they are.
def modify_parameter_group(response: Any, original: Callable[[], Any]) -> Any:
    name = response.params.get("DBParameterGroupName")
    group = response.backend.db_parameter_groups.get(name)
    family = group.family if group is not None else ""
    for param in response.params.get("Parameters") or []:
        method = param.get("ApplyMethod") or ""
        if method == "immediate" and _static(family, param.get("ParameterName") or ""):
            raise Refused("InvalidParameterCombination",
                          f"cannot use immediate apply method for static parameter {param.get('ParameterName')}")
    result = original()
    static = any((param.get("ApplyMethod") or "") == "pending-reboot" for param in response.params.get("Parameters") or [])
    if static:
        for db in response.backend.databases.values():
            if db.db_parameter_group_name == name:
                db.__dict__["_bed_parameter_apply_status"] = "pending-reboot"
                db.__dict__["_bed_parameter_generation"] = db.__dict__.get("_bed_parameter_generation", 0) + 1
    return result


# DescribeDBParameterGroups of a name that does not exist fails with
# DBParameterGroupNotFound; moto answers an empty list.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBParameterGroups.html
# DescribeDBInstances answers pages of MaxRecords instances, "Default: 100,
# Constraints: Minimum 20, maximum 100"; moto accepts any page size.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html
#
# The bed also notes when each instance was last described, in the first
# page of an answer (later pages are not noted, which can only make an
# instance look observed less often than it was), so that a benchmark can
# check from outside that every instance is observed once per poll.
OBSERVED: dict[tuple[str, str], list[float]] = {}
OBSERVED_KEPT = 20


def describe_instances(response: Any, original: Callable[[], Any]) -> Any:
    raw = response.params.get("MaxRecords")
    if raw is not None and not 20 <= int(raw) <= 100:
        raise Refused("InvalidParameterValue", f"Invalid value {raw} for MaxRecords. Must be between 20 and 100")
    result = original()
    if response.params.get("Marker") is None:
        now = _now()
        for db in result._result["DBInstances"][: int(raw or 100)]:
            seen = OBSERVED.setdefault((response.region, db.db_instance_identifier), [])
            seen.append(now)
            del seen[:-OBSERVED_KEPT]
    return result


def describe_parameter_groups(response: Any, original: Callable[[], Any]) -> Any:
    name = response.params.get("DBParameterGroupName")
    if name and name not in response.backend.db_parameter_groups:
        raise Refused("DBParameterGroupNotFound", f"DBParameterGroup not found: {name}")
    return original()


# ResetDBParameterGroup returns parameters (or all, with
# ResetAllParameters) to the engine default. moto has no such action; in
# its groups a parameter at the engine default is simply absent.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ResetDBParameterGroup.html
def _reset_db_parameter_group(self: Any) -> Any:
    name = self.params.get("DBParameterGroupName")
    group = self.backend.db_parameter_groups.get(name)
    if group is None:
        raise Refused("DBParameterGroupNotFound", f"DBParameterGroup not found: {name}")
    if str(self.params.get("ResetAllParameters")).lower() == "true":
        group.parameters.clear()
    else:
        for param in self.params.get("Parameters") or []:
            group.parameters.pop(param.get("ParameterName"), None)
    return ActionResult({"DBParameterGroupName": name})


rds_responses.RDSResponse.reset_db_parameter_group = _reset_db_parameter_group  # type: ignore[attr-defined]

# ---------------------------------------------------------------------------
# Blue/Green deployments
# ---------------------------------------------------------------------------
#
# moto makes the green environment and switches over at once. In AWS the
# deployment is PROVISIONING while the green DB instance is created and
# upgraded, then AVAILABLE; SwitchoverBlueGreenDeployment is accepted only
# then, and the deployment is SWITCHOVER_IN_PROGRESS until it is
# SWITCHOVER_COMPLETED: the green instance takes the blue one's identifier
# and endpoint, and the blue one is renamed with "-old1" and kept. A
# switchover that does not finish in time is rolled back ("any changes are
# rolled back, and no changes are made to the environments") and the
# deployment is SWITCHOVER_FAILED.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/blue-green-deployments-overview.html
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/blue-green-deployments-switching.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverBlueGreenDeployment.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverDetail.html


BlueGreenDeployment.status = property(lambda bg: _timed_status(bg, "AVAILABLE"), _status_set)  # type: ignore[assignment]

# Sources whose next switchover fails, as (region, identifier); set with the
# blue-green-fail-switchover control.
FAIL_SWITCHOVER: set[tuple[str, str]] = set()


def _param(p: Any, name: str, snake: str) -> Any:
    value = p.get(name)
    return p.get(snake) if value is None else value


def _deployment(response: Any) -> BlueGreenDeployment | None:
    bgd = _param(response.params, "BlueGreenDeploymentIdentifier", "blue_green_deployment_identifier")
    return response.backend.blue_green_deployments.get(bgd)


# "Blue/Green Deployments are supported for RDS for MariaDB, RDS for MySQL
# and RDS for PostgreSQL" (and Aurora, which is a cluster): another engine's
# instance is refused with SourceDatabaseNotSupportedFault; so is a source
# that is not available.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/blue-green-deployments-considerations.html
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateBlueGreenDeployment.html
def create_blue_green(response: Any, original: Callable[[], Any]) -> Any:
    source = _param(response.params, "Source", "source") or ""
    db = response.backend.find_db_from_id(source) if ":db:" in source else None
    if db is not None:
        if not any(e in db.engine for e in ("mysql", "mariadb", "postgres")) or db.engine.startswith("aurora"):
            raise Refused("SourceDatabaseNotSupportedFault", f"Blue/Green Deployments don't support the {db.engine} engine.")
        if _status_get(db) != "available":
            raise Refused("InvalidDBInstanceState", f"Database instance {db.db_instance_identifier} is not in available state.")
    result = original()
    bg = response.backend.blue_green_deployments[result._result["BlueGreenDeployment"].blue_green_deployment_identifier]
    green = response.backend.find_db_from_id(bg.target)
    green.dbi_resource_id = _new_resource_id()
    seconds = DURATIONS["blue-green-provisioning"]
    _add_phase(green, "creating", seconds=seconds)
    _add_phase(bg, "PROVISIONING", seconds=seconds)
    return ActionResult({"BlueGreenDeployment": bg})


def switchover_blue_green(response: Any, original: Callable[[], Any]) -> Any:
    bg = _deployment(response)
    if bg is None:
        return original()  # moto's BlueGreenDeploymentNotFoundFault
    if bg.status != "AVAILABLE":
        raise Refused("InvalidBlueGreenDeploymentStateFault", f"The blue/green deployment {bg.blue_green_deployment_identifier} is {bg.status}, not AVAILABLE.")
    source = response.backend.find_db_from_id(bg.source)
    if (response.region, source.db_instance_identifier) in FAIL_SWITCHOVER:
        FAIL_SWITCHOVER.discard((response.region, source.db_instance_identifier))

        def failed() -> None:
            bg.status = "SWITCHOVER_FAILED"
            bg.status_details = "Switchover failed: it did not complete within the switchover timeout, and all changes were rolled back."

        _add_phase(bg, "SWITCHOVER_IN_PROGRESS", seconds=DURATIONS["blue-green-switchover"], on_end=failed)
    else:
        _add_phase(bg, "SWITCHOVER_IN_PROGRESS", seconds=DURATIONS["blue-green-switchover"], on_end=bg.switchover)
    return ActionResult({"BlueGreenDeployment": bg})


# "DeleteTarget: ... You can't specify this option if the blue/green
# deployment status is SWITCHOVER_COMPLETED." (moto ignores it then.)
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteBlueGreenDeployment.html
def delete_blue_green(response: Any, original: Callable[[], Any]) -> Any:
    bg = _deployment(response)
    if bg is not None and _truthy(_param(response.params, "DeleteTarget", "delete_target")) and bg.status == "SWITCHOVER_COMPLETED":
        raise Refused("InvalidParameterCombination", "DeleteTarget can't be specified for a blue/green deployment whose switchover is complete.")
    return original()


RULES: dict[str, Callable[[Any, Callable[[], Any]], Any]] = {
    "create_db_instance": creating,
    "create_db_instance_read_replica": creating,
    "restore_db_instance_from_db_snapshot": creating,
    "restore_db_instance_to_point_in_time": creating,
    "restore_db_instance_from_s3": creating,
    "modify_db_instance": modify,
    "delete_db_instance": delete,
    "reboot_db_instance": reboot,
    "promote_read_replica": promote,
    "stop_db_instance": passing_through("stopping"),
    "start_db_instance": passing_through("starting"),
    "modify_db_parameter_group": modify_parameter_group,
    "modify_db_subnet_group": modify_subnet_group,
    "delete_db_subnet_group": delete_subnet_group,
    "delete_db_parameter_group": delete_parameter_group,
    "describe_db_parameter_groups": describe_parameter_groups,
    "describe_db_instances": describe_instances,
    "remove_tags_from_resource": remove_tags,
    "add_tags_to_resource": add_tags,
    "create_blue_green_deployment": create_blue_green,
    "switchover_blue_green_deployment": switchover_blue_green,
    "delete_blue_green_deployment": delete_blue_green,
}


# ---------------------------------------------------------------------------
# Throttling
# ---------------------------------------------------------------------------
#
# RDS throttles API requests per account and Region with a token bucket: a
# burst of 300 requests, refilled at 12 per second for the describe and
# modify actions alike, and answers `Throttling` past it. Off by default;
# a test turns it on with /moto-api/strict/config.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#Limits.API
THROTTLE_DEFAULTS = {"burst": 300.0, "rate": 12.0}
THROTTLE = {"enabled": False, **THROTTLE_DEFAULTS}
BUCKETS: dict[tuple[str, str], list[float]] = {}
THROTTLED = {"count": 0}


def _take_token(account: str, region: str) -> bool:
    bucket = BUCKETS.setdefault((account, region), [THROTTLE["burst"], _now()])
    now = _now()
    bucket[0] = min(THROTTLE["burst"], bucket[0] + (now - bucket[1]) * THROTTLE["rate"])
    bucket[1] = now
    if bucket[0] < 1:
        THROTTLED["count"] += 1
        return False
    bucket[0] -= 1
    return True


# Actions by the program that sent them, as its User-Agent names it
# ("app/NAME", the SDKs' application ID), so that a test can tell what a
# command called from what the provider did. A record, not a rule.
CALLS_BY_APP: dict[str, dict[str, int]] = {}
_APP_ID = re.compile(r"\bapp/([\w.-]+)")


def _record_app(headers: Any, name: str) -> None:
    match = _APP_ID.search(headers.get("User-Agent", "") if headers else "")
    if match:
        calls = CALLS_BY_APP.setdefault(match.group(1), {})
        calls[name] = calls.get(name, 0) + 1


def _wrap(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    rule = RULES.get(name)

    def action(self: Any) -> Any:
        with LOCK:
            _record_app(getattr(self, "headers", None), name)
            if THROTTLE["enabled"] and not _take_token(self.current_account, self.region):
                raise Refused("Throttling", "Rate exceeded")
            for db in list(self.backend.databases.values()):
                _settle(db)
            for bg in list(self.backend.blue_green_deployments.values()):
                _settle(bg)
            if rule is None:
                return method(self)
            return rule(self, lambda: method(self))

    action.__name__ = name
    return action


for _name, _method in list(vars(rds_responses.RDSResponse).items()):
    if inspect.isfunction(_method) and not _name.startswith("_"):
        setattr(rds_responses.RDSResponse, _name, _wrap(_name, _method))


# ---------------------------------------------------------------------------
# Partitions
# ---------------------------------------------------------------------------
#
# Credentials belong to one partition (aws, aws-cn, aws-us-gov, ...): "IAM
# credentials from one partition can't be used in another", so STS of
# another partition rejects them with InvalidClientTokenId. moto accepts any
# key anywhere; a test registers a key's partition with
# /moto-api/strict/partition-credentials, and GetCallerIdentity in a region
# of another partition is then refused.
# https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
# https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
PARTITION_OF_KEY: dict[str, str] = {}


def _partition(region: str) -> str:
    for prefix, partition in (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"),
                              ("us-isof-", "aws-iso-f"), ("us-iso-", "aws-iso"), ("eusc-", "aws-eusc")):
        if region.startswith(prefix):
            return partition
    return "aws"


def _patch_sts() -> None:
    from moto.sts import responses as sts_responses

    original = sts_responses.TokenResponse.get_caller_identity

    def get_caller_identity(self: Any) -> Any:
        key = self.get_access_key()
        partition = PARTITION_OF_KEY.get(key)
        if partition is not None and partition != _partition(self.region):
            raise Refused("InvalidClientTokenId", "The security token included in the request is invalid.")
        return original(self)

    sts_responses.TokenResponse.get_caller_identity = get_caller_identity


_patch_sts()


# ---------------------------------------------------------------------------
# Control endpoints for tests
# ---------------------------------------------------------------------------


def _control(handler: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
    def endpoint(request: Any, full_url: str, headers: Any) -> Any:
        try:
            size = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(size) or b"{}") if size else {}
            with LOCK:
                out = handler(body)
            return 200, {"Content-Type": "application/json"}, json.dumps(out if out is not None else {})
        except KeyError as e:
            return 404, {"Content-Type": "application/json"}, json.dumps({"error": f"not found: {e}"})
        except Exception as e:  # noqa: BLE001 - the test reads the message
            return 400, {"Content-Type": "application/json"}, json.dumps({"error": str(e)})

    return endpoint


def _db(body: dict[str, Any]) -> DBInstance:
    backend = rds_backends[body.get("account", "123456789012")][body["region"]]
    db = backend.databases[body["id"].lower()]
    _settle(db)
    return db


def control_status(body: dict[str, Any]) -> Any:
    """Puts an instance into a status, for `seconds` or until changed."""
    db = _db(body)
    if body.get("seconds"):
        _add_phase(db, body["status"], seconds=float(body["seconds"]))
    else:
        _phases(db).clear()
        db.status = body["status"]
    return {"status": _status_get(db)}


def control_maintenance(body: dict[str, Any]) -> Any:
    """Runs the maintenance window now: pending modifications apply."""
    db = _db(body)
    _inflight(db).update(_pending(db))
    _pending(db).clear()
    _start_applying(db)
    return {"status": _status_get(db)}


def control_system_tag(body: dict[str, Any]) -> Any:
    """Adds a tag as AWS does (aws: keys, which callers cannot add)."""
    db = _db(body)
    db.add_tags([{"Key": body["key"], "Value": body["value"]}])
    return {}


def control_authenticate(body: dict[str, Any]) -> Any:
    """Says whether a password opens the database, as a client would find."""
    db = _db(body)
    return {"ok": db.__dict__.get("_master_user_password") == body["password"]}


def control_grow_storage(body: dict[str, Any]) -> Any:
    """Grows storage as storage autoscaling does, without any API call."""
    db = _db(body)
    db.allocated_storage = int(body["allocatedStorage"])
    _gp3_baseline(db)
    return {}


def control_config(body: dict[str, Any]) -> Any:
    """Sets durations and throttling; answers the current settings."""
    DURATIONS.update(body.get("durations") or {})
    if "throttle" in body:
        THROTTLE["enabled"] = bool(body["throttle"])
        for key in ("burst", "rate"):
            THROTTLE[key] = float(body.get(key) or THROTTLE_DEFAULTS[key])
        BUCKETS.clear()
    return {"durations": DURATIONS, "throttle": THROTTLE, "throttled": THROTTLED["count"]}


def control_observations(body: dict[str, Any]) -> Any:
    """When each instance was described lately, and the bed's clock now."""
    return {
        "now": _now(),
        "instances": [{"region": r, "id": i, "at": at} for (r, i), at in OBSERVED.items()],
    }


def control_blue_green_fail_switchover(body: dict[str, Any]) -> Any:
    """Makes the next switchover of a source's deployment fail, as one that
    runs past its timeout does: rolled back, SWITCHOVER_FAILED."""
    FAIL_SWITCHOVER.add((body["region"], body["id"].lower()))
    return {}


def control_partition_credentials(body: dict[str, Any]) -> Any:
    """Binds an access key to a partition, as AWS's keys are."""
    PARTITION_OF_KEY[body["accessKeyId"]] = body["partition"]
    return {}


def control_calls(body: dict[str, Any]) -> Any:
    """The RDS actions a program (its User-Agent's app ID) sent."""
    return {"calls": CALLS_BY_APP.get(body["app"], {})}


CONTROLS = {
    "calls": control_calls,
    "partition-credentials": control_partition_credentials,
    "status": control_status,
    "maintenance": control_maintenance,
    "system-tag": control_system_tag,
    "authenticate": control_authenticate,
    "grow-storage": control_grow_storage,
    "config": control_config,
    "observations": control_observations,
    "blue-green-fail-switchover": control_blue_green_fail_switchover,
}
for _path, _handler in CONTROLS.items():
    moto_api_urls.url_paths["{0}/moto-api/strict/" + _path + "$"] = _control(_handler)


if __name__ == "__main__":
    moto_main(sys.argv[1:])
