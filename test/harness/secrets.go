package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/prometheus/common/expfmt"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	awsmv1beta1 "github.com/provider-rds/provider-rds/apis/aws/namespaced/v1beta1"
	awsv1beta1 "github.com/provider-rds/provider-rds/apis/aws/v1beta1"
	groupsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/groups/v1beta1"
	nsv1beta1 "github.com/provider-rds/provider-rds/apis/rds/namespaced/v1beta1"
	"github.com/provider-rds/provider-rds/apis/rds/v1beta3"
)

// minSecretLength is the shortest value checked: shorter ones (the
// emulator's "test" keys) also occur in ordinary text.
const minSecretLength = 8

// CheckNoSecretsLeaked fails the test if a secret value held in any Secret
// of the cluster (passwords, credentials, tokens, keys) appears in the
// in-process provider's log, in any event, in the metadata, spec or status
// of any Instance or ProviderConfig, in the provider's metrics, or in the
// extra logs given (a provider binary's). The failure names the Secret and
// key, never the value.
func (e *Env) CheckNoSecretsLeaked(t testing.TB, extraLogs ...string) {
	t.Helper()
	leaks, err := e.SecretLeaks(context.Background(), extraLogs...)
	if err != nil {
		t.Fatalf("secret check: %v", err)
	}
	for _, l := range leaks {
		t.Error(l)
	}
}

// SuiteLeakedSecrets reports on standard error, for a suite whose tests
// have all run, every place a secret value appears (SecretLeaks), and
// whether any did or the search failed: either fails the suite.
func (e *Env) SuiteLeakedSecrets(suite string, extraLogs ...string) bool {
	leaks, err := e.SecretLeaks(context.Background(), extraLogs...)
	if err != nil {
		fmt.Fprintln(os.Stderr, suite+": cannot check for leaked secrets:", err)
		return true
	}
	for _, l := range leaks {
		fmt.Fprintln(os.Stderr, suite+":", l)
	}
	return len(leaks) > 0
}

// SecretLeaks returns where a secret value of the cluster appears (see
// CheckNoSecretsLeaked), naming the Secret and key, never the value. The
// end-to-end suites also run it once all their tests have, so that a leak
// anywhere in them fails the run.
func (e *Env) SecretLeaks(ctx context.Context, extraLogs ...string) ([]string, error) {
	secrets := &corev1.SecretList{}
	if err := e.Kube.List(ctx, secrets); err != nil {
		return nil, err
	}
	values := map[string]string{} // value -> where it is kept
	for _, s := range secrets.Items {
		for key, v := range s.Data {
			if !secretKey(key) {
				continue
			}
			for _, value := range secretValues(string(v)) {
				values[value] = s.Namespace + "/" + s.Name + " key " + key
			}
		}
	}

	texts := map[string]string{}
	if e.providerLog != nil {
		texts["the provider's log"] = e.providerLog.String()
	}
	for i, l := range extraLogs {
		texts["provider log "+string(rune('1'+i))] = l
	}
	lists := map[string]client.ObjectList{
		"events": &corev1.EventList{}, "Instances": &v1beta3.InstanceList{}, "ProviderConfigs": &awsv1beta1.ProviderConfigList{},
		"SubnetGroups": &groupsv1beta1.SubnetGroupList{}, "ParameterGroups": &groupsv1beta1.ParameterGroupList{},
		"namespaced Instances": &nsv1beta1.InstanceList{}, "namespaced SubnetGroups": &nsv1beta1.SubnetGroupList{},
		"namespaced ParameterGroups": &nsv1beta1.ParameterGroupList{}, "namespaced ProviderConfigs": &awsmv1beta1.ProviderConfigList{},
		"ClusterProviderConfigs": &awsmv1beta1.ClusterProviderConfigList{},
	}
	for where, list := range lists {
		if err := e.Kube.List(ctx, list); meta.IsNoMatchError(err) {
			// Not installed: a package under safe-start installs only the
			// kinds an activation policy activates.
			continue
		} else if err != nil {
			return nil, fmt.Errorf("cannot list %s: %w", where, err)
		}
		raw, err := json.Marshal(list)
		if err != nil {
			return nil, err
		}
		texts[where] = string(raw)
	}
	if families, err := metrics.Registry.Gather(); err == nil {
		var b bytes.Buffer
		for _, mf := range families {
			_, _ = expfmt.MetricFamilyToText(&b, mf)
		}
		texts["metrics"] = b.String()
	}

	var leaks []string
	for where, text := range texts {
		for value, source := range values {
			if strings.Contains(text, value) {
				leaks = append(leaks, fmt.Sprintf("secret leak: the value of %s appears in %s", source, where))
			}
		}
	}
	sort.Strings(leaks)
	return leaks, nil
}

// secretKey reports whether a Secret key holds something secret rather
// than connection coordinates (endpoint, host, port, username, database).
func secretKey(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"password", "pw", "token", "secret", "credentials", "key"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// secretValues returns the secret values of a Secret value: the value
// itself, or each value of a key = value document (shared credentials).
func secretValues(v string) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if len(s) >= minSecretLength && printable(s) {
			out = append(out, s)
		}
	}
	if strings.Contains(v, "\n") {
		for _, line := range strings.Split(v, "\n") {
			if _, value, ok := strings.Cut(line, "="); ok {
				add(value)
			}
		}
		return out
	}
	add(v)
	return out
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
