package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/multiregion/multiregion/policies"
)

// writeJSON writes the stable JSON document.
func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func money(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-$" + b.String() + "." + frac
	}
	return "$" + b.String() + "." + frac
}

// headline describes the topology in one line.
func headline(r *rendered) string {
	if c := r.cfg; c != nil {
		var parts []string
		for _, region := range c.Regions {
			parts = append(parts, fmt.Sprintf("%s (%s)", region, roleOf(r, region)))
		}
		return fmt.Sprintf("%s across %s", c.Topology, strings.Join(parts, ", "))
	}
	return fmt.Sprintf("deployment with %d resources in %s", len(r.dep.Resources), strings.Join(regionsOf(r.dep), ", "))
}

// databaseLine describes the replication picture.
func databaseLine(r *rendered) string {
	if r.d == nil {
		return ""
	}
	db := r.d.Database
	o := db.Objectives
	copies := "no cross-region copy"
	if len(db.DataRegions) > 1 {
		var others []string
		for _, region := range db.DataRegions {
			if region != db.WriterRegion {
				others = append(others, region)
			}
		}
		arrow := " -> "
		if db.ModeName == "dynamodb-global" {
			arrow = " <-> "
		}
		copies = db.WriterRegion + arrow + strings.Join(others, ", ") + " (" + o.Lag + ")"
	}
	if !o.CrossRegion {
		return fmt.Sprintf("%s (%s) in %s; no cross-region copy: losing the region means restoring from backups", db.ModeName, db.Engine, db.WriterRegion)
	}
	return fmt.Sprintf("%s (%s), writer %s; %s; RPO ~%s, RTO ~%s", db.ModeName, db.Engine, db.WriterRegion, copies, short(o.RPO), short(o.RTO))
}

