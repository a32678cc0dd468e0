package latency_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/latency"
)

func TestRouteEveryModeAndFailure(t *testing.T) {
	t.Parallel()
	d := load(t)
	use1, euw1, euc1 := "us-east-1", "eu-west-1", "eu-central-1"
	two := []string{use1, euw1}
	one := func(r string) []latency.RegionShare { return []latency.RegionShare{{Region: r, Share: 1}} }
	for _, tc := range []struct {
		name   string
		stack  latency.Stack
		loc    string // location code; its first anchor is used
		anchor string // "" = the location's first anchor
		down   []string
		want   []latency.RegionShare
	}{
		{"simple", latency.Stack{Regions: []string{use1}, Routing: "simple"}, "DE", "", nil, one(use1)},
		{"simple, region down: nobody", latency.Stack{Regions: []string{use1}, Routing: "simple"}, "DE", "", []string{use1}, nil},
		{"failover: primary", latency.Stack{Regions: two, Routing: "failover"}, "DE", "", nil, one(use1)},
		{"failover: primary down -> secondary", latency.Stack{Regions: two, Routing: "failover"}, "DE", "", []string{use1}, one(euw1)},
		{"failover: both down", latency.Stack{Regions: two, Routing: "failover"}, "DE", "", []string{use1, euw1}, nil},
		{"failover, cloudflare, 3 pools: next in order", latency.Stack{Regions: []string{use1, euc1, euw1}, Routing: "failover", Provider: "cloudflare"}, "US", use1, []string{use1}, one(euc1)},
		{"latency: nearest", latency.Stack{Regions: two, Routing: "latency"}, "GB", "", nil, one(euw1)},
		{"latency: nearest down -> next nearest", latency.Stack{Regions: two, Routing: "latency"}, "GB", "", []string{euw1}, one(use1)},
		{"latency: from the US", latency.Stack{Regions: two, Routing: "latency"}, "US", "us-west-1", nil, one(use1)},
		{"geo route53: continent entry", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"EU": euw1, "*": use1}}, "DE", "", nil, one(euw1)},
		{"geo route53: continent down -> default", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"EU": euw1, "*": use1}}, "DE", "", []string{euw1}, one(use1)},
		{"geo route53: all matching down: nobody", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"EU": euw1, "*": use1}}, "DE", "", []string{euw1, use1}, nil},
		{"geo route53: default only, down: nobody", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"EU": euw1, "*": use1}}, "US", "", []string{use1}, nil},
		{"geo route53: country beats continent", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"DE": use1, "EU": euw1, "*": use1}}, "DE", "", nil, one(use1)},
		{"geo route53: country down -> continent", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"DE": use1, "EU": euw1, "*": use1}}, "DE", "", []string{use1}, one(euw1)},
		{"geo route53: continent users ignore country entries", latency.Stack{Regions: two, Routing: "geolocation", Provider: "route53", Geo: map[string]string{"DE": use1, "EU": euw1, "*": use1}}, "EU", "", nil, one(euw1)},
		{"geo cloudflare: mapped pool", latency.Stack{Regions: []string{euc1, euw1}, Routing: "geolocation", Provider: "cloudflare", Geo: map[string]string{"EU": euw1, "*": euw1}}, "DE", "", nil, one(euw1)},
		{"geo cloudflare: mapped down -> others in order", latency.Stack{Regions: []string{euc1, euw1}, Routing: "geolocation", Provider: "cloudflare", Geo: map[string]string{"EU": euw1, "*": euw1}}, "DE", "", []string{euw1}, one(euc1)},
		{"geo cloudflare: no match -> default pools, primary first", latency.Stack{Regions: []string{euc1, euw1}, Routing: "geolocation", Provider: "cloudflare", Geo: map[string]string{"EU": euw1, "*": euw1}}, "US", "", nil, one(euc1)},
		{"geo cloudflare: everything down: nobody", latency.Stack{Regions: []string{euc1, euw1}, Routing: "geolocation", Provider: "cloudflare", Geo: map[string]string{"EU": euw1, "*": euw1}}, "DE", "", []string{euc1, euw1}, nil},
		{"weighted: by weight", latency.Stack{Regions: two, Routing: "weighted", Weights: map[string]int{use1: 3, euw1: 1}}, "DE", "", nil,
			[]latency.RegionShare{{Region: use1, Share: 0.75}, {Region: euw1, Share: 0.25}}},
		{"weighted: unlisted weight is 1", latency.Stack{Regions: two, Routing: "weighted", Weights: map[string]int{use1: 3}}, "DE", "", nil,
			[]latency.RegionShare{{Region: use1, Share: 0.75}, {Region: euw1, Share: 0.25}}},
		{"weighted: one down -> the rest", latency.Stack{Regions: two, Routing: "weighted", Weights: map[string]int{use1: 3, euw1: 1}}, "DE", "", []string{use1}, one(euw1)},
		{"weighted: zero weight idle", latency.Stack{Regions: two, Routing: "weighted", Weights: map[string]int{use1: 1, euw1: 0}}, "DE", "", nil, one(use1)},
		{"weighted: zero weight takes over when positives are down", latency.Stack{Regions: two, Routing: "weighted", Weights: map[string]int{use1: 1, euw1: 0}}, "DE", "", []string{use1}, one(euw1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc, ok := d.Location(tc.loc)
			require.True(t, ok)
			anchor := tc.anchor
			if anchor == "" {
				anchor = loc.Anchors[0].Region
			}
			down := map[string]bool{}
			for _, r := range tc.down {
				down[r] = true
			}
			got, err := latency.Route(tc.stack, d, loc, anchor, down)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRouteCannotPredictWithoutData(t *testing.T) {
	t.Parallel()
	d := load(t)
	loc, ok := d.Location("JP")
	require.True(t, ok, "JP is a location")
	_, err := latency.Route(latency.Stack{Regions: []string{"ap-northeast-1", "ap-east-2"}, Routing: "latency"}, d, loc, "ap-northeast-1", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ap-east-2")
	_, err = latency.Route(latency.Stack{Regions: []string{"ap-northeast-1"}, Routing: "roundrobin"}, d, loc, "ap-northeast-1", nil)
	assert.ErrorContains(t, err, "not modelled")
}

// The arithmetic on a hand-computed example. Data (region-pair means, 0.1 ms):
// eu-central-1 self 4.0, ap-southeast-1 self 3.6, eu-west-2<->eu-central-1 17.8,
// eu-west-2<->ap-southeast-1 172.5, ap-southeast-1<->eu-central-1 160.9.
// Users DE 0.5, GB 0.3, SG 0.2; regions eu-central-1 (primary), ap-southeast-1; latency routing.
//
//	as routed:    SG 3.6 (0.2), DE 4.0 (0.5), GB 17.8 (0.3)   -> median 4.0 (cum 0.7), p95 17.8
//	primary only: DE 4.0 (0.5), GB 17.8 (0.3), SG 160.9 (0.2) -> median 4.0 (cum 0.5), p95 160.9
//	primary down: SG 3.6 (0.2), DE 160.9 (0.5), GB 172.5 (0.3) -> median 160.9 (cum 0.7), p95 172.5
//	writes, aurora-global + forwarding: SG's app writes to eu-central-1, +160.9 ms;
//	user-weighted mean 0.2 x 160.9 = 32.2 ms
func TestEvaluateArithmetic(t *testing.T) {
	t.Parallel()
	d := load(t)
	s := latency.Stack{Name: "x", Topology: "active-active", Regions: []string{"eu-central-1", "ap-southeast-1"},
		Provider: "route53", Routing: "latency", DatabaseMode: "aurora-global", WriteForwarding: true, Residency: "none",
		Users: map[string]float64{"DE": 0.5, "GB": 0.3, "SG": 0.2}}
	rep, err := latency.Evaluate(s, d, latency.Premium{MonthlyUSD: 100, Known: true})
	require.NoError(t, err)
	f := func(v float64) *float64 { return &v }
	assert.Equal(t, latency.Scenario{MedianMs: f(4.0), P95Ms: f(17.8), Coverage: 1}, rep.Normal)
	assert.Equal(t, latency.Scenario{MedianMs: f(4.0), P95Ms: f(160.9), Coverage: 1}, rep.Baseline)
	assert.Equal(t, latency.Scenario{MedianMs: f(160.9), P95Ms: f(172.5), Coverage: 1}, rep.PrimaryDown)
	require.Len(t, rep.Locations, 3)
	assert.Equal(t, "DE", rep.Locations[0].Code, "largest share first")
	sg := rep.Locations[2]
	assert.Equal(t, "SG", sg.Code)
	assert.Equal(t, f(3.6), sg.RTTMs)
	assert.Equal(t, f(160.9), sg.BaselineMs)
	assert.Equal(t, "ap-southeast-1", sg.Serving[0].Region)
	de := rep.Locations[0]
	assert.Equal(t, "ap-southeast-1", de.PrimaryDown[0].Region, "DE moves to the surviving region")
	assert.Equal(t, f(160.9), de.PrimaryDownMs)
	assert.Equal(t, f(32.2), rep.Writes.UserAddedMs)
	require.Len(t, rep.Writes.Regions, 2)
	assert.Equal(t, latency.RegionWrite{Region: "ap-southeast-1", WritesTo: "eu-central-1", AddedMs: f(160.9)}, rep.Writes.Regions[1])
	assert.Contains(t, rep.Verdict, "SG 161->4 ms")
	assert.False(t, rep.Warning)
}

func TestEvaluateVerdicts(t *testing.T) {
	t.Parallel()
	d := load(t)
	near := latency.Stack{Name: "eu", Topology: "active-passive", Regions: []string{"eu-central-1", "eu-west-1"},
		Provider: "route53", Routing: "failover", DatabaseMode: "rds-replica", Residency: "none",
		Users: map[string]float64{"DE": 1}}
	rep, err := latency.Evaluate(near, d, latency.Premium{MonthlyUSD: 300, Known: true})
	require.NoError(t, err)
	assert.True(t, rep.Warning, rep.Verdict)
	assert.Contains(t, rep.Verdict, "WARNING: the premium of $300.00/month buys little")
	assert.Contains(t, rep.Verdict, "single with a CDN for static assets")

	// Each reason to keep the second region silences the warning.
	withResidency := near
	withResidency.Residency = "eu"
	withTargets := near
	withTargets.RPOSeconds = 60
	far := near
	far.Users = map[string]float64{"DE": 0.5, "US": 0.5}
	for name, s := range map[string]latency.Stack{"residency": withResidency, "rpo target": withTargets, "users far away": far} {
		rep, err := latency.Evaluate(s, d, latency.Premium{})
		require.NoError(t, err, name)
		assert.False(t, rep.Warning, "%s: %s", name, rep.Verdict)
		assert.Contains(t, rep.Verdict, "the multi-region premium buys RPO ~1m/RTO ~30m", name)
	}
	// A target a single region meets does not.
	weak := near
	weak.RPOSeconds, weak.RTOSeconds = 86400, 86400
	rep, err = latency.Evaluate(weak, d, latency.Premium{})
	require.NoError(t, err)
	assert.True(t, rep.Warning)

	single := latency.Stack{Name: "dev", Topology: "single", Regions: []string{"us-east-1"}, Routing: "simple",
		DatabaseMode: "rds", Users: map[string]float64{"US": 0.5, "EU": 0.5}}
	rep, err = latency.Evaluate(single, d, latency.Premium{})
	require.NoError(t, err)
	assert.False(t, rep.Warning)
	assert.Contains(t, rep.Verdict, "single region: no multi-region premium")
	assert.Contains(t, rep.Verdict, "more than 50 ms from us-east-1")
	assert.Equal(t, 1.0, rep.PrimaryDown.Unserved, "one region down: nobody served")
	assert.Nil(t, rep.PrimaryDown.MedianMs)

	none := single
	none.Users = nil
	rep, err = latency.Evaluate(none, d, latency.Premium{})
	require.NoError(t, err)
	assert.True(t, rep.NeedsUsers)
	assert.Contains(t, rep.Verdict, "needs multiregion:users")

	bad := single
	bad.Users = map[string]float64{"XX": 1}
	_, err = latency.Evaluate(bad, d, latency.Premium{})
	assert.ErrorContains(t, err, "XX")
}

func TestEvaluateMissingDataAndDrill(t *testing.T) {
	t.Parallel()
	d := load(t)
	s := latency.Stack{Name: "apac", Topology: "active-active", Regions: []string{"ap-northeast-1", "ap-southeast-1"},
		Provider: "route53", Routing: "latency", DatabaseMode: "dynamodb-global", Residency: "none",
		Users: map[string]float64{"JP": 0.7, "TW": 0.3}, FailRegion: "ap-northeast-1"}
	rep, err := latency.Evaluate(s, d, latency.Premium{})
	require.NoError(t, err)
	assert.InDelta(t, 0.7, rep.Normal.Coverage, 1e-9, "TW has no estimate")
	require.NotEmpty(t, rep.Notes)
	assert.Contains(t, rep.Notes[0], "drill forces ap-northeast-1 unhealthy")
	assert.Contains(t, rep.Notes[1], "TW (30% of users) has no complete estimate")
	assert.Equal(t, "ap-southeast-1", rep.Locations[0].Serving[0].Region, "the drill moves JP")
	assert.Nil(t, rep.Locations[1].RTTMs)
}

func TestEvaluateNotesContinentUsersMissCountryEntries(t *testing.T) {
	t.Parallel()
	d := load(t)
	s := latency.Stack{Name: "eu", Topology: "active-active", Regions: []string{"eu-central-1", "eu-west-1"},
		Provider: "route53", Routing: "geolocation", DatabaseMode: "dynamodb-global", Residency: "none",
		Geo:   map[string]string{"EU": "eu-central-1", "GB": "eu-west-1", "IE": "eu-west-1", "*": "eu-central-1"},
		Users: map[string]float64{"EU": 0.8, "GB": 0.2}}
	rep, err := latency.Evaluate(s, d, latency.Premium{})
	require.NoError(t, err)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "entries for IE are not applied", "GB is given separately; IE is not")
	assert.Equal(t, "eu-west-1", rep.Locations[1].Serving[0].Region, "GB users follow their country entry")
	assert.Contains(t, rep.Writes.AfterPrimaryLoss, "keep writing locally")
}
