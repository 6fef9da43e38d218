// Package metrics holds the provider's own Prometheus metrics.
package metrics

import (
	"github.com/aws/smithy-go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// AWSCalls counts AWS API calls by service, operation and outcome: "success",
// or the AWS error code (such as Throttling or DBInstanceNotFound), or
// "error" when the call failed without one.
type AWSCalls struct {
	total *prometheus.CounterVec
}

// NewAWSCalls returns a counter of AWS API calls.
func NewAWSCalls() *AWSCalls {
	return &AWSCalls{total: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "provider_rds_aws_api_calls_total",
		Help: "AWS API calls made by the provider, by service, operation and outcome.",
	}, []string{"service", "operation", "outcome"})}
}

// ObserveCall counts one call.
func (a *AWSCalls) ObserveCall(service, operation string, err error) {
	a.total.WithLabelValues(service, operation, outcome(err)).Inc()
}

func outcome(err error) string {
	if err == nil {
		return "success"
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "error"
}

// Describe implements prometheus.Collector.
func (a *AWSCalls) Describe(ch chan<- *prometheus.Desc) { a.total.Describe(ch) }

// Collect implements prometheus.Collector.
func (a *AWSCalls) Collect(ch chan<- prometheus.Metric) { a.total.Collect(ch) }
