// Command provider runs the RDS provider: the controllers of the Instance
// managed resource and of ProviderConfigs, in a cluster or out of it with
// KUBECONFIG.
package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.uber.org/zap/zapcore"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	changelogv1alpha1 "github.com/crossplane/crossplane-runtime/v2/apis/changelogs/proto/v1alpha1"
	xpcontroller "github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"

	"github.com/provider-rds/provider-rds/apis"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/changelogs"
	"github.com/provider-rds/provider-rds/internal/controller"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	providermetrics "github.com/provider-rds/provider-rds/internal/metrics"
)

// version is the provider's release, set at build time (make build).
var version = "dev"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "provider-rds:", err)
		os.Exit(1)
	}
}

func run() error {
	s, err := parseFlags(os.Args[1:])
	if err != nil {
		return err
	}

	zl := zap.New(zap.UseDevMode(s.debug), zap.Level(levelFor(s.debug)))
	ctrl.SetLogger(zl)
	log := logging.NewLogrLogger(zl.WithName("provider-rds"))
	if limit := setMemoryLimit(cgroupMemoryLimits); limit > 0 {
		log.Info("Go soft memory limit set from the container's memory limit", "bytes", limit)
	}

	mgr, serveConversion, err := newManager(s)
	if err != nil {
		return err
	}

	mrMetrics, mrState, awsCalls := managed.NewMRMetricRecorder(), statemetrics.NewMRStateMetrics(), providermetrics.NewAWSCalls()
	metrics.Registry.MustRegister(mrMetrics, mrState, awsCalls)

	features := &feature.Flags{}
	if s.managementPolicy {
		features.Enable(feature.EnableBetaManagementPolicies)
	}
	o := managedkit.Options{
		Options: xpcontroller.Options{
			Logger:                  log,
			GlobalRateLimiter:       ratelimiter.NewGlobal(s.maxReconcileRate),
			PollInterval:            s.pollInterval,
			MaxConcurrentReconciles: s.maxReconcileRate,
			Features:                features,
			MetricOptions:           &xpcontroller.MetricOptions{MRMetrics: mrMetrics, MRStateMetrics: mrState, PollStateMetricInterval: s.pollStateMetric},
		},
		Sessions:                      awsconfig.NewResolver(mgr.GetClient(), awsCalls, s.awsAttemptTimeout).WithProviderIdentityNamespaces(splitList(s.identityNamespaces), splitList(s.identityEndpoints)),
		Namespace:                     s.namespace,
		ClusterScopedSecretNamespaces: splitList(s.clusterSecretNamespaces),
		NamespacesThatMayAdopt:        splitList(s.adoptingNamespaces),
	}
	if s.changeLogs {
		q, err := changeLogQueue(s.changeLogsSocket, log)
		if err != nil {
			return err
		}
		if err := mgr.Add(q); err != nil {
			return err
		}
		o.ChangeLogOptions = &xpcontroller.ChangeLogOptions{ChangeLogger: q}
		log.Info("Change logs are on: an entry for every create, update and delete goes to the change-log sidecar", "socket", s.changeLogsSocket)
	}
	ctx := ctrl.SetupSignalHandler()
	if err := setupSafeStart(ctx, mgr, &o, log); err != nil {
		return err
	}
	if err := controller.Setup(mgr, o); err != nil {
		return fmt.Errorf("cannot set up controllers: %w", err)
	}
	for _, f := range s.ignored {
		log.Info("Ignoring a flag of the reference provider", "flag", f)
	}
	if !serveConversion {
		log.Info("No TLS certificate in the certificates directory: the API version conversion webhook is not served, so only v1beta3 Instances can be read and written", "certs-dir", s.certsDir)
	}
	log.Info("Starting provider-rds", "poll", s.pollInterval.String(), "namespace", s.namespace)
	return mgr.Start(ctx)
}

