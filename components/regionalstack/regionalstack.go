// Package regionalstack builds one region's stateless application tier: a VPC
// across availability zones, NAT, security groups, an Application Load Balancer,
// an ECS Fargate service with autoscaling, logs and a customer-managed KMS key
// for the region's data at rest.
//
// A RegionalStack uses the AWS provider it is given (pulumi.Provider or
// pulumi.Providers in its options); every child inherits it, so one program can
// build the same tier in several regions. In the passive region of an
// active-passive deployment, set Args.Standby: the service then runs a small
// pilot-light count and scales up on failover.
package regionalstack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
	"github.com/multiregion/multiregion/validation"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "multiregion:index:RegionalStack"

// RegionalStack is one region's application tier.
type RegionalStack struct {
	pulumi.ResourceState

	// Region is the AWS region the stack is built in.
	Region pulumi.StringOutput `pulumi:"region"`
	// VpcID is the VPC's ID.
	VpcID pulumi.StringOutput `pulumi:"vpcId"`
	// PrivateSubnetIDs are the private subnets, one per zone, in zone order.
	PrivateSubnetIDs pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	// PublicSubnetIDs are the public subnets, one per zone, in zone order.
	PublicSubnetIDs pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	// AppSecurityGroupID is the tasks' security group (reachable only from the load balancer).
	AppSecurityGroupID pulumi.StringOutput `pulumi:"appSecurityGroupId"`
	// DatabaseSecurityGroupID is for the region's database: reachable only from the app.
	DatabaseSecurityGroupID pulumi.StringOutput `pulumi:"databaseSecurityGroupId"`
	// LoadBalancerDNSName is the load balancer's DNS name (the alias target).
	LoadBalancerDNSName pulumi.StringOutput `pulumi:"loadBalancerDnsName"`
	// LoadBalancerZoneID is the load balancer's canonical hosted zone ID.
	LoadBalancerZoneID pulumi.StringOutput `pulumi:"loadBalancerZoneId"`
	// HealthCheckURL is the URL DNS health checks probe, e.g. https://<lb>/healthz.
	HealthCheckURL pulumi.StringOutput `pulumi:"healthCheckUrl"`
	// KMSKeyARN is the region's customer-managed key for data at rest.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// ClusterName is the ECS cluster's name.
	ClusterName pulumi.StringOutput `pulumi:"clusterName"`
	// ServiceName is the ECS service's name.
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	// TaskRoleARN is the role the application runs as; attach its permissions here.
	TaskRoleARN pulumi.StringOutput `pulumi:"taskRoleArn"`

	// RegionName is Region as a plain value, known when New returns.
	RegionName string
	// Zones are the availability zones used, in order.
	Zones []string
	// HealthCheckPath is the path health checks probe.
	HealthCheckPath string
	// HealthCheckProtocol is "HTTPS" when a certificate was given, else "HTTP".
	HealthCheckProtocol string
	// Standby reports whether the region runs in standby (pilot-light) scale.
	Standby bool
	// Partition is the region's AWS partition ("aws", "aws-us-gov", "aws-cn"),
	// as the provider reports it; every ARN the component builds uses it.
	Partition string
	// LoadBalancerName and TargetGroupName are the physical names given to the
	// load balancer and its target group: at most 32 characters, unique per
	// project, stack and component (see Args and the README's naming notes).
	LoadBalancerName, TargetGroupName string
	// TaskFamily is the task definition family: the component name and the
	// stack, so two stacks in one account and region never share a family.
	TaskFamily string
	// DesiredTasks, MinTasks and MaxTasks are the service's resolved task
	// counts in its mode (standby or active), defaults applied: what renderers
	// such as diagrams should show instead of re-deriving the defaults.
	DesiredTasks, MinTasks, MaxTasks int

	// The child resources, for attaching what the component does not build
	// (a WAF web ACL on the load balancer, alarms, extra listener rules,
	// policies on the task role), as pulumi-awsx returns its children. They are
	// Go handles only, not registered outputs of the component. Parent what
	// you attach to the component (pulumi.Parent(rs)) so it takes the region's
	// provider. The security groups hold their rules inline: do not add
	// ec2.SecurityGroupRule resources to them (the provider documents that
	// inline rules and rule resources on one group overwrite each other); use
	// vpc.SecurityGroupIngressRule on a group of your own instead.

	// VPC is the region's VPC.
	VPC *ec2.Vpc
	// PublicSubnets are the public subnets (load balancer, NAT), one per zone,
	// in zone order.
	PublicSubnets []*ec2.Subnet
	// PrivateSubnets are the private subnets (tasks, database), one per zone,
	// in zone order.
	PrivateSubnets []*ec2.Subnet
	// LoadBalancerSecurityGroup admits IngressCIDRs on the listener ports.
	LoadBalancerSecurityGroup *ec2.SecurityGroup
	// AppSecurityGroup is the tasks' group; it admits only the load balancer.
	AppSecurityGroup *ec2.SecurityGroup
	// DatabaseSecurityGroup is for the region's database; it admits only the app.
	DatabaseSecurityGroup *ec2.SecurityGroup
	// KMSKey is the customer-managed key for data at rest (KMSKeyARN is its ARN).
	KMSKey *kms.Key
	// LoadBalancer is the Application Load Balancer users reach.
	LoadBalancer *lb.LoadBalancer
	// Listeners are the load balancer's listeners: HTTPS on 443 and the HTTP
	// redirect on 80 with a certificate, else HTTP on 80 alone.
	Listeners []*lb.Listener
	// TargetGroup holds the service's tasks behind the listeners.
	TargetGroup *lb.TargetGroup
	// LogGroup receives the containers' logs.
	LogGroup *cloudwatch.LogGroup
	// TaskRole is the role the application runs as (TaskRoleARN is its ARN).
	TaskRole *iam.Role
	// Cluster is the ECS cluster.
	Cluster *ecs.Cluster
	// TaskDefinition is the service's Fargate task definition.
	TaskDefinition *ecs.TaskDefinition
	// Service is the ECS service running the tasks.
	Service *ecs.Service
}

