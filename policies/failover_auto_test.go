package policies_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// auroraStack is an active-passive stack that passes every other
// failover-readiness check: a health-checked load balancer per region,
// failover records and an Aurora global database in both regions.
func auroraStack() []*model.Resource {
	var rs []*model.Resource
	for i, region := range []string{"us-east-1", "us-west-2"} {
		dns := "alb." + region + ".elb"
		kind := []string{"PRIMARY", "SECONDARY"}[i]
		rs = append(rs,
			res("aws:lb/loadBalancer:LoadBalancer", "alb-"+region, region, map[string]any{"dnsName": dns}),
			res("aws:route53/healthCheck:HealthCheck", "hc-"+region, "", map[string]any{"fqdn": dns}),
			res("aws:route53/record:Record", "rec-"+region, "", map[string]any{"healthCheckId": "hc-" + region,
				"failoverRoutingPolicies": []any{map[string]any{"type": kind}}}),
			res(tCluster, "cluster-"+region, region, map[string]any{"globalClusterIdentifier": "app"}))
	}
	return append(rs, res(tGlobal, "app", "", map[string]any{"globalClusterIdentifier": "app"}))
}

const alarmARN = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:primary-down"

// alarm is the standby's detection alarm: period x evaluationPeriods.
func alarm(period, evals any) *model.Resource {
	return res("aws:cloudwatch/metricAlarm:MetricAlarm", "primary-down", "us-west-2", map[string]any{
		"name": "primary-down", "arn": alarmARN, "period": period, "evaluationPeriods": evals})
}

