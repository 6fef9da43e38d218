// Package harness runs the provider against real parts: a kube-apiserver
// and etcd (controller-runtime envtest) with the provider's CRDs, and an AWS
// backend (moto by default). Tests drive it through Kubernetes and check
// results in the backend with their own AWS client.
package harness

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	xpcontroller "github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

// EnvProviderLog, when set, shows the provider's debug log in test output.
const EnvProviderLog = "PROVIDER_RDS_TEST_LOG"

// EnvCrossplaneAssets names the directory that `make crossplane-assets`
// prints: Crossplane core, its CLI, function-patch-and-transform and
// Crossplane's CRDs.
const EnvCrossplaneAssets = "CROSSPLANE_ASSETS"

// Defaults of the test environment.
const (
	ProviderNamespace     = "crossplane-system"
	CredentialsSecretName = "aws-creds"
	CredentialsSecretKey  = "credentials"
	Region                = "ap-northeast-2"
)

// Env is a running control plane, AWS backend and provider.
type Env struct {
	Kube       client.Client
	RESTConfig *rest.Config
	Scheme     *runtime.Scheme
	Backend    *Backend
	Calls      *CallCounter
	Root       string // the repository root

	controlPlane *envtest.Environment
	providerLog  *lockedBuffer
	stopProvider context.CancelFunc
	providerDone chan error
	// apiServer is the kube-apiserver RestartAPIServer started, if any.
	apiServer *Process
}

// Start starts the control plane, with the provider's CRDs and those in
// extraCRDDirs, and the backend. The provider is started separately with
// StartProvider, so tests may also run without it.
func Start(ctx context.Context, extraCRDDirs ...string) (*Env, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	return start(ctx, append([]string{filepath.Join(root, "package", "crds")}, extraCRDDirs...), true)
}

// StartBare starts a control plane with only the CRDs in crdDirs, and the
// backend: a cluster into which a package manager installs the provider's
// CRDs, as Crossplane does.
func StartBare(ctx context.Context, crdDirs ...string) (*Env, error) {
	return start(ctx, crdDirs, false)
}

func start(ctx context.Context, crdDirs []string, conversionWebhook bool) (*Env, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return nil, fmt.Errorf("KUBEBUILDER_ASSETS is not set: run the tests with `make test`, or set it to the directory `make envtest-assets` prints")
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := apis.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := extv1.AddToScheme(scheme); err != nil {
		return nil, err
	}

	backend, err := StartBackend(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Printf("harness: AWS backend: %s at %s\n", backend.Kind, backend.Endpoint)

	cp := &envtest.Environment{
		CRDDirectoryPaths:     crdDirs,
		ErrorIfCRDPathMissing: true,
		Scheme:                scheme,
	}
	if conversionWebhook {
		// envtest makes a serving certificate and points the conversion
		// webhook of the Instance CRD at 127.0.0.1, where the provider
		// serves it (StartProvider, or the binary with StartProviderBinary).
		cp.WebhookInstallOptions = envtest.WebhookInstallOptions{LocalServingHost: "127.0.0.1"}
	}
	cfg, err := cp.Start()
	if err != nil {
		backend.Stop()
		return nil, fmt.Errorf("cannot start the control plane: %w", err)
	}
	kube, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		backend.Stop()
		_ = cp.Stop()
		return nil, err
	}
	e := &Env{Kube: kube, RESTConfig: cfg, Scheme: scheme, Backend: backend, Calls: NewCallCounter(), Root: root, controlPlane: cp}
	if err := kube.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ProviderNamespace}}); err != nil {
		e.Stop()
		return nil, err
	}
	return e, nil
}

// ProviderOptions tune the in-process provider.
type ProviderOptions struct {
	PollInterval time.Duration
	// The platform's tenancy grants, as the provider's flags give them:
	// --namespaces-with-provider-identity, --provider-identity-endpoints
	// and --namespaces-that-may-adopt.
	IdentityNamespaces, IdentityEndpoints, AdoptingNamespaces []string
}

