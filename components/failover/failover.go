// Package failover builds automatic regional failover for an active-passive
// deployment on Amazon Application Recovery Controller (ARC) Region switch: a
// plan of execution blocks (Aurora Global Database failover, ECS service
// scaling) that ARC runs from the region being activated, a detector in the
// standby region that watches the primary from outside, and a trigger that
// starts the plan when the detector has seen the primary fail for N periods in
// a row.
//
// Why ARC and not a home-made Lambda or SSM runbook: ARC executes plans from
// the activated region's own data plane, so nothing in the orchestration
// depends on the impaired region, and it evaluates the plan (permissions,
// resources, capacity) every 30 minutes, so a plan that would fail is reported
// before it is needed. pulumi-aws v6 (pinned here) has no typed resource for
// it (v7 added aws.arcregionswitch.Plan); the plan is
// created as the CloudFormation type AWS::ARCRegionSwitch::Plan through the
// Cloud Control API (aws.cloudcontrol.Resource), its desired state built from
// the schema's property names.
//
// Why the detector is a Synthetics canary in the standby region: Route 53
// health-check metrics are published to CloudWatch in us-east-1 only, so an
// alarm on them cannot fire when us-east-1 is the region that failed. A canary
// in the standby region probes the primary's health endpoint over the
// internet, and its alarm lives where the plan runs.
//
// A Failover never creates providers: the standby's provider (and optionally
// the primary's) comes in through Args; every child is parented to the
// component and placed with the standby's provider.
package failover

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudcontrol"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/synthetics"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "multiregion:index:Failover"

// Failover is an ARC Region switch plan with its detection and execution role.
type Failover struct {
	pulumi.ResourceState

	// PlanARN is the plan's ARN (the Cloud Control identifier).
	PlanARN pulumi.StringOutput `pulumi:"planArn"`
	// DesiredState is the plan's CloudFormation desired state (JSON).
	DesiredState pulumi.StringOutput `pulumi:"desiredState"`
	// ExecutionRoleARN is the role ARC assumes to run the plan.
	ExecutionRoleARN pulumi.StringOutput `pulumi:"executionRoleArn"`
	// AlarmARN is the (first) detection alarm in the standby region.
	AlarmARN pulumi.StringOutput `pulumi:"alarmArn"`
	// CanaryName is the Synthetics canary that probes the primary's health endpoint.
	CanaryName pulumi.StringOutput `pulumi:"canaryName"`
	// Database says what the plan does with the database: "managed-failover",
	// "nothing-to-promote" or "manual-runbook".
	Database pulumi.StringOutput `pulumi:"database"`

	// DatabaseAction is Database as a plain value.
	DatabaseAction string
	// Automatic reports whether a trigger starts the plan without a human.
	Automatic bool
	// DetectionSeconds is the shortest time from the primary's failure to the
	// alarm: ConsecutiveFailures x PeriodSeconds.
	DetectionSeconds int
	// ConsecutiveFailures is the resolved number of failed probe periods in a
	// row that fire the alarm (Args.ConsecutiveFailures or its default).
	ConsecutiveFailures int
	// PeriodSeconds is the resolved probe period, also the alarm's period
	// (Args.PeriodSeconds or its default).
	PeriodSeconds int
	// AllowDataLoss reports whether the plan's Aurora step may lose writes not
	// yet replicated (Args.AllowDataLoss).
	AllowDataLoss bool
	// PrimaryRegion and StandbyRegion are the plan's two regions.
	PrimaryRegion, StandbyRegion string

	// Plan, Canaries (one per probe, the primary's health endpoint first),
	// Alarms (one per canary), ExecutionRole and ArtifactBucket are the key
	// children, for callers that attach what the component did not foresee.
	Plan           *cloudcontrol.Resource
	Canaries       []*synthetics.Canary
	Alarms         []*cloudwatch.MetricAlarm
	ExecutionRole  *iam.Role
	ArtifactBucket *s3.BucketV2
}

