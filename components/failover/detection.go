package failover

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/synthetics"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// probeFile is the script's path in the canary's archive: Node.js canaries
	// load their handler from nodejs/node_modules/ (CloudWatch Synthetics,
	// "Writing a canary script"), the handler is "<file>.handler".
	probeFile    = "nodejs/node_modules/probe.js"
	probeHandler = "probe.handler"
	// probeURLVar passes the URL to the script, so the script (and its archive)
	// never changes with the endpoint.
	probeURLVar = "PROBE_URL"
	// syntheticsNamespace and successMetric are what a canary publishes per run
	// (CloudWatch Synthetics metrics: SuccessPercent, dimension CanaryName).
	syntheticsNamespace = "CloudWatchSynthetics"
	successMetric       = "SuccessPercent"
	// lambdaPrincipal runs the canary: a canary is a Lambda function.
	lambdaPrincipal = "lambda.amazonaws.com"
)

// probeScript fails the run (throws) unless the URL answers 2xx or 3xx within
// probeTimeoutSeconds. It uses only Node's https/http modules. The load
// balancer's certificate names the application's domain, not the load
// balancer's DNS name, so the probe does not verify the certificate: it checks
// that the primary answers, like Route 53 health checks, which do not validate
// certificates either.
const probeScript = `const http = require('http');
const https = require('https');

exports.handler = async () => {
  const url = process.env.` + probeURLVar + `;
  if (!url) throw new Error('` + probeURLVar + ` is not set');
  const client = url.startsWith('https:') ? https : http;
  const status = await new Promise((resolve, reject) => {
    const req = client.get(url, { timeout: %d000, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
  if (status < 200 || status >= 400) throw new Error(url + ' answered ' + status);
  return 'ok ' + status;
};
`

// detection creates the probe of the primary in the standby region and the
// alarm that fires after ConsecutiveFailures failed periods in a row.
//
// Why not Route 53 health checks: their metrics (HealthCheckStatus) are
// published to CloudWatch in us-east-1 only, so an alarm on them cannot fire
// while us-east-1 is impaired, which is exactly when prod needs it. The probe
// and its alarm live in the standby region, the region the plan activates.
func (b *builder) detection() error {
	cfg := b.cfg
	script := fmt.Sprintf(probeScript, probeTimeoutSeconds)

	bucketName := b.child("probe-artifacts")
	bucket, err := s3.NewBucketV2(b.ctx, bucketName, &s3.BucketV2Args{
		// Named, not auto-named: bucket names are global, so the account and
		// region make it unique, and a known name lets the public access block
		// and the data-protection policy refer to the same bucket.
		Bucket: pulumi.String(fmt.Sprintf("%s-%s-%s", b.base, b.account, cfg.Standby.Region)),
		// Canary screenshots and logs are disposable evidence: never block a destroy.
		ForceDestroy: pulumi.Bool(true),
		Tags:         b.tags(bucketName),
	}, b.in...)
	if err != nil {
		return fmt.Errorf("probe artifact bucket: %w", err)
	}
	b.f.ArtifactBucket = bucket
	child := append(append([]pulumi.ResourceOption{}, b.in...), pulumi.Parent(bucket))
	if _, err := s3.NewBucketPublicAccessBlock(b.ctx, b.child("probe-artifacts-public-access"), &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.Bucket,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...); err != nil {
		return fmt.Errorf("probe artifact bucket public access block: %w", err)
	}
	rule := s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
		SseAlgorithm: pulumi.String("AES256"),
	}
	encryption := synthetics.CanaryArtifactConfigS3EncryptionArgs{EncryptionMode: pulumi.String("SSE_S3")}
	if key := cfg.Standby.KMSKeyARN; key != nil {
		rule = s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm:   pulumi.String("aws:kms"),
			KmsMasterKeyId: key,
		}
		encryption = synthetics.CanaryArtifactConfigS3EncryptionArgs{EncryptionMode: pulumi.String("SSE_KMS"), KmsKeyArn: key}
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(b.ctx, b.child("probe-artifacts-encryption"), &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.Bucket,
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: rule,
			BucketKeyEnabled:                   pulumi.Bool(cfg.Standby.KMSKeyARN != nil),
		}},
	}, child...); err != nil {
		return fmt.Errorf("probe artifact bucket encryption: %w", err)
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(b.ctx, b.child("probe-artifacts-expiry"), &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.Bucket,
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-canary-artifacts"),
			Status:     pulumi.String("Enabled"),
			Filter:     s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("artifacts/")},
			Expiration: s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(artifactRetentionDays)},
		}},
	}, child...); err != nil {
		return fmt.Errorf("probe artifact bucket lifecycle: %w", err)
	}

	// The script's archive is built here, byte for byte reproducible, and
	// uploaded as the object's content; its key carries the script's hash, so
	// a changed script is a new object and the canary picks it up.
	archive, err := probeArchive(script)
	if err != nil {
		return fmt.Errorf("probe script archive: %w", err)
	}
	sum := sha256.Sum256([]byte(script))
	object, err := s3.NewBucketObjectv2(b.ctx, b.child("probe-script"), &s3.BucketObjectv2Args{
		Bucket:        bucket.Bucket,
		Key:           pulumi.String("scripts/probe-" + hex.EncodeToString(sum[:])[:12] + ".zip"),
		ContentBase64: pulumi.String(base64.StdEncoding.EncodeToString(archive)),
		ContentType:   pulumi.String("application/zip"),
	}, child...)
	if err != nil {
		return fmt.Errorf("probe script: %w", err)
	}

	role, err := b.canaryRole(bucket)
	if err != nil {
		return err
	}
	probes := []pulumi.StringInput{cfg.Primary.HealthCheckURL}
	if cfg.SecondProbeURL != nil {
		probes = append(probes, cfg.SecondProbeURL)
	}
	for i, url := range probes {
		if err := b.probe(i, url, bucket, object, role, encryption); err != nil {
			return err
		}
	}
	b.f.CanaryName = b.f.Canaries[0].Name
	b.f.AlarmARN = b.f.Alarms[0].Arn
	return nil
}

