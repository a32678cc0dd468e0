package cost_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies/cost"
	"github.com/multiregion/multiregion/policies/model"
)

// linesByName sums an estimate's lines per resource name.
func linesByName(est *cost.Estimate) map[string]float64 {
	out := map[string]float64{}
	for _, l := range est.ByResource {
		out[l.Name] += l.MonthlyUSD
	}
	return out
}

func canary(name, region, expr string, runConfig map[string]any) *model.Resource {
	p := map[string]any{"schedule": map[string]any{"expression": expr}}
	if runConfig != nil {
		p["runConfig"] = runConfig
	}
	return res("aws:synthetics/canary:Canary", name, region, p)
}

// TestCanaryPrices: runs a month from schedule.expression (730 h x 3600 s /
// period) at the feed's per-run price, plus the Lambda bound: every run lasting
// its whole timeout at its memory (3008 MB when not set), x86, and its request.
// us-east-1 prices, from the feeds: $0.0012 a run, $0.0000166667 a GB-second,
// $0.20 per million requests; eu-central-1: $0.0016 a run.
func TestCanaryPrices(t *testing.T) {
	t.Parallel()
	c := cost.Default
	v, _ := c.Regional("cloudwatch.canaryRun", "us-east-1")
	assert.Equal(t, 0.0012, v)
	v, _ = c.Regional("cloudwatch.canaryRun", "eu-west-1")
	assert.Equal(t, 0.0014, v)
	v, _ = c.Regional("cloudwatch.canaryRun", "eu-central-1")
	assert.Equal(t, 0.0016, v)
	v, _ = c.Regional("cloudwatch.canaryRun", "ap-southeast-1")
	assert.Equal(t, 0.0017, v)
	v, _ = c.Regional("lambda.x86.gbSecond", "us-east-1")
	assert.Equal(t, 0.0000166667, v)

	rs := []*model.Resource{
		// 43,800 runs x 0.0012 = 52.56; 43,800 x 30 s x 2.9375 GB x 0.0000166667 = 64.3313;
		// 0.0438 M x 0.2 = 0.0088: 116.90
		canary("minute", "us-east-1", "rate(1 minute)", map[string]any{"timeoutInSeconds": 30}),
		// 8,760 runs x 0.0012 = 10.512; 8,760 x 10 s x 0.9375 GB x 0.0000166667 = 1.3688;
		// 0.00876 M x 0.2 = 0.0018: 11.88
		canary("five", "us-east-1", "rate(5 minutes)", map[string]any{"timeoutInSeconds": 10, "memoryInMb": 960}),
		// 730 runs x 0.0012 = 0.876; no timeout: the period capped at 840 s:
		// 730 x 840 x 2.9375 x 0.0000166667 = 30.0213; + 0.0001: 30.90
		canary("hourly", "us-east-1", "rate(1 hour)", nil),
		// rate(0 minute) runs once: 0.0012 + 840 x 2.9375 x 0.0000166667 (0.0411): 0.04
		canary("once", "us-east-1", "rate(0 minute)", nil),
		// eu-central-1: 43,800 x 0.0016 = 70.08 + the Lambda bound at eu-central-1's price
		canary("frankfurt", "eu-central-1", "rate(1 minute)", map[string]any{"timeoutInSeconds": 30}),
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	require.Empty(t, est.Unpriced)
	require.Empty(t, est.Invalid)
	got := linesByName(est)
	assert.Equal(t, 116.9, got["minute"])
	assert.Equal(t, 11.88, got["five"])
	assert.Equal(t, 30.9, got["hourly"])
	assert.Equal(t, 0.04, got["once"])
	assert.Greater(t, got["frankfurt"], 70.08+64.0, "the per-run price is eu-central-1's")
}

// TestCanaryUnreadableSchedule: a schedule that is not a readable rate is
// unpriced, never guessed.
func TestCanaryUnreadableSchedule(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"cron(0/5 * * * ? *)", // cron schedules are not read
		"rate(2 hours)",       // Synthetics runs at most hourly apart
		"rate(61 minutes)",
		"rate(1 day)",
		"rate(-1 minutes)",
		"rate(1 minute) ", // not trimmed: read strictly
		"rate(01 minute)",
		"rate(1.5 minutes)",
		"RATE(1 minute)",
		"rate(1minute)",
	} {
		est := (&cost.Estimator{}).Estimate([]*model.Resource{canary("c", "us-east-1", expr, nil)}, "us-east-1")
		require.Len(t, est.Unpriced, 1, expr)
		assert.Contains(t, est.Unpriced[0].Reason, "runs per month are unknown", expr)
		assert.Empty(t, est.ByResource, expr)
	}
	// no schedule at all
	est := (&cost.Estimator{}).Estimate([]*model.Resource{res("aws:synthetics/canary:Canary", "c", "us-east-1", nil)}, "us-east-1")
	require.Len(t, est.Unpriced, 1)
	assert.Contains(t, est.Unpriced[0].Reason, "schedule.expression is unknown")
}