// New builds a Failover named name (also the plan's name: lowercase letters,
// digits and hyphens, at most 32 characters).
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Failover, error) {
	cfg, err := resolve(name, args)
	if err != nil {
		return nil, err
	}
	f := &Failover{
		DatabaseAction:      cfg.database,
		Automatic:           cfg.Automatic,
		DetectionSeconds:    cfg.ConsecutiveFailures * cfg.PeriodSeconds,
		ConsecutiveFailures: cfg.ConsecutiveFailures,
		PeriodSeconds:       cfg.PeriodSeconds,
		AllowDataLoss:       cfg.AllowDataLoss,
		PrimaryRegion:       cfg.Primary.Region,
		StandbyRegion:       cfg.Standby.Region,
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, f, opts...); err != nil {
		return nil, fmt.Errorf("failover %q: register component: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, cfg: cfg, f: f,
		in: []pulumi.ResourceOption{pulumi.Parent(f), pulumi.Provider(cfg.Standby.Provider)}}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("failover %q (%s -> %s): %w", name, cfg.Primary.Region, cfg.Standby.Region, err)
	}
	f.Database = pulumi.String(cfg.database).ToStringOutput()
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{
		"planArn":          f.PlanARN,
		"desiredState":     f.DesiredState,
		"executionRoleArn": f.ExecutionRoleARN,
		"alarmArn":         f.AlarmARN,
		"canaryName":       f.CanaryName,
		"database":         f.Database,
	}); err != nil {
		return nil, fmt.Errorf("failover %q: register outputs: %w", name, err)
	}
	return f, nil
}

// builder holds what the child constructors share.
type builder struct {
	ctx  *pulumi.Context
	name string
	cfg  *resolved
	f    *Failover
	in   []pulumi.ResourceOption // parent + the standby's provider

	account string
	base    string // short unique prefix for names AWS limits (canary: 21 characters)
}

func (b *builder) child(role string, parts ...string) string {
	return naming.Child(b.name, role, parts...)
}
func (b *builder) tags(name string) pulumi.StringMap { return naming.Tags(b.cfg.Tags, name) }

func (b *builder) build() error {
	b.account = b.cfg.AccountID
	if b.account == "" {
		id, err := aws.GetCallerIdentity(b.ctx, nil, pulumi.Provider(b.cfg.Standby.Provider))
		if err != nil {
			return fmt.Errorf("look up the account ID (or set Args.AccountID): %w", err)
		}
		b.account = id.AccountId
	}
	b.base = shortName(b.name, b.ctx.Project()+"/"+b.ctx.Stack()+"/"+b.name)
	if err := b.detection(); err != nil {
		return err
	}
	return b.plan()
}

// shortName is a name of at most 19 characters, unique per project, stack and
// component: the component name cut to 12 characters, "-" and a 6-character
// hash. Canary names take at most 21 characters and must be unique in a
// region, and stacks of one account share regions.
func shortName(name, key string) string {
	prefix := strings.TrimRight(name[:min(len(name), 12)], "-")
	sum := sha256.Sum256([]byte(key))
	return prefix + "-" + hex.EncodeToString(sum[:])[:6]
}

// plan creates the execution role, its policy and the plan.
func (b *builder) plan() error {
	cfg := b.cfg
	roleName := b.child("plan-role")
	role, err := iam.NewRole(b.ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.Sprintf("ARC Region switch plan %s: %s -> %s", b.name, cfg.Primary.Region, cfg.Standby.Region),
		AssumeRolePolicy: pulumi.String(trustPolicy(arcPrincipal)),
		Tags:             b.tags(roleName),
	}, b.in...)
	if err != nil {
		return fmt.Errorf("plan execution role: %w", err)
	}
	b.f.ExecutionRole = role
	b.f.ExecutionRoleARN = role.Arn

	// Every value the documents need, resolved together, in this order: the
	// role, the two regions' ECS cluster and service names, the alarms (ARN and
	// name each), then the Aurora cluster ARNs. The policy builds every ARN from
	// the partition and account; the plan refers to the real role and alarm ARNs.
	inputs := []any{role.Arn, role.Name,
		cfg.Primary.ClusterName, cfg.Primary.ServiceName, cfg.Standby.ClusterName, cfg.Standby.ServiceName}
	for _, al := range b.f.Alarms {
		inputs = append(inputs, al.Arn, al.Name)
	}
	a := arns{partition: cfg.Partition, account: b.account}
	if cfg.database == DatabaseManagedFailover {
		inputs = append(inputs, a.cluster(cfg.Primary), a.cluster(cfg.Standby))
	}
	docs := pulumi.All(inputs...).ApplyT(func(v []any) ([]string, error) {
		in, roleName := b.planInput(v)
		policy, err := json.Marshal(executionPolicy(in, a, roleName))
		if err != nil {
			return nil, err
		}
		plan, err := json.Marshal(planDocument(in))
		if err != nil {
			return nil, err
		}
		return []string{string(policy), string(plan)}, nil
	}).(pulumi.StringArrayOutput)

	policy, err := iam.NewRolePolicy(b.ctx, b.child("plan-policy"), &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: docs.Index(pulumi.Int(0)),
	}, append(b.in, pulumi.Parent(role))...)
	if err != nil {
		return fmt.Errorf("plan execution policy: %w", err)
	}
	b.f.DesiredState = docs.Index(pulumi.Int(1))
	plan, err := cloudcontrol.NewResource(b.ctx, b.child("plan"), &cloudcontrol.ResourceArgs{
		TypeName:     pulumi.String(PlanTypeName),
		DesiredState: b.f.DesiredState,
		// ARC evaluates the plan as soon as it exists: the role's policy first.
	}, append(b.in, pulumi.DependsOn([]pulumi.Resource{policy}))...)
	if err != nil {
		return fmt.Errorf("region switch plan: %w", err)
	}
	b.f.Plan = plan
	b.f.PlanARN = plan.ID().ToStringOutput()
	return nil
}

