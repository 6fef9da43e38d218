package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/providerconfig"
	"github.com/provider-rds/provider-rds/test/harness"
)

const tokenMarker = "eyJhbGciOiJSUzI1NiJ9.TOKENMARKER.signature"

// createProviderConfig creates a ProviderConfig that talks to the emulator,
// changed by mutate, and removes it when the test ends.
func createProviderConfig(t *testing.T, name string, mutate func(*awsv1beta1.ProviderConfig)) {
	t.Helper()
	pc := env.EmulatorProviderConfig(name)
	mutate(pc)
	if err := env.Kube.Create(context.Background(), pc); err != nil {
		t.Fatal(err)
	}
}

func createSecret(t *testing.T, name string, data map[string]string) {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: harness.ProviderNamespace, Name: name}, StringData: data}
	if err := env.Kube.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// callerARN resolves a ProviderConfig as the provider does and asks the
// emulator's STS who the resulting credentials are.
func callerARN(t *testing.T, pcName string) string {
	t.Helper()
	s, err := awsconfig.NewResolver(env.Kube, nil, awsconfig.DefaultAttemptTimeout).Resolve(context.Background(), pcName, harness.Region)
	if err != nil {
		t.Fatalf("Resolve %s: %v", pcName, err)
	}
	id, err := s.STS().GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity through %s: %v", pcName, err)
	}
	return aws.ToString(id.Arn)
}

func webIdentity(role string, tc *awsv1beta1.WebIdentityTokenConfig) func(*awsv1beta1.ProviderConfig) {
	return func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.Credentials = awsv1beta1.ProviderCredentials{
			Source:      awsv1beta1.CredentialsSourceWebIdentity,
			WebIdentity: &awsv1beta1.WebIdentityConfig{RoleARN: aws.String(role), RoleSessionName: "crossplane", TokenConfig: tc},
		}
	}
}

func TestSecretWithSeveralProfilesUsesDefault(t *testing.T) {
	createSecret(t, "profiles", map[string]string{"credentials": "[prod]\naws_access_key_id = PROD\naws_secret_access_key = prod-secret\n\n[default]\naws_access_key_id = test\naws_secret_access_key = test\n"})
	createProviderConfig(t, "profiles", func(pc *awsv1beta1.ProviderConfig) { pc.Spec.Credentials.SecretRef.Name = "profiles" })
	createInstance(t, newInstance("profiles-db", "profiles"))
	waitReadySynced(t, "profiles-db")
}

func TestWebIdentityFromSecret(t *testing.T) {
	createSecret(t, "web-token", map[string]string{"token": tokenMarker})
	createProviderConfig(t, "web-secret", webIdentity("arn:aws:iam::123456789012:role/web-secret-role", &awsv1beta1.WebIdentityTokenConfig{
		Source:                    xpv2.CredentialsSourceSecret,
		CommonCredentialSelectors: xpv2.CommonCredentialSelectors{SecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: harness.ProviderNamespace, Name: "web-token"}, Key: "token"}},
	}))
	if arn := callerARN(t, "web-secret"); !strings.Contains(arn, "assumed-role/web-secret-role/crossplane") {
		t.Errorf("identity through WebIdentity from a Secret: got %s", arn)
	}
	createInstance(t, newInstance("web-secret-db", "web-secret"))
	waitReadySynced(t, "web-secret-db")
}

func TestWebIdentityFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(tokenMarker), 0o600); err != nil {
		t.Fatal(err)
	}
	createProviderConfig(t, "web-file", webIdentity("arn:aws:iam::123456789012:role/web-file-role", &awsv1beta1.WebIdentityTokenConfig{
		Source: xpv2.CredentialsSourceFilesystem, CommonCredentialSelectors: xpv2.CommonCredentialSelectors{Fs: &xpv2.FsSelector{Path: path}},
	}))
	if arn := callerARN(t, "web-file"); !strings.Contains(arn, "assumed-role/web-file-role/crossplane") {
		t.Errorf("identity through WebIdentity from a file: got %s", arn)
	}
}

func TestIRSAFromEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(tokenMarker), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa-role")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", path)
	t.Setenv("AWS_ROLE_SESSION_NAME", "irsa-session")
	createProviderConfig(t, "irsa", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.Credentials = awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceIRSA}
	})
	if arn := callerARN(t, "irsa"); !strings.Contains(arn, "assumed-role/irsa-role/irsa-session") {
		t.Errorf("identity through IRSA: got %s", arn)
	}
	createInstance(t, newInstance("irsa-db", "irsa"))
	waitReadySynced(t, "irsa-db")
}

