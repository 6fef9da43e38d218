package awsconfig

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

const (
	errReadOnly             = "refused before sending it: this client only reads, and %s is not a Describe or List call"
	errNoAmbientRegion      = "no AWS region: pass --region, or set AWS_REGION or a region in the AWS profile"
	errNoAmbientCredentials = "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --aws-profile, or name a ProviderConfig in a cluster" //nolint:gosec // G101: a message naming variables, no credential.
)

// ReadOnly returns the Session with clients that refuse, before sending
// them, all RDS calls but Describe and List ones: what the plan and import
// commands use, which must change nothing in AWS whatever path the code
// they share with the controllers takes.
func (s Session) ReadOnly() Session {
	s.readOnly = true
	return s
}

// refuseWrites fails every operation that is not a Describe or a List.
func refuseWrites(st *middleware.Stack) error {
	return st.Initialize.Add(middleware.InitializeMiddlewareFunc("ProviderRDSReadOnly",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if op := middleware.GetOperationName(ctx); !ReadOnlyOperation(op) {
				return middleware.InitializeOutput{}, middleware.Metadata{}, errors.Errorf(errReadOnly, op)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
}

// ReadOnlyOperation reports whether an AWS operation only reads.
func ReadOnlyOperation(op string) bool {
	return strings.HasPrefix(op, "Describe") || strings.HasPrefix(op, "List")
}

// AmbientSession is a Session with the credentials and region of the
// environment (AWS_* variables, the shared config file and its profile,
// the metadata services), as the AWS CLI finds them, and the endpoint
// AWS_ENDPOINT_URL names, if any: for commands run without a cluster.
func AmbientSession(ctx context.Context, appID, profile, region string) (Session, error) {
	opts := []func(*config.LoadOptions) error{config.WithAppID(appID)}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return Session{}, errors.Wrap(err, errLoadConfig)
	}
	if cfg.Region == "" {
		return Session{}, errors.New(errNoAmbientRegion)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return Session{}, errors.Wrap(err, errNoAmbientCredentials)
	}
	s := Session{Config: cfg, ID: "ambient/" + profile + "/" + cfg.Region}
	if u := aws.ToString(cfg.BaseEndpoint); u != "" {
		// AWS_ENDPOINT_URL: an emulator, or a VPC endpoint, for every service.
		s.endpoints = map[string]string{ServiceRDS: u, ServiceKMS: u}
	}
	return s, nil
}
