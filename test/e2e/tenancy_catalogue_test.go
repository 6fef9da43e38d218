package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/test/harness"
)

// The namespaces of the catalogue: a victim team, an attacker team with
// rights only in its own namespace, a namespace the platform granted the
// provider's identity (main_test: IdentityNamespaces), and the attacker's
// collector, a server of its own on loopback that counts what reaches it.
const (
	victimNS   = "victim"
	attackerNS = "attacker"
	grantedNS  = "tenant-granted"
)

// attempt is one thing a tenant tries: the objects it creates, the words
// the refusal must carry on their Synced condition, and whether it is a
// credentials attempt (then nothing at all may reach STS or RDS for it).
type attempt struct {
	name        string
	objects     func(collector string) []managed
	refused     string
	credentials bool
}

// tenantConfig is a namespaced ProviderConfig of the tenant's choosing,
// pointed at the collector unless it says otherwise.
func tenantConfig(ns, name, collector string, creds awsv1beta1.ProviderCredentials, mods ...func(*awsmv1beta1.ProviderConfig)) *awsmv1beta1.ProviderConfig {
	pc := &awsmv1beta1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	pc.Spec = env.EmulatorProviderConfig(name).Spec
	pc.Spec.Credentials = creds
	pc.Spec.SkipCredsValidation = false
	pc.Spec.Endpoint.URL.Static = aws.String(collector)
	for _, m := range mods {
		m(pc)
	}
	return pc
}

// configured is an attempt made through a ProviderConfig: the config and
// an Instance that uses it (whose Synced condition carries the refusal).
func configured(pc *awsmv1beta1.ProviderConfig) []managed {
	in := newNamespacedInstance(pc.Namespace, "uses-"+pc.Name, awsmv1beta1.ProviderConfigKind, pc.Name)
	return []managed{pc, in}
}

// isConfig reports whether an attempt's object is its ProviderConfig.
func isConfig(o managed) bool {
	_, ok := o.(*awsmv1beta1.ProviderConfig)
	return ok
}

