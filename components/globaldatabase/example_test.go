package globaldatabase_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/mockengine"
)

// An Aurora Global Database across two RegionalStacks: the secondary region is
// headless (no instances) until a failover needs it.
func Example() {
	program := func(ctx *pulumi.Context) error {
		var regions []globaldatabase.Region
		for i, region := range []string{"us-east-1", "us-west-2"} {
			p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return err
			}
			app, err := regionalstack.New(ctx, "app-"+region, &regionalstack.Args{
				Image:   "public.ecr.aws/nginx/nginx:1.27",
				Standby: i > 0,
			}, pulumi.Provider(p))
			if err != nil {
				return err
			}
			regions = append(regions, globaldatabase.Region{
				Region:          region,
				Provider:        p,
				SubnetIDs:       app.PrivateSubnetIDs,
				SecurityGroupID: app.DatabaseSecurityGroupID,
				KMSKeyARN:       app.KMSKeyARN,
			})
		}
		headless := 0
		db, err := globaldatabase.New(ctx, "orders", &globaldatabase.Args{
			Mode:               globaldatabase.ModeAuroraGlobal,
			Primary:            regions[0],
			Secondaries:        regions[1:],
			SecondaryInstances: &headless,
		})
		if err != nil {
			return err
		}
		ctx.Export("writer", db.WriterEndpoint)
		fmt.Println(db.ModeName, db.DataRegions, db.Objectives.RPO, db.Objectives.RTO)
		return nil
	}
	rec, err := mockengine.Run("multiregion", "prod", nil, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(rec.ByType("aws:rds/clusterInstance:ClusterInstance")), "instances")
	// Output:
	// aurora-global [us-east-1 us-west-2] 1s 1m0s
	// 2 instances
}

// Attaching what the component does not build: its clusters are exported, so
// an alarm can watch the secondary's replication lag. The alarm lives in the
// secondary's region, so it takes that region's provider.
func Example_extend() {
	program := func(ctx *pulumi.Context) error {
		providers := map[string]*aws.Provider{}
		var regions []globaldatabase.Region
		for _, region := range []string{"us-east-1", "us-west-2"} {
			p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return err
			}
			providers[region] = p
			// In a real program these come from the region's RegionalStack.
			regions = append(regions, globaldatabase.Region{Region: region, Provider: p,
				SubnetIDs:       pulumi.StringArray{pulumi.String("subnet-a"), pulumi.String("subnet-b")},
				SecurityGroupID: pulumi.String("sg-db"),
				KMSKeyARN:       pulumi.String("arn:aws:kms:" + region + ":123456789012:key/k"),
			})
		}
		db, err := globaldatabase.New(ctx, "orders", &globaldatabase.Args{
			Mode: globaldatabase.ModeAuroraGlobal, Primary: regions[0], Secondaries: regions[1:],
		})
		if err != nil {
			return err
		}
		_, err = cloudwatch.NewMetricAlarm(ctx, "orders-lag-us-west-2", &cloudwatch.MetricAlarmArgs{
			Namespace:          pulumi.String("AWS/RDS"),
			MetricName:         pulumi.String("AuroraGlobalDBReplicationLag"),
			Dimensions:         pulumi.StringMap{"DBClusterIdentifier": db.Clusters["us-west-2"].ClusterIdentifier},
			Statistic:          pulumi.String("Maximum"),
			Period:             pulumi.Int(60),
			EvaluationPeriods:  pulumi.Int(5),
			Threshold:          pulumi.Float64(1000), // milliseconds
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		}, pulumi.Parent(db), pulumi.Provider(providers["us-west-2"]))
		return err
	}
	rec, err := mockengine.Run("multiregion", "prod", nil, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		fmt.Println(r.Name, "in", r.Region)
	}
	// Output:
	// orders-lag-us-west-2 in us-west-2
}
