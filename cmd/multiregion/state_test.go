package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportPlan writes stack's offline plan as a state file and returns its path.
func exportPlan(t *testing.T, stack string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), stack+".json")
	_, errOut, code := cli(t, "", "plan", "--stack", stack, "--out-state", path, stacksFlag)
	require.Equal(t, 0, code, errOut)
	return path
}

// TestCheckStateReadsTheStackFile: `check --state` reads the config of the
// stack the state's URNs name from the project's stack file (issue 12 point
// 5), and --config overrides it.
func TestCheckStateReadsTheStackFile(t *testing.T) {
	t.Parallel()
	state := exportPlan(t, "prod-eu")
	orig, err := os.ReadFile("../../stacks/Pulumi.prod-eu.yaml")
	require.NoError(t, err)
	require.Contains(t, string(orig), "multiregion:budgetUSD: 1700")
	dir := t.TempDir()
	tight := strings.Replace(string(orig), "multiregion:budgetUSD: 1700", "multiregion:budgetUSD: 10", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.prod-eu.yaml"), []byte(tight), 0o600))

	// the README's command: the stack file's budget is read
	out, errOut, code := cli(t, "", "check", "--state", state, "--stacks-dir", dir, "--config", "residency=eu")
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "cost-limit")
	assert.Contains(t, out, "exceeds the budget of $10.00")
	assert.NotContains(t, errOut, "note:")

	// --config overrides the stack file
	out, errOut, code = cli(t, "", "check", "--state", state, "--stacks-dir", dir, "--config", "budgetUSD=100000")
	assert.Equal(t, 0, code, errOut+out)

	// the project's own stack file: within budget
	_, errOut, code = cli(t, "", "check", "--state", state, stacksFlag)
	assert.Equal(t, 0, code, errOut)

	// no stack file for the state's stack: said on stderr, --config still applies
	_, errOut, code = cli(t, "", "check", "--state", state, "--stacks-dir", t.TempDir(), "--config", "budgetUSD=10")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `note: no stack config read for the deployment (unknown stack "prod-eu"`)
}
