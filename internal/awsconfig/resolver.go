// Package awsconfig turns a ProviderConfig into configured AWS SDK clients:
// credentials, role chains, endpoint overrides, region and credential checks
// and retries, cached per ProviderConfig so that steady-state reconciles do
// no credential work and make no STS calls.
package awsconfig

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/singleflight"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

const (
	errGetProviderConfig   = "cannot get ProviderConfig"
	errNoRegion            = "region is required"
	errLoadConfig          = "cannot load AWS SDK configuration"
	errValidateCredentials = "cannot validate AWS credentials with STS GetCallerIdentity"
	errNoSecretRef         = "credentials.secretRef is required when credentials.source is Secret"
	errNoStaticURL         = "endpoint.url.static is required when endpoint.url.type is Static"
	errNoDynamicHost       = "endpoint.url.dynamic.host is required when endpoint.url.type is Dynamic"

	// maxAttempts of each AWS call. AWS throttles and emulators answer 500
	// under load; the SDK's standard retryer backs off and retries both.
	maxAttempts = 5
	// maxBackoff between attempts of one call.
	maxBackoff = 20 * time.Second
)

// DefaultAttemptTimeout is how long one attempt of an AWS call may take,
// response included, before it is abandoned and retried. RDS answers in
// well under a second; without a bound, a connection that stops answering
// would hold a reconcile (or a fleet's batched observation) until its own
// deadline, minutes later.
const DefaultAttemptTimeout = 30 * time.Second

// Service IDs as users write them in endpoint.services.
const (
	ServiceRDS = "rds"
	ServiceSTS = "sts"
	ServiceKMS = "kms"
)

// A Session holds what AWS API clients need: a configuration with
// credentials, and the endpoint overrides of the ProviderConfig.
type Session struct {
	Config aws.Config

	// AccountID of the validated credentials; empty when validation or the
	// account lookup is skipped.
	AccountID string

	// ID names the Session: its credentials (the ProviderConfig version
	// and the Secrets read) and region. Sessions with one ID see the same
	// DB instances.
	ID string

	endpoints map[string]string // service ID -> URL
	signing   signingOverride   // applies where an endpoint is overridden
	budget    *budget           // RDS's request budget of the account and region
	readOnly  bool              // RDS calls that write are refused (ReadOnly)
}

// signingOverride replaces the SigV4 signing name and region the SDK derives
// from the service and region, for endpoints that expect others.
type signingOverride struct {
	name, region string
}

// withSigning applies a signing override to a client's options through the
// client's own option functions (each service package has its pair).
func withSigning[O any](s signingOverride, o *O, name, region func(string) func(*O)) {
	if s.name != "" {
		name(s.name)(o)
	}
	if s.region != "" {
		region(s.region)(o)
	}
}

// endpointFor returns the endpoint override for a service, if any.
func (s Session) endpointFor(service string) *string {
	if u, ok := s.endpoints[service]; ok {
		return aws.String(u)
	}
	return nil
}

// RDS returns an RDS API client.
func (s Session) RDS() *rds.Client {
	return rds.NewFromConfig(s.Config, s.rdsOptions)
}

// rdsOptions are the Session's endpoint, signing and pacing of RDS calls.
func (s Session) rdsOptions(o *rds.Options) {
	if o.BaseEndpoint = s.endpointFor(ServiceRDS); o.BaseEndpoint != nil {
		withSigning(s.signing, o, rds.WithSigV4SigningName, rds.WithSigV4SigningRegion)
	}
	if s.budget != nil {
		o.APIOptions = append(o.APIOptions, s.budget.paced)
	}
	if s.readOnly {
		o.APIOptions = append(o.APIOptions, refuseWrites)
	}
}

// KMS returns a KMS API client, for the key aliases a spec names.
func (s Session) KMS() *kms.Client {
	return kms.NewFromConfig(s.Config, func(o *kms.Options) {
		if o.BaseEndpoint = s.endpointFor(ServiceKMS); o.BaseEndpoint != nil {
			withSigning(s.signing, o, kms.WithSigV4SigningName, kms.WithSigV4SigningRegion)
		}
	})
}

// STS returns an STS API client.
func (s Session) STS() *sts.Client { return s.stsWith(nil) }

// stsWith returns an STS API client that signs with creds, or with the
// Session's credentials when creds is nil. Role chains use it to call STS
// with the credentials of the previous link.
func (s Session) stsWith(creds aws.CredentialsProvider) *sts.Client {
	return sts.NewFromConfig(s.Config, func(o *sts.Options) {
		if creds != nil {
			o.Credentials = creds
		}
		if o.BaseEndpoint = s.endpointFor(ServiceSTS); o.BaseEndpoint != nil {
			withSigning(s.signing, o, sts.WithSigV4SigningName, sts.WithSigV4SigningRegion)
		}
	})
}

