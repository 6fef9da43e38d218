package kubectlrds

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/conversion"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/provider-rds/provider-rds/apis"
	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
	"github.com/provider-rds/provider-rds/internal/controller/managedkit"
)

// A manifest is one managed resource read from a file.
type manifest struct {
	// source names the file and document it came from.
	source string
	// object is the resource as written, in its version and scope.
	object resource.Managed
	// view is its cluster form in the version the controllers read
	// (v1beta3 for Instances).
	view resource.Managed
	// namespaced says object is of a namespaced kind.
	namespaced bool
}

// scheme knows every kind the provider serves.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{apis.AddToScheme, clientgoscheme.AddToScheme} {
		if err := add(s); err != nil {
			panic(err) // the types of this build always register
		}
	}
	return s
}()

// decoder decodes strictly, as the API server validates fields: an unknown
// or repeated field is an error, not a silently dropped setting.
var decoder = serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()

// readManifests reads the managed resources of a file, a directory (its
// .yaml, .yml and .json files, in name order) or standard input ("-").
// Documents of other kinds are skipped.
func readManifests(path string, stdin io.Reader, namespace string) ([]manifest, error) {
	if path == "-" {
		return decodeAll("stdin", stdin, namespace)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, errors.Wrap(err, "cannot read manifests")
	}
	files := []string{path}
	if info.IsDir() {
		files = nil
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, errors.Wrap(err, "cannot read manifests")
		}
		for _, e := range entries {
			if ext := strings.ToLower(filepath.Ext(e.Name())); !e.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		sort.Strings(files)
	}
	var out []manifest
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // G304: reading the files the user names is the command's job.
		if err != nil {
			return nil, errors.Wrap(err, "cannot read manifests")
		}
		ms, err := decodeAll(f, bytes.NewReader(b), namespace)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// decodeAll decodes the documents of a multi-document YAML or JSON stream.
func decodeAll(name string, r io.Reader, namespace string) ([]manifest, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	var out []manifest
	for i := 1; ; i++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, errors.Wrapf(err, "%s: cannot split documents", name)
		}
		if len(bytes.TrimSpace(doc)) == 0 || isOnlyComments(doc) {
			continue
		}
		source := name + "#" + strconv.Itoa(i)
		obj, gvk, err := decoder.Decode(doc, nil, nil)
		if runtime.IsNotRegisteredError(err) || (err == nil && !managedKind(gvk.Group)) {
			continue
		}
		if err != nil {
			return nil, errors.Wrapf(err, "%s", source)
		}
		mg, ok := obj.(resource.Managed)
		if !ok {
			continue
		}
		m, err := toView(mg, namespace)
		if err != nil {
			return nil, errors.Wrapf(err, "%s", source)
		}
		m.source = source
		out = append(out, m)
	}
}

func isOnlyComments(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

// managedKind reports whether an API group holds kinds this command plans.
func managedKind(group string) bool {
	return group == v1beta3.Group || group == nsv1beta1.Group
}

// viewOf returns an empty cluster form of a namespaced managed resource,
// or nil for a cluster-scoped one.
func viewOf(mg resource.Managed) resource.Managed {
	switch mg.(type) {
	case *nsv1beta1.Instance:
		return &v1beta3.Instance{}
	case *nsv1beta1.SubnetGroup:
		return &groupsv1beta1.SubnetGroup{}
	case *nsv1beta1.ParameterGroup:
		return &groupsv1beta1.ParameterGroup{}
	}
	return nil
}

// toView converts a managed resource to the cluster form and hub version
// its controller reads.
func toView(mg resource.Managed, namespace string) (manifest, error) {
	m := manifest{object: mg}
	if viewOf(mg) != nil && mg.GetNamespace() == "" {
		mg.SetNamespace(namespace)
	}
	switch o := mg.(type) {
	case *v1beta3.Instance, *groupsv1beta1.SubnetGroup, *groupsv1beta1.ParameterGroup:
		m.view = o
	case conversion.Convertible:
		hub := &v1beta3.Instance{}
		if err := o.ConvertTo(hub); err != nil {
			return manifest{}, errors.Wrap(err, "cannot convert to v1beta3")
		}
		m.view = hub
	default:
		view := viewOf(mg)
		if view == nil {
			return manifest{}, errors.Errorf("kind %s is not planned", mg.GetObjectKind().GroupVersionKind().Kind)
		}
		if err := managedkit.ToClusterForm(mg, view); err != nil {
			return manifest{}, err
		}
		m.view, m.namespaced = view, true
	}
	return m, nil
}
