package mockengine

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// albZoneIDs are the canonical hosted zone IDs of Application Load Balancers per
// region (published by AWS), so that alias records in tests look like real ones.
var albZoneIDs = map[string]string{
	"us-east-1":      "Z35SXDOTRQ7X7K",
	"us-east-2":      "Z3AADJGX6KTTL2",
	"us-west-1":      "Z368ELLRRE2KJ0",
	"us-west-2":      "Z1H1FL5HABSF5",
	"ca-central-1":   "ZQSVJUPU6J1EY",
	"eu-west-1":      "Z32O12XQLNTSW2",
	"eu-west-2":      "ZHURV8PSTC4K8",
	"eu-west-3":      "Z3Q77PNBQS71R4",
	"eu-central-1":   "Z215JYRZR1TBD5",
	"eu-north-1":     "Z23TAZ7KC4DBXA",
	"ap-southeast-1": "Z1LMS91P8CMLE5",
	"ap-southeast-2": "Z1GM3OXH4ZPM65",
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-south-1":     "ZP97RAFLXTNZK",
	"sa-east-1":      "Z2P70J7HTTTPLU",
}

// ALBZoneID returns the hosted zone ID the mock gives load balancers in region.
func ALBZoneID(region string) string {
	if z, ok := albZoneIDs[region]; ok {
		return z
	}
	return "ZMOCK" + strings.ToUpper(hash8(region))
}

// regionCode shortens a region for mocked zone IDs: "us-east-1" -> "use1".
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	return parts[0] + parts[1][:1] + parts[2]
}

// idPrefixes are the physical ID prefixes of EC2 resources.
var idPrefixes = map[string]string{
	"aws:ec2/vpc:Vpc":                                     "vpc-",
	"aws:ec2/subnet:Subnet":                               "subnet-",
	"aws:ec2/securityGroup:SecurityGroup":                 "sg-",
	"aws:ec2/internetGateway:InternetGateway":             "igw-",
	"aws:ec2/natGateway:NatGateway":                       "nat-",
	"aws:ec2/eip:Eip":                                     "eipalloc-",
	"aws:ec2/routeTable:RouteTable":                       "rtb-",
	"aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
	"aws:ec2/route:Route":                                 "r-",
	"aws:ec2/vpcEndpoint:VpcEndpoint":                     "vpce-",
}

// fakeID returns a deterministic physical ID for a resource.
func fakeID(typ, name, urn string) string {
	h := hash8(urn)
	if p, ok := idPrefixes[typ]; ok {
		return p + h + h
	}
	switch {
	case typ == "aws:kms/key:Key":
		return fmt.Sprintf("%s-%s-4%s-8%s-%s%s", h, h[:4], h[4:7], h[1:4], h, h[:4])
	case typ == "aws:route53/zone:Zone":
		return "Z" + strings.ToUpper(h) + "MOCK"
	case typ == "aws:route53/healthCheck:HealthCheck":
		return fmt.Sprintf("%s-%s-%s-%s-%s%s", h, h[:4], h[4:], h[2:6], h, h[:4])
	case strings.HasPrefix(typ, "cloudflare:"):
		return h + h + h + h
	case strings.HasPrefix(typ, "pulumi:providers:"):
		return h + "-" + h[:4] + "-" + h[4:] + "-provider"
	}
	return name + "-" + h[:7]
}

