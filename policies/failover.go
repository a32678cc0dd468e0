package policies

import (
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
			"targets the database mode can meet.",
		Level: constant(Advisory),
		Schema: map[string]any{
			"topology": map[string]any{"type": "string", "description": "default: the stack's multiregion:topology, else inferred"},
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

func failoverStack(e *Env, d *model.Deployment) {
	// serving regions: where a load balancer takes traffic
	lbs := map[string]*model.Resource{} // DNS name -> load balancer
	serving := map[string]bool{}
	for _, r := range d.Resources {
		if r.Type == "aws:lb/loadBalancer:LoadBalancer" && r.Region != "" {
			serving[r.Region] = true
			lbs[props.String(r.State(), "dnsName")] = r
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

	// a health check per serving region
	checked := map[*model.Resource]bool{}
	steering := false
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
			for _, o := range props.Array(s, "origins") {
				if lb := lbs[props.String(props.AsObject(o), "address")]; lb != nil {
					checked[lb] = true
				}
			}
		case "aws:route53/record:Record":
			for _, policy := range []string{"failoverRoutingPolicies", "latencyRoutingPolicies", "geolocationRoutingPolicies", "weightedRoutingPolicies"} {
				if len(props.Array(s, policy)) > 0 && (props.String(s, "healthCheckId") != "" || props.IsUnknown(s, "healthCheckId")) {
					steering = true
				}
			}
		case "cloudflare:index/loadBalancer:LoadBalancer":
			if len(props.Array(s, "defaultPoolIds")) > 1 {
				steering = true
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
	if !steering {
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
	if len(missing) > 0 && len(data) > 0 {
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
	rpo, _ := strconv.Atoi(e.StackConfig("rpoSeconds"))
	rto, _ := strconv.Atoi(e.StackConfig("rtoSeconds"))
	if err := o.Meets(time.Duration(rpo)*time.Second, time.Duration(rto)*time.Second); err != nil {
		e.Violate("", "declared targets (multiregion:rpoSeconds=%d, rtoSeconds=%d) cannot be met: %v", rpo, rto, err)
	}
	if mode == dbmodes.ModeRDS && len(serving) > 1 {
		e.Violate("", "the database (%s) lives in one region: losing it stops every region", mode)
	}
}
