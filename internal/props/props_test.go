package props_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/multiregion/multiregion/internal/props"
)

func TestPaths(t *testing.T) {
	t.Parallel()
	m := resource.PropertyMap{
		"a": resource.NewProperty(resource.PropertyMap{
			"b": resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty("zero"),
				resource.MakeSecret(resource.NewProperty(resource.PropertyMap{"c": resource.NewProperty(42.0)})),
			}),
		}),
		"n":       resource.NewProperty("7"),
		"flag":    resource.NewProperty(true),
		"unknown": resource.MakeComputed(resource.NewProperty("")),
		"list":    resource.NewProperty([]resource.PropertyValue{resource.MakeSecret(resource.NewProperty("x")), resource.NewProperty(1.0)}),
		"null":    resource.NewNullProperty(),
	}
	assert.Equal(t, "zero", props.String(m, "a.b[0]"))
	n, ok := props.Number(m, "a.b[1].c")
	assert.True(t, ok, "looks through secrets")
	assert.Equal(t, 42.0, n)
	n, ok = props.Number(m, "n")
	assert.True(t, ok)
	assert.Equal(t, 7.0, n)
	b, ok := props.Bool(m, "flag")
	assert.True(t, b && ok)
	_, ok = props.Bool(m, "n")
	assert.False(t, ok)
	assert.Equal(t, []string{"x"}, props.Strings(m, "list"))
	for _, missing := range []string{"a.x", "a.b[9]", "a.b[x]", "n.y", "null", "", "a.b[1].c.d"} {
		_, ok := props.Get(m, missing)
		assert.False(t, ok, missing)
	}
	assert.True(t, props.IsUnknown(m, "unknown"))
	assert.True(t, props.IsUnknown(m, "unknown.deeper"), "below an unknown is unknown")
	assert.False(t, props.IsUnknown(m, "n"))
	assert.False(t, props.IsUnknown(m, "missing"))
	assert.Equal(t, "", props.String(m, "unknown"))
	assert.True(t, props.IsSecret(m, "a.b[1]"))
	assert.False(t, props.IsSecret(m, "a.b[0]"))
	assert.Nil(t, props.AsObject(resource.NewProperty("s")))
	assert.NotNil(t, props.Object(m, "a"))
	assert.Nil(t, props.Object(nil, "a"))
}
