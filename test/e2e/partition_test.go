package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	"github.com/provider-rds/provider-rds/internal/controller/providerconfig"
	"github.com/provider-rds/provider-rds/test/harness"
)

// Credentials of the China and GovCloud partitions, which STS of the
// commercial partition rejects, are valid: the ProviderConfig says so (in
// their partition), and an Instance in a region of their partition is
// created with them. Credentials of no partition stay invalid.
func TestCredentialsOfOtherPartitions(t *testing.T) {
	for _, tc := range []struct{ partition, region, key string }{
		{"aws-cn", "cn-north-1", "AKIACHINAPARTITION01"},
		{"aws-us-gov", "us-gov-west-1", "AKIAGOVCLOUDPARTIT01"},
	} {
		t.Run(tc.partition, func(t *testing.T) {
			env.Bed(t).PartitionCredentials(t, tc.key, tc.partition)
			secret := "creds-" + tc.partition
			createSecret(t, secret, map[string]string{"credentials": fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s-secret\n", tc.key, tc.partition)})
			pcName := "partition-" + tc.partition
			createProviderConfig(t, pcName, func(pc *awsv1beta1.ProviderConfig) {
				pc.Spec.SkipCredsValidation = false
				pc.Spec.Credentials.SecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: harness.ProviderNamespace, Name: secret}, Key: "credentials"}
			})
			pc := waitCredentialsCondition(t, pcName, corev1.ConditionTrue)
			if msg := pc.Status.GetCondition(providerconfig.TypeCredentialsValid).Message; !strings.Contains(msg, "in partition "+tc.partition) {
				t.Errorf("CredentialsValid: want the partition %s named, got %q", tc.partition, msg)
			}

			in := newInstance(pcName+"-db", pcName)
			in.Spec.ForProvider.Region = aws.String(tc.region)
			createInstance(t, in)
			waitReadySynced(t, pcName+"-db")
			if env.Describe(t, tc.region, pcName+"-db") == nil {
				t.Errorf("no DB instance in %s", tc.region)
			}
		})
	}

	// A key bound to a partition used in no other one's region is still
	// reported invalid.
	env.Bed(t).PartitionCredentials(t, "AKIAISOPARTITION0001", "aws-iso")
	createSecret(t, "creds-iso", map[string]string{"credentials": "[default]\naws_access_key_id = AKIAISOPARTITION0001\naws_secret_access_key = iso-secret\n"})
	createProviderConfig(t, "partition-unused", func(pc *awsv1beta1.ProviderConfig) {
		pc.Spec.SkipCredsValidation = false
		pc.Spec.Credentials.SecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: harness.ProviderNamespace, Name: "creds-iso"}, Key: "credentials"}
	})
	pc := waitCredentialsCondition(t, "partition-unused", corev1.ConditionFalse)
	if msg := pc.Status.GetCondition(providerconfig.TypeCredentialsValid).Message; !strings.Contains(msg, "InvalidClientTokenId") || strings.Contains(msg, "iso-secret") {
		t.Errorf("CredentialsValid of credentials no checked partition accepts: %q", msg)
	}
	// Reported once: the same failure does not rewrite the ProviderConfig
	// and start another round of STS calls. Writing the condition itself
	// brings one more check (the ProviderConfig changed), which finds the
	// same failure and writes nothing; the count starts once it is past.
	time.Sleep(pollInterval)
	if calls := countOver(3, nil); calls["sts:GetCallerIdentity"] > 3 {
		t.Errorf("invalid credentials are checked again and again: %s", harness.Format(calls))
	}
}
