package awsconfig

import (
	"strings"
	"testing"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
)

func TestTenantMayUse(t *testing.T) {
	secret := awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceSecret}
	irsa := awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceIRSA}
	fileToken := awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceWebIdentity, WebIdentity: &awsv1beta1.WebIdentityConfig{
		TokenConfig: &awsv1beta1.WebIdentityTokenConfig{Source: xpv2.CredentialsSourceFilesystem},
	}}
	secretToken := awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceWebIdentity, WebIdentity: &awsv1beta1.WebIdentityConfig{
		TokenConfig: &awsv1beta1.WebIdentityTokenConfig{Source: xpv2.CredentialsSourceSecret},
	}}
	namespaced := ConfigRef{Kind: awsmv1beta1.ProviderConfigKind, Namespace: "team-b", Name: "mine"}
	cases := map[string]struct {
		ref     ConfigRef
		creds   awsv1beta1.ProviderCredentials
		granted []string
		refused string
	}{
		"NamespacedSecret":           {ref: namespaced, creds: secret},
		"NamespacedTokenSecret":      {ref: namespaced, creds: secretToken},
		"NamespacedIRSA":             {ref: namespaced, creds: irsa, refused: "of source IRSA"},
		"NamespacedPodIdentity":      {ref: namespaced, creds: awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourcePodIdentity}, refused: "of source PodIdentity"},
		"NamespacedNone":             {ref: namespaced, creds: awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceNone}, refused: "of source None"},
		"NamespacedTokenFile":        {ref: namespaced, creds: fileToken, refused: "WebIdentity with a token file"},
		"NamespacedIRSAGranted":      {ref: namespaced, creds: irsa, granted: []string{"team-a", "team-b"}},
		"NamespacedIRSAOtherGranted": {ref: namespaced, creds: irsa, granted: []string{"team-a"}, refused: "of source IRSA"},
		"ClusterProviderConfigIRSA":  {ref: ConfigRef{Kind: awsmv1beta1.ClusterProviderConfigKind, Name: "platform"}, creds: irsa},
		"LegacyProviderConfigIRSA":   {ref: ConfigRef{Name: "default"}, creds: irsa},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := NewResolver(nil, nil, DefaultAttemptTimeout).WithProviderIdentityNamespaces(tc.granted)
			err := r.tenantMayUse(tc.ref, &awsv1beta1.ProviderConfig{Spec: awsv1beta1.ProviderConfigSpec{Credentials: tc.creds}})
			switch {
			case tc.refused == "" && err != nil:
				t.Errorf("want allowed, got %v", err)
			case tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused) || !strings.Contains(err.Error(), "--namespaces-with-provider-identity")):
				t.Errorf("want refused naming %q and the flag, got %v", tc.refused, err)
			}
		})
	}
}
