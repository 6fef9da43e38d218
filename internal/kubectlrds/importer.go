package kubectlrds

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/conversion"
	"sigs.k8s.io/yaml"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta2"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/instance"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

// importOptions are the flags of `kubectl rds import`.
type importOptions struct {
	region      string
	identifiers []string
	tags        map[string]string
	// namespace, when set, makes the manifests of the namespaced kinds.
	namespace          string
	apiVersion         string
	providerConfig     string
	providerConfigKind string
	outputDir          string
	allowDelete        bool
	withGroups         bool
}

// importedDoc is one manifest import writes, with the comment above it.
type importedDoc struct {
	file    string
	comment string
	object  resource.Managed
}

// observedOnlyPolicies are the management policies of an imported
// namespaced object without --allow-delete: all but Delete.
var observedOnlyPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve, xpv2.ManagementActionCreate, xpv2.ManagementActionUpdate, xpv2.ManagementActionLateInitialize}

// importAll describes the DB instances the options select and returns
// their manifests (and their groups').
func importAll(ctx context.Context, t *target, o importOptions) ([]importedDoc, error) {
	probe := o.configHolder()
	s, err := t.session(ctx, probe, o.region)
	if err != nil {
		return nil, err
	}
	api := s.RDS()
	dbs, err := describeSelected(ctx, api, o.identifiers)
	if err != nil {
		return nil, err
	}
	var docs []importedDoc
	subnetGroups, parameterGroups := map[string]bool{}, map[string]bool{}
	for _, db := range dbs {
		if !hasTags(db.TagList, o.tags) {
			continue
		}
		cr := o.instance(db, t.providerNamespace)
		if o.withGroups {
			if g := aws.ToString(cr.Spec.ForProvider.DBSubnetGroupName); g != "" {
				cr.Spec.ForProvider.DBSubnetGroupName, cr.Spec.ForProvider.DBSubnetGroupNameRef = nil, &xpv2.Reference{Name: g}
				if !subnetGroups[g] {
					subnetGroups[g] = true
					sg, err := o.subnetGroup(ctx, api, g)
					if err != nil {
						return nil, err
					}
					docs = append(docs, sg)
				}
			}
			if g := aws.ToString(cr.Spec.ForProvider.ParameterGroupName); g != "" {
				cr.Spec.ForProvider.ParameterGroupName, cr.Spec.ForProvider.ParameterGroupNameRef = nil, &xpv2.Reference{Name: g}
				if !parameterGroups[g] {
					parameterGroups[g] = true
					pg, err := o.parameterGroup(ctx, api, g)
					if err != nil {
						return nil, err
					}
					docs = append(docs, pg)
				}
			}
		}
		doc, err := o.finish(cr, passwordComment(cr, db))
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// configHolder is an object of the target kind and scope that names the
// ProviderConfig, whose session import reads with.
func (o importOptions) configHolder() resource.Managed {
	if o.namespace != "" {
		cr := &nsv1beta1.Instance{}
		cr.SetNamespace(o.namespace)
		cr.SetProviderConfigReference(&xpv2.ProviderConfigReference{Kind: o.providerConfigKind, Name: o.providerConfig})
		return cr
	}
	cr := &v1beta3.Instance{}
	cr.SetProviderConfigReference(&xpv2.Reference{Name: o.providerConfig})
	return cr
}

// describeSelected describes the DB instances named, or all of the region.
func describeSelected(ctx context.Context, api *rds.Client, ids []string) ([]types.DBInstance, error) {
	var out []types.DBInstance
	if len(ids) > 0 {
		for _, id := range ids {
			r, err := api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
			if err != nil {
				return nil, errors.Wrapf(err, "cannot describe DB instance %s", id)
			}
			out = append(out, r.DBInstances...)
		}
		return out, nil
	}
	p := rds.NewDescribeDBInstancesPaginator(api, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(100)})
	for p.HasMorePages() {
		r, err := p.NextPage(ctx)
		if err != nil {
			return nil, errors.Wrap(err, "cannot describe DB instances")
		}
		out = append(out, r.DBInstances...)
	}
	return out, nil
}

func hasTags(tags []types.Tag, want map[string]string) bool {
	have := managedkit.TagMap(tags)
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// instance is the hub Instance of a described DB instance.
func (o importOptions) instance(db types.DBInstance, providerNamespace string) *v1beta3.Instance {
	id := aws.ToString(db.DBInstanceIdentifier)
	cr := &v1beta3.Instance{}
	cr.SetName(id)
	meta.SetExternalName(cr, id)
	cr.Spec.ForProvider = rdsinstance.ImportParameters(db, o.region)
	switch {
	case db.ReadReplicaSourceDBInstanceIdentifier != nil:
		// A replica's master user is its source's.
	case db.MasterUserSecret != nil:
		cr.Spec.ForProvider.ManageMasterUserPassword = aws.Bool(true)
	default:
		ns := providerNamespace
		if o.namespace != "" {
			ns = o.namespace
		}
		cr.Spec.ForProvider.PasswordSecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Name: instance.GeneratedSecretName(id), Namespace: ns}, Key: "password"}
		meta.AddAnnotations(cr, map[string]string{instance.AnnotationPasswordVersion: instance.ImportedPasswordVersion})
	}
	return cr
}

