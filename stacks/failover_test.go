package stacks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// aurora is an active-passive Aurora stack with automatic failover.
func aurora(kv ...string) map[string]string {
	return with(with(minimal(),
		"multiregion:database", `{"mode":"aurora-global","secondaryInstances":1}`,
		"multiregion:failover", `{"automatic":true,"consecutiveFailures":3,"periodSeconds":60,"allowDataLoss":true}`), kv...)
}

func TestFailoverConfig(t *testing.T) {
	t.Parallel()
	c, err := stacks.Load("prod", aurora())
	require.NoError(t, err)
	require.NotNil(t, c.Failover)
	assert.True(t, c.Failover.Automatic)

	c, err = stacks.Load("prod", minimal())
	require.NoError(t, err)
	assert.Nil(t, c.Failover, "no failover unless configured")
}

func TestFailoverConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		raw  map[string]string
		want string
	}{
		"single region": {with(minimal(), "multiregion:topology", "single", "multiregion:regions", `["us-east-1"]`,
			"multiregion:failover", `{"automatic":true}`), "multiregion:failover: a single-region stack"},
		"active-active": {with(minimal(), "multiregion:topology", "active-active",
			"multiregion:failover", `{"automatic":true}`), "multiregion:failover: failover plans are active-passive"},
		"three regions": {aurora("multiregion:regions", `["us-east-1","us-west-2","us-east-2"]`),
			"exactly two regions"},
		"headless standby": {aurora("multiregion:database", `{"mode":"aurora-global","secondaryInstances":0}`),
			"multiregion:database.secondaryInstances: is 0: the standby's Aurora cluster is headless"},
		"automatic without data loss": {aurora("multiregion:failover", `{"automatic":true}`),
			"multiregion:failover.allowDataLoss: is false, but Automatic is on"},
		"period": {aurora("multiregion:failover", `{"automatic":true,"allowDataLoss":true,"periodSeconds":90}`),
			"multiregion:failover.periodSeconds: 90"},
		"failures": {aurora("multiregion:failover", `{"automatic":true,"allowDataLoss":true,"consecutiveFailures":100}`),
			"multiregion:failover.consecutiveFailures: 100 is out of range"},
		"unknown field": {aurora("multiregion:failover", `{"automatic":true,"alowDataLoss":true}`),
			"multiregion:failover.alowDataLoss: unknown field: did you mean multiregion:failover.allowDataLoss?"},
		"wrong type": {aurora("multiregion:failover", `{"automatic":"yes"}`),
			"multiregion:failover.automatic: expected true or false"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := stacks.Load("prod", tc.raw)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// rds-replica and manual aurora are accepted: the plan says what it does.
	_, err := stacks.Load("staging", with(minimal(), "multiregion:failover", `{"automatic":true}`))
	require.NoError(t, err)
	_, err = stacks.Load("prod", aurora("multiregion:failover", `{"automatic":false}`))
	require.NoError(t, err)
}

// The shipped prod stacks fail over automatically, with the plan in the standby.
func TestProdStacksFailOverAutomatically(t *testing.T) {
	t.Parallel()
	for stack, standby := range map[string]string{"prod": "us-west-2", "prod-eu": "eu-west-1"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			f, err := stacks.ReadStackFile("Pulumi." + stack + ".yaml")
			require.NoError(t, err)
			c, err := stacks.Load(stack, f.Config)
			require.NoError(t, err)
			require.NotNil(t, c.Failover)
			assert.True(t, c.Failover.Automatic)

			rec, d, err := offline.Render(stack, f.Config, f.SecretKeys)
			require.NoError(t, err)
			require.NotNil(t, d.Failover)
			assert.Equal(t, "managed-failover", d.Failover.DatabaseAction)
			plans := rec.ByType("aws:cloudcontrol/resource:Resource")
			require.Len(t, plans, 1)
			assert.Equal(t, standby, plans[0].Region)
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(props.String(plans[0].Inputs, "desiredState")), &doc))
			assert.Equal(t, []any{c.Regions[0], standby}, doc["Regions"])
			assert.Equal(t, 5.0, doc["RecoveryTimeObjectiveMinutes"], "rtoSeconds 300")
			require.Len(t, doc["Triggers"], 1)
			aurora := doc["Workflows"].([]any)[0].(map[string]any)["Steps"].([]any)[0].(map[string]any)["ExecutionBlockConfiguration"].(map[string]any)["GlobalAuroraConfig"].(map[string]any)
			assert.Equal(t, "app-"+stack, aurora["GlobalClusterIdentifier"])
			require.Len(t, aurora["DatabaseClusterArns"], 2, "the primary's and the standby's clusters")
			for _, arn := range aurora["DatabaseClusterArns"].([]any) {
				assert.True(t, strings.HasPrefix(arn.(string), "arn:aws:rds:"), arn)
			}
		})
	}
}

// After an automatic failover, pulumi preview must show no change that undoes
// it: the properties the plan changes are ignored by the resources that own them.
func TestWhatTheAutomationChangesIsIgnored(t *testing.T) {
	t.Parallel()
	f, err := stacks.ReadStackFile("Pulumi.prod.yaml")
	require.NoError(t, err)
	rec, _, err := offline.Render("prod", f.Config, f.SecretKeys)
	require.NoError(t, err)

	// The Aurora step moves the writer: cluster membership drift is ignored.
	clusters := rec.ByType("aws:rds/cluster:Cluster")
	require.Len(t, clusters, 2)
	for _, c := range clusters {
		assert.Subset(t, c.IgnoreChanges, []string{"globalClusterIdentifier", "replicationSourceIdentifier"}, c.Name)
	}
	// The ECS step raises the standby's desired count (ecs:UpdateService).
	services := rec.ByType("aws:ecs/service:Service")
	require.Len(t, services, 2)
	for _, s := range services {
		assert.Contains(t, s.IgnoreChanges, "desiredCount", s.Name)
	}
	// The ECS step may also raise the scalable target's floor
	// (application-autoscaling:RegisterScalableTarget is in ARC's sample policy
	// for this block); a preview would lower it back unless it is ignored.
	targets := rec.ByType("aws:appautoscaling/target:Target")
	require.Len(t, targets, 2)
	for _, tg := range targets {
		assert.Contains(t, tg.IgnoreChanges, "minCapacity", tg.Name)
	}
}
