package policies

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/policies/model"
)

// ResidencyTag on a resource names its jurisdiction, overriding the pack config
// and the stack config for that resource.
const ResidencyTag = "data-residency"

// statefulTypes hold data at rest in their own region.
var statefulTypes = map[string]string{
	"aws:rds/instance:Instance":               "RDS instance",
	"aws:rds/cluster:Cluster":                 "Aurora cluster",
	"aws:rds/clusterInstance:ClusterInstance": "Aurora instance",
	"aws:rds/snapshot:Snapshot":               "RDS snapshot",
	"aws:rds/clusterSnapshot:ClusterSnapshot": "Aurora snapshot",
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": "RDS backup replication",
	"aws:dynamodb/table:Table":                          "DynamoDB table",
	"aws:dynamodb/tableReplica:TableReplica":            "DynamoDB replica",
	"aws:s3/bucket:Bucket":                              "S3 bucket",
	"aws:s3/bucketV2:BucketV2":                          "S3 bucket",
	"aws:ebs/volume:Volume":                             "EBS volume",
	"aws:ebs/snapshot:Snapshot":                         "EBS snapshot",
	"aws:ebs/snapshotCopy:SnapshotCopy":                 "EBS snapshot copy",
	"aws:efs/fileSystem:FileSystem":                     "EFS file system",
	"aws:elasticache/cluster:Cluster":                   "ElastiCache cluster",
	"aws:elasticache/replicationGroup:ReplicationGroup": "ElastiCache replication group",
	"aws:elasticache/serverlessCache:ServerlessCache":   "ElastiCache serverless cache",
	"aws:secretsmanager/secret:Secret":                  "Secrets Manager secret",
	"aws:kms/key:Key":                                   "KMS key",
	"aws:kms/replicaKey:ReplicaKey":                     "KMS replica key",
	"aws:backup/vault:Vault":                            "backup vault",
	"aws:cloudwatch/logGroup:LogGroup":                  "log group",
}

// copyPaths are where a resource names the regions it copies data to.
var copyPaths = map[string]struct{ array, field, what string }{
	"aws:dynamodb/table:Table":         {"replicas", "regionName", "replica"},
	"aws:secretsmanager/secret:Secret": {"replicas", "region", "replica"},
}

func dataResidency() *Policy {
	return &Policy{
		Name: "data-residency",
		Description: "Every stateful resource, and every place it copies data to (replicas, global database " +
			"secondaries, replication and backup copy destinations), is in a region the jurisdiction allows.",
		Level: constant(Mandatory),
		Schema: map[string]any{
			"jurisdiction": map[string]any{"type": "string", "description": "e.g. \"eu\"; default: the stack's multiregion:residency"},
			"jurisdictions": map[string]any{
				"type":                 "object",
				"description":          "jurisdiction -> allowed region patterns (\"eu-*\"), merged over the default table",
				"additionalProperties": map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
			},
		},
		Resource: residencyResource,
		Stack:    residencyStack,
	}
}

// jurisdictionOf returns the jurisdiction that applies to r ("" = none).
func jurisdictionOf(e *Env, r *model.Resource) string {
	for _, m := range []resource.PropertyMap{r.Props(), r.State()} {
		if j := props.String(m, "tags."+ResidencyTag); j != "" {
			return j
		}
	}
	if j := e.stringProp("jurisdiction"); j != "" {
		return j
	}
	if j := e.StackConfig("residency"); j != "" && j != regions.None {
		return j
	}
	return ""
}

// allowedRegions returns the patterns of a jurisdiction, and whether it is known.
func allowedRegions(e *Env, j string) ([]string, bool) {
	if custom, ok := e.Props["jurisdictions"].(map[string]any); ok {
		if list, ok := custom[j].([]any); ok {
			var out []string
			for _, v := range list {
				if s, ok := v.(string); ok {
					out = append(out, s)
				}
			}
			return out, true
		}
	}
	if j == regions.None {
		return []string{"*"}, true
	}
	p, ok := regions.Jurisdictions[j]
	return p, ok
}

// residencyCheck checks one region against r's jurisdiction. where describes
// the copy ("" for the resource itself).
type residencyCheck struct {
	e        *Env
	r        *model.Resource
	j        string
	patterns []string
}

func newResidencyCheck(e *Env, r *model.Resource) *residencyCheck {
	j := jurisdictionOf(e, r)
	if j == "" || j == regions.None {
		return nil
	}
	patterns, ok := allowedRegions(e, j)
	if !ok {
		e.Violate(r.URN, "%s %q: unknown jurisdiction %q: add it to the policy's \"jurisdictions\" config or use one of %s",
			kind(r), r.Name, j, strings.Join(regions.Names(), ", "))
		return nil
	}
	return &residencyCheck{e: e, r: r, j: j, patterns: patterns}
}

// region checks that region is allowed; what names the copy ("" = the resource itself).
func (c *residencyCheck) region(region, what string) {
	if regions.Allowed(region, c.patterns) {
		return
	}
	if what == "" {
		c.e.Violate(c.r.URN, "%s %q is in %s, outside jurisdiction %q (allowed: %s)",
			kind(c.r), c.r.Name, region, c.j, strings.Join(c.patterns, ", "))
		return
	}
	c.e.Violate(c.r.URN, "%s %q copies data to %s (%s), outside jurisdiction %q (allowed: %s)",
		kind(c.r), c.r.Name, region, what, c.j, strings.Join(c.patterns, ", "))
}

