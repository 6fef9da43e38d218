package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/provider-rds/provider-rds/test/harness"
)

// LocalStack, where a Docker engine and a LocalStack auth token exist,
// answers the RDS API the provider uses. Elsewhere the test is skipped and
// says why.
func TestLocalStackBackend(t *testing.T) {
	ctx := context.Background()
	if env.Backend.Kind == harness.BackendLocalStack {
		t.Log("the whole suite runs against LocalStack")
	}
	if reason := harness.LocalStackUnavailable(ctx); reason != "" {
		t.Skip("LocalStack path skipped: " + reason)
	}
	b, err := harness.StartLocalStack(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Stop()
	c := rds.New(rds.Options{Region: harness.Region, BaseEndpoint: aws.String(b.Endpoint), Credentials: credentials.NewStaticCredentialsProvider(b.AccessKeyID, b.SecretAccessKey, "")})
	if _, err := c.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}); err != nil {
		t.Fatalf("DescribeDBInstances against LocalStack: %v", err)
	}
}
