package geodns

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/internal/regions"
)

// Backends.
const (
	BackendRoute53    = "route53"
	BackendCloudflare = "cloudflare"
)

// BackendValues returns every backend (DNS provider).
func BackendValues() []string { return []string{BackendRoute53, BackendCloudflare} }

// Routing modes.
const (
	// RoutingSimple sends every user to the one region.
	RoutingSimple = "simple"
	// RoutingFailover sends users to the primary while it is healthy, else the secondary.
	RoutingFailover = "failover"
	// RoutingLatency sends users to the healthy region with the lowest latency.
	RoutingLatency = "latency"
	// RoutingGeolocation sends users by continent/country (Geo), with a default.
	RoutingGeolocation = "geolocation"
	// RoutingWeighted splits users between regions by weight.
	RoutingWeighted = "weighted"
)

// RoutingValues returns every routing mode, simple first.
func RoutingValues() []string {
	return []string{RoutingSimple, RoutingFailover, RoutingLatency, RoutingGeolocation, RoutingWeighted}
}

// multiRegionRouting returns the routing modes that serve more than one region.
func multiRegionRouting() []string {
	return slices.DeleteFunc(RoutingValues(), func(r string) bool { return r == RoutingSimple })
}

// Roles of an endpoint in failover routing.
const (
	RolePrimary   = "primary"
	RoleSecondary = "secondary"
)

// RoleValues returns every endpoint role.
func RoleValues() []string { return []string{RolePrimary, RoleSecondary} }

// DefaultLocation is the Geo key for users no other mapping matches.
const DefaultLocation = "*"

// Defaults.
const (
	// DefaultHealthCheckPath is the path a RegionalStack serves its health
	// on, so DNS checks what the load balancer checks.
	DefaultHealthCheckPath = regionalstack.DefaultHealthCheckPath
	// DefaultRequestInterval: Route 53's standard 30 s interval (10 s costs extra).
	DefaultRequestInterval = 30
	// DefaultFailureThreshold: 3 failed checks (~90 s) before a region leaves DNS.
	DefaultFailureThreshold = 3
	// DefaultMonitorInterval: 60 s, the shortest interval on Cloudflare's Pro plan.
	DefaultMonitorInterval = 60
	// DefaultMonitorRetries before an origin is marked down.
	DefaultMonitorRetries = 2
	// DefaultMonitorTimeout in seconds.
	DefaultMonitorTimeout = 5
	// DefaultExpectedCodes a healthy response returns.
	DefaultExpectedCodes = "2xx"
	// unproxiedTTL is the DNS TTL of an unproxied Cloudflare load balancer.
	unproxiedTTL = 30
)

// DefaultCheckerRegions are the Route 53 health checker regions used when none are
// given: three, on three continents (Route 53 needs at least three).
var DefaultCheckerRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-1"}

// CheckerRegionValues returns the regions Route 53 runs health checkers in
// (Route53.CheckerRegions takes them).
func CheckerRegionValues() []string {
	return []string{"us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"}
}

// Endpoint is one region's entry point, usually a RegionalStack's load balancer.
type Endpoint struct {
	// Region is the AWS region (required).
	Region string
	// DNSName is the load balancer's DNS name (required).
	DNSName pulumi.StringInput
	// ZoneID is the load balancer's canonical hosted zone ID (required for Route 53).
	ZoneID pulumi.StringInput
	// HealthCheckPath is probed for health (optional, default "/healthz").
	HealthCheckPath string
	// Protocol is "HTTPS" or "HTTP" (optional, default "HTTPS"; HTTP for dev).
	Protocol string
	// Port the health check probes (optional, default 443 for HTTPS, 80 for HTTP).
	Port int
	// Role is "primary" or "secondary" for failover routing (optional: by default
	// the first endpoint is the primary).
	Role string
	// Weight for weighted routing, 0 to 255 (optional, default 1; 0 drains the
	// region). Route 53 takes it as is; Cloudflare takes weights from 0 to 1, so
	// they are divided by the largest weight and kept to two decimals.
	Weight *int
}

// Route53 configures the Route 53 backend.
type Route53 struct {
	// ZoneID is an existing hosted zone (optional).
	ZoneID string
	// ZoneName is the hosted zone to look up, or to create with CreateZone
	// (optional, default: Domain without its first label).
	ZoneName string
	// CreateZone creates the hosted zone ZoneName (optional, default false: use an
	// existing zone). Delegate its name servers from the parent zone yourself.
	CreateZone bool
	// RequestInterval is 10 or 30 seconds (optional, default 30).
	RequestInterval int
	// FailureThreshold is 1 to 10 consecutive failures (optional, default 3).
	FailureThreshold int
	// CheckerRegions are where health checks run from (optional, default three
	// regions on three continents; at least three).
	CheckerRegions []string
	// MeasureLatency records latency graphs for the checks (optional; costs extra).
	MeasureLatency bool
}

