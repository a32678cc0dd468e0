package tests

// The red team: evasions crafted on prod-eu's exported plan (what `plan
// --stack prod-eu --out-state` writes), each of which a green check once let
// through (issue 12). Every one must be a mandatory violation, or a mandatory
// "cannot verify", both in-process through the state reader (a deployed state:
// Final) and, when bin/pulumi is built, under `pulumi policy analyze` with the
// same verdict.
//
// Some evasions are closed by other branches of this round; each case names
// its owner. Until that branch is merged the case FAILS on purpose (it is
// never skipped): see pendingOwners.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
	"github.com/multiregion/multiregion/stacks"
)

// pendingOwners says which branch of this round closes each class of evasion
// outside the policy branch (residency, config): a failing case owned by one
// of them is expected until that branch is merged.
var pendingOwners = map[string]string{
	"reader":     "issue 12 point 2: a provider's unknown or encrypted region sets Resource.RegionUnknown",
	"cost":       "issue 12 point 3: cost-limit fails closed (unpriced, negative counts)",
	"protection": "issue 12 point 4: data protection, wider",
}

// redState is prod-eu's exported plan being edited.
type redState struct {
	t   *testing.T
	dep apitype.DeploymentV3
}

const redStack = "prod-eu"

func exportProdEU(t *testing.T) *redState {
	t.Helper()
	rec, _, err := render(t, redStack)
	require.NoError(t, err)
	untyped, err := rec.Deployment(time.Unix(0, 0))
	require.NoError(t, err)
	s := &redState{t: t}
	require.NoError(t, json.Unmarshal(untyped.Deployment, &s.dep))
	require.NotEmpty(t, s.dep.Resources)
	return s
}

func (s *redState) urn(typ, name string) resource.URN {
	return resource.NewURN(redStack, "multiregion", "", tokens.Type(typ), name)
}

// provider returns the reference of prod-eu's provider for region.
func (s *redState) provider(region string) string {
	for _, r := range s.dep.Resources {
		if string(r.Type) == "pulumi:providers:aws" && r.Inputs["region"] == region {
			return string(r.URN) + "::" + string(r.ID)
		}
	}
	s.t.Fatalf("prod-eu has no provider in %s", region)
	return ""
}

// addProvider adds an AWS provider whose region input is region (any JSON:
// a string, an encrypted secret, an unknown) and returns its reference.
func (s *redState) addProvider(name string, region any) string {
	urn := s.urn("pulumi:providers:aws", name)
	in := map[string]any{"region": region, "skipRegionValidation": true}
	s.dep.Resources = append(s.dep.Resources, apitype.ResourceV3{URN: urn, Custom: true, ID: resource.ID(name + "-id"),
		Type: "pulumi:providers:aws", Inputs: in, Outputs: in})
	return string(urn) + "::" + name + "-id"
}

// add adds a resource on provider with inputs (echoed as outputs, as a
// provider would).
func (s *redState) add(typ, name, provider string, inputs map[string]any) {
	out := map[string]any{}
	for k, v := range inputs {
		out[k] = v
	}
	s.dep.Resources = append(s.dep.Resources, apitype.ResourceV3{URN: s.urn(typ, name), Custom: true, ID: resource.ID(name + "-id"),
		Type: tokens.Type(typ), Inputs: inputs, Outputs: out, Provider: provider})
}

// addDeleted adds a resource pending deletion (a replaced resource the
// engine has not deleted yet: `delete: true` in the state).
func (s *redState) addDeleted(typ, name, provider string, inputs map[string]any) {
	s.add(typ, name, provider, inputs)
	s.dep.Resources[len(s.dep.Resources)-1].Delete = true
}

// edit changes the inputs and outputs of the resource named name.
func (s *redState) edit(name string, fn func(m map[string]any)) {
	for i, r := range s.dep.Resources {
		if r.URN.Name() == name {
			fn(s.dep.Resources[i].Inputs)
			fn(s.dep.Resources[i].Outputs)
			return
		}
	}
	s.t.Fatalf("prod-eu has no resource %q", name)
}

// editOutputs changes only the outputs of the resource named name.
func (s *redState) editOutputs(name string, fn func(m map[string]any)) {
	for i, r := range s.dep.Resources {
		if r.URN.Name() == name {
			fn(s.dep.Resources[i].Outputs)
			return
		}
	}
	s.t.Fatalf("prod-eu has no resource %q", name)
}

func (s *redState) write() string {
	raw, err := json.Marshal(s.dep)
	require.NoError(s.t, err)
	data, err := json.Marshal(apitype.UntypedDeployment{Version: 3, Deployment: raw})
	require.NoError(s.t, err)
	path := filepath.Join(s.t.TempDir(), "state.json")
	require.NoError(s.t, os.WriteFile(path, data, 0o644))
	return path
}

// encrypted is how `pulumi stack export` writes a secret it did not decrypt.
func encrypted() map[string]any {
	return map[string]any{sig.Key: sig.Secret, "ciphertext": "v1:c2VjcmV0:AAAA"}
}

// evasion is one crafted way past the policies.
type evasion struct {
	name   string
	owner  string // who closes it: policy (this branch), reader, cost, protection
	policy string // the policy that must answer, at mandatory
	// names: the verdict must name one of these (the resource's name or type)
	names []string
	want  string // a substring of the verdict ("" = any)
	craft func(s *redState)
	// analyzeOwner closes the case under pulumi policy analyze when that is not
	// owner: "cannot verify" is mandatory there only once the analyzer marks a
	// non-preview analysis Final (reader branch).
	analyzeOwner string
	// engineRefuses: under pulumi policy analyze the engine itself refuses the
	// state (exit non-zero with this message) before the pack sees it.
	engineRefuses string
	// engineSkips: under pulumi policy analyze the engine never sends the
	// resource to the pack (why, with the engine's source); the pack cannot
	// judge it there, and `check --state` does. The subtest asserts the engine
	// still skips it, so a change in the engine turns this into a real case.
	engineSkips string
}

