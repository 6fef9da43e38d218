package providerconfig

import (
	"context"
	"regexp"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/internal/awsconfig"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

// Credential validation condition of a ProviderConfig.
const (
	TypeCredentialsValid xpv2.ConditionType   = "CredentialsValid"
	ReasonValidated      xpv2.ConditionReason = "Validated"
	ReasonInvalid        xpv2.ConditionReason = "ValidationFailed"
	ReasonSkipped        xpv2.ConditionReason = "ValidationSkipped"
)

// validator checks a ProviderConfig's credentials once per version of it,
// after the usage reconciler has counted its users, and reports the outcome
// and the account on the ProviderConfig.
type validator struct {
	usage    reconcile.Reconciler
	kube     client.Client
	sessions *awsconfig.Resolver
	kind     configKind
}

func (v *validator) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	res, err := v.usage.Reconcile(ctx, req)
	if err != nil {
		return res, err
	}
	ref := v.kind.ref(req)
	pc := v.kind.new()
	err = v.kube.Get(ctx, req.NamespacedName, pc)
	if kerrors.IsNotFound(err) {
		v.sessions.Forget(ref.Key())
		return res, nil
	}
	if err != nil || pc.GetDeletionTimestamp() != nil {
		return res, err
	}
	spec, _ := v.kind.parts(pc)
	cond, account := v.validate(ctx, ref, pc.GetGeneration(), spec.SkipCredsValidation)
	return res, retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if err := v.kube.Get(ctx, req.NamespacedName, pc); err != nil {
			return client.IgnoreNotFound(err)
		}
		_, status := v.kind.parts(pc)
		old := status.GetCondition(TypeCredentialsValid)
		if old.Equal(cond) && status.AccountID == account {
			return nil
		}
		status.SetConditions(cond)
		status.AccountID = account
		err := v.kube.Status().Update(ctx, pc)
		if kerrors.IsNotFound(err) {
			return nil
		}
		return err
	})
}

func (v *validator) validate(ctx context.Context, ref awsconfig.ConfigRef, generation int64, skipped bool) (xpv2.Condition, string) {
	c := xpv2.Condition{Type: TypeCredentialsValid, LastTransitionTime: metav1.Now(), ObservedGeneration: generation}
	// Credentials work in one partition only: check them in the partitions
	// of the regions the ProviderConfig is used in first, and fall back to
	// the others only while STS does not recognise them, so that valid
	// China or GovCloud credentials are not reported invalid.
	var s awsconfig.Session
	var err error
	partition := ""
	for _, region := range awsconfig.CheckRegions(v.sessions.RegionsOf(ref)) {
		if s, err = v.sessions.ResolveRef(ctx, ref, region); err == nil || !unrecognised(err) {
			partition, _ = awsconfig.Partition(region)
			break
		}
	}
	switch {
	case err != nil:
		c.Status, c.Reason, c.Message = corev1.ConditionFalse, ReasonInvalid, stable(err.Error())
	case skipped:
		c.Status, c.Reason, c.Message = corev1.ConditionUnknown, ReasonSkipped, "skip_credentials_validation is set"
	default:
		c.Status, c.Reason = corev1.ConditionTrue, ReasonValidated
		c.Message = "STS GetCallerIdentity accepted the credentials"
		if s.AccountID != "" {
			c.Message += " of account " + s.AccountID
		}
		c.Message += " in partition " + partition
	}
	return c, s.AccountID
}

// unrecognised reports whether STS did not recognise credentials, as STS of
// another partition answers.
func unrecognised(err error) bool {
	code := managedkit.ErrorCode(err)
	return code == "InvalidClientTokenId" || code == "UnrecognizedClientException"
}

// requestID matches the request IDs AWS errors carry.
var requestID = regexp.MustCompile(`RequestID: [^,\s]*,? ?`)

// stable removes what differs between two reports of the same failure
// (AWS's request IDs), so that an unchanged failure leaves the condition,
// and the ProviderConfig, as they are: an update would start another
// validation, and another STS call, at once.
func stable(msg string) string {
	return requestID.ReplaceAllString(msg, "")
}
