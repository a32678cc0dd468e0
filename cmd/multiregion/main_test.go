package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/report"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const stacksFlag = "--stacks-dir=../../stacks"

// cli runs the CLI in-process and returns stdout, stderr and the exit code.
func cli(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file: run go test ./cmd/multiregion -update")
	assert.Equal(t, string(want), got, "%s differs: if the change is intended, run go test ./cmd/multiregion -update and review the diff", name)
}

func TestGoldenReports(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"dev", "prod-eu"} {
		for format, ext := range map[string]string{"table": "txt", "json": "json", "markdown": "md"} {
			out, errOut, code := cli(t, "", "plan", "--stack", stack, "--format", format, stacksFlag)
			require.Equal(t, 0, code, errOut)
			golden(t, "plan-"+stack+"."+ext, out)
		}
	}
	out, _, code := cli(t, "", "diagram", "--stack", "prod", stacksFlag)
	require.Equal(t, 0, code)
	golden(t, "diagram-prod.mmd", out)
	out, _, code = cli(t, "", "diagram", "--stack", "prod-eu", "--format", "dot", stacksFlag)
	require.Equal(t, 0, code)
	golden(t, "diagram-prod-eu.dot", out)
}

func TestJSONContract(t *testing.T) {
	t.Parallel()
	out, _, code := cli(t, "", "plan", "--stack", "prod", "--format", "json", stacksFlag)
	require.Equal(t, 0, code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	for _, k := range []string{"stack", "topology", "regions", "resources", "summary", "cost", "policies"} {
		assert.Contains(t, doc, k)
	}
	res := doc["resources"].([]any)[0].(map[string]any)
	for _, k := range []string{"urn", "type", "name", "region", "parent", "provider", "inputs"} {
		assert.Contains(t, res, k)
	}
	for _, k := range []string{"total", "byRegion", "byType"} {
		assert.Contains(t, doc["summary"], k)
	}
	for _, k := range []string{"monthlyUSD", "singleRegionBaselineUSD", "byRegion", "byResource", "unpriced", "catalogDate"} {
		assert.Contains(t, doc["cost"], k)
	}
	for _, k := range []string{"mandatory", "advisory", "violations"} {
		assert.Contains(t, doc["policies"], k)
	}
	assert.False(t, strings.Contains(out, "mock-"), "secret values never appear in the report")
	assert.True(t, strings.Contains(out, `"masterPassword": "[secret]"`), "secrets are shown as [secret]")
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"clean plan", []string{"plan", "--stack", "prod"}, 0, ""},
		{"clean check", []string{"check", "--stack", "prod-eu"}, 0, ""},
		{"violating check", []string{"check", "--stack", "prod", "--config", "budgetUSD=100"}, 1, "1 mandatory policy violation(s)"},
		{"plan reports but passes", []string{"plan", "--stack", "prod", "--config", "budgetUSD=100"}, 0, ""},
		{"invalid config", []string{"check", "--stack", "prod-eu", "--config", `regions=["eu-central-1","us-east-1"]`}, 2, `us-east-1 is outside residency "eu"`},
		{"unknown stack", []string{"plan", "--stack", "qa"}, 2, `unknown stack "qa"`},
		{"stack as a path", []string{"plan", "--stack", "stacks/Pulumi.prod.yaml"}, 2, "give a stack's name (prod for stacks/Pulumi.prod.yaml), not a path"},
		{"no stack", []string{"plan"}, 2, "--stack is required"},
		{"bad format", []string{"plan", "--stack", "dev", "--format", "yaml"}, 2, `--format "yaml": use table, json, markdown`},
		{"unknown flag", []string{"plan", "--stack", "dev", "--nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"plan", "dev"}, 2, `unexpected argument "dev"`},
		{"unknown command", []string{"deploy"}, 2, `unknown command "deploy"`},
		{"no command", nil, 2, "no command"},
		{"bad override", []string{"plan", "--stack", "dev", "--config", "budgetUSD"}, 2, "expected key=value"},
		{"override past the list", []string{"plan", "--stack", "dev", "--config", "regions[5]=us-west-2"}, 2, "regions[5]: array index out of range: a dotted key sets an object's field and [N] a list's element"},
		{"bad policy config", []string{"check", "--stack", "dev", "--policy-config", "testdata/bad-policy-config.json"}, 2, "unknown policy"},
		{"missing policy config", []string{"check", "--stack", "dev", "--policy-config", "nope.json"}, 2, "--policy-config"},
		{"stack and state", []string{"check", "--stack", "dev", "--state", "x.json"}, 2, "either --stack or --state"},
		{"state missing", []string{"check", "--state", "missing.json"}, 2, "--state: open missing.json"},
		{"state not json", []string{"check", "--state", "testdata/bad-policy-config.json"}, 2, "not a Pulumi deployment"},
		{"no stacks dir", []string{"plan", "--stack", "dev", "--stacks-dir", "nowhere"}, 2, `no stacks directory "nowhere"`},
		{"stack twice", []string{"plan", "--stack", "prod", "--stack", "dev"}, 2, `--stack given twice ("prod", then "dev"): give it once`},
		{"format twice", []string{"cost", "--stack", "dev", "--format", "json", "--format", "table"}, 2, "--format given twice"},
		{"stacks dir twice", []string{"plan", "--stack", "dev", "--stacks-dir", "../../stacks", "--stacks-dir", "stacks"}, 2, "--stacks-dir given twice"},
		{"cost compare itself", []string{"cost", "--stack", "dev", "--compare", "dev"}, 2, "--compare dev is the --stack itself"},
		{"compare itself", []string{"compare", "--stack", "dev", "--stack", "dev"}, 2, "--stack dev given twice: name two different stacks"},
		{"empty out-state", []string{"plan", "--stack", "dev", "--out-state="}, 2, "plan: --out-state is empty: give it a value, or leave the flag out"},
		{"empty state", []string{"check", "--state="}, 2, "check: --state is empty"},
		{"unknown shell", []string{"completion", "tcsh"}, 2, `unknown shell "tcsh": use bash, fish, powershell, zsh`},
		{"no shell", []string{"completion"}, 2, "completion: name a shell"},
		{"help", []string{"help"}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := tc.args
			if len(args) > 0 && args[0] != "help" && args[0] != "completion" && !contains(args, "--stacks-dir") {
				args = append(args, stacksFlag)
			}
			_, errOut, code := cli(t, "", args...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Contains(t, errOut, tc.err)
			assert.NotContains(t, errOut, "goroutine", "never a stack trace")
			if tc.code != 0 {
				assert.True(t, strings.HasPrefix(errOut, "multiregion: ") || strings.Contains(errOut, "\nmultiregion: "), errOut)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestConfigOverrides(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, "", "plan", "--stack", "staging", "--format", "json", stacksFlag,
		"--config", "database.multiAZ=true", "--config", "multiregion:budgetUSD=2000",
		"--config", `multiregion:regions=["us-east-1","us-east-2"]`, "--config", "dns.failureThreshold=5")
	require.Equal(t, 0, code, errOut)
	var doc report.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "rds-replica", doc.Database.Mode, "the rest of the object is kept")
	assert.Equal(t, 2000.0, *doc.BudgetUSD)
	assert.Equal(t, []string{"us-east-1", "us-east-2"}, doc.Regions)
	multiAZ, checks := 0, 0
	for _, r := range doc.Resources {
		if r.Type == "aws:rds/instance:Instance" && r.Inputs["multiAz"] == true {
			multiAZ++
		}
		if r.Type == "aws:route53/healthCheck:HealthCheck" && r.Inputs["failureThreshold"] == 5.0 {
			checks++
		}
	}
	assert.Equal(t, 2, multiAZ, "a dotted key sets one field of the object")
	assert.Equal(t, 2, checks)

	_, errOut, code = cli(t, "", "plan", "--stack", "prod", stacksFlag, "--config", "database.mode.x=1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--config database.mode.x=1: `)
	assert.Contains(t, errOut, `database.mode: expected a map`)
}

func TestCostCommand(t *testing.T) {
	t.Parallel()
	out, _, code := cli(t, "", "cost", "--stack", "staging", "--compare", "prod", "--format", "json", stacksFlag)
	require.Equal(t, 0, code)
	var doc struct {
		Cost    report.CostDoc `json:"cost"`
		Compare struct {
			Cost  report.CostDoc `json:"cost"`
			Delta float64        `json:"deltaMonthlyUSD"`
		} `json:"compare"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.InDelta(t, doc.Compare.Cost.MonthlyUSD-doc.Cost.MonthlyUSD, doc.Compare.Delta, 0.011)
	assert.Greater(t, doc.Compare.Delta, 0.0, "prod costs more than staging")

	out, _, code = cli(t, "", "cost", "--stack", "dev", stacksFlag)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "Stack dev: $")
	assert.Contains(t, out, "app-dev-db-us-east-1")
}

func TestStacksCommand(t *testing.T) {
	t.Parallel()
	out, _, code := cli(t, "", "stacks", stacksFlag)
	require.Equal(t, 0, code)
	for _, s := range []string{"dev", "staging", "prod", "prod-eu", "global", "active-active", "cloudflare geolocation"} {
		assert.Contains(t, out, s)
	}

	// a broken file is one short row that says where to look, not the parser's
	// whole message stretching the table
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.broken.yaml"), []byte("config:\n  multiregion:regions: [\n"), 0o644))
	out, errOut, code := cli(t, "", "stacks", "--stacks-dir", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "broken  unreadable file (multiregion plan --stack broken shows why)")
	assert.NotContains(t, out, "yaml:")
}

// TestStateRoundTrip writes a plan as a deployment, checks it against the
// SDK's deployment JSON schema and types, and checks it back with --state.
func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "prod-eu.json")
	_, errOut, code := cli(t, "", "plan", "--stack", "prod-eu", "--out-state", path, stacksFlag)
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	// the SDK's schema, as `pulumi stack import` validates it
	compiler := jsonschema.NewCompiler()
	compiler.LoadURL = func(s string) (io.ReadCloser, error) {
		switch s {
		case apitype.DeploymentSchemaID:
			return io.NopCloser(strings.NewReader(apitype.DeploymentSchema())), nil
		case apitype.ResourceSchemaID:
			return io.NopCloser(strings.NewReader(apitype.ResourceSchema())), nil
		case apitype.PropertyValueSchemaID:
			return io.NopCloser(strings.NewReader(apitype.PropertyValueSchema())), nil
		}
		return jsonschema.LoadURL(s)
	}
	schema := compiler.MustCompile(apitype.DeploymentSchemaID)
	var raw any
	require.NoError(t, json.Unmarshal(data, &raw))
	if err := schema.Validate(raw); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			out, _ := json.MarshalIndent(ve.BasicOutput(), "", " ")
			t.Fatalf("the state fails the deployment schema: %.3000s", out)
		}
		t.Fatal(err)
	}

	// and the SDK's types
	var untyped apitype.UntypedDeployment
	require.NoError(t, json.Unmarshal(data, &untyped))
	assert.Equal(t, 3, untyped.Version)
	var dep apitype.DeploymentV3
	require.NoError(t, json.Unmarshal(untyped.Deployment, &dep))
	require.Greater(t, len(dep.Resources), 100)
	root := dep.Resources[0]
	assert.Equal(t, "pulumi:pulumi:Stack", string(root.Type))
	urns := map[string]bool{}
	for _, r := range dep.Resources {
		assert.True(t, r.URN.IsValid(), r.URN)
		urns[string(r.URN)] = true
	}
	for _, r := range dep.Resources[1:] {
		assert.True(t, urns[string(r.Parent)], "%s: parent %s is in the state", r.URN, r.Parent)
		if r.Custom && !strings.HasPrefix(string(r.Type), "pulumi:providers:") && r.Provider != "" {
			ref := r.Provider[:strings.LastIndex(r.Provider, "::")]
			assert.True(t, urns[ref], "%s: provider %s is in the state", r.URN, ref)
		}
		if r.Custom {
			assert.NotEmpty(t, r.ID, r.URN)
		}
	}
	assert.NotContains(t, string(data), "mock-", "no secret value is written")

	// the same verdict from the state as from the stack
	out, errOut, code := cli(t, "", "check", "--state", path, "--format", "json", "--config", "residency=eu")
	require.Equal(t, 0, code, errOut)
	var doc report.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Zero(t, doc.Policies.Mandatory)
	assert.Equal(t, []string{"eu-central-1", "eu-west-1"}, doc.Regions)

	// drift: the secondary's provider moved to us-east-1 -> mandatory residency violation
	moved, err := synth.MoveProvider(data, "aws-eu-west-1", "us-east-1")
	require.NoError(t, err)
	out, errOut, code = cli(t, string(moved), "check", "--state", "-", "--config", "residency=eu")
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "MANDATORY data-residency")
	assert.Contains(t, out, "is in us-east-1, outside jurisdiction \"eu\"")
}

// slowReader delivers its data only after a delay, like a slow pipe.
type slowReader struct {
	delay time.Duration
	data  io.Reader
	once  bool
}

func (s *slowReader) Read(p []byte) (int, error) {
	if !s.once {
		time.Sleep(s.delay)
		s.once = true
	}
	return s.data.Read(p)
}

func TestProgressLineForSlowWork(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "dev.json")
	_, errOut, code := cli(t, "", "plan", "--stack", "dev", "--out-state", path, stacksFlag)
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	var out, stderr bytes.Buffer
	code = run([]string{"check", "--state", "-", stacksFlag}, &slowReader{delay: 1200 * time.Millisecond, data: bytes.NewReader(data)}, &out, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Equal(t, "multiregion: reading standard input...\n", stderr.String())

	stderr.Reset()
	code = run([]string{"check", "--state", path, stacksFlag}, strings.NewReader(""), &out, &stderr)
	require.Equal(t, 0, code)
	assert.Empty(t, stderr.String(), "fast work prints no progress line")
}

// TestStateCheckShowsTheStacksBudget: check --state enforces the budget of the
// stack its URNs name (its stack file), so the report says so instead of "no
// budget set", in text and JSON.
func TestStateCheckShowsTheStacksBudget(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "prod-eu.json")
	_, errOut, code := cli(t, "", "plan", "--stack", "prod-eu", "--out-state", path, stacksFlag)
	require.Equal(t, 0, code, errOut)
	out, errOut, code := cli(t, "", "check", "--state", path, stacksFlag)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "budget $1,700.00/month")
	assert.NotContains(t, out, "no budget set")
	out, errOut, code = cli(t, "", "check", "--state", path, "--format", "json", stacksFlag)
	require.Equal(t, 0, code, errOut)
	var doc struct {
		BudgetUSD *float64 `json:"budgetUSD"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotNil(t, doc.BudgetUSD)
	assert.Equal(t, 1700.0, *doc.BudgetUSD)
}

// TestZeroBudgetIsShownAsABudget: a $0 budget is a budget every cost exceeds,
// not "no budget set".
func TestZeroBudgetIsShownAsABudget(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"cost-limit":{"maxMonthlyUSD":0}}`), 0o644))
	out, _, code := cli(t, "", "check", "--stack", "dev", "--policy-config", cfg, stacksFlag)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "budget $0.00/month (cost-limit maxMonthlyUSD): any cost exceeds it")
	assert.NotContains(t, out, "no budget set")
}