// A CallObserver is told of every AWS API call once, whatever its retries.
type CallObserver interface {
	ObserveCall(service, operation string, err error)
}

// A Resolver builds Sessions from ProviderConfigs.
type Resolver struct {
	kube     client.Client
	observer CallObserver
	// identityNamespaces may use the provider's own identity in their
	// namespaced ProviderConfigs (WithProviderIdentityNamespaces).
	identityNamespaces []string
	// identityEndpoints are the endpoint URLs they may override with.
	identityEndpoints []string

	mu       sync.Mutex
	sessions map[sessionKey]Session
	creds    map[credentialsKey]validatedCredentials
	pacing   map[string]pacing
	secrets  map[types.NamespacedName]readSecret
	// uids are the ProviderConfigs cached, by name.
	uids   map[string]types.UID
	builds singleflight.Group
	// attemptTimeout bounds each attempt of every AWS call.
	attemptTimeout time.Duration
	// appID names the program in the User-Agent of its AWS calls.
	appID string
}

// WithAppID names the program in the User-Agent of the AWS calls of the
// Sessions the Resolver makes (app/ID), as AWS's CloudTrail then shows
// it.
func (r *Resolver) WithAppID(id string) *Resolver {
	r.appID = id
	return r
}

// NewResolver returns a Resolver that reads ProviderConfigs and Secrets with
// the supplied client, bounds each attempt of an AWS call by attemptTimeout,
// and reports calls to the observer, which may be nil.
func NewResolver(kube client.Client, observer CallObserver, attemptTimeout time.Duration) *Resolver {
	return &Resolver{
		kube: kube, observer: observer, attemptTimeout: attemptTimeout,
		sessions: map[sessionKey]Session{}, creds: map[credentialsKey]validatedCredentials{}, pacing: map[string]pacing{}, secrets: map[types.NamespacedName]readSecret{}, uids: map[string]types.UID{},
	}
}

// Forget drops the Sessions and credentials of a ProviderConfig, which was
// deleted: nothing of it stays in memory.
func (r *Resolver) Forget(providerConfigName string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forget(providerConfigName)
}

// forget drops what is cached for a ProviderConfig name; r.mu is held.
func (r *Resolver) forget(name string) {
	uid, ok := r.uids[name]
	if !ok {
		return
	}
	delete(r.uids, name)
	for k := range r.sessions {
		if k.config == uid {
			delete(r.sessions, k)
		}
	}
	for k := range r.creds {
		if k.config == uid {
			delete(r.creds, k)
		}
	}
}

// credentialsKey identifies everything credentials are built from, so that
// cached credentials are reused exactly as long as their inputs are
// unchanged: the ProviderConfig's version and the Secrets it read.
type credentialsKey struct {
	config     types.UID
	generation int64
	secrets    string
}

// sessionKey identifies a Session: its credentials and region.
type sessionKey struct {
	credentialsKey
	region string
}

// validatedCredentials are credentials (cached by the SDK until shortly
// before they expire) and the account STS reported for them.
type validatedCredentials struct {
	provider  aws.CredentialsProvider
	accountID string
}

// Resolve returns a Session for the named ProviderConfig and region. The
// first call for a ProviderConfig version builds its credentials (assuming
// roles and validating them with STS unless told not to); later calls, for
// any region, reuse them, and concurrent first calls share one build.
func (r *Resolver) Resolve(ctx context.Context, providerConfigName, region string) (Session, error) {
	return r.ResolveRef(ctx, ConfigRef{Name: providerConfigName}, region)
}

// ConfigRef names a ProviderConfig: the legacy cluster-scoped
// aws.upbound.io ProviderConfig when Kind is empty, or an aws.m.upbound.io
// ProviderConfig (in Namespace) or ClusterProviderConfig.
type ConfigRef struct {
	Kind, Namespace, Name string
}

// Key is how the resolver caches what it builds for a ProviderConfig, and
// how Forget names it.
func (c ConfigRef) Key() string {
	switch c.Kind {
	case "":
		return c.Name
	case awsmv1beta1.ClusterProviderConfigKind:
		return c.Kind + "/" + c.Name
	default:
		return c.Kind + "/" + c.Namespace + "/" + c.Name
	}
}

