package awsconfig

import (
	"slices"

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
func (r *Resolver) WithProviderIdentityNamespaces(namespaces []string) *Resolver {
	r.identityNamespaces = namespaces
	return r
}

// tenantMayUse refuses a namespaced ProviderConfig whose credentials are
// the provider's own, before anything is read or sent.
func (r *Resolver) tenantMayUse(ref ConfigRef, pc *awsv1beta1.ProviderConfig) error {
	if ref.Kind != awsmv1beta1.ProviderConfigKind || slices.Contains(r.identityNamespaces, ref.Namespace) {
		return nil
	}
	if what := providerIdentity(pc.Spec.Credentials); what != "" {
		return errors.Errorf(errProviderIdentity, "ProviderConfig "+ref.Name, ref.Namespace, what)
	}
	return nil
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
