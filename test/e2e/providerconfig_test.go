package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/test/harness"
)

// secretMarker is credential material that must never surface in a message.
const secretMarker = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETMARKER"

// An RDS client built from the Secret-backed ProviderConfig users copy for
// a local emulator reaches the emulator.
func TestSecretProviderConfigReachesEmulator(t *testing.T) {
	s, err := awsconfig.NewResolver(env.Kube, nil, awsconfig.DefaultAttemptTimeout).Resolve(context.Background(), providerConfigName, harness.Region)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if _, err := s.RDS().DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{}); err != nil {
		t.Fatalf("DescribeDBInstances through the ProviderConfig: %v", err)
	}
}

// Broken credentials configuration is reported on the Instance that uses
// it, clearly and without any secret content.
func TestBadProviderConfigIsReportedOnInstance(t *testing.T) {
	goodDoc := "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = " + secretMarker + "\n"
	cases := map[string]struct {
		secret map[string]string // nil: no Secret
		mutate func(pc *awsv1beta1.ProviderConfig)
		want   string
	}{
		"MissingSecret": {
			want: "credentials Secret crossplane-system/bad-missingsecret not found",
		},
		"WrongKey": {
			secret: map[string]string{"other-key": goodDoc},
			want:   `has no key "credentials"`,
		},
		"MalformedINI": {
			secret: map[string]string{"credentials": "[default\naws_secret_access_key = " + secretMarker + "\n"},
			want:   "malformed credentials INI: each line must be",
		},
		"NoDefaultProfile": {
			secret: map[string]string{"credentials": "[prod]\naws_access_key_id = A\naws_secret_access_key = " + secretMarker + "\n"},
			want:   "credentials INI has no [default] profile",
		},
		"UnsupportedSource": {
			secret: map[string]string{"credentials": goodDoc},
			mutate: func(pc *awsv1beta1.ProviderConfig) { pc.Spec.Credentials.Source = awsv1beta1.CredentialsSourceUpbound },
			want:   `credentials source "Upbound" is not supported`,
		},
		"IRSAWithoutEnvironment": {
			secret: map[string]string{"credentials": goodDoc},
			mutate: func(pc *awsv1beta1.ProviderConfig) { pc.Spec.Credentials.Source = awsv1beta1.CredentialsSourceIRSA },
			want:   "credentials source IRSA needs AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE",
		},
		"DynamicURLWithoutHost": {
			secret: map[string]string{"credentials": goodDoc},
			mutate: func(pc *awsv1beta1.ProviderConfig) { pc.Spec.Endpoint.URL.Type = awsv1beta1.URLConfigTypeDynamic },
			want:   "endpoint.url.dynamic.host is required",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			pcName := "bad-" + strings.ToLower(name)
			if tc.secret != nil {
				sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: harness.ProviderNamespace, Name: pcName}, StringData: tc.secret}
				if err := env.Kube.Create(ctx, sec); err != nil {
					t.Fatal(err)
				}
			}
			pc := env.EmulatorProviderConfig(pcName)
			pc.Spec.Credentials.SecretRef.Name = pcName
			if tc.mutate != nil {
				tc.mutate(pc)
			}
			if err := env.Kube.Create(ctx, pc); err != nil {
				t.Fatal(err)
			}
			in := newInstance(pcName, pcName)
			in.Spec.DeletionPolicy = xpv2.DeletionOrphan
			createInstance(t, in)

			msg := waitSyncedError(t, pcName, tc.want)
			if strings.Contains(msg, secretMarker) || strings.Contains(msg, "AKIAEXAMPLE") {
				t.Errorf("condition message reveals credential material: %s", msg)
			}
			if describe(t, pcName) != nil {
				t.Error("a DB instance was created through a broken ProviderConfig")
			}
		})
	}
}

// A ProviderConfig in use cannot be deleted, and counts its users.
func TestProviderConfigInUseCannotBeDeleted(t *testing.T) {
	ctx := context.Background()
	pc := env.EmulatorProviderConfig("usage-test")
	if err := env.Kube.Create(ctx, pc); err != nil {
		t.Fatal(err)
	}
	createInstance(t, newInstance("usage-db", "usage-test"))
	harness.Eventually(t, waitTimeout, "ProviderConfig usage-test counts one user", func() (bool, string) {
		got := &awsv1beta1.ProviderConfig{}
		if err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: "usage-test"}, got); err != nil {
			return false, err.Error()
		}
		return got.Status.Users == 1, "users=" + strconv.FormatInt(got.Status.Users, 10)
	})
	if err := env.Kube.Delete(ctx, pc); err != nil {
		t.Fatal(err)
	}
	waitReadySynced(t, "usage-db")
	got := &awsv1beta1.ProviderConfig{}
	if err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: "usage-test"}, got); err != nil {
		t.Fatalf("the ProviderConfig in use was deleted: %v", err)
	}
	deleteAndWaitGone(t, "usage-db")
	collectOrphanedUsages(t)
	harness.Eventually(t, waitTimeout, "ProviderConfig usage-test deleted once unused", func() (bool, string) {
		err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: "usage-test"}, &awsv1beta1.ProviderConfig{})
		return kerrors.IsNotFound(err), "still present"
	})
}

// newInstance returns a small PostgreSQL Instance (harness.NewInstance).
func newInstance(name, providerConfig string) *v1beta3.Instance {
	return harness.NewInstance(name, providerConfig)
}

// createInstance creates an Instance and, when the test ends, checks that no
// secret leaked (harness.CheckNoSecretsLeaked) and deletes it.
func createInstance(t *testing.T, in *v1beta3.Instance) {
	t.Helper()
	if err := env.Kube.Create(context.Background(), in); err != nil {
		t.Fatalf("cannot create Instance %s: %v", in.GetName(), err)
	}
	t.Cleanup(func() {
		env.CheckNoSecretsLeaked(t)
		deleteAndWaitGone(t, in.GetName())
	})
}

// collectOrphanedUsages deletes ProviderConfigUsages whose Instance is gone.
// In a cluster the garbage collector does this through their owner
// references; the test control plane runs no garbage collector.
func collectOrphanedUsages(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	l := &awsv1beta1.ProviderConfigUsageList{}
	if err := env.Kube.List(ctx, l); err != nil {
		t.Fatal(err)
	}
	for i := range l.Items {
		u := &l.Items[i]
		err := env.Kube.Get(ctx, ktypes.NamespacedName{Name: u.ResourceReference.Name}, &v1beta3.Instance{})
		if kerrors.IsNotFound(err) {
			if err := env.Kube.Delete(ctx, u); client.IgnoreNotFound(err) != nil {
				t.Fatal(err)
			}
		}
	}
}
