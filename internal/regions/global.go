package regions

import "strings"

// Global services: the data-residency policy's exemption list. Every other AWS
// resource type is regional and must be in the jurisdiction (deny by default).
//
// A type is global when AWS runs it in no region of the user's choosing: its
// control plane is one endpoint for the whole partition and its resources have
// ARNs without a region (IAM, Route 53, CloudFront, Organizations, WAF Classic,
// Shield Advanced, Global Accelerator: "Global services" in the AWS General
// Reference, https://docs.aws.amazon.com/general/latest/gr/rande.html#global-endpoints
// and the ARN formats of each service's "Actions, resources, and condition
// keys" page). Type tokens are those of pulumi-aws v6.83.4 (the module cache's
// sdk/v6@v6.83.4/go/aws/<module>/*.go, RegisterResource calls).
//
// Exempt from the location check does not mean exempt from destinations: a
// global resource that names a region or a regional ARN (a Route 53 query log
// into a CloudWatch log group, a CloudFront real-time log into a Kinesis
// stream) is still checked for it, except for the keys in NotDestinations.

// GlobalModules are pulumi-aws modules whose every resource type is global.
var GlobalModules = map[string]string{
	"iam":                      "IAM (global service; ARNs arn:aws:iam::account:...)",
	"cloudfront":               "CloudFront (global service)",
	"organizations":            "AWS Organizations (global service)",
	"waf":                      "WAF Classic global (for CloudFront; the regional one is aws:wafregional)",
	"shield":                   "Shield Advanced (global service)",
	"globalaccelerator":        "Global Accelerator (global service; endpoints are checked where they are)",
	"route53domains":           "Route 53 Domains (global service)",
	"route53recoverycontrol":   "Route 53 Application Recovery Controller routing control (global service)",
	"route53recoveryreadiness": "Route 53 Application Recovery Controller readiness (global service)",
	"budgets":                  "AWS Budgets (global service)",
	"costexplorer":             "Cost Explorer (global service)",
	"cur":                      "Cost and Usage Reports (global; the report's S3 bucket is checked as a destination)",
	"account":                  "AWS Account Management (account-wide settings)",
}

// GlobalTypes are global resource types of modules that also have regional
// types (Route 53's hosted zones are global, its Resolver and Profiles are
// regional), and global data stores whose members are checked instead.
var GlobalTypes = map[string]string{
	"aws:route53/zone:Zone":                                               "Route 53 hosted zone (global)",
	"aws:route53/record:Record":                                           "Route 53 record (global)",
	"aws:route53/recordsExclusive:RecordsExclusive":                       "Route 53 records (global)",
	"aws:route53/healthCheck:HealthCheck":                                 "Route 53 health check (global)",
	"aws:route53/delegationSet:DelegationSet":                             "Route 53 delegation set (global)",
	"aws:route53/hostedZoneDnsSec:HostedZoneDnsSec":                       "Route 53 DNSSEC (global)",
	"aws:route53/keySigningKey:KeySigningKey":                             "Route 53 key-signing key (global; its KMS key is in us-east-1 by AWS's rule and is checked as a destination)",
	"aws:route53/queryLog:QueryLog":                                       "Route 53 query logging (global; its log group is checked as a destination)",
	"aws:route53/trafficPolicy:TrafficPolicy":                             "Route 53 traffic policy (global)",
	"aws:route53/trafficPolicyInstance:TrafficPolicyInstance":             "Route 53 traffic policy record (global)",
	"aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization": "Route 53 zone-VPC authorization (global; the VPC's region is checked)",
	"aws:route53/zoneAssociation:ZoneAssociation":                         "Route 53 zone-VPC association (global; the VPC's region is checked)",
	"aws:route53/cidrCollection:CidrCollection":                           "Route 53 CIDR collection (global)",
	"aws:route53/cidrLocation:CidrLocation":                               "Route 53 CIDR location (global)",
	"aws:rds/globalCluster:GlobalCluster":                                 "Aurora global database (global; every member cluster is checked, and members outside the deployment by their ARN)",
	"aws:docdb/globalCluster:GlobalCluster":                               "DocumentDB global cluster (global; members are checked)",
	"aws:neptune/globalCluster:GlobalCluster":                             "Neptune global database (global; members are checked)",
	"aws:elasticache/globalReplicationGroup:GlobalReplicationGroup":       "ElastiCache global datastore (global; members are checked)",
}

// NotDestinations are keys of global types that name regions which are not
// places data goes: Route 53 health checkers probe an endpoint from these
// regions (at least three of a fixed list, so no single jurisdiction could
// satisfy them), and the endpoint itself is checked where it is.
var NotDestinations = map[string]map[string]bool{
	"aws:route53/healthCheck:HealthCheck": {"regions": true},
}

// GlobalReason returns why typ is exempt from the location check, or "" when it
// is regional. A WAFv2 resource is global when its scope is CLOUDFRONT; the
// caller passes that scope ("" when not a WAFv2 resource).
func GlobalReason(typ, wafScope string) string {
	if r, ok := GlobalTypes[typ]; ok {
		return r
	}
	if strings.HasPrefix(typ, "aws:wafv2/") && wafScope == "CLOUDFRONT" {
		return "WAFv2 with scope CLOUDFRONT (global)"
	}
	module, _, ok := strings.Cut(strings.TrimPrefix(typ, "aws:"), "/")
	if !ok || !strings.HasPrefix(typ, "aws:") {
		return ""
	}
	return GlobalModules[module]
}

// LooksLikeRegion reports whether s has the shape of an AWS region name in
// any partition (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1,
// eu-isoe-west-1): two letters, one or more "-word" parts, then "-digits"
// (the regular expression ^[a-z]{2}(-[a-z]+)+-[0-9]+$, checked by hand:
// policies call it for every ARN of every resource).
func LooksLikeRegion(s string) bool {
	if len(s) < 6 || len(s) > 32 || !lower(s[0]) || !lower(s[1]) || s[2] != '-' {
		return false
	}
	last := strings.LastIndexByte(s, '-')
	if last <= 2 || last == len(s)-1 {
		return false
	}
	for i := last + 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	words := s[3:last] // "east" or "gov-west"
	if words == "" || words[0] == '-' || words[len(words)-1] == '-' {
		return false
	}
	for i := 0; i < len(words); i++ {
		c := words[i]
		if !lower(c) && !(c == '-' && words[i-1] != '-') {
			return false
		}
	}
	return true
}

func lower(c byte) bool { return c >= 'a' && c <= 'z' }

// Within reports whether every region the patterns allow is also allowed by
// base: a jurisdiction may be narrowed ("eu" to ["eu-central-1"]), never widened.
func Within(patterns, base []string) bool {
	if len(patterns) == 0 {
		return false
	}
	for _, p := range patterns {
		prefix, wildcard := strings.CutSuffix(p, "*")
		ok := false
		for _, b := range base {
			bprefix, bwild := strings.CutSuffix(b, "*")
			switch {
			case bwild && strings.HasPrefix(prefix, bprefix):
				ok = true
			case !bwild && !wildcard && p == b:
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
