package instance

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/aws/aws-sdk-go-v2/aws"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/password"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

const (
	// AnnotationPasswordVersion records which master password was last set
	// in AWS, so that a changed password is set once and a Secret edit that
	// leaves the password as it was (a label, an annotation, a refresh by a
	// secrets operator) sets nothing. It holds a keyed fingerprint
	// (HMAC-SHA256 under a random key kept in the provider's namespace), from
	// which the password cannot be recovered, even by guessing, without that
	// key.
	AnnotationPasswordVersion = "rds.aws.upbound.io/applied-password-version" //nolint:gosec // G101: the name of an annotation.

	// fingerprintKeySecret holds the key of the password fingerprints.
	fingerprintKeySecret = "provider-rds-password-fingerprint-key" //nolint:gosec // G101: the name of a Secret.
	fingerprintKeyKey    = "key"
	fingerprintPrefix    = "hmac-sha256:"

	// generatedPasswordKey is the key of a provider-owned password Secret.
	generatedPasswordKey = "password"

	// labelInstance marks provider-owned password Secrets with the name of
	// their Instance.
	labelInstance = "rds.aws.upbound.io/instance"

	errGetPasswordSecret   = "cannot get master password Secret"
	errGetConnectionSecret = "cannot get connection Secret"
	errDeleteGenerated     = "cannot delete generated master password Secret"
	errFingerprintKey      = "cannot read or create the password fingerprint key Secret"
	errWritePasswordSecret = "cannot write master password Secret"
	errGeneratePassword    = "cannot generate master password"
)

// masterPassword is a password and its fingerprint.
type masterPassword struct {
	value   string
	version string
	// secretVersion is the UID and resourceVersion of the Secret it came
	// from, which earlier releases recorded instead of a fingerprint.
	secretVersion string
}

func (p masterPassword) known() bool { return p.value != "" }

// restoredPasswordVersion is the applied password version of a DB instance
// restored from a snapshot or to a point in time: it has its source's
// master password, which no Secret of the Instance names.
const restoredPasswordVersion = "source"

// ImportedPasswordVersion is the applied password version `kubectl rds
// import` writes: the user puts the database's current master password in
// the Secret the manifest names, so that password is taken as the one AWS
// has, and none is set. (An adopted Instance without it has the Secret's
// password set once.)
const ImportedPasswordVersion = "imported"

// appliedTo reports whether this password is the one last set in AWS for
// the Instance.
func (p masterPassword) appliedTo(cr *v1beta3.Instance) bool {
	v := cr.GetAnnotations()[AnnotationPasswordVersion]
	return v != "" && (v == p.version || v == p.secretVersion)
}

// passwords reads, and where the provider owns them writes, master passwords.
type passwords struct {
	kube client.Client
	// namespace of the provider, where it keeps the fingerprint key.
	namespace string
	// generatedIn is where the passwords the provider generates are kept:
	// the provider's namespace for a cluster-scoped Instance, the
	// Instance's own namespace for a namespaced one.
	generatedIn string
	key         *fingerprintKey
}

// fingerprintKey is the HMAC key of password fingerprints, read (or made)
// once per process.
type fingerprintKey struct {
	mu    sync.Mutex
	value []byte
}

// fingerprint returns the keyed fingerprint of a password.
func (p passwords) fingerprint(ctx context.Context, password string) (string, error) {
	key, err := p.fingerprintKey(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(password))
	return fingerprintPrefix + hex.EncodeToString(mac.Sum(nil)), nil
}

func (p passwords) fingerprintKey(ctx context.Context) ([]byte, error) {
	p.key.mu.Lock()
	defer p.key.mu.Unlock()
	if p.key.value != nil {
		return p.key.value, nil
	}
	nn := types.NamespacedName{Namespace: p.namespace, Name: fingerprintKeySecret}
	for range 2 {
		s := &corev1.Secret{}
		err := p.kube.Get(ctx, nn, s)
		if err == nil && len(s.Data[fingerprintKeyKey]) > 0 {
			p.key.value = s.Data[fingerprintKeyKey]
			return p.key.value, nil
		}
		if err != nil && !kerrors.IsNotFound(err) {
			return nil, errors.Wrap(err, errFingerprintKey)
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, errors.Wrap(err, errFingerprintKey)
		}
		s = &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: nn.Namespace, Name: nn.Name}, Data: map[string][]byte{fingerprintKeyKey: key}}
		err = p.kube.Create(ctx, s)
		if err == nil {
			p.key.value = key
			return key, nil
		}
		if !kerrors.IsAlreadyExists(err) {
			return nil, errors.Wrap(err, errFingerprintKey)
		}
		// Another replica made it first: read theirs.
	}
	return nil, errors.New(errFingerprintKey)
}

