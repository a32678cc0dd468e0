package report

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/cost"
	"github.com/multiregion/multiregion/policies/model"
)

// Version is the JSON document's version (Document.Version). Fields are only
// ever added; the version changes when a field changes meaning or goes away.
const Version = 1

// Document is the stable JSON report (`multiregion plan --format json`).
// Field names are part of the CLI contract: add fields, never rename or
// remove them.
type Document struct {
	// Version is the document's version (Version).
	Version int `json:"version"`
	// Stack is the stack's name.
	Stack string `json:"stack"`
	// Topology is single, active-passive or active-active; for a state file,
	// its multiregion:topology config, or "unknown".
	Topology string `json:"topology"`
	// Regions are the stack's regions, the primary first; for a state file,
	// the regions its resources are in, sorted.
	Regions []string `json:"regions"`
	// Residency is the jurisdiction the data must stay in (multiregion:residency).
	Residency string `json:"residency,omitempty"`
	// BudgetUSD is the monthly budget (multiregion:budgetUSD), absent when none is set.
	BudgetUSD *float64 `json:"budgetUSD,omitempty"`
	// Database describes the data layer (a Plan only).
	Database *DatabaseDoc `json:"database,omitempty"`
	// DNS describes the traffic layer (a Plan only).
	DNS *DNSDoc `json:"dns,omitempty"`
	// Drill is the active failover drill (a Plan only), absent when none is.
	Drill *DrillDoc `json:"drill,omitempty"`
	// Failover is the automatic regional failover (a Plan only), absent when
	// the stack has none.
	Failover *FailoverDoc `json:"failover,omitempty"`
	// Resources are every resource, in registration (or state) order.
	Resources []ResourceDoc `json:"resources"`
	// Summary counts the resources.
	Summary Summary `json:"summary"`
	// Cost is the monthly estimate.
	Cost CostDoc `json:"cost"`
	// Policies is the policy pack's verdict.
	Policies PoliciesDoc `json:"policies"`
	// Diagram is the diagram asked for with Options.Diagram (a Plan only).
	Diagram string `json:"diagram,omitempty"`
	// Latency is the latency section (README "What the regions buy").
	Latency *latency.Report `json:"latency,omitempty"`
}

// ResourceDoc is one resource; secrets show as SecretPlaceholder, unknown
// values as UnknownPlaceholder.
type ResourceDoc struct {
	// URN is the resource's Pulumi URN.
	URN string `json:"urn"`
	// Type is the Pulumi type token, e.g. aws:ec2/vpc:Vpc.
	Type string `json:"type"`
	// Name is the resource's logical name.
	Name string `json:"name"`
	// Region is the AWS region it is in, "" for a global resource.
	Region string `json:"region"`
	// Parent is the parent's URN, "" for the root stack.
	Parent string `json:"parent"`
	// Provider is the URN of the resource's provider, "" when none is recorded
	// (components).
	Provider string `json:"provider"`
	// Inputs are the resource's inputs as JSON values.
	Inputs map[string]any `json:"inputs"`
}

// The placeholders that replace values in ResourceDoc.Inputs.
const (
	// SecretPlaceholder replaces a secret value: reports never show secrets
	// (the placeholder stack files and states use too).
	SecretPlaceholder = stackfile.SecretPlaceholder
	// UnknownPlaceholder replaces a value not known until the deployment runs.
	UnknownPlaceholder = "[unknown]"
)

// Summary counts resources.
type Summary struct {
	// Total is the number of resources.
	Total int `json:"total"`
	// ByRegion counts resources per region (GlobalKey for global ones).
	ByRegion map[string]int `json:"byRegion"`
	// ByType counts resources per type.
	ByType map[string]int `json:"byType"`
}

