package policies

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/policies/model"
)

// ResidencyTag on a resource narrows its jurisdiction (a stack under "eu" may
// pin one resource to ["eu-central-1"] through a jurisdiction of the policy
// config). It can never widen or disable the jurisdiction: "none", or a
// jurisdiction that allows a region the stack's does not, is reported.
const ResidencyTag = "data-residency"

// kinds are display names of common types, for messages.
var kinds = map[string]string{
	"aws:rds/instance:Instance":                                   "RDS instance",
	"aws:rds/cluster:Cluster":                                     "Aurora cluster",
	"aws:rds/clusterInstance:ClusterInstance":                     "Aurora instance",
	"aws:rds/snapshot:Snapshot":                                   "RDS snapshot",
	"aws:rds/snapshotCopy:SnapshotCopy":                           "RDS snapshot copy",
	"aws:rds/clusterSnapshot:ClusterSnapshot":                     "Aurora snapshot",
	"aws:rds/globalCluster:GlobalCluster":                         "Aurora global database",
	"aws:docdb/cluster:Cluster":                                   "DocumentDB cluster",
	"aws:neptune/cluster:Cluster":                                 "Neptune cluster",
	"aws:redshift/cluster:Cluster":                                "Redshift cluster",
	"aws:opensearch/domain:Domain":                                "OpenSearch domain",
	"aws:dynamodb/table:Table":                                    "DynamoDB table",
	"aws:dynamodb/tableReplica:TableReplica":                      "DynamoDB replica",
	"aws:dynamodb/globalTable:GlobalTable":                        "DynamoDB global table (legacy)",
	"aws:s3/bucket:Bucket":                                        "S3 bucket",
	"aws:s3/bucketV2:BucketV2":                                    "S3 bucket",
	"aws:ebs/volume:Volume":                                       "EBS volume",
	"aws:efs/fileSystem:FileSystem":                               "EFS file system",
	"aws:elasticache/cluster:Cluster":                             "ElastiCache cluster",
	"aws:secretsmanager/secret:Secret":                            "Secrets Manager secret",
	"aws:kms/key:Key":                                             "KMS key",
	"aws:backup/vault:Vault":                                      "backup vault",
	"aws:backup/plan:Plan":                                        "backup plan",
	"aws:cloudwatch/logGroup:LogGroup":                            "log group",
	"aws:ecr/repository:Repository":                               "ECR repository",
	"aws:ecr/replicationConfiguration:ReplicationConfiguration":   "ECR replication",
	"aws:s3/bucketReplicationConfig:BucketReplicationConfig":      "S3 replication",
	"aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint": "S3 multi-region access point",
	"aws:elasticache/replicationGroup:ReplicationGroup":           "ElastiCache replication group",
}

func kind(r *model.Resource) string {
	if k, ok := kinds[r.Type]; ok {
		return k
	}
	return r.Type
}

// awsTypePattern is the shape of a pulumi-aws or aws-native type token, for exemptTypes.
const awsTypePattern = `^(aws:[a-zA-Z0-9]+/[a-zA-Z0-9]+:[a-zA-Z0-9]+|aws-native:[a-zA-Z0-9]+:[a-zA-Z0-9]+)$`

func dataResidency() *Policy {
	return &Policy{
		Name: "data-residency",
		Description: "Deny by default: every regional AWS resource, and every place it sends data to or depends on " +
			"(any region or regional ARN in its properties, replicas, global database members, replication and copy " +
			"destinations), is in a region the jurisdiction allows. Global services are an explicit exemption list.",
		Level: constant(Mandatory),
		Schema: map[string]any{
			"jurisdiction": map[string]any{"type": "string", "minLength": 1,
				"description": "e.g. \"eu\"; default: the stack's multiregion:residency"},
			"jurisdictions": map[string]any{
				"type":        "object",
				"description": "jurisdiction -> allowed region patterns (\"eu-*\"), merged over the default table",
				"additionalProperties": map[string]any{"type": "array", "minItems": 1,
					"items": map[string]any{"type": "string", "pattern": `^(\*|[a-z]{2}(-[a-z0-9]+)*(-\*|-[0-9]+)?)$`}},
			},
			"exemptTypes": map[string]any{
				"type":        "array",
				"description": "more resource types to exempt from residency (location and destinations), e.g. \"aws:acm/certificate:Certificate\"",
				"items":       map[string]any{"type": "string", "pattern": awsTypePattern},
			},
		},
		Validate: validateJurisdictions,
		Resource: residencyResource,
		Stack:    residencyStack,
	}
}

