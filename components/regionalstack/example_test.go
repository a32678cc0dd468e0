package regionalstack_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
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
