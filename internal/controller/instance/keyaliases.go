package instance

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

const errKeyAlias = "cannot resolve the KMS alias %q of spec.forProvider.%s, to compare it with the key AWS reports for the DB instance (always a key ARN): the provider needs kms:DescribeKey on it, or write the key's ARN instead"

// aliasTTL is how long a resolved alias is used before it is looked up
// again: an alias can be pointed at another key, and the spec then names
// that key.
const aliasTTL = 10 * time.Minute

// KMSAPI is the part of the KMS API this controller calls.
type KMSAPI interface {
	DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, opts ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

// keyAliases remembers the key ARNs of KMS aliases, per session (account
// and region), for every Instance of the process: an Instance costs no KMS
// call per reconcile.
type keyAliases struct {
	mu    sync.Mutex
	known map[[2]string]resolvedAlias
}

type resolvedAlias struct {
	arn string
	at  time.Time
}

// resolve returns the ARN of the key an alias names.
func (k *keyAliases) resolve(ctx context.Context, api func() KMSAPI, session, alias string, now time.Time) (string, error) {
	key := [2]string{session, alias}
	k.mu.Lock()
	r, ok := k.known[key]
	k.mu.Unlock()
	if ok && now.Sub(r.at) < aliasTTL {
		return r.arn, nil
	}
	out, err := api().DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	if err != nil {
		return "", err
	}
	if out.KeyMetadata == nil || aws.ToString(out.KeyMetadata.Arn) == "" {
		return "", errors.New("KMS described no key")
	}
	k.mu.Lock()
	if k.known == nil {
		k.known = map[[2]string]resolvedAlias{}
	}
	k.known[key] = resolvedAlias{arn: *out.KeyMetadata.Arn, at: now}
	k.mu.Unlock()
	return *out.KeyMetadata.Arn, nil
}

// withKeyARNs returns the spec with the KMS aliases it names replaced by
// their keys' ARNs, which is what AWS reports for a DB instance: an alias
// compared as written would match any key, or none.
func (e *external) withKeyARNs(ctx context.Context, p v1beta3.InstanceParameters) (v1beta3.InstanceParameters, error) {
	for _, f := range []struct {
		name  string
		value **string
	}{
		{"kmsKeyId", &p.KMSKeyID},
		{"performanceInsightsKmsKeyId", &p.PerformanceInsightsKMSKeyID},
		{"masterUserSecretKmsKeyId", &p.MasterUserSecretKMSKeyID},
	} {
		v := aws.ToString(*f.value)
		if !rdsinstance.IsKeyAlias(v) {
			continue
		}
		arn, err := e.keyARN(ctx, v)
		if err != nil {
			return p, errors.Wrapf(err, errKeyAlias, v, f.name)
		}
		*f.value = aws.String(arn)
	}
	return p, nil
}
