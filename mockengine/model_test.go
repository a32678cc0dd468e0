package mockengine_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/policies/model"
)

// TestModel: the recorder produces the neutral model with the locations the
// state reader and the analyzer would give (a secret region in the engine's
// in-memory form is read), and an offline plan is not final.
func TestModel(t *testing.T) {
	t.Parallel()
	rec, err := mockengine.Run("proj", "dev", map[string]string{"aws:region": "us-east-1"}, func(ctx *pulumi.Context) error {
		eu, err := aws.NewProvider(ctx, "aws-eu", &aws.ProviderArgs{Region: pulumi.ToSecret(pulumi.String("eu-west-1")).(pulumi.StringOutput)})
		if err != nil {
			return err
		}
		if _, err := s3.NewBucketV2(ctx, "eu-bucket", &s3.BucketV2Args{}, pulumi.Provider(eu)); err != nil {
			return err
		}
		if _, err := s3.NewBucketV2(ctx, "default-bucket", &s3.BucketV2Args{}); err != nil {
			return err
		}
		_, err = iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String("{}")}, pulumi.Provider(eu))
		return err
	})
	require.NoError(t, err)
	d := rec.Model()
	assert.False(t, d.Final, "an offline plan is not a deployed state")
	assert.Equal(t, "dev", d.Stack.Name)
	byName := map[string]*model.Resource{}
	for _, r := range d.Resources {
		byName[r.Name] = r
	}
	require.Len(t, byName, 4)
	assert.Equal(t, "eu-west-1", byName["eu-bucket"].Region, "the provider's secret region is read")
	assert.Equal(t, byName["aws-eu"].URN, byName["eu-bucket"].Provider)
	assert.Equal(t, "us-east-1", byName["default-bucket"].Region, "the default provider: the stack's aws:region")
	assert.Equal(t, model.GlobalRegion, byName["role"].Region, "IAM is global")
	assert.Equal(t, "eu-west-1", rec.Find("aws:iam/role:Role", "role").Region, "the recorder keeps where the API calls go")
}
