package regionalstack_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/validation"
)

const image = "public.ecr.aws/nginx/nginx:1.27"

// nonTaggable are AWS types without a tags property.
var nonTaggable = map[string]bool{
	"aws:ec2/route:Route": true,
	"aws:ec2/routeTableAssociation:RouteTableAssociation": true,
	"aws:kms/alias:Alias":                               true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true,
	"aws:appautoscaling/policy:Policy":                  true,
}

// build runs one RegionalStack per region, each on its own provider.
func build(t *testing.T, regions []string, args func(region string) *regionalstack.Args) (*mockengine.Recorder, map[string]*regionalstack.RegionalStack, error) {
	t.Helper()
	stacks := map[string]*regionalstack.RegionalStack{}
	rec, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		for _, region := range regions {
			p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return err
			}
			rs, err := regionalstack.New(ctx, "app-"+region, args(region), pulumi.Provider(p))
			if err != nil {
				return err
			}
			stacks[region] = rs
		}
		return nil
	})
	return rec, stacks, err
}

func count(rec *mockengine.Recorder, typ string) int { return len(rec.ByType(typ)) }

func TestResourceCountsPerNATStrategyAndAZCount(t *testing.T) {
	t.Parallel()
	cases := []struct {
		nat           string
		azs           int
		wantNAT       int
		wantPrivRoute int
	}{
		{regionalstack.NATNone, 2, 0, 0},
		{regionalstack.NATNone, 3, 0, 0},
		{regionalstack.NATSingle, 2, 1, 2},
		{regionalstack.NATSingle, 3, 1, 3},
		{regionalstack.NATOnePerAZ, 2, 2, 2},
		{regionalstack.NATOnePerAZ, 3, 3, 3},
		{regionalstack.NATOnePerAZ, 6, 6, 6},
	}
	for _, tc := range cases {
		t.Run(tc.nat+"/"+string(rune('0'+tc.azs)), func(t *testing.T) {
			t.Parallel()
			rec, _, err := build(t, []string{"us-east-1"}, func(string) *regionalstack.Args {
				return &regionalstack.Args{Image: image, NATStrategy: tc.nat, AZCount: tc.azs}
			})
			require.NoError(t, err)
			assert.Equal(t, 1, count(rec, "aws:ec2/vpc:Vpc"))
			assert.Equal(t, 2*tc.azs, count(rec, "aws:ec2/subnet:Subnet"), "subnets")
			assert.Equal(t, tc.wantNAT, count(rec, "aws:ec2/natGateway:NatGateway"), "NAT gateways")
			assert.Equal(t, tc.wantNAT, count(rec, "aws:ec2/eip:Eip"), "elastic IPs")
			assert.Equal(t, 1+tc.azs, count(rec, "aws:ec2/routeTable:RouteTable"), "route tables")
			assert.Equal(t, 1+tc.wantPrivRoute, count(rec, "aws:ec2/route:Route"), "routes")
			assert.Equal(t, 2*tc.azs, count(rec, "aws:ec2/routeTableAssociation:RouteTableAssociation"))
			assert.Equal(t, 3, count(rec, "aws:ec2/securityGroup:SecurityGroup"))
			assert.Equal(t, 1, count(rec, "aws:lb/loadBalancer:LoadBalancer"))
			assert.Equal(t, 1, count(rec, "aws:ecs/service:Service"))
			assert.Equal(t, 1, count(rec, "aws:kms/key:Key"))

			// NAT none: tasks in public subnets with public IPs; otherwise private.
			svc := rec.ByType("aws:ecs/service:Service")[0]
			publicIP, _ := props.Bool(svc.Inputs, "networkConfiguration.assignPublicIp")
			assert.Equal(t, tc.nat == regionalstack.NATNone, publicIP)
			subnets := props.Strings(svc.Inputs, "networkConfiguration.subnets")
			assert.Len(t, subnets, tc.azs)
			for _, id := range subnets {
				var sub *mockengine.Resource
				for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
					if s.ID == id {
						sub = s
					}
				}
				require.NotNil(t, sub, "service subnet %s", id)
				wantRole := "-private-"
				if tc.nat == regionalstack.NATNone {
					wantRole = "-public-"
				}
				assert.Contains(t, sub.Name, wantRole)
			}
		})
	}
}

