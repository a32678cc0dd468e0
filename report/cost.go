package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/policies/cost"
)

// CostDocument is `multiregion cost --format json`: one stack's estimate, and
// with a second stack the comparison. Fields are in name order: the document
// is the same bytes as the map it replaced.
type CostDocument struct {
	// Compare is the second stack (cost --compare; optional).
	Compare *CostComparison `json:"compare,omitempty"`
	// Cost is the first stack's estimate.
	Cost CostDoc `json:"cost"`
	// Latency and Objectives of the first stack are set with Compare.
	Latency    *latency.Report `json:"latency,omitempty"`
	Objectives *ObjectivesDoc  `json:"objectives,omitempty"`
	// Stack is the first stack's name.
	Stack string `json:"stack"`
}

// CostComparison is the second stack of `cost --compare`.
type CostComparison struct {
	// Cost is the second stack's estimate.
	Cost CostDoc `json:"cost"`
	// DeltaMonthlyUSD is this stack's monthly cost minus the first's,
	// rounded to cents as the estimate's amounts are (cost.Round2).
	DeltaMonthlyUSD float64 `json:"deltaMonthlyUSD"`
	// Latency is the second stack's latency section.
	Latency *latency.Report `json:"latency"`
	// Objectives is the second stack's RPO/RTO class.
	Objectives ObjectivesDoc `json:"objectives"`
	// Stack is the second stack's name.
	Stack string `json:"stack"`
}

// NewCostDocument is the cost document of a, compared with b when b is not nil.
func NewCostDocument(a, b *Plan) *CostDocument {
	doc := &CostDocument{Stack: a.Stack, Cost: costDoc(a.Policies)}
	if b != nil {
		oa := objectivesOf(a)
		doc.Latency, doc.Objectives = latencyOf(a), &oa
		doc.Compare = &CostComparison{Stack: b.Stack, Cost: costDoc(b.Policies),
			DeltaMonthlyUSD: cost.Round2(monthly(b) - monthly(a)),
			Objectives:      objectivesOf(b), Latency: latencyOf(b)}
	}
	return doc
}

func monthly(p *Plan) float64 {
	if p.Policies.Cost == nil {
		return 0
	}
	return p.Policies.Cost.MonthlyUSD
}

// WriteCost writes a's cost per resource, or, when b is not nil, a and b side
// by side with their RPO/RTO and latency.
func WriteCost(out io.Writer, a, b *Plan, f Format) error {
	if f == JSON {
		return WriteJSON(out, NewCostDocument(a, b))
	}
	if _, err := ParseFormat(string(f)); err != nil {
		return err
	}
	w := &errWriter{w: out}
	if f == Markdown {
		writeCostMarkdown(w, a, b)
	} else {
		writeCostTable(w, a, b)
	}
	if b != nil {
		fmt.Fprintln(w)
		if f == Markdown {
			writeCompareMarkdown(w, a, b, false)
		} else {
			writeCompareTable(w, a, b, false)
		}
	}
	return w.err
}

func writeCostTable(w io.Writer, a, b *Plan) {
	if b == nil {
		fmt.Fprintf(w, "Stack %s: %s\n", a.Stack, costLines(a)[0])
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MONTHLY\tREGION\tRESOURCE\tHOW")
		for _, l := range costDoc(a.Policies).ByResource {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", Money(l.MonthlyUSD), regionKey(l.Region), l.Name, l.Detail)
		}
		tw.Flush()
		for _, l := range costLines(a)[1:] {
			fmt.Fprintln(w, l)
		}
		return
	}
	ca, cb := costDoc(a.Policies), costDoc(b.Policies)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t%s\tDIFFERENCE\t\n", a.Stack, b.Stack)
	row := func(label string, x, y float64) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", label, Money(x), Money(y), Money(y-x))
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
	tw.Flush()
}

func writeCostMarkdown(w io.Writer, a, b *Plan) {
	if b == nil {
		fmt.Fprintf(w, "### Cost of `%s`\n\n%s\n\n| Monthly | Region | Resource | How |\n|---|---|---|---|\n", a.Stack, costLines(a)[0])
		for _, l := range costDoc(a.Policies).ByResource {
			fmt.Fprintf(w, "| %s | %s | `%s` | %s |\n", Money(l.MonthlyUSD), regionKey(l.Region), l.Name, l.Detail)
		}
		return
	}
	ca, cb := costDoc(a.Policies), costDoc(b.Policies)
	fmt.Fprintf(w, "### Cost: `%s` vs `%s`\n\n| | %s | %s | difference |\n|---|---|---|---|\n", a.Stack, b.Stack, a.Stack, b.Stack)
	fmt.Fprintf(w, "| monthly | %s | %s | %s |\n", Money(ca.MonthlyUSD), Money(cb.MonthlyUSD), Money(cb.MonthlyUSD-ca.MonthlyUSD))
	fmt.Fprintf(w, "| single-region baseline | %s | %s | %s |\n", Money(ca.SingleRegionBaselineUSD), Money(cb.SingleRegionBaselineUSD), Money(cb.SingleRegionBaselineUSD-ca.SingleRegionBaselineUSD))
	fmt.Fprintf(w, "| multi-region premium | %s | %s | %s |\n", Money(ca.PremiumUSD), Money(cb.PremiumUSD), Money(cb.PremiumUSD-ca.PremiumUSD))
}

