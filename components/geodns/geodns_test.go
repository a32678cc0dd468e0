package geodns_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/mockengine"
)

const (
	tRecord  = "aws:route53/record:Record"
	tHealth  = "aws:route53/healthCheck:HealthCheck"
	tZone    = "aws:route53/zone:Zone"
	tMonitor = "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor"
	tPool    = "cloudflare:index/loadBalancerPool:LoadBalancerPool"
	tLB      = "cloudflare:index/loadBalancer:LoadBalancer"
)

func lbDNS(region string) string { return "app-" + region + ".elb.example" }

func endpoints(regions ...string) []geodns.Endpoint {
	var out []geodns.Endpoint
	for _, r := range regions {
		out = append(out, geodns.Endpoint{
			Region:  r,
			DNSName: pulumi.String(lbDNS(r)),
			ZoneID:  pulumi.String(mockengine.ALBZoneID(r)),
		})
	}
	return out
}

func run(t *testing.T, args *geodns.Args) (*mockengine.Recorder, *geodns.GeoDNS, error) {
	t.Helper()
	var g *geodns.GeoDNS
	rec, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		g, err = geodns.New(ctx, "dns", args, pulumi.Provider(p))
		return err
	})
	return rec, g, err
}

// healthIDByRegion maps each region to its health check's ID.
func healthIDByRegion(t *testing.T, rec *mockengine.Recorder) map[string]string {
	out := map[string]string{}
	for _, hc := range rec.ByType(tHealth) {
		for _, r := range []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"} {
			if props.String(hc.Inputs, "fqdn") == lbDNS(r) {
				out[r] = hc.ID
			}
		}
	}
	return out
}

func setIDs(rec *mockengine.Recorder) []string {
	var ids []string
	for _, r := range rec.ByType(tRecord) {
		ids = append(ids, props.String(r.Inputs, "setIdentifier"))
	}
	sort.Strings(ids)
	return ids
}

func TestRoute53Simple(t *testing.T) {
	t.Parallel()
	rec, g, err := run(t, &geodns.Args{Domain: "app.example.com", Endpoints: endpoints("us-east-1"),
		Route53: geodns.Route53{ZoneID: "Z123"}})
	require.NoError(t, err)
	assert.Equal(t, geodns.RoutingSimple, g.Routing)
	recs := rec.ByType(tRecord)
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, "Z123", props.String(r.Inputs, "zoneId"))
	assert.Equal(t, "app.example.com", props.String(r.Inputs, "name"))
	assert.Equal(t, "A", props.String(r.Inputs, "type"))
	assert.Empty(t, props.String(r.Inputs, "setIdentifier"))
	assert.Empty(t, props.String(r.Inputs, "healthCheckId"))
	assert.Equal(t, lbDNS("us-east-1"), props.String(r.Inputs, "aliases[0].name"))
	assert.Equal(t, mockengine.ALBZoneID("us-east-1"), props.String(r.Inputs, "aliases[0].zoneId"))
	eval, _ := props.Bool(r.Inputs, "aliases[0].evaluateTargetHealth")
	assert.True(t, eval)
	assert.Empty(t, rec.ByType(tHealth), "issue 14 point 12: no health check that no record uses")
	assert.Empty(t, healthIDByRegion(t, rec))
	assert.Empty(t, rec.ByType(tZone))
}

func TestRoute53Failover(t *testing.T) {
	t.Parallel()
	rec, g, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingFailover,
		Endpoints: endpoints("us-east-1", "us-west-2")})
	require.NoError(t, err)
	checks := healthIDByRegion(t, rec)
	require.Len(t, checks, 2)
	kinds := map[string]string{}
	for _, r := range rec.ByType(tRecord) {
		set := props.String(r.Inputs, "setIdentifier")
		kinds[set] = props.String(r.Inputs, "failoverRoutingPolicies[0].type")
		assert.Equal(t, checks[set], props.String(r.Inputs, "healthCheckId"), "record %s has its region's check", set)
		assert.Equal(t, lbDNS(set), props.String(r.Inputs, "aliases[0].name"))
		assert.True(t, r.DeleteBeforeReplace, "routing changes delete before they create (pitfall 6)")
	}
	assert.Equal(t, map[string]string{"us-east-1": "PRIMARY", "us-west-2": "SECONDARY"}, kinds)
	assert.Equal(t, "us-east-1", g.PrimaryRegion)
	// zone looked up from the domain's parent
	assert.Empty(t, rec.ByType(tZone))
	for _, r := range rec.ByType(tRecord) {
		assert.Contains(t, props.String(r.Inputs, "zoneId"), "MOCK")
	}
}

