package awsconfig

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// A read-only Session's RDS client sends Describe and List calls, and
// refuses every other before it leaves the process.
func TestReadOnlySessionRefusesWrites(t *testing.T) {
	var received atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		received.Add(1)
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances/></DescribeDBInstancesResult></DescribeDBInstancesResponse>`))
	}))
	defer srv.Close()
	s := Session{
		Config:    aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")},
		endpoints: map[string]string{ServiceRDS: srv.URL},
	}.ReadOnly()
	api := s.RDS()
	ctx := context.Background()
	if _, err := api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}); err != nil {
		t.Fatalf("DescribeDBInstances: %v", err)
	}
	_, err := api.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("db")})
	if err == nil || !strings.Contains(err.Error(), "DeleteDBInstance is not a Describe or List call") {
		t.Errorf("DeleteDBInstance: want a refusal, got %v", err)
	}
	_, err = api.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("db")})
	if err == nil {
		t.Error("ModifyDBInstance: want a refusal, got none")
	}
	if n := received.Load(); n != 1 {
		t.Errorf("requests that reached the endpoint: want 1 (the describe), got %d", n)
	}
}
