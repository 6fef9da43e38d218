package awsconfig

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

func TestEndpointOverrides(t *testing.T) {
	static := func(url string, services ...string) *awsv1beta1.EndpointConfig {
		return &awsv1beta1.EndpointConfig{Services: services, URL: awsv1beta1.URLConfig{Type: awsv1beta1.URLConfigTypeStatic, Static: aws.String(url)}}
	}
	cases := map[string]struct {
		ec      *awsv1beta1.EndpointConfig
		want    map[string]string
		wantErr string
	}{
		"None":        {},
		"AllServices": {ec: static("http://127.0.0.1:4566"), want: map[string]string{"rds": "http://127.0.0.1:4566", "sts": "http://127.0.0.1:4566", "kms": "http://127.0.0.1:4566"}},
		"Filtered":    {ec: static("http://127.0.0.1:4566", "RDS"), want: map[string]string{"rds": "http://127.0.0.1:4566"}},
		"NoURL":       {ec: &awsv1beta1.EndpointConfig{URL: awsv1beta1.URLConfig{Type: awsv1beta1.URLConfigTypeStatic}}, wantErr: "endpoint.url.static is required"},
		"RelativeURL": {ec: static("localhost:4566"), wantErr: "is not an absolute URL"},
		"Dynamic": {
			ec:   &awsv1beta1.EndpointConfig{Services: []string{"rds"}, URL: awsv1beta1.URLConfig{Type: awsv1beta1.URLConfigTypeDynamic, Dynamic: &awsv1beta1.DynamicURLConfig{Protocol: "http", Host: "example.test:4566"}}},
			want: map[string]string{"rds": "http://rds.ap-northeast-2.example.test:4566"},
		},
		"DynamicNoHost": {ec: &awsv1beta1.EndpointConfig{URL: awsv1beta1.URLConfig{Type: awsv1beta1.URLConfigTypeDynamic}}, wantErr: "endpoint.url.dynamic.host is required"},
		"Auto":          {ec: &awsv1beta1.EndpointConfig{URL: awsv1beta1.URLConfig{Type: awsv1beta1.URLConfigTypeAuto}}},
		"Unknown":       {ec: &awsv1beta1.EndpointConfig{URL: awsv1beta1.URLConfig{Type: "Magic"}}, wantErr: `endpoint.url.type "Magic" is not supported`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := endpointOverrides(tc.ec, "ap-northeast-2")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}

func TestSessionEndpointFor(t *testing.T) {
	s := Session{endpoints: map[string]string{"sts": "http://sts.local"}}
	if got := s.endpointFor(ServiceRDS); got != nil {
		t.Errorf("rds is not in services: want no override, got %q", *got)
	}
	if got := aws.ToString(s.endpointFor(ServiceSTS)); got != "http://sts.local" {
		t.Errorf("sts override: got %q", got)
	}
}

// Signing overrides reach the SigV4 credential scope of requests sent to an
// overridden endpoint.
func TestSigningOverride(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.Header.Get("Authorization"):
		default:
		}
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	signing, err := signingOverrides(&awsv1beta1.EndpointConfig{SigningName: aws.String("custom-rds"), SigningRegion: aws.String("eu-central-1"), SigningMethod: aws.String("v4")})
	if err != nil {
		t.Fatal(err)
	}
	s := Session{
		Config:    aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), RetryMaxAttempts: 1},
		endpoints: map[string]string{ServiceRDS: srv.URL},
		signing:   signing,
	}
	_, _ = s.RDS().DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{})
	if auth := <-got; !strings.Contains(auth, "/eu-central-1/custom-rds/aws4_request") {
		t.Errorf("Authorization credential scope: want eu-central-1/custom-rds, got %q", auth)
	}
	if _, err := signingOverrides(&awsv1beta1.EndpointConfig{SigningMethod: aws.String("v2")}); err == nil {
		t.Error("want an error for a signing method other than SigV4")
	}
}