// cluster returns r's Aurora cluster ARN: given, or built from its identifier.
func (a arns) cluster(r Region) pulumi.StringInput {
	if r.DatabaseClusterARN != nil {
		return r.DatabaseClusterARN
	}
	return r.DatabaseClusterID.ToStringOutput().ApplyT(func(id string) string {
		return fmt.Sprintf("arn:%s:rds:%s:%s:cluster:%s", a.partition, r.Region, a.account, id)
	}).(pulumi.StringOutput)
}

// ClusterIDFromEndpoint returns the cluster identifier an Aurora cluster
// endpoint starts with: "<cluster-id>.cluster-[ro-]<hash>.<region>.rds.amazonaws.com"
// (Aurora User Guide, "Types of Aurora endpoints"). It bridges callers whose
// database component exposes endpoints but not cluster ARNs; an endpoint of
// another shape is an error, never a guess.
func ClusterIDFromEndpoint(endpoint pulumi.StringInput) pulumi.StringOutput {
	return endpoint.ToStringOutput().ApplyT(func(e string) (string, error) {
		id, rest, ok := strings.Cut(e, ".")
		if !ok || !strings.HasPrefix(rest, "cluster-") || !clusterIDRE.MatchString(id) {
			return "", fmt.Errorf("failover: %q is not an Aurora cluster endpoint (<cluster-id>.cluster-...): pass DatabaseClusterARN instead", e)
		}
		return id, nil
	}).(pulumi.StringOutput)
}

// planInput turns the resolved outputs (in the order plan() lists them) into
// the plan's plain input and the execution role's name.
func (b *builder) planInput(v []any) (planInput, string) {
	cfg := b.cfg
	a := arns{partition: cfg.Partition, account: b.account}
	next := func() string { s, _ := v[0].(string); v = v[1:]; return s }
	p, s := cfg.Primary.Region, cfg.Standby.Region
	roleARN, roleName := next(), next()
	pc, ps, sc, ss := next(), next(), next(), next()
	in := planInput{
		Name:             b.name,
		Primary:          p,
		Standby:          s,
		ExecutionRoleARN: roleARN,
		Database:         cfg.database,
		GlobalClusterID:  cfg.GlobalClusterIdentifier,
		ECSClusterARN:    map[string]string{p: a.ecsCluster(p, pc), s: a.ecsCluster(s, sc)},
		ECSService:       map[string]string{p: a.ecsService(p, pc, ps), s: a.ecsService(s, sc, ss)},
		Automatic:        cfg.Automatic,
		AllowDataLoss:    cfg.AllowDataLoss,
		TargetPercent:    cfg.TargetPercent,
		MinDelay:         cfg.MinDelayMinutes,
		TimeoutMinutes:   DefaultTimeoutMinutes,
		RTOMinutes:       cfg.RecoveryTimeObjectiveMinutes,
		Tags:             map[string]string{"Name": b.name},
	}
	for range b.f.Alarms {
		arn, name := next(), next()
		in.Alarms = append(in.Alarms, alarmRef{Name: name, ARN: arn})
	}
	for k, val := range cfg.Tags {
		in.Tags[k] = val
	}
	if cfg.database == DatabaseManagedFailover {
		in.ClusterARN = map[string]string{p: next(), s: next()}
	}
	in.Description = description(in)
	return in, roleName
}
