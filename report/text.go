package report

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/stacks"
)

// Format is an output format of a report.
type Format string

// The report formats.
const (
	// Table is the human-readable text report.
	Table Format = "table"
	// JSON is the stable Document.
	JSON Format = "json"
	// Markdown is a report fit for a pull-request comment.
	Markdown Format = "markdown"
)

// Formats lists every Format, in the order help texts and completion show them.
func FormatValues() []Format { return []Format{Table, JSON, Markdown} }

// ParseFormat returns the Format named s, or an error listing the formats.
func ParseFormat(s string) (Format, error) {
	var names []string
	for _, f := range FormatValues() {
		if string(f) == s {
			return f, nil
		}
		names = append(names, string(f))
	}
	return "", fmt.Errorf("%q: use %s", s, strings.Join(names, ", "))
}

// Options are what Write adds to a report.
type Options struct {
	// Diagram appends the stack's diagram in this format (optional: "" adds
	// none; a Plan only).
	Diagram diagram.Format
}

// ErrNoDiagram is returned by Write when a diagram is asked of a StateCheck:
// a diagram needs the composed components, which a state file does not hold.
var ErrNoDiagram = errors.New("a diagram needs a rendered stack (a Plan), not a state file")

// Write renders r in format f. Every write error is returned.
func Write(w io.Writer, r Report, f Format, opts Options) error {
	var drawn string
	if opts.Diagram != "" {
		p, ok := r.(*Plan)
		if !ok {
			return ErrNoDiagram
		}
		drawn = p.Diagram().Render(opts.Diagram)
	}
	switch f {
	case JSON:
		doc := r.Document()
		doc.Diagram = drawn
		return WriteJSON(w, doc)
	case Markdown:
		return writeMarkdown(w, r, drawn, opts.Diagram)
	case Table:
		return writeTable(w, r, drawn)
	}
	_, err := ParseFormat(string(f))
	return err
}

// errWriter keeps the first write error, so a report written with many small
// writes returns it once at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

// Money formats US dollars with thousands separators and cents: $1,234.50.
func Money(v float64) string {
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

// databaseLine describes the replication picture.
func databaseLine(d *stacks.Deployment) string {
	db := d.Database
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
		if db.ModeName == globaldatabase.ModeDynamoDBGlobal {
			arrow = " <-> "
		}
		copies = db.WriterRegion + arrow + strings.Join(others, ", ") + " (" + o.Lag + ")"
	}
	if !o.CrossRegion {
		return fmt.Sprintf("%s (%s) in %s; no cross-region copy: losing the region means restoring from backups", db.ModeName, db.Engine, db.WriterRegion)
	}
	return fmt.Sprintf("%s (%s), writer %s; %s; RPO ~%s, RTO ~%s", db.ModeName, db.Engine, db.WriterRegion, copies, latency.Spoken(o.RPO), latency.Spoken(o.RTO))
}

// dnsLine describes the traffic layer.
func dnsLine(d *stacks.Deployment) string {
	dns, c := d.DNS, d.Config
	var targets []string
	for _, region := range dns.Regions {
		label := region
		switch dns.Routing {
		case geodns.RoutingFailover:
			if region == dns.PrimaryRegion {
				label += " PRIMARY"
			} else {
				label += " SECONDARY"
			}
		case geodns.RoutingWeighted:
			if w, ok := c.DNS.Weights[region]; ok {
				label += fmt.Sprintf(" weight %d", w)
			}
		}
		targets = append(targets, label)
	}
	line := fmt.Sprintf("%s %s for %s: %s", dns.Backend, dns.Routing, c.DNS.Domain, strings.Join(targets, ", "))
	if dns.Routing == geodns.RoutingGeolocation {
		var geo []string
		for _, loc := range slices.Sorted(maps.Keys(c.DNS.Geo)) {
			geo = append(geo, loc+"->"+c.DNS.Geo[loc])
		}
		line += " [" + strings.Join(geo, " ") + "]"
	}
	checks := "a health check per region"
	switch {
	case dns.Backend == geodns.BackendCloudflare:
		checks = "a monitor and a pool per region"
	case dns.Routing == geodns.RoutingSimple:
		checks = "no health check (one record, nothing to route around)"
	}
	if len(dns.Regions) > 0 {
		line += "; " + checks
	}
	return line
}

