package policies_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// unknown marks a value as not known yet (a computed value during preview).
type unknownValue struct{}

var unknown = unknownValue{}

// secret wraps a value as a Pulumi secret.
type secretValue struct{ v any }

func secret(v any) secretValue { return secretValue{v} }

func toValue(v any) resource.PropertyValue {
	switch t := v.(type) {
	case unknownValue:
		return resource.MakeComputed(resource.NewProperty(""))
	case secretValue:
		return resource.MakeSecret(toValue(t.v))
	case resource.PropertyValue:
		return t
	case map[string]any:
		m := resource.PropertyMap{}
		for k, e := range t {
			m[resource.PropertyKey(k)] = toValue(e)
		}
		return resource.NewProperty(m)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = toValue(e)
		}
		return resource.NewProperty(arr)
	case []string:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = resource.NewProperty(e)
		}
		return resource.NewProperty(arr)
	case int:
		return resource.NewProperty(float64(t))
	case nil:
		return resource.NewNullProperty()
	}
	return resource.NewPropertyValue(v)
}

// res builds a resource in region with the given properties (inputs = outputs).
func res(typ, name, region string, p map[string]any) *model.Resource {
	m := toValue(p).ObjectValue()
	return &model.Resource{
		URN:    "urn:pulumi:test::multiregion::" + typ + "::" + name,
		Type:   typ,
		Name:   name,
		Region: region,
		Custom: true,
		ID:     name + "-id",
		Inputs: m, Outputs: m,
	}
}

func deployment(stack string, config map[string]string, rs ...*model.Resource) *model.Deployment {
	return &model.Deployment{Stack: model.Stack{Name: stack, Project: "multiregion", Config: config}, Resources: rs}
}

// only returns the violations of one policy.
func only(rep *policies.Report, policy string) []policies.Violation {
	var out []policies.Violation
	for _, v := range rep.Violations {
		if v.Policy == policy {
			out = append(out, v)
		}
	}
	return out
}

func levels(vs []policies.Violation) []policies.Level {
	var out []policies.Level
	for _, v := range vs {
		out = append(out, v.Level)
	}
	return out
}

var eu = map[string]string{"multiregion:residency": "eu"}

const (
	tRDS     = "aws:rds/instance:Instance"
	tCluster = "aws:rds/cluster:Cluster"
	tGlobal  = "aws:rds/globalCluster:GlobalCluster"
	tTable   = "aws:dynamodb/table:Table"
	tSecret  = "aws:secretsmanager/secret:Secret"
	tBucket  = "aws:s3/bucketV2:BucketV2"
	tSG      = "aws:ec2/securityGroup:SecurityGroup"
)

// goodDB is an RDS instance that passes data-protection.
func goodDB(region string) map[string]any {
	return map[string]any{
		"engine": "postgres", "instanceClass": "db.t4g.medium", "allocatedStorage": 20,
		"storageEncrypted": true, "kmsKeyId": "arn:aws:kms:" + region + ":123456789012:key/abc",
		"publiclyAccessible": false, "backupRetentionPeriod": 7, "deletionProtection": true,
		"skipFinalSnapshot": false, "finalSnapshotIdentifier": "db-final", "multiAz": false,
		"password": secret("hunter2"),
	}
}

