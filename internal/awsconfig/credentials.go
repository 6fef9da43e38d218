package awsconfig

import (
	"context"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

// Environment variables that the EKS webhooks inject into the provider pod:
// their names, not credentials.
//
//nolint:gosec // G101 takes the names of variables for credentials.
const (
	envRoleARN            = "AWS_ROLE_ARN"
	envWebIdentityToken   = "AWS_WEB_IDENTITY_TOKEN_FILE"
	envRoleSessionName    = "AWS_ROLE_SESSION_NAME"
	envContainerCredsURI  = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	envContainerAuthToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"

	defaultSessionName = "provider-rds"
)

// credentialInputs is what a ProviderConfig's credentials are built from,
// read once per Resolve. version identifies the content of the Secrets it
// read, so that a changed Secret builds new credentials.
type credentialInputs struct {
	source  xpv2.CredentialsSource
	static  *staticKeys
	token   []byte // a web identity token read from a Secret
	version string
}

// readCredentialInputs reads and checks everything the credentials of a
// ProviderConfig need from Kubernetes and the environment. Messages name
// Secrets, keys, files and variables, never their content.
func (r *Resolver) readCredentialInputs(ctx context.Context, pc *awsv1beta1.ProviderConfig) (credentialInputs, error) {
	c := pc.Spec.Credentials
	in := credentialInputs{source: c.Source}
	if err := checkRoleARNs(pc); err != nil {
		return in, err
	}
	switch c.Source {
	case xpv2.CredentialsSourceNone:
	case xpv2.CredentialsSourceSecret:
		return r.secretCredentials(ctx, in, c.SecretRef)
	case awsv1beta1.CredentialsSourceIRSA:
		if err := checkInjected("IRSA", "the EKS pod identity webhook", envRoleARN, envWebIdentityToken, "web identity token file"); err != nil {
			return in, err
		}
	case awsv1beta1.CredentialsSourceWebIdentity:
		return r.webIdentityInputs(ctx, in, c.WebIdentity)
	case awsv1beta1.CredentialsSourcePodIdentity:
		if err := checkInjected("PodIdentity", "the EKS Pod Identity agent", envContainerCredsURI, envContainerAuthToken, "pod identity authorization token file"); err != nil {
			return in, err
		}
	case awsv1beta1.CredentialsSourceUpbound:
		return in, errors.New(`credentials source "Upbound" is not supported: it works only on Upbound's hosted control planes; use IRSA, PodIdentity, WebIdentity or Secret`)
	default:
		return in, errors.Errorf("credentials source %q is not supported; supported sources: None, Secret, IRSA, WebIdentity, PodIdentity", c.Source)
	}
	return in, nil
}

// secretCredentials reads the access keys of a credentials Secret, in the
// shared credentials file format.
func (r *Resolver) secretCredentials(ctx context.Context, in credentialInputs, ref *xpv2.SecretKeySelector) (credentialInputs, error) {
	if ref == nil {
		return in, errors.New(errNoSecretRef)
	}
	doc, version, err := r.secretKey(ctx, "credentials", *ref)
	if err != nil {
		return in, err
	}
	keys, err := parseSharedCredentials(doc)
	if err != nil {
		return in, errors.Wrapf(err, "credentials Secret %s/%s key %q", ref.Namespace, ref.Name, ref.Key)
	}
	in.static, in.version = &keys, version
	return in, nil
}

// webIdentityInputs checks a web identity and reads its token from a
// Secret, or checks its token file.
func (r *Resolver) webIdentityInputs(ctx context.Context, in credentialInputs, wi *awsv1beta1.WebIdentityConfig) (credentialInputs, error) {
	if wi == nil || aws.ToString(wi.RoleARN) == "" {
		return in, errors.New("credentials.webIdentity.roleARN is required when credentials.source is WebIdentity")
	}
	tc := wi.TokenConfig
	switch {
	case tc == nil:
		return in, errors.New("credentials.webIdentity.tokenConfig is required when credentials.source is WebIdentity")
	case tc.Source == xpv2.CredentialsSourceSecret && tc.SecretRef != nil:
		token, version, err := r.secretKey(ctx, "web identity token", *tc.SecretRef)
		if err != nil {
			return in, err
		}
		in.token, in.version = token, version
	case tc.Source == xpv2.CredentialsSourceFilesystem && tc.Fs != nil:
		if err := checkFile("web identity token file", tc.Fs.Path); err != nil {
			return in, err
		}
	default:
		return in, errors.New("credentials.webIdentity.tokenConfig needs source Secret with secretRef, or source Filesystem with fs.path")
	}
	return in, nil
}

// roleARNPattern is the shape of an IAM role ARN in any partition.
var roleARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)

// checkRoleARNs rejects role ARNs that STS would refuse, before any call,
// so that a typo is reported where it was made.
func checkRoleARNs(pc *awsv1beta1.ProviderConfig) error {
	for i, r := range pc.Spec.AssumeRoleChain {
		if arn := aws.ToString(r.RoleARN); !roleARNPattern.MatchString(arn) {
			return errors.Errorf("assumeRoleChain[%d].roleARN %q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", i, arn)
		}
	}
	if wi := pc.Spec.Credentials.WebIdentity; pc.Spec.Credentials.Source == awsv1beta1.CredentialsSourceWebIdentity && wi != nil && wi.RoleARN != nil {
		if !roleARNPattern.MatchString(*wi.RoleARN) {
			return errors.Errorf("credentials.webIdentity.roleARN %q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", *wi.RoleARN)
		}
	}
	return nil
}

