package stacks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/stacks"
)

// TestTypeErrorsUseTheConfigsWords: a value of the wrong type is named in the
// words of YAML and JSON ("an object of strings"), never as a Go type
// ("map[string]string", "stacks.Network"), and a decimal that `pulumi config
// set --path` stored as text says how to store it as a number.
func TestTypeErrorsUseTheConfigsWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ key, value, want string }{
		{"multiregion:network", "5", "multiregion:network: expected an object, got a JSON number"},
		{"multiregion:tags", "5", "multiregion:tags: expected an object of strings, got a JSON number"},
		{"multiregion:regions", `{"a":1}`, "multiregion:regions: expected a list of strings, got a JSON object"},
		{"multiregion:budgetUSD", "true", "multiregion:budgetUSD: expected a number, got a JSON bool"},
		{"multiregion:database", `{"multiAZ":"maybe"}`, "multiregion:database.multiAZ: expected true or false, got a JSON string"},
		{"multiregion:users", `{"NA":"0.6","EU":0.4}`, "multiregion:users: expected a number, got a JSON string: a decimal set with --path is stored as text: add --type float"},
	} {
		_, err := stacks.Load("dev", with(minimal(), tc.key, tc.value))
		require.Error(t, err, tc.key)
		assert.Contains(t, err.Error(), tc.want)
		assert.NotRegexp(t, `map\[|\[\]|stacks\.|float64|\bint\b|\bbool\b,`, err.Error(), tc.key)
	}
}

// TestRTOTooLongForThePlanNamesRTOSeconds: the plan's recovery time objective
// is rtoSeconds in minutes, so its limit is reported on rtoSeconds (it used to
// be "multiregion:failover: 1666666667 is out of range").
func TestRTOTooLongForThePlanNamesRTOSeconds(t *testing.T) {
	t.Parallel()
	f, err := stacks.ReadStackFile("Pulumi.prod.yaml")
	require.NoError(t, err)
	f.Config["multiregion:rtoSeconds"] = "604800" // 7 days, the plan's maximum
	_, err = stacks.Load("prod", f.Config)
	require.NoError(t, err)
	f.Config["multiregion:rtoSeconds"] = "604801"
	_, err = stacks.Load("prod", f.Config)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "multiregion:rtoSeconds: 604801 s becomes the ARC Region switch plan's recovery time objective in minutes, and 10081 is out of range")
	assert.NotContains(t, err.Error(), "multiregion:failover:")
}

// TestNoFollowOnProblems: a refused name or database mode is reported once,
// not again through the database and failover checks that derive from it.
func TestNoFollowOnProblems(t *testing.T) {
	t.Parallel()
	f, err := stacks.ReadStackFile("Pulumi.prod.yaml")
	require.NoError(t, err)
	for key, value := range map[string]string{
		"multiregion:name":     "123",
		"multiregion:database": `{"mode":"oracle","primaryInstances":2,"secondaryInstances":1}`,
	} {
		config := with(f.Config, key, value)
		_, err := stacks.Load("prod", config)
		var ce *stacks.ConfigError
		require.ErrorAs(t, err, &ce, key)
		require.Len(t, ce.Problems, 1, "%s: %v", key, err)
	}
}
