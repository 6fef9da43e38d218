package main

import (
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/provider-rds/provider-rds/internal/awsconfig"
)

// settings are the provider's command-line settings.
type settings struct {
	clusterSecretNamespaces string
	identityNamespaces      string
	pprofAddr               string
	identityEndpoints       string
	adoptingNamespaces      string
	debug                   bool
	syncInterval            time.Duration
	pollInterval            time.Duration
	pollStateMetric         time.Duration
	maxReconcileRate        int
	awsAttemptTimeout       time.Duration
	leaderElection          bool
	managementPolicy        bool
	metricsAddr             string
	healthAddr              string
	namespace               string
	webhookHost             string
	webhookPort             int
	webhookHTTP2            bool
	certsDir                string
	changeLogs              bool
	changeLogsSocket        string

	// ignored names the flags that were set and have no effect here, to
	// be logged once at start.
	ignored []string
}

// parseFlags parses the command line. It accepts every flag, short form and
// environment variable of the reference provider's binary
// (provider-upjet-aws), with the same meaning where one applies, so that a
// DeploymentRuntimeConfig written for it starts this provider unchanged.
// Flags that only make sense for Terraform or for features this provider
// does not have are accepted and reported as ignored.
//
// One default differs from the reference provider: --poll is 1m (not 10m),
// because observing a fleet costs one DescribeDBInstances per 100
// databases instead of a Terraform refresh of each. --max-reconcile-rate
// is 100: reconciles no longer cost AWS calls of their own (observations
// are batched, and every call waits for the account's RDS request budget),
// so the rate bounds only the provider's load on the API server.
func parseFlags(args []string) (settings, error) {
	var s settings
	// DefaultEnvars: as in the reference provider's binary (also named
	// provider in its image), every flag without an environment variable
	// of its own can be set with PROVIDER_<FLAG>, such as PROVIDER_POLL.
	app := kingpin.New("provider", "A Crossplane provider for Amazon RDS.").DefaultEnvars()
	app.HelpFlag.Short('h')
	app.Flag("debug", "Log verbosely, in a human-readable format.").Short('d').BoolVar(&s.debug)
	app.Flag("sync", "How often every resource is reconciled, changed or not.").Short('s').Default("1h").DurationVar(&s.syncInterval)
	app.Flag("poll", "How often each resource is checked for drift.").Default("1m").DurationVar(&s.pollInterval)
	app.Flag("poll-state-metric", "How often the managed-resource state metrics are recorded.").Default("1m").DurationVar(&s.pollStateMetric)
	app.Flag("max-reconcile-rate", "Reconciles per second, and concurrent reconciles, at most.").Default("100").IntVar(&s.maxReconcileRate)
	app.Flag("aws-attempt-timeout", "How long one attempt of an AWS API call may take, response included, before it is abandoned and retried.").Default(awsconfig.DefaultAttemptTimeout.String()).DurationVar(&s.awsAttemptTimeout)
	app.Flag("leader-election", "Elect a leader so that only one replica reconciles.").Short('l').Envar("LEADER_ELECTION").BoolVar(&s.leaderElection)
	app.Flag("enable-management-policies", "Honour spec.managementPolicies.").Default("true").Envar("ENABLE_MANAGEMENT_POLICIES").BoolVar(&s.managementPolicy)
	app.Flag("metrics-bind-address", "Address of the Prometheus metrics endpoint; 0 turns it off.").Default(":8080").Envar("METRICS_BIND_ADDRESS").StringVar(&s.metricsAddr)
	app.Flag("pprof-bind-address", "Address of Go's pprof endpoints (/debug/pprof/), for profiling; 0, the default, turns them off. Bind it to loopback: profiles show the process's memory.").Default("0").Envar("PPROF_BIND_ADDRESS").StringVar(&s.pprofAddr)
	app.Flag("health-probe-bind-address", "Address of the health and readiness probes; 0 turns them off.").Default(":8081").Envar("HEALTH_PROBE_BIND_ADDRESS").StringVar(&s.healthAddr)
	var healthAlias string
	app.Flag("health-probe-bind-addr", "The reference provider's name of --health-probe-bind-address.").Hidden().StringVar(&healthAlias)
	app.Flag("namespace", "Namespace of the provider, where it keeps generated master passwords.").Default("crossplane-system").Envar("POD_NAMESPACE").StringVar(&s.namespace)
	app.Flag("cluster-scoped-secret-namespaces", "Namespaces in which cluster-scoped managed resources may read and write Secrets (password, connection details), comma-separated; empty for any namespace, as the reference provider allows. Namespaced managed resources always use their own namespace.").Envar("CLUSTER_SCOPED_SECRET_NAMESPACES").StringVar(&s.clusterSecretNamespaces)
	app.Flag("namespaces-with-provider-identity", "Namespaces whose namespaced ProviderConfigs may act with the provider's own AWS identity (credentials source None, IRSA, PodIdentity, or WebIdentity with a token file), comma-separated; empty for none. ClusterProviderConfigs always may.").Envar("NAMESPACES_WITH_PROVIDER_IDENTITY").StringVar(&s.identityNamespaces)
	app.Flag("provider-identity-endpoints", "Endpoint URLs (scheme://host[:port]) that a namespaced ProviderConfig acting with the provider's own identity may override endpoints with, comma-separated; empty for none, so that such a ProviderConfig sends the provider's credentials to AWS's own endpoints only.").Envar("PROVIDER_IDENTITY_ENDPOINTS").StringVar(&s.identityEndpoints)
	app.Flag("namespaces-that-may-adopt", "Namespaces whose namespaced managed resources may adopt an AWS resource that no Crossplane object owns (one without a crossplane-kind tag), comma-separated; empty for none. Cluster-scoped managed resources always may.").Envar("NAMESPACES_THAT_MAY_ADOPT").StringVar(&s.adoptingNamespaces)
	app.Flag("webhook-port", "Port of the API version conversion webhook.").Default("9443").Envar("WEBHOOK_PORT").IntVar(&s.webhookPort)
	app.Flag("webhook-host", "Address the conversion webhook listens on; empty for every interface.").StringVar(&s.webhookHost)
	app.Flag("webhook-enable-http2", "Let the conversion webhook speak HTTP/2; off by default (CVE-2023-44487).").BoolVar(&s.webhookHTTP2)
	app.Flag("certs-dir", "Directory with the conversion webhook's TLS certificate and key (tls.crt, tls.key), which Crossplane mounts; without them no webhook is served.").Default("/tls/server").Envar("TLS_SERVER_CERTS_DIR").StringVar(&s.certsDir)

	app.Flag("enable-changelogs", "Send a change-log entry for every create, update and delete to the change-log sidecar.").Default("false").Envar("ENABLE_CHANGE_LOGS").BoolVar(&s.changeLogs)
	app.Flag("changelogs-socket-path", "Unix socket of the change-log sidecar.").Default("/var/run/changelogs/changelogs.sock").Envar("CHANGELOGS_SOCKET_PATH").StringVar(&s.changeLogsSocket)

	ignore := func(name, why, envar string) *kingpin.FlagClause {
		f := app.Flag(name, "Accepted for compatibility; ignored: "+why+".").Hidden()
		if envar != "" {
			f = f.Envar(envar)
		}
		return f
	}
	type ignoredFlag struct {
		name, why, envar string
		bool             bool
	}
	const noTerraform = "this provider runs no Terraform"
	ignoredFlags := []ignoredFlag{
		{name: "terraform-version", why: noTerraform, envar: "TERRAFORM_VERSION"},
		{name: "terraform-provider-source", why: noTerraform, envar: "TERRAFORM_PROVIDER_SOURCE"},
		{name: "terraform-provider-version", why: noTerraform, envar: "TERRAFORM_PROVIDER_VERSION"},
		{name: "terraform-native-provider-path", why: noTerraform, envar: "TERRAFORM_NATIVE_PROVIDER_PATH"},
		{name: "provider-ttl", why: noTerraform},
		{name: "enable-external-secret-stores", why: "External Secret Stores are gone from Crossplane v2", envar: "ENABLE_EXTERNAL_SECRET_STORES", bool: true},
		{name: "ess-tls-cert-dir", why: "External Secret Stores are gone from Crossplane v2", envar: "ESS_TLS_CERTS_DIR"},
	}
	// A flag counts as set when it has a value, from the command line or
	// its environment variable.
	set := make([]func() bool, len(ignoredFlags))
	for i, f := range ignoredFlags {
		c := ignore(f.name, f.why, f.envar)
		if f.bool {
			v := c.Bool()
			set[i] = func() bool { return *v }
		} else {
			v := c.String()
			set[i] = func() bool { return *v != "" }
		}
	}

	if _, err := app.Parse(args); err != nil {
		return settings{}, err
	}
	if healthAlias != "" {
		s.healthAddr = healthAlias
	}
	for i, f := range ignoredFlags {
		if set[i]() {
			s.ignored = append(s.ignored, "--"+f.name+" ("+f.why+")")
		}
	}
	return s, nil
}
