package stacks

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/validation"
)

// Failover is multiregion:failover: automatic regional failover of an
// active-passive stack on ARC Region switch (components/failover). Absent, the
// stack has no plan: DNS still fails over by itself, the database and the
// standby's scale do not.
type Failover struct {
	// Automatic runs the plan when the standby's probe has failed
	// ConsecutiveFailures periods in a row; false keeps the plan and the probe
	// for a human to run (the way to turn automation off).
	Automatic bool `json:"automatic"`
	// ConsecutiveFailures before the alarm fires (default 3).
	ConsecutiveFailures int `json:"consecutiveFailures,omitempty"`
	// PeriodSeconds of the probe (default 60, whole minutes).
	PeriodSeconds int `json:"periodSeconds,omitempty"`
	// AllowDataLoss lets an Aurora failover lose the writes not yet replicated
	// (required with automatic for aurora-global).
	AllowDataLoss bool `json:"allowDataLoss,omitempty"`
}

// failoverName is the Failover component's (and the plan's) name.
func (c *Config) failoverName() string { return c.databaseName() + "-failover" }

// failoverFields maps the Failover Args fields to the config keys that set them.
var failoverFields = []fieldKey{
	{"ConsecutiveFailures", "failover.consecutiveFailures"}, {"PeriodSeconds", "failover.periodSeconds"},
	{"AllowDataLoss", "failover.allowDataLoss"}, {"Automatic", "failover.automatic"},
	{"StandbyDatabaseInstances", "database.secondaryInstances"}, {"DatabaseMode", "database.mode"},
	{"name", "name"}, {"Tags", "tags"}, {"Primary", "regions"}, {"Standby", "regions"},
}

// validateFailover checks multiregion:failover: the topology it needs, then the
// component's own validation of the Args this config produces.
func (c *Config) validateFailover(reported map[string]bool) []*validation.Error {
	if c.Failover == nil {
		return nil
	}
	key := Namespace + ":failover"
	switch {
	case c.Topology == TopologySingle || c.Database.Mode == globaldatabase.ModeRDS:
		return []*validation.Error{problem("failover", "a single-region stack (database mode rds) has no region to fail over to, so automatic failover cannot be built", fmt.Sprintf("remove %s, or use topology active-passive with a second region", key))}
	case c.Topology != TopologyActivePassive:
		return []*validation.Error{problem("failover", fmt.Sprintf("failover plans are active-passive, and in topology %s every region already serves (DNS takes a failed region out)", c.Topology), "remove "+key)}
	case len(c.Regions) != 2:
		return []*validation.Error{problem("failover", fmt.Sprintf("an ARC Region switch plan switches between exactly two regions (AWS::ARCRegionSwitch::Plan Regions: 2 items), this stack has %d", len(c.Regions)), fmt.Sprintf("list two regions or remove %s", key))}
	}
	if reported["name"] || reported["database.mode"] {
		// The plan's names and steps derive from these: their problems were
		// reported already, and the plan's own would only repeat them.
		return nil
	}
	placeholder := pulumi.String("validate")
	side := func(region string) failover.Region {
		return failover.Region{Region: region, Provider: &aws.Provider{}, ClusterName: placeholder, ServiceName: placeholder,
			HealthCheckURL: placeholder, DatabaseClusterID: placeholder}
	}
	args := c.failoverArgs(side(c.Regions[0]), side(c.Regions[1]))
	var errs []*validation.Error
	for _, fe := range validation.All(failover.Validate(c.failoverName(), args)) {
		if fe.Key == "RecoveryTimeObjectiveMinutes" {
			// the plan takes rtoSeconds in whole minutes: say so, in the key the user set
			errs = append(errs, problem("rtoSeconds", fmt.Sprintf("%d s becomes the ARC Region switch plan's recovery time objective in minutes, and %s", c.RTOSeconds, fe.Problem),
				fmt.Sprintf("%s minutes (rtoSeconds up to 60 times that), or remove %s", fe.Fix, key)))
			continue
		}
		k := keyFor(fe.Key, "", failoverFields)
		if reported[k] {
			continue
		}
		if k == fe.Key { // not a config key: name the failover key
			k = "failover"
		}
		errs = append(errs, problem(k, configWords(fe.Problem, "", failoverFields), configWords(fe.Fix, "", failoverFields)))
	}
	return errs
}