// CostDoc is the monthly estimate.
type CostDoc struct {
	// MonthlyUSD is the stack's estimated monthly cost.
	MonthlyUSD float64 `json:"monthlyUSD"`
	// SingleRegionBaselineUSD is the cost of the primary region alone.
	SingleRegionBaselineUSD float64 `json:"singleRegionBaselineUSD"`
	// PremiumUSD is MonthlyUSD minus the baseline: what the other regions cost.
	PremiumUSD float64 `json:"premiumUSD"`
	// PrimaryRegion is the baseline's region.
	PrimaryRegion string `json:"primaryRegion"`
	// ByRegion is the monthly cost per region (GlobalKey for global resources).
	ByRegion map[string]float64 `json:"byRegion"`
	// ByResource is every priced resource, with how its price was computed.
	ByResource []cost.Line `json:"byResource"`
	// Unpriced lists the resources the catalog has no price for.
	Unpriced []cost.Unpriced `json:"unpriced"`
	// CatalogDate is the date of the price catalog.
	CatalogDate string `json:"catalogDate"`
	// Usage are the usage assumptions behind the prices.
	Usage cost.Usage `json:"usage"`
}

// PoliciesDoc is the pack's verdict.
type PoliciesDoc struct {
	// Mandatory is the number of mandatory violations.
	Mandatory int `json:"mandatory"`
	// Advisory is the number of advisory violations.
	Advisory int `json:"advisory"`
	// Levels maps each policy to its enforcement level.
	Levels map[string]string `json:"levels"`
	// Violations are the violations, mandatory and advisory.
	Violations []policies.Violation `json:"violations"`
	// Notes say when a policy had nothing to enforce (no jurisdiction, no budget).
	Notes []policies.Note `json:"notes"`
}

// DatabaseDoc describes the data layer.
type DatabaseDoc struct {
	// Mode is the database mode (rds, rds-replica, aurora-global, dynamodb-global).
	Mode string `json:"mode"`
	// Engine is the resolved engine.
	Engine string `json:"engine"`
	// WriterRegion is the region that takes writes.
	WriterRegion string `json:"writerRegion"`
	// DataRegions are the regions holding a copy of the data, the writer first.
	DataRegions []string `json:"dataRegions"`
	// Lag describes the replication lag.
	Lag string `json:"lag"`
	// RPOSeconds and RTOSeconds are the mode's recovery objectives.
	RPOSeconds float64 `json:"rpoSeconds"`
	RTOSeconds float64 `json:"rtoSeconds"`
}

// DNSDoc describes the traffic layer.
type DNSDoc struct {
	// Provider is route53 or cloudflare.
	Provider string `json:"provider"`
	// Routing is the routing mode (simple, failover, latency, geolocation, weighted).
	Routing string `json:"routing"`
	// Domain is the name users resolve.
	Domain string `json:"domain"`
	// PrimaryRegion is the failover primary.
	PrimaryRegion string `json:"primaryRegion"`
	// Regions are the endpoint regions, in order.
	Regions []string `json:"regions"`
}

// DrillDoc is an active failover drill.
type DrillDoc struct {
	// FailRegion is the region forced unhealthy in DNS.
	FailRegion string `json:"failRegion"`
}

// FailoverDoc is the automatic regional failover (components/failover).
type FailoverDoc struct {
	// Automatic reports whether the detector's alarm starts the plan.
	Automatic bool `json:"automatic"`
	// PrimaryRegion and StandbyRegion are the plan's two regions.
	PrimaryRegion string `json:"primaryRegion"`
	StandbyRegion string `json:"standbyRegion"`
	// DetectionSeconds is the shortest time from a failure to the alarm.
	DetectionSeconds int `json:"detectionSeconds"`
	// Database is what the plan does with the database
	// (failover.DatabaseManagedFailover and the other Database... constants).
	Database string `json:"database"`
}

// GlobalKey names resources outside any region in per-region maps.
const GlobalKey = cost.GlobalKey

