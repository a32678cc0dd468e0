package geodns

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/pulumi/pulumi-cloudflare/sdk/v5/go/cloudflare"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
)

// CloudflareRegionValues returns Cloudflare's load balancing regions
// (Cloudflare.CheckRegions takes them).
func CloudflareRegionValues() []string {
	return []string{"WNAM", "ENAM", "WEU", "EEU", "NSAM", "SSAM", "OC", "ME", "NAF", "SAF", "SAS", "SEAS", "NEAS"}
}

// cloudflareRegionOf maps an AWS region to the nearest Cloudflare region, which
// checks that region's pool.
var cloudflareRegionOf = map[string]string{
	"us-east-1": "ENAM", "us-east-2": "ENAM", "ca-central-1": "ENAM",
	"us-west-1": "WNAM", "us-west-2": "WNAM",
	"eu-west-1": "WEU", "eu-west-2": "WEU", "eu-west-3": "WEU", "eu-central-1": "WEU", "eu-south-1": "WEU",
	"eu-north-1": "EEU", "eu-central-2": "WEU", "eu-south-2": "WEU",
	"sa-east-1": "SSAM", "me-south-1": "ME", "me-central-1": "ME", "af-south-1": "SAF",
	"ap-south-1": "SAS", "ap-south-2": "SAS",
	"ap-southeast-1": "SEAS", "ap-southeast-3": "SEAS", "ap-southeast-2": "OC", "ap-southeast-4": "OC",
	"ap-northeast-1": "NEAS", "ap-northeast-2": "NEAS", "ap-northeast-3": "NEAS", "ap-east-1": "NEAS",
}

// continentRegions maps Route 53 continent codes to Cloudflare regions, so one
// Geo mapping serves both backends. Antarctica has no Cloudflare region: its
// users get the default pools.
var continentRegions = map[string][]string{
	"NA": {"WNAM", "ENAM"},
	"SA": {"NSAM", "SSAM"},
	"EU": {"WEU", "EEU"},
	"AF": {"NAF", "SAF"},
	"AS": {"ME", "SAS", "SEAS", "NEAS"},
	"OC": {"OC"},
}

// steering maps a routing mode to Cloudflare's steering policy.
var steering = map[string]string{
	RoutingSimple:      "off",
	RoutingFailover:    "off", // pools in order: primary, then the secondaries
	RoutingGeolocation: "geo",
	RoutingLatency:     "dynamic_latency",
	RoutingWeighted:    "random",
}