func TestRoute53FailoverExplicitRoles(t *testing.T) {
	t.Parallel()
	eps := endpoints("us-east-1", "us-west-2")
	eps[0].Role, eps[1].Role = geodns.RoleSecondary, geodns.RolePrimary
	rec, g, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingFailover, Endpoints: eps})
	require.NoError(t, err)
	assert.Equal(t, "us-west-2", g.PrimaryRegion)
	require.Len(t, rec.ByType(tRecord), 2)
	for _, r := range rec.ByType(tRecord) {
		want := map[string]string{"us-east-1": "SECONDARY", "us-west-2": "PRIMARY"}[props.String(r.Inputs, "setIdentifier")]
		assert.Equal(t, want, props.String(r.Inputs, "failoverRoutingPolicies[0].type"))
	}
}

func TestRoute53Latency(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingLatency,
		Endpoints: endpoints("us-east-1", "eu-west-1", "ap-southeast-1")})
	require.NoError(t, err)
	checks := healthIDByRegion(t, rec)
	require.Len(t, rec.ByType(tRecord), 3)
	for _, r := range rec.ByType(tRecord) {
		set := props.String(r.Inputs, "setIdentifier")
		assert.Equal(t, set, props.String(r.Inputs, "latencyRoutingPolicies[0].region"))
		assert.Equal(t, checks[set], props.String(r.Inputs, "healthCheckId"))
		assert.Empty(t, props.Array(r.Inputs, "failoverRoutingPolicies"))
	}
	assert.Equal(t, []string{"ap-southeast-1", "eu-west-1", "us-east-1"}, setIDs(rec))
}

func TestSetIdentifiersAreStableAcrossRouting(t *testing.T) {
	t.Parallel()
	var prev []string
	var prevNames []string
	for _, routing := range []string{geodns.RoutingFailover, geodns.RoutingLatency, geodns.RoutingWeighted} {
		rec, _, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: routing, Endpoints: endpoints("us-east-1", "us-west-2")})
		require.NoError(t, err)
		ids := setIDs(rec)
		require.Len(t, ids, 2, routing)
		var names []string
		for _, r := range rec.ByType(tRecord) {
			names = append(names, r.Name)
		}
		if prev != nil {
			assert.Equal(t, prev, ids, routing)
			assert.Equal(t, prevNames, names, "%s: logical names stay, so a routing change is an in-place replace", routing)
		}
		prev, prevNames = ids, names
	}
}

func TestRoute53Geolocation(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation,
		Endpoints: endpoints("us-east-1", "eu-west-1"),
		Geo:       map[string]string{"EU": "eu-west-1", "GB": "eu-west-1", "US-CA": "us-east-1", "*": "us-east-1"}})
	require.NoError(t, err)
	checks := healthIDByRegion(t, rec)
	type geo struct{ continent, country, subdivision string }
	got := map[string]geo{}
	for _, r := range rec.ByType(tRecord) {
		set := props.String(r.Inputs, "setIdentifier")
		got[set] = geo{
			props.String(r.Inputs, "geolocationRoutingPolicies[0].continent"),
			props.String(r.Inputs, "geolocationRoutingPolicies[0].country"),
			props.String(r.Inputs, "geolocationRoutingPolicies[0].subdivision"),
		}
		region := lbRegion(props.String(r.Inputs, "aliases[0].name"))
		assert.Equal(t, checks[region], props.String(r.Inputs, "healthCheckId"), set)
	}
	assert.Equal(t, map[string]geo{
		"eu-west-1-eu":      {continent: "EU"},
		"eu-west-1-gb":      {country: "GB"},
		"us-east-1-us-ca":   {country: "US", subdivision: "CA"},
		"us-east-1-default": {country: "*"},
	}, got)
}

func lbRegion(dns string) string {
	for _, r := range []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"} {
		if dns == lbDNS(r) {
			return r
		}
	}
	return ""
}