// validateJurisdictions refuses a "jurisdictions" entry that redefines a
// built-in jurisdiction more widely: a stack whose multiregion:residency says
// "eu" must not pass with us-east-1 because a policy config quietly made "eu"
// mean "*". A built-in may be narrowed; a wider set needs a new name, chosen
// openly with data-residency.jurisdiction.
func validateJurisdictions(props map[string]any) []string {
	custom, _ := props["jurisdictions"].(map[string]any)
	var errs []string
	for _, name := range slices.Sorted(maps.Keys(custom)) {
		base, builtin := regions.Jurisdictions[name]
		if !builtin {
			continue
		}
		list, _ := custom[name].([]any)
		var patterns []string
		for _, v := range list {
			if p, ok := v.(string); ok {
				patterns = append(patterns, p)
			}
		}
		if !regions.Within(patterns, base) {
			errs = append(errs, fmt.Sprintf("data-residency.jurisdictions.%s: %s would widen the built-in jurisdiction %q (%s): a built-in may only be narrowed; give the wider set a new name and select it with data-residency.jurisdiction",
				name, strings.Join(patterns, ", "), name, strings.Join(base, ", ")))
		}
	}
	return errs
}

// residencySettings is the policy config read once per evaluation.
type residencySettings struct {
	// base is the jurisdiction of every resource ("" = none), from the policy
	// config, else the stack's multiregion:residency.
	base     string
	from     string
	patterns []string
	// unknown is set when base is not a known jurisdiction.
	unknown, reportedUnknown bool
	exempt                   map[string]bool
	custom                   map[string][]string
	// scratch is the destination scan's path buffer, reused across resources.
	scratch []pathSeg
	// ranResources is set once the resource check ran in this evaluation,
	// with the S3 ARNs it found pending; else (the analyzer's stack call)
	// the stack check finds them itself.
	ranResources bool
	pending      []pendingBucket
}

func (e *Env) residencySettings() *residencySettings {
	if e.residency != nil {
		return e.residency
	}
	s := &residencySettings{exempt: map[string]bool{}, custom: map[string][]string{}}
	if custom, ok := e.Props["jurisdictions"].(map[string]any); ok {
		for name, list := range custom {
			l, _ := list.([]any)
			for _, v := range l {
				if p, ok := v.(string); ok {
					s.custom[name] = append(s.custom[name], p)
				}
			}
		}
	}
	if list, ok := e.Props["exemptTypes"].([]any); ok {
		for _, v := range list {
			if t, ok := v.(string); ok {
				s.exempt[t] = true
			}
		}
	}
	switch j := e.stringProp("jurisdiction"); {
	case j != "":
		s.base, s.from = j, "data-residency.jurisdiction"
	case e.StackConfig("residency") != "":
		s.base, s.from = e.StackConfig("residency"), "multiregion:residency"
	}
	if s.base == regions.None {
		s.base = ""
	}
	if s.base != "" {
		p, ok := s.allowed(s.base)
		s.patterns, s.unknown = p, !ok
	}
	e.residency = s
	return s
}

// allowed returns the patterns of a jurisdiction, and whether it is known.
func (s *residencySettings) allowed(j string) ([]string, bool) {
	if p, ok := s.custom[j]; ok {
		return p, true
	}
	if j == regions.None {
		return []string{"*"}, true
	}
	p, ok := regions.Jurisdictions[j]
	return p, ok
}

func (s *residencySettings) names() string {
	names := regions.Names()
	for _, k := range slices.Sorted(maps.Keys(s.custom)) {
		if !slices.Contains(names, k) {
			names = append(names, k)
		}
	}
	return strings.Join(names, ", ")
}

// residencyNote says when the policy has nothing to enforce.
func residencyNote(e *Env) string {
	if e.residencySettings().base != "" {
		return ""
	}
	return "no jurisdiction (multiregion:residency is none or unset, no data-residency.jurisdiction in the policy config): " +
		"nothing to enforce except on resources tagged data-residency"
}

// residencyCheck checks regions against one resource's jurisdiction.
type residencyCheck struct {
	e        *Env
	r        *model.Resource
	j        string
	patterns []string
}

// newResidencyCheck returns the check for r, or ok=false when no jurisdiction
// applies to it or its type is exempt. It reports tags that try to widen or
// disable the jurisdiction, and unknown jurisdictions.
func newResidencyCheck(e *Env, r *model.Resource) (c residencyCheck, ok bool) {
	if !r.IsAWS() && !isAWSNative(r) {
		return residencyCheck{}, false // residency governs AWS regions; other providers are not located by region
	}
	s := e.residencySettings()
	if s.exempt[r.Type] {
		return residencyCheck{}, false
	}
	j, patterns := s.base, s.patterns
	if s.unknown {
		if !s.reportedUnknown {
			// once per evaluation, for the stack: every resource would say the same
			s.reportedUnknown = true
			e.Violate("", "unknown jurisdiction %q (from %s): nothing can be checked against it: add it to the policy's \"jurisdictions\" config or use one of %s",
				s.base, s.from, s.names())
		}
		return residencyCheck{}, false
	}
	tag, tagged, tagUnknown := residencyTag(r)
	switch {
	case tagUnknown:
		e.CannotVerify(r.URN, "%s %q: its %s tag is not known (unknown or an encrypted secret), so a narrower jurisdiction may apply: make the tag a plain value",
			kind(r), r.Name, ResidencyTag)
	case tagged && tag == regions.None && j != "":
		e.Violate(r.URN, "%s %q: tag %s=none cannot disable jurisdiction %q (%s): tags may only narrow it; remove the tag or exempt the type in data-residency.exemptTypes",
			kind(r), r.Name, ResidencyTag, j, s.from)
	case tagged && tag != regions.None:
		tp, ok := s.allowed(tag)
		switch {
		case !ok:
			e.Violate(r.URN, "%s %q: tag %s=%s names an unknown jurisdiction: add it to the policy's \"jurisdictions\" config or use one of %s",
				kind(r), r.Name, ResidencyTag, tag, s.names())
		case j == "" || regions.Within(tp, patterns):
			j, patterns = tag, tp
		default:
			e.Violate(r.URN, "%s %q: tag %s=%s (%s) would widen jurisdiction %q (%s, from %s): tags may only narrow it; remove the tag or change it to a subset",
				kind(r), r.Name, ResidencyTag, tag, strings.Join(tp, ", "), j, strings.Join(patterns, ", "), s.from)
		}
	}
	if j == "" {
		return residencyCheck{}, false
	}
	return residencyCheck{e: e, r: r, j: j, patterns: patterns}, true
}

