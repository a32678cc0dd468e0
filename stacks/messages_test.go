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