var evasions = []evasion{
	// residency: new resource types in us-east-1
	{name: "DocumentDB cluster in us-east-1", owner: "policy", policy: "data-residency", names: []string{"docs"},
		want: `is in us-east-1, outside jurisdiction "eu"`,
		craft: func(s *redState) {
			s.add("aws:docdb/cluster:Cluster", "docs", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{"engine": "docdb", "storageEncrypted": true})
		}},
	{name: "SQS queue in us-east-1", owner: "policy", policy: "data-residency", names: []string{"orders-queue"},
		want: `is in us-east-1, outside jurisdiction "eu"`,
		craft: func(s *redState) {
			s.add("aws:sqs/queue:Queue", "orders-queue", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{"name": "orders"})
		}},
	// residency: destinations in other regions
	{name: "legacy DynamoDB global table replica", owner: "policy", policy: "data-residency", names: []string{"legacy-global"},
		want: "copies data to us-east-1 (replicas[1].regionName)",
		craft: func(s *redState) {
			s.add("aws:dynamodb/globalTable:GlobalTable", "legacy-global", s.provider("eu-central-1"), map[string]any{"name": "orders",
				"replicas": []any{map[string]any{"regionName": "eu-central-1"}, map[string]any{"regionName": "us-east-1"}}})
		}},
	{name: "ECR replication rule", owner: "policy", policy: "data-residency", names: []string{"ecr-replication"},
		want: "copies data to us-east-1 (replicationConfiguration.rules[0].destinations[0].region)",
		craft: func(s *redState) {
			s.add("aws:ecr/replicationConfiguration:ReplicationConfiguration", "ecr-replication", s.provider("eu-central-1"), map[string]any{
				"replicationConfiguration": map[string]any{"rules": []any{map[string]any{"destinations": []any{
					map[string]any{"region": "us-east-1", "registryId": "123456789012"}}}}}})
		}},
	{name: "RDS snapshot copy with destinationRegion", owner: "policy", policy: "data-residency", names: []string{"snapshot-copy"},
		want: "copies data to us-east-1 (destinationRegion)",
		craft: func(s *redState) {
			s.add("aws:rds/snapshotCopy:SnapshotCopy", "snapshot-copy", s.provider("eu-central-1"), map[string]any{
				"sourceDbSnapshotIdentifier": "arn:aws:rds:eu-central-1:123456789012:snapshot:nightly",
				"targetDbSnapshotIdentifier": "nightly-copy", "destinationRegion": "us-east-1"})
		}},
	{name: "S3 multi-region access point to a bucket outside the deployment", owner: "policy", policy: "data-residency", names: []string{"mrap"},
		want: "cannot verify", analyzeOwner: "reader",
		craft: func(s *redState) {
			s.add("aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint", "mrap", s.provider("eu-central-1"), map[string]any{
				"details": map[string]any{"name": "orders", "regions": []any{map[string]any{"bucket": "orders-us-east-1"}}}})
		}},
	{name: "Firehose into a bucket known only by ARN", owner: "policy", policy: "data-residency", names: []string{"clickstream"},
		want: "cannot verify", analyzeOwner: "reader",
		craft: func(s *redState) {
			s.add("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "clickstream", s.provider("eu-central-1"), map[string]any{
				"destination": "extended_s3", "extendedS3Configuration": map[string]any{"bucketArn": "arn:aws:s3:::clickstream-archive",
					"roleArn": "arn:aws:iam::123456789012:role/firehose"}})
		}},
	{name: "bucketV2 inline replication to us-east-1", owner: "policy", policy: "data-residency", names: []string{"exports"},
		want: "copies data to us-east-1 (replicationConfigurations[0].rules[0].destinations[0].bucket",
		craft: func(s *redState) {
			us := s.addProvider("aws-us-east-1", "us-east-1")
			s.add("aws:s3/bucketV2:BucketV2", "exports-dr", us, map[string]any{"bucket": "exports-dr", "arn": "arn:aws:s3:::exports-dr"})
			s.add("aws:s3/bucketV2:BucketV2", "exports", s.provider("eu-central-1"), map[string]any{"bucket": "exports",
				"replicationConfigurations": []any{map[string]any{"role": "arn:aws:iam::123456789012:role/replication",
					"rules": []any{map[string]any{"status": "Enabled", "destinations": []any{map[string]any{"bucket": "arn:aws:s3:::exports-dr"}}}}}}})
		}},
	{name: "regional ARN in a nested property", owner: "policy", policy: "data-residency", names: []string{"worker"},
		want: "copies data to us-east-1 (deadLetterConfig.targetArn",
		craft: func(s *redState) {
			s.add("aws:lambda/function:Function", "worker", s.provider("eu-central-1"), map[string]any{
				"role": "arn:aws:iam::123456789012:role/worker", "deadLetterConfig": map[string]any{"targetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}})
		}},
	{name: "data-residency: none tag", owner: "policy", policy: "data-residency", names: []string{"analytics"},
		want: "tag data-residency=none cannot disable jurisdiction",
		craft: func(s *redState) {
			s.add("aws:rds/instance:Instance", "analytics", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{
				"engine": "postgres", "instanceClass": "db.t4g.medium", "storageEncrypted": true, "publiclyAccessible": false,
				"tags": map[string]any{"data-residency": "none"}})
		}},
	// hidden locations: the reader must not fall back to the stack's region
	{name: "provider region an encrypted secret", owner: "reader", policy: "data-residency", names: []string{"hidden-queue"},
		want: "cannot verify", engineRefuses: "decrypting secret value",
		craft: func(s *redState) {
			s.add("aws:sqs/queue:Queue", "hidden-queue", s.addProvider("aws-hidden", encrypted()), map[string]any{"name": "hidden"})
		}},
	{name: "provider region a plaintext secret (--show-secrets)", owner: "policy", policy: "data-residency", names: []string{"shown-queue"},
		want: `is in us-east-1, outside jurisdiction "eu"`, analyzeOwner: "reader",
		craft: func(s *redState) {
			s.add("aws:sqs/queue:Queue", "shown-queue", s.addProvider("aws-shown", map[string]any{sig.Key: sig.Secret, "plaintext": `"us-east-1"`}),
				map[string]any{"name": "shown"})
		}},
	{name: "provider region unknown", owner: "reader", policy: "data-residency", names: []string{"unknown-queue"},
		want: "cannot verify",
		craft: func(s *redState) {
			s.add("aws:sqs/queue:Queue", "unknown-queue", s.addProvider("aws-unknown", sig.UnknownStringValue), map[string]any{"name": "u"})
		}},
	// cost: unpriced and negative
	{name: "20 Aurora instances of a class the catalog lacks", owner: "cost", policy: "cost-limit",
		names: []string{"huge-aurora", "aws:rds/clusterInstance:ClusterInstance"},
		craft: func(s *redState) {
			for i := range 20 {
				s.add("aws:rds/clusterInstance:ClusterInstance", fmt.Sprintf("huge-aurora-%d", i), s.provider("eu-central-1"), map[string]any{
					"engine": "aurora-postgresql", "instanceClass": "db.x2g.16xlarge", "clusterIdentifier": "app-prod-eu-cluster-eu-central-1",
					"publiclyAccessible": false})
			}
		}},
	{name: "50 EC2 GPU instances", owner: "cost", policy: "cost-limit", names: []string{"gpu", "aws:ec2/instance:Instance"},
		craft: func(s *redState) {
			for i := range 50 {
				s.add("aws:ec2/instance:Instance", fmt.Sprintf("gpu-%d", i), s.provider("eu-central-1"), map[string]any{
					"instanceType": "p5.48xlarge", "ami": "ami-0123456789abcdef0"})
			}
		}},
	{name: "provisioned DynamoDB capacity", owner: "cost", policy: "cost-limit", names: []string{"hot-table", "aws:dynamodb/table:Table"},
		craft: func(s *redState) {
			s.add("aws:dynamodb/table:Table", "hot-table", s.provider("eu-central-1"), map[string]any{"billingMode": "PROVISIONED",
				"readCapacity": 40000, "writeCapacity": 40000, "hashKey": "id",
				"serverSideEncryption": map[string]any{"enabled": true}, "pointInTimeRecovery": map[string]any{"enabled": true}})
		}},
	{name: "ECS service with a family:revision task definition", owner: "cost", policy: "cost-limit", names: []string{"batch-service", "aws:ecs/service:Service"},
		craft: func(s *redState) {
			s.add("aws:ecs/service:Service", "batch-service", s.provider("eu-central-1"), map[string]any{
				"launchType": "FARGATE", "desiredCount": 400, "taskDefinition": "batch:7"})
			s.add("aws:ecs/taskDefinition:TaskDefinition", "batch-task", s.provider("eu-central-1"), map[string]any{
				"family": "batch", "cpu": "4096", "memory": "16384", "requiresCompatibilities": []any{"FARGATE"}})
		}},
	{name: "negative desiredCount", owner: "cost", policy: "cost-limit", names: []string{"app-eu-central-1-service"},
		craft: func(s *redState) {
			s.edit("app-eu-central-1-service", func(m map[string]any) { m["desiredCount"] = -1000 })
		}},
	{name: "Aurora in a region outside the catalog", owner: "cost", policy: "cost-limit", names: []string{"spain-aurora", "eu-south-2"},
		craft: func(s *redState) {
			s.add("aws:rds/clusterInstance:ClusterInstance", "spain-aurora", s.addProvider("aws-eu-south-2", "eu-south-2"), map[string]any{
				"engine": "aurora-postgresql", "instanceClass": "db.r6g.16xlarge", "clusterIdentifier": "spain", "publiclyAccessible": false})
		}},
	// protection bypasses
	{name: "database port open as 0.0.0.0/1 + 128.0.0.0/1", owner: "protection", policy: "data-protection", names: []string{"split-open-sg"},
		craft: func(s *redState) {
			s.add("aws:ec2/securityGroup:SecurityGroup", "split-open-sg", s.provider("eu-central-1"), map[string]any{"ingress": []any{
				map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []any{"0.0.0.0/1", "128.0.0.0/1"}}}})
		}},
	{name: `publiclyAccessible: "true" as a string`, owner: "protection", policy: "data-protection", names: []string{"string-public-db"},
		craft: func(s *redState) {
			s.add("aws:rds/instance:Instance", "string-public-db", s.provider("eu-central-1"), map[string]any{
				"engine": "postgres", "instanceClass": "db.t4g.medium", "allocatedStorage": 20, "storageEncrypted": true,
				"kmsKeyId": "arn:aws:kms:eu-central-1:123456789012:key/abc", "publiclyAccessible": "true",
				"backupRetentionPeriod": 14, "deletionProtection": true, "skipFinalSnapshot": false, "finalSnapshotIdentifier": "f"})
		}},
	{name: "public unencrypted Redshift", owner: "protection", policy: "data-protection", names: []string{"warehouse"},
		craft: func(s *redState) {
			s.add("aws:redshift/cluster:Cluster", "warehouse", s.provider("eu-central-1"), map[string]any{
				"clusterIdentifier": "warehouse", "nodeType": "ra3.xlplus", "publiclyAccessible": true, "encrypted": false})
		}},
	// what this round's new code opened (failover plans through Cloud Control,
	// the probe canary, tags read from tagsAll, pending deletions)
	{name: "data-residency: none only in tagsAll", owner: "policy", policy: "data-residency", names: []string{"tagsall-queue"},
		want: "tag data-residency=none cannot disable jurisdiction",
		craft: func(s *redState) {
			s.add("aws:sqs/queue:Queue", "tagsall-queue", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{"name": "t",
				"tagsAll": map[string]any{"data-residency": "none"}})
		}},
	{name: "ARC plan desiredState naming a region outside the jurisdiction", owner: "policy", policy: "data-residency",
		names: []string{"app-prod-eu-failover-plan"}, want: "copies data to us-east-1 (desiredState.",
		craft: func(s *redState) {
			s.edit("app-prod-eu-failover-plan", func(m map[string]any) {
				doc, ok := m["desiredState"].(string)
				require.True(s.t, ok, "the plan's desiredState is a JSON string")
				require.Contains(s.t, doc, `"eu-west-1"`)
				m["desiredState"] = strings.ReplaceAll(doc, `"eu-west-1"`, `"us-east-1"`)
			})
		}},
	{name: "ARC plan desiredState an encrypted secret", owner: "policy", policy: "data-residency",
		names: []string{"app-prod-eu-failover-plan"}, want: "cannot verify", engineRefuses: "decrypting secret value",
		craft: func(s *redState) {
			s.edit("app-prod-eu-failover-plan", func(m map[string]any) { m["desiredState"] = encrypted() })
		}},
	{name: "Cloud Control resource of another type in us-east-1", owner: "policy", policy: "data-residency", names: []string{"cc-logs"},
		want: `is in us-east-1, outside jurisdiction "eu"`,
		craft: func(s *redState) {
			s.add("aws:cloudcontrol/resource:Resource", "cc-logs", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{
				"typeName": "AWS::Logs::LogGroup", "desiredState": `{"LogGroupName":"orders","RetentionInDays":30}`})
		}},
	{name: "Cloud Control resource whose typeName is unknown", owner: "policy", policy: "cost-limit", names: []string{"cc-mystery"},
		want: "cannot verify",
		craft: func(s *redState) {
			s.add("aws:cloudcontrol/resource:Resource", "cc-mystery", s.provider("eu-central-1"), map[string]any{
				"typeName": sig.UnknownStringValue, "desiredState": "{}"})
		}},
	{name: "canary in us-east-1 probing an EU URL", owner: "policy", policy: "data-residency", names: []string{"us-probe"},
		want: `is in us-east-1, outside jurisdiction "eu"`,
		craft: func(s *redState) {
			s.add("aws:synthetics/canary:Canary", "us-probe", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{
				"name": "us-probe", "handler": "probe.handler", "runtimeVersion": "syn-nodejs-puppeteer-9.1",
				"schedule":  map[string]any{"expression": "rate(1 minute)"},
				"runConfig": map[string]any{"environmentVariables": map[string]any{"PROBE_URL": "https://app.example.eu/health"}}})
		}},
	// round-3 red team: regions written where the scan did not look
	{name: "region under a key that does not say region", owner: "policy", policy: "data-residency", names: []string{"mover"},
		want: "copies data to us-east-1 (items[0].targetLocation)",
		craft: func(s *redState) {
			s.add("aws:acme/mover:Mover", "mover", s.provider("eu-central-1"), map[string]any{
				"items": []any{map[string]any{"targetLocation": "us-east-1"}}})
		}},
	{name: "region as a map key", owner: "policy", policy: "data-residency", names: []string{"keyed"},
		want: "copies data to us-east-1 (replicas.us-east-1 (a key))",
		craft: func(s *redState) {
			s.add("aws:acme/keyed:Keyed", "keyed", s.provider("eu-central-1"), map[string]any{
				"replicas": map[string]any{"us-east-1": map[string]any{"enabled": true}}})
		}},
	{name: "nested region in upper case", owner: "policy", policy: "data-residency", names: []string{"shouting"},
		want: "copies data to us-east-1 (config[0].region)",
		craft: func(s *redState) {
			s.add("aws:acme/shouting:Shouting", "shouting", s.provider("eu-central-1"), map[string]any{
				"config": []any{map[string]any{"region": " US-EAST-1"}}})
		}},
	{name: "ARN with an upper-case region", owner: "policy", policy: "data-residency", names: []string{"upper-dlq"},
		want: "copies data to us-east-1 (deadLetterConfig.targetArn = arn:aws:sqs:US-EAST-1:",
		craft: func(s *redState) {
			s.add("aws:lambda/function:Function", "upper-dlq", s.provider("eu-central-1"), map[string]any{
				"deadLetterConfig": map[string]any{"targetArn": "arn:aws:sqs:US-EAST-1:123456789012:dlq"}})
		}},
	{name: "ARN cut after its region", owner: "policy", policy: "data-residency", names: []string{"short-arn"},
		want: "copies data to us-east-1 (deadLetterConfig.targetArn = arn:aws:sqs:us-east-1)",
		craft: func(s *redState) {
			s.add("aws:lambda/function:Function", "short-arn", s.provider("eu-central-1"), map[string]any{
				"deadLetterConfig": map[string]any{"targetArn": "arn:aws:sqs:us-east-1"}})
		}},
	{name: "own arn in outputs names another region than the provider", owner: "policy", policy: "data-residency", names: []string{"moved-queue"},
		want: "is in us-east-1 (its own arn arn:aws:sqs:us-east-1:123456789012:moved",
		craft: func(s *redState) {
			s.add("aws:sqs/queue:Queue", "moved-queue", s.provider("eu-central-1"), map[string]any{"name": "moved"})
			r := &s.dep.Resources[len(s.dep.Resources)-1]
			r.Outputs["arn"] = "arn:aws:sqs:us-east-1:123456789012:moved"
		}},
	// outputs that disagree with the inputs: a deployed state's outputs are
	// what AWS reported (a change made outside Pulumi, then a refresh)
	{name: "Aurora instance public only in its outputs", owner: "policy", policy: "data-protection",
		names: []string{"app-prod-eu-instance-eu-central-1-1"}, want: "must not be publicly accessible: publiclyAccessible is true",
		craft: func(s *redState) {
			s.editOutputs("app-prod-eu-instance-eu-central-1-1", func(m map[string]any) { m["publiclyAccessible"] = true })
		}},
	{name: "destination region only in the outputs", owner: "policy", policy: "data-residency", names: []string{"out-only"},
		want: "copies data to us-east-1 (destinationRegion)",
		craft: func(s *redState) {
			s.add("aws:acme/copier:Copier", "out-only", s.provider("eu-central-1"), map[string]any{"name": "x"})
			s.dep.Resources[len(s.dep.Resources)-1].Outputs["destinationRegion"] = "us-east-1"
		}},
	// providers that say one region and use another
	{name: "provider whose outputs name another region than its inputs", owner: "policy", policy: "data-residency", names: []string{"split-queue"},
		want: `its region input is "eu-central-1" but its outputs say "us-east-1"`,
		craft: func(s *redState) {
			ref := s.addProvider("aws-split", "eu-central-1")
			s.dep.Resources[len(s.dep.Resources)-1].Outputs = map[string]any{"region": "us-east-1"}
			s.add("aws:sqs/queue:Queue", "split-queue", ref, map[string]any{"name": "split"})
		}},
	{name: "provider endpoint override in us-east-1", owner: "policy", policy: "data-residency", names: []string{"aws-endpoints"},
		want: "sends API calls to us-east-1 (endpoint override endpoints[0].s3 = https://s3.us-east-1.amazonaws.com)",
		craft: func(s *redState) {
			ref := s.addProvider("aws-endpoints", "eu-central-1")
			s.dep.Resources[len(s.dep.Resources)-1].Inputs["endpoints"] = []any{map[string]any{"s3": "https://s3.us-east-1.amazonaws.com"}}
			s.add("aws:s3/bucketV2:BucketV2", "endpoint-bucket", ref, map[string]any{"bucket": "endpoint-bucket"})
		}},
	{name: "provider endpoint override to a host of no region", owner: "policy", policy: "data-residency", names: []string{"aws-proxy"},
		want: "cannot verify: provider \"aws-proxy\": endpoint override endpoints[0].sqs = https://queue.example.net names no AWS region",
		craft: func(s *redState) {
			ref := s.addProvider("aws-proxy", "eu-central-1")
			s.dep.Resources[len(s.dep.Resources)-1].Inputs["endpoints"] = []any{map[string]any{"sqs": "https://queue.example.net"}}
			s.add("aws:sqs/queue:Queue", "proxied-queue", ref, map[string]any{"name": "proxied"})
		}},
	// S3 public access blocks that do not hold
	{name: "a second public access block with its settings off", owner: "policy", policy: "data-protection",
		names: []string{"app-prod-eu-failover-probe-artifacts"}, want: `the public access block "open-block" names it with a setting false`,
		craft: func(s *redState) {
			bucket := ""
			for _, r := range s.dep.Resources {
				if r.URN.Name() == "app-prod-eu-failover-probe-artifacts-public-access" {
					bucket, _ = r.Inputs["bucket"].(string)
				}
			}
			require.NotEmpty(s.t, bucket, "prod-eu's probe bucket has a public access block")
			s.add("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "open-block", s.provider("eu-west-1"), map[string]any{
				"bucket": bucket, "blockPublicAcls": false, "blockPublicPolicy": false, "ignorePublicAcls": false, "restrictPublicBuckets": false})
		}},
	{name: "the bucket's only public access block pending deletion", owner: "policy", policy: "data-protection",
		names: []string{"app-prod-eu-failover-probe-artifacts"}, want: "does not block public access",
		craft: func(s *redState) {
			for i, r := range s.dep.Resources {
				if r.URN.Name() == "app-prod-eu-failover-probe-artifacts-public-access" {
					s.dep.Resources[i].Delete = true
					return
				}
			}
			s.t.Fatal("prod-eu's probe bucket has a public access block")
		}},
	// cost: a multiplier the pricer did not read
	{name: "ECS auto scaling floor far above desiredCount", owner: "policy", policy: "cost-limit", names: []string{"exceeds the budget"},
		want: "largest: app-eu-central-1-service $207247.00",
		craft: func(s *redState) {
			s.edit("app-eu-central-1-scaling", func(m map[string]any) { m["minCapacity"] = 5000; m["maxCapacity"] = 5000 })
		}},
	// a provider URN twice with different regions: references keep only the URN
	{name: "a provider duplicated with an EU region after its us-east-1 entry", owner: "policy", policy: "data-residency", names: []string{"dup-queue"},
		want: "appears more than once in the state with different regions",
		craft: func(s *redState) {
			ref := s.addProvider("aws-twice", "us-east-1")
			s.add("aws:sqs/queue:Queue", "dup-queue", ref, map[string]any{"name": "dup"})
			s.addProvider("aws-twice", "eu-central-1")
		}},
	{name: "a replaced provider pending deletion says EU, the live one us-east-1", owner: "policy", policy: "data-residency", names: []string{"replaced-queue"},
		craft: func(s *redState) {
			ref := s.addProvider("aws-replaced", "us-east-1")
			s.add("aws:sqs/queue:Queue", "replaced-queue", ref, map[string]any{"name": "replaced"})
			s.addProvider("aws-replaced", "eu-central-1")
			s.dep.Resources[len(s.dep.Resources)-1].Delete = true
		}},
	{name: "database ports in a reversed range open to the internet", owner: "policy", policy: "data-protection", names: []string{"reversed-sg"},
		want: "cannot verify: security group \"reversed-sg\" may open database ports",
		craft: func(s *redState) {
			s.add("aws:ec2/securityGroup:SecurityGroup", "reversed-sg", s.provider("eu-central-1"), map[string]any{"ingress": []any{
				map[string]any{"protocol": "tcp", "fromPort": 6000, "toPort": 5000, "cidrBlocks": []any{"0.0.0.0/0"}}}})
		}},
	{name: `40 NAT gateways marked "custom": false`, owner: "policy", policy: "cost-limit", names: []string{"exceeds the budget"},
		want: "exceeds the budget",
		craft: func(s *redState) {
			for i := range 40 {
				s.add("aws:ec2/natGateway:NatGateway", fmt.Sprintf("hidden-nat-%d", i), s.provider("eu-central-1"), map[string]any{
					"allocationId": "eipalloc-1", "subnetId": "subnet-1"})
				// as a component is written (the engine refuses an ID on one)
				r := &s.dep.Resources[len(s.dep.Resources)-1]
				r.Custom, r.ID, r.Provider = false, "", ""
			}
		}},
	// several places in one string
	{name: "two ARNs in one string, the second in us-east-1", owner: "policy", policy: "data-residency", names: []string{"fan-out"},
		want: "copies data to us-east-1 (environment.variables.QUEUES = arn:aws:sqs:eu-central-1:",
		craft: func(s *redState) {
			s.add("aws:lambda/function:Function", "fan-out", s.provider("eu-central-1"), map[string]any{"environment": map[string]any{
				"variables": map[string]any{"QUEUES": "arn:aws:sqs:eu-central-1:123456789012:a,arn:aws:sqs:us-east-1:123456789012:b"}}})
		}},
	{name: "container definitions with an EU image and logs sent to us-east-1", owner: "policy", policy: "data-residency", names: []string{"logs-abroad"},
		want: "copies data to us-east-1 (containerDefinitions[0].logConfiguration.options.awslogs-region)",
		craft: func(s *redState) {
			s.add("aws:ecs/taskDefinition:TaskDefinition", "logs-abroad", s.provider("eu-central-1"), map[string]any{"family": "logs-abroad",
				"cpu": "256", "memory": "512", "requiresCompatibilities": []any{"FARGATE"},
				"containerDefinitions": `[{"name":"app","image":"123456789012.dkr.ecr.eu-central-1.amazonaws.com/app:1",` +
					`"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-region":"us-east-1","awslogs-group":"app"}}}]`})
		}},
	{name: "DynamoDB auto scaling floor of 40,000 read units", owner: "policy", policy: "cost-limit", names: []string{"hot-table-read"},
		want: "an auto scaling floor (dynamodb:table:ReadCapacityUnits) keeps capacity the catalog does not price here",
		craft: func(s *redState) {
			s.add("aws:appautoscaling/target:Target", "hot-table-read", s.provider("eu-central-1"), map[string]any{
				"resourceId": "table/orders", "scalableDimension": "dynamodb:table:ReadCapacityUnits", "serviceNamespace": "dynamodb",
				"minCapacity": 40000, "maxCapacity": 40000})
		}},
	{name: "Aurora read replica auto scaling floor of 15", owner: "policy", policy: "cost-limit", names: []string{"aurora-readers"},
		want: "an auto scaling floor (rds:cluster:ReadReplicaCount)",
		craft: func(s *redState) {
			s.add("aws:appautoscaling/target:Target", "aurora-readers", s.provider("eu-central-1"), map[string]any{
				"resourceId": "cluster:app-prod-eu-cluster-eu-central-1", "scalableDimension": "rds:cluster:ReadReplicaCount",
				"serviceNamespace": "rds", "minCapacity": 15, "maxCapacity": 15})
		}},
	{name: "resource of an interrupted create (pending_operations) in us-east-1", owner: "policy", policy: "data-residency", names: []string{"interrupted-queue"},
		want:        `is in us-east-1, outside jurisdiction "eu"`,
		engineSkips: "pulumi policy analyze (pkg/v3@v3.274.1 resource/deploy/analyze_snapshot.go) analyzes snapshot resources only, never pending operations; check --state judges them",
		craft: func(s *redState) {
			ref := s.addProvider("aws-us-east-1", "us-east-1")
			s.dep.PendingOperations = append(s.dep.PendingOperations, apitype.OperationV2{Type: apitype.OperationTypeCreating,
				Resource: apitype.ResourceV3{URN: s.urn("aws:sqs/queue:Queue", "interrupted-queue"), Custom: true,
					Type: "aws:sqs/queue:Queue", Inputs: map[string]any{"name": "interrupted"}, Provider: ref}})
		}},
	{name: "resource pending deletion in us-east-1", owner: "policy", policy: "data-residency", names: []string{"old-queue"},
		want: `is in us-east-1, outside jurisdiction "eu"`,
		engineSkips: "pulumi policy analyze (pkg/v3@v3.274.1 resource/deploy/analyze_snapshot.go, AnalyzeSnapshot) skips every resource with delete: true " +
			"in both Analyze and AnalyzeStack; check --state judges it",
		craft: func(s *redState) {
			s.addDeleted("aws:sqs/queue:Queue", "old-queue", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{"name": "old"})
		}},
}

