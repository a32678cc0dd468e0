// Package report renders what multiregion knows about a stack: the stable JSON
// document (Document, the CLI's `--format json` contract), the text and
// Markdown reports (per-region table, database, DNS, failover, drill, cost,
// latency, policy verdicts), the cost breakdown and the side-by-side
// comparison of two stacks.
//
// A report has one of two sources, and each is its own type:
//
//   - a Plan is a stack rendered offline (stacks/offline.Render): the composed
//     components are known, so the report describes the topology, the database,
//     DNS and failover from their resolved values;
//   - a StateCheck is a deployment read from a state file (`pulumi stack
//     export`, policies/model.ParseState): only its resources and its stack
//     config are known.
//
// Both share one core (stack name, resource model, policy verdict, cost) and
// satisfy Report, which Write renders in any Format. The package never reads
// files, except FindLastDrill, which the caller asks for.
package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/drill"
	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
	"github.com/multiregion/multiregion/stacks"
)

// Report is a Plan or a StateCheck: what Write renders. Only this package
// implements it.
type Report interface {
	// StackName is the stack the report is about.
	StackName() string
	// Verdict is the policy pack's verdict, with the cost estimate.
	Verdict() *policies.Report
	// Document is the JSON document.
	Document() *Document
	// view is what the renderers ask of each source.
	view
}

// view is how the two sources differ; everything else is shared.
type view interface {
	model() *model.Deployment
	headline() string
	// residency is the stack's jurisdiction; ok is false when it is unknown.
	residency() (jurisdiction string, ok bool)
	// regionOrder lists the regions in the order the table shows them first.
	regionOrder() []string
	// role names a region's role ("" when unknown).
	role(region string) string
	// sections are the summary sections before Cost.
	sections() []section
	latencyStack() (latency.Stack, error)
	// fill sets the document fields only this source knows.
	fill(doc *Document)
}

// Plan is a stack rendered offline: its config, its composed components and
// the resources they registered.
type Plan struct {
	// Stack is the stack's name.
	Stack string
	// Deployment holds the stack's config and its components (stacks.Build).
	Deployment *stacks.Deployment
	// Model is the resource model the policies saw.
	Model *model.Deployment
	// Policies is the policy pack's verdict on Model, with the cost estimate.
	Policies *policies.Report
	// LastDrill is the newest failover drill kept for the stack (optional:
	// nil leaves the "last drill" line out; see FindLastDrill).
	LastDrill *LastDrill
}

// NewPlan is the report of a rendered stack: d and m as stacks/offline.Render
// returns them (m is the recorder's Model), verdict as policies.Evaluate
// returns it for m.
func NewPlan(stack string, d *stacks.Deployment, m *model.Deployment, verdict *policies.Report) *Plan {
	return &Plan{Stack: stack, Deployment: d, Model: m, Policies: verdict}
}

// StateCheck is a deployment read from a state file: its resources and its
// stack config, without the components that made them.
type StateCheck struct {
	// Model is the deployment as read (policies/model.ParseState); its Stack
	// names the stack and holds its config.
	Model *model.Deployment
	// Policies is the policy pack's verdict on Model, with the cost estimate.
	Policies *policies.Report
}

// NewStateCheck is the report of a deployment read from a state file.
func NewStateCheck(m *model.Deployment, verdict *policies.Report) *StateCheck {
	return &StateCheck{Model: m, Policies: verdict}
}

// LastDrill is the newest drill report kept for a stack (package drill).
type LastDrill struct {
	// Report is the drill's report (nil when Err is set).
	Report *drill.Report
	// Path is the file it was read from.
	Path string
	// Err says why the newest report could not be read.
	Err error
}

// FindLastDrill looks for the newest drill of stack kept in projectDir's
// .multiregion/drills (drill.Dir): the Pulumi project's directory, the parent
// of the stacks directory. It returns nil when there is none.
func FindLastDrill(projectDir, stack string) *LastDrill {
	rep, path, err := drill.Last(projectDir, stack)
	switch {
	case err != nil:
		return &LastDrill{Err: err}
	case rep == nil:
		return nil
	}
	return &LastDrill{Report: rep, Path: path}
}

// line is the report's "last drill" line.
func (l *LastDrill) line() string {
	if l.Err != nil {
		return "last drill: unreadable: " + l.Err.Error()
	}
	return "last drill: " + l.Report.Summary() + " (" + l.Path + ")"
}

// StackName is the stack's name.
func (p *Plan) StackName() string { return p.Stack }

// Verdict is the policy pack's verdict.
func (p *Plan) Verdict() *policies.Report { return p.Policies }

// Document is the plan's JSON document.
func (p *Plan) Document() *Document { return document(p) }