// ProviderConfigSpec returns the spec of a ProviderConfig of any kind,
// as a legacy ProviderConfig named by its cache key. The Secrets a
// namespaced ProviderConfig names are read in its own namespace, whatever
// namespace the manifest gives them, so that a team's ProviderConfig can
// read only its team's Secrets.
func ProviderConfigSpec(ctx context.Context, kube client.Reader, ref ConfigRef) (*awsv1beta1.ProviderConfig, error) {
	pc := &awsv1beta1.ProviderConfig{}
	switch ref.Kind {
	case "":
		if err := kube.Get(ctx, types.NamespacedName{Name: ref.Name}, pc); err != nil {
			return nil, errors.Wrapf(err, "%s %q", errGetProviderConfig, ref.Name)
		}
		return pc, nil
	case awsmv1beta1.ClusterProviderConfigKind:
		c := &awsmv1beta1.ClusterProviderConfig{}
		if err := kube.Get(ctx, types.NamespacedName{Name: ref.Name}, c); err != nil {
			return nil, errors.Wrapf(err, "cannot get ClusterProviderConfig %q", ref.Name)
		}
		pc.ObjectMeta, pc.Spec = c.ObjectMeta, c.Spec
	case awsmv1beta1.ProviderConfigKind:
		c := &awsmv1beta1.ProviderConfig{}
		if err := kube.Get(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, c); err != nil {
			return nil, errors.Wrapf(err, "cannot get ProviderConfig %q in namespace %q (a namespaced managed resource uses a ProviderConfig of its own namespace, or a ClusterProviderConfig)", ref.Name, ref.Namespace)
		}
		pc.ObjectMeta, pc.Spec = c.ObjectMeta, *c.Spec.DeepCopy()
		localSecrets(&pc.Spec, ref.Namespace)
	default:
		return nil, errors.Errorf("providerConfigRef.kind %q is neither ProviderConfig nor ClusterProviderConfig", ref.Kind)
	}
	pc.Name, pc.Namespace = ref.Key(), ""
	return pc, nil
}

// localSecrets points every Secret a ProviderConfig spec names into a
// namespace.
func localSecrets(spec *awsv1beta1.ProviderConfigSpec, namespace string) {
	c := &spec.Credentials
	if c.SecretRef != nil {
		c.SecretRef.Namespace = namespace
	}
	for _, wi := range []*awsv1beta1.WebIdentityConfig{c.WebIdentity, upboundWebIdentity(c)} {
		if wi != nil && wi.TokenConfig != nil && wi.TokenConfig.SecretRef != nil {
			wi.TokenConfig.SecretRef.Namespace = namespace
		}
	}
}

func upboundWebIdentity(c *awsv1beta1.ProviderCredentials) *awsv1beta1.WebIdentityConfig {
	if c.Upbound == nil {
		return nil
	}
	return c.Upbound.WebIdentity
}

// ResolveRef returns a Session for a ProviderConfig of any kind and a
// region, as Resolve does for legacy ProviderConfigs.
func (r *Resolver) ResolveRef(ctx context.Context, ref ConfigRef, region string) (Session, error) {
	si, err := r.inputs(ctx, ref, region)
	if err != nil {
		return Session{}, err
	}
	pc, in, endpoints, signing := si.pc, si.in, si.endpoints, si.signing
	ck := credentialsKey{config: pc.UID, generation: pc.Generation, secrets: in.version}
	sk := sessionKey{credentialsKey: ck, region: region}
	r.mu.Lock()
	s, ok := r.sessions[sk]
	r.mu.Unlock()
	if ok {
		return s, nil
	}
	v, err, _ := r.builds.Do(fmt.Sprintf("session %+v", sk), func() (any, error) {
		cfg, err := r.loadConfig(ctx, pc, region)
		if err != nil {
			return Session{}, err
		}
		vc, err := r.credentials(ctx, ck, pc, in, cfg, endpoints, signing)
		if err != nil {
			return Session{}, err
		}
		cfg.Credentials = vc.provider
		retryer, budget := r.pacingFor(vc.accountID, string(pc.UID), region)
		cfg.Retryer = func() aws.Retryer { return retryer }
		s := Session{Config: cfg, AccountID: vc.accountID, ID: fmt.Sprintf("%s/%d/%s/%s", ck.config, ck.generation, ck.secrets, region), endpoints: endpoints, signing: signing, budget: budget}
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.uids[pc.Name] != pc.UID {
			// A ProviderConfig of this name was deleted and made again.
			r.forget(pc.Name)
		}
		r.uids[pc.Name] = pc.UID
		for k := range r.sessions {
			// Drop Sessions built from an older version of this ProviderConfig.
			if k.config == ck.config && k.credentialsKey != ck {
				delete(r.sessions, k)
			}
		}
		for k := range r.creds {
			if k.config == ck.config && k != ck {
				delete(r.creds, k)
			}
		}
		r.sessions[sk] = s
		return s, nil
	})
	if err != nil {
		return Session{}, err
	}
	s, _ = v.(Session) // the build returns Sessions only
	return s, nil
}