// cloudflare builds a monitor, a pool per region and the load balancer.
func (b *builder) cloudflare() error {
	cfg := b.cfg
	cf := cfg.Cloudflare
	protocol := cfg.Endpoints[cfg.primary].Protocol
	monitor, err := cloudflare.NewLoadBalancerMonitor(b.ctx, b.child("monitor"), &cloudflare.LoadBalancerMonitorArgs{
		AccountId:     pulumi.String(cf.AccountID),
		Type:          pulumi.String(map[string]string{"HTTPS": "https", "HTTP": "http"}[protocol]),
		Method:        pulumi.String("GET"),
		Path:          pulumi.String(cfg.Endpoints[cfg.primary].HealthCheckPath),
		Port:          pulumi.Int(cfg.Endpoints[cfg.primary].Port),
		ExpectedCodes: pulumi.String(cf.ExpectedCodes),
		Interval:      pulumi.Int(cf.MonitorInterval),
		Timeout:       pulumi.Int(cf.Timeout),
		Retries:       pulumi.Int(cf.Retries),
		// Origins are load balancer hostnames; send the site's Host so the
		// certificate and virtual host match.
		Headers: cloudflare.LoadBalancerMonitorHeaderArray{cloudflare.LoadBalancerMonitorHeaderArgs{
			Header: pulumi.String("Host"),
			Values: pulumi.StringArray{pulumi.String(cfg.Domain)},
		}},
		Description: pulumi.Sprintf("multiregion %s: %s", b.name, cfg.Domain),
	}, pulumi.Parent(b.g))
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}

	pools := map[string]*cloudflare.LoadBalancerPool{}
	poolIDs := pulumi.StringMap{}
	var ordered pulumi.StringArray // primary first
	var orderNames []string
	order := append([]int{cfg.primary}, others(len(cfg.Endpoints), cfg.primary)...)
	for _, i := range order {
		orderNames = append(orderNames, cfg.Endpoints[i].Region)
		e := cfg.Endpoints[i]
		checkRegions := cf.CheckRegions
		if len(checkRegions) == 0 {
			checkRegions = []string{cloudflareRegionOf[e.Region]}
		}
		pool, err := cloudflare.NewLoadBalancerPool(b.ctx, b.child("pool", e.Region), &cloudflare.LoadBalancerPoolArgs{
			AccountId: pulumi.String(cf.AccountID),
			Name:      pulumi.String(naming.Child(b.name, e.Region)),
			Origins: cloudflare.LoadBalancerPoolOriginArray{cloudflare.LoadBalancerPoolOriginArgs{
				Name:    pulumi.String(e.Region),
				Address: e.DNSName,
				Enabled: pulumi.Bool(true),
				Weight:  pulumi.Float64(1),
				Headers: cloudflare.LoadBalancerPoolOriginHeaderArray{cloudflare.LoadBalancerPoolOriginHeaderArgs{
					Header: pulumi.String("Host"),
					Values: pulumi.StringArray{pulumi.String(cfg.Domain)},
				}},
			}},
			Monitor:        monitor.ID(),
			CheckRegions:   pulumi.ToStringArray(checkRegions),
			MinimumOrigins: pulumi.Int(1),
			// The drill lever: a disabled pool is skipped by steering exactly like
			// an unhealthy one.
			Enabled:     pulumi.Bool(!cfg.failed(e.Region)),
			Description: pulumi.Sprintf("%s in %s (%s)", cfg.Domain, e.Region, e.Role),
		}, pulumi.Parent(b.g))
		if err != nil {
			return fmt.Errorf("pool for %s: %w", e.Region, err)
		}
		pools[e.Region] = pool
		poolIDs[e.Region] = pool.ID().ToStringOutput()
		ordered = append(ordered, pool.ID().ToStringOutput())
	}

	fallback := cfg.Endpoints[cfg.primary].Region
	if cf.FallbackRegion != "" {
		fallback = cf.FallbackRegion
	}
	proxied := cf.Proxied == nil || *cf.Proxied
	args := &cloudflare.LoadBalancerArgs{
		ZoneId:         pulumi.String(cf.ZoneID),
		Name:           pulumi.String(cfg.Domain),
		DefaultPoolIds: ordered,
		FallbackPoolId: pools[fallback].ID(),
		SteeringPolicy: pulumi.String(steering[cfg.Routing]),
		Proxied:        pulumi.Bool(proxied),
		Description:    pulumi.Sprintf("multiregion %s (%s)", b.name, cfg.Routing),
	}
	if !proxied {
		args.Ttl = pulumi.Int(unproxiedTTL)
	}
	if cfg.Routing == RoutingGeolocation {
		args.RegionPools, args.CountryPools = geoPools(cfg.Geo, cfg.locations, orderNames, pools)
	}
	if cfg.Routing == RoutingWeighted {
		args.RandomSteerings = cloudflare.LoadBalancerRandomSteeringArray{randomSteering(cfg.Endpoints, pools)}
	}
	if len(cf.PopPools) > 0 {
		var popPools cloudflare.LoadBalancerPopPoolArray
		for _, pop := range slices.Sorted(maps.Keys(cf.PopPools)) {
			popPools = append(popPools, cloudflare.LoadBalancerPopPoolArgs{
				Pop:     pulumi.String(pop),
				PoolIds: pulumi.StringArray{pools[cf.PopPools[pop]].ID()},
			})
		}
		args.PopPools = popPools
	}
	lb, err := cloudflare.NewLoadBalancer(b.ctx, b.child("lb"), args, pulumi.Parent(b.g))
	if err != nil {
		return fmt.Errorf("load balancer: %w", err)
	}
	b.g.Monitor, b.g.Pools, b.g.LoadBalancer = monitor, pools, lb
	b.g.LoadBalancerID = lb.ID().ToStringOutput()
	b.g.MonitorID = monitor.ID().ToStringOutput()
	b.g.PoolIDs = poolIDs.ToStringMapOutput()
	b.g.ZoneID = pulumi.String(cf.ZoneID).ToStringOutput()
	b.g.RecordFQDN = pulumi.String(cfg.Domain).ToStringOutput()
	return nil
}

