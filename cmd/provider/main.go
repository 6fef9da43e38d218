// Command provider runs the RDS provider: the controllers of the Instance
// managed resource and of ProviderConfigs, in a cluster or out of it with
// KUBECONFIG.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap/zapcore"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	xpcontroller "github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"

	"github.com/provider-rds/provider-rds/apis"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	providermetrics "github.com/provider-rds/provider-rds/internal/metrics"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "provider-rds:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		debug            = flag.Bool("debug", false, "Log verbosely.")
		pollInterval     = flag.Duration("poll", time.Minute, "How often each resource is checked for drift.")
		syncInterval     = flag.Duration("sync", time.Hour, "How often all resources are reconciled even without changes.")
		maxReconcileRate = flag.Int("max-reconcile-rate", 10, "Reconciles per second, and concurrent reconciles, at most.")
		leaderElection   = flag.Bool("leader-election", false, "Elect a leader so that only one replica reconciles.")
		managementPolicy = flag.Bool("enable-management-policies", true, "Honour spec.managementPolicies.")
		metricsAddr      = flag.String("metrics-bind-address", ":8080", "Address of the Prometheus metrics endpoint; 0 turns it off.")
		healthAddr       = flag.String("health-probe-bind-address", ":8081", "Address of the health and readiness probes; 0 turns them off.")
		namespace        = flag.String("namespace", envOr("POD_NAMESPACE", "crossplane-system"), "Namespace of the provider, where it keeps generated master passwords.")
	)
	flag.Parse()

	zl := zap.New(zap.UseDevMode(*debug), zap.Level(levelFor(*debug)))
	ctrl.SetLogger(zl)
	log := logging.NewLogrLogger(zl.WithName("provider-rds"))

	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return err
	}
	if err := apis.AddToScheme(scheme); err != nil {
		return err
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("cannot get Kubernetes client configuration: %w", err)
	}
	mgr, err := ctrl.NewManager(ratelimiter.LimitRESTConfig(cfg, *maxReconcileRate), ctrl.Options{
		Scheme:                        scheme,
		Cache:                         cache.Options{SyncPeriod: syncInterval},
		LeaderElection:                *leaderElection,
		LeaderElectionID:              "crossplane-leader-election-provider-rds",
		LeaderElectionNamespace:       *namespace,
		LeaderElectionReleaseOnCancel: true,
		Metrics:                       metricsserver.Options{BindAddress: *metricsAddr},
		HealthProbeBindAddress:        *healthAddr,
	})
	if err != nil {
		return fmt.Errorf("cannot create controller manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}

	mrMetrics, mrState, awsCalls := managed.NewMRMetricRecorder(), statemetrics.NewMRStateMetrics(), providermetrics.NewAWSCalls()
	metrics.Registry.MustRegister(mrMetrics, mrState, awsCalls)

	features := &feature.Flags{}
	if *managementPolicy {
		features.Enable(feature.EnableBetaManagementPolicies)
	}
	o := instance.Options{
		Options: xpcontroller.Options{
			Logger:                  log,
			GlobalRateLimiter:       ratelimiter.NewGlobal(*maxReconcileRate),
			PollInterval:            *pollInterval,
			MaxConcurrentReconciles: *maxReconcileRate,
			Features:                features,
			MetricOptions:           &xpcontroller.MetricOptions{MRMetrics: mrMetrics, MRStateMetrics: mrState, PollStateMetricInterval: time.Minute},
		},
		Sessions:  awsconfig.NewResolver(mgr.GetClient(), awsCalls),
		Namespace: *namespace,
	}
	if err := controller.Setup(mgr, o); err != nil {
		return fmt.Errorf("cannot set up controllers: %w", err)
	}
	log.Info("Starting provider-rds", "poll", pollInterval.String(), "namespace", *namespace)
	return mgr.Start(ctrl.SetupSignalHandler())
}

func levelFor(debug bool) zapcore.Level {
	if debug {
		return zapcore.DebugLevel
	}
	return zapcore.InfoLevel
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