// inputs reads and checks what a Session of a ProviderConfig in a region
// is made from: the ProviderConfig, its credential inputs, its endpoints
// and signing.
func (r *Resolver) inputs(ctx context.Context, ref ConfigRef, region string) (sessionInputs, error) {
	pc, err := ProviderConfigSpec(ctx, r.kube, ref)
	if err != nil {
		return sessionInputs{}, err
	}
	if err := r.tenantMayUse(ref, pc); err != nil {
		return sessionInputs{}, err
	}
	if region == "" {
		return sessionInputs{}, errors.New(errNoRegion)
	}
	if !pc.Spec.SkipRegionValidation && !knownRegions[region] {
		return sessionInputs{}, errors.Errorf("region %q is not a known AWS region; set skip_region_validation on ProviderConfig %q to use it anyway", region, pc.Name)
	}
	in, err := r.readCredentialInputs(ctx, pc)
	if err != nil {
		return sessionInputs{}, errors.Wrapf(err, "ProviderConfig %q", pc.Name)
	}
	endpoints, err := endpointOverrides(pc.Spec.Endpoint, region)
	if err != nil {
		return sessionInputs{}, errors.Wrapf(err, "ProviderConfig %q", pc.Name)
	}
	if err := r.endpointsAllowed(ref, pc, endpoints); err != nil {
		return sessionInputs{}, err
	}
	signing, err := signingOverrides(pc.Spec.Endpoint)
	if err != nil {
		return sessionInputs{}, errors.Wrapf(err, "ProviderConfig %q", pc.Name)
	}
	return sessionInputs{pc: pc, in: in, endpoints: endpoints, signing: signing}, nil
}

// sessionInputs are what a Session is made from.
type sessionInputs struct {
	pc        *awsv1beta1.ProviderConfig
	in        credentialInputs
	endpoints map[string]string
	signing   signingOverride
}

// RegionsOf returns the regions the resolver has built Sessions for with a
// ProviderConfig, sorted: where its users are.
func (r *Resolver) RegionsOf(ref ConfigRef) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	uid, ok := r.uids[ref.Key()]
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for k := range r.sessions {
		if k.config == uid && !seen[k.region] {
			seen[k.region] = true
			out = append(out, k.region)
		}
	}
	sort.Strings(out)
	return out
}

// pacingFor returns the retryer and the RDS request budget of an account
// and region, made once and shared by every client of them. RDS throttles
// per account and region, so the budget, which paces calls to AWS's token
// bucket, and the adaptive retryer's client-side rate, which slows down
// when AWS answers Throttling anyway (other callers share the bucket),
// must be one for all of them, and must outlive a reconcile. Without an
// account (validation skipped), the ProviderConfig stands for it.
// Throttled attempts draw on no retry quota: they are paced and retried,
// not surfaced.
func (r *Resolver) pacingFor(account, providerConfigUID, region string) (aws.Retryer, *budget) {
	key := "account/" + account + "/" + region
	if account == "" {
		key = "providerconfig/" + providerConfigUID + "/" + region
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.pacing[key]; ok {
		return p.retryer, p.budget
	}
	rt := retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			so.MaxBackoff = maxBackoff
			so.RateLimiter = ratelimit.None
		})
	})
	p := pacing{retryer: rt, budget: newBudget(rdsBurst, rdsRate)}
	r.pacing[key] = p
	return p.retryer, p.budget
}

// pacing is how the calls of one account and region are paced.
type pacing struct {
	retryer aws.Retryer
	budget  *budget
}

