package main

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/cost"
	"github.com/multiregion/multiregion/policies/model"
)

// Document is the stable JSON report (`--format json`). Field names are part of
// the CLI contract: add fields, never rename or remove them.
type Document struct {
	Stack     string   `json:"stack"`
	Topology  string   `json:"topology"`
	Regions   []string `json:"regions"`
	Residency string   `json:"residency,omitempty"`
	BudgetUSD *float64 `json:"budgetUSD,omitempty"`
	// Database, DNS and Drill describe the composed components (stacks only).
	Database  *DatabaseDoc  `json:"database,omitempty"`
	DNS       *DNSDoc       `json:"dns,omitempty"`
	Drill     *DrillDoc     `json:"drill,omitempty"`
	Resources []ResourceDoc `json:"resources"`
	Summary   Summary       `json:"summary"`
	Cost      CostDoc       `json:"cost"`
	Policies  PoliciesDoc   `json:"policies"`
	Diagram   string        `json:"diagram,omitempty"`
	// Latency is the latency section (internal/latency.Report; README "What the regions buy").
	Latency *latency.Report `json:"latency,omitempty"`
}

// ResourceDoc is one resource; secrets show as "[secret]", unknowns as "[unknown]".
type ResourceDoc struct {
	URN      string         `json:"urn"`
	Type     string         `json:"type"`
	Name     string         `json:"name"`
	Region   string         `json:"region"`
	Parent   string         `json:"parent"`
	Provider string         `json:"provider"`
	Inputs   map[string]any `json:"inputs"`
}

// Summary counts resources.
type Summary struct {
	Total    int            `json:"total"`
	ByRegion map[string]int `json:"byRegion"`
	ByType   map[string]int `json:"byType"`
}

// CostDoc is the monthly estimate.
type CostDoc struct {
	MonthlyUSD              float64            `json:"monthlyUSD"`
	SingleRegionBaselineUSD float64            `json:"singleRegionBaselineUSD"`
	PremiumUSD              float64            `json:"premiumUSD"`
	PrimaryRegion           string             `json:"primaryRegion"`
	ByRegion                map[string]float64 `json:"byRegion"`
	ByResource              []cost.Line        `json:"byResource"`
	Unpriced                []cost.Unpriced    `json:"unpriced"`
	CatalogDate             string             `json:"catalogDate"`
	Usage                   cost.Usage         `json:"usage"`
}

// PoliciesDoc is the pack's verdict.
type PoliciesDoc struct {
	Mandatory  int                  `json:"mandatory"`
	Advisory   int                  `json:"advisory"`
	Levels     map[string]string    `json:"levels"`
	Violations []policies.Violation `json:"violations"`
	// Notes say when a policy had nothing to enforce (no jurisdiction, no budget).
	Notes []policies.Note `json:"notes"`
}

// DatabaseDoc describes the data layer.
type DatabaseDoc struct {
	Mode         string   `json:"mode"`
	Engine       string   `json:"engine"`
	WriterRegion string   `json:"writerRegion"`
	DataRegions  []string `json:"dataRegions"`
	Lag          string   `json:"lag"`
	RPOSeconds   float64  `json:"rpoSeconds"`
	RTOSeconds   float64  `json:"rtoSeconds"`
}

// DNSDoc describes the traffic layer.
type DNSDoc struct {
	Provider      string   `json:"provider"`
	Routing       string   `json:"routing"`
	Domain        string   `json:"domain"`
	PrimaryRegion string   `json:"primaryRegion"`
	Regions       []string `json:"regions"`
}

// DrillDoc is an active failover drill.
type DrillDoc struct {
	FailRegion string `json:"failRegion"`
}

// GlobalKey names resources outside any region in per-region maps.
const GlobalKey = cost.GlobalKey

