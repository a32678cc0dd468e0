// Package diagram draws a rendered multiregion stack (a stacks.Deployment) as
// a Mermaid flowchart or a Graphviz DOT graph: the users and the DNS layer,
// one group per region with its load balancer, its ECS service and its copy
// of the database, the DNS routes labelled with their routing role and health
// check, the replication arrows labelled with the database mode and its lag,
// and the automatic failover plan when the stack has one.
//
// Every number and role comes from the components' own resolved values
// (regionalstack.RegionalStack's task counts and standby flag,
// geodns.GeoDNS's backend, routing and primary, globaldatabase.GlobalDatabase's
// mode, data regions, instance class and Aurora ClusterInstances per region,
// failover.Failover's trigger), never from defaults re-derived here: a diagram
// that disagrees with what is deployed is worse than none.
package diagram

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/stacks"
)

// Format is an output format of a diagram.
type Format string

// The diagram formats.
const (
	// Mermaid is a Mermaid flowchart (GitHub renders it in Markdown).
	Mermaid Format = "mermaid"
	// Dot is a Graphviz DOT digraph.
	Dot Format = "dot"
)

// Formats lists every Format, in the order help texts and completion show them.
func FormatValues() []Format { return []Format{Mermaid, Dot} }

// ParseFormat returns the Format named s, or an error listing the formats.
func ParseFormat(s string) (Format, error) {
	for _, f := range FormatValues() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%q: use %s", s, formatList())
}

