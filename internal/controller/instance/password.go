package instance

import (
	"context"
	"strings"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/password"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta1"
)

const (
	// AnnotationPasswordVersion records which version of the password Secret
	// was last applied to the DB instance, so that a changed Secret rotates
	// the master password once. It holds the Secret's UID and
	// resourceVersion, nothing derived from the password.
	AnnotationPasswordVersion = "rds.aws.upbound.io/applied-password-version"

	// generatedPasswordKey is the key of a provider-owned password Secret.
	generatedPasswordKey = "password"

	// labelInstance marks provider-owned password Secrets with the name of
	// their Instance.
	labelInstance = "rds.aws.upbound.io/instance"

	errGetPasswordSecret   = "cannot get master password Secret"
	errWritePasswordSecret = "cannot write master password Secret"
	errGeneratePassword    = "cannot generate master password"
)

// masterPassword is a password and the version of the Secret it came from.
type masterPassword struct {
	value   string
	version string
}

func (p masterPassword) known() bool { return p.value != "" }

// passwords reads, and where the provider owns them writes, master passwords.
type passwords struct {
	kube client.Client
	// namespace of the provider, where it keeps the passwords it generates.
	namespace string
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
func (p passwords) current(ctx context.Context, cr *v1beta1.Instance, generate bool) (masterPassword, error) {
	fp := cr.Spec.ForProvider
	if aws.ToBool(fp.ManageMasterUserPassword) {
		return masterPassword{}, nil
	}
	if ref := fp.PasswordSecretRef; ref != nil {
		return p.fromSecret(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, ref.Key, aws.ToBool(fp.AutoGeneratePassword), nil)
	}
	owned := types.NamespacedName{Namespace: p.namespace, Name: GeneratedSecretName(cr.GetName())}
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
		return masterPassword{value: string(v), version: string(s.UID) + "/" + s.ResourceVersion}, nil
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
	return masterPassword{value: pw, version: string(s.UID) + "/" + s.ResourceVersion}, nil
}

// deleteGenerated removes the provider-owned password Secret of an Instance
// once its DB instance is gone.
func (p passwords) deleteGenerated(ctx context.Context, cr *v1beta1.Instance) error {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: p.namespace, Name: GeneratedSecretName(cr.GetName())}}
	return errors.Wrap(client.IgnoreNotFound(p.kube.Delete(ctx, s)), "cannot delete generated master password Secret")
}
