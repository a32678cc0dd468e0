package policies_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// costRes builds a resource for the cost tests (inputs = outputs).
func costRes(typ, name, region string, p map[string]any) *model.Resource {
	m := resource.NewPropertyMapFromMap(p)
	return &model.Resource{URN: "urn:pulumi:test::multiregion::" + typ + "::" + name, Type: typ, Name: name,
		Region: region, Custom: true, ID: name + "-id", Inputs: m, Outputs: m}
}

func many(n int, typ, name, region string, p map[string]any) []*model.Resource {
	out := make([]*model.Resource, n)
	for i := range out {
		out[i] = costRes(typ, fmt.Sprintf("%s-%d", name, i), region, p)
	}
	return out
}

// evaluateCost runs the pack on rs with a $1,000 budget and returns the
// cost-limit violations.
func evaluateCost(t *testing.T, rs []*model.Resource, props map[string]any, final bool) []policies.Violation {
	t.Helper()
	d := &model.Deployment{Stack: model.Stack{Name: "prod", Project: "multiregion",
		Config: map[string]string{"multiregion:budgetUSD": "1000", "multiregion:regions": `["us-east-1"]`}},
		Resources: rs, Final: final}
	cfg := policies.Config{Policies: map[string]policies.PolicyConfig{}}
	if props != nil {
		cfg.Policies["cost-limit"] = policies.PolicyConfig{Properties: props}
	}
	var out []policies.Violation
	for _, v := range policies.Evaluate(d, cfg).Violations {
		if v.Policy == "cost-limit" {
			out = append(out, v)
		}
	}
	return out
}