// A Dynamic endpoint sends each service's calls to protocol://service.region.host.
// Names under a test host do not resolve here, so the client dials the local
// server whatever the host, and the test reads the Host the SDK sent.
func TestDynamicEndpointReachesServiceHost(t *testing.T) {
	hosts := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case hosts <- r.Host:
		default:
		}
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	endpoints, err := endpointOverrides(&awsv1beta1.EndpointConfig{URL: awsv1beta1.URLConfig{
		Type: awsv1beta1.URLConfigTypeDynamic, Dynamic: &awsv1beta1.DynamicURLConfig{Protocol: "http", Host: "example.test:4566"},
	}}, "ap-northeast-2")
	if err != nil {
		t.Fatal(err)
	}
	dialer := &net.Dialer{}
	s := Session{
		Config: aws.Config{
			Region: "ap-northeast-2", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), RetryMaxAttempts: 1,
			HTTPClient: &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, srv.Listener.Addr().String())
			}}},
		},
		endpoints: endpoints,
	}
	_, _ = s.RDS().DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{})
	if got := <-hosts; got != "rds.ap-northeast-2.example.test:4566" {
		t.Errorf("Host of an RDS call through a Dynamic endpoint: want rds.ap-northeast-2.example.test:4566, got %q", got)
	}
}

// One retryer (with its adaptive client-side rate) and one request budget
// per account and region, whatever the ProviderConfig; without an account,
// per ProviderConfig.
func TestPacingSharedPerAccountAndRegion(t *testing.T) {
	r := NewResolver(nil, nil, DefaultAttemptTimeout)
	type pacing struct {
		retryer aws.Retryer
		budget  *budget
	}
	of := func(account, pc, region string) pacing {
		rt, b := r.pacingFor(account, pc, region)
		return pacing{rt, b}
	}
	a := of("123456789012", "pc-1", "eu-west-1")
	if of("123456789012", "pc-2", "eu-west-1") != a {
		t.Error("two ProviderConfigs of one account and region got different retryers or budgets")
	}
	if b := of("123456789012", "pc-1", "us-east-1"); b.retryer == a.retryer || b.budget == a.budget {
		t.Error("two regions share a retryer or budget, though AWS throttles them apart")
	}
	if b, c := of("", "pc-1", "eu-west-1"), of("", "pc-2", "eu-west-1"); b.retryer == c.retryer || b.budget == c.budget {
		t.Error("without accounts, two ProviderConfigs share a retryer or budget")
	}
	if of("", "pc-1", "eu-west-1") != of("", "pc-1", "eu-west-1") {
		t.Error("the retryer or budget is rebuilt for each use")
	}
}

// What is cached for a ProviderConfig is dropped when it is deleted, or
// deleted and made again under the same name.
func TestResolverForgetsDeletedProviderConfigs(t *testing.T) {
	scheme := runtime.NewScheme()
	_ = clientgoscheme.AddToScheme(scheme)
	_ = awsv1beta1.AddToScheme(scheme)
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: "crossplane-system", Name: "creds"},
		Data:       map[string][]byte{"credentials": []byte("[default]\naws_access_key_id = A\naws_secret_access_key = S\n")},
	}
	pc := func(uid string) *awsv1beta1.ProviderConfig {
		return &awsv1beta1.ProviderConfig{
			ObjectMeta: metav1.ObjectMeta{Name: "team", UID: types.UID(uid)},
			Spec: awsv1beta1.ProviderConfigSpec{
				Credentials: awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceSecret, CommonCredentialSelectors: xpv2.CommonCredentialSelectors{
					SecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "creds"}, Key: "credentials"},
				}},
				SkipCredsValidation: true, SkipReqAccountID: true, SkipMetadataAPICheck: true,
			},
		}
	}
	kube := fake.NewClientBuilder().WithScheme(scheme).WithObjects(secret, pc("uid-1")).Build()
	r := NewResolver(kube, nil, DefaultAttemptTimeout)
	ctx := context.Background()
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		if _, err := r.Resolve(ctx, "team", region); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.sessions); n != 2 {
		t.Fatalf("cached sessions: want 2, got %d", n)
	}

	// Deleted and made again: the old one's sessions go.
	if err := kube.Delete(ctx, pc("uid-1")); err != nil {
		t.Fatal(err)
	}
	if err := kube.Create(ctx, pc("uid-2")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resolve(ctx, "team", "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	for k := range r.sessions {
		if k.config != "uid-2" {
			t.Errorf("a session of the deleted ProviderConfig is still cached: %+v", k)
		}
	}

	// Deleted: nothing stays.
	r.Forget("team")
	if len(r.sessions) != 0 || len(r.creds) != 0 || len(r.uids) != 0 {
		t.Errorf("after Forget: %d sessions, %d credentials, %d names cached", len(r.sessions), len(r.creds), len(r.uids))
	}
}
