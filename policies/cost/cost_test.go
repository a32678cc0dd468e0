package cost_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies/cost"
	"github.com/multiregion/multiregion/policies/model"
)

func res(typ, name, region string, p map[string]any) *model.Resource {
	m := resource.NewPropertyMapFromMap(p)
	return &model.Resource{URN: "urn:pulumi:t::p::" + typ + "::" + name, Type: typ, Name: name, Region: region,
		Custom: true, ID: name, Inputs: m, Outputs: m}
}

func TestCatalogLoads(t *testing.T) {
	t.Parallel()
	c, err := cost.Load()
	require.NoError(t, err)
	assert.Equal(t, "2026-11-25", c.CatalogDate)
	assert.Equal(t, 730.0, c.HoursPerMonth)
	for key, g := range c.Global {
		assert.NotEmpty(t, g.Source, key)
	}
	v, _ := c.Transfer("us-east-1", "us-east-2")
	assert.Equal(t, 0.01, v)
	v, _ = c.Transfer("ap-southeast-1", "eu-west-1")
	assert.Equal(t, 0.09, v)
}

// TestHandComputed checks the arithmetic on a case worked out by hand from
// the prices in shared/reference/aws-prices.md.
func TestHandComputed(t *testing.T) {
	t.Parallel()
	rs := []*model.Resource{
		// 730 h x $0.045 + 100 GB x $0.045 = 32.85 + 4.50 = 37.35
		res("aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil),
		// 730 x 0.0225 + 1 LCU x 0.008 x 730 + 50 GB x 0.09 = 16.425 + 5.84 + 4.5 = 26.765
		// internet-facing, two subnets: + 2 public IPv4 x 0.005 x 730 = 7.30; 34.065
		res("aws:lb/loadBalancer:LoadBalancer", "alb", "us-east-1", map[string]any{"subnets": []any{"a", "b"}}),
		// 2 tasks x (0.5 vCPU x 0.04048 + 1 GB x 0.004445) x 730 = 36.0401
		res("aws:ecs/taskDefinition:TaskDefinition", "td", "us-east-1", map[string]any{"arn": "arn:td", "cpu": "512", "memory": "1024"}),
		res("aws:ecs/service:Service", "svc", "us-east-1", map[string]any{"taskDefinition": "arn:td", "desiredCount": 2, "launchType": "FARGATE"}),
		// db.t4g.medium Multi-AZ 730 x 0.129 + 50 GB x 0.23 = 94.17 + 11.5 = 105.67
		res("aws:rds/instance:Instance", "db", "us-east-1", map[string]any{"engine": "postgres", "instanceClass": "db.t4g.medium", "multiAz": true, "allocatedStorage": 50,
			"arn": "arn:aws:rds:us-east-1:123456789012:db:db"}),
		// $1
		res("aws:kms/key:Key", "key", "us-east-1", nil),
		// a replica in us-west-2: db.t4g.medium single-AZ 730 x 0.065 + 20 GB (default) x 0.115 = 47.45 + 2.3 = 49.75
		// plus replication 50 GB x $0.02 = $1 billed in us-east-1
		res("aws:rds/instance:Instance", "replica", "us-west-2", map[string]any{"instanceClass": "db.t4g.medium",
			"replicateSourceDb": "arn:aws:rds:us-east-1:123456789012:db:db"}),
		// HTTPS health check: $0.50 + $1
		res("aws:route53/healthCheck:HealthCheck", "hc", "", map[string]any{"type": "HTTPS", "requestInterval": 30}),
		// free
		res("aws:ec2/vpc:Vpc", "vpc", "us-east-1", nil),
		// one public IPv4: 730 x 0.005 = 3.65
		res("aws:ec2/eip:Eip", "eip", "us-east-1", nil),
		// unpriced
		res("aws:ec2/natGateway:NatGateway", "nat-govcloud", "us-gov-west-1", nil),
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	byName := map[string]float64{}
	for _, l := range est.ByResource {
		byName[l.Name+"@"+l.Region] += l.MonthlyUSD
	}
	assert.Equal(t, 37.35, byName["nat@us-east-1"])
	assert.Equal(t, 34.07, byName["alb@us-east-1"])
	assert.Equal(t, 3.65, byName["eip@us-east-1"])
	assert.Equal(t, 36.04, byName["svc@us-east-1"])
	assert.Equal(t, 105.67, byName["db@us-east-1"])
	assert.Equal(t, 1.0, byName["key@us-east-1"])
	assert.Equal(t, 49.75, byName["replica@us-west-2"])
	assert.Equal(t, 1.0, byName["replica@us-east-1"], "replication transfer is billed at the source")
	assert.Equal(t, 1.5, byName["hc@"])

	usEast := 37.35 + 34.07 + 36.04 + 105.67 + 1 + 1 + 3.65
	assert.InDelta(t, usEast, est.ByRegion["us-east-1"], 0.001)
	assert.InDelta(t, 49.75, est.ByRegion["us-west-2"], 0.001)
	assert.InDelta(t, 1.5, est.ByRegion["global"], 0.001)
	assert.InDelta(t, usEast+49.75+1.5, est.MonthlyUSD, 0.001)
	// the baseline is the primary region plus global services, without replication transfer
	assert.InDelta(t, usEast-1+1.5, est.SingleRegionBaselineUSD, 0.001)
	assert.InDelta(t, 49.75+1, est.PremiumUSD, 0.001)
	assert.Equal(t, "us-east-1", est.PrimaryRegion)

	var unpriced []string
	for _, u := range est.Unpriced {
		unpriced = append(unpriced, u.Type+": "+u.Reason)
	}
	require.Len(t, unpriced, 1, "one entry per resource")
	assert.Contains(t, unpriced[0], `the catalog has no prices for region "us-gov-west-1"`)
	assert.Equal(t, "2026-11-25", est.CatalogDate)
}

func TestUsageOverrides(t *testing.T) {
	t.Parallel()
	rs := []*model.Resource{res("aws:ec2/natGateway:NatGateway", "nat", "eu-central-1", nil)}
	est := (&cost.Estimator{Usage: cost.Usage{NATGBPerMonth: 1000}}).Estimate(rs, "")
	// 730 x 0.052 + 1000 x 0.052 = 37.96 + 52 = 89.96
	assert.Equal(t, 89.96, est.MonthlyUSD)
	assert.Equal(t, "eu-central-1", est.PrimaryRegion, "the costliest region when none is given")
	assert.Equal(t, 1000.0, est.Usage.NATGBPerMonth)
	assert.Equal(t, cost.DefaultUsage.ALBLCUs, est.Usage.ALBLCUs)
}

func TestAuroraAndDynamoDB(t *testing.T) {
	t.Parallel()
	rs := []*model.Resource{
		res("aws:rds/cluster:Cluster", "primary", "us-east-1", map[string]any{"engine": "aurora-postgresql", "masterUsername": "app", "globalClusterIdentifier": "g", "clusterIdentifier": "primary"}),
		res("aws:rds/cluster:Cluster", "secondary", "us-west-2", map[string]any{"engine": "aurora-postgresql", "globalClusterIdentifier": "g", "clusterIdentifier": "secondary"}),
		res("aws:rds/clusterInstance:ClusterInstance", "i1", "us-east-1", map[string]any{"engine": "aurora-postgresql", "instanceClass": "db.r6g.large", "clusterIdentifier": "primary"}),
		res("aws:dynamodb/table:Table", "t", "us-east-1", map[string]any{"billingMode": "PAY_PER_REQUEST",
			"pointInTimeRecovery": map[string]any{"enabled": true}, "replicas": []any{map[string]any{"regionName": "eu-west-1"}}}),
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	byName := map[string]float64{}
	for _, l := range est.ByResource {
		byName[l.Name+"@"+l.Region] += l.MonthlyUSD
	}
	// writer: 20 GB x 0.10 + 50 M I/O x 0.20 = 2 + 10 = 12
	assert.Equal(t, 12.0, byName["primary@us-east-1"])
	// secondary: 20 GB x 0.10 + 20 M write I/O x 0.20 = 2 + 4 = 6; transfer 50 GB x 0.02 = 1 at the source
	assert.Equal(t, 6.0, byName["secondary@us-west-2"])
	assert.Equal(t, 1.0, byName["secondary@us-east-1"])
	// 730 x 0.26
	assert.Equal(t, 189.8, byName["i1@us-east-1"])
	// table: 20 x 0.25 + PITR 20 x 0.2 + 10 M WRU x 0.625 + 50 M RRU x 0.125 = 5 + 4 + 6.25 + 6.25 = 21.5
	// replica eu-west-1: 20 x 0.283 + 20 x 0.22 + 10 x 0.705 = 5.66 + 4.4 + 7.05 = 17.11; transfer $1
	assert.Equal(t, 22.5, byName["t@us-east-1"])
	assert.Equal(t, 17.11, byName["t@eu-west-1"])
}

func BenchmarkEstimate(b *testing.B) {
	var rs []*model.Resource
	for i := 0; i < 1000; i++ {
		rs = append(rs,
			res("aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil),
			res("aws:lb/loadBalancer:LoadBalancer", "alb", "eu-west-1", nil),
			res("aws:rds/instance:Instance", "db", "us-west-2", map[string]any{"engine": "postgres", "instanceClass": "db.r6g.large", "allocatedStorage": 100}),
			res("aws:ec2/vpc:Vpc", "vpc", "us-east-1", nil))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		(&cost.Estimator{}).Estimate(rs, "us-east-1")
	}
	b.ReportMetric(float64(len(rs))*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
}

// TestPublicIPv4 checks that every public IPv4 address is priced once:
// $0.005/h x 730 h = $3.65 a month in us-east-1.
func TestPublicIPv4(t *testing.T) {
	t.Parallel()
	td := res("aws:ecs/taskDefinition:TaskDefinition", "td", "us-east-1", map[string]any{"family": "app", "revision": 2, "cpu": "256", "memory": "512"})
	rs := []*model.Resource{
		td,
		// 3 tasks with public IPs: 3 x 3.65 = 10.95 on top of the tasks
		res("aws:ecs/service:Service", "public-svc", "us-east-1", map[string]any{"taskDefinition": "app:2", "desiredCount": 3,
			"networkConfiguration": map[string]any{"assignPublicIp": true}}),
		res("aws:ecs/service:Service", "private-svc", "us-east-1", map[string]any{"taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/app:2", "desiredCount": 3}),
		// internet-facing across 3 subnets: 3 x 3.65; internal: none
		res("aws:lb/loadBalancer:LoadBalancer", "public-alb", "us-east-1", map[string]any{"subnets": []any{"a", "b", "c"}}),
		res("aws:lb/loadBalancer:LoadBalancer", "internal-alb", "us-east-1", map[string]any{"internal": true, "subnets": []any{"a", "b", "c"}}),
		// NAT with an EIP of this deployment: the EIP is priced, the NAT adds none
		res("aws:ec2/eip:Eip", "eip", "us-east-1", nil),
		res("aws:ec2/natGateway:NatGateway", "nat-own-eip", "us-east-1", map[string]any{"allocationId": "eip"}),
		// NAT with an EIP allocated elsewhere: priced on the NAT
		res("aws:ec2/natGateway:NatGateway", "nat-outside-eip", "us-east-1", map[string]any{"allocationId": "eipalloc-0123"}),
		res("aws:ec2/natGateway:NatGateway", "nat-private", "us-east-1", map[string]any{"connectivityType": "private", "allocationId": "eipalloc-9"}),
		// an EC2 instance with a public IP and a 100 GB gp3 root volume:
		// 730 x 0.0416 + 100 x 0.08 + 3.65 = 30.368 + 8 + 3.65 = 42.018
		res("aws:ec2/instance:Instance", "vm", "us-east-1", map[string]any{"instanceType": "t3.medium", "associatePublicIpAddress": true,
			"rootBlockDevice": map[string]any{"volumeSize": 100, "volumeType": "gp3"}}),
		// NLB is not an ALB
		res("aws:lb/loadBalancer:LoadBalancer", "nlb", "us-east-1", map[string]any{"loadBalancerType": "network"}),
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	byName := map[string]float64{}
	for _, l := range est.ByResource {
		byName[l.Name] += l.MonthlyUSD
	}
	assert.InDelta(t, 10.95, byName["public-svc"]-byName["private-svc"], 0.011)
	assert.InDelta(t, 10.95, byName["public-alb"]-byName["internal-alb"], 0.011)
	assert.Equal(t, 3.65, byName["eip"])
	assert.InDelta(t, 3.65, byName["nat-outside-eip"]-byName["nat-own-eip"], 0.011)
	assert.Equal(t, byName["nat-own-eip"], byName["nat-private"])
	assert.Equal(t, 42.02, byName["vm"])
	require.Len(t, est.Unpriced, 1)
	assert.Equal(t, "nlb", est.Unpriced[0].URN[strings.LastIndex(est.Unpriced[0].URN, ":")+1:])
}

// TestInvalidInputs: a negative count, size or retention is refused and left
// out of the total, never subtracted.
func TestInvalidInputs(t *testing.T) {
	t.Parallel()
	rs := []*model.Resource{
		res("aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil),
		res("aws:cloudwatch/logGroup:LogGroup", "logs", "us-east-1", map[string]any{"retentionInDays": -3000}),
		res("aws:ec2/instance:Instance", "vm", "us-east-1", map[string]any{"instanceType": "t3.micro", "rootBlockDevice": map[string]any{"volumeSize": -1000}}),
	}
	est := (&cost.Estimator{Usage: cost.Usage{ALBLCUs: -5}}).Estimate(rs, "us-east-1")
	assert.Equal(t, 37.35, est.MonthlyUSD, "only the NAT gateway counts")
	var keys []string
	for _, inv := range est.Invalid {
		keys = append(keys, inv.Key)
	}
	assert.ElementsMatch(t, []string{"retentionInDays", "rootBlockDevice.volumeSize", "usage.albLCUs"}, keys)
	assert.Equal(t, cost.DefaultUsage.ALBLCUs, est.Usage.ALBLCUs, "a negative usage is replaced by the default")
}

// TestOverrideNeverLowers: an override prices only the part the catalog could
// not price; a table priced in us-east-1 keeps that price when its replica in
// GovCloud is overridden at $0.
func TestOverrideNeverLowers(t *testing.T) {
	t.Parallel()
	table := res("aws:dynamodb/table:Table", "t", "us-east-1", map[string]any{"billingMode": "PAY_PER_REQUEST",
		"replicas": []any{map[string]any{"regionName": "us-gov-west-1"}}})
	plain := (&cost.Estimator{}).Estimate([]*model.Resource{table}, "us-east-1")
	require.Len(t, plain.Unpriced, 1)
	over := (&cost.Estimator{PriceOverrides: map[string]float64{"aws:dynamodb/table:Table": 0}}).Estimate([]*model.Resource{table}, "us-east-1")
	assert.Empty(t, over.Unpriced)
	assert.Equal(t, plain.MonthlyUSD, over.MonthlyUSD)
	assert.Greater(t, over.MonthlyUSD, 0.0)
}

// TestFreeList: free types are documented and never priced; anything else is
// priced or unpriced.
func TestFreeList(t *testing.T) {
	t.Parallel()
	types := cost.FreeTypes()
	require.NotEmpty(t, types)
	for _, typ := range types {
		if strings.HasSuffix(typ, ":*") {
			continue
		}
		est := (&cost.Estimator{}).Estimate([]*model.Resource{res(typ, "x", "us-east-1", nil)}, "us-east-1")
		assert.Empty(t, est.Unpriced, typ)
		assert.Empty(t, est.ByResource, typ)
	}
	assert.True(t, cost.Free("random:index/randomPassword:RandomPassword"))
	assert.False(t, cost.Free("aws:ec2/eip:Eip"))
	assert.False(t, cost.Free("aws:ec2/vpcEndpoint:VpcEndpoint"), "interface endpoints are billed hourly")
}

// TestRDSUnpricedShapes: RDS shapes the catalog cannot price are unpriced, not
// priced as PostgreSQL gp3.
func TestRDSUnpricedShapes(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]map[string]any{
		"mysql":           {"engine": "mysql", "instanceClass": "db.t4g.micro"},
		"io1":             {"engine": "postgres", "instanceClass": "db.t4g.micro", "storageType": "io1", "iops": 3000},
		"iops-default":    {"engine": "postgres", "instanceClass": "db.t4g.micro", "iops": 3000},
		"outside-replica": {"instanceClass": "db.t4g.micro", "replicateSourceDb": "arn:aws:rds:us-east-1:1:db:elsewhere"},
		"unknown-class":   {"engine": "postgres", "instanceClass": "db.r5.24xlarge"},
	} {
		est := (&cost.Estimator{}).Estimate([]*model.Resource{res("aws:rds/instance:Instance", name, "us-east-1", p)}, "")
		assert.Len(t, est.Unpriced, 1, name)
		assert.Empty(t, est.ByResource, name)
	}
	est := (&cost.Estimator{}).Estimate([]*model.Resource{res("aws:rds/cluster:Cluster", "multiaz", "us-east-1", map[string]any{"engine": "postgres"})}, "")
	assert.Len(t, est.Unpriced, 1, "a Multi-AZ DB cluster is not an Aurora cluster")
	est = (&cost.Estimator{}).Estimate([]*model.Resource{res("aws:rds/cluster:Cluster", "v1", "us-east-1", map[string]any{"engine": "aurora-postgresql", "engineMode": "serverless"})}, "")
	assert.Len(t, est.Unpriced, 1, "Aurora Serverless v1 capacity is not priced")
}

// TestMorePricedTypes: alarms, EBS volumes, KMS replica keys, the legacy alb
// module, Fargate ephemeral storage and the FARGATE capacity provider.
func TestMorePricedTypes(t *testing.T) {
	t.Parallel()
	td := res("aws:ecs/taskDefinition:TaskDefinition", "td", "us-east-1", map[string]any{"family": "big", "revision": 1, "cpu": "1024", "memory": "2048",
		"ephemeralStorage": map[string]any{"sizeInGib": 120}})
	rs := []*model.Resource{
		td,
		// 1 x (1 x 0.04048 + 2 x 0.004445) x 730 + 100 GB x 0.000111 x 730 = 36.0401 + 8.103 = 44.14
		res("aws:ecs/service:Service", "svc", "us-east-1", map[string]any{"taskDefinition": "big:1", "desiredCount": 1,
			"capacityProviderStrategies": []any{map[string]any{"capacityProvider": "FARGATE", "weight": 1}}}),
		res("aws:ecs/service:Service", "spot", "us-east-1", map[string]any{"taskDefinition": "big:1", "desiredCount": 1,
			"capacityProviderStrategies": []any{map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": 1}}}),
		res("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", "us-east-1", map[string]any{"period": 60}),
		res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast-alarm", "us-east-1", map[string]any{"period": 10}),
		res("aws:ebs/volume:Volume", "vol", "us-east-1", map[string]any{"size": 500, "type": "gp3"}),
		res("aws:ebs/volume:Volume", "io2", "us-east-1", map[string]any{"size": 500, "type": "io2"}),
		res("aws:kms/replicaKey:ReplicaKey", "replica-key", "eu-west-1", nil),
		res("aws:alb/loadBalancer:LoadBalancer", "legacy-alb", "us-east-1", map[string]any{"internal": true}),
		res("aws:alb/listener:Listener", "legacy-listener", "us-east-1", nil),
		res("aws:ecs/cluster:Cluster", "insights", "us-east-1", map[string]any{"settings": []any{map[string]any{"name": "containerInsights", "value": "enabled"}}}),
		res("aws:ecs/cluster:Cluster", "enhanced", "us-east-1", map[string]any{"settings": []any{map[string]any{"name": "containerInsights", "value": "enhanced"}}}),
		res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3-endpoint", "us-east-1", map[string]any{"vpcEndpointType": "Gateway"}),
		res("aws:ec2/vpcEndpoint:VpcEndpoint", "interface-endpoint", "us-east-1", map[string]any{"vpcEndpointType": "Interface"}),
		res("aws:ecs/cluster:Cluster", "plain", "us-east-1", map[string]any{"settings": []any{map[string]any{"name": "containerInsights", "value": "disabled"}}}),
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	byName := map[string]float64{}
	for _, l := range est.ByResource {
		byName[l.Name] += l.MonthlyUSD
	}
	assert.Equal(t, 44.14, byName["svc"])
	assert.Equal(t, 0.1, byName["alarm"])
	assert.Equal(t, 0.3, byName["fast-alarm"])
	assert.Equal(t, 40.0, byName["vol"])
	assert.Equal(t, 1.0, byName["replica-key"])
	assert.Equal(t, 26.77, byName["legacy-alb"])
	assert.Equal(t, 9.0, byName["insights"], "30 metrics x $0.30")
	assert.NotContains(t, byName, "plain")
	var unpriced []string
	for _, u := range est.Unpriced {
		unpriced = append(unpriced, u.URN[strings.LastIndex(u.URN, ":")+1:])
	}
	assert.ElementsMatch(t, []string{"spot", "io2", "enhanced", "interface-endpoint"}, unpriced)
	assert.NotContains(t, byName, "s3-endpoint", "gateway endpoints are free")
}

// TestFractionalSizes: sizes AWS takes in whole GiB are refused when fractional.
func TestFractionalSizes(t *testing.T) {
	t.Parallel()
	est := (&cost.Estimator{}).Estimate([]*model.Resource{
		res("aws:rds/instance:Instance", "db", "us-east-1", map[string]any{"engine": "postgres", "instanceClass": "db.t4g.micro", "allocatedStorage": 20.5}),
		res("aws:ebs/volume:Volume", "vol", "us-east-1", map[string]any{"size": 0.5, "type": "gp3"}),
	}, "")
	require.Len(t, est.Invalid, 2)
	assert.Contains(t, est.Invalid[0].Reason+est.Invalid[1].Reason, "allocatedStorage is 20.5: it must be a whole number >= 0")
	assert.Empty(t, est.ByResource)
}

// TestNonFiniteInputs: numbers written as "NaN" or "Inf" strings never reach the
// total.
func TestNonFiniteInputs(t *testing.T) {
	t.Parallel()
	rs := []*model.Resource{
		res("aws:ec2/natGateway:NatGateway", "nat", "us-east-1", nil),
		res("aws:ecs/taskDefinition:TaskDefinition", "td", "us-east-1", map[string]any{"family": "x", "revision": 1, "cpu": "NaN", "memory": "512"}),
		res("aws:ecs/service:Service", "svc", "us-east-1", map[string]any{"taskDefinition": "x:1", "desiredCount": 1}),
		res("aws:ecs/service:Service", "inf", "us-east-1", map[string]any{"taskDefinition": "x:1", "desiredCount": "Inf"}),
		res("aws:ec2/instance:Instance", "vm", "us-east-1", map[string]any{"instanceType": "t3.micro", "rootBlockDevice": map[string]any{"volumeSize": "NaN"}}),
		res("aws:dynamodb/table:Table", "t", "us-east-1", map[string]any{"billingMode": "PROVISIONED", "readCapacity": "NaN", "writeCapacity": 1}),
	}
	est := (&cost.Estimator{}).Estimate(rs, "us-east-1")
	assert.Equal(t, 37.35, est.MonthlyUSD)
	assert.Len(t, est.Invalid, 4, "svc: cpu; inf: desiredCount; vm: volumeSize; t: readCapacity")
}