func passwordComment(cr *v1beta3.Instance, db types.DBInstance) string {
	c := fmt.Sprintf("# Imported by kubectl rds import: DB instance %s (%s %s).\n", aws.ToString(db.DBInstanceIdentifier), aws.ToString(db.Engine), aws.ToString(db.EngineVersion))
	if ref := cr.Spec.ForProvider.PasswordSecretRef; ref != nil {
		c += fmt.Sprintf("# The master password was not read. Before applying, create Secret %s/%s with key %q\n# holding the database's current master password: the provider takes it as the one\n# the database has, and sets it only when the Secret changes.\n", ref.Namespace, ref.Name, ref.Key)
	}
	return c
}

func (o importOptions) subnetGroup(ctx context.Context, api *rds.Client, name string) (importedDoc, error) {
	r, err := api.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(name)})
	if err != nil || len(r.DBSubnetGroups) == 0 {
		return importedDoc{}, errors.Wrapf(err, "cannot describe DB subnet group %s", name)
	}
	g := r.DBSubnetGroups[0]
	tags, err := managedkit.Tags(ctx, api, g.DBSubnetGroupArn)
	if err != nil {
		return importedDoc{}, err
	}
	sg := &groupsv1beta1.SubnetGroup{}
	sg.SetName(name)
	meta.SetExternalName(sg, name)
	sg.Spec.ForProvider.Region = aws.String(o.region)
	sg.Spec.ForProvider.Description = g.DBSubnetGroupDescription
	for _, s := range g.Subnets {
		sg.Spec.ForProvider.SubnetIDs = append(sg.Spec.ForProvider.SubnetIDs, s.SubnetIdentifier)
	}
	sg.Spec.ForProvider.Tags = rdsinstance.UserTags(tags)
	return o.finish(sg, "# Imported by kubectl rds import: DB subnet group "+name+".\n")
}

func (o importOptions) parameterGroup(ctx context.Context, api *rds.Client, name string) (importedDoc, error) {
	r, err := api.DescribeDBParameterGroups(ctx, &rds.DescribeDBParameterGroupsInput{DBParameterGroupName: aws.String(name)})
	if err != nil || len(r.DBParameterGroups) == 0 {
		return importedDoc{}, errors.Wrapf(err, "cannot describe DB parameter group %s", name)
	}
	g := r.DBParameterGroups[0]
	tags, err := managedkit.Tags(ctx, api, g.DBParameterGroupArn)
	if err != nil {
		return importedDoc{}, err
	}
	pg := &groupsv1beta1.ParameterGroup{}
	pg.SetName(name)
	meta.SetExternalName(pg, name)
	pg.Spec.ForProvider.Region = aws.String(o.region)
	pg.Spec.ForProvider.Family = g.DBParameterGroupFamily
	pg.Spec.ForProvider.Description = g.Description
	pg.Spec.ForProvider.Tags = rdsinstance.UserTags(tags)
	params := rds.NewDescribeDBParametersPaginator(api, &rds.DescribeDBParametersInput{DBParameterGroupName: aws.String(name), Source: aws.String("user")})
	for params.HasMorePages() {
		page, err := params.NextPage(ctx)
		if err != nil {
			return importedDoc{}, errors.Wrapf(err, "cannot describe the parameters of DB parameter group %s", name)
		}
		for _, p := range page.Parameters {
			method := "immediate"
			if strings.EqualFold(aws.ToString(p.ApplyType), "static") {
				method = "pending-reboot"
			}
			pg.Spec.ForProvider.Parameter = append(pg.Spec.ForProvider.Parameter, groupsv1beta1.Parameter{Name: p.ParameterName, Value: p.ParameterValue, ApplyMethod: aws.String(method)})
		}
	}
	return o.finish(pg, "# Imported by kubectl rds import: DB parameter group "+name+".\n")
}