func TestResidency(t *testing.T) {
	t.Parallel()
	replica := goodDB("us-east-1")
	replica["replicateSourceDb"] = "arn:aws:rds:eu-central-1:123456789012:db:primary"
	cases := []struct {
		name      string
		config    map[string]string
		policyCfg string
		rs        []*model.Resource
		want      []string // substrings of mandatory violations, in order
		advisory  []string
	}{
		{name: "eu database in eu", config: eu, rs: []*model.Resource{res(tRDS, "db", "eu-west-1", goodDB("eu-west-1"))}},
		{name: "eu database in us", config: eu, rs: []*model.Resource{res(tRDS, "db", "us-east-1", goodDB("us-east-1"))},
			want: []string{`RDS instance "db" is in us-east-1, outside jurisdiction "eu" (allowed: eu-*)`}},
		{name: "no jurisdiction", config: nil, rs: []*model.Resource{res(tRDS, "db", "us-east-1", goodDB("us-east-1"))}},
		{name: "residency none", config: map[string]string{"multiregion:residency": "none"}, rs: []*model.Resource{res(tRDS, "db", "ap-southeast-1", goodDB("x"))}},
		{name: "pack config wins over stack", config: eu, policyCfg: `{"data-residency":{"jurisdiction":"us"}}`,
			rs:   []*model.Resource{res(tRDS, "db", "eu-west-1", goodDB("eu-west-1"))},
			want: []string{`outside jurisdiction "us"`}},
		{name: "pack config alone", policyCfg: `{"data-residency":{"jurisdiction":"eu"}}`,
			rs:   []*model.Resource{res(tRDS, "db", "us-west-2", goodDB("us-west-2"))},
			want: []string{`is in us-west-2, outside jurisdiction "eu"`}},
		{name: "resource tag cannot widen", config: eu, rs: []*model.Resource{res(tRDS, "db", "us-east-1",
			merge(goodDB("us-east-1"), map[string]any{"tags": map[string]any{"data-residency": "us"}}))},
			want: []string{`RDS instance "db": tag data-residency=us (us-*) would widen jurisdiction "eu"`, `RDS instance "db" is in us-east-1, outside jurisdiction "eu"`}},
		{name: "a tag may narrow", config: eu, policyCfg: `{"data-residency":{"jurisdictions":{"de":["eu-central-1"]}}}`,
			rs:   []*model.Resource{res(tRDS, "db", "eu-west-1", merge(goodDB("eu-west-1"), map[string]any{"tags": map[string]any{"data-residency": "de"}}))},
			want: []string{`RDS instance "db" is in eu-west-1, outside jurisdiction "de" (allowed: eu-central-1)`}},
		{name: "resource tag applies without a stack jurisdiction", rs: []*model.Resource{res(tRDS, "db", "us-east-1",
			merge(goodDB("us-east-1"), map[string]any{"tags": map[string]any{"data-residency": "eu"}}))},
			want: []string{`RDS instance "db" is in us-east-1, outside jurisdiction "eu"`}},
		{name: "cross-region read replica", config: eu, rs: []*model.Resource{res(tRDS, "replica", "us-east-1", replica)},
			want: []string{`RDS instance "replica" copies data to us-east-1 (a cross-region read replica of arn:aws:rds:eu-central-1`}},
		{name: "dynamodb replica outside", config: eu, rs: []*model.Resource{res(tTable, "t", "eu-west-1", map[string]any{
			"replicas": []any{map[string]any{"regionName": "eu-central-1"}, map[string]any{"regionName": "us-east-1"}}})},
			want: []string{`DynamoDB table "t" copies data to us-east-1 (replicas[1].regionName), outside jurisdiction "eu"`}},
		{name: "dynamodb replica unknown", config: eu, rs: []*model.Resource{res(tTable, "t", "eu-west-1", map[string]any{
			"replicas": []any{map[string]any{"regionName": unknown}}})},
			advisory: []string{"cannot verify: DynamoDB table \"t\": replicas[0].regionName is not known yet"}},
		{name: "replicas list unknown", config: eu, rs: []*model.Resource{res(tTable, "t", "eu-west-1", map[string]any{"replicas": unknown})},
			advisory: []string{"cannot verify"}},
		{name: "secret replica region is itself secret", config: eu, rs: []*model.Resource{res(tSecret, "s", "eu-west-1", map[string]any{
			"replicas": []any{map[string]any{"region": secret("us-west-2")}}})},
			want: []string{`Secrets Manager secret "s" copies data to us-west-2 (replicas[0].region)`}},
		{name: "backup copy", config: eu, rs: []*model.Resource{res("aws:backup/plan:Plan", "plan", "eu-west-1", map[string]any{
			"rules": []any{map[string]any{"copyActions": []any{map[string]any{"destinationVaultArn": "arn:aws:backup:us-east-1:123456789012:backup-vault:dr"}}}}})},
			want: []string{`backup plan "plan" copies data to us-east-1 (rules[0].copyActions[0].destinationVaultArn = arn:aws:backup:us-east-1`}},
		{name: "unknown region", config: eu, rs: []*model.Resource{res(tRDS, "db", "", goodDB("x"))},
			advisory: []string{"cannot verify: RDS instance \"db\": its region is unknown"}},
		{name: "custom jurisdictions", policyCfg: `{"data-residency":{"jurisdiction":"eu-strict","jurisdictions":{"eu-strict":["eu-central-1","eu-west-1"]}}}`,
			rs:   []*model.Resource{res(tRDS, "ok", "eu-west-1", goodDB("x")), res(tRDS, "london", "eu-west-2", goodDB("x"))},
			want: []string{`RDS instance "london" is in eu-west-2, outside jurisdiction "eu-strict" (allowed: eu-central-1, eu-west-1)`}},
		{name: "unknown jurisdiction", config: map[string]string{"multiregion:residency": "mars"}, rs: []*model.Resource{res(tRDS, "db", "eu-west-1", goodDB("x"))},
			want: []string{`unknown jurisdiction "mars"`}},
		{name: "s3 replication destination in stack", config: eu, rs: []*model.Resource{
			res(tBucket, "src", "eu-west-1", map[string]any{"arn": "arn:aws:s3:::src", "bucket": "src"}),
			res(tBucket, "dst", "us-east-1", map[string]any{"arn": "arn:aws:s3:::dst", "bucket": "dst"}),
			res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "repl", "eu-west-1", map[string]any{
				"bucket": "src", "rules": []any{map[string]any{"destination": map[string]any{"bucket": "arn:aws:s3:::dst"}}}}),
		}, want: []string{`S3 replication "repl" copies data to us-east-1 (rules[0].destination.bucket = arn:aws:s3:::dst)`, `S3 bucket "dst" is in us-east-1`}},
		{name: "s3 replication destination elsewhere", config: eu, rs: []*model.Resource{
			res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "repl", "eu-west-1", map[string]any{
				"rules": []any{map[string]any{"destination": map[string]any{"bucket": "arn:aws:s3:::other-account-bucket"}}}}),
		}, advisory: []string{"destination bucket arn:aws:s3:::other-account-bucket (rules[0].destination.bucket) is not in this deployment"}},
		{name: "global cluster member outside the deployment", config: eu, rs: []*model.Resource{
			res(tGlobal, "g", "", map[string]any{"globalClusterMembers": []any{
				map[string]any{"dbClusterArn": "arn:aws:rds:eu-central-1:123456789012:cluster:a", "isWriter": true},
				map[string]any{"dbClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:b", "isWriter": false}}}),
			res(tCluster, "a", "eu-central-1", map[string]any{"arn": "arn:aws:rds:eu-central-1:123456789012:cluster:a"}),
		}, want: []string{`Aurora global database "g" copies data to us-east-1 (globalClusterMembers[1].dbClusterArn = arn:aws:rds:us-east-1:123456789012:cluster:b)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := policies.Config{}
			if tc.policyCfg != "" {
				var err error
				cfg, err = policies.ParseConfig([]byte(tc.policyCfg))
				require.NoError(t, err)
			}
			rep := policies.Evaluate(deployment("prod-eu", tc.config, tc.rs...), cfg)
			var mandatory, advisory []string
			for _, v := range only(rep, "data-residency") {
				if v.Level == policies.Mandatory {
					mandatory = append(mandatory, v.Message)
				} else {
					advisory = append(advisory, v.Message)
				}
			}
			require.Len(t, mandatory, len(tc.want), "mandatory: %v", mandatory)
			for i, w := range tc.want {
				assert.Contains(t, mandatory[i], w)
			}
			require.Len(t, advisory, len(tc.advisory), "advisory: %v", advisory)
			for i, w := range tc.advisory {
				assert.Contains(t, advisory[i], w)
			}
		})
	}
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestDataProtection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		r    *model.Resource
		want []string
	}{
		{"good database", res(tRDS, "db", "eu-west-1", goodDB("eu-west-1")), nil},
		{"public", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"publiclyAccessible": true})), []string{"must not be publicly accessible"}},
		{"unencrypted", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"storageEncrypted": false, "kmsKeyId": nil})),
			[]string{"must encrypt storage", "not encrypted with a customer-managed KMS key"}},
		{"aws managed key", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"kmsKeyId": "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds"})), []string{"uses the AWS-managed key"}},
		{"short backups", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"backupRetentionPeriod": 1})), []string{"keeps backups 1 day(s): at least 7"}},
		{"no backups set", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"backupRetentionPeriod": nil})), []string{"AWS default (1 day)"}},
		{"no deletion protection", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"deletionProtection": false})), []string{"needs deletion protection"}},
		{"skip final snapshot", res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"skipFinalSnapshot": true})), []string{"must take a final snapshot"}},
		{"dynamodb without pitr", res(tTable, "t", "eu-west-1", map[string]any{
			"serverSideEncryption": map[string]any{"enabled": true, "kmsKeyArn": "arn:aws:kms:eu-west-1:1:key/k"},
			"pointInTimeRecovery":  map[string]any{"enabled": false}, "deletionProtectionEnabled": true}), []string{"needs point-in-time recovery"}},
		{"sg opens postgres", res(tSG, "sg", "eu-west-1", map[string]any{"ingress": []any{
			map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []any{"0.0.0.0/0"}}}}), []string{`security group "sg" opens database port 5432 to the internet`}},
		{"sg opens all", res(tSG, "sg", "eu-west-1", map[string]any{"ingress": []any{
			map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": []any{"::/0"}}}}), []string{"opens database port"}},
		{"sg https is fine", res(tSG, "sg", "eu-west-1", map[string]any{"ingress": []any{
			map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"0.0.0.0/0"}}}}), nil},
		{"sg rule", res("aws:ec2/securityGroupRule:SecurityGroupRule", "rule", "eu-west-1", map[string]any{
			"type": "ingress", "protocol": "tcp", "fromPort": 3000, "toPort": 4000, "cidrBlocks": []any{"0.0.0.0/0"}}), []string{"opens database port 3306"}},
		{"vpc ingress rule", res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rule", "eu-west-1", map[string]any{
			"ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379, "cidrIpv4": "0.0.0.0/0"}), []string{"opens database port 6379"}},
		{"bucket without public access block", res(tBucket, "b", "eu-west-1", map[string]any{"bucket": "b"}), []string{`S3 bucket "b" does not block public access`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := policies.Evaluate(deployment("prod", nil, tc.r), policies.Config{})
			got := only(rep, "data-protection")
			require.Len(t, got, len(tc.want), "%v", got)
			for i, w := range tc.want {
				assert.Contains(t, got[i].Message, w)
				assert.Equal(t, policies.Mandatory, got[i].Level, "mandatory in prod")
			}
		})
	}
}

func TestDataProtectionLevelsAndUnknowns(t *testing.T) {
	t.Parallel()
	bad := res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"deletionProtection": false}))
	for stack, want := range map[string]policies.Level{"prod": policies.Mandatory, "prod-eu": policies.Mandatory,
		"dev": policies.Advisory, "staging": policies.Advisory, "payments-prod": policies.Mandatory} {
		rep := policies.Evaluate(deployment(stack, nil, bad), policies.Config{})
		assert.Equal(t, []policies.Level{want}, levels(only(rep, "data-protection")), stack)
	}
	cfg, err := policies.ParseConfig([]byte(`{"data-protection":"mandatory"}`))
	require.NoError(t, err)
	rep := policies.Evaluate(deployment("dev", nil, bad), cfg)
	assert.Equal(t, []policies.Level{policies.Mandatory}, levels(only(rep, "data-protection")))

	// an unknown key during preview is "cannot verify", advisory even in prod
	pending := res(tRDS, "db", "eu-west-1", merge(goodDB("x"), map[string]any{"kmsKeyId": unknown}))
	rep = policies.Evaluate(deployment("prod", nil, pending), policies.Config{})
	got := only(rep, "data-protection")
	require.Len(t, got, 1)
	assert.Equal(t, policies.Advisory, got[0].Level)
	assert.Contains(t, got[0].Message, "cannot verify")

	// a bucket with a public access block passes
	b := res(tBucket, "b", "eu-west-1", map[string]any{"bucket": "b"})
	pab := res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", "eu-west-1", map[string]any{
		"bucket": "b-id", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true})
	rep = policies.Evaluate(deployment("prod", nil, b, pab), policies.Config{})
	assert.Empty(t, only(rep, "data-protection"))
}

func TestEvaluateNeverPanicsOnOddValues(t *testing.T) {
	t.Parallel()
	odd := []map[string]any{
		{"replicas": "not-a-list", "ingress": 5, "tags": "x", "backupRetentionPeriod": "seven"},
		{"replicas": []any{"a", nil, 3}, "ingress": []any{nil, "x"}, "serverSideEncryption": unknown},
		{"replicas": secret(unknown), "kmsKeyId": secret(unknown), "globalClusterMembers": []any{1, nil}},
	}
	var rs []*model.Resource
	for _, typ := range []string{tRDS, tCluster, tGlobal, tTable, tSecret, tBucket, tSG, "aws:backup/plan:Plan",
		"aws:ecs/service:Service", "aws:lb/loadBalancer:LoadBalancer", "aws:route53/healthCheck:HealthCheck",
		"aws:s3/bucketReplicationConfig:BucketReplicationConfig", "cloudflare:index/loadBalancer:LoadBalancer"} {
		for i, p := range odd {
			rs = append(rs, res(typ, "odd"+string(rune('a'+i)), "eu-west-1", p))
		}
	}
	require.NotPanics(t, func() {
		policies.Evaluate(deployment("prod", map[string]string{"multiregion:residency": "eu", "multiregion:topology": "active-passive",
			"multiregion:budgetUSD": "x"}, rs...), policies.Config{})
	})
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	cfg, err := policies.ParseConfig([]byte(`{"all":"advisory","cost-limit":{"enforcementLevel":"mandatory","maxMonthlyUSD":500},"failover-readiness":"disabled"}`))
	require.NoError(t, err)
	assert.Equal(t, policies.Advisory, cfg.All)
	assert.Equal(t, policies.Mandatory, cfg.Policies["cost-limit"].EnforcementLevel)
	assert.Equal(t, 500.0, cfg.Policies["cost-limit"].Properties["maxMonthlyUSD"])
	rep := policies.Evaluate(deployment("prod", nil), cfg)
	assert.Equal(t, map[string]policies.Level{"data-residency": "advisory", "cost-limit": "mandatory",
		"data-protection": "advisory", "failover-readiness": "disabled", "latency-target": "advisory"}, rep.Levels)

	for in, want := range map[string]string{
		`{"residency":{}}`:                        `residency: unknown policy: the pack has data-residency, cost-limit, data-protection, failover-readiness`,
		`{"all":"strict"}`:                        `all: unknown enforcement level "strict"`,
		`{"cost-limit":{"maxMonthlyUSD":"lots"}}`: "cost-limit.maxMonthlyUSD: expected number",
		`{"data-residency":{"jurisdicton":"eu"}}`: "data-residency.jurisdicton: unknown property",
		`[1,2]`: "policy config: not a JSON object",
		`{"cost-limit":{"enforcementLevel":"warn"}}`: `cost-limit: unknown enforcement level "warn"`,
	} {
		_, err := policies.ParseConfig([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want)
	}
}

func TestFailoverReadiness(t *testing.T) {
	t.Parallel()
	lb := func(region string) *model.Resource {
		return res("aws:lb/loadBalancer:LoadBalancer", "alb-"+region, region, map[string]any{"dnsName": "alb." + region + ".elb"})
	}
	check := func(region string) *model.Resource {
		return res("aws:route53/healthCheck:HealthCheck", "hc-"+region, "", map[string]any{"fqdn": "alb." + region + ".elb"})
	}
	record := func(region, kind string) *model.Resource {
		return res("aws:route53/record:Record", "rec-"+region, "", map[string]any{"healthCheckId": "hc-" + region,
			"failoverRoutingPolicies": []any{map[string]any{"type": kind}}, "aliases": []any{map[string]any{"name": "alb." + region + ".elb"}}})
	}
	primaryDB := res(tRDS, "db-primary", "us-east-1", goodDB("us-east-1"))
	replicaDB := res(tRDS, "db-replica", "us-west-2", merge(goodDB("us-west-2"), map[string]any{"replicateSourceDb": "arn:aws:rds:us-east-1:123456789012:db:primary"}))
	passive := map[string]string{"multiregion:topology": "active-passive"}

	ready := []*model.Resource{lb("us-east-1"), lb("us-west-2"), check("us-east-1"), check("us-west-2"),
		record("us-east-1", "PRIMARY"), record("us-west-2", "SECONDARY"), primaryDB, replicaDB}
	rep := policies.Evaluate(deployment("staging", passive, ready...), policies.Config{})
	assert.Empty(t, only(rep, "failover-readiness"))

	rep = policies.Evaluate(deployment("staging", passive, lb("us-east-1"), lb("us-west-2"), check("us-east-1"), primaryDB), policies.Config{})
	var msgs []string
	for _, v := range only(rep, "failover-readiness") {
		msgs = append(msgs, v.Message)
		assert.Equal(t, policies.Advisory, v.Level)
	}
	joined := strings.Join(msgs, "\n")
	assert.Contains(t, joined, `load balancer "alb-us-west-2" in us-west-2 has no DNS health check`)
	assert.Contains(t, joined, "no DNS routing that can leave a region")
	assert.Contains(t, joined, "the database has no copy in us-west-2")
	assert.Contains(t, joined, "lives in one region")

	withTargets := map[string]string{"multiregion:topology": "active-passive", "multiregion:rpoSeconds": "1"}
	rep = policies.Evaluate(deployment("staging", withTargets, ready...), policies.Config{})
	got := only(rep, "failover-readiness")
	require.Len(t, got, 1)
	assert.Contains(t, got[0].Message, `mode "rds-replica" has RPO ~1m0s, above the declared 1s`)

	// single-region stacks are not checked
	rep = policies.Evaluate(deployment("dev", map[string]string{"multiregion:topology": "single"}, lb("us-east-1"), primaryDB), policies.Config{})
	assert.Empty(t, only(rep, "failover-readiness"))
}

// TestFailoverReadinessFailsClosed: what failover-readiness cannot read is
// "cannot verify", never a pass (each case passed quietly before).
func TestFailoverReadinessFailsClosed(t *testing.T) {
	t.Parallel()
	passive := map[string]string{"multiregion:topology": "active-passive"}
	lb := func(region string, dns any) *model.Resource {
		return res("aws:lb/loadBalancer:LoadBalancer", "alb-"+region, region, map[string]any{"dnsName": dns})
	}
	check := func(region string) *model.Resource {
		return res("aws:route53/healthCheck:HealthCheck", "hc-"+region, "", map[string]any{"fqdn": "alb." + region + ".elb"})
	}
	record := func(region string, hc any) *model.Resource {
		return res("aws:route53/record:Record", "rec-"+region, "", map[string]any{"healthCheckId": hc,
			"failoverRoutingPolicies": []any{map[string]any{"type": "PRIMARY"}}})
	}
	table := func(replicaRegion any) *model.Resource {
		return res(tTable, "t", "us-east-1", map[string]any{"replicas": []any{map[string]any{"regionName": replicaRegion}}})
	}
	unlocated := lb("", "alb.x.elb")
	unlocated.RegionUnknown = "its provider's region is an encrypted secret"
	cases := []struct {
		name   string
		config map[string]string
		rs     []*model.Resource
		want   string
	}{
		{"load balancer DNS name unknown", passive, []*model.Resource{lb("us-east-1", "alb.us-east-1.elb"), lb("us-west-2", unknown),
			check("us-east-1"), record("us-east-1", "hc"), table("us-west-2")},
			`cannot verify: load balancer "alb-us-west-2" in us-west-2: its DNS name is not known`},
		{"load balancer region unreadable", passive, []*model.Resource{unlocated, check("us-east-1"), record("us-east-1", "hc")},
			`cannot verify: load balancer "alb-": its region cannot be read`},
		{"record health check unknown is not steering", passive, []*model.Resource{lb("us-east-1", "alb.us-east-1.elb"),
			check("us-east-1"), record("us-east-1", unknown)},
			"cannot verify: active-passive stack: the DNS records' routing policies or health checks are not known"},
		{"replica region unknown", passive, []*model.Resource{lb("us-east-1", "alb.us-east-1.elb"), lb("us-west-2", "alb.us-west-2.elb"),
			check("us-east-1"), check("us-west-2"), record("us-east-1", "hc"), table(unknown)},
			"cannot verify: the database may have no copy in us-west-2"},
		{"declared target not a number", map[string]string{"multiregion:topology": "active-passive", "multiregion:rpoSeconds": "one minute"},
			[]*model.Resource{lb("us-east-1", "alb.us-east-1.elb"), check("us-east-1"), record("us-east-1", "hc"), table("us-west-2")},
			`multiregion:rpoSeconds="one minute" is not a whole number of seconds`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := deployment("staging", tc.config, tc.rs...)
			d.Final = true
			var msgs []string
			for _, v := range only(policies.Evaluate(d, policies.Config{}), "failover-readiness") {
				msgs = append(msgs, v.Message)
			}
			assert.Contains(t, strings.Join(msgs, "\n"), tc.want)
		})
	}
}
