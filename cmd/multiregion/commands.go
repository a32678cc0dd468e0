package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/stacks"
)

// cmdPlan is plan and check: render a stack (or read a state), report, and for
// check exit 1 on a mandatory violation.
func cmdPlan(args []string, stdin io.Reader, stdout, stderr io.Writer, check bool) error {
	name := "plan"
	if check {
		name = "check"
	}
	fs := newFlags(name)
	var c common
	c.register(fs)
	format := fs.String("format", "table", "table, json or markdown")
	outState := fs.String("out-state", "", "write the plan as a Pulumi deployment to FILE")
	diagramFormat := fs.String("diagram", "", "append a diagram: mermaid or dot")
	state := ""
	if check {
		fs.StringVar(&state, "state", "", "check a Pulumi deployment (pulumi stack export) from FILE or - for stdin")
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := oneOf(name, "format", *format, "table", "json", "markdown"); err != nil {
		return err
	}
	if *diagramFormat != "" {
		if err := oneOf(name, "diagram", *diagramFormat, "mermaid", "dot"); err != nil {
			return err
		}
	}
	var r *rendered
	var err error
	switch {
	case state != "" && c.stack != "":
		return usagef("check: use either --stack or --state, not both")
	case state != "":
		if *outState != "" || *diagramFormat != "" {
			return usagef("check --state: --out-state and --diagram need a stack: use --stack")
		}
		r, err = renderState(&c, state, stdin, stderr)
	default:
		r, err = renderStack(&c, c.stack, stderr)
	}
	if err != nil {
		return err
	}
	diagram := ""
	if *diagramFormat != "" {
		diagram = buildDiagram(r.d).render(*diagramFormat)
	}
	if *outState != "" {
		if err := writeState(r, *outState); err != nil {
			return err
		}
	}
	switch *format {
	case "json":
		doc := document(r)
		doc.Diagram = diagram
		err = writeJSON(stdout, doc)
	case "markdown":
		err = writeMarkdown(stdout, r, diagram, *diagramFormat)
	default:
		err = writeTable(stdout, r, diagram)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if check && r.report.Mandatory > 0 {
		return &violationsError{r.report.Mandatory}
	}
	return nil
}

// writeState writes the recorded resources as a Pulumi deployment.
func writeState(r *rendered, path string) error {
	dep, err := r.rec.Deployment(time.Now())
	if err != nil {
		return fmt.Errorf("--out-state: %w", err)
	}
	data, err := json.MarshalIndent(dep, "", "  ")
	if err != nil {
		return fmt.Errorf("--out-state: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return usagef("--out-state: %v", err)
	}
	return nil
}

// cmdCost prints a stack's cost breakdown, or the difference between two stacks.
func cmdCost(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cost")
	var c common
	c.register(fs)
	compare := fs.String("compare", "", "a second stack to compare with")
	format := fs.String("format", "table", "table, json or markdown")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("cost", "format", *format, "table", "json", "markdown"); err != nil {
		return err
	}
	a, err := renderStack(&c, c.stack, stderr)
	if err != nil {
		return err
	}
	var b *rendered
	if *compare != "" {
		if b, err = renderStack(&c, *compare, stderr); err != nil {
			return err
		}
	}
	switch *format {
	case "json":
		out := map[string]any{"stack": a.stack, "cost": document(a).Cost}
		if b != nil {
			out["compare"] = map[string]any{"stack": b.stack, "cost": document(b).Cost,
				"deltaMonthlyUSD": round2(b.report.Cost.MonthlyUSD - a.report.Cost.MonthlyUSD)}
			_ = costCompareExtras(stdout, "json", a, b, out) // RPO/RTO and latency (compare.go)
		}
		return writeJSON(stdout, out)
	case "markdown":
		err = writeCostMarkdown(stdout, a, b)
	default:
		err = writeCostTable(stdout, a, b)
	}
	if err == nil && b != nil {
		err = costCompareExtras(stdout, *format, a, b, nil) // RPO/RTO and latency (compare.go)
	}
	return err
}

func round2(v float64) float64 { return float64(int64(v*100+sign(v)*0.5)) / 100 }

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func writeCostTable(w io.Writer, a, b *rendered) error {
	if b == nil {
		fmt.Fprintf(w, "Stack %s: %s\n", a.stack, costLines(a)[0])
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MONTHLY\tREGION\tRESOURCE\tHOW")
		for _, l := range a.report.Cost.ByResource {
			region := l.Region
			if region == "" {
				region = GlobalKey
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", money(l.MonthlyUSD), region, l.Name, l.Detail)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, l := range costLines(a)[1:] {
			fmt.Fprintln(w, l)
		}
		return nil
	}
	ca, cb := a.report.Cost, b.report.Cost
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t%s\tDIFFERENCE\t\n", a.stack, b.stack)
	row := func(label string, x, y float64) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", label, money(x), money(y), money(y-x))
	}
	row("monthly", ca.MonthlyUSD, cb.MonthlyUSD)
	row("single-region baseline", ca.SingleRegionBaselineUSD, cb.SingleRegionBaselineUSD)
	row("multi-region premium", ca.PremiumUSD, cb.PremiumUSD)
	regions := map[string]bool{}
	for k := range ca.ByRegion {
		regions[k] = true
	}
	for k := range cb.ByRegion {
		regions[k] = true
	}
	for _, region := range slices.Sorted(maps.Keys(regions)) {
		row("  "+region, ca.ByRegion[region], cb.ByRegion[region])
	}
	return tw.Flush()
}

func writeCostMarkdown(w io.Writer, a, b *rendered) error {
	if b == nil {
		fmt.Fprintf(w, "### Cost of `%s`\n\n%s\n\n| Monthly | Region | Resource | How |\n|---|---|---|---|\n", a.stack, costLines(a)[0])
		for _, l := range a.report.Cost.ByResource {
			region := l.Region
			if region == "" {
				region = GlobalKey
			}
			fmt.Fprintf(w, "| %s | %s | `%s` | %s |\n", money(l.MonthlyUSD), region, l.Name, l.Detail)
		}
		return nil
	}
	ca, cb := a.report.Cost, b.report.Cost
	fmt.Fprintf(w, "### Cost: `%s` vs `%s`\n\n| | %s | %s | difference |\n|---|---|---|---|\n", a.stack, b.stack, a.stack, b.stack)
	fmt.Fprintf(w, "| monthly | %s | %s | %s |\n", money(ca.MonthlyUSD), money(cb.MonthlyUSD), money(cb.MonthlyUSD-ca.MonthlyUSD))
	fmt.Fprintf(w, "| single-region baseline | %s | %s | %s |\n", money(ca.SingleRegionBaselineUSD), money(cb.SingleRegionBaselineUSD), money(cb.SingleRegionBaselineUSD-ca.SingleRegionBaselineUSD))
	fmt.Fprintf(w, "| multi-region premium | %s | %s | %s |\n", money(ca.PremiumUSD), money(cb.PremiumUSD), money(cb.PremiumUSD-ca.PremiumUSD))
	return nil
}

// cmdDiagram prints a stack's diagram.
func cmdDiagram(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diagram")
	var c common
	c.register(fs)
	format := fs.String("format", "mermaid", "mermaid or dot")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("diagram", "format", *format, "mermaid", "dot"); err != nil {
		return err
	}
	r, err := renderStack(&c, c.stack, stderr)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(stdout, buildDiagram(r.d).render(*format))
	return err
}

// cmdStacks lists the environments with their topology and regions.
func cmdStacks(args []string, stdout io.Writer) error {
	fs := newFlags("stacks")
	dirFlag := fs.String("stacks-dir", "stacks", "directory of the Pulumi.<stack>.yaml files")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir, err := stacksDir(*dirFlag)
	if err != nil {
		return err
	}
	names, err := stackfile.List(dir)
	if err != nil {
		return usagef("%v", err)
	}
	if len(names) == 0 {
		return usagef("no Pulumi.<stack>.yaml in %s", dir)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STACK\tTOPOLOGY\tREGIONS\tDATABASE\tDNS\tRESIDENCY\tBUDGET")
	for _, name := range names {
		path, _ := stackfile.Find(dir, name)
		f, err := stackfile.Read(path)
		if err != nil {
			fmt.Fprintf(tw, "%s\tunreadable: %v\t\t\t\t\t\n", name, err)
			continue
		}
		cfg, err := stacks.Load(name, f.Config)
		if err != nil {
			fmt.Fprintf(tw, "%s\tinvalid config (multiregion plan --stack %s shows why)\t\t\t\t\t\n", name, name)
			continue
		}
		budget := "-"
		if cfg.BudgetUSD != nil {
			budget = money(*cfg.BudgetUSD)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", name, cfg.Topology, strings.Join(cfg.Regions, ","),
			cfg.Database.Mode, cfg.DNS.Provider, cfg.DNS.Routing, cfg.Residency, budget)
	}
	return tw.Flush()
}