// failoverLines describe automatic regional failover (components/failover):
// whether a failure of the primary moves the database and the standby's
// scale by itself, what triggers it, and what it does with the database.
func failoverLines(d *stacks.Deployment) []string {
	f, c := d.Failover, d.Config
	if f == nil {
		switch {
		case len(d.Regions) == 1:
			return []string{"none: a single region has no region to fail over to"}
		case c.Topology == stacks.TopologyActiveActive:
			return []string{"none needed: every region serves, and DNS takes a failed region out"}
		}
		return []string{"not automatic: DNS moves traffic, the database and the standby's scale are failed over by hand (multiregion:failover builds an ARC Region switch plan)"}
	}
	how := "automatic"
	if !f.Automatic {
		how = "started by hand (multiregion:failover.automatic is false)"
	}
	lines := []string{fmt.Sprintf("%s: ARC Region switch plan %s -> %s", how, f.PrimaryRegion, f.StandbyRegion)}
	// The trigger's two thresholds, as the component resolved them.
	trigger := fmt.Sprintf("trigger: a probe in %s fails %s's health endpoint %d times in a row, one probe every %ds (alarm after %ds at the earliest)",
		f.StandbyRegion, f.PrimaryRegion, f.ConsecutiveFailures, f.PeriodSeconds, f.DetectionSeconds)
	if !f.Automatic {
		trigger = fmt.Sprintf("trigger: none; the probe in %s alarms after %ds of failures of %s, and a human starts the plan",
			f.StandbyRegion, f.DetectionSeconds, f.PrimaryRegion)
	}
	lines = append(lines, trigger)
	var action string
	switch f.DatabaseAction {
	case failover.DatabaseManagedFailover:
		action = "fails the Aurora global database over to " + f.StandbyRegion
		if f.AllowDataLoss {
			action += ", accepting the loss of writes not yet replicated"
		}
	case failover.DatabaseNothingToPromote:
		action = "has nothing to promote (every region writes)"
	case failover.DatabaseManualRunbook:
		action = "does not promote the replica: promote it by hand (README: GlobalDatabase runbooks)"
	default:
		action = "does " + f.DatabaseAction
	}
	lines = append(lines, fmt.Sprintf("plan (%s, %s): scales the service in %s up and %s",
		d.Database.ModeName, f.DatabaseAction, f.StandbyRegion, action))
	return lines
}

// drillLine reports an active drill, so a forgotten one is visible.
func drillLine(c *stacks.Config) string {
	if c.Drill == nil {
		return "none"
	}
	return fmt.Sprintf("ACTIVE: %s is forced unhealthy in DNS (remove multiregion:drill to restore)", c.Drill.FailRegion)
}