func TestRoute53Weighted(t *testing.T) {
	t.Parallel()
	eps := endpoints("us-east-1", "us-west-2")
	w90, w10 := 90, 10
	eps[0].Weight, eps[1].Weight = &w90, &w10
	rec, _, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingWeighted, Endpoints: eps})
	require.NoError(t, err)
	got := map[string]float64{}
	for _, r := range rec.ByType(tRecord) {
		got[props.String(r.Inputs, "setIdentifier")], _ = props.Number(r.Inputs, "weightedRoutingPolicies[0].weight")
	}
	assert.Equal(t, map[string]float64{"us-east-1": 90, "us-west-2": 10}, got)
}

func TestRoute53HealthChecks(t *testing.T) {
	t.Parallel()
	eps := endpoints("us-east-1", "us-west-2")
	eps[1].Protocol, eps[1].HealthCheckPath = "HTTP", "/ready"
	rec, _, err := run(t, &geodns.Args{Domain: "app.example.com", Endpoints: eps,
		Route53: geodns.Route53{CreateZone: true, ZoneName: "example.com", RequestInterval: 10, FailureThreshold: 2, MeasureLatency: true},
		Tags:    map[string]string{"team": "edge"}})
	require.NoError(t, err)
	require.Len(t, rec.ByType(tZone), 1)
	zone := rec.ByType(tZone)[0]
	assert.Equal(t, "example.com", props.String(zone.Inputs, "name"))
	assert.True(t, zone.Protect, "a created hosted zone is protected")
	require.Len(t, rec.ByType(tHealth), 2, "one health check per endpoint")
	for _, hc := range rec.ByType(tHealth) {
		region := lbRegion(props.String(hc.Inputs, "fqdn"))
		assert.GreaterOrEqual(t, len(props.Strings(hc.Inputs, "regions")), 3, "Route 53 needs >= 3 checker regions")
		interval, _ := props.Number(hc.Inputs, "requestInterval")
		threshold, _ := props.Number(hc.Inputs, "failureThreshold")
		assert.Equal(t, 10.0, interval)
		assert.Equal(t, 2.0, threshold)
		latency, _ := props.Bool(hc.Inputs, "measureLatency")
		assert.True(t, latency)
		inverted, _ := props.Bool(hc.Inputs, "invertHealthcheck")
		assert.False(t, inverted)
		assert.Equal(t, "edge", props.String(hc.Inputs, "tags.team"))
		port, _ := props.Number(hc.Inputs, "port")
		if region == "us-west-2" {
			assert.Equal(t, "HTTP", props.String(hc.Inputs, "type"))
			assert.Equal(t, "/ready", props.String(hc.Inputs, "resourcePath"))
			assert.Equal(t, 80.0, port)
		} else {
			assert.Equal(t, "HTTPS", props.String(hc.Inputs, "type"))
			assert.Equal(t, "/healthz", props.String(hc.Inputs, "resourcePath"))
			assert.Equal(t, 443.0, port)
		}
	}
	ids := make(chan map[string]string, 1)
	_, err = mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		g, err := geodns.New(ctx, "dns", &geodns.Args{Domain: "app.example.com", Endpoints: endpoints("us-east-1", "us-west-2"),
			Route53: geodns.Route53{ZoneID: "Z1"}})
		if err != nil {
			return err
		}
		g.HealthCheckIDs.ApplyT(func(m map[string]string) error { ids <- m; return nil })
		return nil
	})
	require.NoError(t, err)
	m := <-ids
	assert.Len(t, m, 2)
	assert.NotEmpty(t, m["us-west-2"])
}

func TestDrillInvertsExactlyOneHealthCheck(t *testing.T) {
	t.Parallel()
	for _, routing := range []string{geodns.RoutingFailover, geodns.RoutingLatency} {
		rec, g, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: routing,
			Endpoints: endpoints("us-east-1", "us-west-2"), Drill: &geodns.Drill{FailRegion: "us-east-1"}})
		require.NoError(t, err)
		assert.Equal(t, "us-east-1", g.FailedRegion)
		inverted := map[string]bool{}
		for _, hc := range rec.ByType(tHealth) {
			v, _ := props.Bool(hc.Inputs, "invertHealthcheck")
			inverted[lbRegion(props.String(hc.Inputs, "fqdn"))] = v
			disabled, _ := props.Bool(hc.Inputs, "disabled")
			assert.False(t, disabled, "a disabled check reads healthy: never the drill lever")
		}
		assert.Equal(t, map[string]bool{"us-east-1": true, "us-west-2": false}, inverted, routing)
		assert.Len(t, rec.ByType(tRecord), 2, "records are unchanged by a drill")
	}
}