// addOutputs adds the computed outputs a real provider would return.
func addOutputs(typ, name, id, region, urn string, out resource.PropertyMap) {
	h := hash8(urn)
	acct := AccountID
	str := func(k, v string) { out[resource.PropertyKey(k)] = resource.NewProperty(v) }
	has := func(k string) bool { v, ok := out[resource.PropertyKey(k)]; return ok && !v.IsNull() }
	get := func(k string) string {
		if v, ok := out[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	// physical names: a missing "name" is auto-named from the logical name.
	physical := func(key string) string {
		if v := get(key); v != "" {
			return v
		}
		v := name + "-" + h[:7]
		str(key, v)
		return v
	}
	service := ""
	if strings.HasPrefix(typ, "aws:") {
		if mod, _, ok := strings.Cut(strings.TrimPrefix(typ, "aws:"), "/"); ok {
			service = mod
		}
	}
	switch typ {
	case "aws:lb/loadBalancer:LoadBalancer":
		n := physical("name")
		str("dnsName", fmt.Sprintf("%s-%d.%s.elb.amazonaws.com", n, 1000000+int(h[0])*1000+int(h[1]), region))
		str("zoneId", ALBZoneID(region))
		str("arnSuffix", "app/"+n+"/"+h+h)
		str("arn", fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s%s", region, acct, n, h, h))
	case "aws:lb/targetGroup:TargetGroup":
		n := physical("name")
		str("arnSuffix", "targetgroup/"+n+"/"+h+h)
		str("arn", fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s%s", region, acct, n, h, h))
	case "aws:lb/listener:Listener":
		str("arn", fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s", region, acct, name, h))
	case "aws:ec2/eip:Eip":
		// pulumi-aws ec2.Eip: allocationId is the allocation's ID (what a NAT
		// gateway's allocationId names), publicIp its address.
		str("allocationId", id)
		str("publicIp", fmt.Sprintf("203.0.113.%d", int(h[0])%254+1))
	case "aws:kms/key:Key":
		str("keyId", id)
		str("arn", fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, acct, id))
	case "aws:kms/alias:Alias":
		str("arn", fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, acct, physical("name")))
	case "aws:rds/instance:Instance":
		ident := physical("identifier")
		port := "5432"
		if v, ok := out["port"]; ok && v.IsNumber() {
			port = fmt.Sprint(int(v.NumberValue()))
		}
		addr := fmt.Sprintf("%s.c%s.%s.rds.amazonaws.com", ident, h, region)
		str("address", addr)
		str("endpoint", addr+":"+port)
		str("arn", fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", region, acct, ident))
		str("resourceId", "db-"+strings.ToUpper(h+h))
	case "aws:rds/cluster:Cluster":
		ident := physical("clusterIdentifier")
		str("endpoint", fmt.Sprintf("%s.cluster-c%s.%s.rds.amazonaws.com", ident, h, region))
		str("readerEndpoint", fmt.Sprintf("%s.cluster-ro-c%s.%s.rds.amazonaws.com", ident, h, region))
		str("arn", fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", region, acct, ident))
		str("clusterResourceId", "cluster-"+strings.ToUpper(h+h))
	case "aws:rds/clusterInstance:ClusterInstance":
		ident := physical("identifier")
		str("endpoint", fmt.Sprintf("%s.c%s.%s.rds.amazonaws.com", ident, h, region))
		str("arn", fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", region, acct, ident))
	case "aws:rds/globalCluster:GlobalCluster":
		ident := physical("globalClusterIdentifier")
		str("endpoint", fmt.Sprintf("%s.global-c%s.global.rds.amazonaws.com", ident, h))
		str("arn", fmt.Sprintf("arn:aws:rds::%s:global-cluster:%s", acct, ident))
		str("globalClusterResourceId", "cluster-"+strings.ToUpper(h))
	case "aws:rds/subnetGroup:SubnetGroup":
		n := physical("name")
		str("arn", fmt.Sprintf("arn:aws:rds:%s:%s:subgrp:%s", region, acct, n))
	case "aws:dynamodb/table:Table":
		n := physical("name")
		str("arn", fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, acct, n))
		str("streamArn", fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s/stream/2026-01-01T00:00:00.000", region, acct, n))
	case "aws:secretsmanager/secret:Secret":
		n := physical("name")
		str("arn", fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", region, acct, n, h[:6]))
	case "aws:route53/zone:Zone":
		str("zoneId", id)
		out["nameServers"] = resource.NewProperty([]resource.PropertyValue{
			resource.NewProperty("ns-1.awsdns-01.org"), resource.NewProperty("ns-2.awsdns-02.net"),
		})
	case "aws:route53/record:Record":
		str("fqdn", strings.TrimSuffix(get("name"), "."))
	case "aws:ecs/cluster:Cluster":
		str("arn", fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, acct, physical("name")))
	case "aws:ecs/service:Service":
		physical("name")
	case "aws:ecs/taskDefinition:TaskDefinition":
		str("arn", fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:1", region, acct, get("family")))
		str("revision", "1")
	case "aws:cloudwatch/logGroup:LogGroup":
		str("arn", fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, acct, physical("name")))
	case "aws:iam/role:Role":
		str("arn", fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, physical("name")))
	case "random:index/randomPassword:RandomPassword":
		out["result"] = resource.MakeSecret(resource.NewProperty("mock-" + h + "-password"))
	case "random:index/randomId:RandomId":
		str("hex", h) // 4 bytes, as the components request
		str("b64Url", h)
	case "cloudflare:index/loadBalancer:LoadBalancer", "cloudflare:index/loadBalancerPool:LoadBalancerPool",
		"cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor":
		// ids are enough
	default:
		if service != "" && !has("arn") {
			str("arn", fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, acct, id))
		}
	}
}