// Diagram lays out the plan's deployment (package diagram).
func (p *Plan) Diagram() *diagram.Diagram { return diagram.New(p.Deployment) }

func (p *Plan) model() *model.Deployment { return p.Model }

func (p *Plan) headline() string {
	var parts []string
	for _, region := range p.Deployment.Config.Regions {
		parts = append(parts, fmt.Sprintf("%s (%s)", region, p.role(region)))
	}
	return fmt.Sprintf("%s across %s", p.Deployment.Config.Topology, strings.Join(parts, ", "))
}

func (p *Plan) residency() (string, bool) { return p.Deployment.Config.Residency, true }

func (p *Plan) regionOrder() []string { return p.Deployment.Config.Regions }

func (p *Plan) role(region string) string {
	if dr := p.Deployment.Config.Drill; dr != nil && dr.FailRegion == region {
		return "DRILL: failed"
	}
	return diagram.Role(p.Deployment, region)
}

func (p *Plan) sections() []section {
	drillLines := []string{drillLine(p.Deployment.Config)}
	if p.LastDrill != nil {
		drillLines = append(drillLines, p.LastDrill.line())
	}
	return []section{
		{"Database", []string{databaseLine(p.Deployment)}},
		{"DNS", []string{dnsLine(p.Deployment)}},
		{"Failover", failoverLines(p.Deployment)},
		{"Drill", drillLines},
	}
}

func (p *Plan) latencyStack() (latency.Stack, error) { return p.Deployment.Config.Latency(), nil }

func (p *Plan) fill(doc *Document) {
	c, db, dns := p.Deployment.Config, p.Deployment.Database, p.Deployment.DNS
	doc.Topology, doc.Regions, doc.Residency, doc.BudgetUSD = c.Topology, c.Regions, c.Residency, c.BudgetUSD
	doc.Database = &DatabaseDoc{Mode: db.ModeName, Engine: db.Engine, WriterRegion: db.WriterRegion,
		DataRegions: db.DataRegions, Lag: db.Objectives.Lag,
		RPOSeconds: db.Objectives.RPO.Seconds(), RTOSeconds: db.Objectives.RTO.Seconds()}
	doc.DNS = &DNSDoc{Provider: dns.Backend, Routing: dns.Routing, Domain: c.DNS.Domain,
		PrimaryRegion: dns.PrimaryRegion, Regions: dns.Regions}
	if c.Drill != nil {
		doc.Drill = &DrillDoc{FailRegion: c.Drill.FailRegion}
	}
	if f := p.Deployment.Failover; f != nil {
		doc.Failover = &FailoverDoc{Automatic: f.Automatic, PrimaryRegion: f.PrimaryRegion,
			StandbyRegion: f.StandbyRegion, DetectionSeconds: f.DetectionSeconds, Database: f.DatabaseAction}
	}
}

// StackName is the name of the stack the state's URNs name.
func (s *StateCheck) StackName() string { return s.Model.Stack.Name }

// Verdict is the policy pack's verdict.
func (s *StateCheck) Verdict() *policies.Report { return s.Policies }

// Document is the state check's JSON document.
func (s *StateCheck) Document() *Document { return document(s) }

func (s *StateCheck) model() *model.Deployment { return s.Model }

func (s *StateCheck) headline() string {
	return fmt.Sprintf("deployment with %d resources in %s", len(s.Model.Resources), strings.Join(regionsOf(s.Model), ", "))
}

func (s *StateCheck) residency() (string, bool) { return "", false }

func (s *StateCheck) regionOrder() []string { return regionsOf(s.Model) }

func (s *StateCheck) role(string) string { return "" }

func (s *StateCheck) sections() []section { return nil }

func (s *StateCheck) latencyStack() (latency.Stack, error) {
	return latency.FromConfig(s.Model.Stack.Name, s.Model.Stack.Config)
}

func (s *StateCheck) fill(doc *Document) {
	cfg := s.Model.Stack.Config
	doc.Topology = cfg[stacks.Namespace+":topology"]
	if doc.Topology == "" {
		doc.Topology = "unknown"
	}
	doc.Regions = regionsOf(s.Model)
	doc.Residency = cfg[stacks.Namespace+":residency"]
	if b := s.Policies.Budget; b != nil && b.From == stacks.Namespace+":budgetUSD" {
		usd := b.USD
		doc.BudgetUSD = &usd
	}
}

// regionsOf lists the AWS regions resources are in, sorted.
func regionsOf(d *model.Deployment) []string {
	set := map[string]bool{}
	for _, r := range d.Resources {
		if r.Region != "" && !r.IsProvider() {
			set[r.Region] = true
		}
	}
	out := slices.Sorted(maps.Keys(set))
	if out == nil {
		out = []string{}
	}
	return out
}
