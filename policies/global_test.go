package policies_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// TestOneGlobalList: the model's global types and data residency's exemption
// list are one list. Every exempt type is left without a region by the model
// (even when its provider's region cannot be read) and passes residency; a
// regional type behind the same provider is "cannot verify". If the lists
// drifted, a type global for one and regional for the other would be "cannot
// verify" (or located where it does not live).
func TestOneGlobalList(t *testing.T) {
	t.Parallel()
	var global []string
	for typ := range regions.GlobalTypes {
		global = append(global, typ)
	}
	for module := range regions.GlobalModules {
		global = append(global, "aws:"+module+"/anything:Anything")
	}
	sort.Strings(global)
	require.NotEmpty(t, global)
	regional := []string{"aws:s3/bucketV2:BucketV2", "aws:route53/resolverEndpoint:ResolverEndpoint",
		"aws:wafregional/webAcl:WebAcl", "aws:wafv2/webAcl:WebAcl", "aws:cloudcontrol/resource:Resource"}

	const provider = "urn:pulumi:prod-eu::multiregion::pulumi:providers:aws::aws-hidden"
	var rs []*model.Resource
	for i, typ := range append(append([]string{}, global...), regional...) {
		r := res(typ, "r"+strings.Repeat("x", i), "", map[string]any{})
		r.Provider = provider
		rs = append(rs, r)
	}
	p := res("pulumi:providers:aws", "aws-hidden", "", map[string]any{"region": unknown})
	p.URN = provider
	model.ResolveRegions(append([]*model.Resource{p}, rs...), "eu-central-1")

	flagged := map[string]bool{}
	for _, v := range only(policies.Evaluate(final(rs...), policies.Config{}), "data-residency") {
		flagged[v.URN] = true
	}
	for _, r := range rs {
		isGlobal := regions.GlobalReason(r.Type, "") != ""
		assert.Equal(t, isGlobal, model.IsGlobalType(r.Type), "%s: model and residency disagree", r.Type)
		if isGlobal {
			assert.Empty(t, r.Region, r.Type)
			assert.Empty(t, r.RegionUnknown, "%s: a global type has no location to read", r.Type)
			assert.False(t, flagged[r.URN], "%s: exempt from residency", r.Type)
		} else {
			assert.NotEmpty(t, r.RegionUnknown, r.Type)
			assert.True(t, flagged[r.URN], "%s: regional behind a provider whose region is unknown: cannot verify", r.Type)
		}
	}
}