// StartProvider runs the provider's controllers in this process against the
// control plane, as the provider binary would.
func (e *Env) StartProvider(o ProviderOptions) error {
	wio := e.controlPlane.WebhookInstallOptions
	mgr, err := ctrl.NewManager(e.RESTConfig, ctrl.Options{
		Scheme:        e.Scheme,
		Client:        controller.ClientOptions(),
		NewClient:     controller.NewClient,
		Cache:         controller.CacheOptions(time.Hour),
		Metrics:       metricsserver.Options{BindAddress: "0"},
		Logger:        ctrl.Log.WithName("provider"),
		WebhookServer: webhook.NewServer(webhook.Options{Host: wio.LocalServingHost, Port: wio.LocalServingPort, CertDir: wio.LocalServingCertDir}),
	})
	if err != nil {
		return err
	}
	controller.SetupConversion(mgr)
	// The debug log is kept for CheckNoSecretsLeaked, and shown with
	// PROVIDER_RDS_TEST_LOG.
	e.providerLog = &lockedBuffer{}
	var out io.Writer = e.providerLog
	if os.Getenv(EnvProviderLog) != "" {
		out = io.MultiWriter(e.providerLog, os.Stderr)
	}
	zl := zap.New(zap.UseDevMode(true), zap.Level(zapcore.DebugLevel), zap.WriteTo(out))
	ctrl.SetLogger(zl)
	log := logging.NewLogrLogger(zl.WithName("provider"))
	features := &feature.Flags{}
	features.Enable(feature.EnableBetaManagementPolicies)
	opts := managedkit.Options{
		Options: xpcontroller.Options{
			Logger:                  log,
			GlobalRateLimiter:       ratelimiter.NewGlobal(100),
			PollInterval:            o.PollInterval,
			MaxConcurrentReconciles: 5,
			Features:                features,
		},
		Sessions:               awsconfig.NewResolver(mgr.GetClient(), e.Calls, awsconfig.DefaultAttemptTimeout).WithProviderIdentityNamespaces(o.IdentityNamespaces, o.IdentityEndpoints),
		Namespace:              ProviderNamespace,
		NamespacesThatMayAdopt: o.AdoptingNamespaces,
	}
	if err := controller.Setup(mgr, opts); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.stopProvider = cancel
	e.providerDone = make(chan error, 1)
	go func() { e.providerDone <- mgr.Start(ctx) }()
	return e.WaitForWebhook(30 * time.Second)
}

// WaitForWebhook waits until the conversion webhook accepts connections, so
// that requests in older API versions do not fail while it starts.
func (e *Env) WaitForWebhook(timeout time.Duration) error {
	wio := e.controlPlane.WebhookInstallOptions
	return waitForTLS(net.JoinHostPort(wio.LocalServingHost, strconv.Itoa(wio.LocalServingPort)), timeout)
}

// waitForTLS waits until a TLS server answers at addr.
func waitForTLS(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // Only checks that the local server answers.
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the conversion webhook does not answer on %s: %w", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops everything the Env started.
func (e *Env) Stop() {
	if e.stopProvider != nil {
		e.stopProvider()
		if err := <-e.providerDone; err != nil {
			fmt.Fprintln(os.Stderr, "harness: the provider stopped with:", err)
		}
	}
	if e.apiServer != nil {
		e.apiServer.Stop()
	}
	if e.controlPlane != nil {
		_ = e.controlPlane.Stop()
	}
	e.Backend.Stop()
}

// CreateCredentialsSecret stores the backend's keys as an AWS shared
// credentials document, as users keep them.
func (e *Env) CreateCredentialsSecret(ctx context.Context) error {
	doc := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", e.Backend.AccessKeyID, e.Backend.SecretAccessKey)
	return e.Kube.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ProviderNamespace, Name: CredentialsSecretName},
		Data:       map[string][]byte{CredentialsSecretKey: []byte(doc)},
	})
}

