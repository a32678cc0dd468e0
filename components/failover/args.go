package failover

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/internal/dbmodes"
	"github.com/multiregion/multiregion/internal/regions"
)

// What the plan does with the database when it activates the standby region
// (GlobalDatabase modes, see internal/dbmodes).
const (
	// DatabaseManagedFailover: the plan fails the Aurora global database over to
	// the standby's cluster (aurora-global).
	DatabaseManagedFailover = "managed-failover"
	// DatabaseNothingToPromote: every region already writes; the plan only scales
	// the survivor (dynamodb-global).
	DatabaseNothingToPromote = "nothing-to-promote"
	// DatabaseManualRunbook: the plan scales the standby but does not promote the
	// database; promotion is the README's two-apply runbook (rds-replica).
	DatabaseManualRunbook = "manual-runbook"
)

// Partitions a plan can be built in (the first label of every ARN).
var Partitions = []string{"aws", "aws-cn", "aws-us-gov"}

// Defaults, each the value a production stack should start from.
const (
	// DefaultConsecutiveFailures: three failed probe periods in a row before the
	// alarm fires, so a single dropped request or a deploy blip never moves a
	// region (three is also Route 53's default failure threshold).
	DefaultConsecutiveFailures = 3
	// MaxConsecutiveFailures bounds detection time: an hour of one-minute
	// failures is already far past any RTO (and the alarm's whole window,
	// ConsecutiveFailures x PeriodSeconds, must stay within a day).
	MaxConsecutiveFailures = 60
	// DefaultPeriodSeconds: the probe runs once a minute, the shortest schedule a
	// Synthetics canary takes ("rate(1 minute)").
	DefaultPeriodSeconds = 60
	// MaxPeriodSeconds: a canary's rate expression takes up to 60 minutes.
	MaxPeriodSeconds = 3600
	// DefaultTargetPercent: the standby's ECS service scales to 100% of the task
	// count the primary ran (sampled over the last 24 hours).
	DefaultTargetPercent = 100
	// DefaultMinDelayMinutes between two automatic executions: at most one an
	// hour, so a flapping alarm cannot bounce the stack between regions.
	DefaultMinDelayMinutes = 60
	// DefaultTimeoutMinutes of each execution block (the schema's default, 60).
	DefaultTimeoutMinutes = 60
	// DefaultRuntimeVersion is the Synthetics runtime of the probe. The script
	// uses only Node's https module, not the Synthetics library, so any Node.js
	// runtime runs it; runtimes are deprecated over time (CloudWatch "Runtime
	// versions support policy"), so override RuntimeVersion when this one is.
	DefaultRuntimeVersion = "syn-nodejs-puppeteer-13.1"
	// probeTimeoutSeconds is how long one probe waits for the health endpoint.
	probeTimeoutSeconds = 10
	// probeMemoryMB is the probe's memory: the smallest a canary takes
	// (CloudWatch Synthetics API reference, CanaryRunConfigInput MemoryInMB:
	// minimum 960, maximum 3008, a multiple of 64). Unset, AWS documents no
	// default, and every run is a Lambda invocation billed by memory x time.
	probeMemoryMB = 960
	// artifactRetentionDays keeps canary screenshots/logs in S3 for a month.
	artifactRetentionDays = 30
	// maxAlarmWindowSeconds: "EvaluationPeriods multiplied by Period cannot be
	// more than 86,400 seconds" (CloudWatch PutMetricAlarm API reference).
	maxAlarmWindowSeconds = 86400
	// maxPlanName is the plan name's limit (schema: maxLength 32).
	maxPlanName = 32
)

