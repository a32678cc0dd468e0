package regionalstack_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/mockengine"
)

// A region's app tier on its own provider. Under `pulumi up` the same program
// runs for real; here it runs under the mock engine.
func Example() {
	program := func(ctx *pulumi.Context) error {
		eu, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		app, err := regionalstack.New(ctx, "app-eu-west-1", &regionalstack.Args{
			Image:       "public.ecr.aws/nginx/nginx:1.27",
			NATStrategy: regionalstack.NATSingle,
		}, pulumi.Provider(eu))
		if err != nil {
			return err
		}
		ctx.Export("url", app.HealthCheckURL)
		fmt.Println(app.RegionName, app.Zones, app.HealthCheckProtocol)
		return nil
	}
	rec, err := mockengine.Run("multiregion", "dev", nil, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(rec.ByType("aws:ec2/natGateway:NatGateway")), "NAT gateway")
	// Output:
	// eu-west-1 [eu-west-1a eu-west-1b eu-west-1c] HTTP
	// 1 NAT gateway
}

// Attaching what the component does not build: its children are exported, so
// a WAF web ACL goes on the load balancer and an alarm watches the target
// group. Parented to the component, both take the region's provider.
func Example_extend() {
	program := func(ctx *pulumi.Context) error {
		eu, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		app, err := regionalstack.New(ctx, "app-eu-west-1", &regionalstack.Args{Image: "public.ecr.aws/nginx/nginx:1.27"},
			pulumi.Provider(eu))
		if err != nil {
			return err
		}
		// An existing regional web ACL (WAFv2 scope REGIONAL, same region).
		if _, err := wafv2.NewWebAclAssociation(ctx, "app-eu-west-1-waf", &wafv2.WebAclAssociationArgs{
			ResourceArn: app.LoadBalancer.Arn,
			WebAclArn:   pulumi.String("arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/app/0123abcd"),
		}, pulumi.Parent(app)); err != nil {
			return err
		}
		// Any unhealthy task for three minutes pages someone.
		_, err = cloudwatch.NewMetricAlarm(ctx, "app-eu-west-1-unhealthy", &cloudwatch.MetricAlarmArgs{
			Namespace:          pulumi.String("AWS/ApplicationELB"),
			MetricName:         pulumi.String("UnHealthyHostCount"),
			Statistic:          pulumi.String("Maximum"),
			Period:             pulumi.Int(60),
			EvaluationPeriods:  pulumi.Int(3),
			Threshold:          pulumi.Float64(0),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
			Dimensions: pulumi.StringMap{
				"LoadBalancer": app.LoadBalancer.ArnSuffix,
				"TargetGroup":  app.TargetGroup.ArnSuffix,
			},
		}, pulumi.Parent(app))
		return err
	}
	rec, err := mockengine.Run("multiregion", "dev", nil, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, typ := range []string{"aws:wafv2/webAclAssociation:WebAclAssociation", "aws:cloudwatch/metricAlarm:MetricAlarm"} {
		for _, r := range rec.ByType(typ) {
			fmt.Println(r.Name, "in", r.Region)
		}
	}
	// Output:
	// app-eu-west-1-waf in eu-west-1
	// app-eu-west-1-unhealthy in eu-west-1
}
