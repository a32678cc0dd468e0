package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPolicyConfigIsValidatedBySchema: --policy-config goes through
// policies.ParseConfig, so a config the schema forbids is exit 2 naming the key,
// and a policy with nothing to enforce says so in the report.
func TestPolicyConfigIsValidatedBySchema(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"cost-limit":{"maxMonthlyUSD":-1}}`:            "cost-limit.maxMonthlyUSD: must be >= 0",
		`{"data-residency":{"jurisdicton":"eu"}}`:        "data-residency.jurisdicton: unknown property",
		`{"cost-limit":{"usage":{"natGBPerMonth":"x"}}}`: "cost-limit.usage.natGBPerMonth: expected number",
	} {
		path := filepath.Join(t.TempDir(), "policy.json")
		require.NoError(t, os.WriteFile(path, []byte(in), 0o644))
		_, errOut, code := cli(t, "", "check", "--stack", "dev", "--policy-config", path, stacksFlag)
		assert.Equal(t, 2, code, errOut)
		assert.Contains(t, errOut, want)
		assert.NotContains(t, errOut, "goroutine")
	}

	// dev has no jurisdiction (residency none) but a budget
	out, errOut, code := cli(t, "", "check", "--stack", "dev", stacksFlag)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "NOTE      data-residency     no jurisdiction")
	assert.Equal(t, 1, strings.Count(out, "NOTE"), out)
}
