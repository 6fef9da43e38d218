package awsconfig

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

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
			r := NewResolver(nil, nil, DefaultAttemptTimeout).WithProviderIdentityNamespaces(tc.granted, nil)
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

// A granted namespace's roles are assumed with its namespace as a
// transitive session tag, which the tenant cannot set itself.
func TestGrantedNamespaceAssumesRolesWithItsTag(t *testing.T) {
	irsa := awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceIRSA}
	ref := ConfigRef{Kind: awsmv1beta1.ProviderConfigKind, Namespace: "team-a", Name: "mine"}
	r := NewResolver(nil, nil, DefaultAttemptTimeout).WithProviderIdentityNamespaces([]string{"team-a"}, nil)
	role := func(arn string, tags ...awsv1beta1.Tag) awsv1beta1.AssumeRoleOptions {
		return awsv1beta1.AssumeRoleOptions{RoleARN: aws.String(arn), Tags: tags}
	}
	pc := &awsv1beta1.ProviderConfig{Spec: awsv1beta1.ProviderConfigSpec{Credentials: irsa, AssumeRoleChain: []awsv1beta1.AssumeRoleOptions{
		role("arn:aws:iam::123456789012:role/a", awsv1beta1.Tag{Key: aws.String("team"), Value: aws.String("a")}),
		role("arn:aws:iam::123456789012:role/b"),
	}}}
	if err := r.tenantMayUse(ref, pc); err != nil {
		t.Fatal(err)
	}
	want := []awsv1beta1.AssumeRoleOptions{
		{RoleARN: aws.String("arn:aws:iam::123456789012:role/a"), Tags: []awsv1beta1.Tag{
			{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String(NamespaceSessionTag), Value: aws.String("team-a")},
		}, TransitiveTagKeys: []string{NamespaceSessionTag}},
		role("arn:aws:iam::123456789012:role/b"),
	}
	if diff := cmp.Diff(want, pc.Spec.AssumeRoleChain); diff != "" {
		t.Errorf("assumeRoleChain: -want, +got:\n%s", diff)
	}

	forged := &awsv1beta1.ProviderConfig{Spec: awsv1beta1.ProviderConfigSpec{Credentials: irsa, AssumeRoleChain: []awsv1beta1.AssumeRoleOptions{
		role("arn:aws:iam::123456789012:role/b", awsv1beta1.Tag{Key: aws.String("Crossplane-Namespace"), Value: aws.String("team-b")}),
	}}}
	if err := r.tenantMayUse(ref, forged); err == nil || !strings.Contains(err.Error(), "sets the session tag") {
		t.Errorf("a tenant's own namespace tag: want refused, got %v", err)
	}
}

func TestProviderIdentityEndpoints(t *testing.T) {
	irsa := awsv1beta1.ProviderCredentials{Source: awsv1beta1.CredentialsSourceIRSA}
	secret := awsv1beta1.ProviderCredentials{Source: xpv2.CredentialsSourceSecret}
	ref := ConfigRef{Kind: awsmv1beta1.ProviderConfigKind, Namespace: "team-a", Name: "mine"}
	cases := map[string]struct {
		creds     awsv1beta1.ProviderCredentials
		ref       ConfigRef
		endpoints map[string]string
		allowed   []string
		refused   bool
	}{
		"AWSOwn":          {creds: irsa, ref: ref},
		"Listed":          {creds: irsa, ref: ref, endpoints: map[string]string{"sts": "https://sts.vpce.example:443/"}, allowed: []string{"https://sts.vpce.example:443"}},
		"Unlisted":        {creds: irsa, ref: ref, endpoints: map[string]string{"sts": "https://collector.example"}, allowed: []string{"https://sts.vpce.example"}, refused: true},
		"OtherScheme":     {creds: irsa, ref: ref, endpoints: map[string]string{"rds": "http://sts.vpce.example"}, allowed: []string{"https://sts.vpce.example"}, refused: true},
		"TenantsOwnKeys":  {creds: secret, ref: ref, endpoints: map[string]string{"sts": "https://collector.example"}},
		"PlatformsConfig": {creds: irsa, ref: ConfigRef{Kind: awsmv1beta1.ClusterProviderConfigKind, Name: "platform"}, endpoints: map[string]string{"sts": "https://collector.example"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := NewResolver(nil, nil, DefaultAttemptTimeout).WithProviderIdentityNamespaces([]string{"team-a"}, tc.allowed)
			err := r.endpointsAllowed(tc.ref, &awsv1beta1.ProviderConfig{Spec: awsv1beta1.ProviderConfigSpec{Credentials: tc.creds}}, tc.endpoints)
			if (err != nil) != tc.refused {
				t.Errorf("want refused %t, got %v", tc.refused, err)
			}
		})
	}
}
