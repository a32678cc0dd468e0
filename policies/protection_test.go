package policies_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// store and protect are this file's helpers; values are built with the
// package's shared toValue (policies_test.go).

// pending is a value not known yet; encrypted is an encrypted secret read
// from a state file (a secret holding an unknown, as policies/model reads it).
var (
	pending   = unknown
	encrypted = resource.MakeSecret(resource.MakeComputed(resource.NewProperty("")))
)

// store builds a resource in eu-west-1 whose ID is name (inputs = outputs).
func store(typ, name string, p map[string]any) *model.Resource {
	m := toValue(p).ObjectValue()
	return &model.Resource{URN: "urn:pulumi:prod::multiregion::" + typ + "::" + name, Type: typ, Name: name,
		Region: "eu-west-1", Custom: true, ID: name, Inputs: m, Outputs: m}
}

func with(base map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// protect evaluates data-protection on a "prod" stack (mandatory there).
func protect(final bool, rs ...*model.Resource) []policies.Violation {
	d := &model.Deployment{Stack: model.Stack{Name: "prod", Project: "multiregion"}, Resources: rs, Final: final}
	var out []policies.Violation
	for _, v := range policies.Evaluate(d, policies.Config{}).Violations {
		if v.Policy == "data-protection" {
			out = append(out, v)
		}
	}
	return out
}

const (
	sgType     = "aws:ec2/securityGroup:SecurityGroup"
	sgRuleType = "aws:ec2/securityGroupRule:SecurityGroupRule"
	vpcRule    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	kmsKey     = "arn:aws:kms:eu-west-1:123456789012:key/k"
)

func ingress(proto string, from, to int, cidrs ...string) map[string]any {
	r := map[string]any{"protocol": proto, "fromPort": from, "toPort": to}
	var v4, v6 []string
	for _, c := range cidrs {
		if strings.Contains(c, ":") {
			v6 = append(v6, c)
		} else {
			v4 = append(v4, c)
		}
	}
	if v4 != nil {
		r["cidrBlocks"] = v4
	}
	if v6 != nil {
		r["ipv6CidrBlocks"] = v6
	}
	return r
}

func sg(name string, rules ...map[string]any) *model.Resource {
	in := make([]any, len(rules))
	for i, r := range rules {
		in[i] = r
	}
	return store(sgType, name, map[string]any{"ingress": in})
}

func ingressRule(name, group, cidr string, port int) *model.Resource {
	return store(vpcRule, name, map[string]any{"securityGroupId": group, "ipProtocol": "tcp", "fromPort": port, "toPort": port, "cidrIpv4": cidr})
}

// Good configurations of every data store: each passes on its own.
var (
	goodRDS = map[string]any{"storageEncrypted": true, "kmsKeyId": kmsKey, "publiclyAccessible": false,
		"backupRetentionPeriod": 7, "deletionProtection": true, "skipFinalSnapshot": false}
	goodDocDB = map[string]any{"storageEncrypted": true, "backupRetentionPeriod": 7, "deletionProtection": true}
	goodNept  = map[string]any{"storageEncrypted": true, "backupRetentionPeriod": 14, "deletionProtection": true}
	goodRS    = map[string]any{"encrypted": true, "publiclyAccessible": false, "automatedSnapshotRetentionPeriod": 7}
	goodRG    = map[string]any{"engine": "redis", "atRestEncryptionEnabled": true, "snapshotRetentionLimit": 7}
	goodOS    = map[string]any{"encryptAtRest": map[string]any{"enabled": true},
		"vpcOptions": map[string]any{"subnetIds": []string{"subnet-1"}, "securityGroupIds": []string{"sg-1"}}}
	efsPolicy = store("aws:efs/backupPolicy:BackupPolicy", "fs-backup", map[string]any{"fileSystemId": "fs",
		"backupPolicy": map[string]any{"status": "ENABLED"}})
)

type protectionCase struct {
	name  string
	rs    []*model.Resource
	final bool
	want  []string // substrings, one per violation (any order)
	level policies.Level
}

func runProtectionCases(t *testing.T, cases []protectionCase) {
	t.Helper()
	require.NotEmpty(t, cases)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := protect(tc.final, tc.rs...)
			var msgs []string
			for _, v := range got {
				msgs = append(msgs, v.Message)
			}
			require.Len(t, got, len(tc.want), "%s", strings.Join(msgs, "\n"))
			for _, w := range tc.want {
				found := false
				for _, v := range got {
					if strings.Contains(v.Message, w) {
						found = true
						want := tc.level
						if want == "" {
							want = policies.Mandatory
						}
						assert.Equal(t, want, v.Level, v.Message)
					}
				}
				assert.True(t, found, "no violation contains %q in:\n%s", w, strings.Join(msgs, "\n"))
			}
		})
	}
}