func TestOnePerAZRoutesEachZoneThroughItsOwnNAT(t *testing.T) {
	t.Parallel()
	rec, _, err := build(t, []string{"us-west-2"}, func(string) *regionalstack.Args {
		return &regionalstack.Args{Image: image}
	})
	require.NoError(t, err)
	natByZone := map[string]string{}
	for _, nat := range rec.ByType("aws:ec2/natGateway:NatGateway") {
		natByZone[nat.Name[strings.LastIndex(nat.Name, "-")+1:]] = nat.ID
	}
	routes := 0
	for _, r := range rec.ByType("aws:ec2/route:Route") {
		if !strings.Contains(r.Name, "private-default-route") {
			continue
		}
		routes++
		zone := r.Name[strings.LastIndex(r.Name, "-")+1:]
		assert.Equal(t, natByZone[zone], props.String(r.Inputs, "natGatewayId"), "route %s", r.Name)
	}
	assert.Len(t, natByZone, 3)
	assert.Equal(t, 3, routes, "one private default route per zone")
}

func TestSubnetsAreInsideTheVPCAndDoNotOverlap(t *testing.T) {
	t.Parallel()
	for _, cidr := range []string{"10.0.0.0/16", "172.20.0.0/20", "10.8.4.0/24"} {
		rec, _, err := build(t, []string{"eu-west-1"}, func(string) *regionalstack.Args {
			return &regionalstack.Args{Image: image, VPCCIDR: cidr, AZCount: 6}
		})
		require.NoError(t, err, cidr)
		vpc := netip.MustParsePrefix(cidr)
		var prefixes []netip.Prefix
		for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
			p := netip.MustParsePrefix(props.String(s.Inputs, "cidrBlock"))
			assert.True(t, vpc.Contains(p.Addr()) && p.Bits() == vpc.Bits()+4, "%s not a /%d inside %s", p, vpc.Bits()+4, vpc)
			for _, q := range prefixes {
				assert.False(t, p.Overlaps(q), "%s overlaps %s", p, q)
			}
			prefixes = append(prefixes, p)
		}
		assert.Len(t, prefixes, 12)
	}
}

func TestTwoRegionsDoNotCollideAndUseTheirOwnProvider(t *testing.T) {
	t.Parallel()
	regions := []string{"us-east-1", "eu-central-1"}
	rec, stacks, err := build(t, regions, func(string) *regionalstack.Args {
		return &regionalstack.Args{Image: image}
	})
	require.NoError(t, err)

	seen := map[string]bool{}
	components := map[string]string{} // component URN -> region
	for _, r := range rec.Resources() {
		key := r.Type + "/" + r.Name
		assert.False(t, seen[key], "two resources named %s", key)
		seen[key] = true
		if r.Type == regionalstack.TypeToken {
			components[r.URN] = strings.TrimPrefix(r.Name, "app-")
		}
	}
	require.Len(t, components, 2)
	for region, rs := range stacks {
		assert.Equal(t, region, rs.RegionName)
		assert.Len(t, rs.Zones, 3)
		for _, z := range rs.Zones {
			assert.True(t, strings.HasPrefix(z, region), "zone %s in %s", z, region)
		}
	}

	for _, r := range rec.Resources() {
		if r.Type == regionalstack.TypeToken || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		// every child has its component as an ancestor ...
		var owner string
		for _, a := range rec.Ancestors(r) {
			if region, ok := components[a]; ok {
				owner = region
			}
		}
		require.NotEmpty(t, owner, "%s %s has no RegionalStack ancestor", r.Type, r.Name)
		// ... and the AWS provider of that component's region (pulumi-awsx#1928).
		require.True(t, strings.HasPrefix(r.Type, "aws:"), r.Type)
		assert.Equal(t, owner, r.Region, "%s %s: provider region", r.Type, r.Name)
		assert.Contains(t, r.ProviderURN(), "aws-"+owner, "%s %s: provider", r.Type, r.Name)
	}
}