// New builds a RegionalStack named name. args must set Image; every other field
// has a documented default. Pass the region's AWS provider in opts
// (pulumi.Provider(p)); without one the default provider is used.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*RegionalStack, error) {
	cfg, err := resolve(name, args)
	if err != nil {
		return nil, err
	}
	rs := &RegionalStack{}
	if err := ctx.RegisterComponentResource(TypeToken, name, rs, opts...); err != nil {
		return nil, fmt.Errorf("regionalstack %q: register component: %w", name, err)
	}
	if err := rs.lookupRegion(ctx, name, cfg); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, cfg: cfg, rs: rs, parent: pulumi.Parent(rs)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("regionalstack %q in %s: %w", name, rs.RegionName, err)
	}
	if err := ctx.RegisterResourceOutputs(rs, pulumi.Map{
		"region":                  rs.Region,
		"vpcId":                   rs.VpcID,
		"privateSubnetIds":        rs.PrivateSubnetIDs,
		"publicSubnetIds":         rs.PublicSubnetIDs,
		"appSecurityGroupId":      rs.AppSecurityGroupID,
		"databaseSecurityGroupId": rs.DatabaseSecurityGroupID,
		"loadBalancerDnsName":     rs.LoadBalancerDNSName,
		"loadBalancerZoneId":      rs.LoadBalancerZoneID,
		"healthCheckUrl":          rs.HealthCheckURL,
		"kmsKeyArn":               rs.KMSKeyARN,
		"clusterName":             rs.ClusterName,
		"serviceName":             rs.ServiceName,
		"taskRoleArn":             rs.TaskRoleARN,
	}); err != nil {
		return nil, fmt.Errorf("regionalstack %q: register outputs: %w", name, err)
	}
	return rs, nil
}

