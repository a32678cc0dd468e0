package analyzer_test

import (
	"context"
	"encoding/json"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/analyzer"
)

// TestConfigureRejectsWhatParseConfigRejects: the pack's Configure and
// policies.ParseConfig (the CLI's --policy-config) accept and reject the same
// properties, with the same message naming the key.
func TestConfigureRejectsWhatParseConfigRejects(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"maxMonthlyUSD":-1}`:                        "cost-limit.maxMonthlyUSD: must be >= 0",
		`{"maxMonthlyUSD":"lots"}`:                    "cost-limit.maxMonthlyUSD: expected number",
		`{"usage":{"natGBperMonth":5}}`:               "cost-limit.usage.natGBperMonth: unknown property",
		`{"budget":5}`:                                "cost-limit.budget: unknown property",
		`{"maxMonthlyUSD":500,"usage":{"albLCUs":2}}`: "",
	}
	for props, want := range cases {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(props), &m))
		s, err := structpb.NewStruct(m)
		require.NoError(t, err)
		srv := analyzer.New()
		_, err = srv.Configure(context.Background(), &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
			"cost-limit": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: s},
		}})
		_, perr := policies.ParseConfig([]byte(`{"cost-limit":` + props + `}`))
		if want == "" {
			assert.NoError(t, err, props)
			assert.NoError(t, perr, props)
			continue
		}
		require.Error(t, err, props)
		require.Error(t, perr, props)
		assert.Contains(t, err.Error(), want)
		assert.Contains(t, perr.Error(), want)
	}
}