// costLines summarises the estimate against the baseline and the budget.
func costLines(r Report) []string {
	est := r.Verdict().Cost
	if est == nil {
		return []string{"cost-limit policy disabled: no estimate"}
	}
	pct := 0.0
	if est.SingleRegionBaselineUSD > 0 {
		pct = 100 * est.PremiumUSD / est.SingleRegionBaselineUSD
	}
	lines := []string{fmt.Sprintf("%s/month; single-region baseline %s (%s); multi-region premium %s (+%.0f%%)",
		Money(est.MonthlyUSD), Money(est.SingleRegionBaselineUSD), est.PrimaryRegion, Money(est.PremiumUSD), pct)}
	switch b := r.Verdict().Budget; {
	case b == nil:
		lines = append(lines, "no budget set (multiregion:budgetUSD): report only")
	case b.USD > 0:
		lines = append(lines, fmt.Sprintf("budget %s/month: %.0f%% used", Money(b.USD), 100*est.MonthlyUSD/b.USD))
	default:
		lines = append(lines, fmt.Sprintf("budget %s/month (%s): any cost exceeds it", Money(b.USD), b.From))
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

// section is one labelled part of the report's summary: a first line, then details.
type section struct {
	label string
	lines []string
}

// summary lists the report's sections below the region table, for both the
// text and the markdown report.
func summary(r Report) []section {
	return append(r.sections(), section{"Cost", costLines(r)})
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
	return append(cells, fmt.Sprint(row.total), Money(row.cost))
}

// writeTable writes the human-readable report.
func writeTable(out io.Writer, r Report, drawn string) error {
	w := &errWriter{w: out}
	fmt.Fprintf(w, "Stack %s: %s\n", r.StackName(), r.headline())
	if res, ok := r.residency(); ok {
		fmt.Fprintf(w, "Residency: %s\n", res)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(tableHeader(), "\t"))+"\t")
	for _, row := range regionRows(r) {
		fmt.Fprintln(tw, strings.Join(row.cells(), "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, sec := range summary(r) {
		fmt.Fprintf(w, "%-10s%s\n", sec.label+":", sec.lines[0])
		for _, l := range sec.lines[1:] {
			fmt.Fprintf(w, "%10s%s\n", "", l)
		}
	}
	writeLatencyText(w, latencyOf(r))
	fmt.Fprintln(w)
	writePolicyText(w, r.Verdict())
	if drawn != "" {
		fmt.Fprintln(w)
		fmt.Fprint(w, drawn)
	}
	return w.err
}

// writePolicyText lists the verdict: mandatory violations, then advisory ones,
// then the notes of policies that had nothing to enforce.
func writePolicyText(w io.Writer, rep *policies.Report) {
	fmt.Fprintf(w, "Policies: %d mandatory, %d advisory violation(s)\n", rep.Mandatory, rep.Advisory)
	for _, level := range []policies.Level{policies.Mandatory, policies.Advisory} {
		for _, v := range rep.Violations {
			if v.Level != level {
				continue
			}
			fmt.Fprintf(w, "  %-9s %-18s %s: %s\n", strings.ToUpper(string(v.Level)), v.Policy, target(v.URN), v.Message)
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "  %-9s %-18s %s\n", "NOTE", n.Policy, n.Message)
	}
}

// target is a violation's resource as the reports name it: the URN's last
// part (type and name), or "(stack)" for a stack-level violation.
func target(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		urn = urn[i+2:]
	}
	if urn == "" {
		return "(stack)"
	}
	return urn
}

// writeMarkdown writes a report fit for a pull-request comment.
func writeMarkdown(out io.Writer, r Report, drawn string, format diagram.Format) error {
	w := &errWriter{w: out}
	rep := r.Verdict()
	status := "✅ no mandatory policy violation"
	if rep.Mandatory > 0 {
		status = fmt.Sprintf("❌ %d mandatory policy violation(s)", rep.Mandatory)
	}
	fmt.Fprintf(w, "### multiregion: `%s`: %s\n\n", r.StackName(), status)
	fmt.Fprintf(w, "%s", r.headline())
	if res, ok := r.residency(); ok {
		fmt.Fprintf(w, "; residency `%s`", res)
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
	writeLatencyMarkdown(w, latencyOf(r))
	fmt.Fprintln(w)
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
			fmt.Fprintf(w, "| %s | %s | `%s` | %s |\n", v.Level, v.Policy, target(v.URN), strings.ReplaceAll(v.Message, "|", "\\|"))
		}
	}
	if drawn != "" {
		fmt.Fprintf(w, "\n```%s\n%s```\n", format, drawn)
	}
	return w.err
}