func TestEveryTaggableChildIsTagged(t *testing.T) {
	t.Parallel()
	rec, _, err := build(t, []string{"us-east-1"}, func(string) *regionalstack.Args {
		return &regionalstack.Args{Image: image, Tags: map[string]string{"team": "payments", "Name": "ignored"},
			CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123"}
	})
	require.NoError(t, err)
	checked := 0
	for _, r := range rec.Resources() {
		if !r.Custom || !strings.HasPrefix(r.Type, "aws:") || nonTaggable[r.Type] {
			continue
		}
		checked++
		assert.Equal(t, r.Name, props.String(r.Inputs, "tags.Name"), "%s %s: Name tag", r.Type, r.Name)
		assert.Equal(t, "payments", props.String(r.Inputs, "tags.team"), "%s %s: caller's tag", r.Type, r.Name)
	}
	assert.Greater(t, checked, 25)
}

func TestHTTPSOnlyWithCertificate(t *testing.T) {
	t.Parallel()
	t.Run("no certificate: plain HTTP", func(t *testing.T) {
		t.Parallel()
		rec, stacks, err := build(t, []string{"us-east-1"}, func(string) *regionalstack.Args {
			return &regionalstack.Args{Image: image}
		})
		require.NoError(t, err)
		ls := rec.ByType("aws:lb/listener:Listener")
		require.Len(t, ls, 1)
		assert.Equal(t, "HTTP", props.String(ls[0].Inputs, "protocol"))
		assert.Equal(t, "forward", props.String(ls[0].Inputs, "defaultActions[0].type"))
		assert.Equal(t, "HTTP", stacks["us-east-1"].HealthCheckProtocol)
		sg := rec.Find("aws:ec2/securityGroup:SecurityGroup", "app-us-east-1-lb-sg")
		require.NotNil(t, sg)
		assert.Equal(t, []float64{80}, ingressPorts(sg))
	})
	t.Run("certificate: HTTPS and a redirect", func(t *testing.T) {
		t.Parallel()
		cert := "arn:aws:acm:us-east-1:123456789012:certificate/abc-123"
		rec, stacks, err := build(t, []string{"us-east-1"}, func(string) *regionalstack.Args {
			return &regionalstack.Args{Image: image, CertificateARN: cert}
		})
		require.NoError(t, err)
		byProto := map[string]*mockengine.Resource{}
		for _, l := range rec.ByType("aws:lb/listener:Listener") {
			byProto[props.String(l.Inputs, "protocol")] = l
		}
		require.Len(t, byProto, 2)
		https := byProto["HTTPS"]
		require.NotNil(t, https)
		assert.Equal(t, cert, props.String(https.Inputs, "certificateArn"))
		assert.Equal(t, "forward", props.String(https.Inputs, "defaultActions[0].type"))
		http := byProto["HTTP"]
		assert.Equal(t, "redirect", props.String(http.Inputs, "defaultActions[0].type"))
		assert.Equal(t, "HTTPS", props.String(http.Inputs, "defaultActions[0].redirect.protocol"))
		assert.Equal(t, "HTTPS", stacks["us-east-1"].HealthCheckProtocol)
		sg := rec.Find("aws:ec2/securityGroup:SecurityGroup", "app-us-east-1-lb-sg")
		assert.Equal(t, []float64{80, 443}, ingressPorts(sg))
	})
}

func ingressPorts(sg *mockengine.Resource) []float64 {
	var ports []float64
	for i := range props.Array(sg.Inputs, "ingress") {
		from, _ := props.Number(sg.Inputs, "ingress["+string(rune('0'+i))+"].fromPort")
		ports = append(ports, from)
	}
	return ports
}

func TestSecurityGroupsChainInternetToLBToAppToDatabase(t *testing.T) {
	t.Parallel()
	rec, _, err := build(t, []string{"us-east-1"}, func(string) *regionalstack.Args {
		return &regionalstack.Args{Image: image, Port: 3000, DatabasePort: 3306}
	})
	require.NoError(t, err)
	lbSG := rec.Find("aws:ec2/securityGroup:SecurityGroup", "app-us-east-1-lb-sg")
	appSG := rec.Find("aws:ec2/securityGroup:SecurityGroup", "app-us-east-1-app-sg")
	dbSG := rec.Find("aws:ec2/securityGroup:SecurityGroup", "app-us-east-1-db-sg")
	require.NotNil(t, lbSG)
	require.NotNil(t, appSG)
	require.NotNil(t, dbSG)

	require.Len(t, props.Array(appSG.Inputs, "ingress"), 1)
	assert.Equal(t, []string{lbSG.ID}, props.Strings(appSG.Inputs, "ingress[0].securityGroups"))
	assert.Empty(t, props.Strings(appSG.Inputs, "ingress[0].cidrBlocks"))
	port, _ := props.Number(appSG.Inputs, "ingress[0].fromPort")
	assert.Equal(t, 3000.0, port)

	require.Len(t, props.Array(dbSG.Inputs, "ingress"), 1)
	assert.Equal(t, []string{appSG.ID}, props.Strings(dbSG.Inputs, "ingress[0].securityGroups"))
	assert.Empty(t, props.Strings(dbSG.Inputs, "ingress[0].cidrBlocks"))
	port, _ = props.Number(dbSG.Inputs, "ingress[0].fromPort")
	assert.Equal(t, 3306.0, port)
	assert.Empty(t, props.Array(dbSG.Inputs, "egress"), "database security group has no egress")
}

func TestStandbyRunsPilotLightAndKeepsHeadroom(t *testing.T) {
	t.Parallel()
	two := 2
	cases := []struct {
		name        string
		args        regionalstack.Args
		wantDesired float64
		wantMin     float64
		wantMax     float64
	}{
		{"active", regionalstack.Args{Image: image, MinCount: 3, DesiredCount: 4, MaxCount: 12}, 4, 3, 12},
		{"standby default", regionalstack.Args{Image: image, MinCount: 3, MaxCount: 12, Standby: true}, 1, 1, 12},
		{"standby two", regionalstack.Args{Image: image, MaxCount: 8, Standby: true, StandbyCount: &two}, 2, 2, 8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, stacks, err := build(t, []string{"us-west-2"}, func(string) *regionalstack.Args {
				a := tc.args
				return &a
			})
			require.NoError(t, err)
			svc := rec.ByType("aws:ecs/service:Service")[0]
			desired, _ := props.Number(svc.Inputs, "desiredCount")
			assert.Equal(t, tc.wantDesired, desired)
			assert.Contains(t, svc.IgnoreChanges, "desiredCount", "autoscaling owns the running count")
			target := rec.ByType("aws:appautoscaling/target:Target")[0]
			minC, _ := props.Number(target.Inputs, "minCapacity")
			maxC, _ := props.Number(target.Inputs, "maxCapacity")
			assert.Equal(t, tc.wantMin, minC)
			assert.Equal(t, tc.wantMax, maxC)
			assert.Equal(t, tc.args.Standby, stacks["us-west-2"].Standby)
			rs := stacks["us-west-2"]
			assert.Equal(t, []float64{tc.wantDesired, tc.wantMin, tc.wantMax}, []float64{float64(rs.DesiredTasks), float64(rs.MinTasks), float64(rs.MaxTasks)}, "resolved counts")
		})
	}
}

