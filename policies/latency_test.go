package policies_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

func TestLatencyTarget(t *testing.T) {
	t.Parallel()
	global := map[string]string{
		"multiregion:topology": "active-active",
		"multiregion:regions":  `["us-east-1","eu-west-1","ap-southeast-1"]`,
		"multiregion:dns":      `{"routing":"latency","domain":"app.example.com"}`,
	}
	run := func(config map[string]string, targets string) []policies.Violation {
		cfg, err := policies.ParseConfig([]byte(`{"latency-target":{"targetsMs":` + targets + `}}`))
		require.NoError(t, err)
		rep := policies.Evaluate(&model.Deployment{Stack: model.Stack{Name: "global", Config: config}}, cfg)
		var out []policies.Violation
		for _, v := range rep.Violations {
			if v.Policy == "latency-target" {
				assert.Equal(t, policies.Advisory, v.Level)
				out = append(out, v)
			}
		}
		return out
	}
	// Europe is served by eu-west-1 within 41 ms from every European anchor.
	assert.Empty(t, run(global, `{"EU": 50}`))
	// South Asia (Mumbai) is 64 ms from Singapore, West Asia and Japan farther: over a 60 ms target.
	v := run(global, `{"AS": 60}`)
	require.Len(t, v, 1)
	assert.Equal(t, "AS: 55% of AS's users are served by ap-southeast-1 at an estimated 64 ms (users near ap-south-1) to 90 ms (near me-central-1), above the 60 ms target: add a region near them with latency or geolocation routing, or relax the target", v[0].Message)
	// prod serves Europe from us-east-1.
	prod := map[string]string{"multiregion:regions": `["us-east-1","us-west-2"]`}
	v = run(prod, `{"EU": 50, "US": 80}`)
	require.Len(t, v, 1, "US users are within 80 ms of us-east-1")
	assert.Contains(t, v[0].Message, "EU: 100% of EU's users are served by us-east-1 at an estimated 70 ms (users near eu-west-1) to 112 ms (near eu-north-1), above the 50 ms target")
	// The drill moves users: with eu-west-1 failed, Europe goes to us-east-1.
	drill := map[string]string{"multiregion:drill": `{"failRegion":"eu-west-1"}`}
	for k, val := range global {
		drill[k] = val
	}
	assert.NotEmpty(t, run(drill, `{"EU": 50}`))
	// Unknown location, unknowable latency, no config: never a silent pass.
	assert.Contains(t, run(global, `{"XX": 50}`)[0].Message, "targetsMs.XX: unknown location")
	assert.Contains(t, run(global, `{"TW": 50}`)[0].Message, "cannot verify")
	assert.Contains(t, run(map[string]string{}, `{"EU": 50}`)[0].Message, "cannot verify: the stack config")
	// A negative target is refused by the policy config's schema, naming the key.
	_, err := policies.ParseConfig([]byte(`{"latency-target":{"targetsMs":{"EU":-1}}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "latency-target.targetsMs.EU: must be >= 0")
	// No targets: nothing to enforce.
	assert.Empty(t, run(global, `{}`))
}
