package harness

import (
	"net/http"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// AWSCalls reads the AWS call counter (provider_rds_aws_api_calls_total)
// that a provider binary serves at url: the calls of a service (any when
// empty), by operation and outcome.
func AWSCalls(tb testing.TB, url, service string) map[[2]string]float64 {
	tb.Helper()
	out := map[[2]string]float64{}
	for _, mt := range metricFamilies(tb, url)["provider_rds_aws_api_calls_total"].GetMetric() {
		l := map[string]string{}
		for _, p := range mt.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		if service == "" || l["service"] == service {
			out[[2]string{l["operation"], l["outcome"]}] += mt.GetCounter().GetValue()
		}
	}
	return out
}

// MetricSum is the sum of a counter family's values at a metrics endpoint,
// 0 when the family is absent (a counter that never counted).
func MetricSum(tb testing.TB, url, family string) float64 {
	tb.Helper()
	sum := 0.0
	for _, mt := range metricFamilies(tb, url)[family].GetMetric() {
		sum += mt.GetCounter().GetValue()
	}
	return sum
}

// metricFamilies reads the metrics a Prometheus endpoint serves.
func metricFamilies(tb testing.TB, url string) map[string]*dto.MetricFamily {
	tb.Helper()
	rsp, err := http.Get(url) //nolint:gosec // G107: the provider's metrics on loopback, where the test bound them.
	if err != nil {
		tb.Fatal(err)
	}
	defer rsp.Body.Close() //nolint:errcheck // Read fully below.
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rsp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return families
}