func TestTaskDefinitionAndKMSKey(t *testing.T) {
	t.Parallel()
	rec, _, err := build(t, []string{"ap-southeast-1"}, func(string) *regionalstack.Args {
		return &regionalstack.Args{Image: image, CPU: 1024, Memory: 4096, Architecture: regionalstack.ArchARM,
			Environment: map[string]string{"MODE": "primary", "LOG_LEVEL": "info"}}
	})
	require.NoError(t, err)
	td := rec.ByType("aws:ecs/taskDefinition:TaskDefinition")[0]
	assert.Equal(t, "1024", props.String(td.Inputs, "cpu"))
	assert.Equal(t, "4096", props.String(td.Inputs, "memory"))
	assert.Equal(t, "ARM64", props.String(td.Inputs, "runtimePlatform.cpuArchitecture"))
	defs := props.String(td.Inputs, "containerDefinitions")
	assert.Contains(t, defs, `"image":"`+image+`"`)
	assert.Contains(t, defs, `"awslogs-region":"ap-southeast-1"`)
	assert.Contains(t, defs, `{"name":"LOG_LEVEL","value":"info"},{"name":"MODE","value":"primary"}`)

	key := rec.ByType("aws:kms/key:Key")[0]
	rotation, _ := props.Bool(key.Inputs, "enableKeyRotation")
	assert.True(t, rotation, "key rotation")
	tg := rec.ByType("aws:lb/targetGroup:TargetGroup")[0]
	assert.Equal(t, "/healthz", props.String(tg.Inputs, "healthCheck.path"))
	logs := rec.ByType("aws:cloudwatch/logGroup:LogGroup")[0]
	days, _ := props.Number(logs.Inputs, "retentionInDays")
	assert.Equal(t, 30.0, days)
}