// Cloudflare configures the Cloudflare backend.
type Cloudflare struct {
	// AccountID owns the monitor and pools (required).
	AccountID string
	// ZoneID is the Cloudflare zone of Domain (required).
	ZoneID string
	// Proxied serves through Cloudflare's proxy (optional, default true).
	Proxied *bool
	// MonitorInterval in seconds (optional, default 60; 15 needs Business, 10 Enterprise).
	MonitorInterval int
	// Retries before an origin is marked down (optional, default 2).
	Retries int
	// Timeout of a check in seconds (optional, default 5).
	Timeout int
	// ExpectedCodes is the healthy status pattern (optional, default "2xx").
	ExpectedCodes string
	// CheckRegions are the Cloudflare regions that run health checks (optional,
	// default: each pool checked from the Cloudflare region nearest its AWS region,
	// which works on non-Enterprise plans; "all data centers" is Enterprise only).
	CheckRegions []string
	// FallbackRegion's pool serves when every pool is unhealthy (optional, default
	// the primary).
	FallbackRegion string
	// PopPools maps Cloudflare PoP codes to regions (optional; Enterprise only).
	PopPools map[string]string
}

// Drill forces a region unhealthy in DNS without touching the region, so that a
// failover can be rehearsed and measured. Remove it to restore normal routing.
type Drill struct {
	// FailRegion is the region to take out of DNS (required).
	FailRegion string
}

// Args configures a GeoDNS.
type Args struct {
	// Domain is the record name users resolve, e.g. "app.example.com" (required).
	Domain string
	// Backend is "route53" or "cloudflare" (optional, default "route53").
	Backend string
	// Routing is "simple", "failover", "latency", "geolocation" or "weighted"
	// (optional, default "simple" for one endpoint, "failover" for more).
	Routing string
	// Endpoints are the regions' load balancers (required, at least one).
	Endpoints []Endpoint
	// Geo maps locations to regions for geolocation routing (required for it):
	// a continent ("EU", "OC", "AN", or "continent:AF"/"continent:AS"/
	// "continent:NA"/"continent:SA"), an ISO 3166-1 alpha-2 country ("DE", or
	// "country:AF"/"country:AS"/"country:NA"/"country:SA": those four codes are
	// also continents, so they must say which), a US state ("US-CA"; Route 53
	// has no other subdivisions), and the default "*", which is required so no
	// user gets NXDOMAIN. See locations.go for the sources.
	Geo map[string]string
	// Route53 configures the Route 53 backend.
	Route53 Route53
	// Cloudflare configures the Cloudflare backend.
	Cloudflare Cloudflare
	// Drill, when set, fails one region in DNS (see Drill).
	Drill *Drill
	// Tags are added to every taggable AWS child (optional).
	Tags map[string]string
}