// isAWSNative reports whether r is a pulumi-aws-native resource: an AWS
// resource too, in a region the model does not resolve (deny by default).
func isAWSNative(r *model.Resource) bool { return strings.HasPrefix(r.Type, "aws-native:") }

// residencyTag reads the data-residency tag from tags, else tagsAll (which
// adds the provider's default tags), in the inputs, else the outputs. It runs
// for every AWS resource, so it reads the maps directly rather than by path.
func residencyTag(r *model.Resource) (tag string, tagged, unknown bool) {
	in, out := r.Props(), r.State()
	maps := []resource.PropertyMap{in, out}
	if len(in) == 0 || len(out) == 0 || reflect.ValueOf(in).UnsafePointer() == reflect.ValueOf(out).UnsafePointer() {
		maps = maps[:1]
	}
	for _, key := range []resource.PropertyKey{"tags", "tagsAll"} {
		for _, m := range maps {
			tags, ok := m[key]
			if !ok {
				continue
			}
			if props.Unknown(tags) {
				return "", false, true
			}
			obj := props.AsObject(tags)
			if obj == nil {
				continue
			}
			v, ok := obj[ResidencyTag]
			switch {
			case !ok:
			case props.Unknown(v):
				return "", false, true
			case props.Unwrap(v).IsString() && props.Unwrap(v).StringValue() != "":
				return props.Unwrap(v).StringValue(), true, false
			}
		}
	}
	return "", false, false
}

// allows reports whether region is in the jurisdiction.
func (c residencyCheck) allows(region string) bool { return regions.Allowed(region, c.patterns) }

