// Command provider runs the RDS provider: the controllers of the Instance
// managed resource and of ProviderConfigs, in a cluster or out of it with
// KUBECONFIG.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.uber.org/zap/zapcore"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	xpcontroller "github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"

	"github.com/provider-rds/provider-rds/apis"
	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	providermetrics "github.com/provider-rds/provider-rds/internal/metrics"
)

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
	mgr, err := ctrl.NewManager(ratelimiter.LimitRESTConfig(cfg, s.maxReconcileRate), ctrl.Options{
		Scheme:                        scheme,
		Client:                        controller.ClientOptions(),
		Cache:                         controller.CacheOptions(s.syncInterval),
		LeaderElection:                s.leaderElection,
		LeaderElectionID:              "crossplane-leader-election-provider-rds",
		LeaderElectionNamespace:       s.namespace,
		LeaderElectionReleaseOnCancel: true,
		Metrics:                       metricsserver.Options{BindAddress: s.metricsAddr},
		HealthProbeBindAddress:        s.healthAddr,
		WebhookServer:                 webhook.NewServer(webhook.Options{Host: s.webhookHost, Port: s.webhookPort, CertDir: s.certsDir}),
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
	// Crossplane mounts the webhook's certificate when it installs the
	// package; run out of cluster there is none, and only the stored version
	// (v1beta3) can be read and written.
	serveConversion := fileExists(filepath.Join(s.certsDir, "tls.crt"))
	if serveConversion {
		controller.SetupConversion(mgr)
		if err := mgr.AddReadyzCheck("webhook", mgr.GetWebhookServer().StartedChecker()); err != nil {
			return err
		}
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
		Sessions:                      awsconfig.NewResolver(mgr.GetClient(), awsCalls, s.awsAttemptTimeout),
		Namespace:                     s.namespace,
		ClusterScopedSecretNamespaces: splitList(s.clusterSecretNamespaces),
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
	return mgr.Start(ctrl.SetupSignalHandler())
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