// A tenant of one namespace tries, one way after another, to act with the
// provider's identity, to send the provider's credentials to a server of
// its own, or to take, change or delete another namespace's (or the
// platform's, or nobody's) database or group. Each attempt is refused on
// the tenant's object with its reason, and neither AWS nor the tenant's
// collector sees anything for it.
func TestMaliciousTenantCatalogue(t *testing.T) {
	var hits atomic.Int64
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer collector.Close()

	teamNamespace(t, victimNS)
	teamNamespace(t, attackerNS)
	ensureNamespace(t, grantedNS)

	// What the attacker is after.
	victimDB := newNamespacedInstance(victimNS, "victim-db", awsmv1beta1.ProviderConfigKind, victimNS)
	createManaged(t, victimDB)
	victimParams := &nsv1beta1.ParameterGroup{ObjectMeta: metav1.ObjectMeta{Namespace: victimNS, Name: "victim-params"}}
	victimParams.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: awsmv1beta1.ProviderConfigKind, Name: victimNS}
	victimParams.Spec.ForProvider.Region, victimParams.Spec.ForProvider.Family = aws.String(harness.Region), aws.String("postgres16")
	createManaged(t, victimParams)
	platformDB := newInstance("platform-db", providerConfigName)
	createInstance(t, platformDB)
	createOutOfBand(t, "nobodys-db", "postgres", "db.t3.micro", "admin")
	t.Cleanup(func() {
		for _, id := range []string{"nobodys-db", "orphaned-db"} {
			_, _ = env.RDS().DeleteDBInstance(context.Background(), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id), SkipFinalSnapshot: aws.Bool(true)})
		}
	})
	// The victim's database whose object was deleted with the database
	// kept (no Delete management policy): its tags still say whose it is.
	orphaned := newNamespacedInstance(victimNS, "orphaned-db", awsmv1beta1.ProviderConfigKind, victimNS)
	orphaned.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve, xpv2.ManagementActionCreate, xpv2.ManagementActionUpdate, xpv2.ManagementActionLateInitialize}
	if err := env.Kube.Create(t.Context(), orphaned); err != nil {
		t.Fatal(err)
	}
	// A database the attacker made first under a name the victim will use.
	squatter := newNamespacedInstance(attackerNS, "squatted-db", awsmv1beta1.ProviderConfigKind, attackerNS)
	createManaged(t, squatter)
	for _, o := range []managed{victimDB, victimParams, orphaned, squatter} {
		waitGroupReady(t, o)
	}
	waitReadySynced(t, "platform-db")
	deleteManagedAndWaitGone(t, orphaned)

	attackerInstance := func(name string, mods ...func(*nsv1beta1.Instance)) func(string) []managed {
		return func(string) []managed {
			in := newNamespacedInstance(attackerNS, name, awsmv1beta1.ProviderConfigKind, attackerNS)
			for _, m := range mods {
				m(in)
			}
			return []managed{in}
		}
	}
	named := func(id string) func(*nsv1beta1.Instance) {
		return func(in *nsv1beta1.Instance) { meta.SetExternalName(in, id) }
	}
	tokenFile := func(path string) awsv1beta1.ProviderCredentials {
		return awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceWebIdentity, WebIdentity: &awsv1beta1.WebIdentityConfig{
			RoleARN: aws.String("arn:aws:iam::123456789012:role/victim-admin"),
			TokenConfig: &awsv1beta1.WebIdentityTokenConfig{Source: xpv2.CredentialsSourceFilesystem,
				CommonCredentialSelectors: xpv2.CommonCredentialSelectors{Fs: &xpv2.FsSelector{Path: path}}}}}
	}
	const providerIdentity = "act with the provider's own AWS identity"
	attempts := []attempt{
		{name: "default credential chain", credentials: true, refused: providerIdentity + ", which a namespaced ProviderConfig may use only in the namespaces the platform names",
			objects: func(c string) []managed {
				return configured(tenantConfig(attackerNS, "chain", c, awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceNone}))
			}},
		{name: "IRSA", credentials: true, refused: "credentials of source IRSA (the provider's service account role) " + providerIdentity,
			objects: func(c string) []managed {
				return configured(tenantConfig(attackerNS, "irsa", c, awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceIRSA}))
			}},
		{name: "Pod Identity", credentials: true, refused: "credentials of source PodIdentity (the provider's pod identity) " + providerIdentity,
			objects: func(c string) []managed {
				return configured(tenantConfig(attackerNS, "pod-identity", c, awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourcePodIdentity}))
			}},
		{name: "the provider's service account token", credentials: true, refused: "WebIdentity with a token file (a file of the provider's) " + providerIdentity,
			objects: func(c string) []managed {
				return configured(tenantConfig(attackerNS, "sa-token", c, tokenFile("/var/run/secrets/kubernetes.io/serviceaccount/token")))
			}},
		{name: "another file of the provider's as a token", credentials: true, refused: "WebIdentity with a token file (a file of the provider's) " + providerIdentity,
			objects: func(c string) []managed {
				return configured(tenantConfig(attackerNS, "any-file", c, tokenFile("/etc/hostname")))
			}},
		{name: "the provider's identity, even in a granted namespace, sent to the tenant's endpoint", credentials: true,
			refused: "is not one the platform lists in the provider's --provider-identity-endpoints",
			objects: func(c string) []managed {
				return configured(tenantConfig(grantedNS, "granted-collector", c, awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceNone}))
			}},
		{name: "a granted namespace posing as another in its session tag", credentials: true,
			refused: `sets the session tag "crossplane-namespace"`,
			objects: func(c string) []managed {
				return configured(tenantConfig(grantedNS, "forged-session-tag", c, awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceNone}, func(pc *awsmv1beta1.ProviderConfig) {
					pc.Spec.Endpoint.URL.Static = aws.String(env.Backend.Endpoint)
					pc.Spec.AssumeRoleChain = []awsv1beta1.AssumeRoleOptions{{RoleARN: aws.String("arn:aws:iam::123456789012:role/victim-admin"),
						Tags: []awsv1beta1.Tag{{Key: aws.String("crossplane-namespace"), Value: aws.String(victimNS)}}}}
				}))
			}},
		{name: "the victim's credentials Secret", credentials: true,
			refused: "credentials Secret " + attackerNS + "/victim-aws-keys not found",
			objects: func(c string) []managed {
				return configured(tenantConfig(attackerNS, "victim-keys", c, awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceSecret,
					CommonCredentialSelectors: xpv2.CommonCredentialSelectors{SecretRef: &xpv2.SecretKeySelector{
						SecretReference: xpv2.SecretReference{Namespace: victimNS, Name: "victim-aws-keys"}, Key: "credentials"}}}))
			}},
		{name: "the victim's ProviderConfig", credentials: true, refused: `ProviderConfig.aws.m.upbound.io "` + victimNS + `" not found`,
			objects: attackerInstance("borrowed-config", func(in *nsv1beta1.Instance) {
				in.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: awsmv1beta1.ProviderConfigKind, Name: victimNS}
			})},
		{name: "a database of the same name as the victim's", refused: `DB instance "victim-db" belongs to instance.rds.aws.m.upbound.io victim/victim-db`,
			objects: attackerInstance("victim-db")},
		{name: "the victim's database by external name", refused: `DB instance "victim-db" belongs to instance.rds.aws.m.upbound.io victim/victim-db`,
			objects: attackerInstance("hijack-db", named("victim-db"))},
		{name: "the platform's database by external name", refused: `DB instance "platform-db" belongs to instance.rds.aws.upbound.io platform-db`,
			objects: attackerInstance("platform-hijack", named("platform-db"))},
		{name: "a database no Crossplane object owns", refused: `namespace "attacker" may not adopt such resources`,
			objects: attackerInstance("nobodys-db")},
		{name: "the victim's database after its object was deleted, by re-creating the name", refused: `DB instance "orphaned-db" belongs to instance.rds.aws.m.upbound.io victim/orphaned-db`,
			objects: attackerInstance("orphaned-db")},
		{name: "the victim's ownership tags on a new database", refused: "only the provider sets them",
			objects: attackerInstance("forged-tags-db", func(in *nsv1beta1.Instance) {
				in.Spec.ForProvider.Tags = map[string]*string{"crossplane-namespace": aws.String(victimNS), "crossplane-name": aws.String("victim-next")}
			})},
		{name: "the victim's parameter group by name", refused: `DB parameter group "victim-params" belongs to parametergroup.rds.aws.m.upbound.io victim/victim-params`,
			objects: func(string) []managed {
				pg := &nsv1beta1.ParameterGroup{ObjectMeta: metav1.ObjectMeta{Namespace: attackerNS, Name: "victim-params"}}
				pg.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: awsmv1beta1.ProviderConfigKind, Name: attackerNS}
				pg.Spec.ForProvider.Region, pg.Spec.ForProvider.Family = aws.String(harness.Region), aws.String("postgres16")
				pg.Spec.ForProvider.Parameter = []groupsv1beta1.Parameter{{Name: aws.String("log_connections"), Value: aws.String("1")}}
				return []managed{pg}
			}},
		{name: "the attacker's database under a name the victim then uses (the other direction)", refused: `DB instance "squatted-db" belongs to instance.rds.aws.m.upbound.io attacker/squatted-db`,
			objects: func(string) []managed {
				return []managed{newNamespacedInstance(victimNS, "squatted-db", awsmv1beta1.ProviderConfigKind, victimNS)}
			}},
	}
	if len(attempts) < 15 {
		t.Fatalf("the catalogue has %d attempts; it must keep at least 15", len(attempts))
	}
	for _, a := range attempts {
		t.Run(a.name, func(t *testing.T) {
			before, hitsBefore := env.Calls.Snapshot(), hits.Load()
			objects := a.objects(collector.URL)
			for _, o := range objects {
				if err := env.Kube.Create(t.Context(), o); err != nil {
					t.Fatalf("cannot create %s/%s: %v", o.GetNamespace(), o.GetName(), err)
				}
			}
			for _, o := range objects {
				if !isConfig(o) {
					waitGroup(t, o, xpv2.TypeSynced, corev1.ConditionFalse, a.refused)
				}
			}
			time.Sleep(pollInterval)
			for _, o := range objects {
				if !isConfig(o) {
					deleteManagedAndWaitGone(t, o)
				}
			}
			// The ProviderConfigs go without waiting: their usages are
			// collected by a garbage collector the test control plane
			// does not run.
			for _, o := range objects {
				if isConfig(o) {
					if err := env.Kube.Delete(t.Context(), o); err != nil {
						t.Error(err)
					}
				}
			}
			for op, n := range env.Calls.Since(before) {
				_, name, _ := strings.Cut(strings.TrimSuffix(op, "!"), ":")
				if n > 0 && (harness.Mutating(name) || (a.credentials && strings.HasPrefix(op, "sts:"))) {
					t.Errorf("%s reached AWS %d times for this attempt", op, n)
				}
			}
			if n := hits.Load() - hitsBefore; n != 0 {
				t.Errorf("the tenant's collector received %d requests", n)
			}
		})
	}

	// Everything the attacker was after is as it was.
	for _, id := range []string{"victim-db", "platform-db", "nobodys-db", "orphaned-db", "squatted-db"} {
		if describe(t, id) == nil {
			t.Errorf("DB instance %s is gone", id)
		}
	}
	waitGroupReady(t, victimDB)
	waitGroupReady(t, victimParams)
	waitGroupReady(t, squatter)
}
