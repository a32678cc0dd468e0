package analyzer_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/policies/analyzer"
)

// TestBucketPublicAccessBlockUnderTheAnalyzer: the engine passes properties
// only (no resource IDs), so a bucket's public access block is matched by the
// bucket's name or ARN as its properties give them; a block whose bucket is
// not known, or a bucket whose name is not known, is "cannot verify"
// (mandatory in prod-eu's deployed state), and a block with no bucket covers
// nothing. prod-eu's probe artifact bucket is the subject.
func TestBucketPublicAccessBlockUnderTheAnalyzer(t *testing.T) {
	t.Parallel()
	const pabType = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	const bucketType = "aws:s3/bucketV2:BucketV2"
	set := func(r *mockengine.Resource, key string, v resource.PropertyValue) {
		for _, m := range []resource.PropertyMap{r.Inputs, r.Outputs} {
			if v.IsNull() {
				delete(m, resource.PropertyKey(key))
			} else {
				m[resource.PropertyKey(key)] = v
			}
		}
	}
	unknown := resource.MakeComputed(resource.NewProperty(""))
	cases := []struct {
		name   string
		mutate func(bucket, pab *mockengine.Resource, name string)
		want   string // "" = the bucket passes
	}{
		{"as rendered: the block names the bucket", nil, ""},
		{"the bucket known only by its ARN", func(bucket, _ *mockengine.Resource, name string) {
			set(bucket, "bucket", unknown)
			set(bucket, "arn", resource.NewProperty("arn:aws:s3:::"+name))
		}, ""},
		{"a block naming the bucket by its ARN, which S3 refuses", func(_, pab *mockengine.Resource, name string) {
			set(pab, "bucket", resource.NewProperty("arn:aws:s3:::"+name))
		}, `names it by its ARN, which S3 does not accept`},
		{"the block names the bucket as a secret", func(_, pab *mockengine.Resource, name string) {
			set(pab, "bucket", resource.MakeSecret(resource.NewProperty(name)))
		}, ""},
		{"a block without a bucket covers nothing", func(_, pab *mockengine.Resource, _ string) {
			set(pab, "bucket", resource.NewNullProperty())
		}, `data-protection: S3 bucket "app-prod-eu-failover-probe-artifacts" does not block public access`},
		{"a block for another bucket", func(_, pab *mockengine.Resource, _ string) {
			set(pab, "bucket", resource.NewProperty("someone-elses"))
		}, `data-protection: S3 bucket "app-prod-eu-failover-probe-artifacts" does not block public access`},
		{"the block's bucket is not known", func(_, pab *mockengine.Resource, _ string) {
			set(pab, "bucket", unknown)
		}, `data-protection: cannot verify: S3 bucket "app-prod-eu-failover-probe-artifacts": the public access block`},
		{"the bucket's name is not known", func(bucket, _ *mockengine.Resource, _ string) {
			for _, k := range []string{"bucket", "id", "arn"} {
				set(bucket, k, unknown)
			}
		}, `data-protection: cannot verify: S3 bucket "app-prod-eu-failover-probe-artifacts": its name is not known`},
		{"the bucket's name is an encrypted secret", func(bucket, _ *mockengine.Resource, _ string) {
			for _, k := range []string{"bucket", "id", "arn"} {
				set(bucket, k, resource.MakeSecret(unknown))
			}
		}, `data-protection: cannot verify: S3 bucket "app-prod-eu-failover-probe-artifacts": its name is not known`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := render(t, "")
			var bucket, pab *mockengine.Resource
			for _, r := range rec.Resources() {
				switch {
				case r.Type == bucketType && strings.HasSuffix(r.Name, "probe-artifacts"):
					bucket = r
				case r.Type == pabType:
					pab = r
				}
			}
			require.NotNil(t, bucket)
			require.NotNil(t, pab)
			name := bucket.Outputs["bucket"].StringValue()
			require.NotEmpty(t, name)
			// as the engine sends them: no IDs among the properties
			delete(bucket.Outputs, "id")
			delete(pab.Outputs, "id")
			if tc.mutate != nil {
				tc.mutate(bucket, pab, name)
			}
			run := drive(t, serve(t, analyzer.New()), rec, false, nil)
			var s3 []string
			for _, m := range run.mandatory {
				if strings.Contains(m, "S3 bucket") {
					s3 = append(s3, m)
				}
			}
			if tc.want == "" {
				assert.Empty(t, s3)
				return
			}
			require.Len(t, s3, 1, strings.Join(run.mandatory, "\n"))
			assert.Contains(t, s3[0], tc.want)
		})
	}
}