func formatList() string {
	var names []string
	for _, f := range FormatValues() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// Diagram is the layout of one stack: nodes, region groups and edges. Build
// it with New and print it with Render (or Mermaid, Dot).
type Diagram struct {
	nodes []node
	edges []edge
	// groups maps a region to the node IDs inside it, in order.
	groups      map[string][]string
	groupLabels map[string]string
	order       []string
}

type node struct {
	id, label, shape string // shape: box, db, dns, users, plan
}

type edge struct {
	from, to, label string
	style           string // solid, dashed, thick
}

// id is a node ID: the kind and the region, in characters both formats take.
func id(kind, region string) string {
	return kind + "_" + strings.ReplaceAll(region, "-", "_")
}

// New lays out a stack's deployment (the one stacks.Build or
// stacks/offline.Render returns).
func New(d *stacks.Deployment) *Diagram {
	c := d.Config
	g := &Diagram{groups: map[string][]string{}, groupLabels: map[string]string{}}
	g.nodes = append(g.nodes, node{"users", "Users", "users"})
	dnsLabel := fmt.Sprintf("%s %s<br/>%s", titleBackend(d.DNS.Backend), d.DNS.Routing, c.DNS.Domain)
	g.nodes = append(g.nodes, node{"dns", dnsLabel, "dns"})
	g.edges = append(g.edges, edge{"users", "dns", "", "solid"})

	db := d.Database
	for i, region := range c.Regions {
		rs := d.Regions[region]
		role := Role(d, region)
		if role == RoleSingle {
			role = "single region"
		}
		label := fmt.Sprintf("%s (%s)", region, role)
		if c.Drill != nil && c.Drill.FailRegion == region {
			label += " DRILL: failed"
		}
		g.order = append(g.order, region)
		g.groupLabels[region] = label
		lb, svc := id("lb", region), id("svc", region)
		g.nodes = append(g.nodes,
			node{lb, fmt.Sprintf("ALB %s", rs.HealthCheckProtocol), "box"},
			node{svc, fmt.Sprintf("ECS Fargate<br/>%d task(s)", rs.DesiredTasks), "box"})
		g.groups[region] = append(g.groups[region], lb, svc)
		g.edges = append(g.edges, edge{lb, svc, "", "solid"})
		if dbLabel := databaseNode(db, region, i); dbLabel != "" {
			dbID := id("db", region)
			g.nodes = append(g.nodes, node{dbID, dbLabel, "db"})
			g.groups[region] = append(g.groups[region], dbID)
			g.edges = append(g.edges, edge{svc, dbID, "", "solid"})
		}
		routeLabel, style := route(d, region)
		g.edges = append(g.edges, edge{"dns", lb, routeLabel, style})
	}
	// replication arrows from the writer to every copy
	writer := id("db", db.WriterRegion)
	for _, region := range db.DataRegions {
		if region == db.WriterRegion {
			continue
		}
		label := fmt.Sprintf("%s: %s", db.ModeName, db.Objectives.Lag)
		g.edges = append(g.edges, edge{writer, id("db", region), label, "thick"})
	}
	if f := d.Failover; f != nil {
		g.addFailover(d, f)
	}
	return g
}

// The roles a region plays (Role).
const (
	// RoleSingle is the only region of a single-region stack.
	RoleSingle = "single"
	// RoleActive is a region that serves traffic beside others (active-active).
	RoleActive = "active"
	// RolePrimary is the region that serves traffic in an active-passive stack.
	RolePrimary = "primary"
	// RoleStandby is a region running its standby (pilot-light) task count.
	RoleStandby = "standby"
)

// RoleValues lists the roles Role returns.
func RoleValues() []string { return []string{RoleSingle, RoleActive, RolePrimary, RoleStandby} }

// Role names a region's role in the deployment, from the RegionalStack's own
// mode (its Standby flag) and the number of regions.
func Role(d *stacks.Deployment, region string) string {
	rs := d.Regions[region]
	switch {
	case len(d.Regions) == 1:
		return RoleSingle
	case rs != nil && rs.Standby:
		return RoleStandby
	case d.Config.Topology == stacks.TopologyActiveActive:
		return RoleActive
	}
	return RolePrimary
}

// route labels the DNS edge to a region with its routing role and health check.
func route(d *stacks.Deployment, region string) (label, style string) {
	rs, c := d.Regions[region], d.Config
	check := "health check " + rs.HealthCheckProtocol + " " + rs.HealthCheckPath
	if d.DNS.Backend == geodns.BackendCloudflare {
		check = "pool + monitor " + rs.HealthCheckPath
	}
	switch d.DNS.Routing {
	case geodns.RoutingFailover:
		if region == d.DNS.PrimaryRegion {
			return "PRIMARY, " + check, "solid"
		}
		return "SECONDARY, " + check, "dashed"
	case geodns.RoutingGeolocation:
		var locs []string
		for _, loc := range slices.Sorted(maps.Keys(c.DNS.Geo)) {
			if c.DNS.Geo[loc] == region {
				locs = append(locs, loc)
			}
		}
		if len(locs) == 0 {
			return "failover target, " + check, "dashed"
		}
		return strings.Join(locs, " ") + ", " + check, "solid"
	case geodns.RoutingLatency:
		return "lowest latency, " + check, "solid"
	case geodns.RoutingWeighted:
		w := 1
		if v, ok := c.DNS.Weights[region]; ok {
			w = v
		}
		return fmt.Sprintf("weight %d, %s", w, check), "solid"
	}
	return check, "solid"
}

// addFailover draws the ARC Region switch plan: its probe of the primary and
// what it does in the standby region when it runs.
func (g *Diagram) addFailover(d *stacks.Deployment, f *failover.Failover) {
	how := "started by hand"
	if f.Automatic {
		how = fmt.Sprintf("automatic after %ds", f.DetectionSeconds)
	}
	g.nodes = append(g.nodes, node{"failover", "ARC Region switch plan<br/>" + how, "plan"})
	g.edges = append(g.edges, edge{"failover", id("lb", f.PrimaryRegion), "probe from " + f.StandbyRegion, "dashed"})
	g.edges = append(g.edges, edge{"failover", id("svc", f.StandbyRegion), "scale up", "dashed"})
	if f.DatabaseAction == failover.DatabaseManagedFailover {
		g.edges = append(g.edges, edge{"failover", id("db", f.StandbyRegion), "managed failover", "dashed"})
	}
}

func titleBackend(b string) string {
	if b == geodns.BackendRoute53 {
		return "Route 53"
	}
	return "Cloudflare"
}

// databaseNode labels region i's database, or "" when it holds none.
func databaseNode(gdb *globaldatabase.GlobalDatabase, region string, i int) string {
	holds := slices.Contains(gdb.DataRegions, region)
	switch gdb.ModeName {
	case globaldatabase.ModeRDS, globaldatabase.ModeRDSReplica:
		if !holds {
			return ""
		}
		role := "primary"
		if i > 0 {
			role = "read replica"
			if gdb.WriterRegion == region {
				role = "promoted"
			}
		}
		return fmt.Sprintf("RDS PostgreSQL %s<br/>%s", role, gdb.InstanceClass)
	case globaldatabase.ModeAuroraGlobal:
		instances, ok := gdb.ClusterInstances[region]
		if !ok {
			return ""
		}
		role := "writer"
		if i > 0 {
			role = "secondary"
		}
		if len(instances) == 0 {
			return fmt.Sprintf("Aurora %s<br/>headless", role)
		}
		return fmt.Sprintf("Aurora %s<br/>%d x %s", role, len(instances), gdb.InstanceClass)
	case globaldatabase.ModeDynamoDBGlobal:
		if i == 0 {
			return "DynamoDB global table"
		}
		return "DynamoDB replica"
	}
	return ""
}

// index returns the nodes by ID, and which nodes sit inside a region group.
func (g *Diagram) index() (byID map[string]node, grouped map[string]bool) {
	byID, grouped = map[string]node{}, map[string]bool{}
	for _, n := range g.nodes {
		byID[n.id] = n
	}
	for _, ids := range g.groups {
		for _, id := range ids {
			grouped[id] = true
		}
	}
	return byID, grouped
}

// Mermaid renders the diagram as a Mermaid flowchart.
func (g *Diagram) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	byID, grouped := g.index()
	shape := func(n node) string {
		label := strings.ReplaceAll(n.label, `"`, "'")
		switch n.shape {
		case "users":
			return fmt.Sprintf(`%s(("%s"))`, n.id, label)
		case "dns":
			return fmt.Sprintf(`%s{{"%s"}}`, n.id, label)
		case "db":
			return fmt.Sprintf(`%s[("%s")]`, n.id, label)
		case "plan":
			return fmt.Sprintf(`%s[["%s"]]`, n.id, label)
		}
		return fmt.Sprintf(`%s["%s"]`, n.id, label)
	}
	for _, n := range g.nodes {
		if !grouped[n.id] {
			fmt.Fprintf(&b, "  %s\n", shape(n))
		}
	}
	for _, region := range g.order {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", "region_"+strings.ReplaceAll(region, "-", "_"), g.groupLabels[region])
		for _, id := range g.groups[region] {
			fmt.Fprintf(&b, "    %s\n", shape(byID[id]))
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.edges {
		arrow := map[string]string{"solid": "-->", "dashed": "-.->", "thick": "==>"}[e.style]
		if e.label == "" {
			fmt.Fprintf(&b, "  %s %s %s\n", e.from, arrow, e.to)
			continue
		}
		label := strings.ReplaceAll(e.label, `"`, "'")
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.from, arrow, label, e.to)
	}
	return b.String()
}

// Dot renders the diagram as a Graphviz DOT digraph.
func (g *Diagram) Dot() string {
	var b strings.Builder
	b.WriteString("digraph multiregion {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n")
	attrs := func(n node) string {
		label := strings.ReplaceAll(strings.ReplaceAll(n.label, "<br/>", `\n`), `"`, `'`)
		shape := map[string]string{"users": "circle", "dns": "hexagon", "db": "cylinder", "box": "box", "plan": "component"}[n.shape]
		return fmt.Sprintf(`%s [label="%s", shape=%s];`, n.id, label, shape)
	}
	byID, grouped := g.index()
	for _, n := range g.nodes {
		if !grouped[n.id] {
			fmt.Fprintf(&b, "  %s\n", attrs(n))
		}
	}
	for _, region := range g.order {
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=\"%s\";\n", strings.ReplaceAll(region, "-", "_"), g.groupLabels[region])
		for _, id := range g.groups[region] {
			fmt.Fprintf(&b, "    %s\n", attrs(byID[id]))
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.edges {
		style := map[string]string{"solid": "solid", "dashed": "dashed", "thick": "bold"}[e.style]
		fmt.Fprintf(&b, "  %s -> %s [style=%s", e.from, e.to, style)
		if e.label != "" {
			fmt.Fprintf(&b, ", label=\"%s\"", strings.ReplaceAll(e.label, `"`, `'`))
		}
		b.WriteString("];\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// Render returns the diagram in format f; an unknown format renders Mermaid
// (ParseFormat refuses one first).
func (g *Diagram) Render(f Format) string {
	if f == Dot {
		return g.Dot()
	}
	return g.Mermaid()
}
