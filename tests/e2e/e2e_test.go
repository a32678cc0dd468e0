// Package e2e runs the policy pack and exported plans under the real Pulumi CLI
// (bin/pulumi, built from source by tools/build-pulumi.sh, which .ci/run runs):
// `pulumi policy analyze` over every environment's plan, residency drift, the
// cost limit from --policy-pack-config, and a local-backend round trip.
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

var (
	root        string // the project root
	pulumiBin   string // bin/pulumi
	packBin     string // the executable policy pack
	cliBin      string // the multiregion CLI
	environment = []string{"dev", "staging", "prod", "prod-eu", "global"}
	// skipReason is set when the Pulumi CLI is missing: every test then skips
	// with it, so `go test` reports the tests as skipped, not as passed.
	skipReason string
)

// needCLI skips the test when the Pulumi CLI could not be found.
func needCLI(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

func TestMain(m *testing.M) {
	wd, _ := os.Getwd()
	root = filepath.Clean(filepath.Join(wd, "..", ".."))
	pulumiBin = filepath.Join(root, "bin", "pulumi")
	if _, err := os.Stat(pulumiBin); err != nil {
		skipReason = fmt.Sprintf("%s not found: build it with tools/build-pulumi.sh (.ci/run does; the e2e tests skip only when that build fails)", pulumiBin)
		os.Exit(m.Run())
	}
	tmp, err := os.MkdirTemp("", "multiregion-e2e-bins")
	if err != nil {
		panic(err)
	}
	packBin = filepath.Join(tmp, "multiregion-policies")
	cliBin = filepath.Join(tmp, "multiregion")
	for out, pkg := range map[string]string{packBin: "./policies/pack", cliBin: "./cmd/multiregion"} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			fmt.Printf("e2e: go build %s: %v\n%s", pkg, err, b)
			os.Exit(1)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(tmp)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// pulumiEnv isolates the Pulumi CLI: its own home and file backend, no prompts,
// no update checks, an empty passphrase for the local secrets provider.
func pulumiEnv(t *testing.T) []string {
	t.Helper()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, "state"), 0o755))
	return append(pulumiHome(home), "PULUMI_BACKEND_URL=file://"+filepath.Join(home, "state"))
}

// pulumiHome is pulumiEnv without a backend: the caller logs in.
func pulumiHome(home string) []string {
	return append(os.Environ(),
		"PULUMI_HOME="+home,
		"PULUMI_CONFIG_PASSPHRASE=",
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
		"PULUMI_SKIP_CONFIRMATIONS=true",
		"NO_COLOR=1",
	)
}

func execIn(t *testing.T, dir string, env []string, stdin string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{out.String(), errOut.String(), code}
}

// plan writes an environment's plan as a state file and returns its path.
func plan(t *testing.T, env string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), env+".json")
	r := execIn(t, root, os.Environ(), "", cliBin, "plan", "--stack", env, "--out-state", path)
	require.Equal(t, 0, r.code, r.String())
	return path
}

// analyze runs `pulumi policy analyze --file` with the executable pack, from dir.
func analyze(t *testing.T, dir, state string, extra ...string) result {
	t.Helper()
	args := append([]string{"policy", "analyze", "--file", state, "--policy-pack", packBin, "--non-interactive"}, extra...)
	return execIn(t, dir, pulumiEnv(t), "", pulumiBin, args...)
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	data, err := json.Marshal(v)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func TestPulumiVersion(t *testing.T) {
	needCLI(t)
	r := execIn(t, root, pulumiEnv(t), "", pulumiBin, "version")
	require.Equal(t, 0, r.code, r.String())
	assert.Equal(t, "v3.274.1", strings.TrimSpace(r.stdout))
}

func TestEveryEnvironmentPassesUnderPolicyAnalyze(t *testing.T) {
	needCLI(t)
	for _, env := range environment {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			state := plan(t, env)
			// from the project root: the pack also reads stacks/Pulumi.<env>.yaml
			r := analyze(t, root, state)
			assert.Equal(t, 0, r.code, r.String())
			assert.NotContains(t, r.stdout+r.stderr, "mandatory policy violations were found")
			// from elsewhere, with no stack config at all
			r = analyze(t, t.TempDir(), state)
			assert.Equal(t, 0, r.code, r.String())
			// the offline check agrees
			c := execIn(t, root, os.Environ(), "", cliBin, "check", "--state", state)
			assert.Equal(t, 0, c.code, c.String())
		})
	}
}

