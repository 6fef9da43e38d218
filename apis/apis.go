// Package apis contains the Kubernetes API types of provider-rds.
package apis

import (
	"k8s.io/apimachinery/pkg/runtime"

	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	rdsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/v1beta1"
	rdsv1beta2 "github.com/provider-rds/provider-rds/apis/rds/v1beta2"
	rdsv1beta3 "github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// AddToScheme adds every API group of the provider to a scheme.
func AddToScheme(s *runtime.Scheme) error {
	for _, add := range []func(*runtime.Scheme) error{awsv1beta1.AddToScheme, rdsv1beta1.AddToScheme, rdsv1beta2.AddToScheme, rdsv1beta3.AddToScheme} {
		if err := add(s); err != nil {
			return err
		}
	}
	return nil
}
