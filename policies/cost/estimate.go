package cost

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

// Usage are the assumptions for what prices alone cannot tell. Every field has a
// documented default (DefaultUsage); policy config ("cost-limit": {"usage": {...}})
// or stack config may override them.
type Usage struct {
	// NATGBPerMonth is the data each NAT gateway processes (default 100 GB).
	NATGBPerMonth float64 `json:"natGBPerMonth"`
	// ALBLCUs is the average load balancer capacity units in use (default 1).
	ALBLCUs float64 `json:"albLCUs"`
	// InternetEgressGBPerMonth is the data each load balancer serves to the internet (default 50 GB).
	InternetEgressGBPerMonth float64 `json:"internetEgressGBPerMonth"`
	// LogsGBPerMonth is the log volume each log group ingests (default 5 GB).
	LogsGBPerMonth float64 `json:"logsGBPerMonth"`
	// DatabaseStorageGB is the data size of Aurora and DynamoDB, and of RDS
	// replicas (default 20 GB; the stacks set it from multiregion:database.storageGB).
	DatabaseStorageGB float64 `json:"databaseStorageGB"`
	// AuroraIOMillionsPerMonth are the I/O requests of an Aurora Standard primary (default 50 M).
	AuroraIOMillionsPerMonth float64 `json:"auroraIOMillionsPerMonth"`
	// AuroraWriteIOMillionsPerMonth are the write I/Os replicated to each Aurora
	// global secondary (default 20 M).
	AuroraWriteIOMillionsPerMonth float64 `json:"auroraWriteIOMillionsPerMonth"`
	// DynamoDBWriteMillionsPerMonth and DynamoDBReadMillionsPerMonth are the
	// on-demand request units (defaults 10 M and 50 M).
	DynamoDBWriteMillionsPerMonth float64 `json:"dynamodbWriteMillionsPerMonth"`
	DynamoDBReadMillionsPerMonth  float64 `json:"dynamodbReadMillionsPerMonth"`
	// ReplicationGBPerMonth is the data replicated to each secondary region (default 50 GB).
	ReplicationGBPerMonth float64 `json:"replicationGBPerMonth"`
	// DNSQueriesMillionsPerMonth are the queries for the site's name (default 10 M;
	// Route 53 alias queries to AWS resources are free).
	DNSQueriesMillionsPerMonth float64 `json:"dnsQueriesMillionsPerMonth"`
	// ContainerInsightsMetricsPerCluster are the CloudWatch metrics an ECS cluster
	// with Container Insights publishes (default 30, an assumption: AWS lists 16
	// ECS Container Insights metrics, CpuUtilized to TaskSetCount (CloudWatch
	// User Guide, "Amazon Elastic Container Service" Application Insights
	// metrics), published per cluster, per service and per task family; those
	// that apply to Fargate come to about 30 for a cluster running one service).
	ContainerInsightsMetricsPerCluster float64 `json:"containerInsightsMetricsPerCluster"`
	// S3StorageGBPerBucket is the data each S3 bucket holds in S3 Standard
	// (default 5 GB, an assumption for a small bucket: a month of a
	// once-a-minute canary's artifacts at about 100 KB a run is 4.4 GB).
	// Objects the deployment uploads are priced again by their own size, so
	// they never lower this.
	S3StorageGBPerBucket float64 `json:"s3StorageGBPerBucket"`
}

// DefaultUsage are the documented default assumptions.
var DefaultUsage = Usage{
	NATGBPerMonth:                 100,
	ALBLCUs:                       1,
	InternetEgressGBPerMonth:      50,
	LogsGBPerMonth:                5,
	DatabaseStorageGB:             20,
	AuroraIOMillionsPerMonth:      50,
	AuroraWriteIOMillionsPerMonth: 20,
	DynamoDBWriteMillionsPerMonth: 10,
	DynamoDBReadMillionsPerMonth:  50,
	ReplicationGBPerMonth:         50,
	DNSQueriesMillionsPerMonth:    10,

	ContainerInsightsMetricsPerCluster: 30,
	S3StorageGBPerBucket:               5,
}

// WithDefaults fills every zero field from DefaultUsage.
func (u Usage) WithDefaults() Usage {
	fill := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	d := DefaultUsage
	fill(&u.NATGBPerMonth, d.NATGBPerMonth)
	fill(&u.ALBLCUs, d.ALBLCUs)
	fill(&u.InternetEgressGBPerMonth, d.InternetEgressGBPerMonth)
	fill(&u.LogsGBPerMonth, d.LogsGBPerMonth)
	fill(&u.DatabaseStorageGB, d.DatabaseStorageGB)
	fill(&u.AuroraIOMillionsPerMonth, d.AuroraIOMillionsPerMonth)
	fill(&u.AuroraWriteIOMillionsPerMonth, d.AuroraWriteIOMillionsPerMonth)
	fill(&u.DynamoDBWriteMillionsPerMonth, d.DynamoDBWriteMillionsPerMonth)
	fill(&u.DynamoDBReadMillionsPerMonth, d.DynamoDBReadMillionsPerMonth)
	fill(&u.ReplicationGBPerMonth, d.ReplicationGBPerMonth)
	fill(&u.DNSQueriesMillionsPerMonth, d.DNSQueriesMillionsPerMonth)
	fill(&u.ContainerInsightsMetricsPerCluster, d.ContainerInsightsMetricsPerCluster)
	fill(&u.S3StorageGBPerBucket, d.S3StorageGBPerBucket)
	return u
}

// Validate returns u with every negative or non-finite field replaced by 0
// (that is, by its default once WithDefaults runs), and one Invalid per such
// field, keyed "usage.<json name>": a negative usage is an error, never a
// discount.
func (u Usage) Validate() (Usage, []Invalid) {
	var bad []Invalid
	v := reflect.ValueOf(&u).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i).Float()
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			bad = append(bad, Invalid{Key: "usage." + name, Reason: fmt.Sprintf("usage.%s is %g: it must be a number >= 0", name, f)})
			v.Field(i).SetFloat(0)
		}
	}
	return u, bad
}

// Line is one priced item: a resource, or one part of it billed elsewhere.
type Line struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Region is where the cost is billed ("" for global services).
	Region     string  `json:"region"`
	MonthlyUSD float64 `json:"monthlyUSD"`
	// Detail says how the amount was computed.
	Detail string `json:"detail"`
	// CrossRegion marks costs that exist only because of another region
	// (replication transfer); they are never part of the single-region baseline.
	CrossRegion bool `json:"crossRegion,omitempty"`
}

// Unpriced is a resource that costs money but that the catalog cannot price.
type Unpriced struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	// TypeName is the CloudFormation type an aws:cloudcontrol resource creates
	// ("AWS::ARCRegionSwitch::Plan"); "" for every other type.
	TypeName string `json:"typeName,omitempty"`
	Region   string `json:"region"`
	Reason   string `json:"reason"`
	// KindUnpriced is true when the catalog prices no resource of this Kind
	// (the type, or the Cloud Control typeName, is not in it): only then may
	// acceptUnpriced accept it. A resource of a priced kind that is unpriced
	// (its class, size or region is not in the catalog, its typeName is not
	// known) is not accepted by naming its kind: that would price an
	// unknown-size resource at $0; priceOverrides prices it.
	KindUnpriced bool `json:"-"`
	// AcceptedBy names the config that accepts this resource unpriced
	// ("multiregion:cost.acceptUnpriced"); "" when nothing does. The cost-limit
	// policy sets it.
	AcceptedBy string `json:"acceptedBy,omitempty"`
}

// Kind is what acceptUnpriced and priceOverrides name: the Cloud Control
// typeName of an aws:cloudcontrol resource (the token alone would cover every
// CloudFormation type), else the type token.
func (u Unpriced) Kind() string {
	if u.TypeName != "" {
		return u.TypeName
	}
	return u.Type
}

// CloudControlType is the token of Cloud Control resources, priced by their typeName.
const CloudControlType = "aws:cloudcontrol/resource:Resource"

// kindOf is the Kind of r (see Unpriced.Kind).
func kindOf(r *model.Resource) (typeName, kind string) {
	if r.Type == CloudControlType {
		if tn := props.String(r.State(), "typeName"); tn != "" {
			return tn, tn
		}
	}
	return "", r.Type
}

