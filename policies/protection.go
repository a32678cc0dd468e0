package policies

import (
	"fmt"
	"path"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

// Defaults of the data-protection policy.
var (
	// DefaultMinBackupDays is the shortest backup retention allowed.
	DefaultMinBackupDays = 7.0
	// DefaultDatabasePorts are never to be open to the internet.
	DefaultDatabasePorts = []float64{1433, 1521, 3306, 5432, 5439, 6379, 9042, 11211, 27017}
	// DefaultMandatoryStacks are the prod-like stacks where the policy is mandatory.
	DefaultMandatoryStacks = []string{"prod", "prod-*", "prod_*", "*-prod", "production*"}
)

func dataProtection() *Policy {
	return &Policy{
		Name: "data-protection",
		Description: "Databases are encrypted with a customer-managed key, not public, keep backups >= 7 days, " +
			"have deletion protection and a final snapshot; S3 buckets block public access; no security group " +
			"opens a database port to the internet. Mandatory in prod-like stacks, advisory elsewhere.",
		Level: func(s model.Stack, p map[string]any) Level {
			patterns := DefaultMandatoryStacks
			if list, ok := p["mandatoryStacks"].([]any); ok {
				patterns = nil
				for _, v := range list {
					if s, ok := v.(string); ok {
						patterns = append(patterns, s)
					}
				}
			}
			if prodLike(s.Name, patterns) {
				return Mandatory
			}
			return Advisory
		},
		Schema: map[string]any{
			"mandatoryStacks": map[string]any{"type": "array", "items": map[string]any{"type": "string"},
				"description": "stack name patterns where the policy is mandatory (default prod, prod-*, prod_*, *-prod, production*)"},
			"minBackupRetentionDays": map[string]any{"type": "integer", "minimum": 1, "description": "default 7"},
			"databasePorts":          map[string]any{"type": "array", "items": map[string]any{"type": "integer"}},
		},
		Resource: protectionResource,
		Stack:    protectionStack,
	}
}

// prodLike reports whether a stack name matches one of the glob patterns.
func prodLike(stack string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, stack); ok {
			return true
		}
	}
	return false
}

// check is one boolean requirement on a property.
type check struct {
	path string
	want bool
	// missingOK: an absent property means the provider default, which is fine.
	missingOK bool
	what      string
}

func protectionResource(e *Env, r *model.Resource) {
	m := r.Props()
	minDays := DefaultMinBackupDays
	if v, ok := e.numberProp("minBackupRetentionDays"); ok {
		minDays = v
	}
	label := fmt.Sprintf("%s %q", kind(r), r.Name)
	switch r.Type {
	case "aws:rds/instance:Instance":
		replica := props.String(m, "replicateSourceDb") != ""
		requireBools(e, r, label, m,
			check{"publiclyAccessible", false, true, "must not be publicly accessible"},
			check{"deletionProtection", true, false, "needs deletion protection"})
		if !replica {
			// A read replica cannot take a final snapshot: AWS refuses one when
			// deleting a replica (DeleteDBInstance FinalDBSnapshotIdentifier).
			requireBools(e, r, label, m,
				check{"skipFinalSnapshot", false, true, "must take a final snapshot"},
				check{"storageEncrypted", true, false, "must encrypt storage"})
		}
		requireCMK(e, r, label, m, "kmsKeyId")
		requireRetention(e, r, label, m, minDays)
	case "aws:rds/cluster:Cluster":
		requireBools(e, r, label, m,
			check{"storageEncrypted", true, false, "must encrypt storage"},
			check{"deletionProtection", true, false, "needs deletion protection"},
			check{"skipFinalSnapshot", false, true, "must take a final snapshot"})
		requireCMK(e, r, label, m, "kmsKeyId")
		requireRetention(e, r, label, m, minDays)
	case "aws:rds/clusterInstance:ClusterInstance":
		requireBools(e, r, label, m, check{"publiclyAccessible", false, true, "must not be publicly accessible"})
	case "aws:rds/globalCluster:GlobalCluster":
		requireBools(e, r, label, m,
			check{"storageEncrypted", true, false, "must encrypt storage"},
			check{"deletionProtection", true, false, "needs deletion protection"})
	case "aws:dynamodb/table:Table":
		requireBools(e, r, label, m,
			check{"serverSideEncryption.enabled", true, false, "must be encrypted with a customer-managed key (serverSideEncryption)"},
			check{"pointInTimeRecovery.enabled", true, false, "needs point-in-time recovery"},
			check{"deletionProtectionEnabled", true, false, "needs deletion protection"})
		requireCMK(e, r, label, m, "serverSideEncryption.kmsKeyArn")
		for i, rep := range props.Array(m, "replicas") {
			region := props.String(props.AsObject(rep), "regionName")
			requireCMK(e, r, fmt.Sprintf("%s replica in %s", label, region), m, fmt.Sprintf("replicas[%d].kmsKeyArn", i))
		}
	case "aws:ec2/securityGroup:SecurityGroup":
		for i := range props.Array(m, "ingress") {
			openPort(e, r, m, fmt.Sprintf("ingress[%d]", i), "")
		}
	case "aws:ec2/securityGroupRule:SecurityGroupRule":
		if props.String(m, "type") == "ingress" {
			openPort(e, r, m, "", "")
		}
	case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
		openPort(e, r, m, "", "ipProtocol")
	}
}

