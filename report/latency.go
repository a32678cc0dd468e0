package report

// The latency section of the reports (README "What the regions buy"). Every
// number is computed by internal/latency; this file only renders it.

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/multiregion/multiregion/internal/latency"
)

// latencyOf computes the latency section of a report. It never fails: a
// problem becomes the section's Error.
func latencyOf(r Report) *latency.Report {
	data, err := latency.Load()
	if err != nil {
		return &latency.Report{Stack: r.StackName(), Error: err.Error()}
	}
	s, err := r.latencyStack()
	if err != nil {
		return &latency.Report{Stack: r.StackName(), Error: "needs the stack config (pass --config multiregion:regions=... and the other keys, or use --stack): " + err.Error()}
	}
	premium := latency.Premium{}
	if est := r.Verdict().Cost; est != nil {
		premium = latency.Premium{MonthlyUSD: est.PremiumUSD, Known: true}
	}
	rep, err := latency.Evaluate(s, data, premium)
	if err != nil {
		return &latency.Report{Stack: r.StackName(), Error: err.Error()}
	}
	return rep
}

// latencyLines renders the section as a first line and details, for the text
// and markdown reports.
func latencyLines(rep *latency.Report) (head string, table [][]string, lines []string) {
	switch {
	case rep.Error != "":
		return "no estimate: " + rep.Error, nil, nil
	case rep.NeedsUsers:
		return rep.Verdict, nil, nil
	}
	var users []string
	for _, l := range rep.Locations {
		users = append(users, fmt.Sprintf("%s %s", l.Code, pct(l.Share)))
	}
	head = fmt.Sprintf("users %s; %s routing; RTT from where the users are, mean per location (last mile excluded)", strings.Join(users, ", "), rep.Routing)
	table = append(table, []string{"LOCATION", "SHARE", "SERVED BY", "RTT", "PRIMARY ALONE", "PRIMARY DOWN"})
	for _, l := range rep.Locations {
		down := "nobody (outage)"
		if len(l.PrimaryDown) > 0 {
			down = servedBy(l.PrimaryDown) + " " + ms(l.PrimaryDownMs)
		}
		table = append(table, []string{l.Code, pct(l.Share), servedBy(l.Serving), ms(l.RTTMs), ms(l.BaselineMs), down})
	}
	lines = append(lines,
		"all users: "+scenarioLine(rep.Normal)+"; "+rep.Primary+" alone: "+scenarioLine(rep.Baseline)+"; "+rep.Primary+" down: "+scenarioLine(rep.PrimaryDown),
		fmt.Sprintf("writes (%s): %s", rep.Writes.Mode, writesLine(rep.Writes)),
		rep.Primary+" lost: "+rep.Writes.AfterPrimaryLoss,
		"verdict: "+rep.Verdict)
	for _, n := range rep.Notes {
		lines = append(lines, "note: "+n)
	}
	for _, s := range rep.Sources {
		lines = append(lines, "source: "+s)
	}
	return head, table, lines
}

func scenarioLine(sc latency.Scenario) string {
	if sc.MedianMs == nil && sc.Unserved > 0.999 {
		return "nobody served (outage)"
	}
	s := fmt.Sprintf("median %s, p95 %s", ms(sc.MedianMs), ms(sc.P95Ms))
	if sc.Unserved > 0 {
		s += fmt.Sprintf(", %s of users unserved", pct(sc.Unserved))
	}
	if sc.Coverage+sc.Unserved < 0.999 {
		s += fmt.Sprintf(" (estimate for %s of users)", pct(sc.Coverage))
	}
	return s
}

func writesLine(w latency.WritePath) string {
	var parts []string
	for _, rw := range w.Regions {
		parts = append(parts, fmt.Sprintf("app in %s writes to %s (+%s per write)", rw.Region, rw.WritesTo, ms(rw.AddedMs)))
	}
	line := w.Summary
	if len(parts) > 0 {
		line += "; " + strings.Join(parts, ", ")
	}
	if w.UserAddedMs != nil {
		line += fmt.Sprintf("; users' mean added write RTT %s", ms(w.UserAddedMs))
	}
	return line
}

func servedBy(rs []latency.RegionShare) string {
	if len(rs) == 0 {
		return "nobody"
	}
	var parts []string
	for _, r := range rs {
		if r.Share >= 0.9995 {
			parts = append(parts, r.Region)
		} else {
			parts = append(parts, fmt.Sprintf("%s %s", r.Region, pct(r.Share)))
		}
	}
	return strings.Join(parts, " + ")
}

func ms(v *float64) string {
	if v == nil {
		return "unknown"
	}
	return fmt.Sprintf("%.0f ms", *v)
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }

// writeLatencyText writes the section in the text report's layout.
func writeLatencyText(w io.Writer, rep *latency.Report) {
	head, table, lines := latencyLines(rep)
	fmt.Fprintf(w, "%-10s%s\n", "Latency:", head)
	if len(table) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, row := range table {
			fmt.Fprintf(tw, "%10s%s\n", "", strings.Join(row, "\t"))
		}
		tw.Flush()
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%10s%s\n", "", l)
	}
}

// writeLatencyMarkdown writes the section for the markdown report.
func writeLatencyMarkdown(w io.Writer, rep *latency.Report) {
	head, table, lines := latencyLines(rep)
	fmt.Fprintf(w, "\n**Latency:** %s\n", head)
	if len(table) > 0 {
		fmt.Fprintf(w, "\n| %s |\n|%s\n", strings.Join(table[0], " | "), strings.Repeat("---|", len(table[0])))
		for _, row := range table[1:] {
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
	}
	if len(lines) > 0 {
		fmt.Fprintln(w)
	}
	for _, l := range lines {
		fmt.Fprintf(w, "- %s\n", strings.ReplaceAll(l, "|", "\\|"))
	}
}