func cloudflareArgs(routing string, regions ...string) *geodns.Args {
	return &geodns.Args{
		Domain: "app.example.eu", Backend: geodns.BackendCloudflare, Routing: routing,
		Endpoints:  endpoints(regions...),
		Cloudflare: geodns.Cloudflare{AccountID: "acct123", ZoneID: "zone123"},
	}
}

// pools returns the Cloudflare pools by region (origin name).
func pools(rec *mockengine.Recorder) map[string]*mockengine.Resource {
	out := map[string]*mockengine.Resource{}
	for _, p := range rec.ByType(tPool) {
		out[props.String(p.Inputs, "origins[0].name")] = p
	}
	return out
}

func TestCloudflareFailover(t *testing.T) {
	t.Parallel()
	rec, g, err := run(t, cloudflareArgs(geodns.RoutingFailover, "eu-central-1", "eu-west-1"))
	require.NoError(t, err)
	require.Len(t, rec.ByType(tMonitor), 1)
	require.Len(t, rec.ByType(tLB), 1)
	mon := rec.ByType(tMonitor)[0]
	assert.Equal(t, "https", props.String(mon.Inputs, "type"))
	assert.Equal(t, "/healthz", props.String(mon.Inputs, "path"))
	assert.Equal(t, "2xx", props.String(mon.Inputs, "expectedCodes"))
	assert.Equal(t, "acct123", props.String(mon.Inputs, "accountId"))
	assert.Equal(t, "app.example.eu", props.String(mon.Inputs, "headers[0].values[0]"))

	ps := pools(rec)
	require.Len(t, ps, 2)
	for region, p := range ps {
		assert.Equal(t, lbDNS(region), props.String(p.Inputs, "origins[0].address"))
		assert.Equal(t, mon.ID, props.String(p.Inputs, "monitor"))
		assert.Equal(t, []string{"WEU"}, props.Strings(p.Inputs, "checkRegions"), "explicit check regions (pitfall 8)")
		enabled, _ := props.Bool(p.Inputs, "enabled")
		assert.True(t, enabled)
	}
	lb := rec.ByType(tLB)[0]
	assert.Equal(t, "off", props.String(lb.Inputs, "steeringPolicy"))
	assert.Equal(t, []string{ps["eu-central-1"].ID, ps["eu-west-1"].ID}, props.Strings(lb.Inputs, "defaultPoolIds"), "primary first")
	assert.Equal(t, ps["eu-central-1"].ID, props.String(lb.Inputs, "fallbackPoolId"))
	proxied, _ := props.Bool(lb.Inputs, "proxied")
	assert.True(t, proxied)
	assert.Empty(t, props.Array(lb.Inputs, "popPools"), "no Enterprise-only pop pools by default")
	assert.Equal(t, "zone123", props.String(lb.Inputs, "zoneId"))
	assert.Empty(t, rec.ByType(tRecord), "no Route 53 records on the Cloudflare backend")
	assert.Equal(t, geodns.BackendCloudflare, g.Backend)
}

func TestCloudflareGeoSteering(t *testing.T) {
	t.Parallel()
	args := cloudflareArgs(geodns.RoutingGeolocation, "eu-central-1", "eu-west-1")
	args.Geo = map[string]string{"EU": "eu-central-1", "IE": "eu-west-1", "GB": "eu-west-1", "*": "eu-central-1"}
	rec, _, err := run(t, args)
	require.NoError(t, err)
	ps := pools(rec)
	lb := rec.ByType(tLB)[0]
	assert.Equal(t, "geo", props.String(lb.Inputs, "steeringPolicy"))
	regions := map[string][]string{}
	for _, rp := range props.Array(lb.Inputs, "regionPools") {
		regions[props.String(rp.ObjectValue(), "region")] = props.Strings(rp.ObjectValue(), "poolIds")
	}
	central, west := ps["eu-central-1"].ID, ps["eu-west-1"].ID
	assert.Equal(t, map[string][]string{"WEU": {central, west}, "EEU": {central, west}}, regions,
		"mapped pool first, then the others in failover order")
	countries := map[string][]string{}
	for _, cp := range props.Array(lb.Inputs, "countryPools") {
		countries[props.String(cp.ObjectValue(), "country")] = props.Strings(cp.ObjectValue(), "poolIds")
	}
	assert.Equal(t, map[string][]string{"IE": {west, central}, "GB": {west, central}}, countries)
}

