package instance

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/rdstags"
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
	if meta.GetExternalName(mg) != "" {
		return nil
	}
	// A namespaced Instance is read in cluster form: the same spec.
	cr, ok := mg.(*v1beta3.Instance)
	if !ok {
		cr = &v1beta3.Instance{}
		if err := managedkit.ToClusterForm(mg, cr); err != nil {
			return err
		}
	}
	id, err := defaultIdentifier(cr)
	if err != nil {
		return err
	}
	meta.SetExternalName(mg, id)
	if allows(cr, xpv2.ManagementActionCreate) {
		meta.AddAnnotations(mg, map[string]string{AnnotationNewInstance: "true"})
	}
	return errors.Wrap(i.kube.Update(ctx, mg), errSetExternalName)
}

// ownedElsewhere returns the object another Instance's tags name as the
// DB instance's owner, when that object is of the other scope or in
// another namespace: such a database is never taken over, changed,
// re-passworded or deleted from here, whatever the external name says.
// (Within one scope and namespace, notOurs decides, so that objects
// migrated from the reference provider, whose tags match, stay adopted.)
func ownedElsewhere(cr *v1beta3.Instance, db types.DBInstance, k managedkit.Kind) (string, bool) {
	kind, ns, name := ownerTags(db)
	if !strings.HasPrefix(kind, "instance.rds.aws.") {
		return "", false // untagged, or not an Instance's
	}
	owner := kind + " " + name
	if ns != "" {
		owner = kind + " " + ns + "/" + name
	}
	switch {
	case kind != k.TagValue():
		return owner, true // the other scope's
	case ns != "" && ns != cr.GetNamespace():
		return owner, true // another namespace's
	}
	// This kind's, in this namespace or with no namespace tag (a
	// cluster-scoped Instance's, or a namespaced one's tagged before the
	// tag existed, which notOurs keeps a new Instance from taking).
	return "", false
}

// notOurs reports whether a DB instance found under the Instance's
// identifier is one the Instance was to create but did not: the provider
// chose the identifier for a new instance, never recorded a successful
// create or observed this instance before, and the instance lacks the tags
// the provider gives every instance it creates.
func notOurs(cr *v1beta3.Instance, db types.DBInstance, k managedkit.Kind) bool {
	if cr.GetAnnotations()[AnnotationNewInstance] != "true" || !meta.GetExternalCreateSucceeded(cr).IsZero() {
		return false
	}
	if id := aws.ToString(db.DbiResourceId); id != "" && id == aws.ToString(cr.Status.AtProvider.ResourceID) {
		return false
	}
	kind, ns, name := ownerTags(db)
	return kind != k.TagValue() || name != cr.GetName() || ns != cr.GetNamespace()
}

// ownerTags returns the kind, namespace and name of the managed resource
// that a DB instance's Crossplane tags name as its owner ("" for a tag it
// lacks).
func ownerTags(db types.DBInstance) (kind, namespace, name string) {
	tags := rdstags.Map(db.TagList)
	return aws.ToString(tags[resource.ExternalResourceTagKeyKind]), aws.ToString(tags[resource.ExternalResourceTagKeyNamespace]), aws.ToString(tags[resource.ExternalResourceTagKeyName])
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
