package main

// `multiregion compare --stack A --stack B` and the extra rows of
// `cost --compare`: cost, RPO/RTO and latency side by side (issue 18).

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/multiregion/multiregion/internal/latency"
)

// cmdCompare renders two stacks and prints them side by side.
func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare")
	var names configFlag
	var c common
	fs.Var(&names, "stack", "a stack to compare (give it twice)")
	fs.StringVar(&c.stacksDir, "stacks-dir", "stacks", "directory of the Pulumi.<stack>.yaml files")
	fs.Var(&c.configs, "config", "key=value config override for both stacks (repeatable)")
	fs.StringVar(&c.policyConfig, "policy-config", "", "policy pack config JSON file")
	format := fs.String("format", "table", "table, json or markdown")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("compare", "format", *format, "table", "json", "markdown"); err != nil {
		return err
	}
	if len(names) != 2 {
		return usagef("compare: give exactly two stacks: --stack A --stack B (got %d)", len(names))
	}
	a, err := renderStack(&c, names[0], stderr)
	if err != nil {
		return err
	}
	b, err := renderStack(&c, names[1], stderr)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return writeJSON(stdout, map[string]any{"stacks": []any{compareDoc(a), compareDoc(b)}})
	case "markdown":
		return writeCompareMarkdown(stdout, a, b, true)
	}
	return writeCompareTable(stdout, a, b, true)
}

// CompareDoc is one stack in `compare --format json` (and the additive
// objectives/latency fields of `cost --compare --format json`).
type CompareDoc struct {
	Stack      string          `json:"stack"`
	Cost       CostDoc         `json:"cost"`
	Objectives ObjectivesDoc   `json:"objectives"`
	Latency    *latency.Report `json:"latency"`
}

// ObjectivesDoc is the RPO/RTO class of the stack's database mode.
type ObjectivesDoc struct {
	Mode       string  `json:"mode"`
	RPOSeconds float64 `json:"rpoSeconds"`
	RTOSeconds float64 `json:"rtoSeconds"`
}

func compareDoc(r *rendered) CompareDoc {
	return CompareDoc{Stack: r.stack, Cost: document(r).Cost, Objectives: objectivesOf(r), Latency: latencyOf(r)}
}

func objectivesOf(r *rendered) ObjectivesDoc {
	if r.cfg == nil {
		return ObjectivesDoc{}
	}
	o := r.cfg.Objectives()
	return ObjectivesDoc{Mode: r.cfg.Database.Mode, RPOSeconds: o.RPO.Seconds(), RTOSeconds: o.RTO.Seconds()}
}

// compareRows are the side-by-side rows: label, value for a, value for b.
func compareRows(a, b *rendered, withCost bool) [][3]string {
	var rows [][3]string
	add := func(label string, f func(*rendered) string) { rows = append(rows, [3]string{label, f(a), f(b)}) }
	if withCost {
		costOf := func(get func(r *rendered) float64) func(*rendered) string {
			return func(r *rendered) string {
				if r.report.Cost == nil {
					return "no estimate"
				}
				return money(get(r))
			}
		}
		add("monthly", costOf(func(r *rendered) float64 { return r.report.Cost.MonthlyUSD }))
		add("single-region baseline", costOf(func(r *rendered) float64 { return r.report.Cost.SingleRegionBaselineUSD }))
		add("multi-region premium", costOf(func(r *rendered) float64 { return r.report.Cost.PremiumUSD }))
	}
	add("regions", func(r *rendered) string { return strings.Join(r.cfg.Regions, ", ") })
	add("database", func(r *rendered) string { return r.cfg.Database.Mode })
	add("RPO / RTO", func(r *rendered) string {
		o := r.cfg.Objectives()
		return "~" + short(o.RPO) + " / ~" + short(o.RTO)
	})
	la, lb := latencyOf(a), latencyOf(b)
	lat := func(f func(*latency.Report) string) func(*rendered) string {
		return func(r *rendered) string {
			rep := la
			if r == b {
				rep = lb
			}
			switch {
			case rep.Error != "":
				return "no estimate"
			case rep.NeedsUsers:
				return "needs multiregion:users"
			}
			return f(rep)
		}
	}
	add("routing", lat(func(rep *latency.Report) string { return rep.Routing }))
	add("RTT median / p95", lat(func(rep *latency.Report) string {
		return ms(rep.Normal.MedianMs) + " / " + ms(rep.Normal.P95Ms)
	}))
	add("RTT, primary down", lat(func(rep *latency.Report) string {
		return scenarioLine(rep.PrimaryDown)
	}))
	// per location, over both stacks' locations
	codes := map[string]bool{}
	for _, rep := range []*latency.Report{la, lb} {
		for _, l := range rep.Locations {
			codes[l.Code] = true
		}
	}
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		add("  "+code, lat(func(rep *latency.Report) string {
			for _, l := range rep.Locations {
				if l.Code == code {
					return servedBy(l.Serving) + " " + ms(l.RTTMs)
				}
			}
			return "-"
		}))
	}
	add("added RTT per write", lat(func(rep *latency.Report) string { return ms(rep.Writes.UserAddedMs) }))
	return rows
}

func writeCompareTable(w io.Writer, a, b *rendered, withCost bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\t%s\t%s\n", a.stack, b.stack)
	for _, row := range compareRows(a, b, withCost) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row[0], row[1], row[2])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range []*rendered{a, b} {
		if rep := latencyOf(r); rep.Verdict != "" {
			fmt.Fprintf(w, "%s: %s\n", r.stack, rep.Verdict)
		}
	}
	return nil
}

func writeCompareMarkdown(w io.Writer, a, b *rendered, withCost bool) error {
	if withCost {
		fmt.Fprintf(w, "### `%s` vs `%s`\n\n", a.stack, b.stack)
	}
	fmt.Fprintf(w, "| | %s | %s |\n|---|---|---|\n", a.stack, b.stack)
	for _, row := range compareRows(a, b, withCost) {
		fmt.Fprintf(w, "| %s | %s | %s |\n", strings.TrimSpace(row[0]), row[1], row[2])
	}
	fmt.Fprintln(w)
	for _, r := range []*rendered{a, b} {
		if rep := latencyOf(r); rep.Verdict != "" {
			fmt.Fprintf(w, "- `%s`: %s\n", r.stack, rep.Verdict)
		}
	}
	return nil
}

// costCompareExtras adds the RPO/RTO and latency rows to `cost --compare`.
func costCompareExtras(w io.Writer, format string, a, b *rendered, out map[string]any) error {
	switch format {
	case "json":
		out["objectives"], out["latency"] = objectivesOf(a), latencyOf(a)
		cmp, _ := out["compare"].(map[string]any)
		cmp["objectives"], cmp["latency"] = objectivesOf(b), latencyOf(b)
		return nil
	case "markdown":
		fmt.Fprintln(w)
		return writeCompareMarkdown(w, a, b, false)
	}
	fmt.Fprintln(w)
	return writeCompareTable(w, a, b, false)
}