// planDoc is a Region switch plan's desired state in the shape of
// components/failover's plan (triggers, associated alarms, an Aurora step).
func planDoc(mutate func(doc map[string]any)) string {
	doc := map[string]any{
		"Name": "app", "RecoveryApproach": "activePassive", "Regions": []any{"us-east-1", "us-west-2"}, "PrimaryRegion": "us-east-1",
		"AssociatedAlarms": map[string]any{"primary-down": map[string]any{"AlarmType": "trigger", "ResourceIdentifier": alarmARN}},
		"Triggers": []any{map[string]any{"Action": "activate", "TargetRegion": "us-west-2", "MinDelayMinutesBetweenExecutions": 60,
			"Conditions": []any{map[string]any{"AssociatedAlarmName": "primary-down", "Condition": "red"}}}},
		"Workflows": []any{map[string]any{"WorkflowTargetAction": "activate", "WorkflowTargetRegion": "us-west-2",
			"Steps": []any{map[string]any{"Name": "db", "ExecutionBlockType": "AuroraGlobalDatabase"},
				map[string]any{"Name": "app", "ExecutionBlockType": "ECSServiceScaling"}}}},
	}
	if mutate != nil {
		mutate(doc)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return string(out)
}

func plan(desired any) *model.Resource {
	return res("aws:cloudcontrol/resource:Resource", "plan", "us-west-2", map[string]any{
		"typeName": "AWS::ARCRegionSwitch::Plan", "desiredState": desired})
}

// TestFailoverAutomatic: without automatic failover, an RTO below the mode's
// RTO plus a person's response is reported; with it, the trigger alarms'
// Period x EvaluationPeriods plus the mode's RTO must fit; what cannot be read
// is "cannot verify". Each case passed quietly before the rule.
func TestFailoverAutomatic(t *testing.T) {
	t.Parallel()
	target := map[string]string{"multiregion:topology": "active-passive", "multiregion:rtoSeconds": "300"}
	cases := []struct {
		name   string
		config map[string]string
		props  map[string]any
		extra  []*model.Resource
		want   string // "" = no finding
	}{
		{"no plan: 60 s + 900 s > 300 s", target, nil, nil,
			"no automatic failover (no AWS::ARCRegionSwitch::Plan): a manual failover takes the aurora-global database's RTO ~60 s plus a person's response (failover-readiness.humanResponseSeconds=900, an assumption) = 960 s, above multiregion:rtoSeconds=300"},
		{"no plan, but a fast person", target, map[string]any{"humanResponseSeconds": 200.0}, nil, ""},
		{"no plan, a loose target", map[string]string{"multiregion:topology": "active-passive", "multiregion:rtoSeconds": "960"}, nil, nil, ""},
		{"automatic: 3 x 60 s + 60 s fits 300 s", target, nil, []*model.Resource{plan(planDoc(nil)), alarm(60, 3)}, ""},
		{"automatic but slow: 5 x 60 s + 60 s", target, nil, []*model.Resource{plan(planDoc(nil)), alarm(60, 5)},
			`automatic failover cannot meet multiregion:rtoSeconds=300: plan "plan" fires after its alarms' Period x EvaluationPeriods = 300 s, plus the aurora-global database's RTO ~60 s = 360 s`},
		{"alarm matched by the name in its ARN", target, nil, []*model.Resource{plan(planDoc(nil)),
			res("aws:cloudwatch/metricAlarm:MetricAlarm", "a", "us-west-2", map[string]any{"name": "primary-down", "period": 60, "evaluationPeriods": 3})}, ""},
		{"same alarm name in another region does not count", target, nil, []*model.Resource{plan(planDoc(nil)),
			res("aws:cloudwatch/metricAlarm:MetricAlarm", "a", "us-east-1", map[string]any{"name": "primary-down", "period": 60, "evaluationPeriods": 3})},
			`cannot verify: Region switch plan "plan": Triggers[0]: the alarm "primary-down" (` + alarmARN + `) is not in the deployment`},
		{"plan without triggers", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) { delete(d, "Triggers") })), alarm(60, 3)},
			`no automatic failover (plan "plan": it has no Triggers (a person must start it))`},
		{"trigger on an applicationHealth alarm", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["AssociatedAlarms"] = map[string]any{"primary-down": map[string]any{"AlarmType": "applicationHealth", "ResourceIdentifier": alarmARN}}
		})), alarm(60, 3)}, `Triggers[0] Conditions[0] names "primary-down", whose AlarmType is "applicationHealth", not "trigger"`},
		{"trigger naming no associated alarm", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["AssociatedAlarms"] = map[string]any{}
		})), alarm(60, 3)}, `Conditions[0] names "primary-down", which is not in AssociatedAlarms`},
		{"green condition detects nothing", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["Triggers"].([]any)[0].(map[string]any)["Conditions"] = []any{map[string]any{"AssociatedAlarmName": "primary-down", "Condition": "green"}}
		})), alarm(60, 3)}, `has no "red" condition`},
		{"deactivate trigger", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["Triggers"].([]any)[0].(map[string]any)["Action"] = "deactivate"
		})), alarm(60, 3)}, `has Action "deactivate", not "activate"`},
		{"no Aurora step: the writer stays", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["Workflows"] = []any{map[string]any{"Steps": []any{map[string]any{"ExecutionBlockType": "ECSServiceScaling"}}}}
		})), alarm(60, 3)}, "activates us-west-2, whose workflow has no AuroraGlobalDatabase step"},
		{"Aurora step only in the failback workflow", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["Workflows"] = []any{
				map[string]any{"WorkflowTargetRegion": "us-west-2", "Steps": []any{map[string]any{"ExecutionBlockType": "ECSServiceScaling"}}},
				map[string]any{"WorkflowTargetRegion": "us-east-1", "Steps": []any{map[string]any{"ExecutionBlockType": "AuroraGlobalDatabase"}}}}
		})), alarm(60, 3)}, "activates us-west-2, whose workflow has no AuroraGlobalDatabase step"},
		{"trigger activating the primary", target, nil, []*model.Resource{plan(planDoc(func(d map[string]any) {
			d["Triggers"].([]any)[0].(map[string]any)["TargetRegion"] = "us-east-1"
		})), alarm(60, 3)}, "activates the primary region us-east-1, the region whose failure it would detect"},
		{"desiredState unknown", target, nil, []*model.Resource{plan(unknown), alarm(60, 3)},
			`cannot verify: Region switch plan "plan": its desiredState is not known`},
		{"desiredState an encrypted secret", target, nil, []*model.Resource{plan(secret(unknown)), alarm(60, 3)},
			`cannot verify: Region switch plan "plan": its desiredState is not known`},
		{"desiredState not JSON", target, nil, []*model.Resource{plan("{not json"), alarm(60, 3)},
			`cannot verify: Region switch plan "plan": its desiredState is not the plan's JSON`},
		{"trigger alarm not in the deployment", target, nil, []*model.Resource{plan(planDoc(nil))},
			`is not in the deployment, so how fast it fires cannot be read`},
		{"alarm period unknown", target, nil, []*model.Resource{plan(planDoc(nil)), alarm(unknown, 3)},
			`metric alarm "primary-down": period (not known) or evaluationPeriods (known) cannot be read`},
		{"cloud control typeName unknown", target, nil, []*model.Resource{
			res("aws:cloudcontrol/resource:Resource", "cc", "us-west-2", map[string]any{"typeName": unknown, "desiredState": "{}"})},
			`cannot verify: Cloud Control resource "cc": its typeName is not known`},
		{"a cloud control resource of another type is no plan", target, nil, []*model.Resource{
			res("aws:cloudcontrol/resource:Resource", "cc", "us-west-2", map[string]any{"typeName": "AWS::Logs::LogGroup", "desiredState": "{}"})},
			"no automatic failover (no AWS::ARCRegionSwitch::Plan)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := deployment("prod", tc.config, append(auroraStack(), tc.extra...)...)
			d.Final = true
			cfg := policies.Config{Policies: map[string]policies.PolicyConfig{"failover-readiness": {
				EnforcementLevel: policies.Mandatory, Properties: tc.props}}}
			got := only(policies.Evaluate(d, cfg), "failover-readiness")
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1, "%v", got)
			assert.Contains(t, got[0].Message, tc.want)
			assert.Equal(t, policies.Mandatory, got[0].Level, "at the policy's level in a final state")
		})
	}
}

