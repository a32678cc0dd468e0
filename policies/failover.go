package policies

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/multiregion/multiregion/internal/dbmodes"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

func failoverReadiness() *Policy {
	return &Policy{
		Name: "failover-readiness",
		Description: "A multi-region stack can actually fail over: a health check per serving region, DNS routing " +
			"that can take a region out, the database replicated to every serving region, and declared RPO/RTO " +
			"targets the database mode can meet: unattended (an ARC Region switch plan with a trigger, whose alarms' " +
			"detection plus the mode's RTO fits rtoSeconds) or, without one, with a person's response time added.",
		Level: constant(Advisory),
		Schema: map[string]any{
			"topology": map[string]any{"type": "string", "enum": []any{"single", "active-passive", "active-active"},
				"description": "default: the stack's multiregion:topology, else inferred"},
			"humanResponseSeconds": map[string]any{"type": "integer", "minimum": 0,
				"description": "without automatic failover, the seconds from the first alarm to a person starting the failover (default 900, an assumption: measure yours in a drill)"},
		},
		Stack: failoverStack,
	}
}

// DatabaseMode infers a deployment's database mode from its resources: the mode
// of globaldatabase that would build them ("" when there is no database).
func DatabaseMode(d *model.Deployment) string {
	mode := ""
	for _, r := range d.Resources {
		s := r.State()
		switch r.Type {
		case "aws:rds/globalCluster:GlobalCluster":
			return dbmodes.ModeAuroraGlobal
		case "aws:dynamodb/table:Table":
			if len(props.Array(s, "replicas")) > 0 {
				return dbmodes.ModeDynamoDBGlobal
			}
		case "aws:rds/instance:Instance":
			if crossRegionSource(r) != "" {
				mode = dbmodes.ModeRDSReplica
			} else if mode == "" {
				mode = dbmodes.ModeRDS
			}
		}
	}
	return mode
}