func TestZeroConfigUsesDefaultProviderRegion(t *testing.T) {
	t.Parallel()
	var rs *regionalstack.RegionalStack
	rec, err := mockengine.Run("multiregion", "test", map[string]string{"aws:region": "eu-west-1"}, func(ctx *pulumi.Context) error {
		var err error
		rs, err = regionalstack.New(ctx, "app", &regionalstack.Args{Image: image})
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, "eu-west-1", rs.RegionName)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, rs.Zones)
	assert.Equal(t, 3, count(rec, "aws:ec2/natGateway:NatGateway"))
	for _, r := range rec.Resources() {
		if r.Custom {
			assert.Equal(t, "eu-west-1", r.Region, r.URN)
		}
	}
}

func TestOutputsResolve(t *testing.T) {
	t.Parallel()
	type got struct{ dns, zone, url, kms string }
	ch := make(chan got, 1)
	_, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		rs, err := regionalstack.New(ctx, "app", &regionalstack.Args{Image: image, HealthCheckPath: "/ready"}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		pulumi.All(rs.LoadBalancerDNSName, rs.LoadBalancerZoneID, rs.HealthCheckURL, rs.KMSKeyARN).ApplyT(func(v []any) error {
			ch <- got{v[0].(string), v[1].(string), v[2].(string), v[3].(string)}
			return nil
		})
		return nil
	})
	require.NoError(t, err)
	g := <-ch
	assert.Contains(t, g.dns, ".us-east-1.elb.amazonaws.com")
	assert.Equal(t, mockengine.ALBZoneID("us-east-1"), g.zone)
	assert.Equal(t, "http://"+g.dns+"/ready", g.url)
	assert.True(t, strings.HasPrefix(g.kms, "arn:aws:kms:us-east-1:"), g.kms)
}

func TestValidation(t *testing.T) {
	t.Parallel()
	neg := -1
	cases := []struct {
		name string
		args *regionalstack.Args
		want []string
	}{
		{"nil args", nil, []string{"Args: is nil"}},
		{"no image", &regionalstack.Args{}, []string{"Image: is required"}},
		{"bad cidr", &regionalstack.Args{Image: image, VPCCIDR: "10.0.0.0/33"}, []string{`VPCCIDR: "10.0.0.0/33" is not an IPv4 CIDR`}},
		{"host bits", &regionalstack.Args{Image: image, VPCCIDR: "10.0.1.0/16"}, []string{`use the network address "10.0.0.0/16"`}},
		{"prefix too small", &regionalstack.Args{Image: image, VPCCIDR: "10.0.0.0/26"}, []string{"use /16 to /24"}},
		{"too many AZs", &regionalstack.Args{Image: image, AZCount: 7}, []string{"AZCount: 7 is out of range: use 2 to 6"}},
		{"negative AZs", &regionalstack.Args{Image: image, AZCount: -1}, []string{"AZCount: -1 is out of range"}},
		{"zones vs count", &regionalstack.Args{Image: image, AZCount: 2, Zones: []string{"us-east-1a"}}, []string{"AZCount: is 2 but 1 Zones"}},
		{"duplicate zone", &regionalstack.Args{Image: image, Zones: []string{"us-east-1a", "us-east-1a"}}, []string{"listed twice"}},
		{"zone in other region", &regionalstack.Args{Image: image, Region: "us-east-1", Zones: []string{"eu-west-1a"}}, []string{`Zones[0]: "eu-west-1a" is not in region "us-east-1"`}},
		{"nat", &regionalstack.Args{Image: image, NATStrategy: "per-zone"}, []string{`NATStrategy: unknown value "per-zone": use one of "none", "single", "one-per-az"`}},
		{"min > max", &regionalstack.Args{Image: image, MinCount: 5, MaxCount: 3, DesiredCount: 3}, []string{"MinCount: 5 is greater than MaxCount 3"}},
		{"desired outside", &regionalstack.Args{Image: image, MinCount: 2, DesiredCount: 20, MaxCount: 10}, []string{"DesiredCount: 20 is outside MinCount..MaxCount (2..10)"}},
		{"standby", &regionalstack.Args{Image: image, Standby: true, StandbyCount: &neg}, []string{"StandbyCount: -1 leaves the standby region without a task"}},
		{"cpu", &regionalstack.Args{Image: image, CPU: 300}, []string{"CPU: 300 is not a Fargate CPU size"}},
		{"memory", &regionalstack.Args{Image: image, CPU: 256, Memory: 4096}, []string{"Memory: 4096 MiB is not valid with CPU 256"}},
		{"health path", &regionalstack.Args{Image: image, HealthCheckPath: "healthz"}, []string{`HealthCheckPath: "healthz" must be a path starting with "/"`}},
		{"cert", &regionalstack.Args{Image: image, CertificateARN: "arn:aws:iam::1:server-certificate/x"}, []string{"CertificateARN"}},
		{"cert region", &regionalstack.Args{Image: image, Region: "us-east-1", CertificateARN: "arn:aws:acm:eu-west-1:123456789012:certificate/x"}, []string{"CertificateARN: is in eu-west-1 but the load balancer is in us-east-1"}},
		{"retention", &regionalstack.Args{Image: image, LogRetentionDays: 10}, []string{"LogRetentionDays: 10 is not a CloudWatch Logs retention"}},
		{"env", &regionalstack.Args{Image: image, Environment: map[string]string{"1BAD": "x"}}, []string{`Environment: "1BAD" is not a valid variable name`}},
		{"arch", &regionalstack.Args{Image: image, Architecture: "arm"}, []string{`Architecture: unknown value "arm"`}},
		{"region", &regionalstack.Args{Image: image, Region: "Frankfurt"}, []string{`Region: "Frankfurt" is not an AWS region name`}},
		{"tags", &regionalstack.Args{Image: image, Tags: map[string]string{"aws:x": "y"}}, []string{`Tags: key "aws:x" is not allowed`}},
		{"cpu target", &regionalstack.Args{Image: image, CPUTargetPercent: 99}, []string{"CPUTargetPercent: 99 is out of range"}},
		{"several at once", &regionalstack.Args{VPCCIDR: "nope", NATStrategy: "x"}, []string{"Image: is required", "VPCCIDR", "NATStrategy"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, err := mockengine.Run("multiregion", "test", map[string]string{"aws:region": "us-east-1"}, func(ctx *pulumi.Context) error {
				_, err := regionalstack.New(ctx, "app", tc.args)
				return err
			})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Contains(t, err.Error(), `regionalstack "app"`)
			assert.Empty(t, rec.Resources(), "nothing is registered when Args are invalid")
		})
	}
}