// podIdentityAgent serves container credentials on loopback like the EKS
// Pod Identity agent, checking the authorization token.
func podIdentityAgent(t *testing.T, token string, expired bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	hits := &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != token {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"code":"AccessDenied","message":"wrong authorization token"}`))
			return
		}
		if expired {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"code":"ExpiredToken","message":"the service account token has expired"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": "ASIAPODIDENTITY", "SecretAccessKey": "pod-secret", "Token": "pod-session",
			"Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		})
	}))
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "eks-pod-identity-token")
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.URL+"/v1/credentials")
	t.Setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path)
	return srv, hits
}

func TestPodIdentityFromLocalAgent(t *testing.T) {
	_, hits := podIdentityAgent(t, tokenMarker, false)
	createProviderConfig(t, "pod-identity", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.Credentials = awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourcePodIdentity}
	})
	callerARN(t, "pod-identity")
	if hits.Load() == 0 {
		t.Fatal("the Pod Identity agent was never asked for credentials")
	}
	createInstance(t, newInstance("pod-identity-db", "pod-identity"))
	waitReadySynced(t, "pod-identity-db")
}

func TestAssumeRoleChain(t *testing.T) {
	createProviderConfig(t, "chain", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.AssumeRoleChain = []awsv1beta1.AssumeRoleOptions{
			{
				RoleARN: aws.String("arn:aws:iam::111111111111:role/hub"), ExternalID: aws.String("hub-external-id"),
				Tags:              []awsv1beta1.Tag{{Key: aws.String("team"), Value: aws.String("platform")}},
				TransitiveTagKeys: []string{"team"},
			},
			{RoleARN: aws.String("arn:aws:iam::222222222222:role/workload")},
		}
	})
	if arn := callerARN(t, "chain"); !strings.Contains(arn, "assumed-role/workload/") {
		t.Errorf("identity at the end of the chain: want the workload role, got %s", arn)
	}
	createInstance(t, newInstance("chain-db", "chain"))
	waitReadySynced(t, "chain-db")
}

// The ProviderConfig reports whether its credentials work, and the account.
func TestValidationReportedOnProviderConfig(t *testing.T) {
	createProviderConfig(t, "validated", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.SkipCredsValidation, pc.Spec.SkipReqAccountID = false, false
	})
	got := waitCredentialsCondition(t, "validated", corev1.ConditionTrue)
	if got.Status.AccountID != "123456789012" {
		t.Errorf("status.accountId: want the emulator's 123456789012, got %q", got.Status.AccountID)
	}
}

// Bad input gives a clear condition on the ProviderConfig and on the
// Instance, without secret material.
func TestBadCredentialSourcesAreReported(t *testing.T) {
	cases := map[string]struct {
		setup  func(t *testing.T) func(*awsv1beta1.ProviderConfig)
		want   string
		skipOK bool
	}{
		"RoleCannotBeAssumed": {
			setup: func(*testing.T) func(*awsv1beta1.ProviderConfig) {
				return func(pc *awsv1beta1.ProviderConfig) {
					pc.Spec.SkipCredsValidation = false
					pc.Spec.AssumeRoleChain = []awsv1beta1.AssumeRoleOptions{{RoleARN: aws.String("arn:aws:iam::123456789012:user/alice")}}
				}
			},
			want: `assumeRoleChain[0].roleARN "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN`,
		},
		"MissingTokenFile": {
			setup: func(*testing.T) func(*awsv1beta1.ProviderConfig) {
				return webIdentity("arn:aws:iam::123456789012:role/web-role", &awsv1beta1.WebIdentityTokenConfig{
					Source: xpv2.CredentialsSourceFilesystem, CommonCredentialSelectors: xpv2.CommonCredentialSelectors{Fs: &xpv2.FsSelector{Path: "/var/run/secrets/missing/token"}},
				})
			},
			want: "web identity token file /var/run/secrets/missing/token cannot be read: it does not exist",
		},
		"ExpiredToken": {
			setup: func(t *testing.T) func(*awsv1beta1.ProviderConfig) {
				podIdentityAgent(t, tokenMarker, true)
				return func(pc *awsv1beta1.ProviderConfig) {
					pc.Spec.SkipCredsValidation = false
					pc.Spec.Credentials = awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourcePodIdentity}
				}
			},
			want: "ExpiredToken",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			pcName := "badcreds-" + strings.ToLower(name)
			createProviderConfig(t, pcName, tc.setup(t))
			pc := waitCredentialsCondition(t, pcName, corev1.ConditionFalse)
			msg := pc.Status.GetCondition(providerconfig.TypeCredentialsValid).Message
			if !strings.Contains(msg, tc.want) {
				t.Errorf("ProviderConfig condition: want a message mentioning %q, got %q", tc.want, msg)
			}
			in := newInstance(pcName, pcName)
			in.Spec.DeletionPolicy = xpv2.DeletionOrphan
			createInstance(t, in)
			msg = waitSyncedError(t, pcName, tc.want)
			for _, secret := range []string{tokenMarker, "TOKENMARKER", "pod-secret", "test\n"} {
				if strings.Contains(msg, secret) || strings.Contains(pc.Status.GetCondition(providerconfig.TypeCredentialsValid).Message, secret) {
					t.Errorf("a message reveals credential material %q: %s", secret, msg)
				}
			}
		})
	}
}

