package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/drill"
)

func TestDrillUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		err  string
	}{
		{"no stack", []string{"drill", "--fail", "us-east-1"}, "--stack is required"},
		{"no region", []string{"drill", "--stack", "prod"}, "--fail is required"},
		{"bad format", []string{"drill", "--stack", "prod", "--fail", "us-east-1", "--format", "yaml"}, `--format "yaml": use table, json, markdown`},
		{"bad timeout", []string{"drill", "--stack", "prod", "--fail", "us-east-1", "--timeout", "0s"}, "--timeout 0s: use a positive duration"},
		{"bad settle", []string{"drill", "--stack", "prod", "--fail", "us-east-1", "--settle", "-1s"}, "--settle -1s: use a positive duration"},
		{"not a project", []string{"drill", "--stack", "prod", "--fail", "us-east-1", "--project-dir", "testdata"}, `no Pulumi.yaml in "testdata"`},
		{"bad resolver", []string{"drill", "--stack", "prod", "--fail", "us-east-1", "--project-dir", "../..", "--resolver", "1.1.1.1"}, `--resolver "1.1.1.1": use HOST:PORT`},
		{"stray argument", []string{"drill", "prod"}, `unexpected argument "prod"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, code := cli(t, "", tc.args...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, tc.err)
		})
	}
}

// TestDrillWithoutPulumi: no Pulumi CLI on PATH is a failed preflight (exit
// 2) that says what to install, not an internal error quoting the SDK.
func TestDrillWithoutPulumi(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, errOut, code := cli(t, "", "drill", "--stack", "prod", "--fail", "us-east-1", "--project-dir", "../..", "--resolver", "127.0.0.1:53")
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, "drill: no pulumi on PATH: install the Pulumi CLI")
}

// TestDrillUnknownStack runs the command against the real Pulumi CLI (bin/pulumi
// on PATH) and an empty file backend: the stack does not exist, nothing changes.
func TestDrillUnknownStack(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, "bin", "pulumi")); err != nil {
		t.Skip("bin/pulumi not found: build it with tools/build-pulumi.sh (.ci/run does)")
	}
	dir, home, state := t.TempDir(), t.TempDir(), t.TempDir()
	pulumiYAML, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), pulumiYAML, 0o644))
	t.Setenv("PATH", filepath.Join(root, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("PULUMI_HOME", home)
	t.Setenv("PULUMI_BACKEND_URL", "file://"+state)
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "")
	t.Setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
	_, errOut, code := cli(t, "", "drill", "--stack", "qa", "--fail", "us-east-1", "--project-dir", dir, "--resolver", "127.0.0.1:53")
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, `stack "qa" does not exist in the current Pulumi backend`)
	assert.Contains(t, errOut, "nothing was changed")
	_, err = os.Stat(filepath.Join(dir, drill.Dir))
	assert.ErrorIs(t, err, os.ErrNotExist, "no report for a drill that did not start")
}

// TestPlanShowsLastDrill: plan's report shows the newest drill kept for the stack
// in the project directory (the parent of --stacks-dir, wherever plan runs from),
// and only that stack's.
func TestPlanShowsLastDrill(t *testing.T) {
	repoStacks, err := filepath.Abs("../../stacks")
	require.NoError(t, err)
	project := t.TempDir()
	stacksDir := filepath.Join(project, "stacks")
	require.NoError(t, os.Symlink(repoStacks, stacksDir))
	t.Chdir(t.TempDir()) // elsewhere: the lookup must not depend on the working directory
	rto := func(v float64) *float64 { return &v }
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, rep := range []*drill.Report{
		{Stack: "prod", FailRegion: "us-east-1", StartedAt: start.Add(-24 * time.Hour), MeasuredRTOSeconds: rto(300), RTOTargetSeconds: 900, Verdict: drill.VerdictMet, Reverted: true},
		{Stack: "prod", FailRegion: "us-east-1", StartedAt: start, MeasuredRTOSeconds: rto(142.5), RTOTargetSeconds: 900, Verdict: drill.VerdictMet, Reverted: true},
		// a newer drill of prod-eu, whose name starts with prod-: not prod's
		{Stack: "prod-eu", FailRegion: "eu-central-1", StartedAt: start.Add(time.Hour), Verdict: drill.VerdictUnverified},
	} {
		_, err := rep.Save(project)
		require.NoError(t, err)
	}
	drills := filepath.Join(project, drill.Dir)
	out, errOut, code := cli(t, "", "plan", "--stack", "prod", "--stacks-dir", stacksDir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "last drill: 2026-12-07 10:00 UTC: us-east-1 failed, measured RTO 142.5s (target 900s): met ("+filepath.Join(drills, "prod-20261207T100000Z.json")+")")

	out, errOut, code = cli(t, "", "plan", "--stack", "prod-eu", "--stacks-dir", stacksDir, "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "  - last drill: 2026-12-07 11:00 UTC: eu-central-1 failed, measured RTO not measured (no target): unverified; NOT REVERTED")

	out, errOut, code = cli(t, "", "plan", "--stack", "staging", "--stacks-dir", stacksDir)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "last drill")

	bad := filepath.Join(drills, "staging-20261207T100000Z.json")
	require.NoError(t, os.WriteFile(bad, []byte("{"), 0o644))
	out, _, _ = cli(t, "", "plan", "--stack", "staging", "--stacks-dir", stacksDir)
	assert.Contains(t, out, "last drill: unreadable: "+bad+": not a drill report")

	// the default --stacks-dir (stacks) makes the working directory the project
	t.Chdir(project)
	out, errOut, code = cli(t, "", "plan", "--stack", "prod")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "met (.multiregion/drills/prod-20261207T100000Z.json)")
}

// A drill that started and did not pass exits 1, with its own message.
func TestDrillFailedExitsOne(t *testing.T) {
	t.Parallel()
	err := error(&drillFailedError{"drill failed: RTO missed"})
	var ve *violationsError
	require.ErrorAs(t, err, &ve)
	var ue *usageError
	assert.False(t, errors.As(err, &ue))
	assert.Equal(t, "drill failed: RTO missed", err.Error())
	// and a failed preflight check is exit 2, saying nothing changed
	err = drillError(&drill.PreflightError{})
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), "nothing was changed")
}
