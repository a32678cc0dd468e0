package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/stacks"
)

// diagram draws a rendered stack: regions as groups with their app tier, the
// database with replication arrows labelled with mode and lag, and DNS routing
// with its health checks.
type diagram struct {
	nodes []node
	edges []edge
	// groups maps a region to the node IDs inside it, in order.
	groups      map[string][]string
	groupLabels map[string]string
	order       []string
}

type node struct {
	id, label, shape string // shape: box, db, dns, users
}

type edge struct {
	from, to, label string
	style           string // solid, dashed, thick
}

// buildDiagram lays out a stack's deployment.
func buildDiagram(d *stacks.Deployment) *diagram {
	c := d.Config
	g := &diagram{groups: map[string][]string{}, groupLabels: map[string]string{}}
	id := func(kind, region string) string {
		return kind + "_" + strings.NewReplacer("-", "_").Replace(region)
	}
	g.nodes = append(g.nodes, node{"users", "Users", "users"})
	dnsLabel := fmt.Sprintf("%s %s<br/>%s", titleBackend(d.DNS.Backend), d.DNS.Routing, c.DNS.Domain)
	g.nodes = append(g.nodes, node{"dns", dnsLabel, "dns"})
	g.edges = append(g.edges, edge{"users", "dns", "", "solid"})

	db := d.Database
	for i, region := range c.Regions {
		rs := d.Regions[region]
		role := "primary"
		tasks := c.App.DesiredCount
		switch {
		case c.Topology == stacks.TopologyActiveActive:
			role = "active"
		case c.Topology == stacks.TopologySingle:
			role = "single region"
		case i > 0:
			role = "standby"
			tasks = 1
			if c.App.StandbyCount != nil {
				tasks = *c.App.StandbyCount
			}
		}
		if tasks == 0 {
			tasks = 2
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
			node{svc, fmt.Sprintf("ECS Fargate<br/>%d task(s)", tasks), "box"})
		g.groups[region] = append(g.groups[region], lb, svc)
		g.edges = append(g.edges, edge{lb, svc, "", "solid"})
		if dbLabel := databaseNode(c, db.ModeName, region, i); dbLabel != "" {
			dbID := id("db", region)
			g.nodes = append(g.nodes, node{dbID, dbLabel, "db"})
			g.groups[region] = append(g.groups[region], dbID)
			g.edges = append(g.edges, edge{svc, dbID, "", "solid"})
		}
		// DNS to the region, labelled with its routing role and health check
		check := "health check " + rs.HealthCheckProtocol + " " + rs.HealthCheckPath
		if d.DNS.Backend == "cloudflare" {
			check = "pool + monitor " + rs.HealthCheckPath
		}
		routeLabel := check
		style := "solid"
		switch d.DNS.Routing {
		case "failover":
			if region == d.DNS.PrimaryRegion {
				routeLabel = "PRIMARY, " + check
			} else {
				routeLabel = "SECONDARY, " + check
				style = "dashed"
			}
		case "geolocation":
			var locs []string
			for _, loc := range slices.Sorted(maps.Keys(c.DNS.Geo)) {
				if c.DNS.Geo[loc] == region {
					locs = append(locs, loc)
				}
			}
			if len(locs) == 0 {
				routeLabel = "failover target, " + check
				style = "dashed"
			} else {
				routeLabel = strings.Join(locs, " ") + ", " + check
			}
		case "latency":
			routeLabel = "lowest latency, " + check
		case "weighted":
			w := 1
			if v, ok := c.DNS.Weights[region]; ok {
				w = v
			}
			routeLabel = fmt.Sprintf("weight %d, %s", w, check)
		}
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
	return g
}

func titleBackend(b string) string {
	if b == "route53" {
		return "Route 53"
	}
	return "Cloudflare"
}

// databaseNode labels region i's database, or "" when it holds none.
func databaseNode(c *stacks.Config, mode, region string, i int) string {
	db := c.Database
	switch mode {
	case "rds", "rds-replica":
		if mode == "rds" && i > 0 {
			return ""
		}
		class := db.InstanceClass
		if class == "" {
			class = "db.t4g.medium"
		}
		role := "primary"
		if i > 0 {
			role = "read replica"
			if db.PromotedRegion == region {
				role = "promoted"
			}
		}
		return fmt.Sprintf("RDS PostgreSQL %s<br/>%s", role, class)
	case "aurora-global":
		n := db.PrimaryInstances
		if n == 0 {
			n = 2
		}
		role := "writer"
		if i > 0 {
			role = "secondary"
			n = 1
			if db.SecondaryInstances != nil {
				n = *db.SecondaryInstances
			}
		}
		if v, ok := db.RegionInstances[region]; ok {
			n = v
		}
		class := db.InstanceClass
		if class == "" {
			class = "db.r6g.large"
		}
		if n == 0 {
			return fmt.Sprintf("Aurora %s<br/>headless", role)
		}
		return fmt.Sprintf("Aurora %s<br/>%d x %s", role, n, class)
	case "dynamodb-global":
		if i == 0 {
			return "DynamoDB global table"
		}
		return "DynamoDB replica"
	}
	return ""
}

// index returns the nodes by ID, and which nodes sit inside a region group.
func (g *diagram) index() (byID map[string]node, grouped map[string]bool) {
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

// mermaid renders the diagram as a Mermaid flowchart.
func (g *diagram) mermaid() string {
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

// dot renders the diagram in Graphviz DOT.
func (g *diagram) dot() string {
	var b strings.Builder
	b.WriteString("digraph multiregion {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n")
	attrs := func(n node) string {
		label := strings.ReplaceAll(strings.ReplaceAll(n.label, "<br/>", `\n`), `"`, `'`)
		shape := map[string]string{"users": "circle", "dns": "hexagon", "db": "cylinder", "box": "box"}[n.shape]
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

// render returns the diagram in format ("mermaid" or "dot").
func (g *diagram) render(format string) string {
	if format == "dot" {
		return g.dot()
	}
	return g.mermaid()
}