// EmulatorProviderConfig returns a ProviderConfig shaped exactly like the
// one users copy for a local emulator: Secret credentials, a Static URL with
// hostnameImmutable, and the four skip flags.
func (e *Env) EmulatorProviderConfig(name string) *awsv1beta1.ProviderConfig {
	return &awsv1beta1.ProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: awsv1beta1.ProviderConfigSpec{
			Credentials: awsv1beta1.ProviderCredentials{
				Source: xpv2.CredentialsSourceSecret,
				CommonCredentialSelectors: xpv2.CommonCredentialSelectors{SecretRef: &xpv2.SecretKeySelector{
					SecretReference: xpv2.SecretReference{Namespace: ProviderNamespace, Name: CredentialsSecretName},
					Key:             CredentialsSecretKey,
				}},
			},
			Endpoint: &awsv1beta1.EndpointConfig{
				HostnameImmutable: aws.Bool(true),
				URL:               awsv1beta1.URLConfig{Type: awsv1beta1.URLConfigTypeStatic, Static: aws.String(e.Backend.Endpoint)},
			},
			SkipCredsValidation:  true,
			SkipMetadataAPICheck: true,
			SkipRegionValidation: true,
			SkipReqAccountID:     true,
		},
	}
}

// RDS returns a client that talks to the backend directly in the default
// region, for checking results and making out-of-band changes.
func (e *Env) RDS() *rds.Client { return e.RDSIn(Region) }

// KMS returns a KMS client that talks to the backend directly, for the
// keys and aliases a test names.
func (e *Env) KMS() *kms.Client {
	return kms.New(kms.Options{
		Region:       Region,
		BaseEndpoint: aws.String(e.Backend.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(e.Backend.AccessKeyID, e.Backend.SecretAccessKey, ""),
	})
}

// RDSIn returns a client that talks to the backend directly in a region.
func (e *Env) RDSIn(region string) *rds.Client {
	return rds.New(rds.Options{
		Region:       region,
		BaseEndpoint: aws.String(e.Backend.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(e.Backend.AccessKeyID, e.Backend.SecretAccessKey, ""),
	})
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// CallCounter counts the AWS calls the provider makes, by service and
// operation and outcome.
type CallCounter struct {
	mu       sync.Mutex
	counts   map[string]int
	failures map[string]int
}

// Mutating reports whether an AWS operation changes something: all but
// Describe* and List*.
func Mutating(operation string) bool {
	return !strings.HasPrefix(operation, "Describe") && !strings.HasPrefix(operation, "List")
}

// NewCallCounter returns an empty CallCounter.
func NewCallCounter() *CallCounter {
	return &CallCounter{counts: map[string]int{}, failures: map[string]int{}}
}

// ObserveCall implements awsconfig.CallObserver. Calls that failed (after
// the SDK's retries) are also counted by AWS error code.
func (c *CallCounter) ObserveCall(service, operation string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[service+":"+operation]++
	var ae smithy.APIError
	if errors.As(err, &ae) {
		c.failures[ae.ErrorCode()]++
	}
}

// Failures returns how many calls failed, after retries, with an AWS error
// code.
func (c *CallCounter) Failures(code string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures[code]
}

// Snapshot returns the counts so far.
func (c *CallCounter) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

// Since returns the calls made after an earlier snapshot.
func (c *CallCounter) Since(before map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range c.Snapshot() {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

// Format renders counts one per line, sorted, for messages.
func Format(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d ", k, counts[k])
	}
	return strings.TrimSpace(b.String())
}

// Kubeconfig returns a kubeconfig for an administrator of the control plane,
// for processes outside this one (the provider binary, kubectl).
func (e *Env) Kubeconfig() ([]byte, error) {
	u, err := e.controlPlane.ControlPlane.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, err
	}
	return u.KubeConfig()
}

// Describe returns a DB instance of the backend in a region, or nil when
// there is none, failing the test on any other error.
func (e *Env) Describe(t testing.TB, region, id string) *rdstypes.DBInstance {
	t.Helper()
	out, err := e.RDSIn(region).DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
	if err != nil {
		var nf *rdstypes.DBInstanceNotFoundFault
		if errors.As(err, &nf) {
			return nil
		}
		t.Fatalf("cannot describe %s in the backend: %v", id, err)
	}
	return &out.DBInstances[0]
}
