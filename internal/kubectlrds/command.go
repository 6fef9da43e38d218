// Package kubectlrds is the kubectl plugin `kubectl rds`: plan shows what
// applying manifests would do to RDS, with the controllers' own
// observation and checks; import writes manifests for existing databases.
// Neither changes anything in AWS or in the cluster.
package kubectlrds

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/alecthomas/kingpin/v2"
)

// Main runs the plugin with its arguments and returns its exit code: for
// plan, 0 when nothing would change, 2 when something would, 1 on an error
// or a refusal; for import, 0 or 1.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := kingpin.New("kubectl-rds", "Plan and import Amazon RDS databases managed by provider-rds.")
	app.Terminate(nil)
	app.UsageWriter(stderr)
	app.ErrorWriter(stderr)
	var g globalFlags
	g.register(app)
	plan := app.Command("plan", "Show what applying manifests would do to their databases.")
	var pf planFlags
	pf.register(plan)
	imp := app.Command("import", "Write manifests for existing DB instances.")
	var o importOptions
	o.register(imp)

	cmd, err := app.Parse(stdinFilename(args))
	if err != nil {
		report(stderr, "kubectl rds:", err)
		return 1
	}
	t, err := connect(g.kubeconfig, g.namespace, g.profile != "")
	if err != nil {
		report(stderr, "kubectl rds:", err)
		return 1
	}
	t.profile, t.providerNamespace, t.providerConfig = g.profile, g.providerNamespace, g.providerConfig
	if cmd == plan.FullCommand() {
		if pf.adopting != "" {
			t.adopting = strings.Split(pf.adopting, ",")
		}
		return runPlan(ctx, t, pf.file, pf.output, stdin, stdout, stderr)
	}
	o.namespace, o.providerConfig = g.namespace, cmp.Or(g.providerConfig, "default")
	t.providerConfig = o.providerConfig
	return runImport(ctx, t, o, stdout, stderr)
}

// stdinFilename spells "-f -" as "--filename=-": kingpin reads a lone "-"
// as no value, and kubectl users write it so for standard input.
func stdinFilename(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if (args[i] == "-f" || args[i] == "--filename") && i+1 < len(args) && args[i+1] == "-" {
			out = append(out, "--filename=-")
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// globalFlags are the flags of every command.
type globalFlags struct {
	kubeconfig, namespace, providerNamespace, profile, providerConfig string
}

func (g *globalFlags) register(app *kingpin.Application) {
	app.Flag("kubeconfig", "The kubeconfig to read the cluster through; the default rules of kubectl apply.").StringVar(&g.kubeconfig)
	app.Flag("namespace", "Namespace of namespaced objects that name none (plan), or of the namespaced manifests to write (import).").Short('n').StringVar(&g.namespace)
	app.Flag("provider-namespace", "Namespace of the provider, where it keeps its Secrets.").Default("crossplane-system").StringVar(&g.providerNamespace)
	app.Flag("aws-profile", "Use this AWS profile's credentials instead of the ProviderConfig's (without a cluster, the environment's are used).").StringVar(&g.profile)
	app.Flag("provider-config", "ProviderConfig to read AWS through, in place of the one each object names (plan), or to name in the manifests (import).").StringVar(&g.providerConfig)
}

// planFlags are the flags of plan.
type planFlags struct {
	file, output, adopting string
}

func (f *planFlags) register(plan *kingpin.CmdClause) {
	plan.Flag("filename", "A manifest file, a directory of them, or - for standard input.").Short('f').Required().StringVar(&f.file)
	plan.Flag("output", "text, markdown (a pull-request comment) or json (docs/plan.md).").Short('o').Default(FormatText).EnumVar(&f.output, FormatText, FormatMarkdown, FormatJSON)
	plan.Flag("namespaces-that-may-adopt", "The provider's --namespaces-that-may-adopt, comma-separated.").StringVar(&f.adopting)
}

func (o *importOptions) register(imp *kingpin.CmdClause) {
	imp.Flag("region", "AWS region of the DB instances.").Required().StringVar(&o.region)
	imp.Flag("identifier", "A DB instance identifier; repeat for more. All DB instances of the region without it (and without --tag).").StringsVar(&o.identifiers)
	imp.Flag("tag", "KEY=VALUE a DB instance must be tagged with; repeat for more.").StringMapVar(&o.tags)
	imp.Flag("api-version", "API version of cluster-scoped Instances: rds.aws.upbound.io/v1beta1, v1beta2 or v1beta3 (the stored version, the default).").StringVar(&o.apiVersion)
	imp.Flag("provider-config-kind", "Kind of the ProviderConfig namespaced manifests name: ClusterProviderConfig or ProviderConfig.").Default("ClusterProviderConfig").EnumVar(&o.providerConfigKind, "ClusterProviderConfig", "ProviderConfig")
	imp.Flag("output-dir", "Write one file per manifest here instead of to standard output.").StringVar(&o.outputDir)
	imp.Flag("allow-delete", "Let deleting an object delete its database (the default keeps it: deletionPolicy Orphan, or management policies without Delete).").BoolVar(&o.allowDelete)
	imp.Flag("with-groups", "Also import the DB subnet and parameter groups the DB instances use, referenced from them.").BoolVar(&o.withGroups)
}

func runImport(ctx context.Context, t *target, o importOptions, stdout, stderr io.Writer) int {
	docs, err := importAll(ctx, t, o)
	if err == nil {
		err = writeDocs(docs, o.outputDir, stdout)
	}
	if err != nil {
		report(stderr, "kubectl rds import:", err)
		return 1
	}
	return 0
}

func runPlan(ctx context.Context, t *target, file, output string, stdin io.Reader, stdout, stderr io.Writer) int {
	ms, err := readManifests(file, stdin, t.namespace)
	if err != nil {
		report(stderr, "kubectl rds plan:", err)
		return 1
	}
	p := planAll(ctx, t, ms, clock())
	if err := render(stdout, p, output, isTerminal(stdout)); err != nil {
		report(stderr, "kubectl rds plan:", err)
		return 1
	}
	return p.ExitCode()
}

// isTerminal reports whether w is a terminal, where text gets colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// report writes an error line; a failure to write it leaves nothing else
// to tell.
func report(w io.Writer, a ...any) {
	_, _ = fmt.Fprintln(w, a...)
}