func waitCredentialsCondition(t *testing.T, name string, want corev1.ConditionStatus) *awsv1beta1.ProviderConfig {
	t.Helper()
	pc := &awsv1beta1.ProviderConfig{}
	harness.Eventually(t, waitTimeout, "ProviderConfig "+name+" CredentialsValid="+string(want), func() (bool, string) {
		if err := env.Kube.Get(context.Background(), ktypes.NamespacedName{Name: name}, pc); err != nil {
			return false, err.Error()
		}
		c := pc.Status.GetCondition(providerconfig.TypeCredentialsValid)
		return c.Status == want, fmt.Sprintf("%s %s: %s", c.Status, c.Reason, c.Message)
	})
	return pc
}

// STS calls for many Instances over many polls are a small constant: the
// assumed-role credentials and their validation are cached per
// ProviderConfig, not fetched per resource or per poll.
func TestSTSCallsDoNotGrowWithResourcesOrPolls(t *testing.T) {
	// 40 Instances are plenty to tell a constant from a count per
	// resource, and few enough to be Ready in time on a machine busy
	// building the suite's binaries from a cold cache (100 were not).
	const instances, polls = 40, 10
	before := env.Calls.Snapshot()
	createProviderConfig(t, "many", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.SkipCredsValidation = false
		pc.Spec.AssumeRoleChain = []awsv1beta1.AssumeRoleOptions{
			{RoleARN: aws.String("arn:aws:iam::111111111111:role/hub")},
			{RoleARN: aws.String("arn:aws:iam::222222222222:role/workload")},
		}
	})
	names := make([]string, instances)
	for i := range names {
		names[i] = fmt.Sprintf("many-%03d", i)
		if err := env.Kube.Create(context.Background(), newInstance(names[i], "many")); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { deleteAllAndWait(t, names) })
	harness.Eventually(t, 3*time.Minute, "all instances Ready", func() (bool, string) {
		l := &v1beta3.InstanceList{}
		if err := env.Kube.List(context.Background(), l); err != nil {
			return false, err.Error()
		}
		ready := 0
		for _, in := range l.Items {
			if strings.HasPrefix(in.GetName(), "many-") && in.Status.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue {
				ready++
			}
		}
		return ready == instances, fmt.Sprintf("%d of %d ready", ready, instances)
	})
	time.Sleep(polls * pollInterval)

	sts := 0
	calls := env.Calls.Since(before)
	for call, n := range calls {
		if strings.HasPrefix(call, "sts:") {
			sts += n
		}
	}
	t.Logf("STS calls for %d Instances over %d polls: %d; DescribeDBInstances: %d", instances, polls, sts, calls["rds:DescribeDBInstances"])
	// Two AssumeRole calls for the chain and one GetCallerIdentity, built
	// once for the ProviderConfig; a little slack for the validation of the
	// ProviderConfig itself racing the first Instance.
	if sts > 6 {
		t.Errorf("STS calls for %d Instances over %d polls: want a small constant (at most 6), got %d: %s", instances, polls, sts, harness.Format(calls))
	}
	if calls["sts:AssumeRole"] == 0 {
		t.Error("no AssumeRole calls: the chain was not used")
	}
}

// deleteAllAndWait deletes Instances at once and waits until all are gone.
func deleteAllAndWait(t *testing.T, names []string) {
	t.Helper()
	for _, n := range names {
		in := &v1beta3.Instance{}
		in.SetName(n)
		_ = env.Kube.Delete(context.Background(), in)
	}
	for _, n := range names {
		deleteAndWaitGone(t, n)
	}
}

// endpoint.services limits the override to the services it lists.
func TestEndpointServicesFilter(t *testing.T) {
	createProviderConfig(t, "rds-only", func(pc *awsv1beta1.ProviderConfig) { pc.Spec.Endpoint.Services = []string{"rds"} })
	s, err := awsconfig.NewResolver(env.Kube, nil, awsconfig.DefaultAttemptTimeout).Resolve(context.Background(), "rds-only", harness.Region)
	if err != nil {
		t.Fatal(err)
	}
	if ep := s.STS().Options().BaseEndpoint; ep != nil {
		t.Errorf("sts is not in endpoint.services, yet its endpoint is overridden with %s", *ep)
	}
	createInstance(t, newInstance("rds-only-db", "rds-only"))
	waitReadySynced(t, "rds-only-db")
}