// otherKinds name the non-stateful resources residency reports on.
var otherKinds = map[string]string{
	"aws:rds/globalCluster:GlobalCluster":                    "Aurora global database",
	"aws:s3/bucketReplicationConfig:BucketReplicationConfig": "S3 replication",
	"aws:backup/plan:Plan":                                   "backup plan",
}

func kind(r *model.Resource) string {
	if k, ok := statefulTypes[r.Type]; ok {
		return k
	}
	if k, ok := otherKinds[r.Type]; ok {
		return k
	}
	return r.Type
}

// crossRegionSource returns the source ARN of an RDS read replica in another
// region, or "".
func crossRegionSource(r *model.Resource) string {
	if r.Type != "aws:rds/instance:Instance" {
		return ""
	}
	src := props.String(r.Props(), "replicateSourceDb")
	if sr := model.RegionOfARN(src); sr != "" && sr != r.Region {
		return src
	}
	return ""
}

// residencyResource checks a resource's own region and the copies it declares.
func residencyResource(e *Env, r *model.Resource) {
	_, stateful := statefulTypes[r.Type]
	cp, copies := copyPaths[r.Type]
	isBackupPlan := r.Type == "aws:backup/plan:Plan"
	if !stateful && !copies && !isBackupPlan {
		return
	}
	c := newResidencyCheck(e, r)
	if c == nil {
		return
	}
	m := r.Props()
	if stateful {
		switch {
		case r.Region == "":
			e.CannotVerify(r.URN, "%s %q: its region is unknown (no provider region and no aws:region)", kind(r), r.Name)
		case crossRegionSource(r) != "":
			c.region(r.Region, "a cross-region read replica of "+crossRegionSource(r))
		default:
			c.region(r.Region, "")
		}
	}
	if copies {
		if props.IsUnknown(m, cp.array) {
			e.CannotVerify(r.URN, "%s %q: its %s are not known yet", kind(r), r.Name, cp.array)
		}
		for i := range props.Array(m, cp.array) {
			path := fmt.Sprintf("%s[%d].%s", cp.array, i, cp.field)
			if props.IsUnknown(m, path) {
				e.CannotVerify(r.URN, "%s %q: the region of %s is not known yet", kind(r), r.Name, path)
				continue
			}
			c.region(props.String(m, path), cp.what)
		}
	}
	if isBackupPlan {
		for i := range props.Array(m, "rules") {
			for j := range props.Array(m, fmt.Sprintf("rules[%d].copyActions", i)) {
				path := fmt.Sprintf("rules[%d].copyActions[%d].destinationVaultArn", i, j)
				if props.IsUnknown(m, path) {
					e.CannotVerify(r.URN, "backup plan %q: copy destination %s is not known yet", r.Name, path)
					continue
				}
				arn := props.String(m, path)
				if region := model.RegionOfARN(arn); region != "" {
					c.region(region, "backup copy to "+arn)
				}
			}
		}
	}
}

// residencyStack follows replication that only the whole deployment reveals:
// S3 replication destinations (whose region is the destination bucket's) and
// Aurora global cluster members that are not in this deployment.
func residencyStack(e *Env, d *model.Deployment) {
	buckets := map[string]*model.Resource{} // by ARN, name and ID
	inDeployment := map[string]bool{}       // cluster ARNs present here
	for _, r := range d.Resources {
		s := r.State()
		switch r.Type {
		case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
			for _, k := range []string{props.String(s, "arn"), props.String(s, "bucket"), r.ID} {
				if k != "" {
					buckets[k] = r
				}
			}
		case "aws:rds/cluster:Cluster":
			if arn := props.String(s, "arn"); arn != "" {
				inDeployment[arn] = true
			}
		}
	}
	for _, r := range d.Resources {
		s := r.State()
		var rules string
		switch r.Type {
		case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
			rules = "rules"
		case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
			rules = "replicationConfiguration.rules"
		case "aws:rds/globalCluster:GlobalCluster":
			globalMembers(e, r, inDeployment)
			continue
		default:
			continue
		}
		for i := range props.Array(s, rules) {
			path := fmt.Sprintf("%s[%d].destination.bucket", rules, i)
			if props.IsUnknown(s, path) {
				e.CannotVerify(r.URN, "S3 replication %q: destination %s is not known yet", r.Name, path)
				continue
			}
			dest := props.String(s, path)
			if dest == "" {
				continue
			}
			c := newResidencyCheck(e, r)
			if c == nil {
				continue
			}
			target := buckets[dest]
			if target == nil {
				target = buckets[strings.TrimPrefix(dest, "arn:aws:s3:::")]
			}
			if target == nil || target.Region == "" {
				e.CannotVerify(r.URN, "S3 replication %q: destination bucket %s is not in this deployment, so its region is unknown", r.Name, dest)
				continue
			}
			c.region(target.Region, "S3 replication to "+dest)
		}
	}
}

// globalMembers checks the regions of an Aurora global cluster's members that
// are outside the deployment (members inside it are checked as clusters).
func globalMembers(e *Env, g *model.Resource, inDeployment map[string]bool) {
	s := g.State()
	if props.IsUnknown(s, "globalClusterMembers") {
		return // a planned global cluster: its members are the clusters in the plan
	}
	for _, m := range props.Array(s, "globalClusterMembers") {
		if !m.IsObject() {
			continue
		}
		arn := props.String(props.AsObject(m), "dbClusterArn")
		if arn == "" || inDeployment[arn] {
			continue
		}
		c := newResidencyCheck(e, g)
		if c == nil {
			return
		}
		if region := model.RegionOfARN(arn); region != "" {
			c.region(region, "global database secondary "+arn)
		}
	}
}