// Region is one side of the plan: where the app runs and, for Aurora, its cluster.
type Region struct {
	// Region is the AWS region name (required), e.g. "us-west-2".
	Region string
	// Provider is the region's AWS provider (required for the standby: the
	// detection lives there; optional for the primary).
	Provider *aws.Provider
	// ClusterName is the region's ECS cluster name (required;
	// RegionalStack.ClusterName).
	ClusterName pulumi.StringInput
	// ServiceName is the region's ECS service name (required;
	// RegionalStack.ServiceName).
	ServiceName pulumi.StringInput
	// HealthCheckURL is the URL the standby probes (required for the primary;
	// RegionalStack.HealthCheckURL).
	HealthCheckURL pulumi.StringInput
	// DatabaseClusterARN is the region's Aurora cluster ARN (aurora-global:
	// this or DatabaseClusterID is required).
	DatabaseClusterARN pulumi.StringInput
	// DatabaseClusterID is the region's Aurora cluster identifier, from which
	// the ARN is built in Partition and the account (aurora-global: this or
	// DatabaseClusterARN is required). ClusterIDFromEndpoint reads it from a
	// cluster endpoint.
	DatabaseClusterID pulumi.StringInput
	// KMSKeyARN encrypts the probe's artifacts in this region (optional, standby
	// only; default: S3-managed keys). Pass RegionalStack.KMSKeyARN.
	KMSKeyARN pulumi.StringInput
}

// Args configures a Failover. Required: DatabaseMode, Primary, Standby,
// Partition and, for aurora-global, GlobalClusterIdentifier.
type Args struct {
	// DatabaseMode is the GlobalDatabase mode (required): "aurora-global",
	// "dynamodb-global" or "rds-replica"; "rds" is single-region and refused.
	DatabaseMode string
	// Primary is the region that serves today (required).
	Primary Region
	// Standby is the region the plan activates when the primary fails (required).
	Standby Region
	// Partition is the AWS partition every ARN is built in (required): "aws",
	// "aws-cn" or "aws-us-gov" (aws.GetPartition or the provider's partition).
	Partition string
	// AccountID is the 12-digit account of every resource (optional; default:
	// looked up through the standby's provider).
	AccountID string
	// GlobalClusterIdentifier is the Aurora global cluster's identifier (required
	// for aurora-global; GlobalDatabase's name).
	GlobalClusterIdentifier string
	// StandbyDatabaseInstances is the number of instances in the standby's Aurora
	// cluster (required for aurora-global, at least 1: a headless cluster has no
	// instance to take the writer role, so the failover would fail).
	StandbyDatabaseInstances int
	// Automatic adds the trigger that runs the plan when the detection alarm
	// fires (optional, default false: the plan is built and evaluated, and a
	// human runs it). Set it to run failover with no human in the loop.
	Automatic bool
	// ConsecutiveFailures is how many failed probe periods in a row fire the
	// alarm (optional, default 3, 1 to 60).
	ConsecutiveFailures int
	// PeriodSeconds is the probe period (optional, default 60; a whole number of
	// minutes, 60 to 3600).
	PeriodSeconds int
	// SecondProbeURL is a second, independent endpoint in the primary region
	// (optional; for example another service's health endpoint, or the app
	// through a path that does not share the first one's load balancer). With
	// it a second canary probes it, and the trigger fires only when both
	// probes' alarms are in ALARM: one broken endpoint never moves the stack.
	SecondProbeURL pulumi.StringInput
	// AllowDataLoss lets the Aurora step run an unplanned failover
	// (FailoverGlobalCluster with AllowDataLoss), losing writes not yet
	// replicated (RPO, typically under a second). Required for Automatic with
	// aurora-global: when the primary region is down no switchover is possible.
	AllowDataLoss bool
	// TargetPercent is the share of the primary's task count the standby's ECS
	// service scales to (optional, default 100, 1 to 100).
	TargetPercent int
	// MinDelayMinutes between two automatic executions (optional, default 60).
	MinDelayMinutes int
	// RecoveryTimeObjectiveMinutes is recorded on the plan so ARC reports
	// executions against it (optional, 0 = none, at most 10080).
	RecoveryTimeObjectiveMinutes int
	// RuntimeVersion is the Synthetics runtime of the probe (optional, default
	// DefaultRuntimeVersion).
	RuntimeVersion string
	// Tags are added to every taggable child (optional).
	Tags map[string]string
}