// short formats a duration the way people say it: 1s, 1m, 30m, 24h.
func short(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// dnsLine describes the traffic layer.
func dnsLine(r *rendered) string {
	if r.d == nil {
		return ""
	}
	dns, c := r.d.DNS, r.cfg
	var targets []string
	for _, region := range dns.Regions {
		label := region
		switch dns.Routing {
		case "failover":
			if region == dns.PrimaryRegion {
				label += " PRIMARY"
			} else {
				label += " SECONDARY"
			}
		case "weighted":
			if w, ok := c.DNS.Weights[region]; ok {
				label += fmt.Sprintf(" weight %d", w)
			}
		}
		targets = append(targets, label)
	}
	line := fmt.Sprintf("%s %s for %s: %s", dns.Backend, dns.Routing, c.DNS.Domain, strings.Join(targets, ", "))
	if dns.Routing == "geolocation" {
		var geo []string
		for _, loc := range slices.Sorted(maps.Keys(c.DNS.Geo)) {
			geo = append(geo, loc+"->"+c.DNS.Geo[loc])
		}
		line += " [" + strings.Join(geo, " ") + "]"
	}
	checks := "a health check per region"
	switch {
	case dns.Backend == "cloudflare":
		checks = "a monitor and a pool per region"
	case dns.Routing == "simple":
		checks = "no health check (one record, nothing to route around)"
	}
	if len(dns.Regions) > 0 {
		line += "; " + checks
	}
	return line
}

// drillLine reports an active drill, so a forgotten one is visible.
func drillLine(r *rendered) string {
	if r.cfg == nil || r.cfg.Drill == nil {
		return "none"
	}
	return fmt.Sprintf("ACTIVE: %s is forced unhealthy in DNS (remove multiregion:drill to restore)", r.cfg.Drill.FailRegion)
}

// costLines summarises the estimate against the baseline and the budget.
func costLines(r *rendered) []string {
	est := r.report.Cost
	if est == nil {
		return []string{"cost-limit policy disabled: no estimate"}
	}
	pct := 0.0
	if est.SingleRegionBaselineUSD > 0 {
		pct = 100 * est.PremiumUSD / est.SingleRegionBaselineUSD
	}
	lines := []string{fmt.Sprintf("%s/month; single-region baseline %s (%s); multi-region premium %s (+%.0f%%)",
		money(est.MonthlyUSD), money(est.SingleRegionBaselineUSD), est.PrimaryRegion, money(est.PremiumUSD), pct)}
	if budget := budgetOf(r); budget > 0 {
		lines = append(lines, fmt.Sprintf("budget %s/month: %.0f%% used", money(budget), 100*est.MonthlyUSD/budget))
	} else {
		lines = append(lines, "no budget set (multiregion:budgetUSD): report only")
	}
	if n := len(est.Unpriced); n > 0 {
		types := map[string]int{}
		for _, u := range est.Unpriced {
			types[u.Type]++
		}
		var parts []string
		for _, t := range slices.Sorted(maps.Keys(types)) {
			parts = append(parts, fmt.Sprintf("%d x %s", types[t], t))
		}
		lines = append(lines, fmt.Sprintf("%d resource(s) not priced: %s", n, strings.Join(parts, ", ")))
	}
	lines = append(lines, "prices: on-demand list prices from the catalog dated "+est.CatalogDate+", usage assumptions in the JSON report")
	return lines
}

func budgetOf(r *rendered) float64 {
	if r.cfg != nil && r.cfg.BudgetUSD != nil {
		return *r.cfg.BudgetUSD
	}
	return 0
}

// section is one labelled part of the report's summary: a first line, then details.
type section struct {
	label string
	lines []string
}

// summary lists the report's sections below the region table, for both the
// text and the markdown report.
func summary(r *rendered) []section {
	var out []section
	if r.d != nil {
		out = append(out,
			section{"Database", []string{databaseLine(r)}},
			section{"DNS", []string{dnsLine(r)}},
			section{"Drill", append([]string{drillLine(r)}, lastDrill(r)...)}) // lastDrill: multiregion drill (drill.go)
	}
	return append(out, section{"Cost", costLines(r)})
}

// tableHeader names the per-region table's columns.
func tableHeader() []string {
	header := append([]string{"Region", "Role"}, kindNames...)
	return append(header, "Total", "Monthly")
}

// cells are a region row's values, in tableHeader's order.
func (row regionRow) cells() []string {
	cells := []string{row.region, row.role}
	for _, k := range kindNames {
		cells = append(cells, fmt.Sprint(row.counts[k]))
	}
	return append(cells, fmt.Sprint(row.total), money(row.cost))
}

// writeTable writes the human-readable report.
func writeTable(w io.Writer, r *rendered, diagram string) error {
	fmt.Fprintf(w, "Stack %s: %s\n", r.stack, headline(r))
	if c := r.cfg; c != nil {
		fmt.Fprintf(w, "Residency: %s\n", c.Residency)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(tableHeader(), "\t"))+"\t")
	for _, row := range regionRows(r) {
		fmt.Fprintln(tw, strings.Join(row.cells(), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, sec := range summary(r) {
		fmt.Fprintf(w, "%-10s%s\n", sec.label+":", sec.lines[0])
		for _, l := range sec.lines[1:] {
			fmt.Fprintf(w, "%10s%s\n", "", l)
		}
	}
	writeLatencyText(w, r)
	fmt.Fprintln(w)
	writePolicyText(w, r.report)
	if diagram != "" {
		fmt.Fprintln(w)
		fmt.Fprint(w, diagram)
	}
	return nil
}

func writePolicyText(w io.Writer, rep *policies.Report) {
	fmt.Fprintf(w, "Policies: %d mandatory, %d advisory violation(s)\n", rep.Mandatory, rep.Advisory)
	for _, level := range []policies.Level{policies.Mandatory, policies.Advisory} {
		for _, v := range rep.Violations {
			if v.Level != level {
				continue
			}
			target := v.URN
			if target == "" {
				target = "(stack)"
			} else if i := strings.LastIndex(target, "::"); i >= 0 {
				target = target[i+2:]
			}
			fmt.Fprintf(w, "  %-9s %-18s %s: %s\n", strings.ToUpper(string(v.Level)), v.Policy, target, v.Message)
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "  %-9s %-18s %s\n", "NOTE", n.Policy, n.Message)
	}
}

// writeMarkdown writes a report fit for a pull-request comment.
func writeMarkdown(w io.Writer, r *rendered, diagram, diagramFormat string) error {
	status := "✅ no mandatory policy violation"
	if r.report.Mandatory > 0 {
		status = fmt.Sprintf("❌ %d mandatory policy violation(s)", r.report.Mandatory)
	}
	fmt.Fprintf(w, "### multiregion: `%s`: %s\n\n", r.stack, status)
	fmt.Fprintf(w, "%s", headline(r))
	if r.cfg != nil {
		fmt.Fprintf(w, "; residency `%s`", r.cfg.Residency)
	}
	fmt.Fprint(w, "\n\n")
	header := tableHeader()
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(header)))
	for _, row := range regionRows(r) {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row.cells(), " | "))
	}
	fmt.Fprintln(w)
	for _, sec := range summary(r) {
		fmt.Fprintf(w, "- **%s:** %s\n", sec.label, sec.lines[0])
		for _, l := range sec.lines[1:] {
			fmt.Fprintf(w, "  - %s\n", l)
		}
	}
	writeLatencyMarkdown(w, r)
	fmt.Fprintln(w)
	rep := r.report
	fmt.Fprintf(w, "**Policies:** %d mandatory, %d advisory\n", rep.Mandatory, rep.Advisory)
	if len(rep.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "- note, %s: %s\n", n.Policy, n.Message)
		}
	}
	if len(rep.Violations) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| Level | Policy | Resource | Message |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, v := range rep.Violations {
			target := v.URN
			if i := strings.LastIndex(target, "::"); i >= 0 {
				target = target[i+2:]
			}
			if target == "" {
				target = "(stack)"
			}
			fmt.Fprintf(w, "| %s | %s | `%s` | %s |\n", v.Level, v.Policy, target, strings.ReplaceAll(v.Message, "|", "\\|"))
		}
	}
	if diagram != "" {
		fmt.Fprintf(w, "\n```%s\n%s```\n", diagramFormat, diagram)
	}
	return nil
}
