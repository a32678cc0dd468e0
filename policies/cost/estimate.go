package cost

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

// Usage are the assumptions for what prices alone cannot tell. Every field has a
// documented default (DefaultUsage); policy config ("cost-limit": {"usage": {...}})
// or stack config may override them.
type Usage struct {
	// NATGBPerMonth is the data each NAT gateway processes (default 100 GB).
	NATGBPerMonth float64 `json:"natGBPerMonth"`
	// ALBLCUs is the average load balancer capacity units in use (default 1).
	ALBLCUs float64 `json:"albLCUs"`
	// InternetEgressGBPerMonth is the data each load balancer serves to the internet (default 50 GB).
	InternetEgressGBPerMonth float64 `json:"internetEgressGBPerMonth"`
	// LogsGBPerMonth is the log volume each log group ingests (default 5 GB).
	LogsGBPerMonth float64 `json:"logsGBPerMonth"`
	// DatabaseStorageGB is the data size of Aurora and DynamoDB, and of RDS
	// replicas (default 20 GB; the stacks set it from multiregion:database.storageGB).
	DatabaseStorageGB float64 `json:"databaseStorageGB"`
	// AuroraIOMillionsPerMonth are the I/O requests of an Aurora Standard primary (default 50 M).
	AuroraIOMillionsPerMonth float64 `json:"auroraIOMillionsPerMonth"`
	// AuroraWriteIOMillionsPerMonth are the write I/Os replicated to each Aurora
	// global secondary (default 20 M).
	AuroraWriteIOMillionsPerMonth float64 `json:"auroraWriteIOMillionsPerMonth"`
	// DynamoDBWriteMillionsPerMonth and DynamoDBReadMillionsPerMonth are the
	// on-demand request units (defaults 10 M and 50 M).
	DynamoDBWriteMillionsPerMonth float64 `json:"dynamodbWriteMillionsPerMonth"`
	DynamoDBReadMillionsPerMonth  float64 `json:"dynamodbReadMillionsPerMonth"`
	// ReplicationGBPerMonth is the data replicated to each secondary region (default 50 GB).
	ReplicationGBPerMonth float64 `json:"replicationGBPerMonth"`
	// DNSQueriesMillionsPerMonth are the queries for the site's name (default 10 M;
	// Route 53 alias queries to AWS resources are free).
	DNSQueriesMillionsPerMonth float64 `json:"dnsQueriesMillionsPerMonth"`
}

// DefaultUsage are the documented default assumptions.
var DefaultUsage = Usage{
	NATGBPerMonth:                 100,
	ALBLCUs:                       1,
	InternetEgressGBPerMonth:      50,
	LogsGBPerMonth:                5,
	DatabaseStorageGB:             20,
	AuroraIOMillionsPerMonth:      50,
	AuroraWriteIOMillionsPerMonth: 20,
	DynamoDBWriteMillionsPerMonth: 10,
	DynamoDBReadMillionsPerMonth:  50,
	ReplicationGBPerMonth:         50,
	DNSQueriesMillionsPerMonth:    10,
}

// WithDefaults fills every zero field from DefaultUsage.
func (u Usage) WithDefaults() Usage {
	fill := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	d := DefaultUsage
	fill(&u.NATGBPerMonth, d.NATGBPerMonth)
	fill(&u.ALBLCUs, d.ALBLCUs)
	fill(&u.InternetEgressGBPerMonth, d.InternetEgressGBPerMonth)
	fill(&u.LogsGBPerMonth, d.LogsGBPerMonth)
	fill(&u.DatabaseStorageGB, d.DatabaseStorageGB)
	fill(&u.AuroraIOMillionsPerMonth, d.AuroraIOMillionsPerMonth)
	fill(&u.AuroraWriteIOMillionsPerMonth, d.AuroraWriteIOMillionsPerMonth)
	fill(&u.DynamoDBWriteMillionsPerMonth, d.DynamoDBWriteMillionsPerMonth)
	fill(&u.DynamoDBReadMillionsPerMonth, d.DynamoDBReadMillionsPerMonth)
	fill(&u.ReplicationGBPerMonth, d.ReplicationGBPerMonth)
	fill(&u.DNSQueriesMillionsPerMonth, d.DNSQueriesMillionsPerMonth)
	return u
}