// newManager returns the controller manager of the provider's settings,
// with its probes and, where Crossplane mounted a certificate, the
// conversion webhook, which it reports serving.
func newManager(s settings) (ctrl.Manager, bool, error) {
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, false, err
	}
	if err := apis.AddToScheme(scheme); err != nil {
		return nil, false, err
	}
	if err := apiextensionsv1.AddToScheme(scheme); err != nil {
		return nil, false, err
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return nil, false, fmt.Errorf("cannot get Kubernetes client configuration: %w", err)
	}
	mgr, err := ctrl.NewManager(ratelimiter.LimitRESTConfig(cfg, s.maxReconcileRate), ctrl.Options{
		Scheme:                        scheme,
		Client:                        controller.ClientOptions(),
		NewClient:                     controller.NewClient,
		Cache:                         controller.CacheOptions(s.syncInterval),
		LeaderElection:                s.leaderElection,
		LeaderElectionID:              "crossplane-leader-election-provider-rds",
		LeaderElectionNamespace:       s.namespace,
		LeaderElectionReleaseOnCancel: true,
		Metrics:                       metricsserver.Options{BindAddress: s.metricsAddr},
		HealthProbeBindAddress:        s.healthAddr,
		PprofBindAddress:              s.pprofAddr,
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: s.webhookHost, Port: s.webhookPort, CertDir: s.certsDir,
			TLSOpts: []func(*tls.Config){controller.WebhookTLS(s.webhookHTTP2)},
		}),
	})
	if err != nil {
		return nil, false, fmt.Errorf("cannot create controller manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return nil, false, err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return nil, false, err
	}
	// Crossplane mounts the webhook's certificate when it installs the
	// package; run out of cluster there is none, and only the stored version
	// (v1beta3) can be read and written.
	serveConversion := fileExists(filepath.Join(s.certsDir, "tls.crt"))
	if serveConversion {
		controller.SetupConversion(mgr)
		if err := mgr.AddReadyzCheck("webhook", mgr.GetWebhookServer().StartedChecker()); err != nil {
			return nil, false, err
		}
	}

	return mgr, serveConversion, nil
}

// changeLogQueue returns the queue that sends change-log entries to the
// sidecar on socket, and registers its metric.
func changeLogQueue(socket string, log logging.Logger) (*changelogs.Queue, error) {
	conn, err := changelogs.Dial(socket)
	if err != nil {
		return nil, err
	}
	dropped := changelogs.NewDroppedCounter()
	metrics.Registry.MustRegister(dropped)
	send := managed.NewGRPCChangeLogger(changelogv1alpha1.NewChangeLogServiceClient(conn),
		managed.WithProviderVersion("provider-rds:"+version), managed.WithSendTimeout(changelogs.DefaultSendTimeout))
	return changelogs.NewQueue(changelogs.Options{Send: send, Logger: log, Dropped: dropped}), nil
}

// setupSafeStart gates every controller on its CRDs when the provider may
// watch CRDs, which Crossplane grants to a package that declares the
// safe-start capability, and says which way it went.
func setupSafeStart(ctx context.Context, mgr ctrl.Manager, o *managedkit.Options, log logging.Logger) error {
	may, why := controller.MayWatchCRDs(ctx, mgr.GetClient())
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !may {
		dc, err := discovery.NewDiscoveryClientForConfig(mgr.GetConfig())
		if err != nil {
			return err
		}
		missing, err := controller.SetupServedKinds(mgr, o, dc)
		if err != nil {
			return err
		}
		log.Info("Safe-start is off: the provider may not watch CustomResourceDefinitions, so the controllers of every kind the API server serves start now; kinds installed later start when the provider restarts", "notServed", missing, "error", why)
		return nil
	}
	log.Info("Safe-start is on: each kind's controllers start once its CustomResourceDefinition is established")
	return controller.SetupSafeStart(mgr, o)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func levelFor(debug bool) zapcore.Level {
	if debug {
		return zapcore.DebugLevel
	}
	return zapcore.InfoLevel
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
