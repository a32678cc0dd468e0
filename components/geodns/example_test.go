package geodns_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/mockengine"
)

// endpointsOfTwoRegions stands in for two RegionalStacks' load balancers.
func endpointsOfTwoRegions() []geodns.Endpoint {
	return []geodns.Endpoint{
		{Region: "us-east-1", DNSName: pulumi.String("app-use1.elb.amazonaws.com"), ZoneID: pulumi.String("Z35SXDOTRQ7X7K")},
		{Region: "us-west-2", DNSName: pulumi.String("app-usw2.elb.amazonaws.com"), ZoneID: pulumi.String("Z1H1FL5HABSF5")},
	}
}

// Route 53 failover between two regions, with a drill failing the primary.
func Example() {
	program := func(ctx *pulumi.Context) error {
		dns, err := geodns.New(ctx, "app-dns", &geodns.Args{
			Domain:    "app.example.com",
			Routing:   geodns.RoutingFailover,
			Endpoints: endpointsOfTwoRegions(),
			Route53:   geodns.Route53{ZoneID: "Z0123456789ABC"},
			Drill:     &geodns.Drill{FailRegion: "us-east-1"},
		})
		if err != nil {
			return err
		}
		ctx.Export("healthChecks", dns.HealthCheckIDs)
		fmt.Println(dns.Backend, dns.Routing, dns.PrimaryRegion, "drill fails", dns.FailedRegion)
		return nil
	}
	rec, err := mockengine.Run("multiregion", "prod", map[string]string{"aws:region": "us-east-1"}, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(rec.ByType("aws:route53/record:Record")), "records,", len(rec.ByType("aws:route53/healthCheck:HealthCheck")), "health checks")
	// Output:
	// route53 failover us-east-1 drill fails us-east-1
	// 2 records, 2 health checks
}

// Attaching what the component does not build: its health checks are
// exported, so an alarm can page when the primary region fails its check.
// Route 53 publishes health check metrics in us-east-1 only, so the alarm
// takes a us-east-1 provider (here the default one).
func Example_extend() {
	program := func(ctx *pulumi.Context) error {
		dns, err := geodns.New(ctx, "app-dns", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingFailover,
			Endpoints: endpointsOfTwoRegions(), Route53: geodns.Route53{ZoneID: "Z0123456789ABC"}})
		if err != nil {
			return err
		}
		_, err = cloudwatch.NewMetricAlarm(ctx, "app-dns-primary-down", &cloudwatch.MetricAlarmArgs{
			Namespace:          pulumi.String("AWS/Route53"),
			MetricName:         pulumi.String("HealthCheckStatus"),
			Dimensions:         pulumi.StringMap{"HealthCheckId": dns.HealthChecks[dns.PrimaryRegion].ID().ToStringOutput()},
			Statistic:          pulumi.String("Minimum"),
			Period:             pulumi.Int(60),
			EvaluationPeriods:  pulumi.Int(1),
			Threshold:          pulumi.Float64(1),
			ComparisonOperator: pulumi.String("LessThanThreshold"),
		}, pulumi.Parent(dns))
		return err
	}
	rec, err := mockengine.Run("multiregion", "prod", map[string]string{"aws:region": "us-east-1"}, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		fmt.Println(r.Name, "in", r.Region)
	}
	// Output:
	// app-dns-primary-down in us-east-1
}