// Line is one priced item: a resource, or one part of it billed elsewhere.
type Line struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Region is where the cost is billed ("" for global services).
	Region     string  `json:"region"`
	MonthlyUSD float64 `json:"monthlyUSD"`
	// Detail says how the amount was computed.
	Detail string `json:"detail"`
	// CrossRegion marks costs that exist only because of another region
	// (replication transfer); they are never part of the single-region baseline.
	CrossRegion bool `json:"crossRegion,omitempty"`
}

// Unpriced is a resource that costs money but that the catalog cannot price.
type Unpriced struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Region string `json:"region"`
	Reason string `json:"reason"`
}

// Estimate is the monthly cost of a deployment.
type Estimate struct {
	MonthlyUSD float64 `json:"monthlyUSD"`
	// SingleRegionBaselineUSD is what the primary region (plus global services)
	// costs alone: the same application in one region.
	SingleRegionBaselineUSD float64 `json:"singleRegionBaselineUSD"`
	// PremiumUSD is MonthlyUSD - SingleRegionBaselineUSD: the price of more regions.
	PremiumUSD    float64 `json:"premiumUSD"`
	PrimaryRegion string  `json:"primaryRegion"`
	// ByRegion sums the lines per region; global services are under "global".
	ByRegion    map[string]float64 `json:"byRegion"`
	ByResource  []Line             `json:"byResource"`
	Unpriced    []Unpriced         `json:"unpriced"`
	CatalogDate string             `json:"catalogDate"`
	Usage       Usage              `json:"usage"`
}

// GlobalKey is the ByRegion key of global services.
const GlobalKey = "global"

// free are resource types that cost nothing themselves.
var free = map[string]bool{
	"aws:ec2/vpc:Vpc": true, "aws:ec2/subnet:Subnet": true, "aws:ec2/routeTable:RouteTable": true,
	"aws:ec2/route:Route": true, "aws:ec2/routeTableAssociation:RouteTableAssociation": true,
	"aws:ec2/internetGateway:InternetGateway": true, "aws:ec2/securityGroup:SecurityGroup": true,
	"aws:ec2/securityGroupRule:SecurityGroupRule":               true,
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": true,
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   true,
	"aws:lb/targetGroup:TargetGroup":                            true, "aws:lb/listener:Listener": true, "aws:lb/listenerRule:ListenerRule": true,
	"aws:ecs/taskDefinition:TaskDefinition": true, "aws:iam/role:Role": true, "aws:iam/policy:Policy": true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true, "aws:iam/rolePolicy:RolePolicy": true,
	"aws:appautoscaling/target:Target": true, "aws:appautoscaling/policy:Policy": true,
	"aws:kms/alias:Alias": true, "aws:rds/subnetGroup:SubnetGroup": true, "aws:rds/globalCluster:GlobalCluster": true,
	"aws:secretsmanager/secretVersion:SecretVersion": true, "aws:acm/certificate:Certificate": true,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":   true,
	"random:index/randomPassword:RandomPassword":               true,
	"random:index/randomId:RandomId":                           true,
	"cloudflare:index/loadBalancerPool:LoadBalancerPool":       true,
	"cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor": true,
}

// Estimator prices resources with a catalog and usage assumptions.
type Estimator struct {
	Catalog *Catalog
	Usage   Usage
}

// index holds the cross-resource lookups pricing needs, built once (O(n)).
type index struct {
	byARN          map[string]*model.Resource
	clusterByID    map[string]*model.Resource
	clusters       []*model.Resource // in deployment order
	writerClusters map[string]bool   // cluster ARNs marked writer by a global cluster
	globalMembers  bool
	cfOrigins      int
}