// failoverArgs returns the Failover Args of this stack between primary and standby.
func (c *Config) failoverArgs(primary, standby failover.Region) *failover.Args {
	f := c.Failover
	args := &failover.Args{
		DatabaseMode:        c.Database.Mode,
		Primary:             primary,
		Standby:             standby,
		Partition:           "aws", // validation's stand-in; Build reads the provider's partition
		Automatic:           f.Automatic,
		ConsecutiveFailures: f.ConsecutiveFailures,
		PeriodSeconds:       f.PeriodSeconds,
		AllowDataLoss:       f.AllowDataLoss,
		Tags:                c.Tags,
	}
	if c.RTOSeconds > 0 {
		args.RecoveryTimeObjectiveMinutes = (c.RTOSeconds + 59) / 60
	}
	if c.Database.Mode == globaldatabase.ModeAuroraGlobal {
		args.GlobalClusterIdentifier = c.databaseName() // the GlobalDatabase's name is its global cluster's identifier
		args.StandbyDatabaseInstances = globaldatabase.DefaultSecondaryInstances
		if n := c.Database.SecondaryInstances; n != nil {
			args.StandbyDatabaseInstances = *n
		}
		if n, ok := c.Database.RegionInstances[standby.Region]; ok {
			args.StandbyDatabaseInstances = n
		}
	}
	return args
}

// buildFailover creates the stack's Failover (nil without multiregion:failover):
// the plan, the probe in the standby region and the execution role.
func (d *Deployment) buildFailover(ctx *pulumi.Context) error {
	cfg := d.Config
	if cfg.Failover == nil {
		return nil
	}
	primary, standby := cfg.Regions[0], cfg.Regions[1]
	part, err := aws.GetPartition(ctx, &aws.GetPartitionArgs{}, pulumi.Provider(d.Providers[standby]))
	if err != nil {
		return fmt.Errorf("failover: look up the partition of %s: %w", standby, err)
	}
	side := func(region string) failover.Region {
		rs := d.Regions[region]
		r := failover.Region{
			Region:         region,
			Provider:       d.Providers[region],
			ClusterName:    rs.ClusterName,
			ServiceName:    rs.ServiceName,
			HealthCheckURL: rs.HealthCheckURL,
			KMSKeyARN:      rs.KMSKeyARN,
		}
		if cfg.Database.Mode == globaldatabase.ModeAuroraGlobal {
			// GlobalDatabase exposes each region's cluster endpoint, which starts
			// with the cluster's identifier.
			r.DatabaseClusterID = failover.ClusterIDFromEndpoint(d.Database.ReaderEndpoints.MapIndex(pulumi.String(region)))
		}
		return r
	}
	args := cfg.failoverArgs(side(primary), side(standby))
	args.Partition = strings.TrimSpace(part.Partition)
	f, err := failover.New(ctx, cfg.failoverName(), args)
	if err != nil {
		return err
	}
	d.Failover = f
	return nil
}

// exportFailover exports the plan's ARN and what it does with the database.
func (d *Deployment) exportFailover(ctx *pulumi.Context) {
	if d.Failover == nil {
		return
	}
	ctx.Export("failoverPlanArn", d.Failover.PlanARN)
	ctx.Export("failoverDatabase", d.Failover.Database)
	ctx.Export("failoverAutomatic", pulumi.Bool(d.Failover.Automatic))
	ctx.Export("failoverDetectionSeconds", pulumi.Int(d.Failover.DetectionSeconds))
}