func (c residencyCheck) outside(region, format string, args ...any) {
	c.e.Violate(c.r.URN, "%s, outside jurisdiction %q (allowed: %s)", fmt.Sprintf(format, args...), c.j, strings.Join(c.patterns, ", "))
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

// residencyResource checks a resource's own location and every region its
// properties name.
func residencyResource(e *Env, r *model.Resource) {
	c, ok := newResidencyCheck(e, r)
	if !ok {
		return
	}
	global := regions.GlobalReason(r.Type, props.String(r.Props(), "scope"))
	switch {
	case global != "":
		// exempt from the location check; destinations are still checked below
	case isAWSNative(r) && r.Region == "":
		e.CannotVerify(r.URN, "%s %q: the pack does not locate aws-native resources by their provider yet: use the aws provider, or exempt the type in data-residency.exemptTypes once you have checked its region",
			kind(r), r.Name)
	case r.RegionUnknown != "":
		e.CannotVerify(r.URN, "%s %q: its region cannot be read: %s", kind(r), r.Name, r.RegionUnknown)
	case r.Region == "":
		e.CannotVerify(r.URN, "%s %q: its region is unknown (no region input, no provider region and no aws:region): set the provider's region or aws:region",
			kind(r), r.Name)
	case !c.allows(r.Region):
		if src := crossRegionSource(r); src != "" {
			c.outside(r.Region, "%s %q copies data to %s (a cross-region read replica of %s)", kind(r), r.Name, r.Region, src)
		} else {
			c.outside(r.Region, "%s %q is in %s", kind(r), r.Name, r.Region)
		}
	}
	settings := e.residencySettings()
	settings.ranResources = true
	d := destinationScan{c: c, ignore: regions.NotDestinations[r.Type], path: settings.scratch[:0]}
	if _, named := bucketPaths[r.Type]; !named {
		d.s3 = &settings.pending
	}
	defer func() { settings.scratch = d.path[:0] }()
	if global == "" {
		// a destination in the resource's own region is judged by the location check
		d.own = r.Region
	}
	d.walk(r.Props())
	// inputs and outputs are often the same map (planned resources, analyzer
	// calls); a deployed state has both, and outputs may add destinations
	if len(r.Inputs) > 0 && len(r.Outputs) > 0 && reflect.ValueOf(r.Inputs).UnsafePointer() != reflect.ValueOf(r.Outputs).UnsafePointer() {
		d.walk(r.Outputs)
	}
	d.report()
}

// destinationScan walks a resource's properties for the places it sends data
// to or depends on: every key that names a region (region, regions,
// regionName, destinationRegion, peerRegion, sourceRegion, homeRegion, ...:
// the pulumi-aws v6.83.4 schema has about 60 such keys, all ending in
// "region", "regions" or "regionName") and every string that is an ARN with a
// region, at any depth. Keys that hold destinations (replicas, replication
// rules, copy actions) are "cannot verify" when not known.
//
// It runs on every AWS resource of a stack with a jurisdiction, so the walk
// allocates nothing unless it finds something: the path is a stack of
// segments, formatted only for a finding.
type destinationScan struct {
	c      residencyCheck
	ignore map[string]bool
	own    string
	path   []pathSeg
	// findings outside the jurisdiction, and unknown destinations
	found   []finding
	unknown []finding
	// s3, when set, collects S3 ARNs (buckets named without a region) for
	// the stack check to resolve in the deployment
	s3 *[]pendingBucket
}

// pendingBucket is an S3 ARN a resource names, to resolve in the deployment.
type pendingBucket struct {
	c         residencyCheck
	path, arn string
}

type pathSeg struct {
	key   string
	index int // -1 for a key
}

type finding struct {
	region, what string
	secret       bool
}

func (d *destinationScan) pathString() string {
	var b strings.Builder
	for i, p := range d.path {
		switch {
		case p.index >= 0:
			fmt.Fprintf(&b, "[%d]", p.index)
		case i > 0:
			b.WriteByte('.')
			b.WriteString(p.key)
		default:
			b.WriteString(p.key)
		}
	}
	return b.String()
}

// report emits one violation per region outside the jurisdiction (naming
// every path that sends data there) and one "cannot verify" per unknown path.
func (d *destinationScan) report() {
	if len(d.found) > 0 {
		byRegion := map[string][]string{}
		for _, f := range d.found {
			if !slices.Contains(byRegion[f.region], f.what) {
				byRegion[f.region] = append(byRegion[f.region], f.what)
			}
		}
		for _, region := range slices.Sorted(maps.Keys(byRegion)) {
			whats := byRegion[region]
			slices.Sort(whats)
			d.c.outside(region, "%s %q copies data to %s (%s)", kind(d.c.r), d.c.r.Name, region, strings.Join(whats, "; "))
		}
	}
	seen := map[string]bool{}
	slices.SortFunc(d.unknown, func(a, b finding) int { return strings.Compare(a.what, b.what) })
	for _, u := range d.unknown {
		if seen[u.what] {
			continue
		}
		seen[u.what] = true
		why := "is not known yet"
		if u.secret {
			why = "is an encrypted secret: export the state with --show-secrets (or pass the plaintext) so it can be read"
		}
		d.c.e.CannotVerify(d.c.r.URN, "%s %q: %s %s, and may name a region outside jurisdiction %q", kind(d.c.r), d.c.r.Name, u.what, why, d.c.j)
	}
}

// skippedKeys hold no destinations: tags carry labels (the provider's default
// tags include a "region" tag).
var skippedKeys = map[string]bool{"tags": true, "tagsAll": true}

// destinationContainers hold destinations; an unknown value there hides them.
var destinationContainers = map[string]bool{
	"replicas": true, "replica": true, "replicationConfiguration": true, "replicationConfigurations": true,
	"destination": true, "destinations": true, "copyActions": true, "replicationRegions": true,
}

// walk scans a property map; arn and id at the top are the resource itself.
func (d *destinationScan) walk(m resource.PropertyMap) {
	for k, v := range m {
		key := string(k)
		if key == "arn" && d.own != "" && v.IsString() {
			// the resource's own ARN is where it is: one in another region
			// than its provider's (outputs that disagree with the inputs) is
			// judged like its location
			if region := regionOfARN(v.StringValue()); region != "" && region != d.own && !d.c.allows(region) {
				d.c.outside(region, "%s %q is in %s (its own arn %s, while its provider or region input says %s)",
					kind(d.c.r), d.c.r.Name, region, v.StringValue(), d.own)
			}
			continue
		}
		if skippedKeys[key] || d.ignore[key] || key == "arn" || key == "id" {
			continue
		}
		d.path = append(d.path[:0], pathSeg{key: key, index: -1})
		if region := namedRegion(key); region != "" && region != d.own && !d.c.allows(region) {
			d.found = append(d.found, finding{region: region, what: key + " (a key)"})
		}
		d.value(key, v)
	}
}

// hasSuffixFold reports whether s ends with suffix, ignoring the case of
// suffix's first letter ("region" matches "destinationRegion").
func hasSuffixFold(s, suffix string) bool {
	if len(s) < len(suffix) {
		return false
	}
	tail := s[len(s)-len(suffix):]
	return tail[1:] == suffix[1:] && (tail[0] == suffix[0] || tail[0] == suffix[0]-'a'+'A')
}

func isRegionKey(key string) bool {
	return hasSuffixFold(key, "region") || hasSuffixFold(key, "regions") || hasSuffixFold(key, "regionName")
}

func isARNKey(key string) bool {
	return hasSuffixFold(key, "arn") || hasSuffixFold(key, "arns") || strings.HasSuffix(key, "ARN")
}

// regionOfARN returns the region field of an ARN when it has the shape of a
// region ("" otherwise), without allocating.
func regionOfARN(s string) string {
	if !strings.HasPrefix(s, "arn:") {
		return ""
	}
	rest := s[4:]
	for range 2 { // partition, service
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			return ""
		}
		rest = rest[i+1:]
	}
	// the region field ends at the next ':'; a malformed ARN that stops
	// after it ("arn:aws:sqs:us-east-1") still names it
	r := rest
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		r = rest[:i]
	}
	// AWS reads region names case-insensitively in places; an ARN written
	// "US-EAST-1" or " us-east-1" names us-east-1 (ToLower and TrimSpace
	// allocate nothing for a name already in canonical form)
	if r = strings.ToLower(strings.TrimSpace(r)); regions.LooksLikeRegion(r) {
		return r
	}
	return ""
}