// geoPools turns the Geo mapping into Cloudflare region pools (continents) and
// country pools; "*" is served by the default pools. order lists the regions
// in failover order (primary first).
func geoPools(geo map[string]string, locations []location, order []string, pools map[string]*cloudflare.LoadBalancerPool) (cloudflare.LoadBalancerRegionPoolArray, cloudflare.LoadBalancerCountryPoolArray) {
	// Each location gets its mapped pool first, then the others in failover
	// order, so a location fails over instead of falling to the default pools.
	poolList := func(region string) pulumi.StringArray {
		ids := pulumi.StringArray{pools[region].ID()}
		for _, r := range order {
			if r != region {
				ids = append(ids, pools[r].ID())
			}
		}
		return ids
	}
	byRegion := map[string]string{} // Cloudflare region -> AWS region
	var countries cloudflare.LoadBalancerCountryPoolArray
	for _, loc := range locations {
		switch loc.kind {
		case kindContinent:
			for _, cr := range continentRegions[loc.code] {
				byRegion[cr] = geo[loc.key]
			}
		case kindCountry:
			countries = append(countries, cloudflare.LoadBalancerCountryPoolArgs{
				Country: pulumi.String(loc.code),
				PoolIds: poolList(geo[loc.key]),
			})
		}
	}
	var regions cloudflare.LoadBalancerRegionPoolArray
	for _, cr := range slices.Sorted(maps.Keys(byRegion)) {
		regions = append(regions, cloudflare.LoadBalancerRegionPoolArgs{
			Region:  pulumi.String(cr),
			PoolIds: poolList(byRegion[cr]),
		})
	}
	return regions, countries
}

// others returns 0..n-1 without skip.
func others(n, skip int) []int {
	var out []int
	for i := 0; i < n; i++ {
		if i != skip {
			out = append(out, i)
		}
	}
	return out
}

// randomSteering weights each region's pool for weighted routing. Cloudflare keys
// the weights by pool ID, known only once the pools exist. Cloudflare's
// random_steering weights are relative weights from 0 to 1 and default_weight is
// at most 1 in steps of 0.1 (Cloudflare API, load-balancing_random_steering), so
// the 0-255 Weights (Route 53's range) are divided by the largest one and kept
// to two decimals (resolveCloudflareWeights refuses a weight that would round to
// 0 without being 0).
func randomSteering(endpoints []Endpoint, pools map[string]*cloudflare.LoadBalancerPool) cloudflare.LoadBalancerRandomSteeringArgs {
	var ids []any
	weights := cloudflareWeights(endpoints)
	for _, e := range endpoints {
		ids = append(ids, pools[e.Region].ID())
	}
	byID := pulumi.All(ids...).ApplyT(func(v []any) map[string]float64 {
		out := make(map[string]float64, len(v))
		for i, id := range v {
			out[string(id.(pulumi.ID))] = weights[i]
		}
		return out
	}).(pulumi.Float64MapOutput)
	return cloudflare.LoadBalancerRandomSteeringArgs{
		// Every pool has a weight in PoolWeights; the default only applies to
		// pools added outside this component.
		DefaultWeight: pulumi.Float64(cloudflareMaxWeight),
		PoolWeights:   byID,
	}
}

// cloudflareMaxWeight is the largest Cloudflare random-steering weight.
const cloudflareMaxWeight = 1

// cloudflareWeights returns the endpoints' weights relative to the largest, in
// 0 to 1 with two decimals.
func cloudflareWeights(endpoints []Endpoint) []float64 {
	top := 0
	for _, e := range endpoints {
		top = max(top, weightOf(e))
	}
	out := make([]float64, len(endpoints))
	if top == 0 {
		return out
	}
	for i, e := range endpoints {
		out[i] = math.Round(float64(weightOf(e))*100/float64(top)) / 100 * cloudflareMaxWeight
	}
	return out
}
