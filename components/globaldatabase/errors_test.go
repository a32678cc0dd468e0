package globaldatabase_test

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/validation"
)

func region(name string) globaldatabase.Region {
	id := pulumi.String("x")
	return globaldatabase.Region{Region: name, Provider: &aws.Provider{}, SubnetIDs: pulumi.StringArray{id}, SecurityGroupID: id, KMSKeyARN: id}
}

// TestValidationErrors pins the rendered text and reads the same problems as
// *validation.Error values.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	err := globaldatabase.Validate("db", &globaldatabase.Args{Mode: globaldatabase.ModeAuroraGlobal, Engine: "mysql",
		Primary: region("us-east-1"), Secondaries: []globaldatabase.Region{region("us-east-1")}})
	require.Error(t, err)
	assert.Equal(t, `globaldatabase "db": Secondaries[0].Region: "us-east-1" is the primary region: a secondary must be another region
globaldatabase "db": Engine: "mysql" is not supported by mode "aurora-global": use "aurora-postgresql" or "aurora-mysql"`, err.Error())
	var first *validation.Error
	require.True(t, errors.As(err, &first))
	assert.Equal(t, "Secondaries[0].Region", first.Key)
	assert.Equal(t, `"us-east-1" is the primary region`, first.Problem)
	assert.Equal(t, "a secondary must be another region", first.Fix)
	assert.Len(t, validation.All(err), 2)
}

// TestValues: every mode and engine the Values functions list is accepted
// in a mode that takes it.
func TestValues(t *testing.T) {
	t.Parallel()
	engines := map[string]string{globaldatabase.EnginePostgres: globaldatabase.ModeRDSReplica, globaldatabase.EngineAuroraPostgreSQL: globaldatabase.ModeAuroraGlobal,
		globaldatabase.EngineAuroraMySQL: globaldatabase.ModeAuroraGlobal, globaldatabase.EngineDynamoDB: globaldatabase.ModeDynamoDBGlobal}
	require.Len(t, globaldatabase.EngineValues(), len(engines))
	for _, e := range globaldatabase.EngineValues() {
		mode, ok := engines[e]
		require.True(t, ok, "engine %q has a mode in this test", e)
		assert.NoError(t, globaldatabase.Validate("db", &globaldatabase.Args{Mode: mode, Engine: e,
			Primary: region("us-east-1"), Secondaries: []globaldatabase.Region{region("us-west-2")}}), e)
	}
	require.NotEmpty(t, globaldatabase.ModeValues())
	for _, m := range globaldatabase.ModeValues() {
		args := &globaldatabase.Args{Mode: m, Primary: region("us-east-1")}
		if m != globaldatabase.ModeRDS {
			args.Secondaries = []globaldatabase.Region{region("us-west-2")}
		}
		assert.NoError(t, globaldatabase.Validate("db", args), m)
	}
	// A copy: changing it does not change the modes.
	globaldatabase.ModeValues()[0] = "x"
	assert.Equal(t, globaldatabase.ModeRDS, globaldatabase.ModeValues()[0])
}