// stackConfig is prod-eu's stack config, as check --state and the pack read it.
func stackConfig(t *testing.T) map[string]string {
	t.Helper()
	f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi."+redStack+".yaml"))
	require.NoError(t, err)
	return f.Config
}

// verdict returns the mandatory findings of policy that name one of names.
func verdict(rep *policies.Report, ev evasion) []string {
	var out []string
	for _, v := range rep.Violations {
		if v.Policy != ev.policy || v.Level != policies.Mandatory {
			continue
		}
		for _, n := range ev.names {
			if strings.Contains(v.Message, n) || strings.HasSuffix(v.URN, "::"+n) {
				out = append(out, v.Message)
				break
			}
		}
	}
	return out
}

func pendingNote(owner string) string {
	if why, ok := pendingOwners[owner]; ok {
		return fmt.Sprintf(" [owned by the %s branch (%s): expected to fail until it is merged]", owner, why)
	}
	return ""
}

func TestRedTeamBaselineIsClean(t *testing.T) {
	t.Parallel()
	s := exportProdEU(t)
	d, err := model.ParseState(mustRead(t, s.write()), stackConfig(t))
	require.NoError(t, err)
	d.Final = true // check --state judges a deployed state
	rep := policies.Evaluate(d, policies.Config{})
	assert.Zero(t, rep.Mandatory, "the untouched prod-eu export passes: %v", rep.Violations)
}