// moveProvider writes a copy of state with one provider moved to region.
func moveProvider(t *testing.T, state, provider, region string) string {
	t.Helper()
	data, err := os.ReadFile(state)
	require.NoError(t, err)
	moved, err := synth.MoveProvider(data, provider, region)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "moved.json")
	require.NoError(t, os.WriteFile(path, moved, 0o644))
	return path
}

func TestMovedReplicaFailsBoth(t *testing.T) {
	needCLI(t)
	t.Parallel()
	state := moveProvider(t, plan(t, "prod-eu"), "aws-eu-west-1", "us-east-1")
	cfg := writeJSON(t, map[string]any{"data-residency": map[string]any{"jurisdiction": "eu"}})

	r := analyze(t, t.TempDir(), state, "--policy-pack-config", cfg)
	assert.NotEqual(t, 0, r.code, r.String())
	out := r.stdout + r.stderr
	assert.Contains(t, out, "data-residency", r.String())
	assert.Contains(t, out, "outside jurisdiction \"eu\"", r.String())
	assert.Contains(t, out, "mandatory", r.String())

	c := execIn(t, root, os.Environ(), "", cliBin, "check", "--state", state, "--policy-config", cfg)
	assert.Equal(t, 1, c.code, c.String())
	assert.Contains(t, c.stdout, "MANDATORY data-residency")

	// run from the project root, the pack takes the jurisdiction from stacks/Pulumi.prod-eu.yaml
	r = analyze(t, root, state)
	assert.NotEqual(t, 0, r.code, r.String())
	assert.Contains(t, r.stdout+r.stderr, "outside jurisdiction \"eu\"")
}

func TestCostLimitFromPolicyPackConfig(t *testing.T) {
	needCLI(t)
	t.Parallel()
	state := plan(t, "prod")
	cfg := writeJSON(t, map[string]any{"cost-limit": map[string]any{"maxMonthlyUSD": 100}})
	r := analyze(t, t.TempDir(), state, "--policy-pack-config", cfg)
	assert.NotEqual(t, 0, r.code, r.String())
	out := r.stdout + r.stderr
	assert.Contains(t, out, "cost-limit", r.String())
	assert.Contains(t, out, "exceeds the budget of $100.00", r.String())

	c := execIn(t, root, os.Environ(), "", cliBin, "check", "--state", state, "--policy-config", cfg)
	assert.Equal(t, 1, c.code, c.String())

	// a level from the config is honoured: advisory passes
	cfg = writeJSON(t, map[string]any{"cost-limit": map[string]any{"enforcementLevel": "advisory", "maxMonthlyUSD": 100}})
	r = analyze(t, t.TempDir(), state, "--policy-pack-config", cfg)
	assert.Equal(t, 0, r.code, r.String())
	assert.Contains(t, r.stdout+r.stderr, "exceeds the budget")
}

// configSetArgs turns one stack-file value into `pulumi config set` calls: a
// scalar is set as is, objects and lists leaf by leaf with --path.
func configSetArgs(key string, v any) [][]string {
	switch t := v.(type) {
	case map[string]any:
		var out [][]string
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := key + "." + k
			if strings.ContainsAny(k, ".*[]-") {
				sub = key + `["` + k + `"]`
			}
			out = append(out, configSetArgs(sub, t[k])...)
		}
		return out
	case []any:
		var out [][]string
		for i, e := range t {
			out = append(out, configSetArgs(fmt.Sprintf("%s[%d]", key, i), e)...)
		}
		return out
	}
	args := []string{"config", "set", "--path", key, fmt.Sprint(v)}
	switch v.(type) {
	case int:
		args = append(args, "--type", "int")
	case float64:
		typ := "int"
		if v.(float64) != math.Trunc(v.(float64)) {
			typ = "float"
		}
		args = append(args, "--type", typ)
	case bool:
		args = append(args, "--type", "bool")
	}
	return [][]string{args}
}

