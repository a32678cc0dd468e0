package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/multiregion/multiregion/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/latency"
)

// The README's latency samples are the CLI's output.
func TestREADMELatencySamples(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(data)
	for _, stack := range []string{"prod", "global"} {
		out, errOut, code := cli(t, "", "plan", "--stack", stack, stacksFlag)
		require.Equal(t, 0, code, errOut)
		start := strings.Index(out, "Latency:")
		require.GreaterOrEqual(t, start, 0)
		section := out[start : start+strings.Index(out[start:], "\n\n")+1]
		block := "<!-- latency:" + stack + " -->\n```\n" + section + "```\n<!-- /latency:" + stack + " -->"
		assert.Contains(t, readme, block, "README latency sample of %s is stale: replace it with the Latency section of go run ./cmd/multiregion plan --stack %s", stack, stack)
	}
	out, errOut, code := cli(t, "", "compare", "--stack", "prod", "--stack", "global", stacksFlag)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, readme, "<!-- compare:prod:global -->\n```\n"+out+"```\n",
		"README compare sample is stale: replace it with go run ./cmd/multiregion compare --stack prod --stack global")
}

func TestLatencySectionFormats(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, "", "plan", "--stack", "global", "--format", "json", stacksFlag)
	require.Equal(t, 0, code, errOut)
	var doc struct {
		Latency *latency.Report `json:"latency"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotNil(t, doc.Latency)
	require.Len(t, doc.Latency.Locations, 4)
	assert.Equal(t, "EU", doc.Latency.Locations[1].Code)
	assert.Equal(t, "eu-west-1", doc.Latency.Locations[1].Serving[0].Region)
	require.NotNil(t, doc.Latency.Normal.MedianMs)
	require.NotNil(t, doc.Latency.Baseline.MedianMs)
	assert.Less(t, *doc.Latency.Normal.MedianMs, *doc.Latency.Baseline.MedianMs, "three regions beat one for global users")
	assert.NotEmpty(t, doc.Latency.Sources)

	out, _, code = cli(t, "", "plan", "--stack", "prod-eu", "--format", "markdown", stacksFlag)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "**Latency:** users DE 40%")
	assert.Contains(t, out, "| DE | 40% | eu-central-1 |")

	// Without users the section says what it needs.
	out, _, code = cli(t, "", "plan", "--stack", "dev", "--config", "users=", stacksFlag)
	assert.Equal(t, 2, code, "an empty users value is a config error")
	cfgPath := t.TempDir()
	require.NoError(t, os.WriteFile(cfgPath+"/Pulumi.nousers.yaml", []byte("config:\n  multiregion:topology: single\n  multiregion:regions: [us-east-1]\n  multiregion:dns:\n    domain: app.example.com\n  multiregion:app:\n    image: nginx\n"), 0o644))
	out, errOut, code = cli(t, "", "plan", "--stack", "nousers", "--stacks-dir", cfgPath)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Latency:  the latency estimate needs multiregion:users")

	// A state without the stack's config: no estimate, and why; with it, the estimate.
	state := t.TempDir() + "/state.json"
	_, errOut, code = cli(t, "", "plan", "--stack", "prod", "--out-state", state, stacksFlag)
	require.Equal(t, 0, code, errOut)
	out, errOut, code = cli(t, "", "check", "--state", state, "--format", "json")
	require.Less(t, code, 2, errOut)
	doc.Latency = nil
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotNil(t, doc.Latency)
	assert.Contains(t, doc.Latency.Error, "needs the stack config")
	out, errOut, code = cli(t, "", "check", "--state", state, "--format", "json",
		"--config", `regions=["us-east-1","us-west-2"]`, "--config", `users={"US":1}`)
	require.Less(t, code, 2, errOut)
	doc.Latency = nil
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotNil(t, doc.Latency)
	assert.Empty(t, doc.Latency.Error)
	assert.Equal(t, "route53 failover", doc.Latency.Routing, "the topology's default routing")
	require.Len(t, doc.Latency.Locations, 1)
	assert.Equal(t, "us-west-2", doc.Latency.Locations[0].PrimaryDown[0].Region)
}

func TestCompareUsage(t *testing.T) {
	t.Parallel()
	_, errOut, code := cli(t, "", "compare", "--stack", "prod", stacksFlag)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give exactly two stacks")
	out, errOut, code := cli(t, "", "compare", "--stack", "prod", "--stack", "global", "--format", "json", stacksFlag)
	require.Equal(t, 0, code, errOut)
	var doc struct {
		Stacks []report.CompareDoc `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Stacks, 2)
	assert.Equal(t, 1.0, doc.Stacks[0].Objectives.RPOSeconds)
	assert.Equal(t, "dynamodb-global", doc.Stacks[1].Objectives.Mode)
	assert.NotNil(t, doc.Stacks[1].Latency)
	out, _, code = cli(t, "", "compare", "--stack", "prod", "--stack", "global", "--format", "markdown", stacksFlag)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "| RPO / RTO | ~1s / ~1m | ~1s / ~0 |")
	out, _, code = cli(t, "", "cost", "--stack", "prod", "--compare", "global", "--format", "json", stacksFlag)
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"objectives"`)
	assert.Contains(t, out, `"deltaMonthlyUSD"`)
}
