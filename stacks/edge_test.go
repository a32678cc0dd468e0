package stacks_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/stacks"
)

// refused loads raw and returns the problems, failing unless Load refuses it
// with a *ConfigError whose every problem names a multiregion: key.
func refused(t *testing.T, raw map[string]string) string {
	t.Helper()
	_, err := stacks.Load("test", raw)
	require.Error(t, err)
	var ce *stacks.ConfigError
	require.True(t, errors.As(err, &ce), "a *ConfigError: %v", err)
	require.NotEmpty(t, ce.Problems)
	for _, p := range ce.Problems {
		assert.True(t, strings.HasPrefix(p.Error(), "multiregion:"), "every problem names its key: %q", p)
	}
	return err.Error()
}

// Issue 14 point 1: the name rule.
func TestNameRule(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"a", "app", "orders-eu", "abcdefghij-bcdefghij", "internals", "a1-b2-c3"} {
		_, err := stacks.Load("test", with(minimal(), "multiregion:name", name))
		assert.NoError(t, err, name)
	}
	for name, want := range map[string]string{
		"my--app":               "use 1-20 lowercase letters, digits or single hyphens",
		"app-":                  "not ending with a hyphen",
		"1app":                  "starting with a letter",
		"App":                   "lowercase",
		"abcdefghij-bcdefghijk": "use 1-20",
		"internal":              `names starting with "internal-" are reserved`,
		"internal-api":          `names starting with "internal-" are reserved`,
		"app_x":                 "digits or single hyphens",
	} {
		assert.Contains(t, refused(t, with(minimal(), "multiregion:name", name)), "multiregion:name: \""+name+"\": ", name)
		assert.Contains(t, refused(t, with(minimal(), "multiregion:name", name)), want, name)
	}
}

// Issue 14 point 2: one zone is refused.
func TestAZCountStartsAtTwo(t *testing.T) {
	t.Parallel()
	assert.Contains(t, refused(t, with(minimal(), "multiregion:network", `{"azCount":1}`)),
		"multiregion:network.azCount: 1 is out of range: use 2 to 6 zones (a load balancer needs subnets in at least two)")
	assert.Contains(t, refused(t, with(minimal(), "multiregion:network", `{"azCount":7}`)), "multiregion:network.azCount: 7 is out of range")
	_, err := stacks.Load("test", with(minimal(), "multiregion:network", `{"azCount":2}`))
	assert.NoError(t, err)
}

// Issue 14 point 4: a stack stays in one partition.
func TestRegionsShareAPartition(t *testing.T) {
	t.Parallel()
	assert.Contains(t, refused(t, with(minimal(), "multiregion:regions", `["us-east-1","us-gov-west-1"]`)),
		`multiregion:regions: us-gov-west-1 is in partition "aws-us-gov" but the primary us-east-1 is in "aws"`)
	c, err := stacks.Load("test", with(minimal(), "multiregion:regions", `["us-gov-west-1","us-gov-east-1"]`))
	require.NoError(t, err, "a GovCloud-only stack is accepted: its ARNs come from the partition")
	assert.Equal(t, "us-gov-west-1", c.Primary())
}

// Issue 14 point 8: a zero standby is refused with the reason, and standbyCount
// where there is no standby is refused rather than ignored.
func TestStandbyCount(t *testing.T) {
	t.Parallel()
	assert.Contains(t, refused(t, with(minimal(), "multiregion:app", `{"image":"x","standbyCount":0}`)),
		"multiregion:app.standbyCount: 0 leaves the standby region without a task: its health check can never pass")
	assert.Contains(t, refused(t, with(minimal(), "multiregion:app", `{"image":"x","standbyCount":-1}`)),
		"multiregion:app.standbyCount: -1 is negative")
	assert.Contains(t, refused(t, with(minimal(), "multiregion:topology", "active-active", "multiregion:app", `{"image":"x","standbyCount":1}`)),
		"multiregion:app.standbyCount: only active-passive has standby regions")
	assert.Contains(t, refused(t, with(minimal(), "multiregion:app", `{"image":"x","standbyCount":11}`)),
		"multiregion:app.standbyCount: 11 is above app.maxCount 10")
}