var (
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
	// globalIDRE is the schema's GlobalClusterIdentifier pattern (AuroraProvisionedScaling).
	globalIDRE = regexp.MustCompile(`^[A-Za-z][0-9A-Za-z-:._]*$`)
	// clusterIDRE is an RDS identifier: a letter, then letters, digits, hyphens (at most 63).
	clusterIDRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,62}$`)
	// planNameRE is the schema's plan Name pattern, lowercase (the name also
	// prefixes the canary's, which takes lowercase only).
	planNameRE = regexp.MustCompile(`^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$`)
)

// resolved is Args with defaults applied.
type resolved struct {
	Args
	database string // DatabaseManagedFailover, DatabaseNothingToPromote or DatabaseManualRunbook
}

func resolve(name string, in *Args) (*resolved, error) {
	p := argcheck.New(fmt.Sprintf("failover %q", name))
	if in == nil {
		p.Add("Args", "is nil", "pass &failover.Args{DatabaseMode: ..., Primary: ..., Standby: ..., Partition: \"aws\"}")
		return nil, p.Err()
	}
	r := &resolved{Args: *in}
	a := &r.Args
	if !planNameRE.MatchString(name) {
		p.Add("name", fmt.Sprintf("%q: the plan is named after the component", name), fmt.Sprintf("use up to %d lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen", maxPlanName))
	}
	switch a.DatabaseMode {
	case dbmodes.ModeAuroraGlobal:
		r.database = DatabaseManagedFailover
	case dbmodes.ModeDynamoDBGlobal:
		r.database = DatabaseNothingToPromote
	case dbmodes.ModeRDSReplica:
		r.database = DatabaseManualRunbook
	case dbmodes.ModeRDS:
		p.Add("DatabaseMode", "\"rds\" is single-region: there is no other region to fail over to, so no failover plan can be built", "remove the failover (multiregion:failover), or use \"rds-replica\" or \"aurora-global\" with a second region")
	default:
		p.OneOf("DatabaseMode", a.DatabaseMode, dbmodes.ModeAuroraGlobal, dbmodes.ModeDynamoDBGlobal, dbmodes.ModeRDSReplica)
	}
	p.OneOf("Partition", a.Partition, Partitions...)
	if a.AccountID != "" && !accountRE.MatchString(a.AccountID) {
		p.Add("AccountID", fmt.Sprintf("%q is not a 12-digit AWS account ID", a.AccountID), "fix it, or leave it empty to look it up")
	}
	for _, s := range []struct {
		field string
		reg   Region
	}{{"Primary", a.Primary}, {"Standby", a.Standby}} {
		switch {
		case s.reg.Region == "":
			p.Add(s.field+".Region", "is required", "set the AWS region, e.g. \"us-west-2\"")
		case !regions.ValidName(s.reg.Region): // stricter than the schema's ^[a-z]{2}-[a-z-]+-\d+$
			p.Add(s.field+".Region", fmt.Sprintf("%q is not an AWS region name", s.reg.Region), "use a name like \"us-west-2\"")
		}
		if s.reg.ClusterName == nil {
			p.Add(s.field+".ClusterName", "is required", "pass the region's ECS cluster name (RegionalStack.ClusterName)")
		}
		if s.reg.ServiceName == nil {
			p.Add(s.field+".ServiceName", "is required", "pass the region's ECS service name (RegionalStack.ServiceName)")
		}
		if a.DatabaseMode == dbmodes.ModeAuroraGlobal {
			switch {
			case s.reg.DatabaseClusterARN == nil && s.reg.DatabaseClusterID == nil:
				p.Add(s.field+".DatabaseClusterARN", "is required for aurora-global", "pass the region's Aurora cluster ARN (or its identifier as DatabaseClusterID)")
			case s.reg.DatabaseClusterARN != nil && s.reg.DatabaseClusterID != nil:
				p.Add(s.field+".DatabaseClusterID", "and DatabaseClusterARN are both set", "set only one")
			}
		}
	}
	if a.Primary.Region != "" && a.Primary.Region == a.Standby.Region {
		p.Add("Standby.Region", fmt.Sprintf("%q is the primary region", a.Standby.Region), "a plan switches between two different regions")
	}
	if a.Standby.Provider == nil {
		p.Add("Standby.Provider", "is required", "pass the standby region's AWS provider (the detection must live outside the region it watches)")
	}
	if a.Primary.HealthCheckURL == nil {
		p.Add("Primary.HealthCheckURL", "is required", "pass the primary's health endpoint (RegionalStack.HealthCheckURL) for the standby to probe")
	}
	if a.DatabaseMode == dbmodes.ModeAuroraGlobal {
		switch {
		case a.GlobalClusterIdentifier == "":
			p.Add("GlobalClusterIdentifier", "is required for aurora-global", "pass the global cluster's identifier (the GlobalDatabase's name)")
		case !globalIDRE.MatchString(a.GlobalClusterIdentifier) || len(a.GlobalClusterIdentifier) > 255:
			p.Add("GlobalClusterIdentifier", fmt.Sprintf("%q is not a global cluster identifier", a.GlobalClusterIdentifier), "start with a letter, then letters, digits, '-', ':', '.', '_' (at most 255)")
		}
		if a.StandbyDatabaseInstances < 1 {
			p.Add("StandbyDatabaseInstances", fmt.Sprintf("is %d: the standby's Aurora cluster is headless, and a headless secondary cannot take the writer role, so the failover step would fail", a.StandbyDatabaseInstances), "give the standby at least 1 instance (database.secondaryInstances or database.regionInstances)")
		}
		if a.Automatic && !a.AllowDataLoss {
			p.Add("AllowDataLoss", "is false, but Automatic is on: when the primary region is down only an unplanned failover (which can lose the writes not yet replicated, typically under a second) can promote the standby; a switchover needs the primary healthy", "set AllowDataLoss true, or Automatic false and run the plan by hand")
		}
	} else {
		if a.GlobalClusterIdentifier != "" {
			p.Add("GlobalClusterIdentifier", "is only for aurora-global", "remove it")
		}
		if a.StandbyDatabaseInstances != 0 {
			p.Add("StandbyDatabaseInstances", "is only for aurora-global", "remove it")
		}
	}
	if a.ConsecutiveFailures == 0 {
		a.ConsecutiveFailures = DefaultConsecutiveFailures
	}
	p.Range("ConsecutiveFailures", a.ConsecutiveFailures, 1, MaxConsecutiveFailures)
	if a.PeriodSeconds == 0 {
		a.PeriodSeconds = DefaultPeriodSeconds
	}
	if a.PeriodSeconds < DefaultPeriodSeconds || a.PeriodSeconds > MaxPeriodSeconds || a.PeriodSeconds%60 != 0 {
		p.Add("PeriodSeconds", fmt.Sprintf("%d: a canary runs every whole number of minutes", a.PeriodSeconds), fmt.Sprintf("use 60, 120, ... up to %d", MaxPeriodSeconds))
	}
	if a.ConsecutiveFailures*a.PeriodSeconds > maxAlarmWindowSeconds {
		p.Add("ConsecutiveFailures", fmt.Sprintf("%d periods of %d s is %d s: a CloudWatch alarm evaluates at most one day (%d s)", a.ConsecutiveFailures, a.PeriodSeconds, a.ConsecutiveFailures*a.PeriodSeconds, maxAlarmWindowSeconds), "lower ConsecutiveFailures or PeriodSeconds")
	}
	if a.TargetPercent == 0 {
		a.TargetPercent = DefaultTargetPercent
	}
	p.Range("TargetPercent", a.TargetPercent, 1, 100)
	if a.MinDelayMinutes == 0 {
		a.MinDelayMinutes = DefaultMinDelayMinutes
	}
	p.Range("MinDelayMinutes", a.MinDelayMinutes, 1, 10080)
	if a.RecoveryTimeObjectiveMinutes != 0 {
		// schema: RecoveryTimeObjectiveMinutes minimum 1, maximum 10080
		p.Range("RecoveryTimeObjectiveMinutes", a.RecoveryTimeObjectiveMinutes, 1, 10080)
	}
	if a.RuntimeVersion == "" {
		a.RuntimeVersion = DefaultRuntimeVersion
	}
	if !strings.HasPrefix(a.RuntimeVersion, "syn-nodejs-") {
		p.Add("RuntimeVersion", fmt.Sprintf("%q: the probe script is Node.js", a.RuntimeVersion), "use a \"syn-nodejs-...\" runtime")
	}
	p.Tags("Tags", a.Tags)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// Validate checks args the way New does, without creating anything: every
// problem at once, each naming the field and the fix.
func Validate(name string, args *Args) error {
	_, err := resolve(name, args)
	return err
}
