package geodns

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
)

// route53 builds the hosted zone (or finds it), a health check per region
// (except for simple routing, whose one record has no health check) and the
// records of the routing mode.
func (b *builder) route53() error {
	cfg := b.cfg
	zoneID, err := b.zone()
	if err != nil {
		return err
	}
	checks := map[string]*route53.HealthCheck{}
	b.g.Records = map[string]*route53.Record{}
	checkIDs := pulumi.StringMap{}
	// Simple routing has one record and nothing to route around: a health check
	// no record uses would only be billed (issue 14 point 12).
	checked := cfg.Endpoints
	if cfg.Routing == RoutingSimple {
		checked = nil
	}
	for _, e := range checked {
		name := b.child("health", e.Region)
		hc, err := route53.NewHealthCheck(b.ctx, name, &route53.HealthCheckArgs{
			Type:             pulumi.String(e.Protocol),
			Fqdn:             e.DNSName,
			Port:             pulumi.Int(e.Port),
			ResourcePath:     pulumi.String(e.HealthCheckPath),
			RequestInterval:  pulumi.Int(cfg.Route53.RequestInterval),
			FailureThreshold: pulumi.Int(cfg.Route53.FailureThreshold),
			Regions:          pulumi.ToStringArray(cfg.Route53.CheckerRegions),
			MeasureLatency:   pulumi.Bool(cfg.Route53.MeasureLatency),
			EnableSni:        pulumi.Bool(e.Protocol == "HTTPS"),
			// The drill lever: an inverted check reports the healthy region as
			// unhealthy, so DNS fails over exactly as in a real outage.
			InvertHealthcheck: pulumi.Bool(cfg.failed(e.Region)),
			Tags:              naming.Tags(cfg.Tags, name),
		}, pulumi.Parent(b.g))
		if err != nil {
			return fmt.Errorf("health check for %s: %w", e.Region, err)
		}
		checks[e.Region] = hc
		checkIDs[e.Region] = hc.ID().ToStringOutput()
	}

	for _, rec := range b.records() {
		e := cfg.Endpoints[rec.endpoint]
		args := &route53.RecordArgs{
			ZoneId: zoneID,
			Name:   pulumi.String(cfg.Domain),
			Type:   pulumi.String("A"),
			Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{
				Name:                 e.DNSName,
				ZoneId:               e.ZoneID,
				EvaluateTargetHealth: pulumi.Bool(true),
			}},
		}
		if cfg.Routing != RoutingSimple {
			args.SetIdentifier = pulumi.String(rec.setID)
			args.HealthCheckId = checks[e.Region].ID()
		}
		switch cfg.Routing {
		case RoutingFailover:
			kind := "SECONDARY"
			if e.Role == RolePrimary {
				kind = "PRIMARY"
			}
			args.FailoverRoutingPolicies = route53.RecordFailoverRoutingPolicyArray{
				route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String(kind)}}
		case RoutingLatency:
			args.LatencyRoutingPolicies = route53.RecordLatencyRoutingPolicyArray{
				route53.RecordLatencyRoutingPolicyArgs{Region: pulumi.String(e.Region)}}
		case RoutingWeighted:
			args.WeightedRoutingPolicies = route53.RecordWeightedRoutingPolicyArray{
				route53.RecordWeightedRoutingPolicyArgs{Weight: pulumi.Int(weightOf(e))}}
		case RoutingGeolocation:
			args.GeolocationRoutingPolicies = route53.RecordGeolocationRoutingPolicyArray{geolocation(rec.location)}
		}
		r, err := route53.NewRecord(b.ctx, b.child("record", rec.setID), args,
			pulumi.Parent(b.g),
			// Routing changes replace records; Route 53 refuses a second record with
			// the same name, type and set identifier, so delete first (pitfall 6).
			pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return fmt.Errorf("record %s: %w", rec.setID, err)
		}
		b.g.Records[rec.setID] = r
	}
	b.g.HealthChecks = checks
	b.g.ZoneID = zoneID
	b.g.RecordFQDN = pulumi.String(cfg.Domain).ToStringOutput()
	b.g.HealthCheckIDs = checkIDs.ToStringMapOutput()
	return nil
}

// zone returns the hosted zone ID: given, created, or looked up by name.
func (b *builder) zone() (pulumi.StringOutput, error) {
	r := b.cfg.Route53
	switch {
	case r.ZoneID != "":
		return pulumi.String(r.ZoneID).ToStringOutput(), nil
	case r.CreateZone:
		name := b.child("zone")
		z, err := route53.NewZone(b.ctx, name, &route53.ZoneArgs{
			Name:    pulumi.String(r.ZoneName),
			Comment: pulumi.Sprintf("multiregion %s", b.name),
			Tags:    naming.Tags(b.cfg.Tags, name),
		}, pulumi.Parent(b.g), pulumi.Protect(true))
		if err != nil {
			return pulumi.StringOutput{}, fmt.Errorf("hosted zone %s: %w", r.ZoneName, err)
		}
		b.g.Zone = z
		return z.ZoneId, nil
	}
	private := false
	z, err := route53.LookupZone(b.ctx, &route53.LookupZoneArgs{Name: &r.ZoneName, PrivateZone: &private}, pulumi.Parent(b.g))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("look up hosted zone %q (set Route53.ZoneID, or CreateZone to create it): %w", r.ZoneName, err)
	}
	return pulumi.String(z.ZoneId).ToStringOutput(), nil
}

// record is one DNS record to create.
type record struct {
	endpoint int      // index into Endpoints
	setID    string   // stable set identifier: the region, plus the location for geolocation
	location location // geolocation routing only
}

// records lists the records of the routing mode, one per region (per location
// for geolocation). Set identifiers depend only on region and location, so a
// routing change never renames a region's record; a location keeps the set
// identifier it had before Geo keys took prefixes (location.setID).
func (b *builder) records() []record {
	cfg := b.cfg
	index := map[string]int{}
	for i, e := range cfg.Endpoints {
		index[e.Region] = i
	}
	if cfg.Routing != RoutingGeolocation {
		out := make([]record, len(cfg.Endpoints))
		for i, e := range cfg.Endpoints {
			out[i] = record{endpoint: i, setID: e.Region}
		}
		return out
	}
	var out []record
	for _, loc := range cfg.locations {
		region := cfg.Geo[loc.key]
		out = append(out, record{endpoint: index[region], setID: region + "-" + loc.setID(), location: loc})
	}
	return out
}

// geolocation converts a Geo location to Route 53's routing policy.
func geolocation(loc location) route53.RecordGeolocationRoutingPolicyArgs {
	switch loc.kind {
	case kindDefault:
		return route53.RecordGeolocationRoutingPolicyArgs{Country: pulumi.String("*")}
	case kindContinent:
		return route53.RecordGeolocationRoutingPolicyArgs{Continent: pulumi.String(loc.code)}
	case kindSubdivision:
		country, sub, _ := strings.Cut(loc.code, "-")
		return route53.RecordGeolocationRoutingPolicyArgs{Country: pulumi.String(country), Subdivision: pulumi.String(sub)}
	}
	return route53.RecordGeolocationRoutingPolicyArgs{Country: pulumi.String(loc.code)}
}
