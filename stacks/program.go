package stacks

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-cloudflare/sdk/v5/go/cloudflare"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/regionalstack"
)

// ManagedBy is the managed-by tag on every resource: the project's name.
const ManagedBy = Project

// Deployment is everything Build created, for tests and for exports.
type Deployment struct {
	Config *Config
	// Providers maps each region to its AWS provider ("aws-<region>").
	Providers map[string]*aws.Provider
	// Regions maps each region to its RegionalStack.
	Regions map[string]*regionalstack.RegionalStack
	// Database is the data layer across the regions.
	Database *globaldatabase.GlobalDatabase
	// DNS is the traffic layer.
	DNS *geodns.GeoDNS
	// Failover is the automatic regional failover (nil without multiregion:failover).
	Failover *failover.Failover
}

// Program is the Pulumi program: it loads and validates the stack config, builds
// the deployment and exports its outputs. main.go runs it with pulumi.Run.
func Program(ctx *pulumi.Context) error {
	cfg, err := FromContext(ctx)
	if err != nil {
		return err
	}
	password, err := databasePassword(ctx)
	if err != nil {
		return err
	}
	d, err := Build(ctx, cfg, password)
	if err != nil {
		return err
	}
	d.Export(ctx)
	return nil
}

// FromContext loads the stack config from the running Pulumi program. Besides the
// known keys it reads the engine's config (PULUMI_CONFIG) to catch misspelled keys.
func FromContext(ctx *pulumi.Context) (*Config, error) {
	raw := map[string]string{}
	var all map[string]string
	if env := os.Getenv("PULUMI_CONFIG"); env != "" {
		_ = json.Unmarshal([]byte(env), &all)
	}
	for k, v := range all {
		raw[k] = v
	}
	for _, k := range Keys() {
		if v, ok := ctx.GetConfig(Namespace + ":" + k); ok {
			raw[Namespace+":"+k] = v
		}
	}
	return Load(ctx.Stack(), raw)
}

// databasePassword returns the configured master password, or nil to generate one.
// A password in clear text config is refused.
func databasePassword(ctx *pulumi.Context) (pulumi.StringInput, error) {
	const key = Namespace + ":databasePassword"
	v, ok := ctx.GetConfig(key)
	if !ok {
		return nil, nil
	}
	if !ctx.IsConfigSecret(key) {
		return nil, problem("databasePassword", "is in clear text", "set it with `pulumi config set --secret databasePassword`, or remove it to generate one")
	}
	return pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput), nil
}