// lookupRegion resolves the region and zones through the component's provider,
// and checks that an explicit Region agrees with it (a child on the wrong
// region's provider is pulumi/pulumi-awsx#1928).
func (rs *RegionalStack) lookupRegion(ctx *pulumi.Context, name string, cfg *resolved) error {
	got, err := aws.GetRegion(ctx, &aws.GetRegionArgs{}, pulumi.Parent(rs))
	if err != nil {
		return fmt.Errorf("regionalstack %q: look up the provider's region: %w", name, err)
	}
	region := cfg.Region
	switch {
	case region == "" && got.Name == "":
		return argError(name, "Region", "unknown", "set Args.Region or pass an AWS provider with a region")
	case region == "":
		region = got.Name
	case got.Name != "" && got.Name != region:
		return argError(name, "Region", fmt.Sprintf("is %q but the AWS provider is for %q", region, got.Name),
			fmt.Sprintf("pass the provider of %q (pulumi.Provider) or fix Region", region))
	}
	rs.RegionName = region
	rs.Region = pulumi.String(region).ToStringOutput()

	// ARNs of AWS-managed policies are built from the partition, so the stack
	// works in GovCloud and China as in the commercial regions.
	part, err := aws.GetPartition(ctx, &aws.GetPartitionArgs{}, pulumi.Parent(rs))
	if err != nil {
		return fmt.Errorf("regionalstack %q: look up the partition of %s: %w", name, region, err)
	}
	if part.Partition == "" {
		return fmt.Errorf("regionalstack %q: the AWS provider of %s reported no partition", name, region)
	}
	rs.Partition = part.Partition

	zones := cfg.Zones
	if len(zones) == 0 {
		// Only the region's own Availability Zones: in an account opted into a
		// Local Zone (e.g. us-west-2-lax-1a) the API returns it too, and a
		// Local Zone has no NAT gateway or ALB support to build a regional tier
		// on (doc comment of getAvailabilityZones in pulumi-aws v6.83.4: filter
		// opt-in-status = opt-in-not-required for "Only Availability Zones (no
		// Local Zones)").
		azs, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
			State: pulumi.StringRef("available"),
			Filters: []aws.GetAvailabilityZonesFilter{{
				Name:   "opt-in-status",
				Values: []string{"opt-in-not-required"},
			}},
		}, pulumi.Parent(rs))
		if err != nil {
			return fmt.Errorf("regionalstack %q: look up availability zones in %s: %w", name, region, err)
		}
		// Belt and braces: keep only names of the form <region><letter>, so a
		// Local or Wavelength Zone never slips through a provider that ignores
		// the filter.
		var regional []string
		for _, z := range azs.Names {
			if len(z) == len(region)+1 && strings.HasPrefix(z, region) {
				regional = append(regional, z)
			}
		}
		if len(regional) < cfg.AZCount {
			return argError(name, "AZCount", fmt.Sprintf("%d zones requested but %s has %d available Availability Zones", cfg.AZCount, region, len(regional)), "lower AZCount")
		}
		zones = regional[:cfg.AZCount]
	}
	for i, z := range zones {
		if len(z) != len(region)+1 || z[:len(region)] != region {
			return argError(name, fmt.Sprintf("Zones[%d]", i), fmt.Sprintf("%q is not in region %s", z, region), "list zones of that region")
		}
	}
	rs.Zones = append([]string(nil), zones...)
	rs.physicalNames(ctx, name, cfg)
	rs.HealthCheckPath = cfg.HealthCheckPath
	rs.HealthCheckProtocol = cfg.protocol()
	rs.Standby = cfg.Standby
	rs.DesiredTasks, rs.MinTasks, rs.MaxTasks = cfg.desiredCount(), cfg.minCount(), cfg.MaxCount
	return nil
}

// argError is a problem with Args found only once the provider answers (the
// region, its zones), reported like Validate's.
func argError(name, field, problem, fix string) error {
	return &validation.Error{Component: fmt.Sprintf("regionalstack %q", name), Key: field, Problem: problem, Fix: fix}
}

// maxFamily is the longest task definition family (ECS RegisterTaskDefinition,
// family: "Up to 255 letters (uppercase and lowercase), numbers, underscores,
// and hyphens are allowed").
const maxFamily = 255

// physicalNames sets the names AWS limits. Pulumi's auto-name (logical name,
// "-" and 7 random characters) passes the 32-character limit of load balancers
// and target groups for most component names (app-ap-southeast-1-alb is 22
// before the suffix), so both get names from naming.Physical: the component
// name cut to fit plus a hash of project, stack and component, so two stacks
// in one account and region never collide. The target group's hash also covers
// the inputs whose change replaces it (port, protocol, target type, and the VPC
// range, whose change replaces the VPC): a replacement is created before the
// old one is deleted, so it needs a name of its own.
func (rs *RegionalStack) physicalNames(ctx *pulumi.Context, name string, cfg *resolved) {
	project, stack := ctx.Project(), ctx.Stack()
	rs.LoadBalancerName = naming.Physical(name, LoadBalancerNameMax, project, stack, name, "alb")
	rs.TargetGroupName = naming.Physical(name, LoadBalancerNameMax, project, stack, name, "tg",
		fmt.Sprint(cfg.Port), targetProtocol, targetType, cfg.vpc.String())
	family := naming.Sanitize(name + "-" + stack)
	if len(family) > maxFamily {
		family = naming.Physical(family, maxFamily, project, stack, name)
	}
	rs.TaskFamily = family
}
