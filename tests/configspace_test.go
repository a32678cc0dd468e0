package tests

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// The property (issue 14, "how to prove it"): whatever validation accepts, AWS
// accepts. TestConfigSpace draws configs across the whole accepted space and,
// for every config that stacks.Load accepts, runs the program under the mock
// engine and checks every recorded resource against awsLimits below; a config
// that Load refuses must be refused with problems that each name a config key.
// The draws are deterministic (fixed seed, fixed count) and take a few seconds.

const (
	// configDraws is the number of configs drawn; configSeed fixes them.
	configDraws = 400
	configSeed  = 14
)

// renderConfig runs a stack config offline under the mock engine. It is the one
// place this test calls the renderer, so it can be re-pointed if Render moves.
func renderConfig(stack string, config map[string]string) (*mockengine.Recorder, error) {
	rec, _, err := offline.Render(stack, config, nil)
	return rec, err
}

// drawn is one drawn config: the stack name, the raw config and what was drawn.
type drawn struct {
	stack  string
	config map[string]string
	// regions, partition and proxied are what the checks need to know.
	regions []string
	proxied bool
}

// limitCtx is what a limit row sees besides the resource.
type limitCtx struct {
	d   drawn
	rec *mockengine.Recorder
}

// limit is one row of the AWS limits table: the resource type it applies to
// ("" = every resource), the check (nil error = within the limit; applies=false
// when the row does not concern this resource) and where the limit comes from.
type limit struct {
	name   string
	typ    string
	check  func(c limitCtx, r *mockengine.Resource) (applies bool, err error)
	source string
}