// GeneratedSecretName names the Secret in the provider's namespace that
// holds the master password the provider generated for an Instance.
func GeneratedSecretName(instanceName string) string {
	const suffix = "-master-password"
	if len(instanceName)+len(suffix) > 253 {
		instanceName = strings.TrimRight(instanceName[:253-len(suffix)], ".-")
	}
	return instanceName + suffix
}

// current returns the master password the spec asks for. generate says
// whether a missing provider-owned password may be created, which happens
// only when the provider creates the DB instance: an adopted instance keeps
// its password unless the user names one. An unknown password (AWS manages
// it, or none was ever generated) is returned as the zero value.
func (p passwords) current(ctx context.Context, cr *v1beta3.Instance, generate bool) (masterPassword, error) {
	fp := cr.Spec.ForProvider
	if aws.ToBool(fp.ManageMasterUserPassword) {
		return masterPassword{}, nil
	}
	if ref := fp.PasswordSecretRef; ref != nil {
		return p.fromSecret(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, ref.Key, aws.ToBool(fp.AutoGeneratePassword), nil)
	}
	owned := types.NamespacedName{Namespace: p.generatedIn, Name: GeneratedSecretName(cr.GetName())}
	if !generate {
		pw, err := p.fromSecret(ctx, owned, generatedPasswordKey, false, nil)
		if kerrors.IsNotFound(errors.Cause(err)) {
			return masterPassword{}, nil
		}
		return pw, err
	}
	return p.fromSecret(ctx, owned, generatedPasswordKey, true, map[string]string{labelInstance: cr.GetName()})
}

// fromSecret reads a password from a Secret key. With generate, a missing
// Secret or key is filled with a new random password. Messages name the
// Secret and key, never their content.
func (p passwords) fromSecret(ctx context.Context, nn types.NamespacedName, key string, generate bool, labels map[string]string) (masterPassword, error) {
	s := &corev1.Secret{}
	err := p.kube.Get(ctx, nn, s)
	switch {
	case kerrors.IsNotFound(err) && generate:
		s = &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: nn.Namespace, Name: nn.Name, Labels: labels}}
	case kerrors.IsNotFound(err):
		return masterPassword{}, errors.Wrapf(err, "%s %s: it does not exist", errGetPasswordSecret, nn)
	case err != nil:
		return masterPassword{}, errors.Wrapf(err, "%s %s", errGetPasswordSecret, nn)
	}
	if v := s.Data[key]; len(v) > 0 {
		return p.withFingerprint(ctx, string(v), s)
	}
	if !generate {
		return masterPassword{}, errors.Errorf("%s %s: it has no key %q", errGetPasswordSecret, nn, key)
	}
	pw, err := password.Generate()
	if err != nil {
		return masterPassword{}, errors.Wrap(err, errGeneratePassword)
	}
	if s.Data == nil {
		s.Data = map[string][]byte{}
	}
	s.Data[key] = []byte(pw)
	if s.ResourceVersion == "" {
		err = p.kube.Create(ctx, s)
	} else {
		err = p.kube.Update(ctx, s)
	}
	if err != nil {
		return masterPassword{}, errors.Wrapf(err, "%s %s", errWritePasswordSecret, nn)
	}
	return p.withFingerprint(ctx, pw, s)
}

func (p passwords) withFingerprint(ctx context.Context, value string, s *corev1.Secret) (masterPassword, error) {
	fp, err := p.fingerprint(ctx, value)
	if err != nil {
		return masterPassword{}, err
	}
	return masterPassword{value: value, version: fp, secretVersion: string(s.UID) + "/" + s.ResourceVersion}, nil
}

// published returns the password the Instance's connection Secret carries,
// which is the one AWS has while a new one waits: applications keep a
// password that works until AWS has accepted the next.
func (p passwords) published(ctx context.Context, cr *v1beta3.Instance) (string, error) {
	ref := cr.GetWriteConnectionSecretToReference()
	if ref == nil {
		return "", nil
	}
	s := &corev1.Secret{}
	err := p.kube.Get(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, s)
	if kerrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", errors.Wrapf(err, "%s %s/%s", errGetConnectionSecret, ref.Namespace, ref.Name)
	}
	return string(s.Data[rdsinstance.ConnPassword]), nil
}

