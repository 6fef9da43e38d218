package awsconfig

import (
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

const errProviderIdentity = "%s in namespace %q: credentials %s act with the provider's own AWS identity, which a namespaced ProviderConfig may use only in the namespaces the platform names in the provider's --namespaces-with-provider-identity; nothing is sent to AWS. Use credentials.source Secret, or WebIdentity with a token Secret, or a ClusterProviderConfig the platform provides"

// WithProviderIdentityNamespaces names the namespaces whose namespaced
// ProviderConfigs may act with the provider's own identity: the default
// credential chain (source None), IRSA, Pod Identity, or a web identity
// token read from a file the provider can read (its own service account
// token among them). In every other namespace only credentials the
// namespace holds itself (a Secret) work, so that a team with rights in
// its own namespace cannot act as the provider, nor send the provider's
// token to an endpoint of its choosing. ClusterProviderConfigs and legacy
// ProviderConfigs are the platform's, and may use them all.
//
// Such a ProviderConfig may send the provider's credentials only to AWS's
// own endpoints, or to the endpoint URLs the platform lists; and every role
// it assumes is assumed with the session tag crossplane-namespace=<its
// namespace> (transitive, so the roles it chains to see it too), which the
// tenant cannot set itself, so that a role's trust policy can admit one
// namespace only.
func (r *Resolver) WithProviderIdentityNamespaces(namespaces, endpoints []string) *Resolver {
	r.identityNamespaces, r.identityEndpoints = namespaces, endpoints
	return r
}

// NamespaceSessionTag is the session tag with which a namespaced
// ProviderConfig acting with the provider's identity assumes its roles.
const NamespaceSessionTag = "crossplane-namespace"

const (
	errIdentityEndpoint = "%s in namespace %q acts with the provider's own AWS identity, and its endpoint %s for %s is not one the platform lists in the provider's --provider-identity-endpoints: the provider's credentials go to AWS's endpoints, or those, only; nothing is sent"
	errNamespaceTag     = "%s in namespace %q: assumeRoleChain[%d] sets the session tag %q, which the provider sets to the ProviderConfig's namespace when it acts with its own identity; remove it"
)

// tenantMayUse refuses a namespaced ProviderConfig whose credentials are
// the provider's own, before anything is read or sent, unless its
// namespace is granted them; a granted one's roles are assumed with the
// namespace's session tag.
func (r *Resolver) tenantMayUse(ref ConfigRef, pc *awsv1beta1.ProviderConfig) error {
	if !r.actsAsProvider(ref, pc) {
		return nil
	}
	if !slices.Contains(r.identityNamespaces, ref.Namespace) {
		return errors.Errorf(errProviderIdentity, "ProviderConfig "+ref.Name, ref.Namespace, providerIdentity(pc.Spec.Credentials))
	}
	for i, role := range pc.Spec.AssumeRoleChain {
		for _, t := range role.Tags {
			if strings.EqualFold(aws.ToString(t.Key), NamespaceSessionTag) {
				return errors.Errorf(errNamespaceTag, "ProviderConfig "+ref.Name, ref.Namespace, i, aws.ToString(t.Key))
			}
		}
	}
	if len(pc.Spec.AssumeRoleChain) > 0 {
		first := &pc.Spec.AssumeRoleChain[0]
		first.Tags = append(first.Tags, awsv1beta1.Tag{Key: aws.String(NamespaceSessionTag), Value: aws.String(ref.Namespace)})
		first.TransitiveTagKeys = append(first.TransitiveTagKeys, NamespaceSessionTag)
	}
	return nil
}

// actsAsProvider reports whether a ProviderConfig is a namespaced one whose
// credentials are the provider's own.
func (r *Resolver) actsAsProvider(ref ConfigRef, pc *awsv1beta1.ProviderConfig) bool {
	return ref.Kind == awsmv1beta1.ProviderConfigKind && providerIdentity(pc.Spec.Credentials) != ""
}

// endpointsAllowed refuses endpoint overrides the platform has not listed
// for a namespaced ProviderConfig that acts with the provider's identity:
// signed requests, or the provider's web identity token, would go there.
func (r *Resolver) endpointsAllowed(ref ConfigRef, pc *awsv1beta1.ProviderConfig, endpoints map[string]string) error {
	if !r.actsAsProvider(ref, pc) {
		return nil
	}
	services := make([]string, 0, len(endpoints))
	for svc := range endpoints {
		services = append(services, svc)
	}
	slices.Sort(services)
	for _, svc := range services {
		if !slices.ContainsFunc(r.identityEndpoints, func(allowed string) bool { return sameOrigin(allowed, endpoints[svc]) }) {
			return errors.Errorf(errIdentityEndpoint, "ProviderConfig "+ref.Name, ref.Namespace, endpoints[svc], svc)
		}
	}
	return nil
}

// sameOrigin reports whether two URLs have the same scheme, host and port.
func sameOrigin(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Scheme != "" && strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

// providerIdentity names the credentials of a spec that are the
// provider's own rather than the ProviderConfig's, or "" when none are.
func providerIdentity(c awsv1beta1.ProviderCredentials) string {
	switch c.Source {
	case xpv2.CredentialsSourceNone, "":
		return "of source None (the provider's default credential chain)"
	case awsv1beta1.CredentialsSourceIRSA:
		return "of source IRSA (the provider's service account role)"
	case awsv1beta1.CredentialsSourcePodIdentity:
		return "of source PodIdentity (the provider's pod identity)"
	case awsv1beta1.CredentialsSourceWebIdentity:
		if wi := c.WebIdentity; wi != nil && wi.TokenConfig != nil && wi.TokenConfig.Source == xpv2.CredentialsSourceFilesystem {
			return "of source WebIdentity with a token file (a file of the provider's)"
		}
	}
	return ""
}
