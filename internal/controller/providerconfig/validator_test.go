package providerconfig

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
)

// usageCounted stands in for crossplane-runtime's usage reconciler, which
// the validator runs first.
var usageCounted = reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) { return reconcile.Result{}, nil })

func scheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, awsv1beta1.SchemeBuilder.AddToScheme, awsmv1beta1.SchemeBuilder.AddToScheme} {
		if err := add(s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// The CredentialsValid condition for the outcomes a ProviderConfig can have
// without reaching AWS: credentials it cannot read, credentials a namespace
// may not use, validation skipped. (STS's answers are the end-to-end
// tests'.)
func TestValidatorReportsOnTheProviderConfig(t *testing.T) {
	secretCreds := awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceSecret, CommonCredentialSelectors: xpv2.CommonCredentialSelectors{
		SecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "aws-creds"}, Key: "credentials"}}}
	cases := map[string]struct {
		reason     string
		kind       int // index in configKinds
		obj        client.Object
		wantStatus corev1.ConditionStatus
		wantReason xpv2.ConditionReason
		wantText   string
	}{
		"SecretMissing": {
			reason: "A credentials Secret that does not exist is reported, naming it.",
			kind:   0,
			obj: &awsv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Name: "default"},
				Spec: awsv1beta1.ProviderConfigSpec{Credentials: secretCreds}},
			wantStatus: corev1.ConditionFalse, wantReason: ReasonInvalid, wantText: "credentials Secret crossplane-system/aws-creds not found",
		},
		"NamespacedIRSA": {
			reason: "A namespaced ProviderConfig may not use the provider's identity: refused before anything is sent.",
			kind:   1,
			obj: &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "mine"},
				Spec: awsv1beta1.ProviderConfigSpec{Credentials: awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceIRSA}}},
			wantStatus: corev1.ConditionFalse, wantReason: ReasonInvalid, wantText: "--namespaces-with-provider-identity",
		},
		"NamespacedSecretOfItsOwnNamespace": {
			reason: "A namespaced ProviderConfig's Secret is read in its own namespace, whatever the manifest says.",
			kind:   1,
			obj: &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "mine"},
				Spec: awsv1beta1.ProviderConfigSpec{Credentials: secretCreds}},
			wantStatus: corev1.ConditionFalse, wantReason: ReasonInvalid, wantText: "credentials Secret team-a/aws-creds not found",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			kube := fake.NewClientBuilder().WithScheme(scheme(t)).WithObjects(tc.obj).WithStatusSubresource(tc.obj).Build()
			k := configKinds[tc.kind]
			v := &validator{usage: usageCounted, kube: kube, sessions: awsconfig.NewResolver(kube, nil, awsconfig.DefaultAttemptTimeout), kind: k}
			req := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: tc.obj.GetNamespace(), Name: tc.obj.GetName()}}
			if _, err := v.Reconcile(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			got := k.new()
			if err := kube.Get(context.Background(), req.NamespacedName, got); err != nil {
				t.Fatal(err)
			}
			_, status := k.parts(got)
			c := status.GetCondition(TypeCredentialsValid)
			if c.Status != tc.wantStatus || c.Reason != tc.wantReason || !strings.Contains(c.Message, tc.wantText) {
				t.Errorf("%s\nwant %s %s mentioning %q, got %s %s: %s", tc.reason, tc.wantStatus, tc.wantReason, tc.wantText, c.Status, c.Reason, c.Message)
			}

			// The same outcome again writes nothing: a write would start
			// another validation at once.
			version := got.GetResourceVersion()
			if _, err := v.Reconcile(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if err := kube.Get(context.Background(), req.NamespacedName, got); err != nil {
				t.Fatal(err)
			}
			if got.GetResourceVersion() != version {
				t.Errorf("%s\nan unchanged outcome was written again", tc.reason)
			}
		})
	}
}