// probe creates canary i, probing url, and its alarm. The first canary is
// named b.base (19 characters), the second b.base + "2" (canary names take at
// most 21).
func (b *builder) probe(i int, url pulumi.StringInput, bucket *s3.BucketV2, object *s3.BucketObjectv2,
	role *iam.Role, encryption synthetics.CanaryArtifactConfigS3EncryptionArgs) error {
	cfg := b.cfg
	suffix, logical := "", ""
	if i > 0 {
		suffix, logical = fmt.Sprint(i+1), fmt.Sprint(i+1)
	}
	canaryName := b.base + suffix
	rate := "rate(1 minute)"
	if m := cfg.PeriodSeconds / 60; m > 1 {
		rate = fmt.Sprintf("rate(%d minutes)", m)
	}
	canaryArgs := &synthetics.CanaryArgs{
		Name:               pulumi.String(canaryName),
		ArtifactS3Location: pulumi.Sprintf("s3://%s/artifacts/%s/", bucket.Bucket, canaryName),
		ArtifactConfig:     synthetics.CanaryArtifactConfigArgs{S3Encryption: encryption},
		ExecutionRoleArn:   role.Arn,
		Handler:            pulumi.String(probeHandler),
		RuntimeVersion:     pulumi.String(cfg.RuntimeVersion),
		S3Bucket:           bucket.Bucket,
		S3Key:              object.Key,
		Schedule:           synthetics.CanaryScheduleArgs{Expression: pulumi.String(rate)},
		RunConfig: synthetics.CanaryRunConfigArgs{
			// Long enough for a cold start plus the probe, shorter than a period.
			TimeoutInSeconds:     pulumi.Int(probeTimeoutSeconds + 20),
			MemoryInMb:           pulumi.Int(probeMemoryMB),
			EnvironmentVariables: pulumi.StringMap{probeURLVar: url},
		},
		StartCanary:  pulumi.Bool(true),
		DeleteLambda: pulumi.Bool(true),
		Tags:         b.tags(b.child("probe", logical)),
	}
	canary, err := synthetics.NewCanary(b.ctx, b.child("probe", logical), canaryArgs, b.in...)
	if err != nil {
		return fmt.Errorf("probe canary %d: %w", i+1, err)
	}
	b.f.Canaries = append(b.f.Canaries, canary)

	alarmName := b.base + "-primary-down" + suffix
	alarm, err := cloudwatch.NewMetricAlarm(b.ctx, b.child("primary-down", logical), &cloudwatch.MetricAlarmArgs{
		Name: pulumi.String(alarmName),
		AlarmDescription: pulumi.Sprintf("%s: probe %d from %s failed to reach the primary %s in %d consecutive %d-second periods",
			b.name, i+1, cfg.Standby.Region, cfg.Primary.Region, cfg.ConsecutiveFailures, cfg.PeriodSeconds),
		Namespace:          pulumi.String(syntheticsNamespace),
		MetricName:         pulumi.String(successMetric),
		Dimensions:         pulumi.StringMap{"CanaryName": canary.Name},
		Statistic:          pulumi.String("Average"),
		Period:             pulumi.Int(cfg.PeriodSeconds),
		EvaluationPeriods:  pulumi.Int(cfg.ConsecutiveFailures),
		DatapointsToAlarm:  pulumi.Int(cfg.ConsecutiveFailures),
		ComparisonOperator: pulumi.String("LessThanThreshold"),
		// One run per period: SuccessPercent is 100 or 0, so "< 100" is "failed".
		Threshold: pulumi.Float64(100),
		// No data means the probe did not run (a problem in the standby region),
		// which says nothing about the primary: never fail over on it.
		TreatMissingData: pulumi.String("notBreaching"),
		Tags:             b.tags(alarmName),
	}, append(b.in, pulumi.Parent(canary))...)
	if err != nil {
		return fmt.Errorf("detection alarm %d: %w", i+1, err)
	}
	b.f.Alarms = append(b.f.Alarms, alarm)
	return nil
}