// canonicalRegion returns s as a region name in canonical form (trimmed,
// lower case) when it has a region's shape, else "".
func canonicalRegion(s string) string {
	if r := strings.ToLower(strings.TrimSpace(s)); regions.LooksLikeRegion(r) {
		return r
	}
	return ""
}

// namedRegion returns the region s names when s, under a key that does not
// say it holds a region ("targetLocation", a map key), is exactly a known
// region name (any case, surrounding spaces), else "". Only known names count
// here: names such as "my-app-1" have a region's shape.
func namedRegion(s string) string {
	if len(s) < 9 || len(s) > 20 {
		return ""
	}
	if r := strings.ToLower(strings.TrimSpace(s)); regions.Known[r] != "" {
		return r
	}
	return ""
}

// jsonStringKeys hold JSON documents as strings whose content sends data
// somewhere: ECS container definitions (awslogs-region, image registries),
// Cloud Control desired states (any CloudFormation type), Step Functions
// definitions. IAM policy documents are not read: a permission is not a
// data flow.
var jsonStringKeys = map[string]bool{"containerDefinitions": true, "desiredState": true, "definition": true}

// regionOfEndpoint returns the region in an AWS endpoint host or URL
// ("https://sqs.us-east-1.amazonaws.com/123/q", "123.dkr.ecr.eu-west-1.amazonaws.com/app"),
// or "".
func regionOfEndpoint(s string) string {
	end := strings.Index(s, ".amazonaws.com")
	host := s[:end]
	if i := strings.LastIndex(host, "/"); i >= 0 {
		host = host[i+1:]
	}
	for host != "" {
		label := host
		if i := strings.LastIndexByte(host, '.'); i >= 0 {
			label, host = host[i+1:], host[:i]
		} else {
			host = ""
		}
		if regions.LooksLikeRegion(label) {
			return label
		}
	}
	return ""
}

// value checks one property value; key is its nearest object key.
func (d *destinationScan) value(key string, v resource.PropertyValue) {
	if props.Unknown(v) {
		switch {
		case isRegionKey(key), destinationContainers[key]:
		case (isARNKey(key) || jsonStringKeys[key]) && d.c.e.Final:
			// a JSON document (a Cloud Control desired state, container
			// definitions) that cannot be read hides every place it names
		default:
			return
		}
		d.unknown = append(d.unknown, finding{what: d.pathString(), secret: v.IsSecret()})
		return
	}
	v = props.Unwrap(v)
	switch {
	case v.IsString():
		s := v.StringValue()
		region, arn := "", false
		if jsonStringKeys[key] && len(s) > 1 && (s[0] == '{' || s[0] == '[') {
			// a JSON document: read what it names (one that does not parse
			// is scanned as text below)
			var doc any
			if json.Unmarshal([]byte(s), &doc) == nil {
				d.value(key, resource.NewPropertyValue(doc))
				return
			}
		}
		switch {
		case isRegionKey(key) && canonicalRegion(s) != "":
			region = canonicalRegion(s)
		case namedRegion(s) != "":
			// a known region name under any key ("targetLocation": "us-east-1")
			region = namedRegion(s)
		case strings.HasPrefix(s, "arn:"):
			region, arn = regionOfARN(s), true
			if region == "" && d.s3 != nil && strings.Contains(s, ":s3:::") {
				*d.s3 = append(*d.s3, pendingBucket{c: d.c, path: d.pathString(), arn: s})
			}
		case strings.Contains(s, ".amazonaws.com"):
			region, arn = regionOfEndpoint(s), true
		case strings.Contains(s, "arn:"):
			// ARNs inside a longer string ("queues: arn:aws:sqs:...")
			region, arn = "", true
		}
		if arn && (strings.Count(s, "arn:") > 1 || strings.Count(s, ".amazonaws.com") > 1 || (region == "" && (strings.Contains(s, "arn:") || strings.Contains(s, ".amazonaws.com")))) {
			// several ARNs or endpoints in one string ("arn:...:a,arn:...:b"),
			// or one after other text: each names a place
			for _, r := range embeddedRegions(s) {
				if r != d.own && !d.c.allows(r) {
					d.found = append(d.found, finding{region: r, what: d.pathString() + " = " + abbrevValue(s)})
				}
			}
			return
		}
		if region == "" || region == d.own || d.c.allows(region) {
			return
		}
		what := d.pathString()
		if arn {
			what += " = " + s
		}
		d.found = append(d.found, finding{region: region, what: what})
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			d.path = append(d.path, pathSeg{index: i})
			d.value(key, e)
			d.path = d.path[:len(d.path)-1]
		}
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			sub := string(k)
			if skippedKeys[sub] {
				continue
			}
			d.path = append(d.path, pathSeg{key: sub, index: -1})
			if region := namedRegion(sub); region != "" && region != d.own && !d.c.allows(region) {
				// a map keyed by region ({"us-east-1": {...}}) names it
				d.found = append(d.found, finding{region: region, what: d.pathString() + " (a key)"})
			}
			d.value(sub, e)
			d.path = d.path[:len(d.path)-1]
		}
	}
}