var (
	// elbName: ELBv2 load balancer and target group names (doc comments of
	// lb.LoadBalancer.Name and lb.TargetGroup.Name, pulumi-aws v6.83.4).
	elbName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	// rdsIdent: RDS DB instance / cluster identifiers and final snapshot
	// identifiers: begin with a letter, letters, digits and hyphens, no "--",
	// no trailing hyphen (doc comments of rds.Instance.FinalSnapshotIdentifier,
	// pulumi-aws v6.83.4; RDS CreateDBInstance / CreateDBCluster).
	rdsIdent = regexp.MustCompile(`^[A-Za-z](-?[A-Za-z0-9])*$`)
	// ecsName: ECS task definition family (RegisterTaskDefinition: up to 255
	// letters, digits, underscores and hyphens).
	ecsName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	// iamName: IAM role names (IAM CreateRole, RoleName: 1-64 of [\w+=,.@-]).
	iamName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	// kmsAlias: KMS alias names (KMS CreateAlias: alias/ then letters, digits,
	// / _ -; up to 256 characters; alias/aws/ is reserved).
	kmsAlias = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]+$`)
)

// route53Continents are Route 53's continent codes (Route 53 API reference,
// GeoLocation: AF, AN, AS, EU, OC, NA, SA).
var route53Continents = strings.Fields("AF AN AS EU NA OC SA")

// iso3166 are the officially assigned ISO 3166-1 alpha-2 country codes (ISO
// Online Browsing Platform; Route 53 takes them as countries, and "*" as the default).
var iso3166 = strings.Fields(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ
IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS
PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL
TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

// usStates are the subdivision codes Route 53 takes, with country US only
// (Route 53 API reference, GeoLocation SubdivisionCode: US states and DC).
var usStates = strings.Fields(`AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE
NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY`)

func nameRule(key string, maxLen int, re *regexp.Regexp) func(limitCtx, *mockengine.Resource) (bool, error) {
	return func(_ limitCtx, r *mockengine.Resource) (bool, error) {
		n := props.String(r.Outputs, key)
		if n == "" {
			return true, fmt.Errorf("%s has no %s", r.Name, key)
		}
		if len(n) > maxLen || !re.MatchString(n) {
			return true, fmt.Errorf("%s %q: %d characters (max %d) or not %s", key, n, len(n), maxLen, re)
		}
		return true, nil
	}
}

// awsLimits is the table every recorded resource is checked against.
var awsLimits = []limit{
	{name: "load balancer name", typ: "aws:lb/loadBalancer:LoadBalancer", source: "lb.LoadBalancer.Name doc comment (pulumi-aws v6.83.4): max 32, alphanumerics and hyphens, no leading/trailing hyphen; ELBv2 CreateLoadBalancer: must not begin with internal-",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			if ok, err := nameRule("name", 32, elbName)(c, r); err != nil {
				return ok, err
			}
			if n := props.String(r.Outputs, "name"); strings.HasPrefix(n, "internal-") || strings.Contains(n, "--") {
				return true, fmt.Errorf("name %q begins with internal- or holds --", n)
			}
			return true, nil
		}},
	{name: "target group name", typ: "aws:lb/targetGroup:TargetGroup", source: "lb.TargetGroup.Name doc comment (pulumi-aws v6.83.4): max 32, alphanumerics and hyphens, no leading/trailing hyphen",
		check: nameRule("name", 32, elbName)},
	{name: "load balancer subnets in two zones", typ: "aws:lb/loadBalancer:LoadBalancer", source: "ELBv2 CreateLoadBalancer Subnets: at least two Availability Zones",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			return true, atLeastTwoZones(c.rec, props.Strings(r.Inputs, "subnets"))
		}},
	{name: "DB subnet group in two zones", typ: "aws:rds/subnetGroup:SubnetGroup", source: "RDS CreateDBSubnetGroup: subnets in at least two Availability Zones",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			return true, atLeastTwoZones(c.rec, props.Strings(r.Inputs, "subnetIds"))
		}},
	{name: "regional Availability Zones only", typ: "aws:ec2/subnet:Subnet", source: "getAvailabilityZones doc comment (pulumi-aws v6.83.4): opt-in-status = opt-in-not-required excludes Local Zones",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			z := props.String(r.Inputs, "availabilityZone")
			if len(z) != len(r.Region)+1 || !strings.HasPrefix(z, r.Region) {
				return true, fmt.Errorf("zone %q is not an Availability Zone of %s", z, r.Region)
			}
			return true, nil
		}},
	{name: "security group inbound rules", typ: "aws:ec2/securityGroup:SecurityGroup", source: "Amazon VPC quotas: 60 inbound rules per security group (IPv4), each CIDR on each port one rule",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			n := 0
			for i := range props.Array(r.Inputs, "ingress") {
				n += max(1, len(props.Strings(r.Inputs, fmt.Sprintf("ingress[%d].cidrBlocks", i))))
			}
			if n > 60 {
				return true, fmt.Errorf("%d inbound rules", n)
			}
			return true, nil
		}},
	{name: "proxied origins accept only Cloudflare", typ: "aws:ec2/securityGroup:SecurityGroup", source: "issue 14 point 13; Cloudflare's published ranges (cloudflare.GetIpRanges, https://www.cloudflare.com/ips-v4)",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			if !strings.HasSuffix(r.Name, "-lb-sg") {
				return false, nil
			}
			want := []string{"0.0.0.0/0"}
			if c.d.proxied {
				want = mockengine.CloudflareIPv4
			}
			ingress := props.Array(r.Inputs, "ingress")
			if len(ingress) == 0 {
				return true, errors.New("no inbound rule: the load balancer takes no traffic")
			}
			for i := range ingress {
				if got := props.Strings(r.Inputs, fmt.Sprintf("ingress[%d].cidrBlocks", i)); !slices.Equal(got, want) {
					return true, fmt.Errorf("ingress[%d] from %v, want %v (proxied=%v)", i, got, want, c.d.proxied)
				}
			}
			return true, nil
		}},
	{name: "task definition family", typ: "aws:ecs/taskDefinition:TaskDefinition", source: "ECS RegisterTaskDefinition family: up to 255 letters, digits, _ and -; issue 14 point 14: includes the stack",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			f := props.String(r.Inputs, "family")
			if !ecsName.MatchString(f) {
				return true, fmt.Errorf("family %q", f)
			}
			if stack := strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(c.d.stack)); !strings.Contains(f, stack) {
				return true, fmt.Errorf("family %q does not name stack %q", f, c.d.stack)
			}
			return true, nil
		}},
	{name: "IAM role name", typ: "aws:iam/role:Role", source: "IAM CreateRole RoleName: 1-64 of [\\w+=,.@-] (Pulumi auto-name adds 8)",
		check: nameRule("name", 64, iamName)},
	{name: "managed policy ARN partition", typ: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", source: "AWS General Reference, ARNs: arn:<partition>:...; issue 14 point 4",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			arn := props.String(r.Inputs, "policyArn")
			if want := "arn:" + argcheck.Partition(r.Region) + ":"; !strings.HasPrefix(arn, want) {
				return true, fmt.Errorf("policy %q in %s does not start with %s", arn, r.Region, want)
			}
			return true, nil
		}},
	{name: "KMS alias", typ: "aws:kms/alias:Alias", source: "KMS CreateAlias AliasName: alias/ + [A-Za-z0-9/_-], max 256, alias/aws/ reserved; a name prefix gets 26 more characters",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			p := props.String(r.Inputs, "namePrefix")
			if p == "" {
				p = props.String(r.Outputs, "name")
			}
			if len(p)+26 > 256 || !kmsAlias.MatchString(p) || strings.HasPrefix(p, "alias/aws/") {
				return true, fmt.Errorf("alias %q", p)
			}
			return true, nil
		}},
	{name: "standby keeps a task", typ: "aws:appautoscaling/target:Target", source: "issue 14 point 8: an empty ECS service publishes no CPU metric and fails its health check",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			if n, _ := props.Number(r.Inputs, "minCapacity"); n < 1 {
				return true, fmt.Errorf("minCapacity %v", n)
			}
			return true, nil
		}},
	{name: "tags per resource", typ: "", source: "AWS tagging: at most 50 tags per resource (resource tags plus provider default tags)",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			if !r.Custom || !strings.HasPrefix(r.Type, "aws:") {
				return false, nil
			}
			keys := map[string]bool{}
			for k := range props.Object(r.Inputs, "tags") {
				keys[string(k)] = true
			}
			for _, p := range c.rec.ByType("pulumi:providers:aws") {
				if p.URN+"::"+p.ID == r.Provider {
					for k := range props.Object(p.Inputs, "defaultTags.tags") {
						keys[string(k)] = true
					}
				}
			}
			if len(keys) > 50 {
				return true, fmt.Errorf("%d tags", len(keys))
			}
			return true, nil
		}},
	// Database and DNS rows: fixes on compb's branch (issue 14 points 1, 5-7, 9-12).
	{name: "RDS instance identifier", typ: "aws:rds/instance:Instance", source: "RDS CreateDBInstance DBInstanceIdentifier: 1-63, letter first, no --, no trailing hyphen",
		check: nameRule("identifier", 63, rdsIdent)},
	{name: "Aurora cluster identifier", typ: "aws:rds/cluster:Cluster", source: "RDS CreateDBCluster DBClusterIdentifier: 1-63, letter first, no --, no trailing hyphen",
		check: nameRule("clusterIdentifier", 63, rdsIdent)},
	{name: "Aurora instance identifier", typ: "aws:rds/clusterInstance:ClusterInstance", source: "RDS CreateDBInstance DBInstanceIdentifier: 1-63",
		check: nameRule("identifier", 63, rdsIdent)},
	{name: "global cluster identifier", typ: "aws:rds/globalCluster:GlobalCluster", source: "RDS identifier rules as for DB clusters (REFERENCE.md, AWS limits)",
		check: nameRule("globalClusterIdentifier", 63, rdsIdent)},
	{name: "final snapshot identifier", typ: "", source: "rds.Instance.FinalSnapshotIdentifier doc comment: letter first, alphanumerics and hyphens, no --, no trailing hyphen; CreateDBSnapshot: max 255",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			if r.Type != "aws:rds/instance:Instance" && r.Type != "aws:rds/cluster:Cluster" {
				return false, nil
			}
			s := props.String(r.Inputs, "finalSnapshotIdentifier")
			if s == "" {
				return false, nil
			}
			if len(s) > 255 || !rdsIdent.MatchString(s) {
				return true, fmt.Errorf("finalSnapshotIdentifier %q", s)
			}
			return true, nil
		}},
	{name: "read replicas take no final snapshot", typ: "aws:rds/instance:Instance", source: "rds.Instance.FinalSnapshotIdentifier doc comment: \"Must not be provided when deleting a read replica\"; DeleteDBInstance InvalidParameterCombination",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			if props.String(r.Inputs, "replicateSourceDb") == "" {
				return false, nil
			}
			skip, _ := props.Bool(r.Inputs, "skipFinalSnapshot")
			if s := props.String(r.Inputs, "finalSnapshotIdentifier"); s != "" || !skip {
				return true, fmt.Errorf("replica with finalSnapshotIdentifier %q, skipFinalSnapshot %v", s, skip)
			}
			return true, nil
		}},
	{name: "Aurora instances are not protected", typ: "aws:rds/clusterInstance:ClusterInstance", source: "Pulumi: a child inherits protect from its parent unless it sets its own; issue 14 point 6",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			if r.Protect {
				return true, errors.New("protected: lowering the instance count would fail")
			}
			return true, nil
		}},
	{name: "global cluster ignores engine version drift", typ: "aws:rds/globalCluster:GlobalCluster", source: "REFERENCE.md pitfall 3 (terraform-aws-rds-aurora#425); issue 14 point 7",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			if !slices.Contains(r.IgnoreChanges, "engineVersion") {
				return true, fmt.Errorf("ignoreChanges %v", r.IgnoreChanges)
			}
			return true, nil
		}},
	{name: "Route 53 geolocation codes", typ: "aws:route53/record:Record", source: "Route 53 API reference, GeoLocation: continents AF AN AS EU NA OC SA; ISO 3166-1 alpha-2 countries; subdivisions only for US",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			geo := props.Array(r.Inputs, "geolocationRoutingPolicies")
			if len(geo) == 0 {
				return false, nil
			}
			g := geo[0].ObjectValue()
			cont, country, sub := props.String(g, "continent"), props.String(g, "country"), props.String(g, "subdivision")
			switch {
			case cont != "" && (country != "" || !slices.Contains(route53Continents, cont)):
				return true, fmt.Errorf("continent %q with country %q", cont, country)
			case cont == "" && country != "*" && !slices.Contains(iso3166, country):
				return true, fmt.Errorf("country %q", country)
			case sub != "" && (country != "US" || !slices.Contains(usStates, sub)):
				return true, fmt.Errorf("subdivision %q of %q", sub, country)
			}
			return true, nil
		}},
	{name: "every Route 53 health check is used", typ: "aws:route53/healthCheck:HealthCheck", source: "issue 14 point 12: an unused health check is billed every month",
		check: func(c limitCtx, r *mockengine.Resource) (bool, error) {
			for _, rec := range c.rec.ByType("aws:route53/record:Record") {
				if props.String(rec.Inputs, "healthCheckId") == r.ID {
					return true, nil
				}
			}
			for _, hc := range c.rec.ByType("aws:route53/healthCheck:HealthCheck") {
				if slices.Contains(props.Strings(hc.Inputs, "childHealthchecks"), r.ID) {
					return true, nil
				}
			}
			return true, errors.New("no record or calculated check uses it")
		}},
	{name: "Route 53 health checker regions", typ: "aws:route53/healthCheck:HealthCheck", source: "Route 53 CreateHealthCheck Regions: at least 3 when set (REFERENCE.md pitfall 5)",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			if n := len(props.Strings(r.Inputs, "regions")); n > 0 && n < 3 {
				return true, fmt.Errorf("%d checker regions", n)
			}
			return true, nil
		}},
	{name: "Cloudflare random steering weights", typ: "cloudflare:index/loadBalancer:LoadBalancer", source: "Cloudflare load balancer random_steering: pool weights 0-1, default_weight at most 1",
		check: func(_ limitCtx, r *mockengine.Resource) (bool, error) {
			steer := props.Array(r.Inputs, "randomSteerings")
			if len(steer) == 0 {
				return false, nil
			}
			s := steer[0].ObjectValue()
			if w, ok := props.Number(s, "defaultWeight"); ok && (w < 0 || w > 1) {
				return true, fmt.Errorf("defaultWeight %v", w)
			}
			for k, v := range props.Object(s, "poolWeights") {
				if v.IsNumber() && (v.NumberValue() < 0 || v.NumberValue() > 1) {
					return true, fmt.Errorf("pool %s weight %v", k, v.NumberValue())
				}
			}
			return true, nil
		}},
}

// atLeastTwoZones reports whether subnet IDs span two Availability Zones.
func atLeastTwoZones(rec *mockengine.Recorder, ids []string) error {
	zones := map[string]bool{}
	for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
		if slices.Contains(ids, s.ID) {
			zones[props.String(s.Inputs, "availabilityZone")] = true
		}
	}
	if len(zones) < 2 {
		return fmt.Errorf("%d subnets in %d zone(s)", len(ids), len(zones))
	}
	return nil
}

// knownRegions is regions.Known sorted, so draws do not depend on map order.
func knownRegions() []string {
	out := make([]string, 0, len(regions.Known))
	for r := range regions.Known {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// draw makes one config. About a tenth of the draws break one rule on purpose,
// so the refusal side of the property is exercised too.
func draw(rnd *rand.Rand, all []string) drawn {
	pick := func(s ...string) string { return s[rnd.IntN(len(s))] }
	chance := func(p float64) bool { return rnd.Float64() < p }
	const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	name := string(rune('a' + rnd.IntN(26)))
	for n := rnd.IntN(20); len(name) < n+1; {
		if chance(0.15) && name[len(name)-1] != '-' {
			name += "-"
		} else {
			name += string(alnum[rnd.IntN(len(alnum))])
		}
	}
	name = strings.TrimRight(name, "-")
	if chance(0.05) {
		name = pick("my--app", "app-", "internal-api", "internal", strings.Repeat("x", 21))
	}
	stack := pick("dev", "prod", "staging", "a", "customer-acme-production-eu-central-0123456789", "qa_2.test")

	topology := pick(stacks.TopologySingle, stacks.TopologyActivePassive, stacks.TopologyActiveActive)
	n := 1
	switch topology {
	case stacks.TopologyActivePassive:
		n = 2 // Route 53 failover takes one primary and one secondary
		if chance(0.2) {
			n = 3
		}
	case stacks.TopologyActiveActive:
		n = 2 + rnd.IntN(3)
	}
	var regs []string
	pool := all
	if chance(0.1) {
		pool = []string{"us-gov-west-1", "us-gov-east-1"}
		n = min(n, 2)
	} else {
		pool = slices.DeleteFunc(slices.Clone(all), func(r string) bool { return strings.HasPrefix(r, "us-gov-") })
	}
	for _, i := range rnd.Perm(len(pool))[:n] {
		regs = append(regs, pool[i])
	}
	cfg := map[string]string{
		"aws:region":                       regs[0],
		"pulumi:disable-default-providers": `["aws"]`,
		"multiregion:name":                 name,
		"multiregion:topology":             topology,
	}
	set := func(key string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		cfg["multiregion:"+key] = string(b)
	}
	set("regions", regs)
	if chance(0.1) {
		cfg["multiregion:residency"] = pick("eu", "us", "none")
	}
	if chance(0.3) {
		set("tags", map[string]string{"team": pick("payments", "a b", "x:y/z"), "owner": ""})
	}

	network := map[string]any{"natStrategy": pick("none", "single", "one-per-az")}
	if chance(0.8) {
		network["azCount"] = 1 + rnd.IntN(6) // 1 is refused
	}
	set("network", network)

	app := map[string]any{"image": "public.ecr.aws/nginx/nginx:1.27"}
	cpu := []int{256, 512, 1024, 2048, 4096}[rnd.IntN(5)]
	app["cpu"], app["memory"] = cpu, 2*cpu
	if chance(0.5) {
		app["port"] = []int{80, 8080, 3000, 65535}[rnd.IntN(4)]
	}
	minC := 1 + rnd.IntN(4)
	maxC := minC + rnd.IntN(20)
	app["minCount"], app["maxCount"], app["desiredCount"] = minC, maxC, minC+rnd.IntN(maxC-minC+1)
	if topology == stacks.TopologyActivePassive && chance(0.5) {
		app["standbyCount"] = rnd.IntN(3) // 0 is refused
	}
	if chance(0.3) {
		app["certificateArns"] = map[string]string{regs[0]: fmt.Sprintf("arn:%s:acm:%s:123456789012:certificate/abc", argcheck.Partition(regs[0]), regs[0])}
	}
	if chance(0.05) {
		app["healthCheckPath"] = "/" + strings.Repeat("h", 1030) // too long
	}
	set("app", app)

	modes := map[string][]string{
		stacks.TopologySingle:        {"rds"},
		stacks.TopologyActivePassive: {"rds-replica", "aurora-global"},
		stacks.TopologyActiveActive:  {"dynamodb-global", "aurora-global"},
	}[topology]
	db := map[string]any{"mode": pick(modes...)}
	if chance(0.3) {
		db["deletionProtection"], db["skipFinalSnapshot"] = false, true
	}
	switch db["mode"] {
	case "aurora-global":
		db["engine"] = pick("aurora-postgresql", "aurora-mysql")
		db["primaryInstances"] = 1 + rnd.IntN(3)
		db["secondaryInstances"] = rnd.IntN(3)
		if topology == stacks.TopologyActiveActive {
			db["writeForwarding"] = true
		}
	case "rds-replica":
		if chance(0.2) {
			db["promotedRegion"] = regs[1]
		}
	}
	set("database", db)

	routings := map[string][]string{
		stacks.TopologySingle:        {"simple"},
		stacks.TopologyActivePassive: {"failover", "geolocation"},
		stacks.TopologyActiveActive:  {"latency", "geolocation", "weighted"},
	}[topology]
	provider := pick("route53", "cloudflare")
	dns := map[string]any{"domain": "app.example.com", "provider": provider, "routing": pick(routings...)}
	proxied := false
	if provider == "route53" {
		dns["zoneName"] = "example.com"
	} else {
		dns["cloudflareAccountId"] = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
		dns["cloudflareZoneId"] = "9e8d7c6b5a4938271605f4e3d2c1b0a9"
		proxied = true
		if chance(0.4) {
			proxied = chance(0.5)
			dns["proxied"] = proxied
		}
	}
	switch dns["routing"] {
	case "geolocation":
		geo := map[string]string{"*": regs[0]}
		// Valid codes first, then two Route 53 refuses (a non-US subdivision,
		// an ambiguous continent/country code).
		locs := []string{"EU", "OC", "DE", "GB", "JP", "US-CA", "continent:AS", "country:SA", "DE-BY", "NA"}
		if topology == stacks.TopologyActiveActive {
			// On Route 53 every region needs a location of its own: give each one.
			for i, r := range regs[:min(len(regs), 8)] {
				geo[locs[i]] = r
			}
		}
		for _, loc := range locs {
			if _, set := geo[loc]; !set && chance(0.3) {
				geo[loc] = regs[0]
				if topology == stacks.TopologyActiveActive {
					geo[loc] = pick(regs...)
				}
			}
		}
		dns["geo"] = geo
	case "weighted":
		w := map[string]int{}
		for _, r := range regs {
			w[r] = rnd.IntN(256)
		}
		dns["weights"] = w
	}
	set("dns", dns)
	if topology != stacks.TopologySingle && chance(0.1) {
		set("drill", map[string]string{"failRegion": pick(regs...)})
	}
	return drawn{stack: stack, config: cfg, regions: regs, proxied: provider == "cloudflare" && proxied}
}

// problemKey is the Key of a config problem: "multiregion:<key>" then the
// field path.
var problemKey = regexp.MustCompile(`^multiregion:([A-Za-z]+)[A-Za-z0-9.\[\]*_-]*$`)

func TestConfigSpace(t *testing.T) {
	t.Parallel()
	all := knownRegions()
	require.NotEmpty(t, all)
	known := map[string]bool{}
	for _, k := range stacks.Keys() {
		known[k] = true
	}
	rnd := rand.New(rand.NewPCG(configSeed, configSeed))
	applied := make([]int, len(awsLimits))
	violations := make([][]string, len(awsLimits))
	accepted, refusedCount := 0, 0
	lbNames := map[string]string{} // account-level name -> stack that holds it

	for i := 0; i < configDraws; i++ {
		d := draw(rnd, all)
		_, err := stacks.Load(d.stack, d.config)
		if err != nil {
			refusedCount++
			var ce *stacks.ConfigError
			require.True(t, errors.As(err, &ce), "draw %d: a *ConfigError: %v", i, err)
			require.NotEmpty(t, ce.Problems)
			for _, p := range ce.Problems {
				m := problemKey.FindStringSubmatch(p.Key)
				if m == nil || !known[m[1]] || p.Problem == "" {
					t.Errorf("draw %d: problem does not name a config key and say what is wrong: %#v", i, p)
				}
			}
			continue
		}
		accepted++
		rec, err := renderConfig(d.stack, d.config)
		if err != nil {
			t.Errorf("draw %d: validation accepted the config but the program failed: %v\nconfig: %v", i, err, d.config)
			continue
		}
		res := rec.Resources()
		require.NotEmpty(t, res, "draw %d rendered nothing", i)
		c := limitCtx{d: d, rec: rec}
		for _, r := range res {
			for j, row := range awsLimits {
				if row.typ != "" && row.typ != r.Type {
					continue
				}
				ok, err := row.check(c, r)
				if !ok {
					continue
				}
				applied[j]++
				if err != nil && len(violations[j]) < 3 {
					violations[j] = append(violations[j], fmt.Sprintf("draw %d (stack %s, name %s, regions %v): %s %s: %v",
						i, d.stack, d.config["multiregion:name"], d.regions, r.Type, r.Name, err))
				}
			}
		}
		// Load balancer and target group names are unique per account and
		// region: the draws share one account, so two stacks never collide.
		for _, typ := range []string{"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"} {
			for _, r := range rec.ByType(typ) {
				key := r.Region + "/" + typ + "/" + props.String(r.Outputs, "name")
				owner := d.stack + "/" + d.config["multiregion:name"]
				if prev, ok := lbNames[key]; ok && prev != owner {
					t.Errorf("draw %d: %s is also used by %s", i, key, prev)
				}
				lbNames[key] = owner
			}
		}
	}
	t.Logf("%d draws: %d accepted, %d refused", configDraws, accepted, refusedCount)
	require.Greater(t, accepted, configDraws/4, "the draws must exercise the accepted space")
	require.Greater(t, refusedCount, configDraws/20, "the draws must exercise refusals")

	for j, row := range awsLimits {
		t.Run(row.name, func(t *testing.T) {
			if applied[j] == 0 {
				t.Fatalf("no drawn config produced a resource this row applies to (%s): widen the draws", row.typ)
			}
			if len(violations[j]) == 0 {
				return
			}
			msg := fmt.Sprintf("%s (source: %s):\n  %s", row.name, row.source, strings.Join(violations[j], "\n  "))
			t.Error(msg)
		})
	}
}