// Invalid is an input the estimate refuses: a negative or fractional count, a
// negative size or usage. It is an error, never a discount: the resource (or the
// usage key) is left out of the total and the cost-limit policy reports it.
type Invalid struct {
	// URN is the resource ("" for a usage assumption).
	URN string `json:"urn"`
	// Key is the property or usage key at fault (e.g. "desiredCount", "usage.natGBPerMonth").
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// Estimate is the monthly cost of a deployment.
type Estimate struct {
	MonthlyUSD float64 `json:"monthlyUSD"`
	// SingleRegionBaselineUSD is what the primary region (plus global services)
	// costs alone: the same application in one region.
	SingleRegionBaselineUSD float64 `json:"singleRegionBaselineUSD"`
	// PremiumUSD is MonthlyUSD - SingleRegionBaselineUSD: the price of more regions.
	PremiumUSD    float64 `json:"premiumUSD"`
	PrimaryRegion string  `json:"primaryRegion"`
	// ByRegion sums the lines per region; global services are under "global".
	ByRegion   map[string]float64 `json:"byRegion"`
	ByResource []Line             `json:"byResource"`
	Unpriced   []Unpriced         `json:"unpriced"`
	// Invalid are the inputs refused as errors (see Invalid).
	Invalid     []Invalid `json:"invalid,omitempty"`
	CatalogDate string    `json:"catalogDate"`
	Usage       Usage     `json:"usage"`
}

// GlobalKey is the ByRegion key of global services.
const GlobalKey = "global"

// free are the resource types known to cost nothing themselves: configuration,
// identity and wiring whose use is billed, if at all, through another resource
// (a security group or route table has no charge; the NAT gateway, load balancer
// or instance it serves does). Every other custom resource is priced or unpriced;
// none is silently $0. Sources: the AWS pricing pages of VPC ("no additional
// charge for creating and using the VPC itself"), IAM, ECS ("no additional charge
// for Amazon ECS"; Fargate tasks are priced), ELB (listeners, rules and target
// groups are part of the load balancer's hourly/LCU price), ACM public
// certificates, Application Auto Scaling and KMS aliases; Route 53 records are
// priced through queries below.
var free = map[string]bool{
	"aws:ec2/vpc:Vpc": true, "aws:ec2/subnet:Subnet": true, "aws:ec2/routeTable:RouteTable": true,
	"aws:ec2/route:Route": true, "aws:ec2/routeTableAssociation:RouteTableAssociation": true,
	"aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": true,
	"aws:ec2/internetGateway:InternetGateway":                     true, "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": true,
	"aws:ec2/securityGroup:SecurityGroup": true, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": true,
	"aws:ec2/securityGroupRule:SecurityGroupRule":               true,
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": true,
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   true,
	"aws:ec2/networkAcl:NetworkAcl":                             true, "aws:ec2/networkAclRule:NetworkAclRule": true,
	"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": true, "aws:ec2/defaultRouteTable:DefaultRouteTable": true,
	"aws:ec2/vpcDhcpOptions:VpcDhcpOptions": true, "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation": true,
	"aws:ec2/keyPair:KeyPair":        true,
	"aws:lb/targetGroup:TargetGroup": true, "aws:lb/listener:Listener": true, "aws:lb/listenerRule:ListenerRule": true,
	"aws:lb/targetGroupAttachment:TargetGroupAttachment": true, "aws:lb/listenerCertificate:ListenerCertificate": true,
	// the legacy "alb" module: the same resources under other tokens
	"aws:alb/targetGroup:TargetGroup": true, "aws:alb/listener:Listener": true, "aws:alb/listenerRule:ListenerRule": true,
	"aws:alb/targetGroupAttachment:TargetGroupAttachment": true, "aws:alb/listenerCertificate:ListenerCertificate": true,
	"aws:ec2/launchTemplate:LaunchTemplate": true,
	"aws:ecs/cluster:Cluster":               true, "aws:ecs/taskDefinition:TaskDefinition": true,
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": true,
	"aws:iam/role:Role": true, "aws:iam/policy:Policy": true, "aws:iam/instanceProfile:InstanceProfile": true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true, "aws:iam/rolePolicy:RolePolicy": true,
	"aws:iam/policyAttachment:PolicyAttachment": true, "aws:iam/serviceLinkedRole:ServiceLinkedRole": true,
	"aws:appautoscaling/policy:Policy": true, // a target is priced by its floor (priceOne)
	"aws:kms/alias:Alias":              true, "aws:rds/subnetGroup:SubnetGroup": true, "aws:rds/globalCluster:GlobalCluster": true,
	"aws:rds/parameterGroup:ParameterGroup": true, "aws:rds/clusterParameterGroup:ClusterParameterGroup": true,
	"aws:secretsmanager/secretVersion:SecretVersion": true, "aws:acm/certificate:Certificate": true,
	"aws:acm/certificateValidation:CertificateValidation":    true,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": true,
	// S3 bucket configuration: S3 bills storage, requests, retrieval, transfer,
	// replication and the management features (inventory, analytics, metrics,
	// Intelligent-Tiering monitoring), not a bucket's settings (Amazon S3
	// pricing page). Versions that versioning keeps are storage, priced with
	// the bucket; the billed features (replication, inventory, analytics,
	// metrics, intelligent tiering, acceleration) are not in this list.
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": true,
	"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":     true,
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       true,
	"aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":                           true,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               true,
	"aws:s3/bucketVersioning:BucketVersioning":                                                   true,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     true,
	"aws:s3/bucketPolicy:BucketPolicy":                                                           true,
	"aws:s3/bucketAclV2:BucketAclV2":                                                             true,
	"aws:s3/bucketAcl:BucketAcl":                                                                 true,
	"aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2":                                 true,
	"aws:s3/bucketCorsConfiguration:BucketCorsConfiguration":                                     true,
	"aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2":                           true,
	"aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration":                               true,
	"aws:s3/bucketNotification:BucketNotification":                                               true,
	"aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock":                                   true,
	"cloudflare:index/loadBalancerPool:LoadBalancerPool":                                         true,
	"cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor":                                   true,
	"pulumi:pulumi:StackReference":                                                               true,
}

// freeProviders are providers whose resources exist only in the Pulumi state
// (generated passwords, keys, timestamps): they never reach a bill.
var freeProviders = []string{"random:", "tls:", "time:"}

// Free reports whether resources of type typ are known to cost nothing.
func Free(typ string) bool {
	if free[typ] {
		return true
	}
	for _, p := range freeProviders {
		if strings.HasPrefix(typ, p) {
			return true
		}
	}
	return false
}

// FreeTypes returns the known-free resource types, sorted, then the free
// providers (as "random:*").
func FreeTypes() []string {
	out := make([]string, 0, len(free)+len(freeProviders))
	for t := range free {
		out = append(out, t)
	}
	sort.Strings(out)
	for _, p := range freeProviders {
		out = append(out, p+"*")
	}
	return out
}

// Estimator prices resources with a catalog and usage assumptions.
type Estimator struct {
	Catalog *Catalog
	Usage   Usage
	// PriceOverrides prices, per resource type token (per typeName for Cloud
	// Control resources: "AWS::ARCRegionSwitch::Plan"), each resource of that kind
	// the catalog cannot price, in USD per month ("aws:ec2/eip:Eip": 3.65). It never
	// replaces a catalog price, so it cannot lower an estimate the catalog makes.
	PriceOverrides map[string]float64
}

// index holds the cross-resource lookups pricing needs, built once (O(n)).
type index struct {
	byARN          map[string]*model.Resource
	clusterByID    map[string]*model.Resource
	clusters       []*model.Resource // in deployment order
	writerClusters map[string]bool   // cluster ARNs marked writer by a global cluster
	globalMembers  bool
	cfOrigins      int
	// taskDefs finds ECS task definitions by "family:revision"; taskFamilies by family.
	taskDefs     map[string]*model.Resource
	taskFamilies map[string][]*model.Resource
	// eips are the Elastic IPs of the deployment by ID and allocation ID.
	eips map[string]bool
	// rdsByID finds RDS instances by identifier and ID (replicas name their source).
	rdsByID map[string]*model.Resource
	// ecsScaling finds the Application Auto Scaling target of an ECS service
	// by its resourceId ("service/<cluster name>/<service name>").
	ecsScaling map[string]*model.Resource
}

func newIndex(resources []*model.Resource) *index {
	ix := &index{byARN: map[string]*model.Resource{}, clusterByID: map[string]*model.Resource{}, writerClusters: map[string]bool{},
		taskDefs: map[string]*model.Resource{}, taskFamilies: map[string][]*model.Resource{}, eips: map[string]bool{}, rdsByID: map[string]*model.Resource{},
		ecsScaling: map[string]*model.Resource{}}
	for _, r := range resources {
		s := r.State()
		if r.Type == "aws:appautoscaling/target:Target" && props.String(s, "scalableDimension") == "ecs:service:DesiredCount" {
			if id := props.String(s, "resourceId"); id != "" {
				ix.ecsScaling[id] = r
			}
		}
		if arn := props.String(s, "arn"); arn != "" {
			ix.byARN[arn] = r
		}
		switch r.Type {
		case "aws:rds/cluster:Cluster":
			ix.clusters = append(ix.clusters, r)
			if r.ID != "" {
				ix.clusterByID[r.ID] = r
			}
			if id := props.String(s, "clusterIdentifier"); id != "" {
				ix.clusterByID[id] = r
			}
		case "aws:rds/globalCluster:GlobalCluster":
			for _, m := range props.Array(s, "globalClusterMembers") {
				if !m.IsObject() {
					continue
				}
				ix.globalMembers = true
				if w, _ := props.Bool(props.AsObject(m), "isWriter"); w {
					ix.writerClusters[props.String(props.AsObject(m), "dbClusterArn")] = true
				}
			}
		case "cloudflare:index/loadBalancerPool:LoadBalancerPool":
			ix.cfOrigins += len(props.Array(s, "origins"))
		case "aws:ecs/taskDefinition:TaskDefinition":
			if family := props.String(s, "family"); family != "" {
				ix.taskFamilies[family] = append(ix.taskFamilies[family], r)
				if rev := revisionOf(s); rev != "" {
					ix.taskDefs[family+":"+rev] = r
				}
			}
		case "aws:rds/instance:Instance":
			for _, id := range []string{r.ID, props.String(s, "identifier")} {
				if id != "" {
					ix.rdsByID[id] = r
				}
			}
		case "aws:ec2/eip:Eip":
			for _, id := range []string{r.ID, props.String(s, "id"), props.String(s, "allocationId")} {
				if id != "" {
					ix.eips[id] = true
				}
			}
		}
	}
	return ix
}

// Estimate prices every resource. primary is the single-region baseline's region
// ("" picks the region that costs the most).
func (e *Estimator) Estimate(resources []*model.Resource, primary string) *Estimate {
	c := e.Catalog
	if c == nil {
		c = Default
	}
	u, invalid := e.Usage.Validate()
	u = u.WithDefaults()
	p := &pricer{c: c, u: u, ix: newIndex(resources), overrides: e.PriceOverrides, invalid: invalid}
	for _, r := range resources {
		p.price(r)
	}
	est := &Estimate{
		ByRegion:    map[string]float64{},
		ByResource:  p.lines,
		Unpriced:    p.unpriced,
		Invalid:     p.invalid,
		CatalogDate: c.CatalogDate,
		Usage:       u,
	}
	for i := range est.ByResource {
		l := &est.ByResource[i]
		l.MonthlyUSD = round2(l.MonthlyUSD)
		key := l.Region
		if key == "" {
			key = GlobalKey
		}
		est.ByRegion[key] += l.MonthlyUSD
		est.MonthlyUSD += l.MonthlyUSD
	}
	if primary == "" {
		best := -1.0
		for region, v := range est.ByRegion {
			if region != GlobalKey && (v > best || (v == best && region < primary)) {
				primary, best = region, v
			}
		}
	}
	est.PrimaryRegion = primary
	for _, l := range est.ByResource {
		if !l.CrossRegion && (l.Region == primary || l.Region == "") {
			est.SingleRegionBaselineUSD += l.MonthlyUSD
		}
	}
	for k, v := range est.ByRegion {
		est.ByRegion[k] = round2(v)
	}
	est.MonthlyUSD = round2(est.MonthlyUSD)
	est.SingleRegionBaselineUSD = round2(est.SingleRegionBaselineUSD)
	est.PremiumUSD = round2(est.MonthlyUSD - est.SingleRegionBaselineUSD)
	// A total order, so the faster unstable sort is still deterministic.
	slices.SortFunc(est.ByResource, func(a, b Line) int {
		return cmp.Or(cmp.Compare(b.MonthlyUSD, a.MonthlyUSD), strings.Compare(a.URN, b.URN),
			strings.Compare(a.Region, b.Region), strings.Compare(a.Detail, b.Detail))
	})
	slices.SortFunc(est.Unpriced, func(a, b Unpriced) int {
		return cmp.Or(strings.Compare(a.URN, b.URN), strings.Compare(a.Reason, b.Reason))
	})
	slices.SortFunc(est.Invalid, func(a, b Invalid) int {
		return cmp.Or(strings.Compare(a.URN, b.URN), strings.Compare(a.Key, b.Key), strings.Compare(a.Reason, b.Reason))
	})
	return est
}

func round2(v float64) float64 { return Round2(v) }

// Round2 rounds an amount to cents, as every amount of an Estimate is rounded
// (half away from zero); reports derive amounts (differences) with it too.
func Round2(v float64) float64 { return math.Round(v*100) / 100 }

// pricer accumulates lines while pricing one deployment.
type pricer struct {
	c         *Catalog
	u         Usage
	ix        *index
	overrides map[string]float64
	writer    *string
	lines     []Line
	unpriced  []Unpriced
	invalid   []Invalid
}

// add records a priced line. An amount that is negative or not finite (an input
// such as "NaN", "Inf" or a negative size got through) is refused instead: no
// line ever subtracts money or poisons the total.
func (p *pricer) add(r *model.Resource, region string, usd float64, crossRegion bool, format string, args ...any) {
	detail := fmt.Sprintf(format, args...)
	if !(usd >= 0) || math.IsInf(usd, 0) {
		p.refuse(r, "", "its estimate is %g (%s): an input is out of range", usd, detail)
		return
	}
	p.lines = append(p.lines, Line{URN: r.URN, Type: r.Type, Name: r.Name, Region: region,
		MonthlyUSD: usd, Detail: detail, CrossRegion: crossRegion})
}

func (p *pricer) skip(r *model.Resource, format string, args ...any) {
	p.skipAs(r, false, format, args...)
}

// skipKind records r as unpriced because the catalog prices no resource of
// its kind (Unpriced.KindUnpriced).
func (p *pricer) skipKind(r *model.Resource, format string, args ...any) {
	p.skipAs(r, true, format, args...)
}

func (p *pricer) skipAs(r *model.Resource, kindUnpriced bool, format string, args ...any) {
	typeName, _ := kindOf(r)
	u := Unpriced{URN: r.URN, Type: r.Type, TypeName: typeName, Region: r.Region, Reason: fmt.Sprintf(format, args...), KindUnpriced: kindUnpriced}
	if n := len(p.unpriced); n > 0 && p.unpriced[n-1] == u {
		return // one entry per resource and reason
	}
	p.unpriced = append(p.unpriced, u)
}

// regional returns a regional price, or records r as unpriced and returns false.
func (p *pricer) regional(r *model.Resource, key, region string) (float64, bool) {
	if v, ok := p.c.Regional(key, region); ok {
		return v, true
	}
	if region == "" && r.RegionUnknown != "" {
		p.skip(r, "its region cannot be read (%s)", r.RegionUnknown)
	} else if region == "" {
		p.skip(r, "its region is unknown, so no regional price applies")
	} else if !p.c.Covers(region) {
		p.skip(r, "the catalog has no prices for region %q (it covers the %d commercial AWS regions)", region, len(p.c.Regions))
	} else {
		p.skip(r, "no catalog price %q in %s", key, region)
	}
	return 0, false
}

// providerResourceType reports whether typ is a provider package's resource
// type, which is a custom resource whatever a state's "custom" flag says:
// bridged providers' tokens have a "module/resource" module
// ("aws:ec2/instance:Instance", "cloudflare:index/loadBalancer:LoadBalancer"),
// and aws and aws-native register no components. A state that marks 50 GPU
// instances "custom": false does not make them free.
func providerResourceType(typ string) bool {
	pkg, rest, ok := strings.Cut(typ, ":")
	if !ok {
		return false
	}
	if pkg == "aws" || pkg == "aws-native" {
		return true
	}
	module, _, _ := strings.Cut(rest, ":")
	return strings.Contains(module, "/")
}

// price prices one resource. A resource with an invalid input is left out of
// the total (and reported); what the catalog cannot price is priced by a
// PriceOverrides entry for the type, else reported as unpriced.
func (p *pricer) price(r *model.Resource) {
	if (!r.Custom && !providerResourceType(r.Type)) || r.IsProvider() {
		return
	}
	nLines, nUnpriced, nInvalid := len(p.lines), len(p.unpriced), len(p.invalid)
	p.priceOne(r)
	if len(p.invalid) > nInvalid {
		p.lines, p.unpriced = p.lines[:nLines], p.unpriced[:nUnpriced]
		return
	}
	if len(p.unpriced) > nUnpriced {
		// The override prices what the catalog could not; the parts it did price
		// stay, so an override never lowers an estimate.
		_, kind := kindOf(r)
		if usd, ok := p.overrides[kind]; ok {
			p.unpriced = p.unpriced[:nUnpriced]
			p.add(r, r.Region, usd, false, "cost-limit.priceOverrides[%q]: $%g/month", kind, usd)
		}
	}
}

func (p *pricer) priceOne(r *model.Resource) {
	h := p.c.HoursPerMonth
	s := r.State()
	switch r.Type {
	case "aws:ecs/service:Service":
		p.fargate(r)
	case "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer":
		p.loadBalancer(r)
	case "aws:ec2/natGateway:NatGateway":
		hour, ok1 := p.regional(r, "nat.hour", r.Region)
		gb, ok2 := p.regional(r, "nat.gb", r.Region)
		if !ok1 || !ok2 {
			return
		}
		cost := hour*h + p.u.NATGBPerMonth*gb
		detail := fmt.Sprintf("%.0f h x $%g + %g GB x $%g", h, hour, p.u.NATGBPerMonth, gb)
		// A public NAT gateway holds one Elastic IP. One created in this deployment
		// (or not known yet, so an output of this deployment) is priced as its own
		// resource; one allocated elsewhere is priced here.
		alloc := props.String(s, "allocationId")
		if props.String(s, "connectivityType") != "private" && alloc != "" && !props.IsUnknown(s, "allocationId") && !p.ix.eips[alloc] {
			ip, ok := p.regional(r, "vpc.publicIPv4.hour", r.Region)
			if !ok {
				return
			}
			cost += ip * h
			detail += fmt.Sprintf(" + 1 public IPv4 (%s) x $%g/h", alloc, ip)
		}
		p.add(r, r.Region, cost, false, "%s", detail)
	case "aws:ec2/eip:Eip":
		if ip, ok := p.regional(r, "vpc.publicIPv4.hour", r.Region); ok {
			p.add(r, r.Region, ip*h, false, "1 public IPv4 %.0f h x $%g", h, ip)
		}
	case "aws:ec2/instance:Instance":
		p.ec2Instance(r)
	case "aws:rds/instance:Instance":
		p.rdsInstance(r)
	case "aws:rds/cluster:Cluster":
		p.auroraCluster(r)
	case "aws:rds/clusterInstance:ClusterInstance":
		p.auroraInstance(r)
	case "aws:dynamodb/table:Table":
		p.dynamodb(r)
	case "aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey":
		// Each primary and replica key is billed (KMS ReplicateKey API reference).
		if v, ok := p.regional(r, "kms.keyMonth", r.Region); ok {
			p.add(r, r.Region, v, false, "1 customer-managed key")
		}
	case "aws:ebs/volume:Volume":
		p.ebsVolume(r)
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		// "There is no additional charge for using gateway endpoints" (AWS
		// PrivateLink pricing); interface and load balancer endpoints are billed
		// per hour and GB, not in the catalog.
		if t := props.String(s, "vpcEndpointType"); t != "Gateway" {
			p.skip(r, "VPC endpoint type %q: interface endpoints are billed hourly per zone; not in the catalog", t)
		}
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		key, kind := "cloudwatch.alarmMonth", "standard"
		if period, ok := props.Number(s, "period"); ok && period < 60 {
			key, kind = "cloudwatch.alarmHighResMonth", "high-resolution"
		}
		if v, ok := p.regional(r, key, r.Region); ok {
			p.add(r, r.Region, v, false, "1 %s alarm", kind)
		}
	case "aws:secretsmanager/secret:Secret":
		if v, ok := p.regional(r, "secretsmanager.secretMonth", r.Region); ok {
			p.add(r, r.Region, v, false, "1 secret")
		}
		for _, rep := range props.Array(s, "replicas") {
			region := props.String(props.AsObject(rep), "region")
			if v, ok := p.regional(r, "secretsmanager.secretMonth", region); ok {
				p.add(r, region, v, false, "replica in %s", region)
			}
		}
	case "aws:cloudwatch/logGroup:LogGroup":
		ingest, ok1 := p.regional(r, "logs.ingest.gb", r.Region)
		store, ok2 := p.regional(r, "logs.storage.gbMonth", r.Region)
		if ok1 && ok2 {
			days, _ := p.count(r, "retentionInDays") // 0 when absent; a negative value is refused
			months := 12.0                           // never-expiring logs: a year of accumulation
			if days > 0 {
				months = math.Min(days/30, 12)
			}
			gb := p.u.LogsGBPerMonth
			p.add(r, r.Region, gb*ingest+gb*months*store, false, "%g GB ingested x $%g + %.1f GB stored x $%g", gb, ingest, gb*months, store)
		}
	case "aws:route53/zone:Zone":
		p.add(r, "", p.c.GlobalPrice("route53.zoneMonth"), false, "1 hosted zone")
	case "aws:route53/healthCheck:HealthCheck":
		p.healthCheck(r)
	case "aws:route53/record:Record":
		if len(props.Array(s, "aliases")) == 0 {
			key := "route53.queries.standard.perMillion"
			switch {
			case len(props.Array(s, "latencyRoutingPolicies")) > 0:
				key = "route53.queries.latency.perMillion"
			case len(props.Array(s, "geolocationRoutingPolicies")) > 0:
				key = "route53.queries.geo.perMillion"
			}
			p.add(r, "", p.u.DNSQueriesMillionsPerMonth*p.c.GlobalPrice(key), false, "%g M queries x $%g", p.u.DNSQueriesMillionsPerMonth, p.c.GlobalPrice(key))
		}
	case "cloudflare:index/loadBalancer:LoadBalancer":
		p.cloudflare(r)
	case "aws:synthetics/canary:Canary":
		p.canary(r)
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		if v, ok := p.regional(r, "s3.standard.gbMonth", r.Region); ok {
			gb := p.u.S3StorageGBPerBucket
			p.add(r, r.Region, gb*v, false, "%g GB S3 Standard x $%g (usage s3StorageGBPerBucket)", gb, v)
		}
	case "aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject":
		p.bucketObject(r)
	case CloudControlType:
		p.cloudControl(r)
	case "aws:ecs/cluster:Cluster":
		for _, st := range props.Array(s, "settings") {
			m := props.AsObject(st)
			if props.String(m, "name") != "containerInsights" {
				continue
			}
			switch props.String(m, "value") {
			case "disabled":
			case "enhanced":
				// Enhanced observability adds per-task and per-container metrics,
				// which grow with the tasks: not an assumption the catalog makes.
				p.skip(r, "Container Insights with enhanced observability bills metrics per task and container; not in the catalog")
			default:
				// "enabled" publishes cluster-, service- and task-family-level
				// metrics, billed by CloudWatch as custom metrics.
				if v, ok := p.regional(r, "cloudwatch.metricMonth", r.Region); ok {
					n := p.u.ContainerInsightsMetricsPerCluster
					p.add(r, r.Region, n*v, false, "Container Insights: %g metrics x $%g", n, v)
				}
			}
		}
	case "aws:appautoscaling/target:Target":
		// The target costs nothing, but its minCapacity is a floor AWS keeps
		// whatever the resource's own setting says (RegisterScalableTarget,
		// MinCapacity). ECS services are priced at their floor (fargate);
		// other floors (DynamoDB capacity units, Aurora read replicas, ...)
		// add capacity the catalog does not price here.
		dim := props.String(s, "scalableDimension")
		if dim == "ecs:service:DesiredCount" {
			return
		}
		switch minCap, ok := props.Number(s, "minCapacity"); {
		case !ok:
			p.skipKind(r, "the minCapacity of this auto scaling target (%s) is unknown, so the capacity it keeps is unknown", dim)
		case minCap != 0:
			p.skipKind(r, "an auto scaling floor (%s) keeps capacity the catalog does not price here (only ECS task counts are)", dim)
		}
	default:
		if !Free(r.Type) {
			p.skipKind(r, "no price for this type in the catalog")
		}
	}
}

// count reads a non-negative whole number (a count of tasks or capacity units,
// a size in whole GiB, a number of days): a negative or fractional value is
// invalid, never a discount.
// Once a resource has an invalid input, price drops everything else recorded
// for it, so callers need not check.
func (p *pricer) count(r *model.Resource, key string) (float64, bool) {
	v, ok := p.number(r, r.State(), key, key)
	if !ok {
		return 0, false
	}
	if v < 0 || v != math.Trunc(v) || math.IsInf(v, 0) {
		p.refuse(r, key, "%s is %g: it must be a whole number >= 0", key, v)
		return 0, false
	}
	return v, true
}

// number reads a numeric property. A value that is present but not a finite
// number ("NaN", "Inf", "ten") is refused as invalid, never read as absent (an
// absent size would take a default and a bad one would price as something).
func (p *pricer) number(r *model.Resource, m resource.PropertyMap, key, label string) (float64, bool) {
	if v, ok := props.Number(m, key); ok {
		return v, true
	}
	if raw, present := props.Get(m, key); present && !props.Unknown(raw) && !props.Unwrap(raw).IsNull() {
		p.refuse(r, label, "%s is %s: it must be a finite number", label, props.Unwrap(raw).String())
	}
	return 0, false
}

func (p *pricer) refuse(r *model.Resource, key, format string, args ...any) {
	p.invalid = append(p.invalid, Invalid{URN: r.URN, Key: key, Reason: fmt.Sprintf(format, args...)})
}

// revisionOf reads a task definition's revision (a number in deployed state, a
// string under some mocks).
func revisionOf(s resource.PropertyMap) string {
	if v, ok := props.Number(s, "revision"); ok {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return props.String(s, "revision")
}

// taskDefinition resolves a service's taskDefinition: a task definition ARN, a
// "family:revision" or a bare family (its latest ACTIVE revision, which must be the
// only one of that family in the deployment).
func (p *pricer) taskDefinition(ref string) *model.Resource {
	if td := p.ix.byARN[ref]; td != nil {
		return td
	}
	// arn:aws:ecs:region:account:task-definition/family:revision
	if _, after, ok := strings.Cut(ref, ":task-definition/"); ok {
		ref = after
	}
	if td := p.ix.taskDefs[ref]; td != nil {
		return td
	}
	family, rev, hasRev := strings.Cut(ref, ":")
	candidates := p.ix.taskFamilies[family]
	if len(candidates) != 1 {
		return nil
	}
	// The only definition of the family, whose revision is not known yet (a preview)
	// or is the one asked for.
	if hasRev {
		if got := revisionOf(candidates[0].State()); got != "" && got != rev {
			return nil
		}
	}
	return candidates[0]
}

func (p *pricer) fargate(r *model.Resource) {
	s := r.State()
	if lt := props.String(s, "launchType"); lt != "" && lt != "FARGATE" {
		p.skip(r, "launch type %s: the instances are priced separately", lt)
		return
	}
	for _, cp := range props.Array(s, "capacityProviderStrategies") {
		if name := props.String(props.AsObject(cp), "capacityProvider"); name != "FARGATE" {
			p.skip(r, "capacity provider %q is not in the catalog (FARGATE only)", name)
			return
		}
	}
	desired, okCount := p.count(r, "desiredCount")
	// Application Auto Scaling keeps the service at or above the target's
	// minCapacity whatever desiredCount says (RegisterScalableTarget,
	// MinCapacity: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html)
	floor := ""
	if target := p.ix.ecsScaling[ecsServiceResourceID(s)]; target != nil && okCount {
		minCap, ok := p.number(target, target.State(), "minCapacity", "minCapacity")
		switch {
		case !ok:
			p.skip(r, "the minCapacity of its auto scaling target %s is unknown, so its task count is unknown", target.Name)
			return
		case minCap < 0 || minCap != math.Trunc(minCap) || math.IsInf(minCap, 0):
			p.refuse(target, "minCapacity", "minCapacity is %g: it must be a whole number >= 0", minCap)
			return
		case minCap > desired:
			desired = minCap
			floor = fmt.Sprintf(" (the minCapacity of auto scaling target %s)", target.Name)
		}
	}
	ref := props.String(s, "taskDefinition")
	td := p.taskDefinition(ref)
	if td == nil {
		if ref == "" {
			p.skip(r, "its taskDefinition is unknown, so its size is unknown")
		} else {
			p.skip(r, "its task definition %q is not in the deployment, so its size is unknown", ref)
		}
		return
	}
	tds := td.State()
	cpu, ok1 := p.number(r, tds, "cpu", "taskDefinition.cpu")
	mem, ok2 := p.number(r, tds, "memory", "taskDefinition.memory")
	if !ok1 || !ok2 || !okCount {
		p.skip(r, "task size or desired count unknown")
		return
	}
	if !(cpu > 0) || !(mem > 0) || math.IsInf(cpu+mem, 0) {
		p.refuse(r, "taskDefinition", "task definition %s has cpu %g and memory %g: both must be > 0", td.Name, cpu, mem)
		return
	}
	arch := "x86"
	if props.String(tds, "runtimePlatform.cpuArchitecture") == "ARM64" {
		arch = "arm"
	}
	vcpuP, ok1 := p.regional(r, "fargate."+arch+".vcpuHour", r.Region)
	gbP, ok2 := p.regional(r, "fargate."+arch+".gbHour", r.Region)
	if !ok1 || !ok2 {
		return
	}
	vcpu, gb := cpu/1024, mem/1024
	h := p.c.HoursPerMonth
	cost := desired * (vcpu*vcpuP + gb*gbP) * h
	detail := fmt.Sprintf("%g tasks%s x (%g vCPU x $%g + %g GB x $%g) x %.0f h", desired, floor, vcpu, vcpuP, gb, gbP, h)
	// Ephemeral storage beyond the 20 GB included in every task.
	if eph, ok := props.Number(tds, "ephemeralStorage.sizeInGib"); ok && eph > 20 {
		ephP, ok := p.regional(r, "fargate.ephemeral.gbHour", r.Region)
		if !ok {
			return
		}
		cost += desired * (eph - 20) * ephP * h
		detail += fmt.Sprintf(" + %g tasks x %g GB ephemeral x $%g/h", desired, eph-20, ephP)
	}
	// Each task with a public IP holds one public IPv4 address.
	if public, _ := props.Bool(s, "networkConfiguration.assignPublicIp"); public {
		ip, ok := p.regional(r, "vpc.publicIPv4.hour", r.Region)
		if !ok {
			return
		}
		cost += desired * ip * h
		detail += fmt.Sprintf(" + %g public IPv4 x $%g/h", desired, ip)
	}
	p.add(r, r.Region, cost, false, "%s", detail)
}

// ecsServiceResourceID is the Application Auto Scaling resourceId of an ECS
// service: "service/<cluster name>/<service name>" (the cluster given by
// name or ARN), or "" when either is not known.
func ecsServiceResourceID(s resource.PropertyMap) string {
	cluster, name := props.String(s, "cluster"), props.String(s, "name")
	if i := strings.LastIndex(cluster, "cluster/"); i >= 0 {
		cluster = cluster[i+len("cluster/"):]
	}
	if cluster == "" || name == "" {
		return ""
	}
	return "service/" + cluster + "/" + name
}

// loadBalancer prices an Application Load Balancer; an internet-facing one holds
// one public IPv4 address per subnet (one node per Availability Zone).
func (p *pricer) loadBalancer(r *model.Resource) {
	s := r.State()
	if t := props.String(s, "loadBalancerType"); t != "" && t != "application" {
		p.skip(r, "load balancer type %q is not in the catalog (application only)", t)
		return
	}
	hour, ok1 := p.regional(r, "alb.hour", r.Region)
	lcu, ok2 := p.regional(r, "alb.lcuHour", r.Region)
	egress, ok3 := p.regional(r, "transfer.internet.gb", r.Region)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	h := p.c.HoursPerMonth
	cost := hour*h + p.u.ALBLCUs*lcu*h + p.u.InternetEgressGBPerMonth*egress
	detail := fmt.Sprintf("%.0f h x $%g + %g LCU x $%g/h + %g GB egress x $%g", h, hour, p.u.ALBLCUs, lcu, p.u.InternetEgressGBPerMonth, egress)
	if internal, _ := props.Bool(s, "internal"); !internal {
		ip, ok := p.regional(r, "vpc.publicIPv4.hour", r.Region)
		if !ok {
			return
		}
		// An ALB spans at least two Availability Zones; count its subnets when known.
		n := float64(max(len(props.Array(s, "subnets")), len(props.Array(s, "subnetMappings")), 2))
		cost += n * ip * h
		detail += fmt.Sprintf(" + %g public IPv4 x $%g/h", n, ip)
	}
	p.add(r, r.Region, cost, false, "%s", detail)
}

// ebsVolume prices a gp2/gp3 EBS volume by its size.
func (p *pricer) ebsVolume(r *model.Resource) {
	s := r.State()
	vt := props.String(s, "type")
	if vt == "" && !props.IsUnknown(s, "type") {
		vt = "gp2" // the provider's default
	}
	if vt != "gp2" && vt != "gp3" {
		p.skip(r, "EBS volume type %q is not in the catalog (gp2, gp3 only)", vt)
		return
	}
	gb, ok := p.count(r, "size")
	if !ok {
		p.skip(r, "its size is unknown")
		return
	}
	if price, ok := p.regional(r, "ebs."+vt+".gbMonth", r.Region); ok {
		p.add(r, r.Region, gb*price, false, "%g GB %s x $%g", gb, vt, price)
	}
}

// ec2Instance prices an on-demand Linux instance on shared tenancy, its root and
// data volumes (gp2/gp3) and its public IPv4 address.
func (p *pricer) ec2Instance(r *model.Resource) {
	s := r.State()
	typ := props.String(s, "instanceType")
	if typ == "" {
		p.skip(r, "its instanceType is unknown")
		return
	}
	if t := props.String(s, "tenancy"); t != "" && t != "default" {
		p.skip(r, "tenancy %q is not in the catalog (shared tenancy only)", t)
		return
	}
	if props.String(s, "instanceMarketOptions.marketType") == "spot" {
		p.skip(r, "spot instances are not in the catalog")
		return
	}
	hour, ok := p.regional(r, "ec2."+typ+".hour", r.Region)
	if !ok {
		return
	}
	h := p.c.HoursPerMonth
	cost := hour * h
	detail := fmt.Sprintf("%s %.0f h x $%g", typ, h, hour)
	// Volumes: the root volume (8 GB, the size of the common Linux AMIs, when not
	// given) and every EBS data volume.
	vols := []resource.PropertyMap{props.Object(s, "rootBlockDevice")}
	for _, v := range props.Array(s, "ebsBlockDevices") {
		vols = append(vols, props.AsObject(v))
	}
	for i, v := range vols {
		key := "rootBlockDevice.volumeSize"
		if i > 0 {
			key = fmt.Sprintf("ebsBlockDevices[%d].volumeSize", i-1)
		}
		gb, ok := p.number(r, v, "volumeSize", key)
		if !ok {
			if _, present := props.Get(v, "volumeSize"); present && !props.IsUnknown(v, "volumeSize") {
				return // refused by number
			}
			if i > 0 {
				p.skip(r, "%s is unknown", key)
				return
			}
			gb = 8
		}
		if gb < 0 || gb != math.Trunc(gb) || math.IsInf(gb, 0) {
			p.refuse(r, key, "%s is %g: it must be a whole number >= 0", key, gb)
			return
		}
		vt := props.String(v, "volumeType")
		if vt == "" {
			vt = "gp2" // the dearer of the general-purpose types when the AMI decides
		}
		if vt != "gp2" && vt != "gp3" {
			p.skip(r, "EBS volume type %q is not in the catalog (gp2, gp3 only)", vt)
			return
		}
		price, ok := p.regional(r, "ebs."+vt+".gbMonth", r.Region)
		if !ok {
			return
		}
		cost += gb * price
		detail += fmt.Sprintf(" + %g GB %s x $%g", gb, vt, price)
	}
	if public, _ := props.Bool(s, "associatePublicIpAddress"); public {
		ip, ok := p.regional(r, "vpc.publicIPv4.hour", r.Region)
		if !ok {
			return
		}
		cost += ip * h
		detail += fmt.Sprintf(" + 1 public IPv4 x $%g/h", ip)
	}
	p.add(r, r.Region, cost, false, "%s", detail)
}

func (p *pricer) rdsInstance(r *model.Resource) {
	s := r.State()
	source := props.String(s, "replicateSourceDb")
	engine := props.String(s, "engine")
	if engine == "" && source != "" {
		// A read replica inherits its source's engine.
		src := p.ix.byARN[source]
		if src == nil {
			src = p.ix.rdsByID[source]
		}
		if src != nil {
			engine = props.String(src.State(), "engine")
		}
	}
	if engine != "postgres" {
		if engine == "" {
			p.skip(r, "its engine is unknown (a replica of %q, which is not in the deployment)", source)
		} else {
			p.skip(r, "engine %q is not in the catalog (RDS PostgreSQL only)", engine)
		}
		return
	}
	// gp2 and gp3 have the same RDS storage price ("General Purpose"); io1/io2
	// add provisioned IOPS and magnetic storage is priced differently.
	if st := props.String(s, "storageType"); st != "" && st != "gp2" && st != "gp3" {
		p.skip(r, "storage type %q is not in the catalog (gp2, gp3 only)", st)
		return
	}
	if _, ok := props.Get(s, "iops"); ok && props.String(s, "storageType") == "" {
		p.skip(r, "provisioned IOPS (io1, the provider's default with iops) are not in the catalog")
		return
	}
	class := props.String(s, "instanceClass")
	multi, _ := props.Bool(s, "multiAz")
	az, gp3 := "singleAZ", "rds.gp3.singleAZ.gbMonth"
	if multi {
		az, gp3 = "multiAZ", "rds.gp3.multiAZ.gbMonth"
	}
	hour, ok := p.regional(r, "rds.postgres."+class+"."+az, r.Region)
	if !ok {
		return
	}
	storage, ok := p.regional(r, gp3, r.Region)
	if !ok {
		return
	}
	gb, ok := p.count(r, "allocatedStorage")
	if !ok {
		if props.IsUnknown(s, "allocatedStorage") {
			p.skip(r, "allocatedStorage is not known yet")
			return
		}
		gb = p.u.DatabaseStorageGB
	}
	h := p.c.HoursPerMonth
	p.add(r, r.Region, hour*h+gb*storage, false, "%s %s %.0f h x $%g + %g GB gp3 x $%g", class, az, h, hour, gb, storage)
	if source != "" {
		if src := model.RegionOfARN(source); src != "" && src != r.Region {
			p.transfer(r, src, r.Region)
		}
	}
}

// transfer prices the replication traffic from src to dst, billed at src.
func (p *pricer) transfer(r *model.Resource, src, dst string) {
	v, ok := p.c.Transfer(src, dst)
	if !ok {
		p.skip(r, "no inter-region transfer price from %s to %s in the catalog", src, dst)
		return
	}
	p.add(r, src, p.u.ReplicationGBPerMonth*v, true, "replication %s -> %s: %g GB x $%g", src, dst, p.u.ReplicationGBPerMonth, v)
}

// isWriterCluster decides whether an Aurora cluster is its global cluster's writer.
func (p *pricer) isWriterCluster(r *model.Resource) bool {
	if p.ix.globalMembers {
		return p.ix.writerClusters[props.String(r.State(), "arn")]
	}
	// Planned resources: only the writer is created with master credentials.
	_, hasUser := props.Get(r.Props(), "masterUsername")
	return hasUser || props.String(r.State(), "globalClusterIdentifier") == ""
}

// auroraCluster prices a cluster's storage and I/O: the writer's own, or a
// global secondary's copy with its replicated writes and transfer.
func (p *pricer) auroraCluster(r *model.Resource) {
	s := r.State()
	if engine := props.String(s, "engine"); !strings.HasPrefix(engine, "aurora") {
		// engine "postgres"/"mysql": a Multi-AZ DB cluster, billed per instance
		// with readable standbys; not in the catalog.
		p.skip(r, "engine %q: only Aurora clusters are in the catalog", engine)
		return
	}
	if mode := props.String(s, "engineMode"); mode != "" && mode != "provisioned" && mode != "global" {
		// Aurora Serverless v1 bills capacity units on the cluster, not instances.
		p.skip(r, "engine mode %q: Aurora capacity units are not in the catalog", mode)
		return
	}
	tier, storageKey := "standard", "aurora.standard.storage.gbMonth"
	if props.String(s, "storageType") == "aurora-iopt1" {
		tier, storageKey = "io-optimized", "aurora.ioOptimized.storage.gbMonth"
	}
	storage, ok := p.regional(r, storageKey, r.Region)
	if !ok {
		return
	}
	gb := p.u.DatabaseStorageGB
	writer := p.isWriterCluster(r)
	if writer {
		cost, detail := gb*storage, fmt.Sprintf("%g GB %s storage x $%g", gb, tier, storage)
		if tier == "standard" {
			io, ok := p.regional(r, "aurora.io.perMillion", r.Region)
			if !ok {
				return
			}
			cost += p.u.AuroraIOMillionsPerMonth * io
			detail += fmt.Sprintf(" + %g M I/O x $%g", p.u.AuroraIOMillionsPerMonth, io)
		}
		p.add(r, r.Region, cost, false, "%s", detail)
		return
	}
	wio, ok := p.regional(r, "aurora.globalWriteIO.perMillion", r.Region)
	if !ok {
		return
	}
	p.add(r, r.Region, gb*storage+p.u.AuroraWriteIOMillionsPerMonth*wio, true,
		"secondary: %g GB storage x $%g + %g M replicated write I/O x $%g", gb, storage, p.u.AuroraWriteIOMillionsPerMonth, wio)
	if src := p.writerRegion(); src != "" && src != r.Region {
		p.transfer(r, src, r.Region)
	}
}

// writerRegion returns the region of the first Aurora writer cluster, if any,
// computed once per estimate so pricing stays linear in the resources.
func (p *pricer) writerRegion() string {
	if p.writer == nil {
		region := ""
		for _, c := range p.ix.clusters {
			if p.isWriterCluster(c) {
				region = c.Region
				break
			}
		}
		p.writer = &region
	}
	return *p.writer
}

func (p *pricer) auroraInstance(r *model.Resource) {
	s := r.State()
	engine := props.String(s, "engine")
	class := props.String(s, "instanceClass")
	tier := "standard"
	if c := p.ix.clusterByID[props.String(s, "clusterIdentifier")]; c != nil && props.String(c.State(), "storageType") == "aurora-iopt1" {
		tier = "io-optimized"
	}
	hour, ok := p.regional(r, "aurora."+engine+"."+tier+"."+class, r.Region)
	if !ok {
		return
	}
	h := p.c.HoursPerMonth
	p.add(r, r.Region, hour*h, false, "%s %s %s %.0f h x $%g", engine, tier, class, h, hour)
}

// dynamodb prices a table: on-demand request units, or provisioned capacity
// (the table's and its global secondary indexes' RCU/WCU, every hour), storage,
// PITR, and each global-table replica.
func (p *pricer) dynamodb(r *model.Resource) {
	s := r.State()
	mode := props.String(s, "billingMode")
	if mode == "" && !props.IsUnknown(s, "billingMode") {
		mode = "PROVISIONED" // the provider's default
	}
	if mode != "PAY_PER_REQUEST" && mode != "PROVISIONED" {
		p.skip(r, "billing mode %q is not known", mode)
		return
	}
	if c := props.String(s, "tableClass"); c != "" && c != "STANDARD" {
		p.skip(r, "table class %s is not in the catalog (STANDARD only)", c)
		return
	}
	h := p.c.HoursPerMonth
	var rcu, wcu float64
	if mode == "PROVISIONED" {
		keys := []string{"readCapacity", "writeCapacity"}
		for i := range props.Array(s, "globalSecondaryIndexes") {
			keys = append(keys, fmt.Sprintf("globalSecondaryIndexes[%d].readCapacity", i), fmt.Sprintf("globalSecondaryIndexes[%d].writeCapacity", i))
		}
		for _, k := range keys {
			n, ok := p.count(r, k)
			if !ok {
				p.skip(r, "provisioned table: %s is unknown", k)
				return
			}
			if strings.HasSuffix(k, "readCapacity") {
				rcu += n
			} else {
				wcu += n
			}
		}
	}
	gb := p.u.DatabaseStorageGB
	pitr, _ := props.Bool(s, "pointInTimeRecovery.enabled")
	regionCost := func(region string, replica bool) (float64, string, bool) {
		storage, ok1 := p.regional(r, "dynamodb.storage.gbMonth", region)
		pitrP, ok2 := p.regional(r, "dynamodb.pitr.gbMonth", region)
		if !ok1 || !ok2 {
			return 0, "", false
		}
		cost := gb * storage
		detail := fmt.Sprintf("%g GB x $%g", gb, storage)
		if pitr {
			cost += gb * pitrP
			detail += fmt.Sprintf(" + PITR %g GB x $%g", gb, pitrP)
		}
		switch {
		case mode == "PROVISIONED":
			rcuP, ok1 := p.regional(r, "dynamodb.rcu.hour", region)
			wkey := "dynamodb.wcu.hour"
			if replica {
				wkey = "dynamodb.replicatedWcu.hour"
			}
			wcuP, ok2 := p.regional(r, wkey, region)
			if !ok1 || !ok2 {
				return 0, "", false
			}
			cost += (rcu*rcuP + wcu*wcuP) * h
			detail += fmt.Sprintf(" + (%g RCU x $%g + %g WCU x $%g) x %.0f h", rcu, rcuP, wcu, wcuP, h)
		case replica:
			wru, ok := p.regional(r, "dynamodb.replicatedWru.perMillion", region)
			if !ok {
				return 0, "", false
			}
			cost += p.u.DynamoDBWriteMillionsPerMonth * wru
			detail += fmt.Sprintf(" + %g M replicated WRU x $%g", p.u.DynamoDBWriteMillionsPerMonth, wru)
		default:
			wru, ok1 := p.regional(r, "dynamodb.wru.perMillion", region)
			rru, ok2 := p.regional(r, "dynamodb.rru.perMillion", region)
			if !ok1 || !ok2 {
				return 0, "", false
			}
			cost += p.u.DynamoDBWriteMillionsPerMonth*wru + p.u.DynamoDBReadMillionsPerMonth*rru
			detail += fmt.Sprintf(" + %g M WRU x $%g + %g M RRU x $%g", p.u.DynamoDBWriteMillionsPerMonth, wru, p.u.DynamoDBReadMillionsPerMonth, rru)
		}
		return cost, detail, true
	}
	base, detail, ok := regionCost(r.Region, false)
	if !ok {
		return
	}
	p.add(r, r.Region, base, false, "%s", detail)
	for _, rep := range props.Array(s, "replicas") {
		region := props.String(props.AsObject(rep), "regionName")
		if cost, detail, ok := regionCost(region, true); ok {
			p.add(r, region, cost, true, "replica in %s: %s", region, detail)
			p.transfer(r, r.Region, region)
		}
	}
}

func (p *pricer) healthCheck(r *model.Resource) {
	s := r.State()
	options := 0
	var names []string
	typ := props.String(s, "type")
	if strings.HasPrefix(typ, "HTTPS") {
		options++
		names = append(names, "HTTPS")
	}
	if strings.HasSuffix(typ, "STR_MATCH") {
		options++
		names = append(names, "string match")
	}
	if v, _ := props.Number(s, "requestInterval"); v == 10 {
		options++
		names = append(names, "10 s interval")
	}
	if v, _ := props.Bool(s, "measureLatency"); v {
		options++
		names = append(names, "latency")
	}
	base := p.c.GlobalPrice("route53.healthCheckAWSMonth")
	opt := p.c.GlobalPrice("route53.healthCheckOptionMonth")
	detail := fmt.Sprintf("$%g", base)
	if options > 0 {
		detail += fmt.Sprintf(" + %d option(s) (%s) x $%g", options, strings.Join(names, ", "), opt)
	}
	p.add(r, "", base+float64(options)*opt, false, "%s", detail)
}

func (p *pricer) cloudflare(r *model.Resource) {
	s := r.State()
	c := p.c
	cost := c.GlobalPrice("cloudflare.lb.baseMonth")
	detail := fmt.Sprintf("base $%g", cost)
	if extra := p.ix.cfOrigins - int(c.GlobalPrice("cloudflare.lb.includedOrigins")); extra > 0 {
		cost += float64(extra) * c.GlobalPrice("cloudflare.lb.extraOriginMonth")
		detail += fmt.Sprintf(" + %d extra origin(s) x $%g", extra, c.GlobalPrice("cloudflare.lb.extraOriginMonth"))
	}
	if props.String(s, "steeringPolicy") == "dynamic_latency" {
		cost += c.GlobalPrice("cloudflare.lb.dynamicSteeringMonth")
		detail += fmt.Sprintf(" + dynamic steering $%g", c.GlobalPrice("cloudflare.lb.dynamicSteeringMonth"))
	}
	queries := p.u.DNSQueriesMillionsPerMonth * 1e6
	if over := queries - c.GlobalPrice("cloudflare.lb.includedQueries"); over > 0 {
		blocks := math.Ceil(over / 500000)
		cost += blocks * c.GlobalPrice("cloudflare.lb.queriesPer500k")
		detail += fmt.Sprintf(" + %.0f x 500k queries x $%g", blocks, c.GlobalPrice("cloudflare.lb.queriesPer500k"))
	}
	p.add(r, "", cost, false, "%s", detail)
}

// Canary limits (CloudWatch Synthetics API reference, CanaryRunConfigInput and
// CreateCanary Schedule): a run's timeout is 3 to 840 seconds and defaults to
// the schedule's period up to 840; memory is a multiple of 64 MB from 960 to
// 3008, and its default is not documented, so the maximum bounds it.
const (
	canaryMinTimeoutSeconds = 3
	canaryMaxTimeoutSeconds = 840
	canaryMinMemoryMB       = 960
	canaryMaxMemoryMB       = 3008
)

// canaryRate reads a Synthetics schedule expression, "rate(N minute|minutes|hour|hours)"
// from 1 minute to 1 hour, or "rate(0 minute|minutes|hour|hours)" (run once when
// started), and returns the runs in a month of hoursPerMonth and the period in
// seconds (0 for run-once). Anything else, cron expressions included, is not
// read (ok false): an unreadable schedule is unpriced, never guessed.
func canaryRate(expr string, hoursPerMonth float64) (runs, period float64, ok bool) {
	m := canaryRateRE.FindStringSubmatch(expr)
	if m == nil {
		return 0, 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, 0, false
	}
	if n == 0 {
		return 1, 0, true
	}
	seconds := float64(n) * 60
	if strings.HasPrefix(m[2], "hour") {
		seconds = float64(n) * 3600
	}
	if seconds > 3600 {
		return 0, 0, false
	}
	return hoursPerMonth * 3600 / seconds, seconds, true
}

// canaryRateRE is the Synthetics rate expression: "rate(number unit)" with unit
// minute, minutes or hour (CreateCanary Schedule.Expression); "hours" is read too.
var canaryRateRE = regexp.MustCompile(`^rate\((0|[1-9][0-9]{0,3}) (minute|minutes|hour|hours)\)$`)

// canary prices a CloudWatch Synthetics canary: its runs a month (from
// schedule.expression) at the per-run price, plus the Lambda function each run
// executes as, billed by Lambda: an upper bound, every run lasting its whole
// timeout at its memory (the maximum 3008 MB when not set) on x86. A canary is
// priced as running even when startCanary is false: it can be started outside
// the deployment. Log and artifact requests of a run are not priced (a few
// small PUTs); the artifacts' storage is in the bucket's usage assumption.
func (p *pricer) canary(r *model.Resource) {
	s := r.State()
	expr := props.String(s, "schedule.expression")
	if expr == "" {
		p.skip(r, "its schedule.expression is unknown, so its runs per month are unknown")
		return
	}
	runs, period, ok := canaryRate(expr, p.c.HoursPerMonth)
	if !ok {
		p.skip(r, "schedule.expression %q is not a rate from rate(1 minute) to rate(1 hour) (cron schedules are not read), so its runs per month are unknown", expr)
		return
	}
	timeout, ok := p.number(r, s, "runConfig.timeoutInSeconds", "runConfig.timeoutInSeconds")
	if !ok {
		if _, present := props.Get(s, "runConfig.timeoutInSeconds"); present && !props.IsUnknown(s, "runConfig.timeoutInSeconds") {
			return // refused by number
		}
		timeout = canaryMaxTimeoutSeconds // unknown: the bound
		if period > 0 {
			timeout = math.Min(period, canaryMaxTimeoutSeconds)
		}
	}
	if timeout < canaryMinTimeoutSeconds || timeout > canaryMaxTimeoutSeconds || timeout != math.Trunc(timeout) {
		p.refuse(r, "runConfig.timeoutInSeconds", "runConfig.timeoutInSeconds is %g: Synthetics takes a whole number of seconds from %d to %d",
			timeout, canaryMinTimeoutSeconds, canaryMaxTimeoutSeconds)
		return
	}
	memory, ok := p.number(r, s, "runConfig.memoryInMb", "runConfig.memoryInMb")
	if !ok {
		if _, present := props.Get(s, "runConfig.memoryInMb"); present && !props.IsUnknown(s, "runConfig.memoryInMb") {
			return
		}
		memory = canaryMaxMemoryMB
	}
	if memory < canaryMinMemoryMB || memory > canaryMaxMemoryMB || math.Mod(memory, 64) != 0 {
		p.refuse(r, "runConfig.memoryInMb", "runConfig.memoryInMb is %g: Synthetics takes a multiple of 64 from %d to %d",
			memory, canaryMinMemoryMB, canaryMaxMemoryMB)
		return
	}
	run, ok1 := p.regional(r, "cloudwatch.canaryRun", r.Region)
	gbs, ok2 := p.regional(r, "lambda.x86.gbSecond", r.Region)
	req, ok3 := p.regional(r, "lambda.requests.perMillion", r.Region)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	gb := memory / 1024
	cost := runs*run + runs*timeout*gb*gbs + runs/1e6*req
	p.add(r, r.Region, cost, false, "%g runs (%s) x $%g + Lambda at most %g runs x %g s x %g GB x $%g/GB-s + %g M requests x $%g",
		runs, expr, run, runs, timeout, gb, gbs, runs/1e6, req)
}

// bucketObject prices an S3 object's storage by its size, when the deployment
// says it (content or contentBase64; an object uploaded from an asset or file
// has no size in the state and is unpriced).
func (p *pricer) bucketObject(r *model.Resource) {
	s := r.State()
	if sc := props.String(s, "storageClass"); sc != "" && sc != "STANDARD" {
		p.skip(r, "storage class %s is not in the catalog (STANDARD only)", sc)
		return
	}
	var size int
	switch {
	case props.IsUnknown(s, "content") || props.IsUnknown(s, "contentBase64"):
		p.skip(r, "its content is not known yet, so its size is unknown")
		return
	case props.String(s, "contentBase64") != "":
		b, err := base64.StdEncoding.DecodeString(props.String(s, "contentBase64"))
		if err != nil {
			p.refuse(r, "contentBase64", "contentBase64 is not base64 (%v): S3 would refuse it", err)
			return
		}
		size = len(b)
	case props.String(s, "content") != "":
		size = len(props.String(s, "content"))
	default:
		for _, k := range []string{"content", "contentBase64"} {
			if v, ok := props.Get(s, k); ok && (!v.IsString() || v.StringValue() != "") {
				p.skip(r, "its %s is not a string, so its size is unknown", k)
				return
			}
		}
		if _, ok := props.Get(s, "source"); ok {
			p.skip(r, "it is uploaded from source, whose size is not in the deployment")
			return
		}
	}
	price, ok := p.regional(r, "s3.standard.gbMonth", r.Region)
	if !ok {
		return
	}
	p.add(r, r.Region, float64(size)/(1<<30)*price, false, "%d bytes S3 Standard x $%g/GB", size, price)
}

// cloudControl prices a Cloud Control resource by the CloudFormation type it
// creates. None is in the catalog yet: ARC Region switch bills a monthly charge
// per plan, but no public copy of that price was found (the pricing-page feeds
// in the catalog's sources predate the service); accept it by name
// (acceptUnpriced ["AWS::ARCRegionSwitch::Plan"]) or price it with priceOverrides.
func (p *pricer) cloudControl(r *model.Resource) {
	switch tn := props.String(r.State(), "typeName"); tn {
	case "":
		p.skip(r, "its typeName is unknown, so what it creates cannot be priced")
	case "AWS::ARCRegionSwitch::Plan":
		p.skipKind(r, "%s: ARC Region switch bills each plan per month, and no public source for that price is in the catalog", tn)
	default:
		p.skipKind(r, "Cloud Control type %s is not in the catalog", tn)
	}
}