// deleteGenerated removes the provider-owned password Secret of an Instance
// once its DB instance is gone. A Secret of that name the provider did not
// make (it lacks the provider's label for this Instance) is someone
// else's, and stays.
func (p passwords) deleteGenerated(ctx context.Context, cr *v1beta3.Instance) error {
	s := &corev1.Secret{}
	err := p.kube.Get(ctx, types.NamespacedName{Namespace: p.generatedIn, Name: GeneratedSecretName(cr.GetName())}, s)
	if kerrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return errors.Wrap(err, errDeleteGenerated)
	}
	if s.GetLabels()[labelInstance] != cr.GetName() {
		return nil
	}
	// Only the Secret read above: not one made again under the name since.
	err = p.kube.Delete(ctx, s, client.Preconditions{UID: &s.UID})
	return errors.Wrap(client.IgnoreNotFound(err), errDeleteGenerated)
}

// passwordPlan is what a reconcile does about the master password.
type passwordPlan struct {
	// set says to set the desired password in AWS now.
	set bool
	// published is the password the connection Secret carries: the one
	// AWS has.
	published string
	// waiting says why a changed password is not in effect yet; empty when
	// nothing waits.
	waiting string
}

// planPassword decides whether the desired password is set in AWS now, and
// which password applications are given meanwhile. A new password is
// published only once AWS has applied it, so that applications never read a
// password the database still rejects.
func (e *external) planPassword(ctx context.Context, cr *v1beta3.Instance, db rdstypes.DBInstance, pw masterPassword) (passwordPlan, error) {
	if !pw.known() || db.MasterUserSecret != nil {
		return passwordPlan{published: pw.value}, nil
	}
	canUpdate := allows(cr, xpv2.ManagementActionUpdate)
	applied := pw.appliedTo(cr)
	recorded := cr.GetAnnotations()[AnnotationPasswordVersion]
	if !applied && (recorded == ImportedPasswordVersion || recorded == "" && (!canUpdate || !meta.GetExternalCreateSucceeded(cr).IsZero())) {
		// Nothing records which password the instance has. The provider
		// sets none on an instance it only observes, and an instance a
		// Crossplane provider created (the reference provider, whose
		// migrated objects carry no record, or this one, whose record was
		// lost) was created with the password its Secret names: either
		// way that password is taken as the one it has. So is the one of
		// an imported Instance, whose Secret the user filled with it.
		if err := e.annotate(ctx, cr, AnnotationPasswordVersion, pw.version); err != nil {
			return passwordPlan{}, errors.Wrap(err, errPersistAnnotation)
		}
		applied = true
	}
	pending := rdsinstance.PasswordPending(db)
	if applied && !pending {
		return passwordPlan{published: pw.value}, nil
	}
	current, err := e.passwords.published(ctx, cr)
	if err != nil {
		return passwordPlan{}, err
	}
	plan := passwordPlan{published: current}
	plan.set, plan.waiting = passwordWait(cr, db, applied, canUpdate)
	return plan, nil
}

// passwordWait says whether a changed password is set now, and what the
// Instance says meanwhile.
func passwordWait(cr *v1beta3.Instance, db rdstypes.DBInstance, applied, canUpdate bool) (bool, string) {
	set, waiting := false, ""
	status := aws.ToString(db.DBInstanceStatus)
	switch {
	case applied:
		waiting = "AWS is applying the new master password; the connection Secret keeps the current one until it has"
	case !canUpdate:
		waiting = "The master password Secret changed, but the management policies leave out Update, so the provider does not set it; the connection Secret keeps the current password"
	case !rdsinstance.AcceptsModification(status):
		hint := ""
		if strings.EqualFold(status, "stopped") {
			hint = ": start it to apply the new password"
		}
		waiting = "The master password Secret changed; it is set once the DB instance accepts changes (it is " + status + hint + "), and the connection Secret keeps the current password until then"
	default:
		set = true
		waiting = "Setting the new master password; the connection Secret keeps the current one until AWS has applied it"
	}
	if cr.GetAnnotations()[AnnotationPasswordVersion] == restoredPasswordVersion && !applied {
		// Nothing changed in the Secret: the restore brought its source's
		// password, which the connection Secret never carries.
		waiting = "Restored with the master password of its source; " + map[bool]string{
			true:  "setting the one its Secret names, which the connection Secret carries once AWS has applied it",
			false: "the one its Secret names is set once the DB instance accepts changes (it is " + status + "), and the connection Secret carries it once AWS has applied it",
		}[set]
	}
	return set, waiting
}

// allows reports whether the Instance's management policies include an
// action.
func allows(cr *v1beta3.Instance, action xpv2.ManagementAction) bool {
	policies := cr.GetManagementPolicies()
	if len(policies) == 0 {
		return true // the API server defaults them to "*"
	}
	for _, p := range policies {
		if p == action || p == xpv2.ManagementActionAll {
			return true
		}
	}
	return false
}