func TestRegionMustMatchProvider(t *testing.T) {
	t.Parallel()
	_, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		_, err = regionalstack.New(ctx, "app", &regionalstack.Args{Image: image, Region: "us-east-1"}, pulumi.Provider(p))
		var ve *validation.Error
		if assert.True(t, errors.As(err, &ve), "a *validation.Error: %v", err) {
			assert.Equal(t, validation.Error{Component: `regionalstack "app"`, Key: "Region",
				Problem: `is "us-east-1" but the AWS provider is for "eu-west-1"`, Fix: `pass the provider of "us-east-1" (pulumi.Provider) or fix Region`}, *ve)
		}
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Region: is "us-east-1" but the AWS provider is for "eu-west-1"`)
}

func TestRegionRequired(t *testing.T) {
	t.Parallel()
	_, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		_, err := regionalstack.New(ctx, "app", &regionalstack.Args{Image: image})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Region: unknown: set Args.Region or pass an AWS provider with a region")
}

// TestImageReferences: validation accepts only image references ECS (and the
// registry) take.
func TestImageReferences(t *testing.T) {
	t.Parallel()
	digest := "sha256:" + strings.Repeat("ab", 32)
	for _, ok := range []string{
		"public.ecr.aws/nginx/nginx:1.27",
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2",
		"nginx", "amazon/amazon-ecs-agent:latest", "quay.io/org/app:V1.2-RC",
		"registry.Example.com:5000/team/app:1", "app@" + digest,
		strings.Repeat("a", 255),
	} {
		assert.NoError(t, regionalstack.Validate("app", &regionalstack.Args{Image: ok}), ok)
	}
	for img, want := range map[string]string{
		"x y":                    "characters",
		strings.Repeat("a", 256): "256 characters",
		"UPPER/Case:1":           "capitals",
		"app@sha256:abc":         "digest",
		"app@md5:" + digest[7:]:  "digest",
		"app\t:1":                "characters",
		"ghcr.io/Org/app:1":      "capitals",
	} {
		err := regionalstack.Validate("app", &regionalstack.Args{Image: img})
		require.Error(t, err, img)
		assert.Contains(t, err.Error(), "Image: ", img)
		assert.Contains(t, err.Error(), want, img)
	}
}
