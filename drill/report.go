package drill

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Dir is where drill reports are kept, relative to the Pulumi project's directory.
const Dir = ".multiregion/drills"

// fileTime is the timestamp in a report's file name (UTC, sortable).
const fileTime = "20060102T150405Z"

// Save writes the report as JSON to <projectDir>/.multiregion/drills/<stack>-<time>.json
// and returns the path.
func (rep *Report) Save(projectDir string) (string, error) {
	dir := filepath.Join(projectDir, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("keeping the drill report: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%s.json", rep.Stack, rep.StartedAt.UTC().Format(fileTime)))
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("keeping the drill report: %w", err)
	}
	return path, nil
}

// Last returns the newest kept report of stack in projectDir, with its path, or
// nil when there is none. A report that does not parse is an error naming it.
func Last(projectDir, stack string) (*Report, string, error) {
	dir := filepath.Join(projectDir, Dir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var best *Report
	var bestPath string
	prefix := stack + "-"
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutSuffix(strings.TrimPrefix(name, prefix), ".json")
		if e.IsDir() || !strings.HasPrefix(name, prefix) || !ok {
			continue
		}
		if _, err := time.Parse(fileTime, stamp); err != nil {
			continue // another stack whose name starts with this one's, e.g. prod-eu for prod
		}
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", err
		}
		var rep Report
		if err := json.Unmarshal(data, &rep); err != nil {
			return nil, "", fmt.Errorf("%s: not a drill report: %v", path, err)
		}
		if best == nil || rep.StartedAt.After(best.StartedAt) {
			best, bestPath = &rep, path
		}
	}
	return best, bestPath, nil
}

// Summary is the report in one line: "2026-12-07 10:40 UTC: us-east-1 failed,
// measured RTO 12.3s (target 1800s): met".
func (rep *Report) Summary() string {
	rto := "not measured"
	if rep.MeasuredRTOSeconds != nil {
		rto = fmt.Sprintf("%.1fs", *rep.MeasuredRTOSeconds)
	}
	target := "no target"
	if rep.RTOTargetSeconds > 0 {
		target = fmt.Sprintf("target %ds", rep.RTOTargetSeconds)
	}
	s := fmt.Sprintf("%s: %s failed, measured RTO %s (%s): %s", rep.StartedAt.UTC().Format("2006-01-02 15:04 UTC"), rep.FailRegion, rto, target, rep.Verdict)
	if !rep.Reverted {
		s += "; NOT REVERTED"
	}
	return s
}

func secs(v *float64) string {
	if v == nil {
		return "not seen"
	}
	return fmt.Sprintf("%.1fs", *v)
}

func status(rep *Report) string {
	if rep.Passed {
		return "PASSED"
	}
	return "FAILED"
}

// phaseRows are a phase's numbers as label/value pairs.
func phaseRows(p *Phase) [][2]string {
	if p == nil {
		return [][2]string{{"", "not started"}}
	}
	rows := [][2]string{
		{"pulumi up", fmt.Sprintf("%.1fs", p.AppliedAt.Sub(p.ApplyStartedAt).Seconds())},
		{"first answer moved", secs(p.FirstSeconds)},
		{"every answer moved", secs(p.AllSeconds)},
		{"probes", fmt.Sprintf("%d (%d non-2xx, %d timeouts, %d other errors, %d unclassified)", p.Probes, p.Non2xx, p.Timeouts, p.Errors, p.Unclassified)},
	}
	if p.AppliedAt.IsZero() {
		rows = rows[:1]
		rows[0][1] = "did not finish"
	}
	if p.Ended != "" && p.Ended != endComplete {
		rows = append(rows, [2]string{"ended", p.Ended})
	}
	return rows
}

// WriteText writes the human-readable report.
func (rep *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Drill of stack %s: %s failed in DNS: %s\n", rep.Stack, rep.FailRegion, status(rep))
	fmt.Fprintf(w, "Probed %s (DNS from %s) and GET %s every %gs\n\n", rep.Probe.DNSName, rep.Probe.Resolver, rep.Probe.URL, rep.Probe.IntervalSeconds)
	for _, ph := range []struct {
		name string
		p    *Phase
	}{{"Failover", rep.Failover}, {"Fail-back", rep.Failback}} {
		fmt.Fprintf(w, "%s:\n", ph.name)
		for _, row := range phaseRows(ph.p) {
			fmt.Fprintf(w, "  %-20s %s\n", row[0], row[1])
		}
	}
	fmt.Fprintf(w, "Database:  %s\n", rep.Database.Note)
	fmt.Fprintf(w, "RTO:       %s: %s\n", strings.ToUpper(rep.Verdict), rep.VerdictReason)
	if rep.Reverted {
		fmt.Fprintln(w, "Reverted:  yes")
	} else {
		fmt.Fprintf(w, "Reverted:  NO: %s\n  revert by hand:\n", rep.RevertError)
		for _, c := range rep.ManualRevert {
			fmt.Fprintf(w, "    %s\n", c)
		}
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "Problem:   %s\n", p)
	}
	fmt.Fprintln(w, "\nTimeline:")
	for _, e := range rep.Timeline {
		fmt.Fprintf(w, "  %7.1fs  %s\n", e.Seconds, e.Text)
	}
	return nil
}

// WriteMarkdown writes the report for a pull request or an audit record.
func (rep *Report) WriteMarkdown(w io.Writer) error {
	mark := "✅"
	if !rep.Passed {
		mark = "❌"
	}
	fmt.Fprintf(w, "### Drill of `%s`: `%s` failed in DNS: %s %s\n\n", rep.Stack, rep.FailRegion, mark, status(rep))
	fmt.Fprintf(w, "Probed `%s` (DNS from %s) and `GET %s` every %gs.\n\n", rep.Probe.DNSName, rep.Probe.Resolver, rep.Probe.URL, rep.Probe.IntervalSeconds)
	fmt.Fprintln(w, "| | Failover | Fail-back |")
	fmt.Fprintln(w, "|---|---|---|")
	fo, fb := phaseRows(rep.Failover), phaseRows(rep.Failback)
	for i, row := range fo {
		other := ""
		if i < len(fb) && fb[i][0] == row[0] {
			other = fb[i][1]
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", row[0], row[1], other)
	}
	fmt.Fprintf(w, "\n- **RTO:** %s: %s\n- **Database:** %s\n", rep.Verdict, rep.VerdictReason, rep.Database.Note)
	if rep.Reverted {
		fmt.Fprintln(w, "- **Reverted:** yes")
	} else {
		fmt.Fprintf(w, "- **Reverted:** NO: %s; revert by hand: `%s`\n", rep.RevertError, strings.Join(rep.ManualRevert, " && "))
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "- **Problem:** %s\n", p)
	}
	fmt.Fprintln(w, "\n<details><summary>Timeline</summary>\n\n| s | event |\n|---|---|")
	for _, e := range rep.Timeline {
		fmt.Fprintf(w, "| %.1f | %s |\n", e.Seconds, strings.ReplaceAll(e.Text, "|", "\\|"))
	}
	fmt.Fprintln(w, "\n</details>")
	return nil
}
