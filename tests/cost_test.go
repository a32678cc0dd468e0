package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
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
		d := rec.Model()
		d.Final = true
		rep := policies.Evaluate(d, policies.Config{})
		require.NotNil(t, rep.Cost, env)
		// Every resource is priced or known free, except those the stack accepts
		// unpriced by name: only the ARC Region switch plan, whose price has no
		// public source in the catalog (stacks/Pulumi.prod*.yaml say why).
		for _, u := range rep.Cost.Unpriced {
			assert.Equal(t, "AWS::ARCRegionSwitch::Plan", u.Kind(), "%s: %s is unpriced: %s", env, u.URN, u.Reason)
			assert.Equal(t, policies.StackCostKey+".acceptUnpriced", u.AcceptedBy, "%s: %s", env, u.URN)
		}
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
		if failover := strings.HasPrefix(env, "prod"); failover {
			// The automatic-failover probe: canary runs and the artifact bucket are priced.
			types := map[string]float64{}
			for _, l := range rep.Cost.ByResource {
				types[l.Type] += l.MonthlyUSD
			}
			assert.Greater(t, types["aws:synthetics/canary:Canary"], 0.0, "%s: the failover canary is priced", env)
			assert.Greater(t, types["aws:s3/bucketV2:BucketV2"], 0.0, "%s: the canary's bucket is priced", env)
			assert.Len(t, rep.Cost.Unpriced, 1, "%s: the ARC plan is the only unpriced resource", env)
		}
		if env != "dev" { // dev has no NAT gateway; its public IPs are on the ALB and the tasks
			assert.Greater(t, ipv4, 0.0, "%s: the NAT gateways' Elastic IPs are priced", env)
		}
	}
}

// costLimitMessages returns the cost-limit violations of prod judged as a
// deployed state, after edit changes its stack config.
func costLimitMessages(t *testing.T, cfg policies.Config, edit func(map[string]string)) []string {
	t.Helper()
	rec, _, err := render(t, "prod")
	require.NoError(t, err)
	d := rec.Model()
	d.Final = true
	edit(d.Stack.Config)
	var out []string
	for _, v := range policies.Evaluate(d, cfg).Violations {
		if v.Policy == "cost-limit" {
			out = append(out, v.Message)
		}
	}
	return out
}

// TestStackAcceptsUnpricedByName: prod's multiregion:cost.acceptUnpriced names
// the ARC plan; without it the budget cannot be verified, and accepting the
// Cloud Control token instead does not accept the plan (it would accept every
// CloudFormation type).
func TestStackAcceptsUnpricedByName(t *testing.T) {
	t.Parallel()
	const plan = "AWS::ARCRegionSwitch::Plan"
	assert.Empty(t, costLimitMessages(t, policies.Config{}, func(map[string]string) {}))

	msgs := costLimitMessages(t, policies.Config{}, func(c map[string]string) { delete(c, policies.StackCostKey) })
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], "cannot verify")
	assert.Contains(t, msgs[0], `cost-limit.acceptUnpriced ["`+plan+`"]`, "the fix names the typeName")

	token := policies.Config{Policies: map[string]policies.PolicyConfig{"cost-limit": {
		Properties: map[string]any{"acceptUnpriced": []any{"aws:cloudcontrol/resource:Resource"}}}}}
	msgs = costLimitMessages(t, token, func(c map[string]string) { delete(c, policies.StackCostKey) })
	require.Len(t, msgs, 1, "the token does not accept a typed Cloud Control resource")
	assert.Contains(t, msgs[0], plan)

	byName := policies.Config{Policies: map[string]policies.PolicyConfig{"cost-limit": {
		Properties: map[string]any{"acceptUnpriced": []any{plan}}}}}
	assert.Empty(t, costLimitMessages(t, byName, func(c map[string]string) { delete(c, policies.StackCostKey) }),
		"the policy config accepts by typeName too")

	for raw, want := range map[string]string{
		`["AWS::ARCRegionSwitch::Plan"]`:                   "expected an object",
		`{"acceptUnpriced": "AWS::ARCRegionSwitch::Plan"}`: "expected a list",
		`{"acceptUnpriced": [""]}`:                         "acceptUnpriced[0]",
		`{"accept": ["AWS::ARCRegionSwitch::Plan"]}`:       "multiregion:cost.accept: unknown key",
	} {
		msgs := costLimitMessages(t, policies.Config{}, func(c map[string]string) { c[policies.StackCostKey] = raw })
		require.NotEmpty(t, msgs, raw)
		assert.Contains(t, strings.Join(msgs, "\n"), want, raw)
	}
}

// TestStackCostConfigIsValidated: multiregion:cost is read strictly when the
// stack loads: each acceptUnpriced entry a type token or a Cloud Control
// typeName, listed once, and never the Cloud Control token itself.
func TestStackCostConfigIsValidated(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		`{"acceptUnpriced": ["aws:cloudcontrol/resource:Resource"]}`:                       "would accept every CloudFormation type",
		`{"acceptUnpriced": ["ARC Region switch"]}`:                                        "neither a type token",
		`{"acceptUnpriced": ["AWS::ARCRegionSwitch::Plan", "AWS::ARCRegionSwitch::Plan"]}`: "listed twice",
		`{"acceptUnpriced": [" AWS::ARCRegionSwitch::Plan"]}`:                              "neither a type token",
		`{"acceptUnpriced": "AWS::ARCRegionSwitch::Plan"}`:                                 "multiregion:cost.acceptUnpriced",
		`{"acceptUnpriced": ["AWS::ARCRegionSwitch::Plan"], "priceOverrides": {"x": 1}}`:   "multiregion:cost.priceOverrides: unknown field",
	} {
		_, _, err := render(t, "prod", policies.StackCostKey, raw)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), want, raw)
	}
	_, _, err := render(t, "prod", policies.StackCostKey, `{"acceptUnpriced": ["aws:ec2/eip:Eip", "AWS::ARCRegionSwitch::Plan"]}`)
	assert.NoError(t, err)
}
