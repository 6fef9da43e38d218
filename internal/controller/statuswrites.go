package controller

import (
	"context"
	"reflect"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
)

// NewClient is the manager's client (ctrl.Options.NewClient): client.New,
// with status writes of managed resources that would change nothing left
// out.
//
// crossplane-runtime's managed reconciler writes the status at the end of
// every reconcile, once a poll for every managed resource, whether or not
// anything in it changed. The API server then decodes the object, converts
// it for every version a manager wrote it in (the conversion webhook, for
// manifests in an older version), compares it and writes nothing: at a
// thousand Instances that is most of the steady cost of the API server and
// a good part of the provider's. A write is left out only when the object
// is the version the cache holds and its status equals the cached one, so
// nothing a reconcile changed, and no write that could conflict, is lost.
func NewClient(cfg *rest.Config, o client.Options) (client.Client, error) {
	c, err := client.New(cfg, o)
	if err != nil {
		return nil, err
	}
	return &unchangedStatusSkipped{Client: c}, nil
}

type unchangedStatusSkipped struct{ client.Client }

func (c *unchangedStatusSkipped) Status() client.SubResourceWriter {
	return &statusWriter{SubResourceWriter: c.Client.Status(), cached: c.Client}
}

// statusWriter writes a managed resource's status unless it is unchanged.
type statusWriter struct {
	client.SubResourceWriter
	cached client.Reader
}

func (w *statusWriter) Update(ctx context.Context, obj client.Object, opts ...client.SubResourceUpdateOption) error {
	if len(opts) == 0 && w.unchanged(ctx, obj) {
		return nil
	}
	return w.SubResourceWriter.Update(ctx, obj, opts...)
}

// unchanged reports whether a managed resource's status is what the cache
// holds for the same resource version.
func (w *statusWriter) unchanged(ctx context.Context, obj client.Object) bool {
	if _, ok := obj.(resource.Managed); !ok || obj.GetResourceVersion() == "" {
		return false
	}
	// An empty object of the same type to read into: the cache copies the
	// object it holds into it, so copying obj first would be wasted.
	t := reflect.TypeOf(obj)
	if t.Kind() != reflect.Pointer {
		return false
	}
	cached, ok := reflect.New(t.Elem()).Interface().(client.Object)
	if !ok {
		return false
	}
	if err := w.cached.Get(ctx, client.ObjectKeyFromObject(obj), cached); err != nil || cached.GetResourceVersion() != obj.GetResourceVersion() {
		return false
	}
	have, want := statusOf(cached), statusOf(obj)
	return have.IsValid() && want.IsValid() && equality.Semantic.DeepEqual(have.Interface(), want.Interface())
}

// statusOf is the Status field of a typed object.
func statusOf(obj client.Object) reflect.Value {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.Elem().FieldByName("Status")
}
