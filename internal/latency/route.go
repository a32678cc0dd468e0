package latency

import (
	"fmt"
	"sort"
)

// RegionShare is a region serving part of a location's users.
type RegionShare struct {
	Region string  `json:"region"`
	Share  float64 `json:"share"`
}

// Route returns the regions that serve users next to anchor in location loc
// under the stack's DNS routing while the regions in down are unhealthy, with
// the share of those users each takes. An empty result means no healthy region
// serves them (an outage for them). It errs when the routing depends on a
// latency the data does not have.
//
// How each mode chooses (and its sources):
//   - simple: the one region.
//   - failover (Route 53 PRIMARY/SECONDARY; Cloudflare steering "off", pools in
//     order): the first healthy region in stack order, primary first.
//   - latency (Route 53 latency records; Cloudflare "dynamic_latency"): the
//     healthy region with the lowest RTT from the anchor.
//   - geolocation, Route 53: the most specific matching record (country, then
//     continent, then "*"); an unhealthy one falls back to the next larger area.
//     When every matching record is unhealthy Route 53 answers with an
//     unhealthy one anyway ("if no record is healthy, all records are
//     considered healthy"), which serves nobody.
//     https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
//   - geolocation, Cloudflare ("geo" steering, components/geodns geoPools): the
//     mapped region's pool first, then the others in failover order; users
//     matching no country or continent get the default pools, primary first
//     (the "*" entry is served by the default pools).
//   - weighted (Route 53 weighted; Cloudflare "random"): the healthy regions
//     with positive weight, in proportion; if none, the healthy zero-weight ones
//     (Route 53 considers zero-weight records only when every positive one is
//     unhealthy, same page as above).
func Route(s Stack, d *Data, loc Location, anchor string, down map[string]bool) ([]RegionShare, error) {
	up := func(r string) bool { return !down[r] }
	first := func(order []string) []RegionShare {
		for _, r := range order {
			if up(r) {
				return []RegionShare{{r, 1}}
			}
		}
		return nil
	}
	switch s.Routing {
	case RoutingSimple:
		return first(s.Regions[:1]), nil
	case RoutingFailover:
		return first(s.Regions), nil
	case RoutingLatency:
		best, bestMs := "", 0.0
		for _, r := range s.Regions {
			if !up(r) {
				continue
			}
			ms, err := d.RTT(anchor, r)
			if err != nil {
				return nil, fmt.Errorf("latency routing from %s's users cannot be predicted: %w", loc.Code, err)
			}
			if best == "" || ms < bestMs {
				best, bestMs = r, ms
			}
		}
		if best == "" {
			return nil, nil
		}
		return []RegionShare{{best, 1}}, nil
	case RoutingGeolocation:
		return routeGeo(s, loc, up), nil
	case RoutingWeighted:
		return routeWeighted(s, up), nil
	}
	return nil, fmt.Errorf("routing %q is not modelled: use simple, failover, latency, geolocation or weighted", s.Routing)
}

// geoMatches lists the Geo entries that match a location, most specific first
// (country, continent, default). A continent location matches only its
// continent entry: country entries apply to users given by country code.
func geoMatches(s Stack, loc Location) []string {
	var keys []string
	if loc.Kind == "country" {
		keys = append(keys, loc.Code)
	}
	keys = append(keys, loc.Continent)
	var out []string
	for _, k := range keys {
		if r, ok := s.Geo[k]; ok {
			out = append(out, r)
		}
	}
	return out
}

func routeGeo(s Stack, loc Location, up func(string) bool) []RegionShare {
	matches := geoMatches(s, loc)
	if s.Provider == ProviderCloudflare {
		// The mapped pool first, then the others in failover order; no match:
		// the default pools, primary first.
		order := s.Regions
		if len(matches) > 0 {
			order = []string{matches[0]}
			for _, r := range s.Regions {
				if r != matches[0] {
					order = append(order, r)
				}
			}
		}
		for _, r := range order {
			if up(r) {
				return []RegionShare{{r, 1}}
			}
		}
		return nil
	}
	if def, ok := s.Geo[DefaultLocation]; ok {
		matches = append(matches, def)
	}
	for _, r := range matches {
		if up(r) {
			return []RegionShare{{r, 1}}
		}
	}
	return nil
}

func routeWeighted(s Stack, up func(string) bool) []RegionShare {
	weight := func(r string) int {
		if w, ok := s.Weights[r]; ok {
			return w
		}
		return 1
	}
	var out []RegionShare
	total := 0.0
	for _, r := range s.Regions {
		if up(r) && weight(r) > 0 {
			out = append(out, RegionShare{r, float64(weight(r))})
			total += float64(weight(r))
		}
	}
	if len(out) == 0 {
		for _, r := range s.Regions {
			if up(r) {
				out = append(out, RegionShare{r, 1})
				total++
			}
		}
	}
	for i := range out {
		out[i].Share /= total
	}
	return out
}

// unrouted is a point's region when the routing cannot be predicted (a
// latency the data lacks); "" is a point no healthy region serves.
const unrouted = "?"

// point is one group of users: a location's anchor served by one region.
type point struct {
	location, anchor, region string
	weight                   float64
	ms                       float64
	known                    bool
	why                      string
}

// percentile returns the weighted p-th percentile (0 < p <= 1) of the known
// points: the smallest RTT whose cumulative weight reaches p of the known
// weight. ok is false without known points.
func percentile(points []point, p float64) (float64, bool) {
	var known []point
	total := 0.0
	for _, pt := range points {
		if pt.known && pt.region != "" {
			known = append(known, pt)
			total += pt.weight
		}
	}
	if total == 0 {
		return 0, false
	}
	sort.SliceStable(known, func(i, j int) bool { return known[i].ms < known[j].ms })
	cum := 0.0
	for _, pt := range known {
		cum += pt.weight
		// a small tolerance, so 0.1+0.2+... reaching p is not missed by rounding
		if cum >= p*total-1e-9 {
			return pt.ms, true
		}
	}
	return known[len(known)-1].ms, true
}