func TestLocalBackendRoundTrip(t *testing.T) {
	needCLI(t)
	t.Parallel()
	env := pulumiHome(t.TempDir())
	project := t.TempDir()
	data, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.yaml"), data, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(project, "stacks"), 0o755))
	backend := t.TempDir()

	run := func(args ...string) result {
		t.Helper()
		r := execIn(t, project, env, "", pulumiBin, append(args, "--non-interactive")...)
		require.Equal(t, 0, r.code, "pulumi %v: %s", args, r.String())
		return r
	}
	run("login", "file://"+backend)
	run("stack", "init", "prod-eu", "--secrets-provider", "passphrase")

	// pulumi config set, from the real stack file
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	raw, err := os.ReadFile(filepath.Join(root, "stacks", "Pulumi.prod-eu.yaml"))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(raw, &file))
	keys := make([]string, 0, len(file.Config))
	for k := range file.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, args := range configSetArgs(k, file.Config[k]) {
			run(append(args, "--stack", "prod-eu")...)
		}
	}
	written, err := os.ReadFile(filepath.Join(project, "stacks", "Pulumi.prod-eu.yaml"))
	require.NoError(t, err)
	// the config Pulumi wrote renders the same stack as the original
	check := execIn(t, project, os.Environ(), "", cliBin, "check", "--stack", "prod-eu", "--stacks-dir", filepath.Join(project, "stacks"), "--format", "json")
	require.Equal(t, 0, check.code, "config written by pulumi config set:\n%s\n%s", written, check.String())

	// import the plan and analyze the stack; the pack reads the stack's config
	state := plan(t, "prod-eu")
	run("stack", "import", "--file", state, "--stack", "prod-eu")
	r := execIn(t, project, env, "", pulumiBin, "policy", "analyze", "--stack", "prod-eu", "--policy-pack", packBin, "--non-interactive")
	assert.Equal(t, 0, r.code, r.String())

	moved := moveProvider(t, state, "aws-eu-west-1", "us-east-1")
	run("stack", "import", "--file", moved, "--stack", "prod-eu", "--force")
	r = execIn(t, project, env, "", pulumiBin, "policy", "analyze", "--stack", "prod-eu", "--policy-pack", packBin, "--non-interactive")
	assert.NotEqual(t, 0, r.code, r.String())
	assert.Contains(t, r.stdout+r.stderr, "outside jurisdiction \"eu\"", "the jurisdiction came from the stack config: %s", r.String())
}

// TestAnalyzerAndCheckPriceAlike: the pack under `pulumi policy analyze` and
// `multiregion check --state` see one resource model, so they price the same
// state to the same cent (the analyzer gets no resource IDs and no "custom"
// flag: NAT gateways' Elastic IPs are matched by allocationId, and custom
// resources are told from components by their provider).
func TestAnalyzerAndCheckPriceAlike(t *testing.T) {
	needCLI(t)
	t.Parallel()
	cfg := writeJSON(t, map[string]any{"cost-limit": map[string]any{"maxMonthlyUSD": 10}})
	estimate := regexp.MustCompile(`estimated \$[0-9.]+/month[^:]*: single-region baseline \$[0-9.]+`)
	for _, env := range environment {
		state := plan(t, env)
		a := analyze(t, root, state, "--policy-pack-config", cfg)
		c := execIn(t, root, os.Environ(), "", cliBin, "check", "--state", state, "--policy-config", cfg)
		want := estimate.FindString(c.stdout)
		require.NotEmpty(t, want, "%s: check --state reports the estimate over budget: %s", env, c.String())
		assert.Contains(t, a.stdout+a.stderr, want, "%s: policy analyze prices the state as check --state does", env)
	}
}
