package e2e

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes"
)

// The provider keeps no cache of the cluster's Secrets: it holds no watch
// on them (issue 13's memory goal) (a cache would list and watch every Secret, and its memory would
// grow with Secrets it has nothing to do with), yet it reads the ones it
// needs: the other tests create Instances with password and connection
// Secrets while this one looks.
func TestSecretsAreNotWatched(t *testing.T) {
	createInstance(t, newInstance("no-secret-cache-db", providerConfigName))
	waitReadySynced(t, "no-secret-cache-db")
	// The API server's own informers watch Secrets and ServiceAccounts once
	// each; the provider watches neither.
	own := apiserverGauge(t, `apiserver_longrunning_requests{`, `resource="serviceaccounts"`, `verb="WATCH"`)
	if n := apiserverGauge(t, `apiserver_longrunning_requests{`, `resource="secrets"`, `verb="WATCH"`); n != own {
		t.Errorf("watches on Secrets: want only the API server's own (%g), got %g", own, n)
	}
	if n := apiserverGauge(t, `apiserver_longrunning_requests{`, `resource="instances"`, `verb="WATCH"`); n == 0 {
		t.Error("no watch on Instances either: the metric does not show the provider's watches, so this test shows nothing")
	}
}

// apiserverGauge sums the values of the API server's metric lines that
// contain every part.
func apiserverGauge(t *testing.T, parts ...string) float64 {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.RESTConfig)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := cs.RESTClient().Get().AbsPath("/metrics").DoRaw(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
lines:
	for sc.Scan() {
		line := sc.Text()
		for _, p := range parts {
			if !strings.Contains(line, p) {
				continue lines
			}
		}
		fields := strings.Fields(line)
		v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		sum += v
	}
	return sum
}