// DataRegions returns the regions holding a copy of the database, sorted.
func DataRegions(d *model.Deployment) []string {
	set := map[string]bool{}
	for _, r := range d.Resources {
		switch r.Type {
		case "aws:rds/instance:Instance", "aws:rds/cluster:Cluster":
			if r.Region != "" {
				set[r.Region] = true
			}
		case "aws:dynamodb/table:Table":
			if r.Region != "" {
				set[r.Region] = true
			}
			for _, rep := range props.Array(r.State(), "replicas") {
				if region := props.String(props.AsObject(rep), "regionName"); region != "" {
					set[region] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// failoverStack fails closed: a value it needs that cannot be read (a load
// balancer's region or DNS name, a health check's target, a record's health
// check, a replica's region, a declared target) is "cannot verify", never a pass.
func failoverStack(e *Env, d *model.Deployment) {
	// serving regions: where a load balancer takes traffic
	lbs := map[string]*model.Resource{} // DNS name -> load balancer
	serving := map[string]bool{}
	var unreadable []*model.Resource // load balancers whose DNS name cannot be read
	var unlocated []*model.Resource  // load balancers whose region cannot be read
	for _, r := range d.Resources {
		if r.Type != "aws:lb/loadBalancer:LoadBalancer" {
			continue
		}
		s := r.State()
		switch {
		case r.Region == "" || r.RegionUnknown != "":
			unlocated = append(unlocated, r)
		case props.IsUnknown(s, "dnsName") || props.String(s, "dnsName") == "":
			serving[r.Region] = true
			unreadable = append(unreadable, r)
		default:
			serving[r.Region] = true
			lbs[props.String(s, "dnsName")] = r
		}
	}
	topology := e.stringProp("topology")
	if topology == "" {
		topology = e.StackConfig("topology")
	}
	if topology == "" {
		topology = "single"
		if len(serving) > 1 {
			topology = "multi-region"
		}
	}
	if topology == "single" {
		return
	}
	for _, lb := range unlocated {
		e.CannotVerify(lb.URN, "load balancer %q: its region cannot be read, so the regions that serve traffic are unknown%s", lb.Name, because(lb.RegionUnknown))
	}
	for _, lb := range unreadable {
		e.CannotVerify(lb.URN, "load balancer %q in %s: its DNS name is not known, so no health check can be matched to it", lb.Name, lb.Region)
	}

	// a health check per serving region
	checked := map[*model.Resource]bool{}
	steering, steeringUnknown := false, false
	var unknownCheck bool
	cfPools := 0
	for _, r := range d.Resources {
		s := r.State()
		switch r.Type {
		case "aws:route53/healthCheck:HealthCheck":
			if props.IsUnknown(s, "fqdn") {
				unknownCheck = true
			}
			if lb := lbs[props.String(s, "fqdn")]; lb != nil {
				checked[lb] = true
			}
		case "cloudflare:index/loadBalancerPool:LoadBalancerPool":
			cfPools++
			if props.IsUnknown(s, "origins") {
				unknownCheck = true
			}
			for i, o := range props.Array(s, "origins") {
				if props.IsUnknown(s, fmt.Sprintf("origins[%d].address", i)) {
					unknownCheck = true
				}
				if lb := lbs[props.String(props.AsObject(o), "address")]; lb != nil {
					checked[lb] = true
				}
			}
		case "aws:route53/record:Record":
			for _, policy := range []string{"failoverRoutingPolicies", "latencyRoutingPolicies", "geolocationRoutingPolicies", "weightedRoutingPolicies"} {
				routed := len(props.Array(s, policy)) > 0
				switch {
				case props.IsUnknown(s, policy):
					steeringUnknown = true
				case routed && props.String(s, "healthCheckId") != "":
					steering = true
				case routed && props.IsUnknown(s, "healthCheckId"):
					steeringUnknown = true
				}
			}
		case "cloudflare:index/loadBalancer:LoadBalancer":
			switch {
			case len(props.Array(s, "defaultPoolIds")) > 1:
				steering = true
			case props.IsUnknown(s, "defaultPoolIds"):
				steeringUnknown = true
			}
		}
	}
	var list []*model.Resource
	for _, lb := range lbs {
		list = append(list, lb)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].URN < list[j].URN })
	for _, lb := range list {
		switch {
		case checked[lb]:
		case unknownCheck:
			e.CannotVerify(lb.URN, "load balancer %q in %s: health check targets are not known yet", lb.Name, lb.Region)
		default:
			e.Violate(lb.URN, "load balancer %q in %s has no DNS health check: an outage there would not take it out of DNS", lb.Name, lb.Region)
		}
	}
	switch {
	case steering:
	case steeringUnknown:
		e.CannotVerify("", "%s stack: the DNS records' routing policies or health checks are not known, so whether DNS can leave a region cannot be checked", topology)
	default:
		e.Violate("", "%s stack has no DNS routing that can leave a region: use failover, latency, geolocation or weighted records with health checks (or a Cloudflare load balancer with a pool per region)", topology)
	}

	// the database is replicated to every serving region
	data := map[string]bool{}
	for _, r := range DataRegions(d) {
		data[r] = true
	}

	var missing []string
	for _, region := range slices.Sorted(maps.Keys(serving)) {
		if !data[region] {
			missing = append(missing, region)
		}
	}
	var hidden []string
	if len(missing) > 0 {
		hidden = hiddenDataRegions(d)
	}
	switch {
	case len(missing) > 0 && len(hidden) > 0:
		e.CannotVerify("", "the database may have no copy in %s, which serve traffic: the regions of %s cannot be read", strings.Join(missing, ", "), strings.Join(hidden, ", "))
	case len(missing) > 0 && len(data) > 0:
		e.Violate("", "the database has no copy in %s, which serve traffic: after a failover the app there would have no local data (use rds-replica, aurora-global or dynamodb-global across every region)", strings.Join(missing, ", "))
	}

	// declared targets vs the database mode
	mode := DatabaseMode(d)
	if mode == "" {
		return
	}
	o, err := dbmodes.ObjectivesFor(mode)
	if err != nil {
		return
	}
	rpo, okRPO := seconds(e, "rpoSeconds")
	rto, okRTO := seconds(e, "rtoSeconds")
	if !okRPO || !okRTO {
		return
	}
	if err := o.Meets(time.Duration(rpo)*time.Second, time.Duration(rto)*time.Second); err != nil {
		e.Violate("", "declared targets (multiregion:rpoSeconds=%d, rtoSeconds=%d) cannot be met: %v", rpo, rto, err)
	} else {
		checkAutomaticFailover(e, d, mode, o.RTO, rto)
	}
	if mode == dbmodes.ModeRDS && len(serving) > 1 {
		e.Violate("", "the database (%s) lives in one region: losing it stops every region", mode)
	}
}

// seconds reads a declared target in whole seconds (0 when not declared). A
// value that is not a non-negative number is reported, never read as "none".
func seconds(e *Env, key string) (int, bool) {
	raw := e.StackConfig(key)
	if raw == "" {
		return 0, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		e.Violate("", "multiregion:%s=%q is not a whole number of seconds >= 0, so the declared target cannot be checked: set a number such as 60", key, raw)
		return 0, false
	}
	return n, true
}

// hiddenDataRegions names the database resources whose region (or a
// replica's region) cannot be read.
func hiddenDataRegions(d *model.Deployment) []string {
	var out []string
	for _, r := range d.Resources {
		switch r.Type {
		case "aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:dynamodb/table:Table":
		default:
			continue
		}
		if r.Region == "" || r.RegionUnknown != "" {
			out = append(out, fmt.Sprintf("%s %q", kind(r), r.Name))
			continue
		}
		s := r.State()
		unknown := props.IsUnknown(s, "replicas")
		for i := range props.Array(s, "replicas") {
			unknown = unknown || props.IsUnknown(s, fmt.Sprintf("replicas[%d].regionName", i))
		}
		if unknown {
			out = append(out, fmt.Sprintf("the replicas of %s %q", kind(r), r.Name))
		}
	}
	return out
}

// because renders a reason as ": reason", or "".
func because(why string) string {
	if why == "" {
		return ""
	}
	return ": " + why
}
