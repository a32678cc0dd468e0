package policies_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// final is a deployed state of stack prod-eu under jurisdiction eu: "cannot
// verify" is mandatory there.
func final(rs ...*model.Resource) *model.Deployment {
	d := deployment("prod-eu", eu, rs...)
	d.Final = true
	return d
}

// residencyMandatory returns data-residency's mandatory messages.
func residencyMandatory(rep *policies.Report) []string {
	var out []string
	for _, v := range only(rep, "data-residency") {
		if v.Level == policies.Mandatory {
			out = append(out, v.Message)
		}
	}
	return out
}

// TestResidencyEvasions is one case per way data left the jurisdiction past
// the previous policy (issue 12); each names what must be reported, mandatory,
// and each failed on the policy before deny-by-default.
func TestResidencyEvasions(t *testing.T) {
	t.Parallel()
	usBucket := res(tBucket, "us-bucket", "us-east-1", map[string]any{"bucket": "us-bucket", "arn": "arn:aws:s3:::us-bucket"})
	usBucket.Inputs = usBucket.Inputs.Copy()
	usBucket.Inputs["tags"] = toValue(map[string]any{"data-residency": "none"}) // does not exempt it either
	unknownProvider := res("aws:sqs/queue:Queue", "queue", "", map[string]any{"name": "q"})
	unknownProvider.RegionUnknown = "its provider aws-x has an encrypted secret region: export with --show-secrets"
	cases := []struct {
		name string
		rs   []*model.Resource
		cfg  string
		want []string
	}{
		{"documentdb cluster in us-east-1", []*model.Resource{
			res("aws:docdb/cluster:Cluster", "docs", "us-east-1", map[string]any{"engine": "docdb"})},
			"", []string{`DocumentDB cluster "docs" is in us-east-1, outside jurisdiction "eu"`}},
		{"any type at all, e.g. an SQS queue", []*model.Resource{
			res("aws:sqs/queue:Queue", "q", "us-west-2", map[string]any{})},
			"", []string{`aws:sqs/queue:Queue "q" is in us-west-2, outside jurisdiction "eu"`}},
		{"legacy dynamodb global table", []*model.Resource{
			res("aws:dynamodb/globalTable:GlobalTable", "gt", "eu-west-1", map[string]any{"name": "gt",
				"replicas": []any{map[string]any{"regionName": "eu-west-1"}, map[string]any{"regionName": "us-east-1"}}})},
			"", []string{`DynamoDB global table (legacy) "gt" copies data to us-east-1 (replicas[1].regionName)`}},
		{"ecr replication rule", []*model.Resource{
			res("aws:ecr/replicationConfiguration:ReplicationConfiguration", "ecr", "eu-west-1", map[string]any{
				"replicationConfiguration": map[string]any{"rules": []any{map[string]any{"destinations": []any{
					map[string]any{"region": "us-east-1", "registryId": "123456789012"}}}}}})},
			"", []string{`ECR replication "ecr" copies data to us-east-1 (replicationConfiguration.rules[0].destinations[0].region)`}},
		{"rds snapshot copy with destinationRegion", []*model.Resource{
			res("aws:rds/snapshotCopy:SnapshotCopy", "copy", "eu-west-1", map[string]any{
				"sourceDbSnapshotIdentifier": "arn:aws:rds:eu-west-1:123456789012:snapshot:s", "targetDbSnapshotIdentifier": "t",
				"destinationRegion": "us-east-1"})},
			"", []string{`RDS snapshot copy "copy" copies data to us-east-1 (destinationRegion)`}},
		{"s3 multi-region access point to a bucket in us-east-1", []*model.Resource{
			res("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", "mrap", "eu-west-1", map[string]any{
				"details": map[string]any{"name": "m", "regions": []any{map[string]any{"bucket": "us-bucket"}}}}),
			usBucket},
			"", []string{
				`S3 bucket "us-bucket": tag data-residency=none cannot disable jurisdiction "eu"`,
				`S3 bucket "us-bucket" is in us-east-1`,
				`S3 multi-region access point "mrap" copies data to us-east-1 (details.regions[0].bucket = us-bucket)`}},
		{"s3 multi-region access point to a bucket elsewhere", []*model.Resource{
			res("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", "mrap", "eu-west-1", map[string]any{
				"details": map[string]any{"name": "m", "regions": []any{map[string]any{"bucket": "someone-elses"}}}})},
			"", []string{`cannot verify: S3 multi-region access point "mrap": destination bucket someone-elses (details.regions[0].bucket) is not in this deployment`}},
		{"bucketV2 inline replication (v6 shape)", []*model.Resource{
			res(tBucket, "src", "eu-west-1", map[string]any{"bucket": "src", "replicationConfigurations": []any{map[string]any{
				"role": "arn:aws:iam::123456789012:role/r", "rules": []any{map[string]any{"status": "Enabled",
					"destinations": []any{map[string]any{"bucket": "arn:aws:s3:::us-bucket"}}}}}}}),
			res(tBucket, "us-bucket", "us-east-1", map[string]any{"bucket": "us-bucket"})},
			"", []string{
				`S3 bucket "src" copies data to us-east-1 (replicationConfigurations[0].rules[0].destinations[0].bucket = arn:aws:s3:::us-bucket)`,
				`S3 bucket "us-bucket" is in us-east-1`}},
		{"legacy bucket inline replication", []*model.Resource{
			res("aws:s3/bucket:Bucket", "src", "eu-west-1", map[string]any{"bucket": "src", "replicationConfiguration": map[string]any{
				"role": "arn:aws:iam::123456789012:role/r", "rules": []any{map[string]any{"destination": map[string]any{"bucket": "arn:aws:s3:::far"}}}}})},
			"", []string{`cannot verify: S3 bucket "src": destination bucket arn:aws:s3:::far (replicationConfiguration.rules[0].destination.bucket) is not in this deployment`}},
		{"provider region unknown or a secret", []*model.Resource{unknownProvider},
			"", []string{`cannot verify: aws:sqs/queue:Queue "queue": its region cannot be read: its provider aws-x has an encrypted secret region`}},
		{"data-residency: none in the provider's default tags (tagsAll)", []*model.Resource{
			res("aws:sqs/queue:Queue", "q", "us-east-1", map[string]any{"tagsAll": map[string]any{"data-residency": "none"}})},
			"", []string{`aws:sqs/queue:Queue "q": tag data-residency=none cannot disable jurisdiction "eu"`, `aws:sqs/queue:Queue "q" is in us-east-1`}},
		{"an aws-native resource", []*model.Resource{res("aws-native:s3:Bucket", "native", "", map[string]any{})},
			"", []string{`cannot verify: aws-native:s3:Bucket "native": the pack does not locate aws-native resources`}},
		{"no region at all", []*model.Resource{res("aws:sqs/queue:Queue", "q", "", map[string]any{})},
			"", []string{`cannot verify: aws:sqs/queue:Queue "q": its region is unknown`}},
		{"data-residency: none tag", []*model.Resource{
			res(tRDS, "db", "us-east-1", merge(goodDB("us-east-1"), map[string]any{"tags": map[string]any{"data-residency": "none"}}))},
			"", []string{`RDS instance "db": tag data-residency=none cannot disable jurisdiction "eu" (multiregion:residency): tags may only narrow it`,
				`RDS instance "db" is in us-east-1, outside jurisdiction "eu"`}},
		{"destination region as an encrypted secret", []*model.Resource{
			res("aws:rds/snapshotCopy:SnapshotCopy", "copy", "eu-west-1", map[string]any{"destinationRegion": secret(unknown)})},
			"", []string{`cannot verify: RDS snapshot copy "copy": destinationRegion is an encrypted secret`}},
		{"plaintext secret destination", []*model.Resource{
			res("aws:rds/snapshotCopy:SnapshotCopy", "copy", "eu-west-1", map[string]any{"destinationRegion": secret("us-west-2")})},
			"", []string{`RDS snapshot copy "copy" copies data to us-west-2 (destinationRegion)`}},
		{"regional ARN at any depth", []*model.Resource{
			res("aws:lambda/function:Function", "fn", "eu-west-1", map[string]any{"deadLetterConfig": map[string]any{
				"targetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}, "role": "arn:aws:iam::123456789012:role/fn"})},
			"", []string{`aws:lambda/function:Function "fn" copies data to us-east-1 (deadLetterConfig.targetArn = arn:aws:sqs:us-east-1:123456789012:dlq)`}},
		{"ecs task logs to us-east-1 (inside the containerDefinitions JSON string)", []*model.Resource{
			res("aws:ecs/taskDefinition:TaskDefinition", "task", "eu-west-1", map[string]any{"family": "app",
				"containerDefinitions": `[{"name":"app","image":"nginx","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g","awslogs-region":"us-east-1"}}}]`})},
			"", []string{`aws:ecs/taskDefinition:TaskDefinition "task" copies data to us-east-1 (containerDefinitions[0].logConfiguration.options.awslogs-region)`}},
		{"cloud control resource whose desired state names a region", []*model.Resource{
			res("aws:cloudcontrol/resource:Resource", "cc", "eu-west-1", map[string]any{"typeName": "AWS::DynamoDB::GlobalTable",
				"desiredState": `{"TableName":"t","Replicas":[{"Region":"eu-west-1"},{"Region":"us-west-2"}]}`})},
			"", []string{`aws:cloudcontrol/resource:Resource "cc" copies data to us-west-2 (desiredState.Replicas[1].Region)`}},
		{"endpoint URL in another region", []*model.Resource{
			res("aws:sns/topicSubscription:TopicSubscription", "sub", "eu-west-1", map[string]any{"protocol": "https",
				"endpoint": "https://sqs.us-east-1.amazonaws.com/123456789012/orders"})},
			"", []string{`aws:sns/topicSubscription:TopicSubscription "sub" copies data to us-east-1 (endpoint = https://sqs.us-east-1.amazonaws.com/123456789012/orders)`}},
		{"firehose into a bucket named only by ARN, outside the deployment", []*model.Resource{
			res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "fh", "eu-west-1", map[string]any{"destination": "extended_s3",
				"extendedS3Configuration": map[string]any{"bucketArn": "arn:aws:s3:::analytics-us", "roleArn": "arn:aws:iam::123456789012:role/fh"}})},
			"", []string{`cannot verify: aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream "fh": destination bucket arn:aws:s3:::analytics-us (extendedS3Configuration.bucketArn) is not in this deployment`}},
		{"flow logs into a bucket in us-east-1", []*model.Resource{
			res("aws:ec2/flowLog:FlowLog", "flow", "eu-west-1", map[string]any{"logDestinationType": "s3", "logDestination": "arn:aws:s3:::flows/vpc"}),
			res(tBucket, "flows", "us-east-1", map[string]any{"bucket": "flows"})},
			"", []string{`aws:ec2/flowLog:FlowLog "flow" copies data to us-east-1 (logDestination = arn:aws:s3:::flows/vpc)`, `S3 bucket "flows" is in us-east-1`}},
		{"load balancer access logs into a bucket in us-east-1", []*model.Resource{
			res("aws:lb/loadBalancer:LoadBalancer", "alb", "eu-west-1", map[string]any{"accessLogs": map[string]any{"bucket": "lb-logs", "enabled": true}}),
			res(tBucket, "lb-logs", "us-east-1", map[string]any{"bucket": "lb-logs"})},
			"", []string{`aws:lb/loadBalancer:LoadBalancer "alb" copies data to us-east-1 (accessLogs.bucket = lb-logs)`, `S3 bucket "lb-logs" is in us-east-1`}},
		{"aurora cluster joins a global database outside the deployment", []*model.Resource{
			res(tCluster, "c", "eu-west-1", map[string]any{"globalClusterIdentifier": "someone-elses-global"})},
			"", []string{`cannot verify: Aurora cluster "c" joins global data store "someone-elses-global" (globalClusterIdentifier), which is not in this deployment`}},
		{"elasticache joins a global datastore outside the deployment", []*model.Resource{
			res("aws:elasticache/replicationGroup:ReplicationGroup", "rg", "eu-west-1", map[string]any{"globalReplicationGroupId": "ldgnf-global"})},
			"", []string{`cannot verify: ElastiCache replication group "rg" joins global data store "ldgnf-global"`}},
		{"a tag may not name an unknown jurisdiction", []*model.Resource{
			res(tRDS, "db", "eu-west-1", merge(goodDB("eu-west-1"), map[string]any{"tags": map[string]any{"data-residency": "mars"}}))},
			"", []string{`RDS instance "db": tag data-residency=mars names an unknown jurisdiction`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := policies.Config{}
			if tc.cfg != "" {
				var err error
				cfg, err = policies.ParseConfig([]byte(tc.cfg))
				require.NoError(t, err)
			}
			got := residencyMandatory(policies.Evaluate(final(tc.rs...), cfg))
			require.Len(t, got, len(tc.want), "%s", strings.Join(got, "\n"))
			for i, w := range tc.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}

// TestResidencyPasses is the other side: what must not be reported.
func TestResidencyPasses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		rs   []*model.Resource
		cfg  string
	}{
		{"global services anywhere", []*model.Resource{
			res("aws:iam/role:Role", "role", "us-east-1", map[string]any{"assumeRolePolicy": "{}"}),
			res("aws:iam/instanceProfile:InstanceProfile", "ip", "us-east-1", map[string]any{"role": "arn:aws:iam::123456789012:role/r"}),
			res("aws:cloudfront/distribution:Distribution", "cdn", "us-east-1", map[string]any{}),
			res("aws:route53/zone:Zone", "zone", "", map[string]any{}),
			res("aws:route53/healthCheck:HealthCheck", "hc", "", map[string]any{"regions": []any{"us-east-1", "eu-west-1", "ap-southeast-1"}}),
			res("aws:waf/webAcl:WebAcl", "acl", "us-east-1", map[string]any{}),
			res("aws:wafv2/webAcl:WebAcl", "acl2", "us-east-1", map[string]any{"scope": "CLOUDFRONT"}),
			res("aws:organizations/account:Account", "acct", "us-east-1", map[string]any{}),
		}, ""},
		{"non-AWS resources", []*model.Resource{
			res("cloudflare:index/loadBalancerPool:LoadBalancerPool", "pool", "", map[string]any{"checkRegions": []any{"WEU"}}),
		}, ""},
		{"the ECS task role ARN is IAM, the task definition in region", []*model.Resource{
			res("aws:ecs/taskDefinition:TaskDefinition", "td", "eu-west-1", map[string]any{
				"taskRoleArn": "arn:aws:iam::123456789012:role/task", "executionRoleArn": "arn:aws:iam::123456789012:role/exec"}),
		}, ""},
		{"tags with a region label are not destinations", []*model.Resource{
			res("aws:sqs/queue:Queue", "q", "eu-west-1", map[string]any{"tags": map[string]any{"region": "us-east-1"}}),
		}, ""},
		{"region-named keys that hold no region", []*model.Resource{
			res("aws:cloudtrail/trail:Trail", "t", "eu-west-1", map[string]any{"isMultiRegionTrail": false}),
			res("aws:ses/receiptRule:ReceiptRule", "r", "eu-west-1", map[string]any{"stateOrRegion": "Bavaria"}),
		}, ""},
		{"exempt types from the config", []*model.Resource{
			res("aws:acm/certificate:Certificate", "cert", "us-east-1", map[string]any{"domainName": "example.com"}),
		}, `{"data-residency":{"exemptTypes":["aws:acm/certificate:Certificate"]}}`},
		{"s3 replication inside the jurisdiction", []*model.Resource{
			res(tBucket, "src", "eu-west-1", map[string]any{"bucket": "src", "replicationConfigurations": []any{map[string]any{
				"rules": []any{map[string]any{"destinations": []any{map[string]any{"bucket": "arn:aws:s3:::dst"}}}}}}}),
			res(tBucket, "dst", "eu-central-1", map[string]any{"bucket": "dst"})}, ""},
		{"firehose into a bucket of this deployment in the jurisdiction", []*model.Resource{
			res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "fh", "eu-west-1", map[string]any{
				"extendedS3Configuration": map[string]any{"bucketArn": "arn:aws:s3:::analytics-eu"}}),
			res(tBucket, "analytics-eu", "eu-central-1", map[string]any{"bucket": "analytics-eu", "arn": "arn:aws:s3:::analytics-eu"})}, ""},
		{"aurora cluster in a global database of this deployment", []*model.Resource{
			res(tGlobal, "g", "", map[string]any{"globalClusterIdentifier": "app-global"}),
			res(tCluster, "c", "eu-west-1", map[string]any{"globalClusterIdentifier": "app-global"})}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := policies.Config{}
			if tc.cfg != "" {
				var err error
				cfg, err = policies.ParseConfig([]byte(tc.cfg))
				require.NoError(t, err)
			}
			rep := policies.Evaluate(final(tc.rs...), cfg)
			assert.Empty(t, only(rep, "data-residency"))
		})
	}
}

func TestResidencyNothingToEnforceIsSaid(t *testing.T) {
	t.Parallel()
	rep := policies.Evaluate(deployment("dev", map[string]string{"multiregion:residency": "none"},
		res("aws:sqs/queue:Queue", "q", "us-east-1", map[string]any{})), policies.Config{})
	require.Len(t, rep.Notes, 2, "%v", rep.Notes)
	assert.Equal(t, "data-residency", rep.Notes[0].Policy)
	assert.Contains(t, rep.Notes[0].Message, "no jurisdiction")
	assert.Equal(t, "cost-limit", rep.Notes[1].Policy)
	assert.Contains(t, rep.Notes[1].Message, "no budget")

	rep = policies.Evaluate(deployment("prod-eu", map[string]string{"multiregion:residency": "eu", "multiregion:budgetUSD": "100"}), policies.Config{})
	assert.Empty(t, rep.Notes)
}

// BenchmarkEvaluateWithJurisdiction is BenchmarkEvaluate with residency on
// (a jurisdiction allowing every region, so every AWS resource's location and
// properties are read and nothing is reported): the cost of deny by default.
func BenchmarkEvaluateWithJurisdiction(b *testing.B) {
	cfg, err := policies.ParseConfig([]byte(`{"data-residency":{"jurisdiction":"world","jurisdictions":{"world":["*"]}}}`))
	if err != nil {
		b.Fatal(err)
	}
	d := synth.Deployment(100_000, 4)
	b.ReportAllocs()
	for b.Loop() {
		rep := policies.Evaluate(d, cfg)
		for _, v := range rep.Violations {
			if v.Policy == "data-residency" {
				b.Fatalf("unexpected residency violation: %v", v)
			}
		}
	}
	b.ReportMetric(float64(len(d.Resources))*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
}

// The analyzer runs resource and stack checks in separate calls: a bucket
// named by ARN is still resolved when only the stack check runs.
func TestResidencyS3ARNInStackScopeAlone(t *testing.T) {
	t.Parallel()
	fh := res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "fh", "eu-west-1", map[string]any{
		"extendedS3Configuration": map[string]any{"bucketArn": "arn:aws:s3:::far-away"}})
	for _, scope := range []policies.Scope{policies.ScopeAll, policies.ScopeStack} {
		rep := policies.EvaluateScope(final(fh), policies.Config{}, scope)
		got := residencyMandatory(rep)
		require.Len(t, got, 1, "scope %d: %v", scope, got)
		assert.Contains(t, got[0], "destination bucket arn:aws:s3:::far-away (extendedS3Configuration.bucketArn) is not in this deployment")
	}
	assert.Empty(t, residencyMandatory(policies.EvaluateScope(final(fh), policies.Config{}, policies.ScopeResource)),
		"the resource check alone cannot resolve names")
}
