package analyzer

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies/model"
)

// TestFromRPCLocation: the analyzer locates a resource by the state reader's
// rule: a secret provider region the engine sends in memory is read, an
// unknown one is "cannot verify", never the stack's aws:region.
func TestFromRPCLocation(t *testing.T) {
	t.Parallel()
	stack := model.Stack{Name: "prod", Project: "p", Config: map[string]string{"aws:region": "us-east-1"}}
	const purn = "urn:pulumi:prod::p::pulumi:providers:aws::aws-eu"
	for name, tc := range map[string]struct {
		region      resource.PropertyValue
		want        string
		wantUnknown string
	}{
		"plain":      {resource.NewProperty("eu-west-1"), "eu-west-1", ""},
		"secret":     {resource.MakeSecret(resource.NewProperty("eu-west-1")), "eu-west-1", ""},
		"unknown":    {resource.MakeComputed(resource.NewProperty("")), "", "not known yet"},
		"secret unk": {resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))), "", "encrypted secret"},
		"redacted":   {resource.NewProperty("[secret]"), "", "redacted"},
	} {
		pm, err := plugin.MarshalProperties(resource.PropertyMap{"region": tc.region},
			plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
		require.NoError(t, err, name)
		provider := &pulumirpc.AnalyzerProviderResource{Type: "pulumi:providers:aws", Urn: purn, Name: "aws-eu", Properties: pm}
		r, err := fromRPC("urn:pulumi:prod::p::aws:s3/bucketV2:BucketV2::b", "aws:s3/bucketV2:BucketV2", "b", "", nil, provider, nil, stack)
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, r.Region, name)
		assert.Equal(t, purn, r.Provider, name)
		if tc.wantUnknown == "" {
			assert.Empty(t, r.RegionUnknown, name)
		} else {
			assert.Contains(t, r.RegionUnknown, tc.wantUnknown, name)
		}
	}
	// no provider reference: the default provider, the stack's aws:region
	r, err := fromRPC("urn:pulumi:prod::p::aws:s3/bucketV2:BucketV2::b", "aws:s3/bucketV2:BucketV2", "b", "", nil, nil, nil, stack)
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", r.Region)
}

// TestFinalUnlessDryRun: `pulumi policy analyze` (no ConfigureStack) and
// `pulumi up` analyze deployed states; a preview (dry_run) does not.
func TestFinalUnlessDryRun(t *testing.T) {
	t.Parallel()
	const urn = "urn:pulumi:prod::p::aws:s3/bucketV2:BucketV2::b"
	s := New()
	_, _, final := s.snapshot(urn)
	assert.True(t, final, "without ConfigureStack")
	for dryRun, want := range map[bool]bool{true: false, false: true} {
		s := New()
		_, err := s.ConfigureStack(context.Background(), &pulumirpc.AnalyzerStackConfigureRequest{Stack: "prod", Project: "p", DryRun: dryRun})
		require.NoError(t, err)
		_, _, final := s.snapshot(urn)
		assert.Equal(t, want, final, "dry_run %v", dryRun)
	}
}