// probeArchive zips the script at probeFile. The zip is stored (not
// compressed) with a fixed timestamp, so the same script always gives the same
// bytes: a preview shows no change unless the script changed. (A
// pulumi.AssetArchive would do the zipping in the engine, but this project's
// offline reports render archive inputs as Go pointers, which differ per run.)
func probeArchive(script string) ([]byte, error) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.CreateHeader(&zip.FileHeader{
		Name:     probeFile,
		Method:   zip.Store,
		Modified: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		return nil, err
	}
	if _, err := f.Write([]byte(script)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// canaryRole is the role the canary runs as: write its artifacts, logs and
// metrics, nothing else (CloudWatch Synthetics, "Required roles and
// permissions for canaries").
func (b *builder) canaryRole(bucket *s3.BucketV2) (*iam.Role, error) {
	cfg := b.cfg
	name := b.child("probe-role")
	role, err := iam.NewRole(b.ctx, name, &iam.RoleArgs{
		Description:      pulumi.Sprintf("Synthetics probe of %s's primary %s", b.name, cfg.Primary.Region),
		AssumeRolePolicy: pulumi.String(trustPolicy(lambdaPrincipal)),
		Tags:             b.tags(name),
	}, b.in...)
	if err != nil {
		return nil, fmt.Errorf("probe role: %w", err)
	}
	var key pulumi.StringInput = pulumi.String("")
	if cfg.Standby.KMSKeyARN != nil {
		key = cfg.Standby.KMSKeyARN
	}
	doc := pulumi.All(bucket.Arn, key).ApplyT(func(v []any) (string, error) {
		out, err := json.Marshal(canaryPolicy(cfg.Partition, cfg.Standby.Region, b.account, b.base, v[0].(string), v[1].(string)))
		return string(out), err
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(b.ctx, b.child("probe-policy"), &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: doc,
	}, append(b.in, pulumi.Parent(role))...); err != nil {
		return nil, fmt.Errorf("probe policy: %w", err)
	}
	return role, nil
}

// canaryPolicy is the canary role's policy document; base is the canaries'
// common name prefix (their Lambda log groups are /aws/lambda/cwsyn-<name>-<id>).
func canaryPolicy(partition, region, account, base, bucketARN, keyARN string) map[string]any {
	logs := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/lambda/cwsyn-%s*", partition, region, account, base)
	st := []any{
		statement("Artifacts", []string{"s3:PutObject", "s3:GetObject"}, []string{bucketARN + "/*"}, nil),
		statement("ArtifactBucket", []string{"s3:GetBucketLocation"}, []string{bucketARN}, nil),
		// Synthetics lists buckets before it writes artifacts (read-only, no resource-level permission).
		statement("ListBuckets", []string{"s3:ListAllMyBuckets"}, []string{"*"}, nil),
		statement("Logs", []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, []string{logs, logs + ":*"}, nil),
		// PutMetricData has no resource-level permission: the namespace condition
		// limits it to Synthetics' own metrics.
		statement("Metrics", []string{"cloudwatch:PutMetricData"}, []string{"*"}, map[string]any{
			"StringEquals": map[string]any{"cloudwatch:namespace": syntheticsNamespace}}),
	}
	if keyARN != "" {
		st = append(st, statement("ArtifactKey", []string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{keyARN}, nil))
	}
	return map[string]any{"Version": "2012-10-17", "Statement": st}
}