// TestCostEvasions: each way the budget check used to pass a deployment that
// costs more than the budget (or could not be priced) is now a violation, or
// "cannot verify" (a violation at the policy's level in a final state, advisory
// in a preview).
func TestCostEvasions(t *testing.T) {
	t.Parallel()
	td := func(rev int) *model.Resource {
		return costRes("aws:ecs/taskDefinition:TaskDefinition", fmt.Sprintf("app-td-%d", rev), "us-east-1",
			map[string]any{"family": "app", "revision": rev, "cpu": "4096", "memory": "30720",
				"arn": fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/app:%d", rev)})
	}
	regionless := costRes("aws:ec2/natGateway:NatGateway", "hidden-nat", "", nil)
	regionless.RegionUnknown = "its provider's region is an encrypted secret: export the state with --show-secrets"
	cases := []struct {
		name  string
		rs    []*model.Resource
		props map[string]any
		// cannotVerify: the verdict is "cannot verify" (level depends on Final);
		// otherwise a plain violation, mandatory in both.
		cannotVerify bool
		want         string
	}{
		{name: "20 Aurora instances of a class the catalog lacks", cannotVerify: true, want: "20 resource(s) the price catalog cannot price",
			rs: many(20, "aws:rds/clusterInstance:ClusterInstance", "aurora", "us-east-1",
				map[string]any{"engine": "aurora-postgresql", "instanceClass": "db.x2g.16xlarge"})},
		{name: "Aurora Serverless v2 has no instance price", cannotVerify: true, want: `aws:rds/clusterInstance:ClusterInstance: no catalog price "aurora.aurora-postgresql.standard.db.serverless"`,
			rs: many(1, "aws:rds/clusterInstance:ClusterInstance", "serverless", "us-east-1",
				map[string]any{"engine": "aurora-postgresql", "instanceClass": "db.serverless"})},
		{name: "50 EC2 GPU instances", want: "exceeds the budget",
			rs: many(50, "aws:ec2/instance:Instance", "gpu", "us-east-1", map[string]any{"instanceType": "p4d.24xlarge"})},
		{name: "an EC2 instance type the catalog lacks", cannotVerify: true, want: `no catalog price "ec2.x2iedn.32xlarge.hour"`,
			rs: many(1, "aws:ec2/instance:Instance", "big", "us-east-1", map[string]any{"instanceType": "x2iedn.32xlarge"})},
		{name: "provisioned DynamoDB capacity", want: "exceeds the budget",
			rs: many(1, "aws:dynamodb/table:Table", "table", "us-east-1",
				map[string]any{"billingMode": "PROVISIONED", "readCapacity": 40000, "writeCapacity": 40000})},
		{name: "DynamoDB with no billingMode is provisioned", want: "exceeds the budget",
			rs: many(1, "aws:dynamodb/table:Table", "table", "us-east-1",
				map[string]any{"readCapacity": 10000, "writeCapacity": 10000})},
		{name: "taskDefinition given as family:revision", want: "exceeds the budget",
			rs: append([]*model.Resource{td(3), td(4)}, costRes("aws:ecs/service:Service", "svc", "us-east-1",
				map[string]any{"taskDefinition": "app:3", "desiredCount": 100, "launchType": "FARGATE"}))},
		{name: "taskDefinition given as a bare family", want: "exceeds the budget",
			rs: []*model.Resource{td(7), costRes("aws:ecs/service:Service", "svc", "us-east-1",
				map[string]any{"taskDefinition": "app", "desiredCount": 100})}},
		{name: "taskDefinition outside the deployment", cannotVerify: true, want: `task definition "other:1" is not in the deployment`,
			rs: many(1, "aws:ecs/service:Service", "svc", "us-east-1", map[string]any{"taskDefinition": "other:1", "desiredCount": 100})},
		{name: "resources in a region outside the catalog", cannotVerify: true, want: `the catalog has no prices for region "us-gov-west-1"`,
			rs: many(10, "aws:ec2/natGateway:NatGateway", "nat", "us-gov-west-1", nil)},
		{name: "a resource whose region cannot be read", cannotVerify: true, want: "its region cannot be read (its provider's region is an encrypted secret",
			rs: []*model.Resource{regionless}},
		{name: "a type the catalog does not know", cannotVerify: true, want: "aws:sqs/queue:Queue: no price for this type",
			rs: many(1, "aws:sqs/queue:Queue", "q", "us-east-1", nil)},
		{name: "another cloud's resources", cannotVerify: true, want: "gcp:compute/instance:Instance",
			rs: many(1, "gcp:compute/instance:Instance", "vm", "", nil)},
		{name: "negative desiredCount", want: "desiredCount is -3: it must be a whole number >= 0; the resource is left out",
			rs: append([]*model.Resource{td(1)}, costRes("aws:ecs/service:Service", "svc", "us-east-1",
				map[string]any{"taskDefinition": "app:1", "desiredCount": -3}))},
		{name: "fractional desiredCount", want: "desiredCount is 2.5",
			rs: append([]*model.Resource{td(1)}, costRes("aws:ecs/service:Service", "svc", "us-east-1",
				map[string]any{"taskDefinition": "app:1", "desiredCount": 2.5}))},
		{name: "negative DynamoDB capacity", want: "writeCapacity is -100000",
			rs: many(1, "aws:dynamodb/table:Table", "table", "us-east-1",
				map[string]any{"billingMode": "PROVISIONED", "readCapacity": 1, "writeCapacity": -100000})},
		{name: "negative allocatedStorage", want: "allocatedStorage is -5000",
			rs: many(1, "aws:rds/instance:Instance", "db", "us-east-1",
				map[string]any{"engine": "postgres", "instanceClass": "db.t4g.micro", "allocatedStorage": -5000})},
		{name: "negative usage override", want: "cost-limit.usage.natGBPerMonth is -1e+06",
			props: map[string]any{"usage": map[string]any{"natGBPerMonth": -1e6}},
			rs:    many(1, "aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, final := range []bool{true, false} {
				vs := evaluateCost(t, tc.rs, tc.props, final)
				require.NotEmpty(t, vs, "final=%v: the budget check must not pass", final)
				var msgs []string
				found := false
				for _, v := range vs {
					msgs = append(msgs, string(v.Level)+": "+v.Message)
					if !strings.Contains(v.Message, tc.want) {
						continue
					}
					found = true
					want := policies.Mandatory
					if tc.cannotVerify && !final {
						want = policies.Advisory
					}
					assert.Equal(t, want, v.Level, "final=%v: %s", final, v.Message)
					if tc.cannotVerify {
						assert.True(t, strings.HasPrefix(v.Message, "cannot verify: "), v.Message)
						assert.Contains(t, v.Message, "cost-limit.priceOverrides", "says how to fix")
						assert.Contains(t, v.Message, "cost-limit.acceptUnpriced", "says how to fix")
					}
				}
				assert.True(t, found, "final=%v: want a violation containing %q, got %q", final, tc.want, msgs)
			}
		})
	}
}

// TestCostAcceptAndOverride: acceptUnpriced settles "cannot verify" for the
// listed kinds the catalog cannot price at all; naming a kind the catalog
// prices accepts nothing (its unpriced resources, of a class or region the
// catalog lacks, would count as $0); priceOverrides prices them (and so can
// exceed the budget) but never lowers a catalog price.
func TestCostAcceptAndOverride(t *testing.T) {
	t.Parallel()
	aurora := many(20, "aws:rds/clusterInstance:ClusterInstance", "aurora", "us-east-1",
		map[string]any{"engine": "aurora-postgresql", "instanceClass": "db.x2g.16xlarge"})
	eip := costRes("aws:ec2/eip:Eip", "eip", "us-gov-west-1", nil)
	queues := many(3, "aws:sqs/queue:Queue", "q", "us-east-1", nil)

	accepted := evaluateCost(t, queues, map[string]any{"acceptUnpriced": []any{"aws:sqs/queue:Queue"}}, true)
	assert.Empty(t, accepted, "a kind the catalog cannot price is accepted")

	priced := evaluateCost(t, append(append(aurora, eip), queues...), map[string]any{"acceptUnpriced": []any{
		"aws:rds/clusterInstance:ClusterInstance", "aws:ec2/eip:Eip", "aws:sqs/queue:Queue"}}, true)
	require.Len(t, priced, 2, "naming a priced kind accepts none of its unpriced resources")
	assert.Contains(t, priced[0].Message, "21 resource(s)")
	assert.Contains(t, priced[0].Message, `1 x aws:ec2/eip:Eip: the catalog has no prices for region "us-gov-west-1" (it covers the 33 commercial AWS regions) (eip)`)
	assert.NotContains(t, priced[0].Message, "aws:sqs/queue:Queue", "the queues are accepted")
	assert.Contains(t, priced[1].Message, "cannot verify: acceptUnpriced names aws:ec2/eip:Eip, aws:rds/clusterInstance:ClusterInstance, which the catalog prices")

	overridden := evaluateCost(t, aurora, map[string]any{"priceOverrides": map[string]any{"aws:rds/clusterInstance:ClusterInstance": 100.0}}, true)
	require.Len(t, overridden, 1, "priced: 20 x $100 = $2,000 over the $1,000 budget")
	assert.Contains(t, overridden[0].Message, "estimated $2000.00/month exceeds the budget")

	// An override never replaces a catalog price.
	nat := many(1, "aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil)
	d := &model.Deployment{Resources: nat}
	est := policies.EstimateFor(d, policies.Config{Policies: map[string]policies.PolicyConfig{
		"cost-limit": {Properties: map[string]any{"priceOverrides": map[string]any{"aws:ec2/natGateway:NatGateway": 0.0}}}}})
	assert.Equal(t, 37.35, est.MonthlyUSD)

	bad := evaluateCost(t, nat, map[string]any{"priceOverrides": map[string]any{"aws:ec2/eip:Eip": -3.65}}, true)
	require.NotEmpty(t, bad)
	assert.Contains(t, bad[0].Message, `cost-limit.priceOverrides["aws:ec2/eip:Eip"]: expected a number of USD per month >= 0`)
}

// TestCostWithoutBudget: with no budget there is nothing to verify, but an
// invalid count is still an error.
func TestCostWithoutBudget(t *testing.T) {
	t.Parallel()
	rs := many(3, "aws:sqs/queue:Queue", "q", "us-east-1", nil)
	d := &model.Deployment{Stack: model.Stack{Name: "dev"}, Resources: rs, Final: true}
	rep := policies.Evaluate(d, policies.Config{})
	for _, v := range rep.Violations {
		assert.NotEqual(t, "cost-limit", v.Policy, v.Message)
	}
	require.NotNil(t, rep.Cost)
	assert.Len(t, rep.Cost.Unpriced, 3, "still listed in the report")

	rs = append(rs, costRes("aws:dynamodb/table:Table", "t", "us-east-1", map[string]any{"billingMode": "PROVISIONED", "readCapacity": -1, "writeCapacity": 1}))
	d.Resources = rs
	rep = policies.Evaluate(d, policies.Config{})
	var msgs []string
	for _, v := range rep.Violations {
		if v.Policy == "cost-limit" {
			msgs = append(msgs, v.Message)
		}
	}
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], "readCapacity is -1")
}

