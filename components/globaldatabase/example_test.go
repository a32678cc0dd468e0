package globaldatabase_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
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
