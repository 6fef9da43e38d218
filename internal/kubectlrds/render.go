package kubectlrds

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/provider-rds/provider-rds/internal/rdsinstance"
)

// Output formats.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

// summaryOrder is the order outcomes are counted in.
var summaryOrder = []string{OutcomeCreate, OutcomeAdopt, OutcomeUpdate, OutcomeNoChange, OutcomeRefused}

// colours of outcomes on a terminal (ANSI).
var colours = map[string]string{OutcomeCreate: "32", OutcomeAdopt: "36", OutcomeUpdate: "33", OutcomeRefused: "31"}

func render(w io.Writer, p Plan, format string, colour bool) error {
	switch format {
	case FormatJSON:
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(p)
	case FormatMarkdown:
		return renderMarkdown(w, p)
	}
	return renderText(w, p, colour)
}

func (p Plan) summaryLine() string {
	parts := make([]string, 0, len(summaryOrder))
	for _, o := range summaryOrder {
		parts = append(parts, fmt.Sprintf("%d %s", p.Summary[o], o))
	}
	return strings.Join(parts, ", ")
}

func (it Item) title() string {
	name := it.Name
	if it.Namespace != "" {
		name = it.Namespace + "/" + name
	}
	return it.Kind + " " + name
}

// when says when AWS applies a change, in words.
func (c Change) when() string {
	switch c.When {
	case rdsinstance.WhenNow:
		return "applied now"
	case rdsinstance.WhenReboot:
		return "takes effect at the next reboot"
	case rdsinstance.WhenMaintenanceWindow:
		if c.At != nil {
			return "applied in the next maintenance window, " + c.At.UTC().Format("Mon 2006-01-02 15:04 UTC") + " (applyImmediately is false)"
		}
		return "applied in the next maintenance window (applyImmediately is false)"
	}
	return "applied by a " + c.When
}

func (c Change) values() string {
	if c.Current == "" && c.Desired == "" {
		return ""
	}
	return ": " + orNone(c.Current) + " → " + orNone(c.Desired)
}

func orNone(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

func renderText(w io.Writer, p Plan, colour bool) error {
	var b strings.Builder
	for _, it := range p.Items {
		outcome := it.Outcome
		if c, ok := colours[outcome]; ok && colour {
			outcome = "\x1b[" + c + "m" + outcome + "\x1b[0m"
		}
		fmt.Fprintf(&b, "%s (%s, %s): %s\n", it.title(), it.APIVersion, it.Source, outcome)
		if it.ExternalName != "" && it.ExternalName != it.Name {
			fmt.Fprintf(&b, "  AWS name: %s\n", it.ExternalName)
		}
		if it.Request != nil {
			req, err := json.MarshalIndent(it.Request, "    ", "  ")
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "  %s:\n    %s\n", it.Method, req)
		}
		for _, c := range it.Changes {
			fmt.Fprintf(&b, "  ~ %s%s\n      %s\n", c.Field, c.values(), c.when())
			if c.Interruption != "" {
				fmt.Fprintf(&b, "      ! %s\n", c.Interruption)
			}
			if c.Waits != "" {
				fmt.Fprintf(&b, "      (%s)\n", c.Waits)
			}
		}
		for _, r := range it.Reasons {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	fmt.Fprintf(&b, "Plan: %s.\n", p.summaryLine())
	_, err := io.WriteString(w, b.String())
	return err
}

func renderMarkdown(w io.Writer, p Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### kubectl rds plan: %s\n\n", p.summaryLine())
	b.WriteString("| Object | Outcome | AWS applies it | Interruption |\n|---|---|---|---|\n")
	for _, it := range p.Items {
		when, interruption := "", ""
		for _, c := range it.Changes {
			when += "`" + c.Field + "` " + c.when() + "<br>"
			if c.Interruption != "" {
				interruption += "`" + c.Field + "`: " + c.Interruption + "<br>"
			}
		}
		fmt.Fprintf(&b, "| `%s` | **%s** | %s | %s |\n", it.title(), it.Outcome, strings.TrimSuffix(when, "<br>"), strings.TrimSuffix(interruption, "<br>"))
	}
	for _, it := range p.Items {
		if len(it.Changes) == 0 && len(it.Reasons) == 0 && it.Request == nil {
			continue
		}
		fmt.Fprintf(&b, "\n#### `%s`: %s\n\n", it.title(), it.Outcome)
		for _, c := range it.Changes {
			fmt.Fprintf(&b, "- `%s`%s, %s\n", c.Field, strings.ReplaceAll(c.values(), "|", "\\|"), c.when())
		}
		for _, r := range it.Reasons {
			fmt.Fprintf(&b, "- %s\n", r)
		}
		if it.Request != nil {
			req, err := json.MarshalIndent(it.Request, "", "  ")
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "\n<details><summary>%s</summary>\n\n```json\n%s\n```\n\n</details>\n", it.Method, req)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// clock is the time plans count maintenance windows from.
var clock = time.Now