// TestCostLimitSchema: the new keys are declared with their types and bounds.
func TestCostLimitSchema(t *testing.T) {
	t.Parallel()
	p := policies.Find("cost-limit")
	require.NotNil(t, p)
	accept, ok := p.Schema["acceptUnpriced"].(map[string]any)
	require.True(t, ok)
	assert.Equal(t, "array", accept["type"])
	assert.Equal(t, map[string]any{"type": "string"}, accept["items"])
	over, ok := p.Schema["priceOverrides"].(map[string]any)
	require.True(t, ok)
	assert.Equal(t, "object", over["type"])
	assert.Equal(t, map[string]any{"type": "number", "minimum": 0}, over["additionalProperties"])

	_, err := policies.ParseConfig([]byte(`{"cost-limit": {"acceptUnpriced": "aws:ec2/eip:Eip"}}`))
	assert.Error(t, err, "a string is not a list")
	_, err = policies.ParseConfig([]byte(`{"cost-limit": {"acceptUnpriced": ["aws:ec2/eip:Eip"], "priceOverrides": {"aws:sqs/queue:Queue": 2.5}}}`))
	assert.NoError(t, err)
}

// TestCostBudgetUnreadable: a budget that is set but not a number is an error,
// never "no budget".
func TestCostBudgetUnreadable(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"1,500", "abc", "-10", "Inf"} {
		d := &model.Deployment{Stack: model.Stack{Name: "prod", Config: map[string]string{"multiregion:budgetUSD": raw}},
			Resources: many(1, "aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil), Final: true}
		var msgs []string
		for _, v := range policies.Evaluate(d, policies.Config{}).Violations {
			if v.Policy == "cost-limit" {
				assert.Equal(t, policies.Mandatory, v.Level)
				msgs = append(msgs, v.Message)
			}
		}
		require.Len(t, msgs, 1, raw)
		assert.Contains(t, msgs[0], fmt.Sprintf("multiregion:budgetUSD is %q", raw))
	}
	// In-process callers can pass any value: a string is not a budget.
	vs := evaluateCost(t, many(1, "aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil), map[string]any{"maxMonthlyUSD": "10"}, true)
	require.Len(t, vs, 1)
	assert.Contains(t, vs[0].Message, "cost-limit.maxMonthlyUSD is 10: set a number")
}
