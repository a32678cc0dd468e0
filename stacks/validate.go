package stacks

import (
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/validation"
)

// nameRE is the name rule: 1-20 lowercase letters, digits and single hyphens,
// starting with a letter and not ending with a hyphen. The name begins the
// RDS/Aurora identifiers (letters, digits and hyphens, starting with a letter,
// no "--", no trailing hyphen: RDS CreateDBInstance/CreateDBCluster) and the
// load balancer names (see regionalstack.LoadBalancerNameMax).
var nameRE = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9]){0,19}$`)

// maxName is the longest name; nameRE's repetition counts pairs, so the
// length is checked separately.
const maxName = 20

// reservedNamePrefix: AWS reserves "internal-" at the start of load balancer
// names (ELBv2 CreateLoadBalancer, Name), and every regional component's name
// starts with the name and a hyphen.
const reservedNamePrefix = "internal"

// programTags are the tag keys the program sets on every resource; a
// multiregion:tags entry may not replace them.
var programTags = []string{"Name", "environment", "region", "managed-by", "cost-center", "data-residency"}

// defaultMode is the database mode of each topology when none is configured.
var defaultMode = map[string]string{
	TopologySingle:        globaldatabase.ModeRDS,
	TopologyActivePassive: globaldatabase.ModeRDSReplica,
	TopologyActiveActive:  globaldatabase.ModeDynamoDBGlobal,
}

// defaultRouting is the DNS routing of each topology when none is configured.
var defaultRouting = map[string]string{
	TopologySingle:        geodns.RoutingSimple,
	TopologyActivePassive: geodns.RoutingFailover,
	TopologyActiveActive:  geodns.RoutingLatency,
}

// allowedModes and allowedRouting are what each topology can use.
var (
	allowedModes = map[string][]string{
		TopologySingle:        {globaldatabase.ModeRDS},
		TopologyActivePassive: {globaldatabase.ModeRDSReplica, globaldatabase.ModeAuroraGlobal},
		TopologyActiveActive:  {globaldatabase.ModeDynamoDBGlobal, globaldatabase.ModeAuroraGlobal},
	}
	allowedRouting = map[string][]string{
		TopologySingle:        {geodns.RoutingSimple},
		TopologyActivePassive: {geodns.RoutingFailover, geodns.RoutingGeolocation},
		TopologyActiveActive:  {geodns.RoutingLatency, geodns.RoutingGeolocation, geodns.RoutingWeighted},
	}
)

func (c *Config) applyDefaults() {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.Topology == "" {
		c.Topology = DefaultTopology
	}
	if c.Residency == "" {
		c.Residency = regions.None
	}
	if c.CostCenter == "" {
		c.CostCenter = DefaultCostCenter
	}
	if c.Database.Mode == "" {
		c.Database.Mode = defaultMode[c.Topology]
	}
	if c.Database.DeletionProtection == nil {
		on := true
		c.Database.DeletionProtection = &on
	}
	if c.Database.StorageGB == 0 {
		c.Database.StorageGB = DefaultStorageGB
	}
	if c.DNS.Provider == "" {
		c.DNS.Provider = geodns.BackendRoute53
	}
	if c.DNS.Routing == "" {
		c.DNS.Routing = defaultRouting[c.Topology]
	}
	if c.Network.NATStrategy == "" {
		c.Network.NATStrategy = regionalstack.DefaultNATStrategy
	}
	if c.Network.AZCount == 0 {
		c.Network.AZCount = regionalstack.DefaultAZCount
	}
}

// vpcCIDR returns region i's VPC range: configured, or 10.<i>.0.0/16.
func (c *Config) vpcCIDR(i int) string {
	if cidr, ok := c.Network.VPCCIDRs[c.Regions[i]]; ok {
		return cidr
	}
	return fmt.Sprintf("10.%d.0.0/16", i)
}

// Primary returns the primary region.
func (c *Config) Primary() string { return c.Regions[0] }

// Objectives returns the RPO/RTO class of the configured database mode.
func (c *Config) Objectives() globaldatabase.Objectives {
	o, _ := globaldatabase.ObjectivesFor(c.Database.Mode)
	return o
}

// addFunc records a problem with a config key (without the namespace).
type addFunc func(key, problem, fix string)

// problem returns the problem with config key (without the namespace).
func problem(key, prob, fix string) *validation.Error {
	return &validation.Error{Key: Namespace + ":" + key, Problem: prob, Fix: fix}
}

// shortKey is the config key of a problem without the namespace.
func shortKey(e *validation.Error) string { return strings.TrimPrefix(e.Key, Namespace+":") }

// validate checks everything that does not need a cloud, returning every
// problem; keys in skip already have a problem and are not reported again.
func (c *Config) validate(skip map[string]bool) []*validation.Error {
	var errs []*validation.Error
	add := func(key, prob, fix string) {
		if skip[key] {
			return
		}
		errs = append(errs, problem(key, prob, fix))
	}
	switch {
	case len(c.Name) > maxName || !nameRE.MatchString(c.Name):
		add("name", fmt.Sprintf("%q", c.Name), "use 1-20 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (it begins database identifiers and load balancer names)")
	case c.Name == reservedNamePrefix || strings.HasPrefix(c.Name, reservedNamePrefix+"-"):
		add("name", fmt.Sprintf("%q: names starting with \"internal-\" are reserved by AWS for internal load balancers, and the load balancer names start with the name", c.Name), "pick another")
	}
	if _, ok := allowedModes[c.Topology]; !ok {
		add("topology", fmt.Sprintf("unknown value %q", c.Topology), "use "+argcheck.Or(TopologyValues()...))
		return errs
	}

	regionsOK := len(c.Regions) > 0
	seen := map[string]bool{}
	for i, r := range c.Regions {
		if _, ok := regions.Known[r]; !ok {
			fix := "use a region code like \"us-east-1\""
			if s := regions.Closest(r); s != "" {
				fix = fmt.Sprintf("did you mean %q?", s)
			}
			add("regions", fmt.Sprintf("regions[%d]: %q is not an AWS region", i, r), fix)
			regionsOK = false
		}
		if seen[r] {
			add("regions", fmt.Sprintf("%q is listed twice", r), "list each region once")
			regionsOK = false
		}
		seen[r] = true
	}
	if len(c.Regions) > 0 {
		primary := argcheck.Partition(c.Regions[0])
		for _, r := range c.Regions[1:] {
			if p := argcheck.Partition(r); p != primary {
				add("regions", fmt.Sprintf("%s is in partition %q but the primary %s is in %q", r, p, c.Regions[0], primary), "a stack's regions must share one partition (partitions have separate accounts and credentials, and Aurora Global Database, DynamoDB global tables and cross-region replicas do not cross them)")
				regionsOK = false
			}
		}
	}
	switch {
	case len(c.Regions) == 0:
		add("regions", "is required", "set the regions, primary first, e.g. pulumi config set --path 'multiregion:regions[0]' us-east-1")
	case c.Topology == TopologySingle && len(c.Regions) != 1:
		add("regions", fmt.Sprintf("topology single takes exactly 1 region, got %d", len(c.Regions)), "remove regions or use active-passive")
	case c.Topology != TopologySingle && len(c.Regions) < 2:
		add("regions", fmt.Sprintf("topology %s needs at least 2 regions, got %d", c.Topology, len(c.Regions)), "add a region or use topology single")
	}

	// residency
	if c.Residency != regions.None {
		allowed, ok := regions.Jurisdictions[c.Residency]
		if !ok {
			add("residency", fmt.Sprintf("unknown jurisdiction %q", c.Residency), "use one of "+strings.Join(regions.Names(), ", "))
		} else {
			for _, r := range c.Regions {
				if !regions.Allowed(r, allowed) {
					add("regions", fmt.Sprintf("%s is outside residency %q (allowed: %s)", r, c.Residency, strings.Join(allowed, ", ")), "remove it or change multiregion:residency")
				}
			}
		}
	}
	c.validateTags(add)
	c.validateUsers(add)
	c.validateCost(add)
	// A key that only one topology or routing reads would be ignored silently
	// elsewhere: refuse it, naming where it applies.
	if c.App.StandbyCount != nil && c.Topology != TopologyActivePassive {
		add("app.standbyCount", fmt.Sprintf("only active-passive has standby regions, topology is %s", c.Topology), "remove the key")
	}
	if c.DNS.Geo != nil && c.DNS.Routing != geodns.RoutingGeolocation {
		add("dns.geo", fmt.Sprintf("is used only with routing geolocation, routing is %s", c.DNS.Routing), "remove it or set dns.routing to geolocation")
	}
	if c.DNS.Weights != nil && c.DNS.Routing != geodns.RoutingWeighted {
		add("dns.weights", fmt.Sprintf("is used only with routing weighted, routing is %s", c.DNS.Routing), "remove it or set dns.routing to weighted")
	}

	// database vs topology
	if !contains(globaldatabase.ModeValues(), c.Database.Mode) {
		add("database.mode", fmt.Sprintf("unknown value %q", c.Database.Mode), "use one of "+strings.Join(globaldatabase.ModeValues(), ", "))
	} else if !contains(allowedModes[c.Topology], c.Database.Mode) {
		add("database.mode", fmt.Sprintf("%q does not fit topology %s", c.Database.Mode, c.Topology), fmt.Sprintf("use %s", strings.Join(allowedModes[c.Topology], " or ")))
	} else {
		if c.Topology == TopologyActiveActive && c.Database.Mode == globaldatabase.ModeAuroraGlobal && !c.Database.WriteForwarding {
			add("database.writeForwarding", "active-active with aurora-global needs write forwarding so every region can write", "set it to true, or use dynamodb-global")
		}
		if err := c.Objectives().Meets(time.Duration(c.RPOSeconds)*time.Second, 0); err != nil {
			add("rpoSeconds", fmt.Sprintf("%v", err), "relax the target or choose a stronger database.mode")
		}
		if err := c.Objectives().Meets(0, time.Duration(c.RTOSeconds)*time.Second); err != nil {
			add("rtoSeconds", fmt.Sprintf("%v", err), "relax the target or choose a stronger database.mode")
		}
	}

	// dns vs topology
	if contains(allowedRouting[TopologyActiveActive], c.DNS.Routing) || contains(allowedRouting[TopologyActivePassive], c.DNS.Routing) || c.DNS.Routing == geodns.RoutingSimple {
		if !contains(allowedRouting[c.Topology], c.DNS.Routing) {
			add("dns.routing", fmt.Sprintf("%q does not fit topology %s", c.DNS.Routing, c.Topology), fmt.Sprintf("use %s", strings.Join(allowedRouting[c.Topology], " or ")))
		}
	}
	if c.Topology == TopologyActivePassive && c.DNS.Routing == geodns.RoutingGeolocation && regionsOK {
		for _, loc := range slices.Sorted(maps.Keys(c.DNS.Geo)) {
			if r := c.DNS.Geo[loc]; r != c.Primary() {
				add("dns.geo", fmt.Sprintf("%q maps to %s, but active-passive serves only from the primary %s (the others stand by)", loc, r, c.Primary()), fmt.Sprintf("map it to %s, or use topology active-active", c.Primary()))
			}
		}
	}
	if c.DNS.Domain == "" {
		add("dns.domain", "is required", "set the name users resolve, e.g. pulumi config set --path multiregion:dns.domain app.example.com")
	}
	if c.Drill != nil && c.Topology == TopologySingle {
		add("drill", "a single-region stack has nowhere to fail over to", "remove multiregion:drill")
	} else if c.Drill != nil && !seen[c.Drill.FailRegion] {
		add("drill.failRegion", fmt.Sprintf("%q is not in multiregion:regions", c.Drill.FailRegion), fmt.Sprintf("fail one of %s", strings.Join(c.Regions, ", ")))
	}

	// region-keyed maps must name configured regions
	for _, m := range []struct {
		key  string
		keys []string
	}{
		{"app.certificateArns", slices.Sorted(maps.Keys(c.App.CertificateARNs))},
		{"network.vpcCidrs", slices.Sorted(maps.Keys(c.Network.VPCCIDRs))},
		{"database.regionInstances", slices.Sorted(maps.Keys(c.Database.RegionInstances))},
		{"dns.weights", slices.Sorted(maps.Keys(c.DNS.Weights))},
	} {
		for _, r := range m.keys {
			if !seen[r] {
				add(m.key, fmt.Sprintf("%q is not in multiregion:regions", r), "use one of the configured regions")
			}
		}
	}
	if !regionsOK {
		return errs
	}
	c.validateVPCs(add)
	// The components check sizes and shapes; a key already reported above is
	// not reported again in the components' words.
	reported := maps.Clone(skip)
	if reported == nil {
		reported = map[string]bool{}
	}
	for _, e := range errs {
		reported[shortKey(e)] = true
	}
	errs = append(errs, c.validateFailover(reported)...)
	return append(errs, c.validateComponents(reported)...)
}

// validateTags checks multiregion:tags and costCenter against AWS's tag limits,
// and refuses tags that would replace the program's own.
func (c *Config) validateTags(add addFunc) {
	for _, k := range programTags {
		if _, ok := c.Tags[k]; ok {
			hint := ""
			if k == "cost-center" {
				hint = " (set multiregion:costCenter instead)"
			}
			add("tags", fmt.Sprintf("key %q is set by the program on every resource%s", k, hint), "remove it")
		}
	}
	p := argcheck.New("tags")
	p.TagEntries("tags", c.Tags)
	if n := len(c.Tags); n > argcheck.MaxTags-len(programTags) {
		add("tags", fmt.Sprintf("has %d tags", n), fmt.Sprintf("with the program's %d (%s) a resource would pass AWS's %d, so use at most %d", len(programTags), strings.Join(programTags, ", "), argcheck.MaxTags, argcheck.MaxTags-len(programTags)))
	}
	p.TagEntries("costCenter", map[string]string{"cost-center": c.CostCenter})
	for _, fe := range validation.All(p.Err()) {
		add(fe.Key, fe.Problem, fe.Fix)
	}
}

// validateUsers checks multiregion:users against the latency data's locations:
// known codes, shares in (0, 1] summing to 1. Edge values (0, negative, null,
// duplicates) are reported by strictValue under the same keys.
func (c *Config) validateUsers(add addFunc) {
	if c.Users == nil {
		return
	}
	data, err := latency.Load()
	if err != nil {
		add("users", fmt.Sprintf("cannot be checked: %v", err), "")
		return
	}
	for _, p := range data.CheckUsers(c.Users) {
		key := "users"
		if p.Key != "" {
			key += "." + p.Key
		}
		if s, ok := c.Users[p.Key]; ok && p.Key != "" && s <= 0 {
			continue // strictValue reported it
		}
		// internal/latency words the problem and its fix as one message.
		add(key, p.Message, "")
	}
}

// Latency returns what the latency model needs to know about the stack.
func (c *Config) Latency() latency.Stack {
	s := latency.Stack{Name: c.Stack, Topology: c.Topology, Regions: c.Regions, Residency: c.Residency,
		Provider: c.DNS.Provider, Routing: c.DNS.Routing, Geo: c.DNS.Geo, Weights: c.DNS.Weights,
		DatabaseMode: c.Database.Mode, WriteForwarding: c.Database.WriteForwarding,
		RPOSeconds: c.RPOSeconds, RTOSeconds: c.RTOSeconds, Users: c.Users}
	if c.Drill != nil {
		s.FailRegion = c.Drill.FailRegion
	}
	return s
}

// validateVPCs refuses overlapping VPC ranges: the README promises distinct
// ranges so that regions can be peered, and a configured range can collide
// with another region's default 10.<i>.0.0/16.
func (c *Config) validateVPCs(add addFunc) {
	var prefixes []netip.Prefix
	var owners []string
	for i, r := range c.Regions {
		pfx, err := netip.ParsePrefix(c.vpcCIDR(i))
		if err != nil {
			continue // the component reports the malformed range
		}
		for j, q := range prefixes {
			if pfx.Overlaps(q) {
				add("network.vpcCidrs."+r, fmt.Sprintf("%s overlaps %s's range %s", pfx, owners[j], q), "give each region its own range so they can be peered")
			}
		}
		prefixes = append(prefixes, pfx)
		owners = append(owners, r)
	}
}

// validateComponents runs each component's own validation on the Args this config
// produces, and reports its problems against the config keys that set them.
func (c *Config) validateComponents(reported map[string]bool) []*validation.Error {
	var errs []*validation.Error
	seen := map[validation.Error]bool{}
	report := func(err error, region string, table []fieldKey) {
		found := validation.All(err)
		for _, fe := range found {
			key := keyFor(fe.Key, region, table)
			if reported[key] || reported[strings.SplitN(key, ".", 2)[0]] {
				continue
			}
			e := problem(key, configWords(fe.Problem, region, table), configWords(fe.Fix, region, table))
			if !seen[*e] {
				seen[*e] = true
				errs = append(errs, e)
			}
		}
		if err != nil && len(found) == 0 { // not a validation problem: say so under the namespace
			errs = append(errs, &validation.Error{Key: Namespace, Problem: err.Error()})
		}
	}
	for i, r := range c.Regions {
		report(regionalstack.Validate(c.regionalName(r), c.regionalArgs(i)), r, regionalKeys)
	}
	// The components' outputs do not exist yet: validation only needs to know
	// they will be set, so stand-ins take their place.
	placeholder := pulumi.String("validate")
	var dbRegions []globaldatabase.Region
	var endpoints []geodns.Endpoint
	for range c.Regions {
		dbRegions = append(dbRegions, globaldatabase.Region{Provider: &aws.Provider{}, SubnetIDs: pulumi.StringArray{placeholder},
			SecurityGroupID: placeholder, KMSKeyARN: placeholder})
		endpoints = append(endpoints, geodns.Endpoint{DNSName: placeholder, ZoneID: placeholder})
	}
	// The database's other problems follow from its mode: with the mode
	// already refused, they would only be noise.
	if !reported["database.mode"] {
		report(globaldatabase.Validate(c.databaseName(), c.databaseArgs(dbRegions, nil)), "", databaseKeys)
	}
	report(geodns.Validate(c.dnsName(), c.dnsArgs(endpoints)), "", dnsKeys)
	return errs
}

// fieldKey maps a component Args field (prefix) to the config key that sets it.
type fieldKey struct{ field, key string }

var regionalKeys = []fieldKey{
	{"Image", "app.image"}, {"VPCCIDR", "network.vpcCidrs.{region}"}, {"AZCount", "network.azCount"},
	{"Zones", "network.azCount"}, {"NATStrategy", "network.natStrategy"},
	{"CertificateARN", "app.certificateArns.{region}"}, {"HealthCheckPath", "app.healthCheckPath"},
	{"Port", "app.port"}, {"CPUTargetPercent", "app.cpuTargetPercent"}, {"CPU", "app.cpu"},
	{"Memory", "app.memory"}, {"Architecture", "app.architecture"}, {"Environment", "app.environment"},
	{"DesiredCount", "app.desiredCount"}, {"MinCount", "app.minCount"}, {"MaxCount", "app.maxCount"},
	{"StandbyCount", "app.standbyCount"}, {"LogRetentionDays", "app.logRetentionDays"},
	{"Tags", "tags"}, {"Region", "regions"}, {"IngressCIDRs", "dns.proxied"}, {"name", "name"},
}

var databaseKeys = []fieldKey{
	{"Mode", "database.mode"}, {"EngineVersion", "database.engineVersion"}, {"Engine", "database.engine"},
	{"InstanceClass", "database.instanceClass"}, {"AllocatedStorageGB", "database.allocatedStorageGB"},
	{"MaxAllocatedStorageGB", "database.maxAllocatedStorageGB"}, {"MultiAZ", "database.multiAZ"},
	{"PrimaryInstances", "database.primaryInstances"}, {"SecondaryInstances", "database.secondaryInstances"},
	{"Primary.Instances", "database.regionInstances"}, {"Secondaries", "regions"}, {"Primary", "regions"},
	{"WriteForwarding", "database.writeForwarding"}, {"PromotedRegion", "database.promotedRegion"},
	{"BackupRetentionDays", "database.backupRetentionDays"}, {"DatabaseName", "database.databaseName"},
	{"MasterUsername", "database"}, {"name", "name"}, {"Tags", "tags"},
}

var dnsKeys = []fieldKey{
	{"Domain", "dns.domain"}, {"Backend", "dns.provider"}, {"Routing", "dns.routing"}, {"Geo", "dns.geo"},
	{"Endpoints", "regions"}, {"Route53.ZoneID", "dns.zoneId"}, {"Route53.ZoneName", "dns.zoneName"},
	{"Route53.RequestInterval", "dns.healthCheckIntervalSeconds"}, {"Route53.FailureThreshold", "dns.failureThreshold"},
	{"Route53", "dns"}, {"Cloudflare.AccountID", "dns.cloudflareAccountId"}, {"Cloudflare.ZoneID", "dns.cloudflareZoneId"},
	{"Cloudflare.MonitorInterval", "dns.healthCheckIntervalSeconds"}, {"Cloudflare", "dns"},
	{"Drill.FailRegion", "drill.failRegion"}, {"Drill", "drill"}, {"Tags", "tags"},
}

// camelField is a component Args field name that cannot be an ordinary word
// of a sentence ("MinCount", not "Port" or "CPU").
var camelField = regexp.MustCompile(`^[A-Z][a-z]+[A-Z][A-Za-z]*$`)

// configWords rewrites the component Args field names a component's message
// uses ("raise MaxCount or lower MinCount") as the config keys that set them
// ("raise app.maxCount or lower app.minCount"): the user wrote config, not Args.
func configWords(text, region string, table []fieldKey) string {
	for _, fk := range table {
		if !camelField.MatchString(fk.field) {
			continue
		}
		key := strings.ReplaceAll(fk.key, "{region}", region)
		text = regexp.MustCompile(`\b`+fk.field+`\b`).ReplaceAllString(text, key)
	}
	return text
}

// keyFor finds the config key of a component field; weights and per-region
// instance counts are recognised by their field suffix.
func keyFor(field, region string, table []fieldKey) string {
	switch {
	case strings.HasSuffix(field, ".Weight"):
		return "dns.weights"
	case strings.HasSuffix(field, ".Instances"):
		return "database.regionInstances"
	}
	for _, fk := range table {
		if strings.HasPrefix(field, fk.field) {
			return strings.ReplaceAll(fk.key, "{region}", region)
		}
	}
	return field
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// suggest returns the candidate closest in spelling to s.
func suggest(s string, candidates []string) string { return regions.Suggest(s, candidates) }

// jsonFields lists the JSON field names of the struct target points to.
func jsonFields(target any) []string {
	t := reflect.TypeOf(target)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// unpricedKindRE is what multiregion:cost.acceptUnpriced names: a Pulumi type
// token ("aws:ec2/eip:Eip") or a CloudFormation type ("AWS::ARCRegionSwitch::Plan").
var unpricedKindRE = regexp.MustCompile(`^([a-z][a-z0-9-]*:[A-Za-z0-9/._-]+:[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)$`)

// validateCost checks multiregion:cost.acceptUnpriced: each entry a type token
// or a Cloud Control typeName, listed once. The Cloud Control token itself is
// refused: it would accept every CloudFormation type unpriced.
func (c *Config) validateCost(add func(key, prob, fix string)) {
	seen := map[string]bool{}
	for i, k := range c.Cost.AcceptUnpriced {
		key := fmt.Sprintf("cost.acceptUnpriced[%d]", i)
		switch {
		case !unpricedKindRE.MatchString(k):
			add(key, fmt.Sprintf("%q is neither a type token (\"aws:ec2/eip:Eip\") nor a Cloud Control typeName (\"AWS::ARCRegionSwitch::Plan\")", k), "fix it")
		case k == "aws:cloudcontrol/resource:Resource":
			add(key, fmt.Sprintf("%q would accept every CloudFormation type unpriced", k), "name the typeName instead, e.g. \"AWS::ARCRegionSwitch::Plan\"")
		case seen[k]:
			add(key, fmt.Sprintf("%q is listed twice", k), "list it once")
		}
		seen[k] = true
	}
}
