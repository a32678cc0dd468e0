package failover_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/mockengine"
)

// Automatic failover of an active-passive stack: two RegionalStacks, an Aurora
// Global Database with one standby instance, and a Failover whose probe runs in
// us-west-2 and whose plan fails the database over and scales the standby.
func Example() {
	program := func(ctx *pulumi.Context) error {
		regions := []string{"us-east-1", "us-west-2"}
		apps := map[string]*regionalstack.RegionalStack{}
		providers := map[string]*aws.Provider{}
		var dbRegions []globaldatabase.Region
		for i, region := range regions {
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
			apps[region], providers[region] = app, p
			dbRegions = append(dbRegions, globaldatabase.Region{
				Region: region, Provider: p, SubnetIDs: app.PrivateSubnetIDs,
				SecurityGroupID: app.DatabaseSecurityGroupID, KMSKeyARN: app.KMSKeyARN,
			})
		}
		db, err := globaldatabase.New(ctx, "orders", &globaldatabase.Args{
			Mode: globaldatabase.ModeAuroraGlobal, Primary: dbRegions[0], Secondaries: dbRegions[1:],
		})
		if err != nil {
			return err
		}
		side := func(region string) failover.Region {
			return failover.Region{
				Region:         region,
				Provider:       providers[region],
				ClusterName:    apps[region].ClusterName,
				ServiceName:    apps[region].ServiceName,
				HealthCheckURL: apps[region].HealthCheckURL,
				KMSKeyARN:      apps[region].KMSKeyARN,
				DatabaseClusterID: failover.ClusterIDFromEndpoint(
					db.ReaderEndpoints.MapIndex(pulumi.String(region))),
			}
		}
		f, err := failover.New(ctx, "orders-failover", &failover.Args{
			DatabaseMode:             db.ModeName,
			Primary:                  side("us-east-1"),
			Standby:                  side("us-west-2"),
			Partition:                "aws",
			GlobalClusterIdentifier:  "orders", // the GlobalDatabase's name
			StandbyDatabaseInstances: globaldatabase.DefaultSecondaryInstances,
			Automatic:                true,
			AllowDataLoss:            true,
		})
		if err != nil {
			return err
		}
		ctx.Export("failoverPlan", f.PlanARN)
		fmt.Println(f.DatabaseAction, f.Automatic, f.DetectionSeconds, "s to detect")
		return nil
	}
	rec, err := mockengine.Run("multiregion", "prod", nil, program)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan := rec.ByType("aws:cloudcontrol/resource:Resource")[0]
	fmt.Println(plan.Region, plan.Inputs["typeName"].StringValue())
	// Output:
	// managed-failover true 180 s to detect
	// us-west-2 AWS::ARCRegionSwitch::Plan
}