var (
	domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// resolved is Args with defaults applied.
type resolved struct {
	Args
	primary   int        // index of the primary endpoint
	locations []location // the parsed Geo keys, sorted by key
}

func resolve(name string, in *Args) (*resolved, error) {
	p := argcheck.New(fmt.Sprintf("geodns %q", name))
	if in == nil {
		p.Add("Args", "is nil", "pass &geodns.Args{Domain: ..., Endpoints: ...}")
		return nil, p.Err()
	}
	r := &resolved{Args: *in}
	a := &r.Args
	a.Domain = strings.TrimSuffix(strings.ToLower(a.Domain), ".")
	if !domainRE.MatchString(a.Domain) {
		p.Add("Domain", fmt.Sprintf("%q is not a DNS name", in.Domain), "use a name like \"app.example.com\"")
	}
	if a.Backend == "" {
		a.Backend = BackendRoute53
	}
	p.OneOf("Backend", a.Backend, BackendValues()...)
	if a.Routing == "" {
		a.Routing = RoutingSimple
		if len(a.Endpoints) > 1 {
			a.Routing = RoutingFailover
		}
	}
	p.OneOf("Routing", a.Routing, RoutingValues()...)

	if len(a.Endpoints) == 0 {
		p.Add("Endpoints", "is empty", "list at least one region's load balancer")
	}
	a.Endpoints = append([]Endpoint(nil), a.Endpoints...)
	endpointRegions := map[string]bool{}
	primaries := 0
	rolesGiven := false
	for i := range a.Endpoints {
		e := &a.Endpoints[i]
		field := fmt.Sprintf("Endpoints[%d]", i)
		switch {
		case !regions.ValidName(e.Region):
			p.Add(field+".Region", fmt.Sprintf("%q is not an AWS region name", e.Region), "use a name like \"us-east-1\"")
		case endpointRegions[e.Region]:
			p.Add(field+".Region", fmt.Sprintf("%q is listed twice", e.Region), "one endpoint per region")
		}
		endpointRegions[e.Region] = true
		if e.DNSName == nil {
			p.Add(field+".DNSName", "is required", "pass the load balancer's DNS name (RegionalStack.LoadBalancerDNSName)")
		}
		if e.ZoneID == nil && a.Backend == BackendRoute53 {
			p.Add(field+".ZoneID", "is required for Route 53 aliases", "pass RegionalStack.LoadBalancerZoneID")
		}
		if e.HealthCheckPath == "" {
			e.HealthCheckPath = DefaultHealthCheckPath
		}
		if !strings.HasPrefix(e.HealthCheckPath, "/") {
			p.Add(field+".HealthCheckPath", fmt.Sprintf("%q must start with \"/\"", e.HealthCheckPath), "")
		}
		if e.Protocol == "" {
			e.Protocol = "HTTPS"
		}
		e.Protocol = strings.ToUpper(e.Protocol)
		p.OneOf(field+".Protocol", e.Protocol, "HTTPS", "HTTP")
		if e.Port == 0 {
			e.Port = 443
			if e.Protocol == "HTTP" {
				e.Port = 80
			}
		}
		p.Range(field+".Port", e.Port, 1, 65535)
		if e.Role != "" {
			rolesGiven = true
			p.OneOf(field+".Role", e.Role, RoleValues()...)
		}
		if e.Weight != nil {
			if a.Routing != RoutingWeighted {
				p.Add(field+".Weight", "is only used with routing \"weighted\"", "remove it or change Routing")
			}
			p.Range(field+".Weight", *e.Weight, 0, 255)
		}
	}
	if !rolesGiven {
		for i := range a.Endpoints {
			a.Endpoints[i].Role = RoleSecondary
		}
		if len(a.Endpoints) > 0 {
			a.Endpoints[0].Role = RolePrimary
		}
	}
	for i, e := range a.Endpoints {
		if e.Role == RolePrimary {
			primaries++
			r.primary = i
		}
	}

	switch a.Routing {
	case RoutingSimple:
		if len(a.Endpoints) > 1 {
			p.Add("Routing", fmt.Sprintf("\"simple\" routes to one region but %d endpoints are listed", len(a.Endpoints)), "use "+argcheck.Or(argcheck.Quote(multiRegionRouting()...)...))
		}
	case RoutingFailover:
		if primaries != 1 {
			p.Add("Endpoints", fmt.Sprintf("failover routing needs exactly one endpoint with Role \"primary\", found %d", primaries), "")
		}
		if len(a.Endpoints) != 2 && a.Backend == BackendRoute53 {
			p.Add("Endpoints", fmt.Sprintf("Route 53 failover routing takes one primary and one secondary, got %d endpoints", len(a.Endpoints)), "use \"latency\" or \"geolocation\" for more regions")
		}
		if len(a.Endpoints) < 2 && a.Backend == BackendCloudflare {
			p.Add("Endpoints", "failover routing needs a secondary endpoint to fail over to", "")
		}
	case RoutingWeighted:
		total := 0
		for _, e := range a.Endpoints {
			total += weightOf(e)
		}
		if total == 0 && len(a.Endpoints) > 0 {
			p.Add("Endpoints", "every Weight is 0", "give at least one region a positive weight")
		}
		if a.Backend == BackendCloudflare && total > 0 {
			// Cloudflare weights are 0 to 1 with two decimals (see randomSteering):
			// a weight under 1/200 of the largest would silently drain its region.
			for i, w := range cloudflareWeights(a.Endpoints) {
				if w == 0 && weightOf(a.Endpoints[i]) > 0 {
					p.Add(fmt.Sprintf("Endpoints[%d].Weight", i), fmt.Sprintf("%d is below 1/200 of the largest weight", weightOf(a.Endpoints[i])), "Cloudflare keeps relative weights to two decimals (0.01 to 1), so it would get no traffic; raise it or use 0 to drain the region")
				}
			}
		}
	}

	if a.Routing == RoutingGeolocation {
		if _, ok := a.Geo[DefaultLocation]; !ok {
			p.Add("Geo", "has no default \"*\" entry", "add \"*\": \"<region>\" so users outside the mapped locations are still answered (no NXDOMAIN)")
		}
		seen := map[string]string{} // canonical location -> key
		for _, key := range slices.Sorted(maps.Keys(a.Geo)) {
			region := a.Geo[key]
			loc, bad := parseLocation(key)
			switch {
			case bad != nil:
				p.Add("Geo", bad.problem, bad.fix)
			case seen[loc.canonical()] != "":
				p.Add("Geo", fmt.Sprintf("%q and %q are the same location", seen[loc.canonical()], key), "keep one")
			case loc.kind == kindSubdivision && a.Backend == BackendCloudflare:
				p.Add("Geo", fmt.Sprintf("%q is a subdivision", key), fmt.Sprintf("Cloudflare steers by region or country only, map %q instead", "US"))
			default:
				seen[loc.canonical()] = key
				r.locations = append(r.locations, loc)
			}
			if !endpointRegions[region] {
				p.Add("Geo", fmt.Sprintf("%q maps to %q, which is not in Endpoints", key, region), "map it to one of the endpoint regions")
			}
		}
		if a.Backend == BackendRoute53 && len(a.Geo) > 0 {
			// A Route 53 region without a geolocation record gets no users and
			// cannot take over from another (Cloudflare lists every pool in each
			// location's failover order instead).
			mapped := map[string]bool{}
			for _, region := range a.Geo {
				mapped[region] = true
			}
			for i, e := range a.Endpoints {
				if !mapped[e.Region] && regions.ValidName(e.Region) {
					p.Add("Geo", fmt.Sprintf("no location maps to %q (Endpoints[%d])", e.Region, i), "Route 53 geolocation sends users only to mapped regions, so it would serve no one and could not take over; map a location to it, or use failover or latency routing")
				}
			}
		}
	} else if len(a.Geo) > 0 {
		p.Add("Geo", "is only used with routing \"geolocation\"", "remove it or set Routing to \"geolocation\"")
	}

	if d := a.Drill; d != nil {
		switch {
		case d.FailRegion == "":
			p.Add("Drill.FailRegion", "is required", "name the region to fail, or remove Drill")
		case !endpointRegions[d.FailRegion]:
			p.Add("Drill.FailRegion", fmt.Sprintf("%q is not in Endpoints", d.FailRegion), "fail one of the endpoint regions")
		case a.Routing == RoutingSimple:
			p.Add("Drill", "simple routing has one region and nowhere to fail over to", "use "+argcheck.Or(multiRegionRouting()...)+" routing")
		}
	}

	switch a.Backend {
	case BackendRoute53:
		resolveRoute53(p, &a.Route53, a.Domain)
		if a.Cloudflare.AccountID != "" || a.Cloudflare.ZoneID != "" {
			p.Add("Cloudflare", "is set but Backend is \"route53\"", "set Backend to \"cloudflare\" or remove it")
		}
	case BackendCloudflare:
		resolveCloudflare(p, &a.Cloudflare, endpointRegions, a.Endpoints)
	}
	p.Tags("Tags", a.Tags)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

func resolveRoute53(p *argcheck.Problems, r *Route53, domain string) {
	if r.ZoneID != "" && (r.ZoneName != "" || r.CreateZone) {
		p.Add("Route53.ZoneID", "only one of ZoneID and ZoneName/CreateZone may be set", "")
	}
	if r.ZoneName == "" {
		if _, parent, ok := strings.Cut(domain, "."); ok && strings.Contains(parent, ".") {
			r.ZoneName = parent
		} else {
			r.ZoneName = domain
		}
	}
	r.ZoneName = strings.TrimSuffix(strings.ToLower(r.ZoneName), ".")
	if domain != r.ZoneName && !strings.HasSuffix(domain, "."+r.ZoneName) && r.ZoneID == "" {
		p.Add("Route53.ZoneName", fmt.Sprintf("%q does not contain the domain %q", r.ZoneName, domain), "use the zone the record belongs to")
	}
	if r.RequestInterval == 0 {
		r.RequestInterval = DefaultRequestInterval
	}
	if r.RequestInterval != 10 && r.RequestInterval != 30 {
		p.Add("Route53.RequestInterval", fmt.Sprintf("%d", r.RequestInterval), "Route 53 checks every 10 or 30 seconds")
	}
	if r.FailureThreshold == 0 {
		r.FailureThreshold = DefaultFailureThreshold
	}
	p.Range("Route53.FailureThreshold", r.FailureThreshold, 1, 10)
	if len(r.CheckerRegions) == 0 {
		r.CheckerRegions = append([]string(nil), DefaultCheckerRegions...)
	}
	if len(r.CheckerRegions) < 3 {
		p.Add("Route53.CheckerRegions", fmt.Sprintf("lists %d regions", len(r.CheckerRegions)), "Route 53 needs at least 3 health checker regions")
	}
	seenChecker := map[string]bool{}
	for _, c := range r.CheckerRegions {
		if seenChecker[c] {
			p.Add("Route53.CheckerRegions", fmt.Sprintf("%q is listed twice", c), "Route 53 needs at least 3 different checker regions")
		}
		seenChecker[c] = true
		if !slices.Contains(CheckerRegionValues(), c) {
			p.Add("Route53.CheckerRegions", fmt.Sprintf("%q has no Route 53 health checkers", c), "use "+argcheck.Or(CheckerRegionValues()...))
		}
	}
}

func resolveCloudflare(p *argcheck.Problems, c *Cloudflare, endpointRegions map[string]bool, endpoints []Endpoint) {
	if c.AccountID == "" {
		p.Add("Cloudflare.AccountID", "is required for the Cloudflare backend", "set your Cloudflare account ID (monitors and pools live in the account)")
	}
	if c.ZoneID == "" {
		p.Add("Cloudflare.ZoneID", "is required for the Cloudflare backend", "set the Cloudflare zone ID of the domain")
	}
	if c.MonitorInterval == 0 {
		c.MonitorInterval = DefaultMonitorInterval
	}
	p.Range("Cloudflare.MonitorInterval", c.MonitorInterval, 10, 3600)
	if c.Retries == 0 {
		c.Retries = DefaultMonitorRetries
	}
	p.Range("Cloudflare.Retries", c.Retries, 0, 5)
	if c.Timeout == 0 {
		c.Timeout = DefaultMonitorTimeout
	}
	p.Range("Cloudflare.Timeout", c.Timeout, 1, 10)
	if c.Timeout*(c.Retries+1) >= c.MonitorInterval {
		p.Add("Cloudflare.Timeout", fmt.Sprintf("%d s x %d attempts does not fit in the %d s interval", c.Timeout, c.Retries+1, c.MonitorInterval), "lower Timeout or Retries, or raise MonitorInterval")
	}
	if c.ExpectedCodes == "" {
		c.ExpectedCodes = DefaultExpectedCodes
	}
	seenCheck := map[string]bool{}
	for _, cr := range c.CheckRegions {
		if seenCheck[cr] {
			p.Add("Cloudflare.CheckRegions", fmt.Sprintf("%q is listed twice", cr), "list each region once")
		}
		seenCheck[cr] = true
		if !slices.Contains(CloudflareRegionValues(), cr) {
			p.Add("Cloudflare.CheckRegions", fmt.Sprintf("%q is not a Cloudflare region", cr), "use "+argcheck.Or(CloudflareRegionValues()...))
		}
	}
	for _, e := range endpoints {
		if _, ok := cloudflareRegionOf[e.Region]; !ok && len(c.CheckRegions) == 0 && regions.ValidName(e.Region) {
			p.Add("Cloudflare.CheckRegions", fmt.Sprintf("no Cloudflare region is known for %s", e.Region), "set CheckRegions explicitly")
		}
	}
	if c.FallbackRegion != "" && !endpointRegions[c.FallbackRegion] {
		p.Add("Cloudflare.FallbackRegion", fmt.Sprintf("%q is not in Endpoints", c.FallbackRegion), "use one of the endpoint regions")
	}
	for _, pop := range slices.Sorted(maps.Keys(c.PopPools)) {
		if !endpointRegions[c.PopPools[pop]] {
			p.Add("Cloudflare.PopPools", fmt.Sprintf("%q maps to %q, which is not in Endpoints", pop, c.PopPools[pop]), "")
		}
	}
}

// weightOf returns an endpoint's weighted-routing weight.
func weightOf(e Endpoint) int {
	if e.Weight == nil {
		return 1
	}
	return *e.Weight
}

// failed reports whether the drill fails region.
func (r *resolved) failed(region string) bool {
	return r.Drill != nil && r.Drill.FailRegion == region
}

// Validate checks args the way New does, without creating anything: every
// problem at once, each naming the field and the fix.
func Validate(name string, args *Args) error {
	_, err := resolve(name, args)
	return err
}