func TestCloudflareSteeringPerRouting(t *testing.T) {
	t.Parallel()
	for routing, want := range map[string]string{
		geodns.RoutingLatency:  "dynamic_latency",
		geodns.RoutingWeighted: "random",
		geodns.RoutingFailover: "off",
	} {
		rec, _, err := run(t, cloudflareArgs(routing, "us-east-1", "us-west-2"))
		require.NoError(t, err, routing)
		lb := rec.ByType(tLB)[0]
		assert.Equal(t, want, props.String(lb.Inputs, "steeringPolicy"), routing)
		ps := pools(rec)
		assert.Equal(t, []string{"ENAM"}, props.Strings(ps["us-east-1"].Inputs, "checkRegions"))
		assert.Equal(t, []string{"WNAM"}, props.Strings(ps["us-west-2"].Inputs, "checkRegions"))
		if routing == geodns.RoutingWeighted {
			w, ok := props.Number(lb.Inputs, "randomSteerings[0].poolWeights."+ps["us-west-2"].ID)
			assert.True(t, ok)
			assert.Equal(t, 1.0, w)
		}
	}
}

func TestCloudflareDrillDisablesExactlyOnePool(t *testing.T) {
	t.Parallel()
	args := cloudflareArgs(geodns.RoutingFailover, "eu-central-1", "eu-west-1")
	args.Drill = &geodns.Drill{FailRegion: "eu-central-1"}
	rec, _, err := run(t, args)
	require.NoError(t, err)
	enabled := map[string]bool{}
	for region, p := range pools(rec) {
		enabled[region], _ = props.Bool(p.Inputs, "enabled")
	}
	assert.Equal(t, map[string]bool{"eu-central-1": false, "eu-west-1": true}, enabled)
}

func TestCloudflareUnproxiedHasTTLAndPopPoolsWhenAsked(t *testing.T) {
	t.Parallel()
	args := cloudflareArgs(geodns.RoutingFailover, "eu-central-1", "eu-west-1")
	off := false
	args.Cloudflare.Proxied = &off
	args.Cloudflare.PopPools = map[string]string{"FRA": "eu-central-1"}
	args.Cloudflare.FallbackRegion = "eu-west-1"
	rec, _, err := run(t, args)
	require.NoError(t, err)
	lb := rec.ByType(tLB)[0]
	ttl, _ := props.Number(lb.Inputs, "ttl")
	assert.Equal(t, 30.0, ttl)
	assert.Equal(t, "FRA", props.String(lb.Inputs, "popPools[0].pop"))
	assert.Equal(t, pools(rec)["eu-west-1"].ID, props.String(lb.Inputs, "fallbackPoolId"))
}