// Evasions of the address-space judgement: each opens a database port to the
// internet (or hides whether it does) and was a pass before.
func TestProtectionOpenAddressSpace(t *testing.T) {
	t.Parallel()
	everythingButPrivate := []string{"0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4",
		"32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/3", "160.0.0.0/5", "168.0.0.0/6", "172.0.0.0/12", "172.32.0.0/11",
		"172.64.0.0/10", "172.128.0.0/9", "173.0.0.0/8", "174.0.0.0/7", "176.0.0.0/4", "192.0.0.0/9",
		"192.128.0.0/11", "192.160.0.0/13", "192.169.0.0/16", "192.170.0.0/15", "192.172.0.0/14",
		"192.176.0.0/12", "192.192.0.0/10", "193.0.0.0/8", "194.0.0.0/7", "196.0.0.0/6", "200.0.0.0/5", "208.0.0.0/4"}
	runProtectionCases(t, []protectionCase{
		{name: "two halves in one rule", rs: []*model.Resource{sg("sg", ingress("tcp", 5432, 5432, "0.0.0.0/1", "128.0.0.0/1"))},
			want: []string{`security group "sg" opens database port 5432 to the internet (0.0.0.0/1, 128.0.0.0/1)`}},
		{name: "two halves in two rules", rs: []*model.Resource{sg("sg", ingress("tcp", 5432, 5432, "0.0.0.0/1"), ingress("tcp", 5400, 5500, "128.0.0.0/1"))},
			want: []string{`security group "sg" opens database ports 5432, 5439 to the internet (0.0.0.0/1, 128.0.0.0/1)`}},
		{name: "everything but private space", rs: []*model.Resource{sg("sg", ingress("tcp", 3306, 3306, everythingButPrivate...))},
			want: []string{"opens database port 3306 to the internet"}},
		{name: "half the internet", rs: []*model.Resource{sg("sg", ingress("tcp", 6379, 6379, "0.0.0.0/1"))},
			want: []string{"opens database port 6379"}},
		{name: "small ranges that add up across standalone rules", rs: []*model.Resource{
			store(sgType, "sg-db", map[string]any{}),
			ingressRule("r1", "sg-db", "81.0.0.0/17", 5432), ingressRule("r2", "sg-db", "81.0.128.0/17", 5432), ingressRule("r3", "sg-db", "81.1.0.0/17", 5432)},
			want: []string{`security group "sg-db" opens database port 5432 to the internet (81.0.0.0/17, 81.0.128.0/17, 81.1.0.0/17) through r1 + r2 + r3`}},
		{name: "small ranges on a group outside the deployment", rs: []*model.Resource{
			ingressRule("r1", "sg-0abc", "81.0.0.0/17", 5432), ingressRule("r2", "sg-0abc", "81.0.128.0/17", 5432), ingressRule("r3", "sg-0abc", "81.1.0.0/17", 5432)},
			want: []string{`security group sg-0abc opens database port 5432 to the internet`}},
		{name: "inline and standalone rules together", rs: []*model.Resource{
			sg("sg-db", ingress("tcp", 5432, 5432, "81.0.0.0/17")),
			store(sgRuleType, "extra", map[string]any{"type": "ingress", "securityGroupId": "sg-db", "protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []string{"81.0.128.0/17", "81.1.0.0/17"}})},
			want: []string{`security group "sg-db" opens database port 5432 to the internet (81.0.0.0/17, 81.0.128.0/17, 81.1.0.0/17) through sg-db + extra`}},
		{name: "each open rule is reported on its own", rs: []*model.Resource{
			store(vpcRule, "h1", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "0.0.0.0/1"}),
			store(vpcRule, "h2", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "128.0.0.0/1"})},
			want: []string{`security group rule "h1" opens database port 5432 to the internet (0.0.0.0/1)`, `security group rule "h2" opens database port 5432 to the internet (128.0.0.0/1)`}},
		{name: "the VPC's default security group", rs: []*model.Resource{store("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", map[string]any{
			"ingress": []any{ingress("tcp", 9042, 9042, "0.0.0.0/0")}})},
			want: []string{`security group "default" opens database port 9042`}},
		{name: "ipv6 halves", rs: []*model.Resource{sg("sg", ingress("tcp", 27017, 27017, "::/1", "8000::/1"))},
			want: []string{"opens database port 27017 to the internet"}},
		{name: "ipv6 global unicast in two", rs: []*model.Resource{sg("sg", ingress("tcp", 5432, 5432, "2000::/4", "3000::/4"))},
			want: []string{"opens database port 5432"}},
		{name: "all protocols (-1)", rs: []*model.Resource{store(vpcRule, "all", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"})},
			want: []string{`security group rule "all" opens database ports 1433, 1521, 2049, 3306, 5432, 5439, 6379, 8182, 9042, 11211, 27017 to the internet`}},
		{name: "all protocols (all) split in three", rs: []*model.Resource{
			store(vpcRule, "a1", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "all", "cidrIpv4": "81.0.0.0/17"}),
			store(vpcRule, "a2", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "ALL", "cidrIpv4": "81.0.128.0/17"}),
			store(vpcRule, "a3", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "-1", "cidrIpv4": "81.1.0.0/17"})},
			want: []string{`security group sg-x opens database ports 1433, 1521`}},
		{name: "protocol number and a full port range", rs: []*model.Resource{sg("sg", ingress("6", 0, 65535, "0.0.0.0/0"))},
			want: []string{"opens database ports"}},
		{name: "negative ports mean all", rs: []*model.Resource{sg("sg", ingress("tcp", -1, -1, "0.0.0.0/0"))},
			want: []string{"opens database ports"}},
		{name: "ports written as strings", rs: []*model.Resource{sg("sg", map[string]any{"protocol": "tcp", "fromPort": "5432", "toPort": "5432", "cidrBlocks": []string{"0.0.0.0/0"}})},
			want: []string{"opens database port 5432"}},
		{name: "a data store's own port", rs: []*model.Resource{store("aws:rds/instance:Instance", "db", with(goodRDS, "port", 15432)),
			sg("sg", ingress("tcp", 15000, 16000, "0.0.0.0/0"))},
			want: []string{"opens database port 15432"}},
		{name: "a prefix list of the deployment", rs: []*model.Resource{
			store("aws:ec2/managedPrefixList:ManagedPrefixList", "pl-open", map[string]any{"entries": []any{map[string]any{"cidr": "0.0.0.0/1"}}}),
			store("aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry", "entry", map[string]any{"prefixListId": "pl-open", "cidr": "128.0.0.0/1"}),
			store(vpcRule, "via-list", map[string]any{"securityGroupId": "sg-x", "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "prefixListId": "pl-open"})},
			want: []string{"opens database port 5432 to the internet (pl-open)"}},
		{name: "a prefix list from outside, final", final: true, rs: []*model.Resource{
			sg("sg", map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "prefixListIds": []string{"pl-0123"}})},
			want: []string{"cannot verify: security group \"sg\" may open database port 5432 to the internet: prefix list pl-0123"}},
		{name: "an unparseable CIDR, final", final: true, rs: []*model.Resource{sg("sg", ingress("tcp", 5432, 5432, "0.0.0.0/0 "))},
			want: []string{`ingress[0].cidrBlocks holds "0.0.0.0/0 ", which is not a CIDR block`}},
		{name: "a bare address, final", final: true, rs: []*model.Resource{ingressRule("r", "sg-x", "8.8.8.8", 5432)},
			want: []string{"cannot verify"}},
		{name: "unknown CIDRs in a preview", rs: []*model.Resource{sg("sg", map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": pending})},
			want: []string{"cannot verify: security group \"sg\" may open database port 5432 to the internet: ingress[0].cidrBlocks is not known"}, level: policies.Advisory},
		{name: "an encrypted CIDR, final", final: true, rs: []*model.Resource{sg("sg", map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []any{encrypted}})},
			want: []string{"ingress[0].cidrBlocks[0] is not known"}},
		{name: "unknown ports next to public ranges", final: true, rs: []*model.Resource{sg("sg", ingress("tcp", 443, 443, "0.0.0.0/0"), map[string]any{"protocol": "tcp", "fromPort": pending, "toPort": pending, "cidrBlocks": []string{"0.0.0.0/0"}})},
			want: []string{"ingress[1].fromPort is not known"}},
		{name: "a sentinel for the protocol", final: true, rs: []*model.Resource{sg("sg", map[string]any{"protocol": sig.UnknownStringValue, "fromPort": 5432, "toPort": 5432, "cidrBlocks": []string{"0.0.0.0/0"}})},
			want: []string{"ingress[0].protocol is not known"}},
		{name: "inline rules not known, final", final: true, rs: []*model.Resource{store(sgType, "sg", map[string]any{"ingress": encrypted})},
			want: []string{`cannot verify: security group "sg" may open database ports 1433`}},
		{name: "one inline rule not known, final", final: true, rs: []*model.Resource{store(sgType, "sg", map[string]any{"ingress": []any{ingress("tcp", 443, 443, "0.0.0.0/0"), encrypted}})},
			want: []string{`ingress[1] is not known`}},
		{name: "a rule of unknown type", final: true, rs: []*model.Resource{store(sgRuleType, "rule", map[string]any{"type": pending, "securityGroupId": "sg-x", "protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": []string{"0.0.0.0/0"}})},
			want: []string{"type is not known"}},
	})
}

// What must keep passing: the app's own security groups and private ranges.
func TestProtectionClosedAddressSpace(t *testing.T) {
	t.Parallel()
	runProtectionCases(t, []protectionCase{
		{name: "the app security group", final: true, rs: []*model.Resource{sg("db-sg", map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "securityGroups": []string{"sg-app"}})}},
		{name: "private ranges", final: true, rs: []*model.Resource{sg("sg", ingress("tcp", 5432, 5432, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fd00::/8", "fe80::/10"))}},
		{name: "an office range", final: true, rs: []*model.Resource{sg("sg", ingress("tcp", 5432, 5432, "81.2.69.0/24", "2a01:4f8:1::/48"))}},
		{name: "a /16 is not the internet", final: true, rs: []*model.Resource{ingressRule("r1", "sg-x", "81.0.0.0/17", 5432), ingressRule("r2", "sg-x", "81.0.128.0/17", 5432)}},
		{name: "public https", final: true, rs: []*model.Resource{sg("lb-sg", ingress("tcp", 80, 80, "0.0.0.0/0"), ingress("tcp", 443, 443, "0.0.0.0/0", "::/0"))}},
		{name: "icmp from anywhere", final: true, rs: []*model.Resource{sg("sg", ingress("icmp", -1, -1, "0.0.0.0/0"))}},
		{name: "egress to anywhere", final: true, rs: []*model.Resource{store(sgRuleType, "out", map[string]any{"type": "egress", "securityGroupId": "sg-x", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []string{"0.0.0.0/0"}})}},
		{name: "halves on different groups", final: true, rs: []*model.Resource{ingressRule("r1", "sg-a", "81.0.0.0/17", 5432), ingressRule("r2", "sg-b", "81.0.128.0/17", 5432), ingressRule("r3", "sg-c", "81.1.0.0/17", 5432)}},
		{name: "unknown ranges on a web port", final: true, rs: []*model.Resource{sg("sg", map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": pending})}},
		{name: "a private prefix list of the deployment", final: true, rs: []*model.Resource{
			store("aws:ec2/managedPrefixList:ManagedPrefixList", "pl-office", map[string]any{"entries": []any{map[string]any{"cidr": "10.1.0.0/16"}}}),
			sg("sg", map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "prefixListIds": []string{"pl-office"}})}},
	})
}

// Values that hide: booleans and numbers as strings, unknowns and secrets.
func TestProtectionValuesThatHide(t *testing.T) {
	t.Parallel()
	rds := "aws:rds/instance:Instance"
	runProtectionCases(t, []protectionCase{
		{name: `publiclyAccessible "true"`, rs: []*model.Resource{store(rds, "db", with(goodRDS, "publiclyAccessible", "true"))},
			want: []string{`RDS instance "db" must not be publicly accessible: publiclyAccessible is true`}},
		{name: `publiclyAccessible "1"`, rs: []*model.Resource{store(rds, "db", with(goodRDS, "publiclyAccessible", "1"))},
			want: []string{"must not be publicly accessible"}},
		{name: `storageEncrypted "false"`, rs: []*model.Resource{store(rds, "db", with(goodRDS, "storageEncrypted", "false"))},
			want: []string{"must encrypt storage: storageEncrypted is false"}},
		{name: `deletionProtection "yes"`, rs: []*model.Resource{store(rds, "db", with(goodRDS, "deletionProtection", "yes"))},
			want: []string{`deletionProtection is "yes", which pulumi-aws does not read as a boolean`}},
		{name: `publiclyAccessible "True" (not read as a bool)`, rs: []*model.Resource{store(rds, "db", with(goodRDS, "publiclyAccessible", "True"))},
			want: []string{"does not read as a boolean: set it to false"}},
		{name: "backups as a short string", rs: []*model.Resource{store(rds, "db", with(goodRDS, "backupRetentionPeriod", "3"))},
			want: []string{"keeps backups 3 day(s): at least 7"}},
		{name: "backups as words", rs: []*model.Resource{store(rds, "db", with(goodRDS, "backupRetentionPeriod", "seven"))},
			want: []string{"does not read as a number"}},
		{name: "an encrypted publiclyAccessible, final", final: true, rs: []*model.Resource{store(rds, "db", with(goodRDS, "publiclyAccessible", encrypted))},
			want: []string{"cannot verify: RDS instance \"db\" must not be publicly accessible: publiclyAccessible is not known"}},
		{name: "an unknown sentinel, preview", rs: []*model.Resource{store(rds, "db", with(goodRDS, "deletionProtection", sig.UnknownBoolValue))},
			want: []string{"cannot verify"}, level: policies.Advisory},
		{name: "an unknown retention, final", final: true, rs: []*model.Resource{store(rds, "db", with(goodRDS, "backupRetentionPeriod", pending))},
			want: []string{"backupRetentionPeriod is not known"}},
		{name: "a public access block with string booleans", rs: []*model.Resource{
			store("aws:s3/bucketV2:BucketV2", "b", map[string]any{"bucket": "b"}),
			store("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", map[string]any{"bucket": "b",
				"blockPublicAcls": "true", "blockPublicPolicy": "true", "ignorePublicAcls": "true", "restrictPublicBuckets": "false"})},
			want: []string{`S3 bucket "b" does not block public access`}},
		{name: "a public access block for a bucket not known yet", rs: []*model.Resource{
			store("aws:s3/bucketV2:BucketV2", "b", map[string]any{"bucket": "b"}),
			store("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", map[string]any{"bucket": pending,
				"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true})},
			want: []string{`cannot verify: S3 bucket "b"`}, level: policies.Advisory},
	})
}

// Every data store: the insecure shapes a user writes in a few lines.
func TestProtectionStores(t *testing.T) {
	t.Parallel()
	runProtectionCases(t, []protectionCase{
		{name: "public unencrypted Redshift", rs: []*model.Resource{store("aws:redshift/cluster:Cluster", "rs", map[string]any{"nodeType": "ra3.xlplus"})},
			want: []string{`Redshift cluster "rs" must encrypt data at rest: encrypted is not set`,
				"must not be publicly accessible: publiclyAccessible is not set and Redshift clusters are publicly accessible by default",
				"keeps automated snapshots for the AWS default (1 day)"}},
		{name: `Redshift publiclyAccessible "true"`, rs: []*model.Resource{store("aws:redshift/cluster:Cluster", "rs", with(goodRS, "publiclyAccessible", "true"))},
			want: []string{"publiclyAccessible is true"}},
		{name: "Redshift without snapshots", rs: []*model.Resource{store("aws:redshift/cluster:Cluster", "rs", with(goodRS, "automatedSnapshotRetentionPeriod", 0))},
			want: []string{"keeps automated snapshots 0 day(s)"}},
		{name: "Redshift Serverless workgroup", rs: []*model.Resource{store("aws:redshiftserverless/workgroup:Workgroup", "wg", map[string]any{})},
			want: []string{"must not be publicly accessible: publiclyAccessible is not set"}},
		{name: "unencrypted DocumentDB", rs: []*model.Resource{store("aws:docdb/cluster:Cluster", "docs", map[string]any{"engine": "docdb"})},
			want: []string{`DocumentDB cluster "docs" must encrypt storage`, "needs deletion protection", "keeps backups for the AWS default (1 day)"}},
		{name: "public DocumentDB instance", rs: []*model.Resource{store("aws:docdb/clusterInstance:ClusterInstance", "i", map[string]any{"publiclyAccessible": true})},
			want: []string{"must not be publicly accessible"}},
		{name: "DocumentDB global cluster", rs: []*model.Resource{store("aws:docdb/globalCluster:GlobalCluster", "g", map[string]any{"sourceDbClusterIdentifier": "arn:x"})},
			want: []string{"must encrypt storage", "needs deletion protection"}},
		{name: "DocumentDB elastic cluster backups", rs: []*model.Resource{store("aws:docdb/elasticCluster:ElasticCluster", "e", map[string]any{"backupRetentionPeriod": "2"})},
			want: []string{"keeps backups 2 day(s)"}},
		{name: "unencrypted Neptune", rs: []*model.Resource{store("aws:neptune/cluster:Cluster", "graph", with(goodNept, "storageEncrypted", nil))},
			want: []string{`Neptune cluster "graph" must encrypt storage: storageEncrypted is not set`}},
		{name: "Neptune short backups", rs: []*model.Resource{store("aws:neptune/cluster:Cluster", "graph", with(goodNept, "backupRetentionPeriod", 1))},
			want: []string{"keeps backups 1 day(s)"}},
		{name: "public Neptune instance", rs: []*model.Resource{store("aws:neptune/clusterInstance:ClusterInstance", "i", map[string]any{"publiclyAccessible": "true"})},
			want: []string{"must not be publicly accessible"}},
		{name: "unencrypted OpenSearch outside a VPC", rs: []*model.Resource{store("aws:opensearch/domain:Domain", "search", map[string]any{"engineVersion": "OpenSearch_2.13"})},
			want: []string{`OpenSearch domain "search" must encrypt data at rest`, "has a public endpoint"}},
		{name: "legacy Elasticsearch with encryption off", rs: []*model.Resource{store("aws:elasticsearch/domain:Domain", "es", with(goodOS, "encryptAtRest", map[string]any{"enabled": false}))},
			want: []string{"encryptAtRest.enabled is false"}},
		{name: "unencrypted EFS without backups", rs: []*model.Resource{store("aws:efs/fileSystem:FileSystem", "files", map[string]any{})},
			want: []string{`EFS file system "files" must encrypt data at rest`, "has no automatic backups"}},
		{name: "EFS with backups disabled", rs: []*model.Resource{store("aws:efs/fileSystem:FileSystem", "fs", map[string]any{"encrypted": true}),
			store("aws:efs/backupPolicy:BackupPolicy", "fs-backup", map[string]any{"fileSystemId": "fs", "backupPolicy": map[string]any{"status": "DISABLED"}})},
			want: []string{"has no automatic backups"}},
		{name: "unencrypted EBS", rs: []*model.Resource{store("aws:ebs/volume:Volume", "disk", map[string]any{"size": 100})},
			want: []string{`EBS volume "disk" must encrypt data at rest`}},
		{name: "EBS encrypted false despite the account default", rs: []*model.Resource{store("aws:ebs/volume:Volume", "disk", map[string]any{"encrypted": "false"}),
			store("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs-default", map[string]any{"enabled": true})},
			want: []string{"encrypted is false"}},
		{name: "unencrypted ElastiCache replication group", rs: []*model.Resource{store("aws:elasticache/replicationGroup:ReplicationGroup", "cache", map[string]any{"description": "c"})},
			want: []string{`ElastiCache replication group "cache" must encrypt data at rest: atRestEncryptionEnabled is not set`, "keeps snapshots for the AWS default (0 days: off)"}},
		{name: "ElastiCache short snapshots", rs: []*model.Resource{store("aws:elasticache/replicationGroup:ReplicationGroup", "cache", with(goodRG, "snapshotRetentionLimit", 1))},
			want: []string{"keeps snapshots 1 day(s)"}},
		{name: "standalone ElastiCache node", rs: []*model.Resource{store("aws:elasticache/cluster:Cluster", "memcached", map[string]any{"engine": "memcached"})},
			want: []string{"cannot be encrypted at rest"}},
		{name: "serverless cache without snapshots", rs: []*model.Resource{store("aws:elasticache/serverlessCache:ServerlessCache", "sc", map[string]any{"engine": "valkey"})},
			want: []string{"keeps snapshots for the AWS default"}},
		{name: "public OpenSearch Serverless collections", rs: []*model.Resource{store("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "net", map[string]any{
			"type": "network", "policy": `[{"Rules":[{"ResourceType":"collection","Resource":["collection/logs"]}],"AllowFromPublic":true}]`})},
			want: []string{`OpenSearch Serverless security policy "net" makes collection/logs reachable from the public internet`}},
		{name: "OpenSearch Serverless policy not known", final: true, rs: []*model.Resource{store("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "net", map[string]any{
			"type": "network", "policy": pending})},
			want: []string{"cannot verify"}},
		{name: "unencrypted DAX", rs: []*model.Resource{store("aws:dax/cluster:Cluster", "dax", map[string]any{"nodeType": "dax.r5.large"})},
			want: []string{`DAX cluster "dax" must encrypt data at rest`}},
		{name: "MemoryDB without snapshots", rs: []*model.Resource{store("aws:memorydb/cluster:Cluster", "mem", map[string]any{"snapshotRetentionLimit": "0"})},
			want: []string{`MemoryDB cluster "mem" keeps snapshots 0 day(s)`}},
		{name: "DynamoDB replicas not known", rs: []*model.Resource{store("aws:dynamodb/table:Table", "t", map[string]any{
			"serverSideEncryption": map[string]any{"enabled": true, "kmsKeyArn": kmsKey}, "pointInTimeRecovery": map[string]any{"enabled": "true"},
			"deletionProtectionEnabled": true, "replicas": pending})},
			want: []string{"replicas are not known"}, level: policies.Advisory},
		{name: "replication group engine unknown", final: true, rs: []*model.Resource{store("aws:elasticache/replicationGroup:ReplicationGroup", "cache", with(goodRG, "engine", pending, "atRestEncryptionEnabled", nil))},
			want: []string{"cannot verify"}},
	})
}

// The secure shapes of every store pass.
func TestProtectionStoresThatPass(t *testing.T) {
	t.Parallel()
	cases := []protectionCase{
		{name: "RDS with strings", rs: []*model.Resource{store("aws:rds/instance:Instance", "db", with(goodRDS, "publiclyAccessible", "false", "storageEncrypted", "1", "backupRetentionPeriod", "7"))}},
		{name: "RDS replica of a source not known yet", rs: []*model.Resource{store("aws:rds/instance:Instance", "replica", with(goodRDS, "storageEncrypted", nil, "replicateSourceDb", pending))}},
		{name: "DocumentDB", rs: []*model.Resource{store("aws:docdb/cluster:Cluster", "d", goodDocDB), store("aws:docdb/clusterInstance:ClusterInstance", "i", map[string]any{})}},
		{name: "Neptune", rs: []*model.Resource{store("aws:neptune/cluster:Cluster", "n", goodNept), store("aws:neptune/clusterInstance:ClusterInstance", "i", map[string]any{"publiclyAccessible": false}),
			store("aws:neptune/globalCluster:GlobalCluster", "g", map[string]any{"storageEncrypted": true, "deletionProtection": true})}},
		{name: "Redshift", rs: []*model.Resource{store("aws:redshift/cluster:Cluster", "rs", goodRS),
			store("aws:redshiftserverless/workgroup:Workgroup", "wg", map[string]any{"publiclyAccessible": false}),
			store("aws:redshiftserverless/namespace:Namespace", "ns", map[string]any{})}},
		{name: "ElastiCache", rs: []*model.Resource{store("aws:elasticache/replicationGroup:ReplicationGroup", "rg", goodRG),
			store("aws:elasticache/replicationGroup:ReplicationGroup", "valkey", map[string]any{"engine": "valkey", "snapshotRetentionLimit": 7}),
			store("aws:elasticache/cluster:Cluster", "member", map[string]any{"replicationGroupId": "rg"}),
			store("aws:elasticache/serverlessCache:ServerlessCache", "sc", map[string]any{"engine": "redis", "snapshotRetentionLimit": 7}),
			store("aws:elasticache/serverlessCache:ServerlessCache", "mc", map[string]any{"engine": "memcached"})}},
		{name: "private OpenSearch Serverless", rs: []*model.Resource{store("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "net", map[string]any{
			"type": "network", "policy": `[{"Rules":[{"ResourceType":"collection","Resource":["collection/logs"]}],"AllowFromPublic":false,"SourceVPCEs":["vpce-1"]}]`}),
			store("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "enc", map[string]any{"type": "encryption", "policy": `{"AWSOwnedKey":true}`})}},
		{name: "DAX and MemoryDB", rs: []*model.Resource{store("aws:dax/cluster:Cluster", "dax", map[string]any{"serverSideEncryption": map[string]any{"enabled": true}}),
			store("aws:memorydb/cluster:Cluster", "mem", map[string]any{"snapshotRetentionLimit": 7})}},
		{name: "OpenSearch", rs: []*model.Resource{store("aws:opensearch/domain:Domain", "os", goodOS), store("aws:elasticsearch/domain:Domain", "es", goodOS)}},
		{name: "EFS", rs: []*model.Resource{store("aws:efs/fileSystem:FileSystem", "fs", map[string]any{"encrypted": true, "kmsKeyId": kmsKey}), efsPolicy}},
		{name: "EBS", rs: []*model.Resource{store("aws:ebs/volume:Volume", "v", map[string]any{"encrypted": true}),
			store("aws:ebs/volume:Volume", "by-default", map[string]any{"size": 10}),
			store("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs-default", map[string]any{})}},
	}
	for i := range cases {
		cases[i].final = true
	}
	runProtectionCases(t, cases)
}

func TestProtectionNeverPanicsOnOddValues(t *testing.T) {
	t.Parallel()
	odd := []map[string]any{
		{"ingress": "x", "cidrBlocks": 5, "vpcOptions": "x", "encryptAtRest": []any{1}, "replicas": map[string]any{}},
		{"ingress": []any{nil, 3, "x", map[string]any{"protocol": 6, "fromPort": "a", "toPort": nil, "cidrBlocks": []any{nil, 1, "::/0"}}},
			"protocol": []any{}, "fromPort": map[string]any{}, "cidrIpv4": []any{"0.0.0.0/0", pending}, "prefixListId": 7,
			"engine": 3, "port": "x", "replicationGroupId": 4, "publiclyAccessible": []any{true}},
		{"ingress": []any{map[string]any{"protocol": encrypted, "prefixListIds": encrypted}}, "securityGroupId": pending,
			"type": encrypted, "backupPolicy": "x", "fileSystemId": 1, "entries": []any{"x", map[string]any{"cidr": pending}}},
	}
	types := []string{sgRuleType, vpcRule, "aws:ec2/managedPrefixList:ManagedPrefixList", "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
		"aws:efs/backupPolicy:BackupPolicy", "aws:ebs/encryptionByDefault:EncryptionByDefault", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"}
	types = append(types, "aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance",
		"aws:rds/globalCluster:GlobalCluster", "aws:docdb/cluster:Cluster", "aws:docdb/clusterInstance:ClusterInstance",
		"aws:docdb/globalCluster:GlobalCluster", "aws:docdb/elasticCluster:ElasticCluster", "aws:neptune/cluster:Cluster",
		"aws:neptune/clusterInstance:ClusterInstance", "aws:neptune/globalCluster:GlobalCluster", "aws:redshift/cluster:Cluster",
		"aws:redshiftserverless/workgroup:Workgroup", "aws:elasticache/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup",
		"aws:elasticache/serverlessCache:ServerlessCache", "aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain",
		"aws:efs/fileSystem:FileSystem", "aws:ebs/volume:Volume", "aws:dynamodb/table:Table", "aws:s3/bucketV2:BucketV2", sgType,
		"aws:dax/cluster:Cluster", "aws:memorydb/cluster:Cluster", "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
	var rs []*model.Resource
	for i, typ := range types {
		for j, p := range odd {
			rs = append(rs, store(typ, fmt.Sprintf("r%d-%d", i, j), p))
		}
	}
	for _, final := range []bool{false, true} {
		assert.NotPanics(t, func() { protect(final, rs...) })
		assert.NotEmpty(t, protect(final, rs...), "odd values are never a silent pass")
	}
}

func TestProtectionBackupMinimumFromConfig(t *testing.T) {
	t.Parallel()
	cfg, err := policies.ParseConfig([]byte(`{"data-protection":{"minBackupRetentionDays":14}}`))
	require.NoError(t, err)
	d := &model.Deployment{Stack: model.Stack{Name: "prod"}, Resources: []*model.Resource{
		store("aws:neptune/cluster:Cluster", "n", with(goodNept, "backupRetentionPeriod", 7)),
		store("aws:redshift/cluster:Cluster", "rs", with(goodRS, "automatedSnapshotRetentionPeriod", 14))}}
	var got []string
	for _, v := range policies.Evaluate(d, cfg).Violations {
		got = append(got, v.Message)
	}
	require.Len(t, got, 1, "%v", got)
	assert.Contains(t, got[0], `Neptune cluster "n" keeps backups 7 day(s): at least 14`)
}

func BenchmarkProtectionSecurityGroups(b *testing.B) {
	var rs []*model.Resource
	for i := 0; i < 2000; i++ {
		rs = append(rs, sg(fmt.Sprintf("sg-%d", i), ingress("tcp", 443, 443, "0.0.0.0/0"), ingress("tcp", 5432, 5432, "10.0.0.0/8", "81.2.69.0/24")),
			ingressRule(fmt.Sprintf("r-%d", i), fmt.Sprintf("sg-%d", i), "81.2.70.0/24", 5432))
	}
	d := &model.Deployment{Stack: model.Stack{Name: "prod"}, Resources: rs, Final: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rep := policies.Evaluate(d, policies.Config{}); rep.Mandatory != 0 {
			b.Fatalf("unexpected violations: %v", rep.Violations[0])
		}
	}
}

// The analyzer runs the per-resource phase (Analyze) and the stack phase
// (AnalyzeStack) separately: a group open by one resource is reported in the
// first, a group open only through the union of its rules in the second,
// never both.
func TestProtectionSecurityGroupPhases(t *testing.T) {
	t.Parallel()
	d := &model.Deployment{Stack: model.Stack{Name: "prod"}, Final: true, Resources: []*model.Resource{
		sg("open-alone", ingress("tcp", 5432, 5432, "0.0.0.0/0")),
		ingressRule("extra", "open-alone", "81.0.0.0/17", 5432),
		ingressRule("u1", "sg-union", "81.0.0.0/17", 3306), ingressRule("u2", "sg-union", "81.0.128.0/17", 3306),
		ingressRule("u3", "sg-union", "81.1.0.0/17", 3306)}}
	messages := func(scope policies.Scope) []string {
		var out []string
		for _, v := range policies.EvaluateScope(d, policies.Config{}, scope).Violations {
			if v.Policy == "data-protection" {
				out = append(out, v.Message)
			}
		}
		return out
	}
	res := messages(policies.ScopeResource)
	require.Len(t, res, 1, "%v", res)
	assert.Contains(t, res[0], `security group "open-alone" opens database port 5432`)
	stack := messages(policies.ScopeStack)
	require.Len(t, stack, 1, "%v", stack)
	assert.Contains(t, stack[0], "security group sg-union opens database port 3306 to the internet (81.0.0.0/17, 81.0.128.0/17, 81.1.0.0/17) through u1 + u2 + u3")
	assert.Len(t, messages(policies.ScopeAll), 2)
}