// embeddedRegions returns the regions of every ARN and AWS endpoint inside s.
func embeddedRegions(s string) []string {
	var out []string
	add := func(r string) {
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	for i := 0; ; {
		j := strings.Index(s[i:], "arn:")
		if j < 0 {
			break
		}
		add(regionOfARN(s[i+j:]))
		i += j + len("arn:")
	}
	for i := 0; ; {
		j := strings.Index(s[i:], ".amazonaws.com")
		if j < 0 {
			break
		}
		end := i + j + len(".amazonaws.com")
		start := strings.LastIndexAny(s[:i+j], " ,;\"'\n\t=") + 1
		add(regionOfEndpoint(s[start:end]))
		i = end
	}
	return out
}

// abbrevValue shortens a long property value for a message.
func abbrevValue(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// bucketPaths are where S3 resources name replication destination buckets
// (by name or ARN, without a region): the legacy aws:s3/bucket:Bucket and
// BucketReplicationConfig shape, BucketV2's inline v6 shape, and a multi-region
// access point's buckets.
var bucketPaths = map[string][]string{
	"aws:s3/bucket:Bucket":                                        {"replicationConfiguration.rules[*].destination.bucket", "loggings[*].targetBucket"},
	"aws:s3/bucketV2:BucketV2":                                    {"replicationConfigurations[*].rules[*].destinations[*].bucket", "replicationConfiguration.rules[*].destination.bucket", "loggings[*].targetBucket"},
	"aws:s3/bucketReplicationConfig:BucketReplicationConfig":      {"rules[*].destination.bucket"},
	"aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint": {"details.regions[*].bucket", "details[*].regions[*].bucket"},
	// logs written to a bucket named by name
	"aws:s3/bucketLoggingV2:BucketLoggingV2": {"targetBucket"},
	"aws:lb/loadBalancer:LoadBalancer":       {"accessLogs.bucket", "connectionLogs.bucket"},
	"aws:alb/loadBalancer:LoadBalancer":      {"accessLogs.bucket", "connectionLogs.bucket"},
	"aws:cloudtrail/trail:Trail":             {"s3BucketName"},
}

// globalMemberships name a global data store by identifier: the member's
// key, and the global type it must resolve to inside the deployment.
var globalMemberships = []struct{ key, global string }{
	{"globalClusterIdentifier", "aws:rds/globalCluster:GlobalCluster"},
	{"globalClusterIdentifier", "aws:docdb/globalCluster:GlobalCluster"},
	{"globalClusterIdentifier", "aws:neptune/globalCluster:GlobalCluster"},
	{"globalReplicationGroupId", "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"},
}

// memberTypes are the types that join a global store, with the key naming it
// (pulumi-aws v6.83.4: rds, docdb and neptune clusters; ElastiCache
// replication groups).
var memberTypes = map[string]resource.PropertyKey{
	"aws:rds/cluster:Cluster":                           "globalClusterIdentifier",
	"aws:docdb/cluster:Cluster":                         "globalClusterIdentifier",
	"aws:neptune/cluster:Cluster":                       "globalClusterIdentifier",
	"aws:elasticache/replicationGroup:ReplicationGroup": "globalReplicationGroupId",
}

// providerEndpoints judges an AWS provider's endpoint overrides
// (pulumi-aws ProviderArgs.Endpoints: one URL per service): every API call of
// that service, for every resource of the provider, goes to that URL, not to
// the provider's region. An AWS endpoint in a region outside the jurisdiction
// is a violation; a host that names no AWS region (a proxy, LocalStack) is
// "cannot verify".
func providerEndpoints(e *Env, r *model.Resource) {
	s := e.residencySettings()
	if s.base == "" || s.unknown {
		return
	}
	c := residencyCheck{e: e, r: r, j: s.base, patterns: s.patterns}
	seen := map[string]bool{}
	for _, m := range []resource.PropertyMap{r.Props(), r.State()} {
		v, ok := m["endpoints"]
		if !ok {
			continue
		}
		eachString(v, "endpoints", func(path string, val resource.PropertyValue) {
			if props.Unknown(val) {
				if !seen[path] {
					seen[path] = true
					e.CannotVerify(r.URN, "provider %q: endpoint override %s is not known (unknown or an encrypted secret), so where its API calls go cannot be told", r.Name, path)
				}
				return
			}
			url := strings.TrimSpace(val.StringValue())
			if url == "" || seen[path+"="+url] {
				return
			}
			seen[path+"="+url] = true
			region := ""
			if strings.Contains(strings.ToLower(url), ".amazonaws.com") {
				region = regionOfEndpoint(strings.ToLower(url))
			}
			switch {
			case region == "":
				e.CannotVerify(r.URN, "provider %q: endpoint override %s = %s names no AWS region, so where its resources' API calls (and data) go cannot be told: remove the override", r.Name, path, url)
			case !c.allows(region):
				c.outside(region, "provider %q sends API calls to %s (endpoint override %s = %s)", r.Name, region, path, url)
			}
		})
	}
}

// eachString calls fn for every string or unknown value in v, with its path.
func eachString(v resource.PropertyValue, path string, fn func(string, resource.PropertyValue)) {
	if props.Unknown(v) {
		fn(path, v)
		return
	}
	v = props.Unwrap(v)
	switch {
	case v.IsString():
		fn(path, v)
	case v.IsArray():
		for i, el := range v.ArrayValue() {
			eachString(el, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case v.IsObject():
		for _, k := range slices.Sorted(maps.Keys(v.ObjectValue())) {
			eachString(v.ObjectValue()[k], path+"."+string(k), fn)
		}
	}
}

// residencyStack resolves destinations known only by name inside the
// deployment: S3 buckets (replication, access points, logs, and S3 ARNs at
// any key) and the global database or datastore a cluster joins. A name that
// does not resolve is "cannot verify", never a pass.
func residencyStack(e *Env, d *model.Deployment) {
	if msg := residencyNote(e); msg != "" {
		e.Note("%s", msg)
	}
	buckets := map[string]*model.Resource{} // by name, ARN and ID
	globals := map[string]bool{}            // "type|identifier" of global stores here
	for _, r := range d.Resources {
		if strings.HasPrefix(r.Type, "pulumi:providers:aws") {
			providerEndpoints(e, r)
		}
		switch r.Type {
		case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
			for _, m := range []resource.PropertyMap{r.Props(), r.State()} {
				for _, k := range []string{props.String(m, "arn"), props.String(m, "bucket")} {
					if k != "" {
						buckets[k] = r
					}
				}
			}
			if r.ID != "" {
				buckets[r.ID] = r
			}
		}
		for _, g := range globalMemberships {
			if r.Type != g.global {
				continue
			}
			for _, m := range []resource.PropertyMap{r.Props(), r.State()} {
				if id := props.String(m, g.key); id != "" {
					globals[g.global+"|"+id] = true
				}
			}
			if r.ID != "" {
				globals[g.global+"|"+r.ID] = true
			}
		}
	}
	// S3 ARNs name a bucket without its region, at any key (Firehose
	// bucketArn, flow log logDestination, ...): the resource check collected
	// them, or (the analyzer's stack call) they are found here
	settings := e.residencySettings()
	if settings.ranResources {
		slices.SortStableFunc(settings.pending, func(a, b pendingBucket) int {
			if c := strings.Compare(a.c.r.URN, b.c.r.URN); c != 0 {
				return c
			}
			return strings.Compare(a.path, b.path)
		})
		for _, p := range settings.pending {
			resolveBucket(e, p.c, buckets, p.path, p.arn)
		}
	} else if settings.base != "" {
		var scan s3ARNScan
		for _, r := range d.Resources {
			if _, named := bucketPaths[r.Type]; named || !r.IsAWS() {
				continue
			}
			scan.found = scan.found[:0]
			scan.walk(r.State())
			if len(scan.found) == 0 {
				continue
			}
			if c, ok := newResidencyCheckQuiet(e, r); ok {
				slices.SortFunc(scan.found, func(a, b bucketRef) int { return strings.Compare(a.path, b.path) })
				for _, a := range scan.found {
					resolveBucket(e, c, buckets, a.path, a.arn)
				}
			}
		}
	}
	for _, r := range d.Resources {
		paths, hasBuckets := bucketPaths[r.Type]
		memberOf := ""
		if key, ok := memberTypes[r.Type]; ok {
			if v, ok := r.Props()[key]; ok && !v.IsNull() && (!v.IsString() || v.StringValue() != "") {
				memberOf = string(key)
			}
		}
		if !hasBuckets && memberOf == "" {
			continue
		}
		c, ok := newResidencyCheckQuiet(e, r)
		if !ok {
			continue
		}
		for _, p := range paths {
			eachPath(r.State(), p, func(path string, v resource.PropertyValue) {
				if props.Unknown(v) {
					e.CannotVerify(r.URN, "%s %q: destination %s is not known, so its region is unknown", kind(r), r.Name, path)
					return
				}
				if v = props.Unwrap(v); v.IsString() && v.StringValue() != "" {
					resolveBucket(e, c, buckets, path, v.StringValue())
				}
			})
		}
		if memberOf != "" {
			m := r.Props()
			id := props.String(m, memberOf)
			if props.IsUnknown(m, memberOf) {
				e.CannotVerify(r.URN, "%s %q: %s is not known, so the global data store it joins cannot be checked", kind(r), r.Name, memberOf)
				continue
			}
			found := false
			for _, g := range globalMemberships {
				if g.key == memberOf && globals[g.global+"|"+id] {
					found = true
				}
			}
			if !found {
				e.CannotVerify(r.URN, "%s %q joins global data store %q (%s), which is not in this deployment: its other members' regions are unknown; manage it in this stack",
					kind(r), r.Name, id, memberOf)
			}
		}
	}
}

// resolveBucket checks a destination bucket named by name or ARN at path
// against the buckets of the deployment.
func resolveBucket(e *Env, c residencyCheck, buckets map[string]*model.Resource, path, dest string) {
	r := c.r
	target := buckets[dest]
	if target == nil {
		target = buckets[s3BucketName(dest)]
	}
	switch {
	case target == nil:
		e.CannotVerify(r.URN, "%s %q: destination bucket %s (%s) is not in this deployment, so its region is unknown: manage it in this stack or exempt the type",
			kind(r), r.Name, dest, path)
	case target.Region == "":
		e.CannotVerify(r.URN, "%s %q: the region of destination bucket %s (%s) cannot be read", kind(r), r.Name, dest, path)
	case !c.allows(target.Region):
		c.outside(target.Region, "%s %q copies data to %s (%s = %s)", kind(r), r.Name, target.Region, path, dest)
	}
}

// s3BucketName returns the bucket of an S3 ARN ("arn:aws:s3:::name/key/..."
// in any partition), or s unchanged.
func s3BucketName(s string) string {
	i := strings.Index(s, ":s3:::")
	if !strings.HasPrefix(s, "arn:") || i < 0 {
		return s
	}
	name := s[i+len(":s3:::"):]
	if j := strings.IndexByte(name, '/'); j >= 0 {
		name = name[:j]
	}
	return name
}

type bucketRef struct{ path, arn string }

// s3ARNScan finds S3 bucket ARNs (which carry no region) at any depth, except
// the resource's own top-level arn; like destinationScan it formats a path only
// for a finding.
type s3ARNScan struct {
	path  []pathSeg
	found []bucketRef
}

func (s *s3ARNScan) walk(m resource.PropertyMap) {
	for k, v := range m {
		key := string(k)
		if skippedKeys[key] || key == "arn" || key == "id" {
			continue
		}
		s.path = append(s.path[:0], pathSeg{key: key, index: -1})
		s.value(v)
	}
}

func (s *s3ARNScan) value(v resource.PropertyValue) {
	v = props.Unwrap(v)
	switch {
	case v.IsString():
		if str := v.StringValue(); strings.HasPrefix(str, "arn:") && strings.Contains(str, ":s3:::") {
			d := destinationScan{path: s.path}
			s.found = append(s.found, bucketRef{d.pathString(), str})
		}
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			s.path = append(s.path, pathSeg{index: i})
			s.value(e)
			s.path = s.path[:len(s.path)-1]
		}
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			if skippedKeys[string(k)] {
				continue
			}
			s.path = append(s.path, pathSeg{key: string(k), index: -1})
			s.value(e)
			s.path = s.path[:len(s.path)-1]
		}
	}
}

// newResidencyCheckQuiet is newResidencyCheck without reporting tags and
// unknown jurisdictions again (the resource check already did).
func newResidencyCheckQuiet(e *Env, r *model.Resource) (residencyCheck, bool) {
	var discard []Violation
	quiet := *e
	quiet.out = &discard
	c, ok := newResidencyCheck(&quiet, r)
	c.e = e
	return c, ok
}

// eachPath calls fn for every value at a path whose array steps may be [*].
func eachPath(m resource.PropertyMap, path string, fn func(string, resource.PropertyValue)) {
	var walk func(prefix string, v resource.PropertyValue, rest string)
	walk = func(prefix string, v resource.PropertyValue, rest string) {
		if rest == "" {
			fn(prefix, v)
			return
		}
		if props.Unknown(v) {
			fn(prefix, v)
			return
		}
		v = props.Unwrap(v)
		if strings.HasPrefix(rest, "[*]") {
			rest = strings.TrimPrefix(strings.TrimPrefix(rest, "[*]"), ".")
			if !v.IsArray() {
				return
			}
			for i, e := range v.ArrayValue() {
				walk(fmt.Sprintf("%s[%d]", prefix, i), e, rest)
			}
			return
		}
		key, next := rest, ""
		if i := strings.IndexAny(rest, ".["); i >= 0 {
			key, next = rest[:i], strings.TrimPrefix(rest[i:], ".")
		}
		if !v.IsObject() {
			return
		}
		child, ok := v.ObjectValue()[resource.PropertyKey(key)]
		if !ok || child.IsNull() {
			return
		}
		p := key
		if prefix != "" {
			p = prefix + "." + key
		}
		walk(p, child, next)
	}
	walk("", resource.NewObjectProperty(m), path)
}
