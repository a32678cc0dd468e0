package regionalstack_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/validation"
)

// TestValidationErrors pins the rendered text ("component: Field: problem:
// fix", one line per problem) and shows that each problem is a
// *validation.Error that code outside the module can read with errors.As.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	err := regionalstack.Validate("app", &regionalstack.Args{Image: "nginx", CPU: 300, NATStrategy: "shared", Region: "us-est"})
	require.Error(t, err)
	assert.Equal(t, `regionalstack "app": Region: "us-est" is not an AWS region name: use a name like "us-east-1"
regionalstack "app": NATStrategy: unknown value "shared": use one of "none", "single", "one-per-az"
regionalstack "app": CPU: 300 is not a Fargate CPU size: use 256, 512, 1024, 2048, 4096, 8192 or 16384`, err.Error())

	var first *validation.Error
	require.True(t, errors.As(err, &first))
	assert.Equal(t, validation.Error{Component: `regionalstack "app"`, Key: "Region",
		Problem: `"us-est" is not an AWS region name`, Fix: `use a name like "us-east-1"`}, *first)
	var keys []string
	for _, p := range validation.All(err) {
		keys = append(keys, p.Key)
	}
	assert.Equal(t, []string{"Region", "NATStrategy", "CPU"}, keys)
}

// acceptsAll checks that Validate accepts each of values set by set.
func acceptsAll[T any](t *testing.T, field string, values []T, set func(*regionalstack.Args, T)) {
	t.Helper()
	require.NotEmpty(t, values, field)
	for _, v := range values {
		a := &regionalstack.Args{Image: "nginx"}
		set(a, v)
		assert.NoError(t, regionalstack.Validate("app", a), "%s %v", field, v)
	}
}

// TestValues: every value a Values function lists is accepted, so messages
// and docs built from them offer only what works.
func TestValues(t *testing.T) {
	t.Parallel()
	acceptsAll(t, "NATStrategy", regionalstack.NATStrategyValues(), func(a *regionalstack.Args, v string) { a.NATStrategy = v })
	acceptsAll(t, "Architecture", regionalstack.ArchitectureValues(), func(a *regionalstack.Args, v string) { a.Architecture = v })
	acceptsAll(t, "CPU", regionalstack.CPUValues(), func(a *regionalstack.Args, v int) { a.CPU = v })
	acceptsAll(t, "LogRetentionDays", regionalstack.LogRetentionDaysValues(), func(a *regionalstack.Args, v int) { a.LogRetentionDays = v })
	assert.Error(t, regionalstack.Validate("app", &regionalstack.Args{Image: "nginx", LogRetentionDays: 2}))
}
