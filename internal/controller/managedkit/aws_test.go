package managedkit

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/provider-rds/provider-rds/apis"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// Annotate persists an annotation, and writes nothing when the object
// already carries it at that value.
func TestAnnotate(t *testing.T) {
	cases := map[string]struct {
		have      map[string]string
		wantWrite bool
	}{
		"Missing":   {have: nil, wantWrite: true},
		"Different": {have: map[string]string{"k": "old"}, wantWrite: true},
		"Same":      {have: map[string]string{"k": "v"}, wantWrite: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := runtime.NewScheme()
			if err := apis.AddToScheme(s); err != nil {
				t.Fatal(err)
			}
			in := &v1beta3.Instance{ObjectMeta: metav1.ObjectMeta{Name: "db", Annotations: tc.have}}
			writes := 0
			kube := fake.NewClientBuilder().WithScheme(s).WithObjects(in.DeepCopy()).WithInterceptorFuncs(interceptor.Funcs{
				Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, p client.Patch, o ...client.PatchOption) error {
					writes++
					return c.Patch(ctx, obj, p, o...)
				},
			}).Build()
			if err := Annotate(context.Background(), kube, in, "k", "v"); err != nil {
				t.Fatal(err)
			}
			if got := writes > 0; got != tc.wantWrite {
				t.Errorf("wrote: got %t, want %t", got, tc.wantWrite)
			}
			stored := &v1beta3.Instance{}
			if err := kube.Get(context.Background(), types.NamespacedName{Name: "db"}, stored); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("v", stored.GetAnnotations()["k"]); diff != "" {
				t.Errorf("stored annotation (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff("v", in.GetAnnotations()["k"]); diff != "" {
				t.Errorf("annotation of the object held (-want +got):\n%s", diff)
			}
		})
	}
}
