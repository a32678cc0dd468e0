package policies

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/policies/model"
)

// latencyTarget is the advisory latency-target policy: per-location RTT
// targets, checked against the latency model of the stack's own config.
func latencyTarget() *Policy {
	return &Policy{
		Name: "latency-target",
		Description: "Users in each location with a target are served within it: the estimated median round trip " +
			"(internal/latency, CloudPing region-pair medians, last mile excluded) from the location to the region " +
			"the stack's DNS routing sends them to.",
		Level: constant(Advisory),
		Schema: map[string]any{
			"targetsMs": map[string]any{
				"type":                 "object",
				"description":          "location code (continent or country, as in multiregion:users) -> highest acceptable RTT in ms",
				"additionalProperties": map[string]any{"type": "number", "minimum": 0},
			},
		},
		Stack: latencyTargetStack,
	}
}

func latencyTargetStack(e *Env, d *model.Deployment) {
	targets, _ := e.Props["targetsMs"].(map[string]any)
	if len(targets) == 0 {
		return // nothing to enforce
	}
	data, err := latency.Load()
	if err != nil {
		e.CannotVerify("", "the latency data: %v", err)
		return
	}
	s, err := latency.FromConfig(d.Stack.Name, e.Stack.Config)
	if err != nil {
		e.CannotVerify("", "the stack config: %v", err)
		return
	}
	down := map[string]bool{}
	if s.FailRegion != "" {
		down[s.FailRegion] = true
	}
	for _, code := range slices.Sorted(maps.Keys(targets)) {
		target, ok := targets[code].(float64)
		if !ok || target < 0 {
			e.Violate("", "targetsMs.%s: %v is not a number of milliseconds >= 0: fix the policy config", code, targets[code])
			continue
		}
		loc, ok := data.Location(code)
		if !ok {
			e.Violate("", "targetsMs.%s: unknown location: use one of %s", code, strings.Join(data.Codes(), ", "))
			continue
		}
		// The location's users split between anchors (and, weighted, regions):
		// every group must be within the target. Groups over it are reported
		// per serving region, with their share and the range of estimates.
		type over struct {
			share      float64
			lo, hi     float64
			loAt, hiAt string
		}
		byRegion := map[string]*over{}
		for _, a := range loc.Anchors {
			serving, err := latency.Route(s, data, loc, a.Region, down)
			if err != nil {
				e.CannotVerify("", "%s: %v", code, err)
				continue
			}
			if len(serving) == 0 {
				e.Violate("", "%s: no healthy region serves users near %s (target %.0f ms)", code, a.Region, target)
				continue
			}
			for _, rs := range serving {
				rtt, err := data.RTT(a.Region, rs.Region)
				if err != nil {
					e.CannotVerify("", "%s: users near %s are served by %s: %v", code, a.Region, rs.Region, err)
					continue
				}
				if rtt <= target {
					continue
				}
				o := byRegion[rs.Region]
				if o == nil {
					o = &over{lo: rtt, hi: rtt, loAt: a.Region, hiAt: a.Region}
					byRegion[rs.Region] = o
				}
				o.share += a.Weight * rs.Share
				if rtt < o.lo {
					o.lo, o.loAt = rtt, a.Region
				}
				if rtt > o.hi {
					o.hi, o.hiAt = rtt, a.Region
				}
			}
		}
		for _, region := range slices.Sorted(maps.Keys(byRegion)) {
			o := byRegion[region]
			estimate := fmt.Sprintf("an estimated %.0f ms", o.hi)
			if o.hiAt != o.loAt {
				estimate = fmt.Sprintf("an estimated %.0f ms (users near %s) to %.0f ms (near %s)", o.lo, o.loAt, o.hi, o.hiAt)
			}
			e.Violate("", "%s: %s of %s's users are served by %s at %s, above the %.0f ms target: add a region near them with latency or geolocation routing, or relax the target",
				code, share(o.share), code, region, estimate, target)
		}
	}
}

func share(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
