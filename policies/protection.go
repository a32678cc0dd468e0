package policies

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

// Defaults of the data-protection policy.
var (
	// DefaultMinBackupDays is the shortest backup retention allowed.
	DefaultMinBackupDays = 7.0
	// DefaultDatabasePorts are never to be open to the internet: SQL Server,
	// Oracle, MySQL/MariaDB/Aurora MySQL, NFS (EFS), PostgreSQL/Aurora
	// PostgreSQL, Redshift, Redis/Valkey, Neptune (its `port` default, 8182, per
	// the neptune.Cluster doc comment), Cassandra/Keyspaces, Memcached,
	// MongoDB/DocumentDB. Every `port` a data store in the deployment declares
	// is added to them.
	DefaultDatabasePorts = []float64{1433, 1521, 2049, 3306, 5432, 5439, 6379, 8182, 9042, 11211, 27017}
	// DefaultMandatoryStacks are the prod-like stacks where the policy is mandatory.
	DefaultMandatoryStacks = []string{"prod", "prod-*", "prod_*", "*-prod", "production*"}
)

func dataProtection() *Policy {
	return &Policy{
		Name: "data-protection",
		Description: "Every AWS data store (RDS/Aurora, DocumentDB, Neptune, Redshift, ElastiCache, MemoryDB, DAX, " +
			"OpenSearch, EFS, EBS, S3, DynamoDB) is encrypted at rest (RDS, Aurora and DynamoDB with a customer-managed key), not " +
			"public, keeps backups >= 7 days and has deletion protection and a final snapshot where the service " +
			"offers them; S3 buckets block public access; no security group opens a database port to the internet " +
			"(judged by the address space its rules open together). Mandatory in prod-like stacks, advisory elsewhere.",
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

// storeKinds names the data stores this policy judges, for messages.
var storeKinds = map[string]string{
	"aws:rds/instance:Instance":                                        "RDS instance",
	"aws:rds/cluster:Cluster":                                          "Aurora/RDS cluster",
	"aws:rds/clusterInstance:ClusterInstance":                          "Aurora cluster instance",
	"aws:rds/globalCluster:GlobalCluster":                              "Aurora global cluster",
	"aws:docdb/cluster:Cluster":                                        "DocumentDB cluster",
	"aws:docdb/clusterInstance:ClusterInstance":                        "DocumentDB instance",
	"aws:docdb/globalCluster:GlobalCluster":                            "DocumentDB global cluster",
	"aws:docdb/elasticCluster:ElasticCluster":                          "DocumentDB elastic cluster",
	"aws:neptune/cluster:Cluster":                                      "Neptune cluster",
	"aws:neptune/clusterInstance:ClusterInstance":                      "Neptune instance",
	"aws:neptune/globalCluster:GlobalCluster":                          "Neptune global cluster",
	"aws:redshift/cluster:Cluster":                                     "Redshift cluster",
	"aws:redshiftserverless/workgroup:Workgroup":                       "Redshift Serverless workgroup",
	"aws:elasticache/cluster:Cluster":                                  "ElastiCache cluster",
	"aws:elasticache/replicationGroup:ReplicationGroup":                "ElastiCache replication group",
	"aws:elasticache/serverlessCache:ServerlessCache":                  "ElastiCache serverless cache",
	"aws:opensearch/domain:Domain":                                     "OpenSearch domain",
	"aws:elasticsearch/domain:Domain":                                  "Elasticsearch domain",
	"aws:efs/fileSystem:FileSystem":                                    "EFS file system",
	"aws:ebs/volume:Volume":                                            "EBS volume",
	"aws:dynamodb/table:Table":                                         "DynamoDB table",
	"aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy": "OpenSearch Serverless security policy",
	"aws:dax/cluster:Cluster":                                          "DAX cluster",
	"aws:memorydb/cluster:Cluster":                                     "MemoryDB cluster",
	"aws:s3/bucket:Bucket":                                             "S3 bucket",
	"aws:s3/bucketV2:BucketV2":                                         "S3 bucket",
	"aws:redshiftserverless/namespace:Namespace":                       "Redshift Serverless namespace",
	"aws:ec2/securityGroup:SecurityGroup":                              "security group",
	"aws:ec2/securityGroupRule:SecurityGroupRule":                      "security group rule",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":        "security group ingress rule",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                "default security group",
}

// subject is one resource under check, with the policy's settings.
type subject struct {
	e       *Env
	r       *model.Resource
	m       resource.PropertyMap
	label   string
	minDays float64
}

func newSubject(e *Env, r *model.Resource, m resource.PropertyMap) *subject {
	minDays := DefaultMinBackupDays
	if v, ok := e.numberProp("minBackupRetentionDays"); ok {
		minDays = v
	}
	k := storeKinds[r.Type]
	if k == "" {
		k = r.Type
	}
	return &subject{e: e, r: r, m: m, label: fmt.Sprintf("%s %q", k, r.Name), minDays: minDays}
}

// absent says what an absent boolean means: the provider's default, which is
// either the wanted value (defaultOK) or not (defaultBad, with the reason).
type absent struct {
	ok  bool
	why string // for defaultBad: where the default is documented, e.g. "defaults to false"
}

var defaultOK = absent{ok: true}

func defaultBad(why string) absent { return absent{why: why} }

// flag requires the boolean at path to be want. Unknown values and encrypted
// secrets cannot be verified; strings the provider would not read as a bool
// ("yes", "True") are violations, as they are not verifiably safe.
func (s *subject) flag(p string, want bool, missing absent, what string) {
	v, st := props.LookupBool(s.m, p)
	switch st {
	case props.Pending:
		s.e.CannotVerify(s.r.URN, "%s %s: %s is not known (unknown or an encrypted secret): it must be %v", s.label, what, p, want)
	case props.Malformed:
		s.e.Violate(s.r.URN, "%s %s: %s is %s, which pulumi-aws does not read as a boolean: set it to %v", s.label, what, p, s.display(p), want)
	case props.Missing:
		if !missing.ok {
			s.e.Violate(s.r.URN, "%s %s: %s is not set and %s: set it to %v", s.label, what, p, missing.why, want)
		}
	case props.Known:
		if v != want {
			s.e.Violate(s.r.URN, "%s %s: %s is %v", s.label, what, p, v)
		}
	}
}

// retention requires the number of days at p to be at least the configured
// minimum; dflt is the documented value when it is absent.
func (s *subject) retention(p string, dflt float64, what string) {
	days, st := props.LookupNumber(s.m, p)
	switch st {
	case props.Pending:
		s.e.CannotVerify(s.r.URN, "%s: %s is not known (unknown or an encrypted secret): it must be at least %g", s.label, p, s.minDays)
		return
	case props.Malformed:
		s.e.Violate(s.r.URN, "%s: %s is %s, which pulumi-aws does not read as a number: set it to at least %g", s.label, p, s.display(p), s.minDays)
		return
	case props.Missing:
		if dflt < s.minDays {
			s.e.Violate(s.r.URN, "%s keeps %s for the AWS default (%s) when %s is not set: set it to at least %g", s.label, what, daysText(dflt), p, s.minDays)
		}
		return
	}
	if days < s.minDays {
		s.e.Violate(s.r.URN, "%s keeps %s %g day(s): at least %g are required (%s)", s.label, what, days, s.minDays, p)
	}
}

// display shows the value at p for a message.
func (s *subject) display(p string) string {
	v, _ := props.Get(s.m, p)
	switch {
	case v.IsString():
		return strconv.Quote(v.StringValue())
	case v.IsNumber():
		return strconv.FormatFloat(v.NumberValue(), 'g', -1, 64)
	case v.IsBool():
		return strconv.FormatBool(v.BoolValue())
	}
	return "a " + v.TypeString()
}

func daysText(d float64) string {
	switch d {
	case 0:
		return "0 days: off"
	case 1:
		return "1 day"
	}
	return fmt.Sprintf("%g days", d)
}

// cmk requires a customer-managed KMS key at keyPath.
func (s *subject) cmk(keyPath string) {
	key, st := props.LookupString(s.m, keyPath)
	switch {
	case st == props.Pending:
		s.e.CannotVerify(s.r.URN, "%s: the encryption key (%s) is not known (unknown or an encrypted secret)", s.label, keyPath)
	case st == props.Malformed:
		s.e.Violate(s.r.URN, "%s: %s is not a key ARN: set the region's customer-managed KMS key ARN", s.label, keyPath)
	case key == "":
		s.e.Violate(s.r.URN, "%s is not encrypted with a customer-managed KMS key: set %s (the region's RegionalStack.KMSKeyARN)", s.label, keyPath)
	case strings.Contains(key, ":alias/aws/") || strings.HasPrefix(key, "alias/aws/"):
		s.e.Violate(s.r.URN, "%s uses the AWS-managed key %s: use a customer-managed key", s.label, key)
	}
}

// engine returns the engine at p, "" when absent; ok is false (and "cannot
// verify" is reported) when it is present but not readable.
func (s *subject) engine(p string) (string, bool) {
	v, st := props.LookupString(s.m, p)
	switch st {
	case props.Pending:
		s.e.CannotVerify(s.r.URN, "%s: %s is not known, and the defaults this policy relies on depend on it", s.label, p)
		return "", false
	case props.Malformed:
		s.e.Violate(s.r.URN, "%s: %s is not a string", s.label, p)
		return "", false
	}
	return strings.ToLower(v), true
}

// Documented defaults this policy relies on (doc comments of the pulumi-aws
// v6.83.4 Go SDK, go/aws/<service>/<resource>.go, Args structs).
var (
	// rds.Instance.StorageEncrypted: "The default is `false` if not specified."
	// rds.Cluster.StorageEncrypted: "The default is `false` for `provisioned` `engineMode`".
	// docdb.Cluster.StorageEncrypted: "The default is `false`."
	// neptune.Cluster.StorageEncrypted: "The default is `false` if not specified."
	unencryptedByDefault = defaultBad("storage is not encrypted by default")
	// rds.Instance/Cluster, docdb.Cluster/GlobalCluster, neptune.GlobalCluster
	// DeletionProtection: "The default is `false`"; neptune.Cluster: "By
	// default, deletion protection is disabled."
	unprotectedByDefault = defaultBad("deletion protection is off by default")
	// rds/docdb/neptune GlobalCluster.StorageEncrypted: "The default is `false`
	// unless `sourceDbClusterIdentifier` is specified and encrypted": the
	// source's encryption cannot be read from here, so it must be stated.
	globalUnencryptedByDefault = defaultBad("a global cluster is unencrypted by default (or follows a source cluster this policy cannot see)")
)

func protectionResource(e *Env, r *model.Resource) {
	if _, store := storeKinds[r.Type]; !store {
		return // nothing to read: keep the hot path free of allocations
	}
	if isRuleType(r.Type) {
		checkRuleResource(e, r)
		return
	}
	m := r.Props()
	s := newSubject(e, r, m)
	// Publicly accessible instances: rds.Instance/ClusterInstance and
	// neptune.ClusterInstance PubliclyAccessible "Default is `false`";
	// docdb.ClusterInstance documents no default and DocumentDB has no public
	// endpoints: absent is private for all of them.
	notPublic := func() { s.flag("publiclyAccessible", false, defaultOK, "must not be publicly accessible") }
	finalSnapshot := func() {
		// SkipFinalSnapshot "Default is `false`" (docdb, neptune, redshift
		// clusters); rds.Instance and rds.Cluster take a final snapshot unless
		// it is set.
		s.flag("skipFinalSnapshot", false, defaultOK, "must take a final snapshot")
	}
	switch r.Type {
	case "aws:rds/instance:Instance":
		notPublic()
		s.flag("deletionProtection", true, unprotectedByDefault, "needs deletion protection")
		// A read replica inherits its source's encryption (replicateSourceDb),
		// also when the source is not known yet, and cannot take a final
		// snapshot: AWS refuses one when deleting a replica (DeleteDBInstance
		// FinalDBSnapshotIdentifier), so only a source database must.
		if src, st := props.LookupString(m, "replicateSourceDb"); st != props.Pending && src == "" {
			finalSnapshot()
			s.flag("storageEncrypted", true, unencryptedByDefault, "must encrypt storage")
		}
		s.cmk("kmsKeyId")
		// rds.Instance.BackupRetentionPeriod: AWS's default is 1 day (CreateDBInstance).
		s.retention("backupRetentionPeriod", 1, "backups")
	case "aws:rds/cluster:Cluster", "aws:docdb/cluster:Cluster", "aws:neptune/cluster:Cluster":
		s.flag("storageEncrypted", true, unencryptedByDefault, "must encrypt storage")
		s.flag("deletionProtection", true, unprotectedByDefault, "needs deletion protection")
		finalSnapshot()
		if r.Type == "aws:rds/cluster:Cluster" {
			s.cmk("kmsKeyId")
		}
		// BackupRetentionPeriod: "Days to retain backups for. Default `1`" (all three).
		s.retention("backupRetentionPeriod", 1, "backups")
	case "aws:rds/clusterInstance:ClusterInstance", "aws:docdb/clusterInstance:ClusterInstance",
		"aws:neptune/clusterInstance:ClusterInstance":
		notPublic()
	case "aws:rds/globalCluster:GlobalCluster", "aws:docdb/globalCluster:GlobalCluster",
		"aws:neptune/globalCluster:GlobalCluster":
		s.flag("storageEncrypted", true, globalUnencryptedByDefault, "must encrypt storage")
		s.flag("deletionProtection", true, unprotectedByDefault, "needs deletion protection")
	case "aws:docdb/elasticCluster:ElasticCluster":
		// Always encrypted ("If not specified, the default encryption key that
		// KMS creates for your account is used"); BackupRetentionPeriod "If not
		// specified, the default value of 1 is set".
		s.retention("backupRetentionPeriod", 1, "backups")
	case "aws:redshift/cluster:Cluster":
		// Encrypted: "If true , the data in the cluster is encrypted at rest"
		// (no default documented; the provider leaves it false).
		s.flag("encrypted", true, defaultBad("the cluster is not encrypted unless it is true"), "must encrypt data at rest")
		// PubliclyAccessible: "If true, the cluster can be accessed from a public
		// network. Default is `true`."
		s.flag("publiclyAccessible", false, defaultBad("Redshift clusters are publicly accessible by default"), "must not be publicly accessible")
		// AutomatedSnapshotRetentionPeriod: "If the value is 0, automated
		// snapshots are disabled ... Default is 1." Redshift has no deletion protection.
		s.retention("automatedSnapshotRetentionPeriod", 1, "automated snapshots")
		finalSnapshot()
	case "aws:redshiftserverless/workgroup:Workgroup":
		// PubliclyAccessible: "A value that specifies whether the workgroup can
		// be accessed from a public network." No default is documented, so it
		// must be stated. (Namespaces are always encrypted: nothing to check.)
		s.flag("publiclyAccessible", false, defaultBad("its default is not documented"), "must not be publicly accessible")
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		// AtRestEncryptionEnabled: "When `engine` is `redis`, default is
		// `false`. When `engine` is `valkey`, default is `true`." Engine:
		// "Default is `redis`."
		if eng, ok := s.engine("engine"); ok {
			missing := defaultBad("encryption at rest is off by default for redis")
			if eng == "valkey" {
				missing = defaultOK
			}
			s.flag("atRestEncryptionEnabled", true, missing, "must encrypt data at rest")
		}
		// SnapshotRetentionLimit: "If the value of `snapshotRetentionLimit` is
		// set to zero (0), backups are turned off"; AWS's default is 0.
		s.retention("snapshotRetentionLimit", 0, "snapshots")
	case "aws:elasticache/cluster:Cluster":
		// A member of a replication group is judged through the group.
		if id, st := props.LookupString(m, "replicationGroupId"); st == props.Pending {
			s.e.CannotVerify(r.URN, "%s: replicationGroupId is not known: a standalone cluster cannot be encrypted at rest", s.label)
			return
		} else if id != "" {
			return
		}
		// aws.elasticache.Cluster has no at-rest encryption setting (nor has
		// CreateCacheCluster): a standalone node stores data unencrypted.
		s.e.Violate(r.URN, "%s cannot be encrypted at rest: use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled, or an aws.elasticache.ServerlessCache", s.label)
		if eng, ok := s.engine("engine"); ok && eng != "memcached" {
			s.retention("snapshotRetentionLimit", 0, "snapshots")
		}
	case "aws:elasticache/serverlessCache:ServerlessCache":
		// Always encrypted at rest ("If no KMS key is provided, a default
		// service key is used"); SnapshotRetentionLimit "Available for Redis
		// only" (and Valkey); without it no snapshots are kept.
		if eng, ok := s.engine("engine"); ok && eng != "memcached" {
			s.retention("snapshotRetentionLimit", 0, "snapshots")
		}
	case "aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain":
		// EncryptAtRest.Enabled: "If the `encryptAtRest` block is not provided
		// then this defaults to `false`." Automated snapshots are taken by the
		// service and cannot be turned off; there is no deletion protection.
		s.flag("encryptAtRest.enabled", true, unencryptedByDefault, "must encrypt data at rest")
		// Without vpcOptions the domain gets a public endpoint.
		switch subnets, st := props.Array(m, "vpcOptions.subnetIds"), pendingAt(m, "vpcOptions", "vpcOptions.subnetIds"); {
		case st:
			s.e.CannotVerify(r.URN, "%s: vpcOptions.subnetIds is not known: a domain outside a VPC has a public endpoint", s.label)
		case len(subnets) == 0:
			s.e.Violate(r.URN, "%s has a public endpoint: place it in a VPC (vpcOptions.subnetIds and securityGroupIds)", s.label)
		}
	case "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy":
		// Serverless collections are always encrypted (an `encryption` policy
		// only picks the key); a `network` policy rule with "AllowFromPublic":
		// true gives its collections a public endpoint.
		s.networkPolicy()
	case "aws:efs/fileSystem:FileSystem":
		// Encrypted: "If true, the disk will be encrypted." (no default
		// documented; EFS CreateFileSystem leaves it false). Backups: see
		// protectionStack.
		s.flag("encrypted", true, defaultBad("the file system is not encrypted unless it is true"), "must encrypt data at rest")
	case "aws:dax/cluster:Cluster":
		// ServerSideEncryption.Enabled: "Whether to enable encryption at rest.
		// Defaults to `false`." DAX is a cache in front of DynamoDB: no backups.
		s.flag("serverSideEncryption.enabled", true, unencryptedByDefault, "must encrypt data at rest")
	case "aws:memorydb/cluster:Cluster":
		// Always encrypted at rest (KmsKeyArn only picks the key);
		// SnapshotRetentionLimit: "When set to `0`, automatic backups are
		// disabled. Defaults to `0`."
		s.retention("snapshotRetentionLimit", 0, "snapshots")
	case "aws:dynamodb/table:Table":
		s.flag("serverSideEncryption.enabled", true, defaultBad("the table then uses an AWS-owned key"), "must be encrypted with a customer-managed key (serverSideEncryption)")
		s.flag("pointInTimeRecovery.enabled", true, defaultBad("point-in-time recovery is off by default"), "needs point-in-time recovery")
		s.flag("deletionProtectionEnabled", true, unprotectedByDefault, "needs deletion protection")
		s.cmk("serverSideEncryption.kmsKeyArn")
		if props.IsUnknown(m, "replicas") {
			s.e.CannotVerify(r.URN, "%s: replicas are not known, so their encryption keys cannot be checked", s.label)
		}
		for i, rep := range props.Array(m, "replicas") {
			region := props.String(props.AsObject(rep), "regionName")
			rs := *s
			rs.label = fmt.Sprintf("%s replica in %s", s.label, region)
			rs.cmk(fmt.Sprintf("replicas[%d].kmsKeyArn", i))
		}
	}
}

// networkPolicy reports an OpenSearch Serverless network policy that opens
// collections to the public internet.
func (s *subject) networkPolicy() {
	typ, tst := props.LookupString(s.m, "type")
	doc, dst := props.LookupString(s.m, "policy")
	switch {
	case tst == props.Pending || (strings.EqualFold(typ, "network") && dst == props.Pending):
		s.e.CannotVerify(s.r.URN, "%s: its type or policy is not known, so whether it makes collections public cannot be told", s.label)
		return
	case !strings.EqualFold(typ, "network"):
		return
	}
	var rules []struct {
		AllowFromPublic any
		Rules           []struct{ Resource []string }
	}
	if err := json.Unmarshal([]byte(doc), &rules); err != nil {
		s.e.CannotVerify(s.r.URN, "%s: policy is not a JSON list of network rules (%v)", s.label, err)
		return
	}
	for _, rule := range rules {
		if public, _ := props.ParseBool(resource.NewPropertyValue(rule.AllowFromPublic)); public {
			var names []string
			for _, r := range rule.Rules {
				names = append(names, r.Resource...)
			}
			s.e.Violate(s.r.URN, "%s makes %s reachable from the public internet (AllowFromPublic): allow only VPC endpoints (SourceVPCEs)", s.label, strings.Join(names, ", "))
			return
		}
	}
}

// pendingAt reports whether any of the paths holds a value that is not known.
func pendingAt(m resource.PropertyMap, paths ...string) bool {
	for _, p := range paths {
		if props.IsUnknown(m, p) {
			return true
		}
	}
	return false
}

// protectionStack runs the checks that need more than one resource: S3 public
// access blocks, EBS encryption by default, EFS backup policies and security
// groups judged across all their rules.
func protectionStack(e *Env, d *model.Deployment) {
	checkBuckets(e, d)
	checkVolumes(e, d)
	checkFileSystemBackups(e, d)
	checkSecurityGroups(e, d)
}

// checkBuckets requires every S3 bucket to block public access (with all
// four settings of a bucket or account public access block). S3 encrypts
// every new object at rest (SSE-S3) since January 2023, so encryption needs
// no check.
//
// A block names its bucket by name (PutPublicAccessBlock's Bucket; the AWS
// SDKs refuse an S3 bucket ARN there: aws/aws-sdk#314, boto/boto3#2779). A
// bucket is known by its name, its ID (a bucket's ID is its name) or the name
// in its ARN (arn:partition:s3:::name): the analyzer protocol passes
// properties only, never resource IDs. A block or bucket whose name cannot be
// read is "cannot verify"; a block with no bucket covers nothing.
func checkBuckets(e *Env, d *model.Deployment) {
	blocked := map[string]bool{}
	weak := map[string]string{}  // bucket -> a block that turns a setting off
	byARN := map[string]string{} // bucket ARN a block names -> the block's name
	account, pending := false, ""
	for _, r := range d.Resources {
		if r.Delete {
			// a block pending deletion is about to be gone: it protects nothing
			continue
		}
		s := r.State()
		switch r.Type {
		case "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock":
			switch allTrueStatus(s) {
			case props.Known:
				account = true
			case props.Pending:
				pending = r.Name
			}
		case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
			bucket, bst := props.LookupString(s, "bucket")
			switch st := allTrueStatus(s); {
			case st == props.Missing:
				// a setting is false: it blocks nothing, and beside a block
				// that does, whichever S3 applied last wins
				if bst == props.Known && bucket != "" {
					weak[bucket] = r.Name
				}
			case st == props.Pending || bst == props.Pending:
				pending = r.Name
			case bst != props.Known || bucket == "":
				// no bucket: AWS refuses it, and it covers nothing
			case strings.HasPrefix(bucket, "arn:"):
				byARN[bucketOfARN(bucket)] = r.Name
			default:
				blocked[bucket] = true
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
		names, unreadable := bucketNames(r)
		covered, arnBlock, weakBlock := false, "", ""
		for _, n := range names {
			covered = covered || blocked[n]
			if b, ok := byARN[n]; ok {
				arnBlock = b
			}
			if b, ok := weak[n]; ok {
				weakBlock = b
			}
		}
		switch {
		case weakBlock != "":
			e.Violate(r.URN, "S3 bucket %q does not block public access: the public access block %q names it with a setting false (a bucket has one block; whichever is applied last wins): remove it, or set all four settings true", r.Name, weakBlock)
		case covered:
		case pending != "":
			e.CannotVerify(r.URN, "S3 bucket %q: the public access block %q is not known yet, so whether it covers this bucket cannot be told", r.Name, pending)
		case len(names) == 0 && unreadable && (len(blocked) > 0 || len(byARN) > 0):
			e.CannotVerify(r.URN, "S3 bucket %q: its name is not known (computed, or an encrypted secret), so no public access block can be matched to it: check the deployed state, or export it with --show-secrets", r.Name)
		case arnBlock != "":
			e.Violate(r.URN, "S3 bucket %q does not block public access: the public access block %q names it by its ARN, which S3 does not accept: give the bucket's name (bucket.bucket or bucket.id)", r.Name, arnBlock)
		default:
			e.Violate(r.URN, "S3 bucket %q does not block public access: add an aws.s3.BucketPublicAccessBlock with all four settings true", r.Name)
		}
	}
}

// bucketNames returns the names a bucket is known by (its bucket, its ID,
// the name in its ARN), and whether one of them could not be read.
func bucketNames(r *model.Resource) (names []string, unreadable bool) {
	s := r.State()
	add := func(n string) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	add(r.ID)
	for _, k := range []string{"bucket", "id", "arn"} {
		v, st := props.LookupString(s, k)
		switch {
		case st == props.Pending:
			unreadable = true
		case st == props.Known && k == "arn":
			add(bucketOfARN(v))
		case st == props.Known:
			add(v)
		}
	}
	return names, unreadable
}

// bucketOfARN returns the bucket an S3 bucket ARN names
// (arn:partition:s3:::name), or "".
func bucketOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "s3" || parts[3] != "" || parts[4] != "" || strings.Contains(parts[5], "/") {
		return ""
	}
	return parts[5]
}

// allTrueStatus reports Known when all four public access settings are true,
// Pending when one is not known and none is false, else Missing.
func allTrueStatus(m resource.PropertyMap) props.Status {
	out := props.Known
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		v, st := props.LookupBool(m, k)
		switch {
		case st == props.Pending:
			out = props.Pending
		case st != props.Known || !v:
			return props.Missing
		}
	}
	return out
}

// checkVolumes requires every EBS volume to be encrypted: explicitly
// (`encrypted`: "If true, the disk will be encrypted"; EC2 CreateVolume's
// default is unencrypted) or through an aws.ebs.EncryptionByDefault with
// `enabled` true in the same region of the same deployment.
func checkVolumes(e *Env, d *model.Deployment) {
	byDefault := map[string]props.Status{}
	for _, r := range d.Resources {
		if r.Type != "aws:ebs/encryptionByDefault:EncryptionByDefault" || r.Region == "" {
			continue
		}
		// EncryptionByDefault.Enabled: "Whether or not default EBS encryption is
		// enabled. Valid values: `true` or `false`. Defaults to `true`."
		v, st := props.LookupBool(r.State(), "enabled")
		switch {
		case st == props.Missing || (st == props.Known && v):
			byDefault[r.Region] = props.Known
		case st == props.Pending && byDefault[r.Region] != props.Known:
			byDefault[r.Region] = props.Pending
		}
	}
	for _, r := range d.Resources {
		if r.Type != "aws:ebs/volume:Volume" {
			continue
		}
		s := newSubject(e, r, r.Props())
		v, st := props.LookupBool(s.m, "encrypted")
		if st == props.Missing && r.Region != "" {
			switch byDefault[r.Region] {
			case props.Known:
				continue
			case props.Pending:
				e.CannotVerify(r.URN, "%s: encrypted is not set and EBS encryption by default in %s is not known yet", s.label, r.Region)
				continue
			}
		}
		if st == props.Known && v {
			continue
		}
		s.flag("encrypted", true, defaultBad("EBS volumes are unencrypted by default (no aws.ebs.EncryptionByDefault in its region here)"), "must encrypt data at rest")
	}
}

// checkFileSystemBackups requires every EFS file system to have automatic
// backups: an aws.efs.BackupPolicy with status ENABLED ("Valid values:
// `ENABLED`, `DISABLED`"). EFS CreateFileSystem turns automatic backups on
// only for One Zone file systems or when asked (`Backup`), which pulumi-aws
// does not expose on the file system itself.
func checkFileSystemBackups(e *Env, d *model.Deployment) {
	enabled := map[string]bool{}
	pending := ""
	for _, r := range d.Resources {
		if r.Type != "aws:efs/backupPolicy:BackupPolicy" {
			continue
		}
		s := r.State()
		id, ist := props.LookupString(s, "fileSystemId")
		status, sst := props.LookupString(s, "backupPolicy.status")
		switch {
		case ist == props.Pending || sst == props.Pending:
			pending = r.Name
		case status == "ENABLED":
			enabled[id] = true
		}
	}
	for _, r := range d.Resources {
		if r.Type != "aws:efs/fileSystem:FileSystem" {
			continue
		}
		label := fmt.Sprintf("EFS file system %q", r.Name)
		switch {
		case enabled[r.ID] || enabled[props.String(r.State(), "id")]:
		case pending != "":
			e.CannotVerify(r.URN, "%s: the backup policy %q is not known yet, so whether it covers this file system cannot be told", label, pending)
		default:
			e.Violate(r.URN, "%s has no automatic backups: add an aws.efs.BackupPolicy with backupPolicy.status ENABLED", label)
		}
	}
}