func TestValidation(t *testing.T) {
	t.Parallel()
	two := endpoints("us-east-1", "us-west-2")
	three := endpoints("us-east-1", "us-west-2", "eu-west-1")
	twoPrimaries := endpoints("us-east-1", "us-west-2")
	twoPrimaries[0].Role, twoPrimaries[1].Role = geodns.RolePrimary, geodns.RolePrimary
	noZone := endpoints("us-east-1")
	noZone[0].ZoneID = nil
	cases := []struct {
		name string
		args *geodns.Args
		want string
	}{
		{"nil", nil, "Args: is nil"},
		{"domain", &geodns.Args{Domain: "not a domain", Endpoints: endpoints("us-east-1")}, `Domain: "not a domain" is not a DNS name`},
		{"no endpoints", &geodns.Args{Domain: "app.example.com"}, "Endpoints: is empty"},
		{"backend", &geodns.Args{Domain: "app.example.com", Backend: "ns1", Endpoints: two}, `Backend: unknown value "ns1"`},
		{"routing", &geodns.Args{Domain: "app.example.com", Routing: "anycast", Endpoints: two}, `Routing: unknown value "anycast"`},
		{"simple with two", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingSimple, Endpoints: two}, `"simple" routes to one region but 2 endpoints`},
		{"two primaries", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingFailover, Endpoints: twoPrimaries}, "exactly one endpoint with Role \"primary\", found 2"},
		{"route53 failover three", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingFailover, Endpoints: three}, "takes one primary and one secondary, got 3"},
		{"geo without default", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation, Endpoints: two,
			Geo: map[string]string{"EU": "us-west-2"}}, `Geo: has no default "*" entry`},
		{"geo unknown region", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation, Endpoints: two,
			Geo: map[string]string{"*": "us-east-1", "EU": "eu-west-1"}}, `Geo: "EU" maps to "eu-west-1", which is not in Endpoints`},
		{"geo bad location", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation, Endpoints: two,
			Geo: map[string]string{"*": "us-east-1", "Europe": "us-west-2"}}, `Geo: "Europe" is not a location`},
		{"geo without geolocation", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingLatency, Endpoints: two,
			Geo: map[string]string{"*": "us-east-1"}}, `Geo: is only used with routing "geolocation"`},
		{"drill region", &geodns.Args{Domain: "app.example.com", Endpoints: two, Drill: &geodns.Drill{FailRegion: "eu-west-1"}}, `Drill.FailRegion: "eu-west-1" is not in Endpoints`},
		{"drill simple", &geodns.Args{Domain: "app.example.com", Endpoints: endpoints("us-east-1"), Drill: &geodns.Drill{FailRegion: "us-east-1"}}, "simple routing has one region"},
		{"cloudflare ids", &geodns.Args{Domain: "app.example.com", Backend: geodns.BackendCloudflare, Endpoints: two}, "Cloudflare.AccountID: is required"},
		{"cloudflare zone", &geodns.Args{Domain: "app.example.com", Backend: geodns.BackendCloudflare, Endpoints: two,
			Cloudflare: geodns.Cloudflare{AccountID: "a"}}, "Cloudflare.ZoneID: is required"},
		{"cloudflare subdivision", &geodns.Args{Domain: "app.example.com", Backend: geodns.BackendCloudflare, Routing: geodns.RoutingGeolocation,
			Endpoints: two, Geo: map[string]string{"*": "us-east-1", "US-CA": "us-west-2"}, Cloudflare: geodns.Cloudflare{AccountID: "a", ZoneID: "z"}}, `"US-CA" is a subdivision`},
		{"checker regions", &geodns.Args{Domain: "app.example.com", Endpoints: two, Route53: geodns.Route53{CheckerRegions: []string{"us-east-1", "eu-west-1"}}}, "needs at least 3 health checker regions"},
		{"checker region name", &geodns.Args{Domain: "app.example.com", Endpoints: two, Route53: geodns.Route53{CheckerRegions: []string{"us-east-1", "eu-west-1", "eu-central-1"}}}, `"eu-central-1" has no Route 53 health checkers`},
		{"interval", &geodns.Args{Domain: "app.example.com", Endpoints: two, Route53: geodns.Route53{RequestInterval: 15}}, "Route53.RequestInterval: 15"},
		{"zone both", &geodns.Args{Domain: "app.example.com", Endpoints: two, Route53: geodns.Route53{ZoneID: "Z1", CreateZone: true}}, "only one of ZoneID and ZoneName/CreateZone"},
		{"zone mismatch", &geodns.Args{Domain: "app.example.com", Endpoints: two, Route53: geodns.Route53{ZoneName: "other.org"}}, `"other.org" does not contain the domain`},
		{"zone id for alias", &geodns.Args{Domain: "app.example.com", Endpoints: noZone}, "Endpoints[0].ZoneID: is required"},
		{"weights zero", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingWeighted, Endpoints: func() []geodns.Endpoint {
			e := endpoints("us-east-1", "us-west-2")
			z := 0
			e[0].Weight, e[1].Weight = &z, &z
			return e
		}()}, "every Weight is 0"},
		{"duplicate region", &geodns.Args{Domain: "app.example.com", Endpoints: endpoints("us-east-1", "us-east-1")}, `"us-east-1" is listed twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, _, err := run(t, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), `geodns "dns"`)
			assert.Len(t, rec.Resources(), 1, "only the test's provider: %v", fmt.Sprint(len(rec.Resources())))
		})
	}
}
