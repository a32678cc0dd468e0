// Package geodns steers users to regions with DNS: Route 53 records (simple,
// failover, latency, geolocation or weighted) aliased to each region's load
// balancer with a health check per region, or a Cloudflare load balancer with a
// monitor and a pool per region. An unhealthy region is taken out automatically.
//
// Failover drills are built in: Args.Drill fails one region in DNS (Route 53
// inverts its health check, Cloudflare disables its pool) without touching the
// region; removing the drill restores normal routing.
package geodns

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-cloudflare/sdk/v5/go/cloudflare"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "multiregion:index:GeoDNS"

// GeoDNS is the traffic layer in front of the regions.
type GeoDNS struct {
	pulumi.ResourceState

	// RecordFQDN is the name users resolve.
	RecordFQDN pulumi.StringOutput `pulumi:"recordFqdn"`
	// ZoneID is the Route 53 hosted zone or the Cloudflare zone.
	ZoneID pulumi.StringOutput `pulumi:"zoneId"`
	// HealthCheckIDs maps each region to its Route 53 health check (Route 53
	// routing other than simple; empty otherwise).
	HealthCheckIDs pulumi.StringMapOutput `pulumi:"healthCheckIds"`
	// LoadBalancerID is the Cloudflare load balancer (Cloudflare only).
	LoadBalancerID pulumi.StringOutput `pulumi:"loadBalancerId"`
	// PoolIDs maps each region to its Cloudflare pool (Cloudflare only).
	PoolIDs pulumi.StringMapOutput `pulumi:"poolIds"`
	// MonitorID is the Cloudflare monitor (Cloudflare only).
	MonitorID pulumi.StringOutput `pulumi:"monitorId"`

	// Backend, Routing: the resolved backend and routing mode.
	Backend, Routing string
	// Regions are the endpoint regions, in the order given.
	Regions []string
	// PrimaryRegion is the failover primary (the first endpoint unless roles say otherwise).
	PrimaryRegion string
	// FailedRegion is the region a drill takes out of DNS ("" without a drill).
	FailedRegion string

	// The child resources, for attaching what the component does not build
	// (alarms on health checks, extra records, notification policies), as
	// pulumi-awsx returns its children. Go handles only, not registered
	// outputs. The Route 53 fields are set with Backend "route53", the
	// Cloudflare ones with "cloudflare"; maps are keyed by region and nil
	// for the other backend.

	// Records are the Route 53 alias records, keyed by set identifier: the
	// region, or "<region>-<location>" for geolocation routing.
	Records map[string]*route53.Record
	// HealthChecks are the Route 53 health checks per region (none with
	// simple routing, which has nothing to route around). Their CloudWatch
	// metrics are in us-east-1, whatever the region checked.
	HealthChecks map[string]*route53.HealthCheck
	// Zone is the hosted zone when Route53.CreateZone made it (nil when it
	// was given or looked up).
	Zone *route53.Zone
	// Monitor is the Cloudflare health monitor the pools share.
	Monitor *cloudflare.LoadBalancerMonitor
	// Pools are the Cloudflare pools per region.
	Pools map[string]*cloudflare.LoadBalancerPool
	// LoadBalancer is the Cloudflare load balancer on Domain.
	LoadBalancer *cloudflare.LoadBalancer
}

// New builds a GeoDNS named name. For Route 53, pass any AWS provider in opts (Route 53
// is global); for Cloudflare, the Cloudflare provider (or use the default one).
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*GeoDNS, error) {
	cfg, err := resolve(name, args)
	if err != nil {
		return nil, err
	}
	g := &GeoDNS{Backend: cfg.Backend, Routing: cfg.Routing, PrimaryRegion: cfg.Endpoints[cfg.primary].Region}
	for _, e := range cfg.Endpoints {
		g.Regions = append(g.Regions, e.Region)
	}
	if cfg.Drill != nil {
		g.FailedRegion = cfg.Drill.FailRegion
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, g, opts...); err != nil {
		return nil, fmt.Errorf("geodns %q: register component: %w", name, err)
	}
	empty := pulumi.String("").ToStringOutput()
	g.HealthCheckIDs = pulumi.StringMap{}.ToStringMapOutput()
	g.PoolIDs = pulumi.StringMap{}.ToStringMapOutput()
	g.LoadBalancerID, g.MonitorID = empty, empty
	b := &builder{ctx: ctx, name: name, cfg: cfg, g: g}
	switch cfg.Backend {
	case BackendRoute53:
		err = b.route53()
	case BackendCloudflare:
		err = b.cloudflare()
	}
	if err != nil {
		return nil, fmt.Errorf("geodns %q (%s %s): %w", name, cfg.Backend, cfg.Routing, err)
	}
	if err := ctx.RegisterResourceOutputs(g, pulumi.Map{
		"recordFqdn":     g.RecordFQDN,
		"zoneId":         g.ZoneID,
		"healthCheckIds": g.HealthCheckIDs,
		"loadBalancerId": g.LoadBalancerID,
		"poolIds":        g.PoolIDs,
		"monitorId":      g.MonitorID,
	}); err != nil {
		return nil, fmt.Errorf("geodns %q: register outputs: %w", name, err)
	}
	return g, nil
}

// builder holds what the child constructors share.
type builder struct {
	ctx  *pulumi.Context
	name string
	cfg  *resolved
	g    *GeoDNS
}

func (b *builder) child(role string, parts ...string) string {
	return naming.Child(b.name, role, parts...)
}