// document builds the JSON report of a rendered stack or state.
func document(r *rendered) *Document {
	doc := &Document{Stack: r.stack, Resources: []ResourceDoc{}}
	if c := r.cfg; c != nil {
		doc.Topology, doc.Regions, doc.Residency, doc.BudgetUSD = c.Topology, c.Regions, c.Residency, c.BudgetUSD
		db, dns := r.d.Database, r.d.DNS
		doc.Database = &DatabaseDoc{Mode: db.ModeName, Engine: db.Engine, WriterRegion: db.WriterRegion,
			DataRegions: db.DataRegions, Lag: db.Objectives.Lag,
			RPOSeconds: db.Objectives.RPO.Seconds(), RTOSeconds: db.Objectives.RTO.Seconds()}
		doc.DNS = &DNSDoc{Provider: dns.Backend, Routing: dns.Routing, Domain: c.DNS.Domain,
			PrimaryRegion: dns.PrimaryRegion, Regions: dns.Regions}
		if c.Drill != nil {
			doc.Drill = &DrillDoc{FailRegion: c.Drill.FailRegion}
		}
	} else {
		doc.Topology = r.config["multiregion:topology"]
		if doc.Topology == "" {
			doc.Topology = "unknown"
		}
		doc.Regions = regionsOf(r.dep)
		doc.Residency = r.config["multiregion:residency"]
	}
	doc.Summary = Summary{ByRegion: map[string]int{}, ByType: map[string]int{}}
	for _, res := range r.dep.Resources {
		region := res.Region
		doc.Resources = append(doc.Resources, ResourceDoc{
			URN: res.URN, Type: res.Type, Name: res.Name, Region: region, Parent: res.Parent,
			Provider: res.Provider, Inputs: props.JSON(res.Props(), "[secret]", "[unknown]"),
		})
		if region == "" {
			region = GlobalKey
		}
		doc.Summary.ByRegion[region]++
		doc.Summary.ByType[res.Type]++
	}
	doc.Summary.Total = len(doc.Resources)
	if est := r.report.Cost; est != nil {
		doc.Cost = CostDoc{MonthlyUSD: est.MonthlyUSD, SingleRegionBaselineUSD: est.SingleRegionBaselineUSD,
			PremiumUSD: est.PremiumUSD, PrimaryRegion: est.PrimaryRegion, ByRegion: est.ByRegion,
			ByResource: est.ByResource, Unpriced: est.Unpriced, CatalogDate: est.CatalogDate, Usage: est.Usage}
	}
	if doc.Cost.ByResource == nil {
		doc.Cost.ByResource = []cost.Line{}
	}
	if doc.Cost.Unpriced == nil {
		doc.Cost.Unpriced = []cost.Unpriced{}
	}
	doc.Latency = latencyOf(r)
	doc.Policies = PoliciesDoc{Mandatory: r.report.Mandatory, Advisory: r.report.Advisory,
		Violations: r.report.Violations, Notes: r.report.Notes, Levels: map[string]string{}}
	if doc.Policies.Notes == nil {
		doc.Policies.Notes = []policies.Note{}
	}
	for name, level := range r.report.Levels {
		doc.Policies.Levels[name] = string(level)
	}
	return doc
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

// regionRows counts resources per region and kind, primary first, global last.
func regionRows(r *rendered) []regionRow {
	rows := map[string]*regionRow{}
	get := func(region string) *regionRow {
		if rows[region] == nil {
			rows[region] = &regionRow{region: region, counts: map[string]int{}}
		}
		return rows[region]
	}
	for _, res := range r.dep.Resources {
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
	if est := r.report.Cost; est != nil {
		for region, usd := range est.ByRegion {
			get(region).cost = usd
		}
	}
	order := []string{}
	if r.cfg != nil {
		order = append(order, r.cfg.Regions...)
	} else {
		order = append(order, regionsOf(r.dep)...)
	}
	var out []regionRow
	seen := map[string]bool{}
	for _, region := range order {
		if row, ok := rows[region]; ok {
			row.role = roleOf(r, region)
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

// roleOf names a region's role in the topology.
func roleOf(r *rendered, region string) string {
	c := r.cfg
	if c == nil {
		return ""
	}
	switch {
	case c.Drill != nil && c.Drill.FailRegion == region:
		return "DRILL: failed"
	case c.Topology == "single":
		return "single"
	case c.Topology == "active-active":
		return "active"
	case region == c.Regions[0]:
		return "primary"
	}
	return "standby"
}