// WriteJSON writes v as the CLI does: indented by two spaces, HTML
// characters unescaped, a final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// document builds the JSON document of either source.
func document(r Report) *Document {
	doc := &Document{Version: Version, Stack: r.StackName(), Resources: []ResourceDoc{}}
	r.fill(doc)
	doc.Summary = Summary{ByRegion: map[string]int{}, ByType: map[string]int{}}
	for _, res := range r.model().Resources {
		region := res.Region
		doc.Resources = append(doc.Resources, ResourceDoc{
			URN: res.URN, Type: res.Type, Name: res.Name, Region: region, Parent: res.Parent,
			Provider: res.Provider, Inputs: props.JSON(res.Props(), SecretPlaceholder, UnknownPlaceholder),
		})
		if region == "" {
			region = GlobalKey
		}
		doc.Summary.ByRegion[region]++
		doc.Summary.ByType[res.Type]++
	}
	doc.Summary.Total = len(doc.Resources)
	v := r.Verdict()
	doc.Cost = costDoc(v)
	doc.Latency = latencyOf(r)
	doc.Policies = PoliciesDoc{Mandatory: v.Mandatory, Advisory: v.Advisory,
		Violations: v.Violations, Notes: v.Notes, Levels: map[string]string{}}
	if doc.Policies.Notes == nil {
		doc.Policies.Notes = []policies.Note{}
	}
	for name, level := range v.Levels {
		doc.Policies.Levels[name] = string(level)
	}
	return doc
}

// costDoc is the cost part of a document: empty lists, never null.
func costDoc(v *policies.Report) CostDoc {
	var c CostDoc
	if est := v.Cost; est != nil {
		c = CostDoc{MonthlyUSD: est.MonthlyUSD, SingleRegionBaselineUSD: est.SingleRegionBaselineUSD,
			PremiumUSD: est.PremiumUSD, PrimaryRegion: est.PrimaryRegion, ByRegion: est.ByRegion,
			ByResource: est.ByResource, Unpriced: est.Unpriced, CatalogDate: est.CatalogDate, Usage: est.Usage}
	}
	if c.ByResource == nil {
		c.ByResource = []cost.Line{}
	}
	if c.Unpriced == nil {
		c.Unpriced = []cost.Unpriced{}
	}
	return c
}

// kinds groups resource types for the per-region table.
var kinds = []struct{ name, prefix string }{
	{"network", "aws:ec2/"}, {"network", "aws:vpc/"},
	{"load balancing", "aws:lb/"},
	{"compute", "aws:ecs/"}, {"compute", "aws:appautoscaling/"}, {"compute", "aws:iam/"},
	{"database", "aws:rds/"}, {"database", "aws:dynamodb/"}, {"database", "aws:secretsmanager/"}, {"database", "random:"},
	{"dns", "aws:route53/"}, {"dns", "cloudflare:"},
	{"encryption", "aws:kms/"},
	{"logs", "aws:cloudwatch/"},
}

// kindNames are the kinds in table order, then "other".
var kindNames = []string{"network", "load balancing", "compute", "database", "dns", "encryption", "logs", "other"}

// kindOf returns the kind of a resource type ("" for components and providers).
func kindOf(r *model.Resource) string {
	if !r.Custom || r.IsProvider() {
		return ""
	}
	for _, k := range kinds {
		if strings.HasPrefix(r.Type, k.prefix) {
			return k.name
		}
	}
	return "other"
}

// regionRow is one row of the per-region table.
type regionRow struct {
	region string
	role   string
	counts map[string]int
	total  int
	cost   float64
}

// regionRows counts resources per region and kind, the source's order first,
// then the rest sorted, global last.
func regionRows(r Report) []regionRow {
	rows := map[string]*regionRow{}
	get := func(region string) *regionRow {
		if rows[region] == nil {
			rows[region] = &regionRow{region: region, counts: map[string]int{}}
		}
		return rows[region]
	}
	for _, res := range r.model().Resources {
		k := kindOf(res)
		if k == "" {
			continue
		}
		region := res.Region
		if region == "" {
			region = GlobalKey
		}
		row := get(region)
		row.counts[k]++
		row.total++
	}
	if est := r.Verdict().Cost; est != nil {
		for region, usd := range est.ByRegion {
			get(region).cost = usd
		}
	}
	var out []regionRow
	seen := map[string]bool{}
	for _, region := range r.regionOrder() {
		if row, ok := rows[region]; ok {
			row.role = r.role(region)
			out = append(out, *row)
			seen[region] = true
		}
	}
	rest := slices.Sorted(maps.Keys(rows))
	sort.SliceStable(rest, func(i, j int) bool { return rest[j] == GlobalKey })
	for _, region := range rest {
		if !seen[region] {
			out = append(out, *rows[region])
		}
	}
	return out
}
