package e2e

// Taking over what the reference provider (provider-upjet-aws) left behind.

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The reference provider records the DbiResourceId as the external name. An
// object migrated with it finds its database by resource ID and adopts it:
// nothing is created or changed, and identity reads as before.
func TestResourceIDExternalNameAdopts(t *testing.T) {
	db := createOutOfBand(t, "migrated-db", "postgres", "db.t3.micro", "app")
	resourceID := aws.ToString(db.DbiResourceId)
	if !strings.HasPrefix(resourceID, "db-") || len(resourceID) != 29 {
		t.Fatalf("the backend gave no AWS-style resource ID: %q", resourceID)
	}
	calls := countOver(1, func() {
		in := newInstance("migrated", providerConfigName)
		meta.SetExternalName(in, resourceID)
		in.Spec.ForProvider.EngineVersion = nil
		createInstance(t, in)
		waitReadySynced(t, "migrated")
	})
	for _, call := range []string{"rds:CreateDBInstance", "rds:ModifyDBInstance"} {
		if calls[call] != 0 {
			t.Errorf("adopting by resource ID made %s calls: %s", call, harness.Format(calls))
		}
	}
	got := getInstance(t, "migrated")
	if meta.GetExternalName(got) != resourceID {
		t.Errorf("the external name was rewritten: want %s, got %s", resourceID, meta.GetExternalName(got))
	}
	at := got.Status.AtProvider
	if aws.ToString(at.ID) != resourceID || aws.ToString(at.ResourceID) != resourceID || aws.ToString(at.Identifier) != "migrated-db" {
		t.Errorf("atProvider id, resourceId, identifier: want %s, %s, migrated-db; got %s, %s, %s", resourceID, resourceID, aws.ToString(at.ID), aws.ToString(at.ResourceID), aws.ToString(at.Identifier))
	}
	if id := aws.ToString(got.Spec.ForProvider.Identifier); id != "migrated-db" {
		t.Errorf("forProvider.identifier: want it late-initialised to migrated-db, got %q", id)
	}

	// Renaming is refused with a clear condition, not attempted.
	calls = countOver(2, func() {
		patchInstance(t, "migrated", `{"spec":{"forProvider":{"identifier":"renamed-db"}}}`)
		waitCondition(t, "migrated", managedkit.TypeCannotApply, corev1.ConditionTrue, "does not rename DB instances")
	})
	if calls["rds:ModifyDBInstance"] != 0 {
		t.Errorf("ModifyDBInstance after an identifier change: %s", harness.Format(calls))
	}
}

// A resource ID that matches no database never leads to a create: the
// database is gone or in another account or region, and a new, empty one
// would silently take its place.
func TestUnknownResourceIDCreatesNothing(t *testing.T) {
	calls := countOver(1, func() {
		in := newInstance("lost", providerConfigName)
		meta.SetExternalName(in, "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		createInstance(t, in)
		waitSyncedError(t, "lost", "is a DB instance resource ID (as the reference provider records it), and no DB instance in this account and region has it")
	})
	if calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("a create was made for an unknown resource ID: %s", harness.Format(calls))
	}
}

// A reference or selector whose resolution policy is Optional may leave
// its value field empty. Nothing is created then either (the default subnet
// group and key could not be changed afterwards), in forProvider and in
// initProvider, and the Instance says which.
func TestUnresolvedReferencesBlockCreation(t *testing.T) {
	resolveOptional := xpv2.ResolutionPolicyOptional
	optional := &xpv2.Policy{Resolution: &resolveOptional}
	calls := countOver(1, func() {
		in := newInstance("unresolved-db", providerConfigName)
		in.Spec.ForProvider.DBSubnetGroupNameSelector = &xpv2.Selector{MatchControllerRef: aws.Bool(true), Policy: optional}
		in.Spec.InitProvider.ParameterGroupNameRef = &xpv2.Reference{Name: "no-such-params", Policy: optional}
		createInstance(t, in)
		msg := waitSyncedError(t, "unresolved-db", "nothing is created while these references are unresolved")
		for _, want := range []string{"dbSubnetGroupNameRef/Selector (dbSubnetGroupName)", "parameterGroupNameRef/Selector (parameterGroupName)", "Their resolution policy is Optional"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the condition does not name %s: %s", want, msg)
			}
		}
	})
	if calls["rds:CreateDBInstance"] != 0 {
		t.Errorf("a DB instance was created with unresolved references: %s", harness.Format(calls))
	}
	if describe(t, "unresolved-db") != nil {
		t.Error("the DB instance exists")
	}

	// With the values set (as the reference provider leaves them resolved
	// in migrated objects) creation goes ahead.
	patchInstance(t, "unresolved-db", `{"spec":{"initProvider":{"parameterGroupNameRef":null},"forProvider":{"dbSubnetGroupNameSelector":null}}}`)
	waitReadySynced(t, "unresolved-db")
}