// TestCanaryInvalidRunConfig: a timeout or memory Synthetics refuses is an
// error, never priced as something else.
func TestCanaryInvalidRunConfig(t *testing.T) {
	t.Parallel()
	for name, rc := range map[string]map[string]any{
		"timeout 0":        {"timeoutInSeconds": 0},
		"timeout 900":      {"timeoutInSeconds": 900},
		"timeout NaN":      {"timeoutInSeconds": "NaN"},
		"timeout fraction": {"timeoutInSeconds": 10.5},
		"memory 1000":      {"memoryInMb": 1000},
		"memory 4096":      {"memoryInMb": 4096},
		"memory -64":       {"memoryInMb": -64},
	} {
		est := (&cost.Estimator{}).Estimate([]*model.Resource{canary("c", "us-east-1", "rate(1 minute)", rc)}, "us-east-1")
		assert.Len(t, est.Invalid, 1, name)
		assert.Empty(t, est.ByResource, name)
	}
}

// TestS3Prices: a bucket is priced by the s3StorageGBPerBucket assumption
// (default 5 GB) at S3 Standard's first-50-TB price; an object by its own size;
// bucket configuration is free.
func TestS3Prices(t *testing.T) {
	t.Parallel()
	v, _ := cost.Default.Regional("s3.standard.gbMonth", "us-east-1")
	assert.Equal(t, 0.023, v)
	v, _ = cost.Default.Regional("s3.standard.gbMonth", "eu-central-1")
	assert.Equal(t, 0.0245, v)
	twoGB := strings.Repeat("x", 1<<21) // 2 MiB
	rs := []*model.Resource{
		// 5 GB x 0.023 = 0.115
		res("aws:s3/bucketV2:BucketV2", "bucket", "us-east-1", nil),
		res("aws:s3/bucket:Bucket", "legacy", "us-east-1", nil),
		res("aws:s3/bucketObjectv2:BucketObjectv2", "b64", "us-east-1", map[string]any{"contentBase64": base64.StdEncoding.EncodeToString([]byte(twoGB))}),
		res("aws:s3/bucketObject:BucketObject", "text", "us-east-1", map[string]any{"content": "hello"}),
	}
	for _, typ := range []string{
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketVersioningV2:BucketVersioningV2",
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"aws:s3/bucketPolicy:BucketPolicy",
	} {
		assert.True(t, cost.Free(typ), typ)
		rs = append(rs, res(typ, "config", "us-east-1", nil))
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	require.Empty(t, est.Unpriced)
	require.Empty(t, est.Invalid)
	got := linesByName(est)
	assert.Equal(t, 0.12, got["bucket"])
	assert.Equal(t, 0.12, got["legacy"])
	for _, l := range est.ByResource {
		switch l.Name {
		case "b64":
			assert.Contains(t, l.Detail, "2097152 bytes")
		case "text":
			assert.Contains(t, l.Detail, "5 bytes")
		case "config":
			t.Errorf("bucket configuration %s was priced", l.Type)
		}
	}
	// The assumption is a usage key: 100 GB x 0.023 = 2.30.
	est = (&cost.Estimator{Usage: cost.Usage{S3StorageGBPerBucket: 100}}).Estimate(rs[:1], "us-east-1")
	assert.Equal(t, 2.3, linesByName(est)["bucket"])
	// Billed S3 features are not free.
	for _, typ := range []string{"aws:s3/bucketReplicationConfig:BucketReplicationConfig", "aws:s3/inventory:Inventory",
		"aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration", "aws:s3/bucketMetric:BucketMetric"} {
		assert.False(t, cost.Free(typ), typ)
	}
}

// TestS3ObjectUnpricedShapes: an object whose size the deployment does not say
// is unpriced; one S3 would refuse is invalid.
func TestS3ObjectUnpricedShapes(t *testing.T) {
	t.Parallel()
	est := (&cost.Estimator{}).Estimate([]*model.Resource{
		res("aws:s3/bucketObjectv2:BucketObjectv2", "file", "us-east-1", map[string]any{"source": "./probe.zip"}),
		res("aws:s3/bucketObjectv2:BucketObjectv2", "glacier", "us-east-1", map[string]any{"content": "x", "storageClass": "GLACIER"}),
		// not a string: never read as empty
		res("aws:s3/bucketObjectv2:BucketObjectv2", "number", "us-east-1", map[string]any{"content": 42}),
	}, "us-east-1")
	require.Len(t, est.Unpriced, 3)
	assert.Empty(t, est.ByResource)
	est = (&cost.Estimator{}).Estimate([]*model.Resource{
		res("aws:s3/bucketObjectv2:BucketObjectv2", "bad", "us-east-1", map[string]any{"contentBase64": "not base64!"}),
	}, "us-east-1")
	require.Len(t, est.Invalid, 1)
	assert.Equal(t, "contentBase64", est.Invalid[0].Key)
}

// TestCloudControlByTypeName: a Cloud Control resource is priced, or not, by
// the CloudFormation type it creates, and accepted or overridden by that name:
// the token alone would cover every CloudFormation type.
func TestCloudControlByTypeName(t *testing.T) {
	t.Parallel()
	plan := res(cost.CloudControlType, "plan", "us-west-2", map[string]any{"typeName": "AWS::ARCRegionSwitch::Plan"})
	other := res(cost.CloudControlType, "other", "us-west-2", map[string]any{"typeName": "AWS::EC2::Instance"})
	untyped := res(cost.CloudControlType, "untyped", "us-west-2", nil)
	est := (&cost.Estimator{}).Estimate([]*model.Resource{plan, other, untyped}, "us-west-2")
	require.Len(t, est.Unpriced, 3)
	reasons := map[string]cost.Unpriced{}
	for _, u := range est.Unpriced {
		reasons[u.URN] = u
	}
	assert.Equal(t, "AWS::ARCRegionSwitch::Plan", reasons[plan.URN].Kind())
	assert.Contains(t, reasons[plan.URN].Reason, "ARC Region switch bills each plan per month")
	assert.Equal(t, "AWS::EC2::Instance", reasons[other.URN].Kind())
	assert.Contains(t, reasons[other.URN].Reason, "Cloud Control type AWS::EC2::Instance is not in the catalog")
	assert.Equal(t, cost.CloudControlType, reasons[untyped.URN].Kind())
	assert.Contains(t, reasons[untyped.URN].Reason, "typeName is unknown")

	// An override by typeName prices that type only; one by the token prices
	// only a Cloud Control resource with no typeName.
	est = (&cost.Estimator{PriceOverrides: map[string]float64{"AWS::ARCRegionSwitch::Plan": 70, cost.CloudControlType: 1}}).
		Estimate([]*model.Resource{plan, other, untyped}, "us-west-2")
	got := linesByName(est)
	assert.Equal(t, 70.0, got["plan"])
	assert.Equal(t, 1.0, got["untyped"])
	require.Len(t, est.Unpriced, 1)
	assert.Equal(t, other.URN, est.Unpriced[0].URN)
}

// TestFailoverAlarmPriced: the failover probe's alarm (period 60) is a
// standard-resolution alarm, priced before this round.
func TestFailoverAlarmPriced(t *testing.T) {
	t.Parallel()
	est := (&cost.Estimator{}).Estimate([]*model.Resource{
		res("aws:cloudwatch/metricAlarm:MetricAlarm", "primary-down", "us-west-2", map[string]any{"period": 60}),
	}, "us-west-2")
	assert.Equal(t, 0.1, linesByName(est)["primary-down"])
}
