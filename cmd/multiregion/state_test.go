package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/report"
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

// TestMalformedStateFiles: every malformed state is exit 2 with one line on
// stderr that says what is wrong and where; never a trace (issue 13).
func TestMalformedStateFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, data, want string
	}{
		{"3 MB of [", strings.Repeat("[", 3<<20), "the file is an array, not a JSON object (at byte 0)"},
		{"3 MB of [ in a resource", `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n","type":"t","inputs":{"a":` +
			strings.Repeat("[", 3<<20), "resource 0: "},
		{"no deployment", `{"version": 3}`, `no "deployment" field`},
		{"version 3.9", `{"version": 3.9, "deployment": {}}`, `"version" is 3.9, not the integer 3 (at byte 12)`},
		{"version 2", `{"version": 2, "deployment": {}}`, "deployment version 2 is not supported"},
		{"empty", ``, "unexpected end of the file"},
		{"resource without type", `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n"}]}}`, `resource 0: it has no "type"`},
		{"two stacks", `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:a::p::t::n","type":"t"},{"urn":"urn:pulumi:b::p::t::n","type":"t"}]}}`,
			"resource 1 (urn:pulumi:b::p::t::n) is of stack p/b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "state.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.data), 0o600))
			out, errOut, code := cli(t, "", "check", "--state", path, stacksFlag)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
			assert.True(t, strings.HasPrefix(errOut, "multiregion: --state "+path+": "), errOut)
			assert.Contains(t, errOut, tc.want)
			assert.NotContains(t, errOut, "goroutine")
		})
	}
}

// TestStateWithBOM: a UTF-8 BOM (Windows editors, PowerShell redirection)
// before a valid state is read.
func TestStateWithBOM(t *testing.T) {
	t.Parallel()
	state := exportPlan(t, "dev")
	data, err := os.ReadFile(state)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "bom.json")
	require.NoError(t, os.WriteFile(path, append([]byte("\ufeff"), data...), 0o600))
	out, errOut, code := cli(t, "", "check", "--state", path, stacksFlag)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "dev")
}

// TestStateConfigFromTheProject: check --state reads the stack's config from
// the project that --stacks-dir is in, not from a Pulumi.yaml in the working
// directory (here another project's).
func TestStateConfigFromTheProject(t *testing.T) {
	stacksDir, err := filepath.Abs("../../stacks")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "prod-eu.json")
	_, errOut, code := cli(t, "", "plan", "--stack", "prod-eu", "--out-state", path, "--stacks-dir", stacksDir)
	require.Equal(t, 0, code, errOut)

	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "Pulumi.yaml"), []byte("name: other\nruntime: go\n"), 0o644))
	t.Chdir(other)
	out, errOut, code := cli(t, "", "check", "--state", path, "--stacks-dir", stacksDir, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut, "the stack config was read: no note")
	var doc report.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "eu", doc.Residency, "the residency comes from stacks/Pulumi.prod-eu.yaml")
}
