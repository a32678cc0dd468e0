package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/multiregion/multiregion/report"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMEIsGenerated keeps the README true: its diagrams are the CLI's output,
// its environment costs are the current estimates, and the quick start's sample
// output is what `plan --stack prod` prints.
func TestREADMEIsGenerated(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(data)

	for _, stack := range []string{"prod", "prod-eu"} {
		out, errOut, code := cli(t, "", "diagram", "--stack", stack, stacksFlag)
		require.Equal(t, 0, code, errOut)
		block := "<!-- diagram:" + stack + " -->\n```mermaid\n" + out + "```\n<!-- /diagram:" + stack + " -->"
		assert.True(t, strings.Contains(readme, block),
			"README diagram of %s is stale: replace it with the output of go run ./cmd/multiregion diagram --stack %s", stack, stack)
	}

	for _, stack := range []string{"dev", "staging", "prod", "prod-eu", "global"} {
		out, _, code := cli(t, "", "cost", "--stack", stack, "--format", "json", stacksFlag)
		require.Equal(t, 0, code)
		var doc struct {
			Cost report.CostDoc `json:"cost"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		row := "| `" + stack + "` |"
		var line string
		for _, l := range strings.Split(readme, "\n") {
			if strings.HasPrefix(l, row) {
				line = l
			}
		}
		require.NotEmpty(t, line, "README environments table has a row for %s", stack)
		assert.Contains(t, line, "| "+report.Money(doc.Cost.MonthlyUSD)+" |", "README monthly cost of %s is stale", stack)
		if doc.Cost.PremiumUSD > 0 {
			assert.Contains(t, line, "| "+report.Money(doc.Cost.PremiumUSD)+" |", "README premium of %s is stale", stack)
		}
	}

	out, _, code := cli(t, "", "plan", "--stack", "prod", stacksFlag)
	require.Equal(t, 0, code)
	start := strings.Index(readme, "```\nStack prod:")
	require.GreaterOrEqual(t, start, 0, "the quick start shows the plan's output")
	sample := readme[start+4 : start+4+strings.Index(readme[start+4:], "```")]
	for _, line := range strings.Split(strings.TrimSpace(sample), "\n") {
		if strings.TrimSpace(line) == "..." || line == "" {
			continue
		}
		assert.Contains(t, out, line, "README quick-start output is stale")
	}
	assert.Contains(t, readme, "go run ./cmd/multiregion plan --stack prod")
	assert.Contains(t, readme, "go test ./...")
}

// TestREADMEListsEveryFlag: every command and every flag the CLI defines is in
// the README, so a new flag cannot go undocumented.
func TestREADMEListsEveryFlag(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(data)
	n := 0
	for _, c := range commands(t) {
		if c.Name() == "version" {
			continue
		}
		assert.Contains(t, readme, "`"+c.Name(), "README names the %s command", c.Name())
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			n++
			assert.Contains(t, readme, "--"+f.Name, "README documents %s --%s", c.Name(), f.Name)
		})
	}
	assert.Greater(t, n, 20, "the commands' flags were listed")
}