// regionKey is a region for the tables: GlobalKey for resources outside any.
func regionKey(region string) string {
	if region == "" {
		return GlobalKey
	}
	return region
}

// CompareDocument is `multiregion compare --format json`.
type CompareDocument struct {
	// Stacks are the two stacks, in the order given.
	Stacks []CompareDoc `json:"stacks"`
}

// CompareDoc is one stack in CompareDocument.
type CompareDoc struct {
	// Stack is the stack's name.
	Stack string `json:"stack"`
	// Cost is its monthly estimate.
	Cost CostDoc `json:"cost"`
	// Objectives is its RPO/RTO class.
	Objectives ObjectivesDoc `json:"objectives"`
	// Latency is its latency section.
	Latency *latency.Report `json:"latency"`
}

// ObjectivesDoc is the RPO/RTO class of a stack's database mode.
type ObjectivesDoc struct {
	// Mode is the database mode.
	Mode string `json:"mode"`
	// RPOSeconds is the recovery point objective: the data a failure can lose.
	RPOSeconds float64 `json:"rpoSeconds"`
	// RTOSeconds is the recovery time objective: how long until the data serves again.
	RTOSeconds float64 `json:"rtoSeconds"`
}

// NewCompareDocument is the comparison document of a and b.
func NewCompareDocument(a, b *Plan) *CompareDocument {
	doc := &CompareDocument{}
	for _, p := range []*Plan{a, b} {
		doc.Stacks = append(doc.Stacks, CompareDoc{Stack: p.Stack, Cost: costDoc(p.Policies), Objectives: objectivesOf(p), Latency: latencyOf(p)})
	}
	return doc
}

func objectivesOf(p *Plan) ObjectivesDoc {
	c := p.Deployment.Config
	o := c.Objectives()
	return ObjectivesDoc{Mode: c.Database.Mode, RPOSeconds: o.RPO.Seconds(), RTOSeconds: o.RTO.Seconds()}
}

// WriteCompare writes a and b side by side: cost, regions, database, RPO/RTO
// and latency per user location.
func WriteCompare(out io.Writer, a, b *Plan, f Format) error {
	switch f {
	case JSON:
		return WriteJSON(out, NewCompareDocument(a, b))
	case Markdown, Table:
	default:
		_, err := ParseFormat(string(f))
		return err
	}
	w := &errWriter{w: out}
	if f == Markdown {
		writeCompareMarkdown(w, a, b, true)
	} else {
		writeCompareTable(w, a, b, true)
	}
	return w.err
}

// compareRows are the side-by-side rows: label, value for a, value for b.
func compareRows(a, b *Plan, withCost bool) [][3]string {
	var rows [][3]string
	add := func(label string, f func(*Plan) string) { rows = append(rows, [3]string{label, f(a), f(b)}) }
	if withCost {
		costOf := func(get func(c CostDoc) float64) func(*Plan) string {
			return func(p *Plan) string {
				if p.Policies.Cost == nil {
					return "no estimate"
				}
				return Money(get(costDoc(p.Policies)))
			}
		}
		add("monthly", costOf(func(c CostDoc) float64 { return c.MonthlyUSD }))
		add("single-region baseline", costOf(func(c CostDoc) float64 { return c.SingleRegionBaselineUSD }))
		add("multi-region premium", costOf(func(c CostDoc) float64 { return c.PremiumUSD }))
	}
	add("regions", func(p *Plan) string { return strings.Join(p.Deployment.Config.Regions, ", ") })
	add("database", func(p *Plan) string { return p.Deployment.Config.Database.Mode })
	add("RPO / RTO", func(p *Plan) string {
		o := p.Deployment.Config.Objectives()
		return "~" + latency.Spoken(o.RPO) + " / ~" + latency.Spoken(o.RTO)
	})
	la, lb := latencyOf(a), latencyOf(b)
	lat := func(f func(*latency.Report) string) func(*Plan) string {
		return func(p *Plan) string {
			rep := la
			if p == b {
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

func writeCompareTable(w io.Writer, a, b *Plan, withCost bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\t%s\t%s\n", a.Stack, b.Stack)
	for _, row := range compareRows(a, b, withCost) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", row[0], row[1], row[2])
	}
	tw.Flush()
	for _, p := range []*Plan{a, b} {
		if rep := latencyOf(p); rep.Verdict != "" {
			fmt.Fprintf(w, "%s: %s\n", p.Stack, rep.Verdict)
		}
	}
}

func writeCompareMarkdown(w io.Writer, a, b *Plan, withCost bool) {
	if withCost {
		fmt.Fprintf(w, "### `%s` vs `%s`\n\n", a.Stack, b.Stack)
	}
	fmt.Fprintf(w, "| | %s | %s |\n|---|---|---|\n", a.Stack, b.Stack)
	for _, row := range compareRows(a, b, withCost) {
		fmt.Fprintf(w, "| %s | %s | %s |\n", strings.TrimSpace(row[0]), row[1], row[2])
	}
	fmt.Fprintln(w)
	for _, p := range []*Plan{a, b} {
		if rep := latencyOf(p); rep.Verdict != "" {
			fmt.Fprintf(w, "- `%s`: %s\n", p.Stack, rep.Verdict)
		}
	}
}