func TestRedTeamInProcess(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, evasions)
	cfg := stackConfig(t)
	for _, ev := range evasions {
		t.Run(ev.name, func(t *testing.T) {
			t.Parallel()
			s := exportProdEU(t)
			ev.craft(s)
			d, err := model.ParseState(mustRead(t, s.write()), cfg)
			require.NoError(t, err)
			d.Final = true // check --state judges a deployed state
			got := verdict(policies.Evaluate(d, policies.Config{}), ev)
			require.NotEmpty(t, got, "%s: no mandatory %s finding names %v%s", ev.name, ev.policy, ev.names, pendingNote(ev.owner))
			if ev.want != "" {
				assert.Contains(t, strings.Join(got, "\n"), ev.want, pendingNote(ev.owner))
			}
		})
	}
}

// A negative usage override is a config error everywhere, never a discount.
func TestRedTeamNegativeUsageOverrideIsRejected(t *testing.T) {
	t.Parallel()
	_, err := policies.ParseConfig([]byte(`{"cost-limit":{"usage":{"natGBPerMonth":-1000}}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cost-limit.usage.natGBPerMonth: must be >= 0")
}

// A negative price override is a config error everywhere, never a discount.
func TestRedTeamNegativePriceOverrideIsRejected(t *testing.T) {
	t.Parallel()
	_, err := policies.ParseConfig([]byte(`{"cost-limit":{"priceOverrides":{"aws:ec2/natGateway:NatGateway":-500}}}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cost-limit.priceOverrides")
	assert.Contains(t, err.Error(), "must be >= 0")
}

// A policy config cannot widen the built-in jurisdiction the stack names
// (prod-eu says residency "eu"): "eu" redefined as "*" or with us-* is a
// config error; narrowing it, or a new name, is fine.
func TestRedTeamWidenedJurisdictionIsRejected(t *testing.T) {
	t.Parallel()
	for _, widened := range []string{`["*"]`, `["eu-*","us-*"]`, `["eu-central-1","us-east-1"]`} {
		_, err := policies.ParseConfig([]byte(`{"data-residency":{"jurisdictions":{"eu":` + widened + `}}}`))
		require.Error(t, err, widened)
		assert.Contains(t, err.Error(), "data-residency.jurisdictions.eu:")
		assert.Contains(t, err.Error(), `would widen the built-in jurisdiction "eu" (eu-*)`)
	}
	for _, ok := range []string{`{"eu":["eu-central-1"]}`, `{"eu-plus":["eu-*","il-central-1"]}`} {
		_, err := policies.ParseConfig([]byte(`{"data-residency":{"jurisdictions":` + ok + `}}`))
		assert.NoError(t, err, ok)
	}
}

// A policy config may disable policies (a legitimate choice), but the report
// says so for each: a green report never hides a policy that did not run.
func TestRedTeamDisabledPoliciesAreNoted(t *testing.T) {
	t.Parallel()
	s := exportProdEU(t)
	s.add("aws:sqs/queue:Queue", "quiet-queue", s.addProvider("aws-us-east-1", "us-east-1"), map[string]any{"name": "q"})
	d, err := model.ParseState(mustRead(t, s.write()), stackConfig(t))
	require.NoError(t, err)
	d.Final = true
	for cfgJSON, want := range map[string]string{
		`{"all":"disabled"}`:            "disabled by the policy config (all: disabled): not evaluated",
		`{"data-residency":"disabled"}`: "disabled by the policy config (data-residency.enforcementLevel: disabled): not evaluated",
	} {
		cfg, err := policies.ParseConfig([]byte(cfgJSON))
		require.NoError(t, err)
		rep := policies.Evaluate(d, cfg)
		var notes []string
		for _, n := range rep.Notes {
			if n.Policy == "data-residency" {
				notes = append(notes, n.Message)
			}
		}
		assert.Contains(t, strings.Join(notes, "\n"), want, cfgJSON)
	}
}

// acceptPricedKinds is prod-eu's multiregion:cost with type tokens of priced
// kinds added to acceptUnpriced: the Aurora instance type (priced per class)
// and the Cloud Control token (priced per typeName).
const acceptPricedKinds = `{"acceptUnpriced":["AWS::ARCRegionSwitch::Plan","aws:rds/clusterInstance:ClusterInstance","aws:cloudcontrol/resource:Resource","aws:ec2/natGateway:NatGateway"]}`

// craftPricedKinds adds what acceptPricedKinds must not make free: Aurora
// instances of a class the catalog lacks, a Cloud Control resource whose
// typeName is unknown, and 40 NAT gateways (priced: $1,500+ a month).
func craftPricedKinds(s *redState) {
	for i := range 20 {
		s.add("aws:rds/clusterInstance:ClusterInstance", fmt.Sprintf("huge-aurora-%d", i), s.provider("eu-central-1"), map[string]any{
			"engine": "aurora-postgresql", "instanceClass": "db.x2g.16xlarge", "clusterIdentifier": "app-prod-eu-cluster-eu-central-1",
			"publiclyAccessible": false})
	}
	s.add("aws:cloudcontrol/resource:Resource", "cc-mystery", s.provider("eu-central-1"), map[string]any{
		"typeName": sig.UnknownStringValue, "desiredState": "{}"})
	for i := range 40 {
		s.add("aws:ec2/natGateway:NatGateway", fmt.Sprintf("extra-nat-%d", i), s.provider("eu-central-1"), map[string]any{
			"allocationId": "eipalloc-1", "subnetId": "subnet-1"})
	}
}

// checkPricedKinds asserts the verdicts of craftPricedKinds under
// acceptPricedKinds, in a report's messages (in-process) or the engine's output.
func checkPricedKinds(t *testing.T, out string) {
	t.Helper()
	assert.Contains(t, out, "cannot verify: acceptUnpriced names aws:cloudcontrol/resource:Resource, aws:rds/clusterInstance:ClusterInstance, which the catalog prices")
	assert.Contains(t, out, "huge-aurora-")
	assert.Contains(t, out, "cc-mystery")
	assert.Contains(t, out, "exceeds the budget", "accepting the NAT gateway type does not make 40 of them free")
}

// An acceptUnpriced entry naming a priced kind lowers no price: its priced
// resources stay priced, and its unpriced ones stay "cannot verify".
func TestRedTeamAcceptUnpricedOfAPricedKind(t *testing.T) {
	t.Parallel()
	cfg := stackConfig(t)
	cfg[policies.StackCostKey] = acceptPricedKinds
	s := exportProdEU(t)
	craftPricedKinds(s)
	d, err := model.ParseState(mustRead(t, s.write()), cfg)
	require.NoError(t, err)
	d.Final = true
	rep := policies.Evaluate(d, policies.Config{})
	var msgs []string
	for _, v := range rep.Violations {
		if v.Policy == "cost-limit" {
			assert.Equal(t, policies.Mandatory, v.Level, v.Message)
			msgs = append(msgs, v.Message)
		}
	}
	checkPricedKinds(t, strings.Join(msgs, "\n"))
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// The same verdicts under the real engine: `pulumi policy analyze` with the
// executable pack, from the project root so the pack reads prod-eu's stack file.
var (
	packOnce sync.Once
	packPath string
	packErr  error
)

func policyPack(t *testing.T) string {
	t.Helper()
	packOnce.Do(func() {
		dir, err := os.MkdirTemp("", "multiregion-redteam")
		if err != nil {
			packErr = err
			return
		}
		packPath = filepath.Join(dir, "multiregion-policies")
		cmd := exec.Command("go", "build", "-o", packPath, "./policies/pack")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			packErr = fmt.Errorf("go build ./policies/pack: %v\n%s", err, out)
		}
	})
	require.NoError(t, packErr)
	return packPath
}

func pulumiCLI(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("..", "bin", "pulumi"))
	require.NoError(t, err)
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("%s not found: build it with tools/build-pulumi.sh to run the red team under pulumi policy analyze (the in-process half ran)", bin)
	}
	return bin
}