// Issue 14 point 15: zero, negative, null, empty, duplicate and trailing values
// get an answer naming the key, never a silent default.
func TestEdgeValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		key, value, want string
	}{
		{"multiregion:network", `{"azCount":0}`, "multiregion:network.azCount: 0 is not accepted: use 2 to 6 zones"},
		{"multiregion:network", `{"azCount":-2}`, "multiregion:network.azCount: -2 is negative"},
		{"multiregion:network", `{"azCount":null}`, "multiregion:network.azCount: is null"},
		{"multiregion:network", `{"azCount":2,"azCount":3}`, "multiregion:network.azCount: is given twice"},
		{"multiregion:network", `{"natStrategy":""}`, "multiregion:network.natStrategy: is empty"},
		{"multiregion:network", `{"azCount":99999999999999999999}`, "multiregion:network.azCount: expected an integer"},
		{"multiregion:network", `{"azCount":2.5}`, "multiregion:network.azCount: expected an integer"},
		{"multiregion:network", `{"azCount":2} {"azCount":3}`, "multiregion:network: expected one object, got more after it"},
		{"multiregion:app", `{"image":"x","cpu":0}`, "multiregion:app.cpu: 0 is not accepted: use a Fargate CPU size"},
		{"multiregion:app", `{"image":"x","port":0}`, "multiregion:app.port: 0 is not accepted"},
		{"multiregion:app", `{"image":"x","port":70000}`, "multiregion:app.port: 70000 is out of range"},
		{"multiregion:app", `{"image":"x","minCount":0}`, "multiregion:app.minCount: 0 is not accepted: an active region at 0 tasks"},
		{"multiregion:app", `{"image":"x","maxCount":0}`, "multiregion:app.maxCount: 0 is not accepted"},
		{"multiregion:app", `{"image":"x","maxCount":5001}`, "multiregion:app.maxCount: 5001 is out of range: use 1 to 5000"},
		{"multiregion:app", `{"image":"x","desiredCount":0}`, "multiregion:app.desiredCount: 0 is not accepted"},
		{"multiregion:app", `{"image":"x","logRetentionDays":0}`, "multiregion:app.logRetentionDays: 0 is not accepted: 0 (CloudWatch's never expire) is not offered"},
		{"multiregion:app", `{"image":"x","cpuTargetPercent":0}`, "multiregion:app.cpuTargetPercent: 0 is not accepted"},
		{"multiregion:app", `{"image":""}`, "multiregion:app.image: is empty"},
		{"multiregion:app", `{"image":"x","healthCheckPath":"/` + strings.Repeat("a", 1024) + `"}`, "multiregion:app.healthCheckPath: is 1025 characters"},
		{"multiregion:app", `{"image":"x","environment":{"A":"1","A":"2"}}`, "multiregion:app.environment.A: is given twice"},
		{"multiregion:database", `{"storageGB":0}`, "multiregion:database.storageGB: 0 is not accepted"},
		{"multiregion:dns", `{"domain":"a.example.com","failureThreshold":0}`, "multiregion:dns.failureThreshold: 0 is not accepted"},
		{"multiregion:budgetUSD", "0", "multiregion:budgetUSD: 0 is not accepted: 0 would fail every plan"},
		{"multiregion:budgetUSD", "-5", "multiregion:budgetUSD: -5 is negative"},
		{"multiregion:rpoSeconds", "-1", "multiregion:rpoSeconds: -1 is negative"},
		{"multiregion:topology", "", "multiregion:topology: is empty"},
		{"multiregion:name", " ", "multiregion:name: is empty"},
		{"multiregion:regions", `["us-east-1",null]`, "multiregion:regions[1]: is null"},
		{"multiregion:regions", `[]`, "multiregion:regions: is required"},
		{"multiregion:drill", `null`, "multiregion:drill: is null"},
		{"multiregion:tags", `{"environment":"x"}`, `multiregion:tags: key "environment" is set by the program`},
		{"multiregion:tags", `{"cost-center":"x"}`, "set multiregion:costCenter instead"},
		{"multiregion:tags", `{"k":"a;b"}`, `multiregion:tags: value of "k" ("a;b") holds characters AWS refuses`},
		{"multiregion:costCenter", "a;b", `multiregion:costCenter: value of "cost-center" ("a;b") holds characters AWS refuses`},
		{"multiregion:network", `{"vpcCidrs":{"us-west-2":"10.0.128.0/17"}}`, "multiregion:network.vpcCidrs.us-west-2: 10.0.128.0/17 overlaps us-east-1's range 10.0.0.0/16"},
		{"multiregion:dns", `{"domain":"a.example.com","geo":{"*":"us-east-1"}}`, "multiregion:dns.geo: is used only with routing geolocation, routing is failover"},
		{"multiregion:dns", `{"domain":"a.example.com","weights":{"us-east-1":1}}`, "multiregion:dns.weights: is used only with routing weighted"},
	}
	for _, tc := range cases {
		t.Run(tc.key+"="+tc.value[:min(len(tc.value), 40)], func(t *testing.T) {
			t.Parallel()
			raw := minimal()
			raw[tc.key] = tc.value // set even when empty
			assert.Contains(t, refused(t, raw), tc.want)
		})
	}
	raw := `{`
	for i := 0; i <= 44; i++ {
		if i > 0 {
			raw += ","
		}
		raw += fmt.Sprintf(`"k%d":"v"`, i)
	}
	assert.Contains(t, refused(t, with(minimal(), "multiregion:tags", raw+"}")), "multiregion:tags: has 45 tags: with the program's 6")

	// the zeros with a meaning are accepted
	for _, kv := range [][2]string{
		{"multiregion:rpoSeconds", "0"},
		{"multiregion:tags", `{"team":""}`},
		{"multiregion:app", `{"image":"x","environment":{"EMPTY":""}}`},
		{"multiregion:network", `{"vpcCidrs":{}}`},
	} {
		_, err := stacks.Load("test", with(minimal(), kv[0], kv[1]))
		assert.NoError(t, err, kv[0]+"="+kv[1])
	}
}

// A problem found by the edge-value pass does not hide the others, and the
// component does not repeat it in its own words.
func TestEdgeValuesJoinTheOtherProblems(t *testing.T) {
	t.Parallel()
	msg := refused(t, with(minimal(), "multiregion:app", `{"image":"x","cpu":-1}`, "multiregion:residency", "eu"))
	assert.Contains(t, msg, "multiregion:app.cpu: -1 is negative")
	assert.Contains(t, msg, `outside residency "eu"`)
	assert.NotContains(t, msg, "is not a Fargate CPU size", "the component does not repeat a reported key")
}