func newIndex(resources []*model.Resource) *index {
	ix := &index{byARN: map[string]*model.Resource{}, clusterByID: map[string]*model.Resource{}, writerClusters: map[string]bool{}}
	for _, r := range resources {
		s := r.State()
		if arn := props.String(s, "arn"); arn != "" {
			ix.byARN[arn] = r
		}
		switch r.Type {
		case "aws:rds/cluster:Cluster":
			ix.clusters = append(ix.clusters, r)
			if r.ID != "" {
				ix.clusterByID[r.ID] = r
			}
			if id := props.String(s, "clusterIdentifier"); id != "" {
				ix.clusterByID[id] = r
			}
		case "aws:rds/globalCluster:GlobalCluster":
			for _, m := range props.Array(s, "globalClusterMembers") {
				if !m.IsObject() {
					continue
				}
				ix.globalMembers = true
				if w, _ := props.Bool(props.AsObject(m), "isWriter"); w {
					ix.writerClusters[props.String(props.AsObject(m), "dbClusterArn")] = true
				}
			}
		case "cloudflare:index/loadBalancerPool:LoadBalancerPool":
			ix.cfOrigins += len(props.Array(s, "origins"))
		}
	}
	return ix
}

// Estimate prices every resource. primary is the single-region baseline's region
// ("" picks the region that costs the most).
func (e *Estimator) Estimate(resources []*model.Resource, primary string) *Estimate {
	c := e.Catalog
	if c == nil {
		c = Default
	}
	u := e.Usage.WithDefaults()
	p := &pricer{c: c, u: u, ix: newIndex(resources)}
	for _, r := range resources {
		p.price(r)
	}
	est := &Estimate{
		ByRegion:    map[string]float64{},
		ByResource:  p.lines,
		Unpriced:    p.unpriced,
		CatalogDate: c.CatalogDate,
		Usage:       u,
	}
	for i := range est.ByResource {
		l := &est.ByResource[i]
		l.MonthlyUSD = round2(l.MonthlyUSD)
		key := l.Region
		if key == "" {
			key = GlobalKey
		}
		est.ByRegion[key] += l.MonthlyUSD
		est.MonthlyUSD += l.MonthlyUSD
	}
	if primary == "" {
		best := -1.0
		for region, v := range est.ByRegion {
			if region != GlobalKey && (v > best || (v == best && region < primary)) {
				primary, best = region, v
			}
		}
	}
	est.PrimaryRegion = primary
	for _, l := range est.ByResource {
		if !l.CrossRegion && (l.Region == primary || l.Region == "") {
			est.SingleRegionBaselineUSD += l.MonthlyUSD
		}
	}
	for k, v := range est.ByRegion {
		est.ByRegion[k] = round2(v)
	}
	est.MonthlyUSD = round2(est.MonthlyUSD)
	est.SingleRegionBaselineUSD = round2(est.SingleRegionBaselineUSD)
	est.PremiumUSD = round2(est.MonthlyUSD - est.SingleRegionBaselineUSD)
	// A total order, so the faster unstable sort is still deterministic.
	slices.SortFunc(est.ByResource, func(a, b Line) int {
		return cmp.Or(cmp.Compare(b.MonthlyUSD, a.MonthlyUSD), strings.Compare(a.URN, b.URN),
			strings.Compare(a.Region, b.Region), strings.Compare(a.Detail, b.Detail))
	})
	slices.SortFunc(est.Unpriced, func(a, b Unpriced) int {
		return cmp.Or(strings.Compare(a.URN, b.URN), strings.Compare(a.Reason, b.Reason))
	})
	return est
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// pricer accumulates lines while pricing one deployment.
type pricer struct {
	c        *Catalog
	u        Usage
	ix       *index
	writer   *string
	lines    []Line
	unpriced []Unpriced
}

func (p *pricer) add(r *model.Resource, region string, usd float64, crossRegion bool, format string, args ...any) {
	p.lines = append(p.lines, Line{URN: r.URN, Type: r.Type, Name: r.Name, Region: region,
		MonthlyUSD: usd, Detail: fmt.Sprintf(format, args...), CrossRegion: crossRegion})
}

func (p *pricer) skip(r *model.Resource, format string, args ...any) {
	p.unpriced = append(p.unpriced, Unpriced{URN: r.URN, Type: r.Type, Region: r.Region, Reason: fmt.Sprintf(format, args...)})
}

// regional returns a regional price, or records r as unpriced and returns false.
func (p *pricer) regional(r *model.Resource, key, region string) (float64, bool) {
	if v, ok := p.c.Regional(key, region); ok {
		return v, true
	}
	if !p.c.Covers(region) {
		p.skip(r, "the catalog has no prices for region %q (it covers %s)", region, strings.Join(p.c.Regions, ", "))
	} else {
		p.skip(r, "no catalog price %q in %s", key, region)
	}
	return 0, false
}

func (p *pricer) price(r *model.Resource) {
	if !r.Custom || r.IsProvider() || free[r.Type] {
		return
	}
	h := p.c.HoursPerMonth
	s := r.State()
	switch r.Type {
	case "aws:ecs/service:Service":
		p.fargate(r)
	case "aws:lb/loadBalancer:LoadBalancer":
		hour, ok1 := p.regional(r, "alb.hour", r.Region)
		lcu, ok2 := p.regional(r, "alb.lcuHour", r.Region)
		egress, ok3 := p.regional(r, "transfer.internet.gb", r.Region)
		if ok1 && ok2 && ok3 {
			p.add(r, r.Region, hour*h+p.u.ALBLCUs*lcu*h+p.u.InternetEgressGBPerMonth*egress, false,
				"%.0f h x $%g + %g LCU x $%g/h + %g GB egress x $%g", h, hour, p.u.ALBLCUs, lcu, p.u.InternetEgressGBPerMonth, egress)
		}
	case "aws:ec2/natGateway:NatGateway":
		hour, ok1 := p.regional(r, "nat.hour", r.Region)
		gb, ok2 := p.regional(r, "nat.gb", r.Region)
		if ok1 && ok2 {
			p.add(r, r.Region, hour*h+p.u.NATGBPerMonth*gb, false, "%.0f h x $%g + %g GB x $%g", h, hour, p.u.NATGBPerMonth, gb)
		}
	case "aws:rds/instance:Instance":
		p.rdsInstance(r)
	case "aws:rds/cluster:Cluster":
		p.auroraCluster(r)
	case "aws:rds/clusterInstance:ClusterInstance":
		p.auroraInstance(r)
	case "aws:dynamodb/table:Table":
		p.dynamodb(r)
	case "aws:kms/key:Key":
		if v, ok := p.regional(r, "kms.keyMonth", r.Region); ok {
			p.add(r, r.Region, v, false, "1 customer-managed key")
		}
	case "aws:secretsmanager/secret:Secret":
		if v, ok := p.regional(r, "secretsmanager.secretMonth", r.Region); ok {
			p.add(r, r.Region, v, false, "1 secret")
		}
		for _, rep := range props.Array(s, "replicas") {
			region := props.String(props.AsObject(rep), "region")
			if v, ok := p.regional(r, "secretsmanager.secretMonth", region); ok {
				p.add(r, region, v, false, "replica in %s", region)
			}
		}
	case "aws:cloudwatch/logGroup:LogGroup":
		ingest, ok1 := p.regional(r, "logs.ingest.gb", r.Region)
		store, ok2 := p.regional(r, "logs.storage.gbMonth", r.Region)
		if ok1 && ok2 {
			days, _ := props.Number(s, "retentionInDays")
			months := 12.0 // never-expiring logs: a year of accumulation
			if days > 0 {
				months = math.Min(days/30, 12)
			}
			gb := p.u.LogsGBPerMonth
			p.add(r, r.Region, gb*ingest+gb*months*store, false, "%g GB ingested x $%g + %.1f GB stored x $%g", gb, ingest, gb*months, store)
		}
	case "aws:route53/zone:Zone":
		p.add(r, "", p.c.GlobalPrice("route53.zoneMonth"), false, "1 hosted zone")
	case "aws:route53/healthCheck:HealthCheck":
		p.healthCheck(r)
	case "aws:route53/record:Record":
		if len(props.Array(s, "aliases")) == 0 {
			key := "route53.queries.standard.perMillion"
			switch {
			case len(props.Array(s, "latencyRoutingPolicies")) > 0:
				key = "route53.queries.latency.perMillion"
			case len(props.Array(s, "geolocationRoutingPolicies")) > 0:
				key = "route53.queries.geo.perMillion"
			}
			p.add(r, "", p.u.DNSQueriesMillionsPerMonth*p.c.GlobalPrice(key), false, "%g M queries x $%g", p.u.DNSQueriesMillionsPerMonth, p.c.GlobalPrice(key))
		}
	case "cloudflare:index/loadBalancer:LoadBalancer":
		p.cloudflare(r)
	case "aws:ecs/cluster:Cluster":
		for _, st := range props.Array(s, "settings") {
			m := props.AsObject(st)
			if props.String(m, "name") == "containerInsights" && props.String(m, "value") == "enabled" {
				p.skip(r, "Container Insights metrics are billed by CloudWatch per metric; not in the catalog")
			}
		}
	case "aws:ec2/eip:Eip":
		p.skip(r, "public IPv4 addresses are billed hourly; not in the catalog")
	default:
		if r.IsAWS() || strings.HasPrefix(r.Type, "cloudflare:") {
			p.skip(r, "no price for this type in the catalog")
		}
	}
}

func (p *pricer) fargate(r *model.Resource) {
	s := r.State()
	if lt := props.String(s, "launchType"); lt != "" && lt != "FARGATE" {
		p.skip(r, "launch type %s: the instances are priced separately", lt)
		return
	}
	td := p.ix.byARN[props.String(s, "taskDefinition")]
	if td == nil {
		p.skip(r, "its task definition is not in the deployment, so its size is unknown")
		return
	}
	tds := td.State()
	cpu, ok1 := props.Number(tds, "cpu")
	mem, ok2 := props.Number(tds, "memory")
	desired, ok3 := props.Number(s, "desiredCount")
	if !ok1 || !ok2 || !ok3 {
		p.skip(r, "task size or desired count unknown")
		return
	}
	arch := "x86"
	if props.String(tds, "runtimePlatform.cpuArchitecture") == "ARM64" {
		arch = "arm"
	}
	vcpuP, ok1 := p.regional(r, "fargate."+arch+".vcpuHour", r.Region)
	gbP, ok2 := p.regional(r, "fargate."+arch+".gbHour", r.Region)
	if !ok1 || !ok2 {
		return
	}
	vcpu, gb := cpu/1024, mem/1024
	h := p.c.HoursPerMonth
	p.add(r, r.Region, desired*(vcpu*vcpuP+gb*gbP)*h, false,
		"%g tasks x (%g vCPU x $%g + %g GB x $%g) x %.0f h", desired, vcpu, vcpuP, gb, gbP, h)
}

func (p *pricer) rdsInstance(r *model.Resource) {
	s := r.State()
	source := props.String(s, "replicateSourceDb")
	engine := props.String(s, "engine")
	if engine != "" && engine != "postgres" {
		p.skip(r, "engine %q is not in the catalog (RDS PostgreSQL only)", engine)
		return
	}
	class := props.String(s, "instanceClass")
	multi, _ := props.Bool(s, "multiAz")
	az, gp3 := "singleAZ", "rds.gp3.singleAZ.gbMonth"
	if multi {
		az, gp3 = "multiAZ", "rds.gp3.multiAZ.gbMonth"
	}
	hour, ok := p.regional(r, "rds.postgres."+class+"."+az, r.Region)
	if !ok {
		return
	}
	storage, ok := p.regional(r, gp3, r.Region)
	if !ok {
		return
	}
	gb, ok := props.Number(s, "allocatedStorage")
	if !ok {
		gb = p.u.DatabaseStorageGB
	}
	h := p.c.HoursPerMonth
	p.add(r, r.Region, hour*h+gb*storage, false, "%s %s %.0f h x $%g + %g GB gp3 x $%g", class, az, h, hour, gb, storage)
	if source != "" {
		if src := model.RegionOfARN(source); src != "" && src != r.Region {
			p.transfer(r, src, r.Region)
		}
	}
}

// transfer prices the replication traffic from src to dst, billed at src.
func (p *pricer) transfer(r *model.Resource, src, dst string) {
	v, ok := p.c.Transfer(src, dst)
	if !ok {
		p.skip(r, "no inter-region transfer price from %s to %s in the catalog", src, dst)
		return
	}
	p.add(r, src, p.u.ReplicationGBPerMonth*v, true, "replication %s -> %s: %g GB x $%g", src, dst, p.u.ReplicationGBPerMonth, v)
}

// isWriterCluster decides whether an Aurora cluster is its global cluster's writer.
func (p *pricer) isWriterCluster(r *model.Resource) bool {
	if p.ix.globalMembers {
		return p.ix.writerClusters[props.String(r.State(), "arn")]
	}
	// Planned resources: only the writer is created with master credentials.
	_, hasUser := props.Get(r.Props(), "masterUsername")
	return hasUser || props.String(r.State(), "globalClusterIdentifier") == ""
}

// auroraCluster prices a cluster's storage and I/O: the writer's own, or a
// global secondary's copy with its replicated writes and transfer.
func (p *pricer) auroraCluster(r *model.Resource) {
	s := r.State()
	tier, storageKey := "standard", "aurora.standard.storage.gbMonth"
	if props.String(s, "storageType") == "aurora-iopt1" {
		tier, storageKey = "io-optimized", "aurora.ioOptimized.storage.gbMonth"
	}
	storage, ok := p.regional(r, storageKey, r.Region)
	if !ok {
		return
	}
	gb := p.u.DatabaseStorageGB
	writer := p.isWriterCluster(r)
	if writer {
		cost, detail := gb*storage, fmt.Sprintf("%g GB %s storage x $%g", gb, tier, storage)
		if tier == "standard" {
			io, ok := p.regional(r, "aurora.io.perMillion", r.Region)
			if !ok {
				return
			}
			cost += p.u.AuroraIOMillionsPerMonth * io
			detail += fmt.Sprintf(" + %g M I/O x $%g", p.u.AuroraIOMillionsPerMonth, io)
		}
		p.add(r, r.Region, cost, false, "%s", detail)
		return
	}
	wio, ok := p.regional(r, "aurora.globalWriteIO.perMillion", r.Region)
	if !ok {
		return
	}
	p.add(r, r.Region, gb*storage+p.u.AuroraWriteIOMillionsPerMonth*wio, true,
		"secondary: %g GB storage x $%g + %g M replicated write I/O x $%g", gb, storage, p.u.AuroraWriteIOMillionsPerMonth, wio)
	if src := p.writerRegion(); src != "" && src != r.Region {
		p.transfer(r, src, r.Region)
	}
}

// writerRegion returns the region of the first Aurora writer cluster, if any,
// computed once per estimate so pricing stays linear in the resources.
func (p *pricer) writerRegion() string {
	if p.writer == nil {
		region := ""
		for _, c := range p.ix.clusters {
			if p.isWriterCluster(c) {
				region = c.Region
				break
			}
		}
		p.writer = &region
	}
	return *p.writer
}

func (p *pricer) auroraInstance(r *model.Resource) {
	s := r.State()
	engine := props.String(s, "engine")
	class := props.String(s, "instanceClass")
	tier := "standard"
	if c := p.ix.clusterByID[props.String(s, "clusterIdentifier")]; c != nil && props.String(c.State(), "storageType") == "aurora-iopt1" {
		tier = "io-optimized"
	}
	hour, ok := p.regional(r, "aurora."+engine+"."+tier+"."+class, r.Region)
	if !ok {
		return
	}
	h := p.c.HoursPerMonth
	p.add(r, r.Region, hour*h, false, "%s %s %s %.0f h x $%g", engine, tier, class, h, hour)
}

func (p *pricer) dynamodb(r *model.Resource) {
	s := r.State()
	if mode := props.String(s, "billingMode"); mode != "" && mode != "PAY_PER_REQUEST" {
		p.skip(r, "billing mode %s: provisioned capacity is not in the catalog", mode)
		return
	}
	gb := p.u.DatabaseStorageGB
	pitr, _ := props.Bool(s, "pointInTimeRecovery.enabled")
	regionCost := func(region string, replica bool) (float64, string, bool) {
		storage, ok1 := p.regional(r, "dynamodb.storage.gbMonth", region)
		pitrP, ok2 := p.regional(r, "dynamodb.pitr.gbMonth", region)
		if !ok1 || !ok2 {
			return 0, "", false
		}
		cost := gb * storage
		detail := fmt.Sprintf("%g GB x $%g", gb, storage)
		if pitr {
			cost += gb * pitrP
			detail += fmt.Sprintf(" + PITR %g GB x $%g", gb, pitrP)
		}
		if replica {
			wru, ok := p.regional(r, "dynamodb.replicatedWru.perMillion", region)
			if !ok {
				return 0, "", false
			}
			cost += p.u.DynamoDBWriteMillionsPerMonth * wru
			detail += fmt.Sprintf(" + %g M replicated WRU x $%g", p.u.DynamoDBWriteMillionsPerMonth, wru)
		}
		return cost, detail, true
	}
	wru, ok1 := p.regional(r, "dynamodb.wru.perMillion", r.Region)
	rru, ok2 := p.regional(r, "dynamodb.rru.perMillion", r.Region)
	base, detail, ok3 := regionCost(r.Region, false)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	p.add(r, r.Region, base+p.u.DynamoDBWriteMillionsPerMonth*wru+p.u.DynamoDBReadMillionsPerMonth*rru, false,
		"%s + %g M WRU x $%g + %g M RRU x $%g", detail, p.u.DynamoDBWriteMillionsPerMonth, wru, p.u.DynamoDBReadMillionsPerMonth, rru)
	for _, rep := range props.Array(s, "replicas") {
		region := props.String(props.AsObject(rep), "regionName")
		if cost, detail, ok := regionCost(region, true); ok {
			p.add(r, region, cost, true, "replica in %s: %s", region, detail)
			p.transfer(r, r.Region, region)
		}
	}
}

func (p *pricer) healthCheck(r *model.Resource) {
	s := r.State()
	options := 0
	var names []string
	typ := props.String(s, "type")
	if strings.HasPrefix(typ, "HTTPS") {
		options++
		names = append(names, "HTTPS")
	}
	if strings.HasSuffix(typ, "STR_MATCH") {
		options++
		names = append(names, "string match")
	}
	if v, _ := props.Number(s, "requestInterval"); v == 10 {
		options++
		names = append(names, "10 s interval")
	}
	if v, _ := props.Bool(s, "measureLatency"); v {
		options++
		names = append(names, "latency")
	}
	base := p.c.GlobalPrice("route53.healthCheckAWSMonth")
	opt := p.c.GlobalPrice("route53.healthCheckOptionMonth")
	detail := fmt.Sprintf("$%g", base)
	if options > 0 {
		detail += fmt.Sprintf(" + %d option(s) (%s) x $%g", options, strings.Join(names, ", "), opt)
	}
	p.add(r, "", base+float64(options)*opt, false, "%s", detail)
}

func (p *pricer) cloudflare(r *model.Resource) {
	s := r.State()
	c := p.c
	cost := c.GlobalPrice("cloudflare.lb.baseMonth")
	detail := fmt.Sprintf("base $%g", cost)
	if extra := p.ix.cfOrigins - int(c.GlobalPrice("cloudflare.lb.includedOrigins")); extra > 0 {
		cost += float64(extra) * c.GlobalPrice("cloudflare.lb.extraOriginMonth")
		detail += fmt.Sprintf(" + %d extra origin(s) x $%g", extra, c.GlobalPrice("cloudflare.lb.extraOriginMonth"))
	}
	if props.String(s, "steeringPolicy") == "dynamic_latency" {
		cost += c.GlobalPrice("cloudflare.lb.dynamicSteeringMonth")
		detail += fmt.Sprintf(" + dynamic steering $%g", c.GlobalPrice("cloudflare.lb.dynamicSteeringMonth"))
	}
	queries := p.u.DNSQueriesMillionsPerMonth * 1e6
	if over := queries - c.GlobalPrice("cloudflare.lb.includedQueries"); over > 0 {
		blocks := math.Ceil(over / 500000)
		cost += blocks * c.GlobalPrice("cloudflare.lb.queriesPer500k")
		detail += fmt.Sprintf(" + %.0f x 500k queries x $%g", blocks, c.GlobalPrice("cloudflare.lb.queriesPer500k"))
	}
	p.add(r, "", cost, false, "%s", detail)
}