func analyzeState(t *testing.T, bin, state string, extra ...string) (string, int) {
	t.Helper()
	return analyzeStateIn(t, "..", bin, state, extra...)
}

// analyzeStateIn runs pulumi policy analyze from dir (the project whose stack
// files the pack reads).
func analyzeStateIn(t *testing.T, dir, bin, state string, extra ...string) (string, int) {
	t.Helper()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, "state"), 0o755))
	args := append([]string{"policy", "analyze", "--file", state, "--policy-pack", policyPack(t), "--non-interactive"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PULUMI_HOME="+home, "PULUMI_BACKEND_URL=file://"+filepath.Join(home, "state"),
		"PULUMI_CONFIG_PASSPHRASE=", "PULUMI_SKIP_UPDATE_CHECK=true", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true", "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return out.String(), code
}

func TestRedTeamUnderPolicyAnalyze(t *testing.T) {
	t.Parallel()
	bin := pulumiCLI(t)
	out, code := analyzeState(t, bin, exportProdEU(t).write())
	require.Equal(t, 0, code, "the untouched prod-eu export passes under policy analyze:\n%s", out)
	require.NotEmpty(t, evasions)
	for _, ev := range evasions {
		t.Run(ev.name, func(t *testing.T) {
			t.Parallel()
			s := exportProdEU(t)
			ev.craft(s)
			out, code := analyzeState(t, bin, s.write())
			if ev.engineSkips != "" {
				for _, n := range ev.names {
					assert.NotContains(t, out, n, "the engine now sends %s to the pack: make this a normal case (%s)", n, ev.engineSkips)
				}
				t.Logf("not judged under policy analyze: %s", ev.engineSkips)
				return
			}
			owner := ev.owner
			if ev.analyzeOwner != "" {
				owner = ev.analyzeOwner
			}
			assert.NotEqual(t, 0, code, "%s passed under policy analyze%s:\n%s", ev.name, pendingNote(owner), out)
			if ev.engineRefuses != "" {
				assert.Contains(t, out, ev.engineRefuses)
				return
			}
			assert.Contains(t, out, ev.policy, pendingNote(owner))
			named := false
			for _, n := range ev.names {
				named = named || strings.Contains(out, n)
			}
			assert.True(t, named, "the verdict names one of %v%s:\n%s", ev.names, pendingNote(owner), out)
			if ev.want != "" {
				assert.Contains(t, out, ev.want, pendingNote(owner))
			}
		})
	}
	// a config the schema forbids is refused by the pack too
	for key, cfgJSON := range map[string]string{
		"natGBPerMonth":  `{"cost-limit":{"usage":{"natGBPerMonth":-1000}}}`,
		"priceOverrides": `{"cost-limit":{"priceOverrides":{"aws:ec2/natGateway:NatGateway":-500}}}`,
		"data-residency.jurisdictions.eu: * would widen the built-in jurisdiction": `{"data-residency":{"jurisdictions":{"eu":["*"]}}}`,
	} {
		cfg := filepath.Join(t.TempDir(), "policy.json")
		require.NoError(t, os.WriteFile(cfg, []byte(cfgJSON), 0o644))
		out, code = analyzeState(t, bin, exportProdEU(t).write(), "--policy-pack-config", cfg)
		assert.NotEqual(t, 0, code, out)
		assert.Contains(t, out, key, out)
	}

	// the stack's multiregion:cost.acceptUnpriced naming priced kinds: a copy
	// of the project whose prod-eu stack file says so
	project := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", filepath.Join("stacks", "Pulumi."+redStack+".yaml")} {
		data, err := os.ReadFile(filepath.Join("..", f))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(project, f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(project, f), data, 0o644))
	}
	stackFile := filepath.Join(project, "stacks", "Pulumi."+redStack+".yaml")
	data, err := os.ReadFile(stackFile)
	require.NoError(t, err)
	require.Contains(t, string(data), "  multiregion:cost:\n    acceptUnpriced:\n      - AWS::ARCRegionSwitch::Plan\n")
	data = []byte(strings.Replace(string(data), "      - AWS::ARCRegionSwitch::Plan\n",
		"      - AWS::ARCRegionSwitch::Plan\n      - aws:rds/clusterInstance:ClusterInstance\n      - aws:cloudcontrol/resource:Resource\n      - aws:ec2/natGateway:NatGateway\n", 1))
	require.NoError(t, os.WriteFile(stackFile, data, 0o644))
	s := exportProdEU(t)
	craftPricedKinds(s)
	out, code = analyzeStateIn(t, project, bin, s.write())
	assert.NotEqual(t, 0, code, out)
	checkPricedKinds(t, out)
}

