// Package awsconfig turns a ProviderConfig into configured AWS SDK clients:
// credentials, endpoint overrides, region checks and retries, cached per
// ProviderConfig so that steady-state reconciles do no credential work.
package awsconfig

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

const (
	errGetProviderConfig   = "cannot get ProviderConfig"
	errNoRegion            = "region is required"
	errLoadConfig          = "cannot load AWS SDK configuration"
	errValidateCredentials = "cannot validate AWS credentials with STS GetCallerIdentity"
	errNoSecretRef         = "credentials.secretRef is required when credentials.source is Secret"
	errNoStaticURL         = "endpoint.url.static is required when endpoint.url.type is Static"

	// maxAttempts of each AWS call. AWS throttles and emulators answer 500
	// under load; the SDK's standard retryer backs off and retries both.
	maxAttempts = 5
)

// Service IDs as users write them in endpoint.services.
const (
	ServiceRDS = "rds"
	ServiceSTS = "sts"
)

// A Session holds what AWS API clients need: a configuration with
// credentials, and the endpoint overrides of the ProviderConfig.
type Session struct {
	Config aws.Config

	// AccountID of the validated credentials; empty when validation or the
	// account lookup is skipped.
	AccountID string

	endpoints map[string]string // service ID -> URL; "" key: every service
}

// endpointFor returns the endpoint override for a service, if any.
func (s Session) endpointFor(service string) *string {
	if u, ok := s.endpoints[service]; ok {
		return aws.String(u)
	}
	if u, ok := s.endpoints[""]; ok {
		return aws.String(u)
	}
	return nil
}

// RDS returns an RDS API client.
func (s Session) RDS() *rds.Client {
	return rds.NewFromConfig(s.Config, func(o *rds.Options) { o.BaseEndpoint = s.endpointFor(ServiceRDS) })
}

// STS returns an STS API client.
func (s Session) STS() *sts.Client {
	return sts.NewFromConfig(s.Config, func(o *sts.Options) { o.BaseEndpoint = s.endpointFor(ServiceSTS) })
}

// A CallObserver is told of every AWS API call once, whatever its retries.
type CallObserver interface {
	ObserveCall(service, operation string, err error)
}

// A Resolver builds Sessions from ProviderConfigs.
type Resolver struct {
	kube     client.Client
	observer CallObserver

	mu    sync.Mutex
	cache map[sessionKey]Session
}

// NewResolver returns a Resolver that reads ProviderConfigs and Secrets with
// the supplied client and reports calls to the observer, which may be nil.
func NewResolver(kube client.Client, observer CallObserver) *Resolver {
	return &Resolver{kube: kube, observer: observer, cache: map[sessionKey]Session{}}
}

// sessionKey identifies everything a Session is built from, so that a cached
// Session is reused exactly as long as its inputs are unchanged.
type sessionKey struct {
	config     types.UID
	generation int64
	secret     string // UID and resourceVersion of the credentials Secret
	region     string
}