// TestFailoverAutomaticModes: a DynamoDB global table has no writer to move
// (nothing to report without a plan); an RDS read replica has no ARC block
// that promotes it, so even a triggered plan leaves a person in the loop.
func TestFailoverAutomaticModes(t *testing.T) {
	t.Parallel()
	target := map[string]string{"multiregion:topology": "active-passive", "multiregion:rtoSeconds": "300"}
	var rs []*model.Resource
	for _, r := range auroraStack() {
		if r.Type != tCluster && r.Type != tGlobal {
			rs = append(rs, r)
		}
	}
	table := res(tTable, "t", "us-east-1", map[string]any{"replicas": []any{map[string]any{"regionName": "us-west-2"}}})
	rep := policies.Evaluate(deployment("global", target, append(rs, table)...), policies.Config{})
	assert.Empty(t, only(rep, "failover-readiness"))

	replica := map[string]string{"multiregion:topology": "active-passive", "multiregion:rtoSeconds": "2000"}
	primary := res(tRDS, "db", "us-east-1", goodDB("us-east-1"))
	standby := res(tRDS, "db-replica", "us-west-2", merge(goodDB("us-west-2"), map[string]any{"replicateSourceDb": "arn:aws:rds:us-east-1:123456789012:db:db"}))
	rep = policies.Evaluate(deployment("staging", replica, append(rs, primary, standby, plan(planDoc(nil)), alarm(60, 3))...), policies.Config{})
	got := only(rep, "failover-readiness")
	require.Len(t, got, 1)
	assert.Contains(t, got[0].Message, "no ARC execution block moves a rds-replica database's writer")
	assert.Contains(t, got[0].Message, "= 2700 s, above multiregion:rtoSeconds=2000")
	assert.True(t, strings.Contains(got[0].Message, "use aurora-global"), got[0].Message)
}