// finish puts a hub object into the target version and scope, with the
// policies that keep the database when the object goes.
func (o importOptions) finish(view resource.Managed, comment string) (importedDoc, error) {
	out := view
	if o.namespace != "" {
		ns := namespacedTwin(view)
		if err := managedkit.FromClusterForm(view, ns); err != nil {
			return importedDoc{}, err
		}
		ns.SetName(view.GetName())
		ns.SetNamespace(o.namespace)
		ns.SetAnnotations(view.GetAnnotations())
		mm, _ := ns.(resource.ModernManaged)
		mm.SetProviderConfigReference(&xpv2.ProviderConfigReference{Kind: o.providerConfigKind, Name: o.providerConfig})
		if !o.allowDelete {
			ns.SetManagementPolicies(observedOnlyPolicies)
		}
		out = ns
	} else {
		if lm, ok := view.(resource.LegacyManaged); ok {
			lm.SetProviderConfigReference(&xpv2.Reference{Name: o.providerConfig})
			if !o.allowDelete {
				lm.SetDeletionPolicy(xpv2.DeletionOrphan)
			}
		}
		if hub, ok := view.(*v1beta3.Instance); ok && o.apiVersion != "" && o.apiVersion != v1beta3.SchemeGroupVersion.String() {
			older, err := olderVersion(o.apiVersion)
			if err != nil {
				return importedDoc{}, err
			}
			if err := older.ConvertFrom(hub); err != nil {
				return importedDoc{}, errors.Wrapf(err, "cannot convert to %s", o.apiVersion)
			}
			out = older.(resource.Managed)
		}
	}
	gvks, _, err := scheme.ObjectKinds(out)
	if err != nil {
		return importedDoc{}, err
	}
	out.GetObjectKind().SetGroupVersionKind(gvks[0])
	file := strings.ToLower(gvks[0].Kind) + "-" + out.GetName() + ".yaml"
	return importedDoc{file: file, comment: comment, object: out}, nil
}

func namespacedTwin(view resource.Managed) resource.Managed {
	switch view.(type) {
	case *groupsv1beta1.SubnetGroup:
		return &nsv1beta1.SubnetGroup{}
	case *groupsv1beta1.ParameterGroup:
		return &nsv1beta1.ParameterGroup{}
	}
	return &nsv1beta1.Instance{}
}

// olderVersion is an empty Instance of an older served version.
func olderVersion(apiVersion string) (conversion.Convertible, error) {
	switch apiVersion {
	case v1beta1.SchemeGroupVersion.String():
		return &v1beta1.Instance{}, nil
	case v1beta2.SchemeGroupVersion.String():
		return &v1beta2.Instance{}, nil
	}
	return nil, errors.Errorf("--api-version %s: the Instance versions are %s, %s and %s", apiVersion, v1beta1.SchemeGroupVersion, v1beta2.SchemeGroupVersion, v1beta3.SchemeGroupVersion)
}

// manifestYAML is an object as a person would keep it in Git: no status,
// no fields the API server fills.
func manifestYAML(obj runtime.Object) ([]byte, error) {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	delete(u, "status")
	if md, ok := u["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	return yaml.Marshal(u)
}

// writeDocs writes the manifests to one stream, or one file each.
func writeDocs(docs []importedDoc, dir string, stdout io.Writer) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return errors.Wrap(err, "cannot create the output directory")
		}
	}
	for i, d := range docs {
		b, err := manifestYAML(d.object)
		if err != nil {
			return err
		}
		text := d.comment + string(b)
		if dir != "" {
			if err := os.WriteFile(filepath.Join(dir, d.file), []byte(text), 0o600); err != nil {
				return errors.Wrap(err, "cannot write a manifest")
			}
			continue
		}
		if i > 0 {
			text = "---\n" + text
		}
		if _, err := io.WriteString(stdout, text); err != nil {
			return err
		}
	}
	return nil
}