// Resolve returns a Session for the named ProviderConfig and region.
func (r *Resolver) Resolve(ctx context.Context, providerConfigName, region string) (Session, error) {
	pc := &awsv1beta1.ProviderConfig{}
	if err := r.kube.Get(ctx, types.NamespacedName{Name: providerConfigName}, pc); err != nil {
		return Session{}, errors.Wrapf(err, "%s %q", errGetProviderConfig, providerConfigName)
	}
	if region == "" {
		return Session{}, errors.New(errNoRegion)
	}
	if !pc.Spec.SkipRegionValidation && !knownRegions[region] {
		return Session{}, errors.Errorf("region %q is not a known AWS region; set skip_region_validation on ProviderConfig %q to use it anyway", region, pc.Name)
	}

	creds, secretVersion, err := r.credentials(ctx, pc)
	if err != nil {
		return Session{}, errors.Wrapf(err, "ProviderConfig %q", pc.Name)
	}
	endpoints, err := endpointOverrides(pc.Spec.Endpoint)
	if err != nil {
		return Session{}, errors.Wrapf(err, "ProviderConfig %q", pc.Name)
	}

	key := sessionKey{config: pc.UID, generation: pc.Generation, secret: secretVersion, region: region}
	r.mu.Lock()
	s, ok := r.cache[key]
	r.mu.Unlock()
	if ok {
		return s, nil
	}

	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = maxAttempts })
		}),
	}
	if creds != nil {
		opts = append(opts, config.WithCredentialsProvider(creds))
	}
	if pc.Spec.SkipMetadataAPICheck {
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	if r.observer != nil {
		opts = append(opts, config.WithAPIOptions([]func(*middleware.Stack) error{countCalls(r.observer)}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return Session{}, errors.Wrap(err, errLoadConfig)
	}
	s = Session{Config: cfg, endpoints: endpoints}

	if !pc.Spec.SkipCredsValidation {
		id, err := s.STS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return Session{}, errors.Wrapf(err, "ProviderConfig %q: %s", pc.Name, errValidateCredentials)
		}
		if !pc.Spec.SkipReqAccountID {
			s.AccountID = aws.ToString(id.Account)
		}
	}

	r.mu.Lock()
	for k := range r.cache {
		// Drop Sessions built from an older version of this ProviderConfig.
		if k.config == key.config && k != key && k.region == key.region {
			delete(r.cache, k)
		}
	}
	r.cache[key] = s
	r.mu.Unlock()
	return s, nil
}

// credentials returns the credentials provider of a ProviderConfig (nil for
// the SDK's default chain) and a version string of the Secret it read.
func (r *Resolver) credentials(ctx context.Context, pc *awsv1beta1.ProviderConfig) (aws.CredentialsProvider, string, error) {
	switch src := pc.Spec.Credentials.Source; src {
	case xpv2.CredentialsSourceNone:
		return nil, "", nil
	case xpv2.CredentialsSourceSecret:
		ref := pc.Spec.Credentials.SecretRef
		if ref == nil {
			return nil, "", errors.New(errNoSecretRef)
		}
		sec := &corev1.Secret{}
		if err := r.kube.Get(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, sec); err != nil {
			if kerrors.IsNotFound(err) {
				return nil, "", errors.Errorf("credentials Secret %s/%s not found", ref.Namespace, ref.Name)
			}
			return nil, "", errors.Wrapf(err, "cannot get credentials Secret %s/%s", ref.Namespace, ref.Name)
		}
		doc, ok := sec.Data[ref.Key]
		if !ok {
			return nil, "", errors.Errorf("credentials Secret %s/%s has no key %q", ref.Namespace, ref.Name, ref.Key)
		}
		keys, err := parseSharedCredentials(doc)
		if err != nil {
			return nil, "", errors.Wrapf(err, "credentials Secret %s/%s key %q", ref.Namespace, ref.Name, ref.Key)
		}
		provider := credentials.NewStaticCredentialsProvider(keys.AccessKeyID, keys.SecretAccessKey, keys.SessionToken)
		return provider, string(sec.UID) + "/" + sec.ResourceVersion, nil
	default:
		return nil, "", errors.Errorf("credentials source %q is not supported yet; supported sources: None, Secret", src)
	}
}

// endpointOverrides returns the endpoint URL per service ID ("" for all).
func endpointOverrides(ec *awsv1beta1.EndpointConfig) (map[string]string, error) {
	if ec == nil {
		return nil, nil
	}
	switch ec.URL.Type {
	case awsv1beta1.URLConfigTypeStatic:
		raw := aws.ToString(ec.URL.Static)
		if raw == "" {
			return nil, errors.New(errNoStaticURL)
		}
		if u, err := url.Parse(raw); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, errors.Errorf("endpoint.url.static %q is not an absolute URL", raw)
		}
		out := map[string]string{}
		if len(ec.Services) == 0 {
			out[""] = raw
		}
		for _, svc := range ec.Services {
			out[strings.ToLower(svc)] = raw
		}
		return out, nil
	default:
		return nil, errors.Errorf("endpoint.url.type %q is not supported yet; supported types: %s", ec.URL.Type, awsv1beta1.URLConfigTypeStatic)
	}
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