// Build composes the components for cfg: a provider and a RegionalStack per region
// (the passive regions in standby), the GlobalDatabase across them and GeoDNS in front.
func Build(ctx *pulumi.Context, cfg *Config, password pulumi.StringInput) (*Deployment, error) {
	d := &Deployment{
		Config:    cfg,
		Providers: map[string]*aws.Provider{},
		Regions:   map[string]*regionalstack.RegionalStack{},
	}
	ingress, err := cfg.originIngress(ctx)
	if err != nil {
		return nil, err
	}
	var dbRegions []globaldatabase.Region
	var endpoints []geodns.Endpoint
	for i, region := range cfg.Regions {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{
			Region: pulumi.String(region),
			DefaultTags: aws.ProviderDefaultTagsArgs{
				Tags: pulumi.ToStringMap(cfg.defaultTags(region)),
			},
		})
		if err != nil {
			return nil, fmt.Errorf("provider for %s: %w", region, err)
		}
		d.Providers[region] = p
		args := cfg.regionalArgs(i)
		args.IngressCIDRs = ingress
		args.CapacityManagedExternally = cfg.Failover != nil
		rs, err := regionalstack.New(ctx, cfg.regionalName(region), args, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		d.Regions[region] = rs
		dbRegions = append(dbRegions, globaldatabase.Region{
			Region:          region,
			Provider:        p,
			SubnetIDs:       rs.PrivateSubnetIDs,
			SecurityGroupID: rs.DatabaseSecurityGroupID,
			KMSKeyARN:       rs.KMSKeyARN,
		})
		endpoints = append(endpoints, geodns.Endpoint{
			Region:          region,
			DNSName:         rs.LoadBalancerDNSName,
			ZoneID:          rs.LoadBalancerZoneID,
			HealthCheckPath: rs.HealthCheckPath,
			Protocol:        rs.HealthCheckProtocol,
		})
	}
	db, err := globaldatabase.New(ctx, cfg.databaseName(), cfg.databaseArgs(dbRegions, password))
	if err != nil {
		return nil, err
	}
	d.Database = db
	var dnsOpts []pulumi.ResourceOption
	if cfg.DNS.Provider == geodns.BackendRoute53 {
		// Route 53 is global; its API is reached through the primary's provider.
		dnsOpts = append(dnsOpts, pulumi.Provider(d.Providers[cfg.Primary()]))
	}
	dns, err := geodns.New(ctx, cfg.dnsName(), cfg.dnsArgs(endpoints), dnsOpts...)
	if err != nil {
		return nil, err
	}
	d.DNS = dns
	if err := d.buildFailover(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Proxied reports whether users reach the load balancers only through
// Cloudflare's proxy: the Cloudflare backend with dns.proxied (default true).
func (c *Config) Proxied() bool {
	return c.DNS.Provider == geodns.BackendCloudflare && (c.DNS.Proxied == nil || *c.DNS.Proxied)
}

// originIngress returns the ranges allowed to reach the load balancers: nil (the
// internet) unless Cloudflare proxies them, then Cloudflare's published IPv4
// ranges, read through the Cloudflare provider (cloudflare.GetIpRanges), so that
// the origin cannot be reached around Cloudflare (issue 14 point 13). The load
// balancers are IPv4 only, so the IPv6 ranges are not needed. An empty answer is
// an error: the security group must never fall back to the whole internet.
func (c *Config) originIngress(ctx *pulumi.Context) ([]string, error) {
	if !c.Proxied() {
		return nil, nil
	}
	ranges, err := cloudflare.GetIpRanges(ctx)
	if err != nil {
		return nil, fmt.Errorf("cloudflare IP ranges for the load balancers' security groups (dns.proxied): %w", err)
	}
	if len(ranges.Ipv4CidrBlocks) == 0 {
		return nil, fmt.Errorf("cloudflare IP ranges: the provider returned no IPv4 range, so the load balancers could not be restricted to Cloudflare: retry, or set multiregion:dns.proxied to false")
	}
	return ranges.Ipv4CidrBlocks, nil
}

// Export exports the deployment's outputs as stack outputs.
func (d *Deployment) Export(ctx *pulumi.Context) {
	cfg := d.Config
	lbs, checks := pulumi.StringMap{}, pulumi.StringMap{}
	for region, rs := range d.Regions {
		lbs[region] = rs.LoadBalancerDNSName
		checks[region] = rs.HealthCheckURL
	}
	ctx.Export("topology", pulumi.String(cfg.Topology))
	ctx.Export("regions", pulumi.ToStringArray(cfg.Regions))
	ctx.Export("primaryRegion", pulumi.String(cfg.Primary()))
	ctx.Export("endpoints", lbs)
	ctx.Export("healthCheckUrls", checks)
	ctx.Export("dnsName", d.DNS.RecordFQDN)
	ctx.Export("databaseMode", d.Database.Mode)
	ctx.Export("databaseWriterEndpoint", d.Database.WriterEndpoint)
	ctx.Export("databaseReaderEndpoints", d.Database.ReaderEndpoints)
	ctx.Export("databaseSecretArn", d.Database.SecretARN)
	ctx.Export("dataRegions", pulumi.ToStringArray(d.Database.DataRegions))
	ctx.Export("databaseWriterRegion", pulumi.String(d.Database.WriterRegion)) // read by multiregion drill
	if cfg.Drill != nil {
		ctx.Export("drillFailRegion", pulumi.String(cfg.Drill.FailRegion))
	}
	d.exportFailover(ctx)
}

// defaultTags are the provider default tags of region.
func (c *Config) defaultTags(region string) map[string]string {
	tags := map[string]string{}
	for k, v := range c.Tags {
		tags[k] = v
	}
	tags["environment"] = c.Stack
	tags["region"] = region
	tags["managed-by"] = ManagedBy
	tags["cost-center"] = c.CostCenter
	if c.Residency != "" && c.Residency != "none" {
		tags["data-residency"] = c.Residency
	}
	return tags
}

func (c *Config) regionalName(region string) string { return c.Name + "-" + region }
func (c *Config) databaseName() string              { return c.Name + "-" + c.Stack }
func (c *Config) dnsName() string                   { return c.Name + "-dns" }

// regionalArgs returns the RegionalStack Args of region i.
func (c *Config) regionalArgs(i int) *regionalstack.Args {
	a := c.App
	region := c.Regions[i]
	dbPort := 0 // the component's default, PostgreSQL's port
	if c.Database.Engine == globaldatabase.EngineAuroraMySQL {
		dbPort = globaldatabase.MySQLPort
	}
	return &regionalstack.Args{
		Image:            a.Image,
		Region:           region,
		VPCCIDR:          c.vpcCIDR(i),
		AZCount:          c.Network.AZCount,
		NATStrategy:      c.Network.NATStrategy,
		CertificateARN:   a.CertificateARNs[region],
		HealthCheckPath:  a.HealthCheckPath,
		Port:             a.Port,
		CPU:              a.CPU,
		Memory:           a.Memory,
		Architecture:     a.Architecture,
		Environment:      a.Environment,
		DesiredCount:     a.DesiredCount,
		MinCount:         a.MinCount,
		MaxCount:         a.MaxCount,
		Standby:          c.Topology == TopologyActivePassive && i > 0,
		StandbyCount:     a.StandbyCount,
		CPUTargetPercent: a.CPUTargetPercent,
		LogRetentionDays: a.LogRetentionDays,
		DatabasePort:     dbPort,
	}
}

// databaseArgs returns the GlobalDatabase Args over regions (primary first).
func (c *Config) databaseArgs(regions []globaldatabase.Region, password pulumi.StringInput) *globaldatabase.Args {
	db := c.Database
	for i := range regions {
		regions[i].Region = c.Regions[i]
		if n, ok := db.RegionInstances[c.Regions[i]]; ok {
			n := n
			regions[i].Instances = &n
		}
	}
	return &globaldatabase.Args{
		Mode:                      db.Mode,
		Primary:                   regions[0],
		Secondaries:               regions[1:],
		Engine:                    db.Engine,
		EngineVersion:             db.EngineVersion,
		InstanceClass:             db.InstanceClass,
		AllocatedStorageGB:        db.AllocatedStorageGB,
		MaxAllocatedStorageGB:     db.MaxAllocatedStorageGB,
		MultiAZ:                   db.MultiAZ,
		PrimaryInstances:          db.PrimaryInstances,
		SecondaryInstances:        db.SecondaryInstances,
		WriteForwarding:           db.WriteForwarding,
		PromotedRegion:            db.PromotedRegion,
		DatabaseName:              db.DatabaseName,
		MasterPassword:            password,
		BackupRetentionDays:       db.BackupRetentionDays,
		DisableDeletionProtection: !*db.DeletionProtection,
		SkipFinalSnapshot:         db.SkipFinalSnapshot,
		Tags:                      c.Tags,
	}
}

// dnsArgs returns the GeoDNS Args over the regions' endpoints.
func (c *Config) dnsArgs(endpoints []geodns.Endpoint) *geodns.Args {
	d := c.DNS
	for i := range endpoints {
		endpoints[i].Region = c.Regions[i]
		if w, ok := d.Weights[c.Regions[i]]; ok {
			w := w
			endpoints[i].Weight = &w
		}
	}
	args := &geodns.Args{
		Domain:    d.Domain,
		Backend:   d.Provider,
		Routing:   d.Routing,
		Endpoints: endpoints,
		Geo:       d.Geo,
		Tags:      c.Tags,
	}
	switch d.Provider {
	case geodns.BackendRoute53:
		args.Route53 = geodns.Route53{
			ZoneID:           d.ZoneID,
			ZoneName:         d.ZoneName,
			CreateZone:       d.CreateZone,
			RequestInterval:  d.HealthCheckIntervalSeconds,
			FailureThreshold: d.FailureThreshold,
			MeasureLatency:   d.MeasureLatency,
		}
	case geodns.BackendCloudflare:
		args.Cloudflare = geodns.Cloudflare{
			AccountID:       d.CloudflareAccountID,
			ZoneID:          d.CloudflareZoneID,
			Proxied:         d.Proxied,
			MonitorInterval: d.HealthCheckIntervalSeconds,
		}
	}
	if c.Drill != nil {
		args.Drill = &geodns.Drill{FailRegion: c.Drill.FailRegion}
	}
	return args
}