// The failover rule reads prod-eu's real plan: as rendered, its probe alarm
// (3 x 60 s) plus Aurora's ~60 s fits rtoSeconds 300; a slower alarm or a plan
// without its trigger is reported (at the policy's level: advisory by default).
func TestRedTeamFailoverReadsTheRealPlan(t *testing.T) {
	t.Parallel()
	cfg := stackConfig(t)
	findings := func(craft func(s *redState)) []string {
		s := exportProdEU(t)
		if craft != nil {
			craft(s)
		}
		d, err := model.ParseState(mustRead(t, s.write()), cfg)
		require.NoError(t, err)
		d.Final = true
		var out []string
		for _, v := range policies.Evaluate(d, policies.Config{}).Violations {
			if v.Policy == "failover-readiness" {
				out = append(out, v.Message)
			}
		}
		return out
	}
	assert.Empty(t, findings(nil), "prod-eu meets its RTO unattended")

	slow := findings(func(s *redState) {
		s.edit("app-prod-eu-failover-primary-down", func(m map[string]any) { m["evaluationPeriods"] = 5 })
	})
	require.Len(t, slow, 1, "%v", slow)
	assert.Contains(t, slow[0], "Period x EvaluationPeriods = 300 s, plus the aurora-global database's RTO ~60 s = 360 s")

	manual := findings(func(s *redState) {
		s.edit("app-prod-eu-failover-plan", func(m map[string]any) {
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(m["desiredState"].(string)), &doc))
			delete(doc, "Triggers")
			out, err := json.Marshal(doc)
			require.NoError(t, err)
			m["desiredState"] = string(out)
		})
	})
	require.Len(t, manual, 1, "%v", manual)
	assert.Contains(t, manual[0], "no automatic failover (plan \"app-prod-eu-failover-plan\": it has no Triggers")
	assert.Contains(t, manual[0], "= 960 s, above multiregion:rtoSeconds=300")
}