// secretKey reads one key of a Secret and returns it with the Secret's
// version.
func (r *Resolver) secretKey(ctx context.Context, what string, ref xpv2.SecretKeySelector) ([]byte, string, error) {
	sec, err := r.secret(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name})
	if err != nil {
		if kerrors.IsNotFound(err) {
			return nil, "", errors.Errorf("%s Secret %s/%s not found", what, ref.Namespace, ref.Name)
		}
		return nil, "", errors.Wrapf(err, "cannot get %s Secret %s/%s", what, ref.Namespace, ref.Name)
	}
	v, ok := sec.Data[ref.Key]
	if !ok {
		return nil, "", errors.Errorf("%s Secret %s/%s has no key %q", what, ref.Namespace, ref.Name, ref.Key)
	}
	return v, string(sec.UID) + "/" + sec.ResourceVersion, nil
}

// secretTTL is how long a Secret read for credentials is reused. Every
// reconcile of every managed resource needs its ProviderConfig's
// credentials, so a fleet of a thousand would read the Secret 17 times a
// second; a changed Secret is used within this time instead.
const secretTTL = 10 * time.Second

// readSecret is a Secret as read, and when.
type readSecret struct {
	secret *corev1.Secret
	at     time.Time
}

// secret reads a Secret, or reuses a read younger than secretTTL. Only the
// few Secrets ProviderConfigs name are kept, and each only that long:
// Secrets are not cached otherwise (see controller.ClientOptions).
func (r *Resolver) secret(ctx context.Context, name types.NamespacedName) (*corev1.Secret, error) {
	now := time.Now()
	r.mu.Lock()
	for k, s := range r.secrets {
		if now.Sub(s.at) >= secretTTL {
			delete(r.secrets, k)
		}
	}
	s, ok := r.secrets[name]
	r.mu.Unlock()
	if ok {
		return s.secret, nil
	}
	sec := &corev1.Secret{}
	if err := r.kube.Get(ctx, name, sec); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.secrets[name] = readSecret{secret: sec, at: now}
	r.mu.Unlock()
	return sec, nil
}

// checkInjected checks the two variables an EKS agent injects into the
// provider's pod: a value, and a token file that must be readable.
func checkInjected(source, injector, valueVar, fileVar, fileWhat string) error {
	for _, v := range []string{valueVar, fileVar} {
		if os.Getenv(v) == "" {
			return errors.Errorf("credentials source %s needs %s and %s, which %s injects into the provider's pod; %s is not set", source, valueVar, fileVar, injector, v)
		}
	}
	return checkFile(fileWhat, os.Getenv(fileVar))
}

func checkFile(what, path string) error {
	// The path is the pod's token file, named by the ProviderConfig or by
	// the variable EKS injects; checking that it exists is the point.
	if _, err := os.Stat(path); err != nil { //nolint:gosec // G703: see above.
		return errors.Errorf("%s %s cannot be read: %s", what, path, statReason(err))
	}
	return nil
}

func statReason(err error) string {
	switch {
	case os.IsNotExist(err):
		return "it does not exist"
	case os.IsPermission(err):
		return "permission denied"
	default:
		return "it cannot be opened"
	}
}

// baseCredentials returns the credentials of the source, before any role of
// the chain; nil means the SDK's default chain.
func baseCredentials(pc *awsv1beta1.ProviderConfig, in credentialInputs, stsFor func(aws.CredentialsProvider) *sts.Client) aws.CredentialsProvider {
	switch in.source {
	case xpv2.CredentialsSourceSecret:
		return credentials.NewStaticCredentialsProvider(in.static.AccessKeyID, in.static.SecretAccessKey, in.static.SessionToken)
	case awsv1beta1.CredentialsSourceIRSA:
		name := os.Getenv(envRoleSessionName)
		if name == "" {
			name = defaultSessionName
		}
		return stscreds.NewWebIdentityRoleProvider(stsFor(aws.AnonymousCredentials{}), os.Getenv(envRoleARN),
			stscreds.IdentityTokenFile(os.Getenv(envWebIdentityToken)), func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = name })
	case awsv1beta1.CredentialsSourceWebIdentity:
		wi := pc.Spec.Credentials.WebIdentity
		var token stscreds.IdentityTokenRetriever = staticToken(in.token)
		if in.token == nil {
			token = stscreds.IdentityTokenFile(wi.TokenConfig.Fs.Path)
		}
		name := wi.RoleSessionName
		if name == "" {
			name = defaultSessionName
		}
		return stscreds.NewWebIdentityRoleProvider(stsFor(aws.AnonymousCredentials{}), aws.ToString(wi.RoleARN), token,
			func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = name })
	case awsv1beta1.CredentialsSourcePodIdentity:
		tokenFile := os.Getenv(envContainerAuthToken)
		return endpointcreds.New(os.Getenv(envContainerCredsURI), func(o *endpointcreds.Options) {
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile) //nolint:gosec // The path the Pod Identity agent names.
				return strings.TrimSpace(string(b)), err
			})
		})
	default:
		return nil
	}
}

// staticToken is a web identity token read from a Secret.
type staticToken []byte

func (t staticToken) GetIdentityToken() ([]byte, error) { return t, nil }

// chainRoles assumes each role of the chain in order on top of creds, each
// cached until shortly before it expires.
func chainRoles(creds aws.CredentialsProvider, chain []awsv1beta1.AssumeRoleOptions, stsFor func(aws.CredentialsProvider) *sts.Client) aws.CredentialsProvider {
	for _, role := range chain {
		role := role
		creds = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsFor(creds), aws.ToString(role.RoleARN), func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = defaultSessionName
			o.ExternalID = role.ExternalID
			o.TransitiveTagKeys = role.TransitiveTagKeys
			for _, t := range role.Tags {
				o.Tags = append(o.Tags, ststypes.Tag{Key: t.Key, Value: t.Value})
			}
		}))
	}
	return creds
}
