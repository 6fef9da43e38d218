package instance

import (
	"context"
	"crypto/rand"
	"math/big"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

const errSetExternalName = "cannot record the DB instance identifier as external name"

// AnnotationNewInstance marks an Instance whose identifier the provider
// chose in order to create a new DB instance (rather than one the user named
// to adopt an existing one). A DB instance found under that identifier that
// this Instance did not create is then a collision, not an adoption.
const AnnotationNewInstance = "rds.aws.upbound.io/new-instance"

// identifierInitializer fixes the DB instance identifier before anything is
// created, so that creation is idempotent across restarts. The external-name
// annotation wins when set; otherwise spec.forProvider.identifier, then a
// unique name from identifierPrefix, then metadata.name.
type identifierInitializer struct{ kube client.Client }

func (i identifierInitializer) Initialize(ctx context.Context, mg resource.Managed) error {
	set, err := initializeExternalName(mg)
	if err != nil || !set {
		return err
	}
	return errors.Wrap(i.kube.Update(ctx, mg), errSetExternalName)
}

// initializeExternalName gives an Instance without an external name its
// DB instance identifier, marked new when the Instance may create it; it
// reports whether it set one.
func initializeExternalName(mg resource.Managed) (bool, error) {
	if meta.GetExternalName(mg) != "" {
		return false, nil
	}
	// A namespaced Instance is read in cluster form: the same spec.
	cr, ok := mg.(*v1beta3.Instance)
	if !ok {
		cr = &v1beta3.Instance{}
		if err := managedkit.ToClusterForm(mg, cr); err != nil {
			return false, err
		}
	}
	id, err := defaultIdentifier(cr)
	if err != nil {
		return false, err
	}
	meta.SetExternalName(mg, id)
	if allows(cr, xpv2.ManagementActionCreate) {
		meta.AddAnnotations(mg, map[string]string{AnnotationNewInstance: "true"})
	}
	return true, nil
}

// known reports whether a DB instance is one the Instance already
// manages: it created it, or recorded its resource ID before.
func known(cr *v1beta3.Instance, db types.DBInstance) bool {
	if !meta.GetExternalCreateSucceeded(cr).IsZero() {
		return true
	}
	id := aws.ToString(db.DbiResourceId)
	return id != "" && id == aws.ToString(cr.Status.AtProvider.ResourceID)
}

// notOurs reports whether a DB instance found under the Instance's
// identifier is one the Instance was to create but did not: the provider
// chose the identifier for a new instance, never recorded a successful
// create or observed this instance before, and the instance lacks the tags
// the provider gives every instance it creates.
func notOurs(cr *v1beta3.Instance, db types.DBInstance, k managedkit.Kind) bool {
	if cr.GetAnnotations()[AnnotationNewInstance] != "true" || known(cr, db) {
		return false
	}
	tags := managedkit.TagMap(db.TagList)
	return tags[resource.ExternalResourceTagKeyKind] != k.TagValue() || tags[resource.ExternalResourceTagKeyName] != cr.GetName() || tags[resource.ExternalResourceTagKeyNamespace] != cr.GetNamespace()
}

func defaultIdentifier(cr *v1beta3.Instance) (string, error) {
	switch {
	case aws.ToString(cr.Spec.ForProvider.Identifier) != "":
		return *cr.Spec.ForProvider.Identifier, nil
	case aws.ToString(cr.Spec.InitProvider.Identifier) != "":
		return *cr.Spec.InitProvider.Identifier, nil
	}
	prefix := aws.ToString(cr.Spec.ForProvider.IdentifierPrefix)
	if prefix == "" {
		prefix = aws.ToString(cr.Spec.InitProvider.IdentifierPrefix)
	}
	if prefix == "" {
		return cr.GetName(), nil
	}
	// Like the reference provider: the prefix plus 26 characters that make
	// the identifier unique.
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	suffix := make([]byte, 26)
	for n := range suffix {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", errors.Wrap(err, "cannot generate a unique identifier")
		}
		suffix[n] = alphabet[i.Int64()]
	}
	return prefix + string(suffix), nil
}
