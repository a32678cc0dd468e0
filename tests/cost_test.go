package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// TestEveryEnvironmentIsPricedWithinBudget: each stack, judged as a deployed
// (final) state, has no resource the catalog cannot price and stays within its
// multiregion:budgetUSD, public IPv4 addresses and Container Insights included.
func TestEveryEnvironmentIsPricedWithinBudget(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, environments)
	for env := range environments {
		rec, _, err := render(t, env)
		require.NoError(t, err, env)
		d := model.FromRecorder(rec)
		d.Final = true
		rep := policies.Evaluate(d, policies.Config{})
		require.NotNil(t, rep.Cost, env)
		assert.Empty(t, rep.Cost.Unpriced, "%s: every resource is priced or known free", env)
		assert.Empty(t, rep.Cost.Invalid, env)
		for _, v := range rep.Violations {
			assert.NotEqual(t, "cost-limit", v.Policy, "%s: %s", env, v.Message)
		}
		var ipv4 float64
		for _, l := range rep.Cost.ByResource {
			if l.Type == "aws:ec2/eip:Eip" {
				ipv4 += l.MonthlyUSD
			}
		}
		if env != "dev" { // dev has no NAT gateway; its public IPs are on the ALB and the tasks
			assert.Greater(t, ipv4, 0.0, "%s: the NAT gateways' Elastic IPs are priced", env)
		}
	}
}
