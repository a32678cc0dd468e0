package model_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/multiregion/multiregion/policies/model"
)

const (
	explicitProvider = "urn:pulumi:prod::app::pulumi:providers:aws::aws-eu"
	defaultProvider  = "urn:pulumi:prod::app::pulumi:providers:aws::default_6_83_4"
)

func TestResolveRegions(t *testing.T) {
	t.Parallel()
	unknown := resource.MakeComputed(resource.NewProperty(""))
	encrypted := resource.MakeSecret(unknown)
	region := func(v resource.PropertyValue) resource.PropertyMap { return resource.PropertyMap{"region": v} }
	for _, tc := range []struct {
		name          string
		provider      resource.PropertyMap // the provider's inputs (nil: no region)
		providerURN   string
		own           resource.PropertyMap
		typ           string
		stackRegion   string
		want          string
		wantUnknownIn string // a substring of RegionUnknown
	}{
		{name: "provider region", provider: region(resource.NewProperty("eu-west-1")), want: "eu-west-1"},
		{name: "own region wins (aws v7)", provider: region(resource.NewProperty("eu-west-1")),
			own: region(resource.NewProperty("us-east-1")), want: "us-east-1"},
		{name: "plaintext secret provider region is read", provider: region(resource.MakeSecret(resource.NewProperty("eu-west-1"))), want: "eu-west-1"},
		{name: "output value provider region is read", provider: region(resource.NewProperty(resource.Output{
			Element: resource.NewProperty("eu-west-1"), Known: true, Secret: true})), want: "eu-west-1"},
		{name: "encrypted provider region", provider: region(encrypted), stackRegion: "eu-west-1", wantUnknownIn: "--show-secrets"},
		{name: "redacted provider region", provider: region(resource.NewProperty("[secret]")), stackRegion: "eu-west-1", wantUnknownIn: "redacted secret"},
		{name: "unknown provider region", provider: region(unknown), stackRegion: "eu-west-1", wantUnknownIn: "not known yet"},
		{name: "unknown own region", provider: region(resource.NewProperty("eu-west-1")), own: region(unknown), wantUnknownIn: "not known yet"},
		{name: "encrypted own region", provider: region(resource.NewProperty("eu-west-1")), own: region(encrypted), wantUnknownIn: "encrypted secret"},
		{name: "region of the wrong type", provider: region(resource.NewProperty(3.0)), wantUnknownIn: "not a region name"},
		{name: "explicit provider without region: not the stack's", provider: resource.PropertyMap{}, stackRegion: "eu-west-1",
			wantUnknownIn: "has no region"},
		{name: "default provider without region: the stack's", providerURN: defaultProvider, provider: resource.PropertyMap{},
			stackRegion: "eu-west-1", want: "eu-west-1"},
		{name: "default provider, no stack region", providerURN: defaultProvider, provider: resource.PropertyMap{},
			wantUnknownIn: "aws:region"},
		{name: "global type", typ: "aws:iam/role:Role", provider: region(encrypted), want: ""},
		{name: "global service prefix", typ: "aws:cloudfront/originAccessControl:OriginAccessControl", provider: region(encrypted), want: ""},
		{name: "Route 53 Resolver is regional", typ: "aws:route53/resolverEndpoint:ResolverEndpoint",
			provider: region(resource.NewProperty("eu-west-1")), want: "eu-west-1"},
		{name: "non-AWS", typ: "cloudflare:index/record:Record", provider: region(encrypted), want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			purn := tc.providerURN
			if purn == "" {
				purn = explicitProvider
			}
			typ := tc.typ
			if typ == "" {
				typ = "aws:s3/bucketV2:BucketV2"
			}
			p := &model.Resource{URN: purn, Type: "pulumi:providers:aws", Custom: true, Inputs: tc.provider}
			r := &model.Resource{URN: "urn:pulumi:prod::app::" + typ + "::r", Type: typ, Custom: true, Provider: purn, Inputs: tc.own}
			model.ResolveRegions([]*model.Resource{p, r}, tc.stackRegion)
			assert.Equal(t, tc.want, r.Region)
			if tc.wantUnknownIn == "" {
				assert.Empty(t, r.RegionUnknown)
			} else {
				assert.Contains(t, r.RegionUnknown, tc.wantUnknownIn)
				assert.Empty(t, r.Region, "an unreadable location is never the stack's region")
			}
		})
	}
}

func TestProviderNotInTheDeployment(t *testing.T) {
	t.Parallel()
	r := &model.Resource{URN: "urn:pulumi:prod::app::aws:s3/bucketV2:BucketV2::b", Type: "aws:s3/bucketV2:BucketV2", Provider: explicitProvider}
	model.ResolveRegions([]*model.Resource{r}, "eu-west-1")
	assert.Empty(t, r.Region)
	assert.Contains(t, r.RegionUnknown, "not in the deployment")
	// a resource with no provider reference (the in-memory engine's default provider)
	r = &model.Resource{URN: "urn:pulumi:prod::app::aws:s3/bucketV2:BucketV2::b", Type: "aws:s3/bucketV2:BucketV2"}
	model.ResolveRegions([]*model.Resource{r}, "eu-west-1")
	assert.Equal(t, "eu-west-1", r.Region)
}

func TestProviderURN(t *testing.T) {
	t.Parallel()
	assert.Equal(t, explicitProvider, model.ProviderURN(explicitProvider+"::04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
	assert.Equal(t, explicitProvider, model.ProviderURN(explicitProvider+"::p1"))
	assert.Equal(t, "not-a-reference", model.ProviderURN("not-a-reference"))
	assert.True(t, model.IsDefaultProvider(defaultProvider))
	assert.False(t, model.IsDefaultProvider(explicitProvider))
}
