package regions_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/regions"
)

func TestLooksLikeRegion(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "us-isob-east-1", "eu-isoe-west-1", "ap-southeast-7"} {
		assert.True(t, regions.LooksLikeRegion(s), s)
	}
	for _, s := range []string{"", "us-east", "useast1", "US-EAST-1", "us--east-1", "us-east-1a", "us-east-", "-us-east-1", "Bavaria", "eu-west-1 ", "ab-1", "arn:aws:s3"} {
		assert.False(t, regions.LooksLikeRegion(s), s)
	}
	require.NotEmpty(t, regions.Known)
	for r := range regions.Known {
		assert.True(t, regions.LooksLikeRegion(r), r)
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	eu := regions.Jurisdictions["eu"]
	assert.True(t, regions.Within([]string{"eu-central-1"}, eu))
	assert.True(t, regions.Within([]string{"eu-west-*"}, eu))
	assert.True(t, regions.Within(eu, eu))
	assert.False(t, regions.Within([]string{"us-*"}, eu))
	assert.False(t, regions.Within([]string{"*"}, eu), "none widens")
	assert.False(t, regions.Within([]string{"eu-*"}, []string{"eu-central-1"}))
	assert.False(t, regions.Within(nil, eu))
	assert.True(t, regions.Within([]string{"us-east-1"}, []string{"*"}))
}

func TestGlobalReason(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile", "aws:route53/record:Record",
		"aws:cloudfront/distribution:Distribution", "aws:waf/webAcl:WebAcl", "aws:organizations/account:Account", "aws:rds/globalCluster:GlobalCluster"} {
		assert.NotEmpty(t, regions.GlobalReason(typ, ""), typ)
	}
	assert.NotEmpty(t, regions.GlobalReason("aws:wafv2/webAcl:WebAcl", "CLOUDFRONT"))
	for _, typ := range []string{"aws:wafv2/webAcl:WebAcl", "aws:wafregional/webAcl:WebAcl", "aws:route53/resolverEndpoint:ResolverEndpoint",
		"aws:s3/bucketV2:BucketV2", "aws:docdb/cluster:Cluster", "cloudflare:index/record:Record", "aws:iamx/role:Role"} {
		assert.Empty(t, regions.GlobalReason(typ, "REGIONAL"), typ)
	}
}