// loadConfig returns the SDK configuration of a region: the metadata
// service switch and call counting. The retryer is set once the account is
// known (pacingFor).
func (r *Resolver) loadConfig(ctx context.Context, pc *awsv1beta1.ProviderConfig, region string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(r.attemptTimeout)),
	}
	if r.appID != "" {
		opts = append(opts, config.WithAppID(r.appID))
	}
	if pc.Spec.SkipMetadataAPICheck {
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	if r.observer != nil {
		opts = append(opts, config.WithAPIOptions([]func(*middleware.Stack) error{countCalls(r.observer)}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	return cfg, errors.Wrap(err, errLoadConfig)
}

// credentials returns the cached credentials of a ProviderConfig version,
// building and validating them on first use.
func (r *Resolver) credentials(ctx context.Context, ck credentialsKey, pc *awsv1beta1.ProviderConfig, in credentialInputs, cfg aws.Config, endpoints map[string]string, signing signingOverride) (validatedCredentials, error) {
	v, err, _ := r.builds.Do(fmt.Sprintf("credentials %+v", ck), func() (any, error) {
		r.mu.Lock()
		vc, ok := r.creds[ck]
		r.mu.Unlock()
		if ok {
			return vc, nil
		}
		stsFor := Session{Config: cfg, endpoints: endpoints, signing: signing}.stsWith
		creds := baseCredentials(pc, in, stsFor)
		if creds == nil {
			creds = cfg.Credentials
		}
		vc = validatedCredentials{provider: aws.NewCredentialsCache(chainRoles(creds, pc.Spec.AssumeRoleChain, stsFor))}
		if !pc.Spec.SkipCredsValidation {
			id, err := stsFor(vc.provider).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				return validatedCredentials{}, errors.Wrapf(err, "ProviderConfig %q: %s", pc.Name, errValidateCredentials)
			}
			if !pc.Spec.SkipReqAccountID {
				vc.accountID = aws.ToString(id.Account)
			}
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		for k := range r.creds {
			if k.config == ck.config {
				delete(r.creds, k)
			}
		}
		r.creds[ck] = vc
		return vc, nil
	})
	if err != nil {
		return validatedCredentials{}, err
	}
	vc, _ := v.(validatedCredentials) // the build returns validatedCredentials only
	return vc, nil
}

// endpointOverrides returns the endpoint URL per service ID.
func endpointOverrides(ec *awsv1beta1.EndpointConfig, region string) (map[string]string, error) {
	if ec == nil {
		return nil, nil
	}
	var urlFor func(service string) string
	switch ec.URL.Type {
	case awsv1beta1.URLConfigTypeStatic:
		raw := aws.ToString(ec.URL.Static)
		if raw == "" {
			return nil, errors.New(errNoStaticURL)
		}
		if u, err := url.Parse(raw); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, errors.Errorf("endpoint.url.static %q is not an absolute URL", raw)
		}
		urlFor = func(string) string { return raw }
	case awsv1beta1.URLConfigTypeDynamic:
		d := ec.URL.Dynamic
		if d == nil || d.Host == "" {
			return nil, errors.New(errNoDynamicHost)
		}
		protocol := d.Protocol
		if protocol == "" {
			protocol = "https"
		}
		urlFor = func(service string) string { return fmt.Sprintf("%s://%s.%s.%s", protocol, service, region, d.Host) }
	case awsv1beta1.URLConfigTypeAuto:
		return nil, nil
	default:
		return nil, errors.Errorf("endpoint.url.type %q is not supported; supported types: Static, Dynamic, Auto", ec.URL.Type)
	}
	services := ec.Services
	if len(services) == 0 {
		services = []string{ServiceRDS, ServiceSTS, ServiceKMS}
	}
	out := map[string]string{}
	for _, svc := range services {
		svc = strings.ToLower(svc)
		out[svc] = urlFor(svc)
	}
	return out, nil
}

// signingOverrides returns the signing overrides of an endpoint
// configuration. Only SigV4 exists for RDS and STS, so signingMethod may
// only name it.
func signingOverrides(ec *awsv1beta1.EndpointConfig) (signingOverride, error) {
	if ec == nil {
		return signingOverride{}, nil
	}
	switch m := strings.ToLower(aws.ToString(ec.SigningMethod)); m {
	case "", "v4", "sigv4", "aws.auth#sigv4":
	default:
		return signingOverride{}, errors.Errorf("endpoint.signingMethod %q is not supported; RDS and STS sign with SigV4 (v4)", aws.ToString(ec.SigningMethod))
	}
	return signingOverride{name: aws.ToString(ec.SigningName), region: aws.ToString(ec.SigningRegion)}, nil
}

// countCalls reports each API call once to the observer. It sits in the
// initialize step, outside the retry loop, so retries are not counted twice.
func countCalls(o CallObserver) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("ProviderRDSCallCounter",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleInitialize(ctx, in)
				o.ObserveCall(strings.ToLower(middleware.GetServiceID(ctx)), middleware.GetOperationName(ctx), err)
				return out, md, err
			}), middleware.Before)
	}
}
