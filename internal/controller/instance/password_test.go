package instance

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

// Which password is set in AWS, and which one applications are given,
// for each state of the Secret, the record and the DB instance. The rule
// under test: a password is published only once AWS has applied it.
func TestPlanPassword(t *testing.T) {
	const (
		oldPassword = "old-password-1"
		newPassword = "new-password-2"
	)
	desired := masterPassword{value: newPassword, version: "fp:new"}
	pendingPassword := func(db *types.DBInstance) {
		db.PendingModifiedValues = &types.PendingModifiedValues{MasterUserPassword: aws.String("****")}
	}
	cases := map[string]struct {
		reason      string
		pw          masterPassword
		recorded    string // AnnotationPasswordVersion
		created     bool   // the Instance recorded a successful create
		policies    xpv2.ManagementPolicies
		status      string
		db          func(*types.DBInstance)
		want        passwordPlan
		wantWaiting string
		wantRecord  string
	}{
		"Applied": {
			reason: "The recorded version is the Secret's: nothing to set, and it is published.",
			pw:     desired, recorded: "fp:new", status: "available",
			want: passwordPlan{published: newPassword},
		},
		"Imported": {
			reason: "kubectl rds import's record: the Secret holds the database's password, so it is recorded as applied, published, and not set.",
			pw:     desired, recorded: ImportedPasswordVersion, status: "available",
			want: passwordPlan{published: newPassword}, wantRecord: "fp:new",
		},
		"SecretChanged": {
			reason: "The Secret changed: set it now, and keep publishing the old one until AWS applied it.",
			pw:     desired, recorded: "fp:old", status: "available",
			want: passwordPlan{set: true, published: oldPassword}, wantWaiting: "Setting the new master password",
		},
		"SecretChangedWhileStopped": {
			reason: "A stopped instance takes no change: nothing set, the old one published, and the condition says to start it.",
			pw:     desired, recorded: "fp:old", status: "stopped",
			want: passwordPlan{published: oldPassword}, wantWaiting: "start it to apply the new password",
		},
		"SecretChangedObserveOnly": {
			reason: "Management policies without Update: the provider sets nothing and says so.",
			pw:     desired, recorded: "fp:old", status: "available", policies: xpv2.ManagementPolicies{xpv2.ManagementActionObserve},
			want:        passwordPlan{published: oldPassword},
			wantWaiting: "leave out Update",
		},
		"AppliedButPending": {
			reason: "Set and recorded, but AWS still lists it pending: publish the old one meanwhile.",
			pw:     desired, recorded: "fp:new", status: "resetting-master-credentials", db: pendingPassword,
			want: passwordPlan{published: oldPassword}, wantWaiting: "AWS is applying the new master password",
		},
		"MigratedWithoutRecord": {
			reason: "An instance a Crossplane provider created, with no record (migrated from the reference provider): its Secret's password is taken as the one it has, recorded, and published; nothing is set.",
			pw:     desired, created: true, status: "available",
			want: passwordPlan{published: newPassword}, wantRecord: "fp:new",
		},
		"Restored": {
			reason: "Restored from a snapshot: the source's password is in effect; the Secret's is set, and published once applied.",
			pw:     desired, recorded: restoredPasswordVersion, status: "available",
			want: passwordPlan{set: true, published: oldPassword}, wantWaiting: "Restored with the master password of its source",
		},
		"ManagedByAWS": {
			reason: "Secrets Manager manages the password: the provider plans nothing.",
			pw:     masterPassword{}, status: "available",
			db:   func(db *types.DBInstance) { db.MasterUserSecret = &types.MasterUserSecret{} },
			want: passwordPlan{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cr := instanceWith(func(in *v1beta3.Instance) {
				in.Spec.ForProvider.ManageMasterUserPassword = nil
				in.Spec.WriteConnectionSecretToReference = &xpv2.SecretReference{Namespace: "default", Name: "db-conn"}
				in.SetManagementPolicies(tc.policies)
				if tc.recorded != "" {
					meta.AddAnnotations(in, map[string]string{AnnotationPasswordVersion: tc.recorded})
				}
				if tc.created {
					meta.SetExternalCreateSucceeded(in, metav1.Now().Time)
				}
			})
			db := dbWith(tc.status, func(db *types.DBInstance) { db.MasterUserSecret = nil })
			if tc.db != nil {
				tc.db(db)
			}
			conn := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "db-conn"}, Data: map[string][]byte{rdsinstance.ConnPassword: []byte(oldPassword)}}
			e := fakeExternal(&fakeRDS{db: db})
			e.passwords = passwords{kube: fake.NewClientBuilder().WithObjects(conn).Build(), namespace: "crossplane-system", key: &fingerprintKey{}}
			got, err := e.planPassword(context.Background(), cr, *db, tc.pw)
			if err != nil {
				t.Fatal(err)
			}
			if got.set != tc.want.set || got.published != tc.want.published {
				t.Errorf("%s\nwant set=%t published=%q, got set=%t published=%q", tc.reason, tc.want.set, tc.want.published, got.set, got.published)
			}
			if (tc.wantWaiting == "") != (got.waiting == "") || !strings.Contains(got.waiting, tc.wantWaiting) {
				t.Errorf("%s\nwaiting: want %q, got %q", tc.reason, tc.wantWaiting, got.waiting)
			}
			if tc.wantRecord != "" && cr.GetAnnotations()[AnnotationPasswordVersion] != tc.wantRecord {
				t.Errorf("%s\nrecord: want %q, got %q", tc.reason, tc.wantRecord, cr.GetAnnotations()[AnnotationPasswordVersion])
			}
			for _, v := range []string{got.waiting} {
				if strings.Contains(v, newPassword) || strings.Contains(v, oldPassword) {
					t.Errorf("%s\na password in the condition message: %q", tc.reason, v)
				}
			}
		})
	}
}