// requireBools reports each property that is not as required.
func requireBools(e *Env, r *model.Resource, label string, m resource.PropertyMap, checks ...check) {
	for _, c := range checks {
		if props.IsUnknown(m, c.path) {
			e.CannotVerify(r.URN, "%s: %s is not known yet", label, c.path)
			continue
		}
		v, ok := props.Bool(m, c.path)
		switch {
		case !ok && c.missingOK:
		case !ok:
			e.Violate(r.URN, "%s %s: %s is not set (set it to %v)", label, c.what, c.path, c.want)
		case v != c.want:
			e.Violate(r.URN, "%s %s: %s is %v", label, c.what, c.path, v)
		}
	}
}

// requireCMK reports a missing or AWS-managed encryption key.
func requireCMK(e *Env, r *model.Resource, label string, m resource.PropertyMap, keyPath string) {
	if props.IsUnknown(m, keyPath) {
		e.CannotVerify(r.URN, "%s: the encryption key (%s) is not known yet", label, keyPath)
		return
	}
	key := props.String(m, keyPath)
	switch {
	case key == "":
		e.Violate(r.URN, "%s is not encrypted with a customer-managed KMS key: set %s (the region's RegionalStack.KMSKeyARN)", label, keyPath)
	case strings.Contains(key, ":alias/aws/") || strings.HasPrefix(key, "alias/aws/"):
		e.Violate(r.URN, "%s uses the AWS-managed key %s: use a customer-managed key", label, key)
	}
}

// requireRetention reports backups kept fewer than minDays.
func requireRetention(e *Env, r *model.Resource, label string, m resource.PropertyMap, minDays float64) {
	if props.IsUnknown(m, "backupRetentionPeriod") {
		e.CannotVerify(r.URN, "%s: backupRetentionPeriod is not known yet", label)
		return
	}
	days, ok := props.Number(m, "backupRetentionPeriod")
	switch {
	case !ok:
		e.Violate(r.URN, "%s keeps backups for the AWS default (1 day): set backupRetentionPeriod to at least %g", label, minDays)
	case days < minDays:
		e.Violate(r.URN, "%s keeps backups %g day(s): at least %g are required", label, days, minDays)
	}
}

// openPort reports an ingress rule (at prefix) that opens a database port to the internet.
func openPort(e *Env, r *model.Resource, m resource.PropertyMap, prefix, protocolKey string) {
	at := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	if protocolKey == "" {
		protocolKey = "protocol"
	}
	var cidrs []string
	for _, k := range []string{"cidrBlocks", "ipv6CidrBlocks"} {
		if props.IsUnknown(m, at(k)) {
			e.CannotVerify(r.URN, "security group %q: %s is not known yet", r.Name, at(k))
			return
		}
		cidrs = append(cidrs, props.Strings(m, at(k))...)
	}
	for _, k := range []string{"cidrIpv4", "cidrIpv6"} {
		if v := props.String(m, at(k)); v != "" {
			cidrs = append(cidrs, v)
		}
	}
	open := false
	for _, c := range cidrs {
		if c == "0.0.0.0/0" || c == "::/0" {
			open = true
		}
	}
	if !open {
		return
	}
	from, _ := props.Number(m, at("fromPort"))
	to, _ := props.Number(m, at("toPort"))
	proto := props.String(m, at(protocolKey))
	all := proto == "-1" || proto == "all"
	ports := DefaultDatabasePorts
	if custom, ok := e.Props["databasePorts"].([]any); ok {
		ports = nil
		for _, p := range custom {
			if f, ok := p.(float64); ok {
				ports = append(ports, f)
			}
		}
	}
	for _, p := range ports {
		if all || (from <= p && p <= to) {
			e.Violate(r.URN, "security group %q opens database port %g to the internet (%s): allow only the app's security group", r.Name, p, strings.Join(cidrs, ", "))
			return
		}
	}
}

// protectionStack checks that every S3 bucket blocks public access.
func protectionStack(e *Env, d *model.Deployment) {
	blocked := map[string]bool{}
	account := false
	for _, r := range d.Resources {
		s := r.State()
		switch r.Type {
		case "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock":
			account = allTrue(s)
		case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
			if allTrue(s) {
				blocked[props.String(s, "bucket")] = true
			}
		}
	}
	if account {
		return
	}
	for _, r := range d.Resources {
		if r.Type != "aws:s3/bucket:Bucket" && r.Type != "aws:s3/bucketV2:BucketV2" {
			continue
		}
		s := r.State()
		if blocked[r.ID] || blocked[props.String(s, "bucket")] || blocked[props.String(s, "id")] {
			continue
		}
		e.Violate(r.URN, "S3 bucket %q does not block public access: add an aws.s3.BucketPublicAccessBlock with all four settings true", r.Name)
	}
}

func allTrue(m resource.PropertyMap) bool {
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if v, _ := props.Bool(m, k); !v {
			return false
		}
	}
	return true
}
