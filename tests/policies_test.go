package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// evaluate renders env and runs the policy pack over it in-process.
func evaluate(t *testing.T, env string, cfg policies.Config, overrides ...string) (*policies.Report, *model.Deployment) {
	t.Helper()
	rec, _, err := render(t, env, overrides...)
	require.NoError(t, err)
	d := rec.Model()
	return policies.Evaluate(d, cfg), d
}

func TestEveryEnvironmentPassesTheMandatoryPolicies(t *testing.T) {
	t.Parallel()
	for env := range environments {
		rep, _ := evaluate(t, env, policies.Config{})
		for _, v := range rep.Violations {
			assert.NotEqual(t, policies.Mandatory, v.Level, "%s: %s: %s", env, v.Policy, v.Message)
		}
		require.NotNil(t, rep.Cost, env)
		assert.Greater(t, rep.Cost.MonthlyUSD, 0.0, env)
	}
}

func TestProdEUIsClean(t *testing.T) {
	t.Parallel()
	rep, _ := evaluate(t, "prod-eu", policies.Config{})
	assert.Empty(t, rep.Violations, "prod-eu has no violation at any level")
	require.NotNil(t, rep.Cost)
	assert.Equal(t, "eu-central-1", rep.Cost.PrimaryRegion)
	require.NotEmpty(t, rep.Cost.ByRegion, "the cost is broken down by region")
	for region := range rep.Cost.ByRegion {
		assert.True(t, region == "global" || strings.HasPrefix(region, "eu-"), region)
	}
}

// moveRegion re-points every resource on the provider of from to region to,
// the way drift in a user's state would look (the replica's provider region).
func moveRegion(d *model.Deployment, from, to string) {
	for _, r := range d.Resources {
		if r.Type == "pulumi:providers:aws" && r.Region == from {
			r.Inputs = r.Inputs.Copy()
			r.Inputs["region"] = resource.NewProperty(to)
			r.Outputs = r.Inputs
		}
		if r.IsAWS() || r.IsProvider() {
			r.Region = ""
		}
	}
	model.ResolveRegions(d.Resources, "")
}

func TestProdEUReplicaInUSIsAMandatoryResidencyViolation(t *testing.T) {
	t.Parallel()
	_, d := evaluate(t, "prod-eu", policies.Config{})
	moveRegion(d, "eu-west-1", "us-east-1")
	rep := policies.Evaluate(d, policies.Config{})
	var residency []policies.Violation
	for _, v := range rep.Violations {
		if v.Policy == "data-residency" {
			residency = append(residency, v)
			assert.Equal(t, policies.Mandatory, v.Level)
		}
	}
	require.NotEmpty(t, residency)
	var secondary bool
	for _, v := range residency {
		if strings.Contains(v.Message, `Aurora cluster "app-prod-eu-cluster-eu-west-1" is in us-east-1, outside jurisdiction "eu"`) {
			secondary = true
		}
	}
	assert.True(t, secondary, "the moved Aurora secondary is reported: %v", residency)
	assert.Greater(t, rep.Mandatory, 0)

	// the credentials secret replicating to a US region is caught as a copy
	_, d = evaluate(t, "prod-eu", policies.Config{})
	for _, r := range d.Resources {
		if r.Type == "aws:secretsmanager/secret:Secret" {
			r.Inputs = r.Inputs.Copy()
			r.Inputs["replicas"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
				"region": resource.NewProperty("us-east-1")})})
		}
	}
	rep = policies.Evaluate(d, policies.Config{})
	require.Equal(t, 1, rep.Mandatory)
	assert.Contains(t, rep.Violations[0].Message, `copies data to us-east-1 (replicas[0].region), outside jurisdiction "eu"`)
}

func TestResidencyFromPolicyConfigOnAnyStack(t *testing.T) {
	t.Parallel()
	cfg, err := policies.ParseConfig([]byte(`{"data-residency":{"jurisdiction":"eu"}}`))
	require.NoError(t, err)
	rep, _ := evaluate(t, "prod", cfg)
	assert.Greater(t, rep.Mandatory, 0, "prod's US regions break an EU jurisdiction")
	for _, v := range rep.Violations {
		if v.Level == policies.Mandatory {
			assert.Equal(t, "data-residency", v.Policy)
		}
	}
}

func TestBudgetTrips(t *testing.T) {
	t.Parallel()
	cfg, err := policies.ParseConfig([]byte(`{"cost-limit":{"maxMonthlyUSD":500}}`))
	require.NoError(t, err)
	rep, _ := evaluate(t, "prod", cfg)
	var msgs []string
	for _, v := range rep.Violations {
		if v.Policy == "cost-limit" {
			msgs = append(msgs, v.Message)
			assert.Equal(t, policies.Mandatory, v.Level)
			assert.Empty(t, v.URN, "a stack-level violation")
		}
	}
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], "exceeds the budget of $500.00 (cost-limit maxMonthlyUSD)")
	assert.Contains(t, msgs[0], "single-region baseline $")
	assert.Contains(t, msgs[0], "multi-region premium $")

	// the stack's own budget, lowered with a config override
	rep, _ = evaluate(t, "staging", policies.Config{}, "multiregion:budgetUSD", "100")
	assert.Equal(t, 1, rep.Mandatory)
	assert.Contains(t, rep.Violations[0].Message, "(multiregion:budgetUSD)")

	// no budget: report only
	rep, _ = evaluate(t, "staging", policies.Config{}, "multiregion:budgetUSD", "")
	assert.Zero(t, rep.Mandatory)
}

func TestMultiRegionPremiumIsReported(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"staging", "prod", "prod-eu", "global"} {
		rep, d := evaluate(t, env, policies.Config{})
		c := rep.Cost
		require.NotNil(t, c, env)
		// The primary is the first configured region. (Slicing the raw config
		// by len(c.PrimaryRegion) compared "" with "" when no primary was found.)
		var regions []string
		require.NoError(t, json.Unmarshal([]byte(d.Stack.Config["multiregion:regions"]), &regions), env)
		require.NotEmpty(t, regions, env)
		assert.Equal(t, regions[0], c.PrimaryRegion, env)
		assert.Greater(t, c.PremiumUSD, 0.0, env)
		assert.InDelta(t, c.MonthlyUSD, c.SingleRegionBaselineUSD+c.PremiumUSD, 0.01, env)
	}
	rep, _ := evaluate(t, "dev", policies.Config{})
	assert.Zero(t, rep.Cost.PremiumUSD, "a single-region stack has no premium")
}
