// Package apis contains the Kubernetes API types of provider-rds.
package apis

import (
	"k8s.io/apimachinery/pkg/runtime"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	ec2v1beta1 "github.com/provider-rds/provider-rds/apis/foreign/ec2/v1beta1"
	iamv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/iam/v1beta1"
	kmsv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/kms/v1beta1"
	ec2mv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/namespaced/ec2/v1beta1"
	iammv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/namespaced/iam/v1beta1"
	kmsmv1beta1 "github.com/provider-rds/provider-rds/apis/foreign/namespaced/kms/v1beta1"
	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	rdsmv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	rdsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/v1beta1"
	rdsv1beta2 "github.com/provider-rds/provider-rds/apis/rds/v1beta2"
	rdsv1beta3 "github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// AddToScheme adds every API group of the provider to a scheme, and the
// kinds of other providers that references read.
func AddToScheme(s *runtime.Scheme) error {
	for _, add := range []func(*runtime.Scheme) error{
		awsv1beta1.AddToScheme, rdsv1beta1.AddToScheme, rdsv1beta2.AddToScheme, rdsv1beta3.AddToScheme, groupsv1beta1.AddToScheme,
		awsmv1beta1.AddToScheme, rdsmv1beta1.AddToScheme,
		ec2v1beta1.AddToScheme, iamv1beta1.AddToScheme, kmsv1beta1.AddToScheme,
		ec2mv1beta1.AddToScheme, iammv1beta1.AddToScheme, kmsmv1beta1.AddToScheme,
	} {
		if err := add(s); err != nil {
			return err
		}
	}
	return nil
}
