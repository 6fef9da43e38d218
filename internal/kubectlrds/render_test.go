package kubectlrds

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

func samplePlan() Plan {
	at := time.Date(2026, 12, 13, 5, 0, 0, 0, time.UTC)
	return Plan{APIVersion: PlanAPIVersion, Kind: "Plan", Summary: map[string]int{OutcomeUpdate: 1, OutcomeRefused: 1}, Items: []Item{
		{Source: "db.yaml#1", APIVersion: "rds.aws.upbound.io/v1beta1", Kind: "Instance", Name: "orders", ExternalName: "orders", Outcome: OutcomeUpdate,
			Changes: []Change{{Effect: rdsinstance.Effect{Field: "instanceClass", When: rdsinstance.WhenMaintenanceWindow, At: &at, Interruption: "outage: restarts"}, Current: "db.t3.micro", Desired: "db.t3.large"}}},
		{Source: "db.yaml#2", APIVersion: "rds.aws.m.upbound.io/v1beta1", Kind: "Instance", Namespace: "team", Name: "ledger", Outcome: OutcomeRefused,
			Reasons: []string{"username: the instance has \"admin\"; RDS sets it only at creation"}},
	}}
}

func TestExitCode(t *testing.T) {
	cases := map[string]struct {
		summary map[string]int
		want    int
	}{
		"NothingChanges": {summary: map[string]int{OutcomeNoChange: 3}, want: 0},
		"SomethingWould": {summary: map[string]int{OutcomeNoChange: 1, OutcomeAdopt: 1}, want: 2},
		"ARefusalWins":   {summary: map[string]int{OutcomeCreate: 1, OutcomeRefused: 1}, want: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := (Plan{Summary: tc.summary}).ExitCode(); got != tc.want {
				t.Errorf("ExitCode: want %d, got %d", tc.want, got)
			}
		})
	}
}

func TestRender(t *testing.T) {
	cases := map[string]struct {
		format string
		colour bool
		want   []string
		not    []string
	}{
		"Text": {format: FormatText, want: []string{
			"Instance orders (rds.aws.upbound.io/v1beta1, db.yaml#1): update",
			"~ instanceClass: db.t3.micro → db.t3.large",
			"applied in the next maintenance window, Sun 2026-12-13 05:00 UTC (applyImmediately is false)",
			"! outage: restarts",
			"Instance team/ledger (rds.aws.m.upbound.io/v1beta1, db.yaml#2): refused",
			"Plan: 0 create, 0 adopt, 1 update, 0 no change, 1 refused.",
		}, not: []string{"\x1b["}},
		"TextOnATerminal": {format: FormatText, colour: true, want: []string{"\x1b[33mupdate\x1b[0m", "\x1b[31mrefused\x1b[0m"}},
		"Markdown": {format: FormatMarkdown, want: []string{
			"### kubectl rds plan: 0 create, 0 adopt, 1 update, 0 no change, 1 refused",
			"| `Instance orders` | **update** | `instanceClass` applied in the next maintenance window",
			"`instanceClass`: outage: restarts |",
			"#### `Instance team/ledger`: refused",
		}, not: []string{"\x1b["}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b, samplePlan(), tc.format, tc.colour); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("want %q in:\n%s", w, b.String())
				}
			}
			for _, n := range tc.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("want no %q in:\n%s", n, b.String())
				}
			}
		})
	}
}

// The JSON is the documented schema (docs/plan.md): its field names are a
// contract.
func TestRenderJSONSchema(t *testing.T) {
	var b bytes.Buffer
	if err := render(&b, samplePlan(), FormatJSON, false); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["apiVersion"] != "kubectl-rds.rds.aws.upbound.io/v1" || got["kind"] != "Plan" {
		t.Errorf("apiVersion and kind: got %v %v", got["apiVersion"], got["kind"])
	}
	item := got["items"].([]any)[0].(map[string]any)
	change := item["changes"].([]any)[0].(map[string]any)
	for _, k := range []string{"field", "current", "desired", "when", "at", "interruption"} {
		if _, ok := change[k]; !ok {
			t.Errorf("change: want field %q, got %v", k, change)
		}
	}
	for _, k := range []string{"source", "apiVersion", "kind", "name", "externalName", "outcome"} {
		if _, ok := item[k]; !ok {
			t.Errorf("item: want field %q, got %v", k, item)
		}
	}
}
