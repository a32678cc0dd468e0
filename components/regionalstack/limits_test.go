package regionalstack_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/mockengine"
)

// lbName is the load balancer / target group name rule (doc comments of
// lb.LoadBalancer.Name and lb.TargetGroup.Name, pulumi-aws v6.83.4): at most
// 32 letters, digits or hyphens, not beginning or ending with a hyphen.
var lbName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)

// accountMock is the mock engine plus what an account can differ in: Local Zones
// the account opted into, and the partition of GovCloud and China regions.
type accountMock struct {
	*mockengine.Recorder
	// localZones are returned first by getAvailabilityZones unless the call
	// filters opt-in-status = opt-in-not-required (ignoreFilter returns them anyway).
	localZones   bool
	ignoreFilter bool

	mu      sync.Mutex
	filters []string
}

func (m *accountMock) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	out, err := m.Recorder.Call(args)
	if err != nil {
		return nil, err
	}
	switch args.Token {
	case "aws:index/getPartition:getPartition":
		region, err := m.region(args)
		if err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(region, "us-gov-"):
			out["partition"] = resource.NewProperty("aws-us-gov")
		case strings.HasPrefix(region, "cn-"):
			out["partition"] = resource.NewProperty("aws-cn")
		}
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		filtered := false
		for _, f := range props.Array(args.Args, "filters") {
			obj := f.ObjectValue()
			m.mu.Lock()
			m.filters = append(m.filters, props.String(obj, "name")+"="+strings.Join(props.Strings(obj, "values"), ","))
			m.mu.Unlock()
			if props.String(obj, "name") == "opt-in-status" && slices.Equal(props.Strings(obj, "values"), []string{"opt-in-not-required"}) {
				filtered = true
			}
		}
		if m.localZones && (!filtered || m.ignoreFilter) {
			region, err := m.region(args)
			if err != nil {
				return nil, err
			}
			names := []resource.PropertyValue{resource.NewProperty(region + "-lax-1a"), resource.NewProperty(region + "-wl1-las-wlz-1")}
			out["names"] = resource.NewProperty(append(names, out["names"].ArrayValue()...))
		}
	}
	return out, nil
}

// region asks the mock engine which region the invoke's provider is for.
func (m *accountMock) region(args pulumi.MockCallArgs) (string, error) {
	r, err := m.Recorder.Call(pulumi.MockCallArgs{Token: "aws:index/getRegion:getRegion", Provider: args.Provider})
	if err != nil {
		return "", err
	}
	return r["name"].StringValue(), nil
}

// runIn builds one RegionalStack named name in region under mock, as stack.
func runIn(mock *accountMock, stack, region, name string, args *regionalstack.Args) (*regionalstack.RegionalStack, error) {
	var rs *regionalstack.RegionalStack
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		rs, err = regionalstack.New(ctx, name, args, pulumi.Provider(p))
		return err
	}, pulumi.WithMocks("multiregion", stack, mock))
	return rs, err
}

// created lists what was registered besides the test's own provider. It
// requires that provider first, so an empty list means the program ran and
// registered nothing else, not that it never ran.
func created(t *testing.T, mock *accountMock) []string {
	t.Helper()
	require.Len(t, mock.ByType("pulumi:providers:aws"), 1, "the test's provider: the program ran")
	var out []string
	for _, r := range mock.Resources() {
		if !strings.HasPrefix(r.Type, "pulumi:providers:") {
			out = append(out, r.Type+" "+r.Name)
		}
	}
	return out
}

func newMock(stack string) *accountMock {
	return &accountMock{Recorder: mockengine.New("multiregion", stack, nil)}
}

// Issue 14 point 1: load balancer and target group names fit AWS's 32
// characters and its pattern for the longest names in every known region, and
// differ between two stacks in one account and region.
func TestLoadBalancerNamesFitInEveryRegion(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, regions.Known)
	longest := strings.Repeat("abcdefghij", 2) // the longest stack config name (20)
	for region := range regions.Known {
		for _, base := range []string{"a", "orders", longest} {
			name := base + "-" + region
			names := map[string]map[string]string{} // stack -> type -> name
			for _, stack := range []string{"prod", "staging-with-a-very-long-stack-name-0123456789"} {
				mock := newMock(stack)
				rs, err := runIn(mock, stack, region, name, &regionalstack.Args{Image: image})
				require.NoError(t, err, name)
				names[stack] = map[string]string{}
				for _, typ := range []string{"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup"} {
					res := mock.ByType(typ)
					require.Len(t, res, 1)
					n := props.String(res[0].Outputs, "name")
					assert.LessOrEqual(t, len(n), regionalstack.LoadBalancerNameMax, "%s %s", typ, n)
					assert.Regexp(t, lbName, n, typ)
					assert.NotContains(t, n, "--", typ)
					assert.False(t, strings.HasPrefix(n, "internal-"), n)
					names[stack][typ] = n
				}
				assert.Equal(t, rs.LoadBalancerName, names[stack]["aws:lb/loadBalancer:LoadBalancer"])
				assert.Equal(t, rs.TargetGroupName, names[stack]["aws:lb/targetGroup:TargetGroup"])
			}
			for typ, n := range names["prod"] {
				assert.NotEqual(t, n, names["staging-with-a-very-long-stack-name-0123456789"][typ], "%s: two stacks, one name", typ)
			}
		}
	}
}

// The README's promise: "<name>-<region>" is shown whole in the load balancer
// name for a name of up to 22 - len(region) characters, and cut beyond.
func TestLoadBalancerNameShowsNameAndRegion(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "eu-south-1", "eu-central-1", "us-gov-west-1", "ap-southeast-1"} {
		n := 22 - len(region)
		whole := strings.Repeat("a", n) + "-" + region
		rs, err := runIn(newMock("prod"), "prod", region, whole, &regionalstack.Args{Image: image})
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(rs.LoadBalancerName, whole+"-"), "%s: %s", region, rs.LoadBalancerName)
		cut := strings.Repeat("a", n+1) + "-" + region
		rs, err = runIn(newMock("prod"), "prod", region, cut, &regionalstack.Args{Image: image})
		require.NoError(t, err)
		assert.False(t, strings.HasPrefix(rs.LoadBalancerName, cut), "%s: %s", region, rs.LoadBalancerName)
		assert.LessOrEqual(t, len(rs.LoadBalancerName), regionalstack.LoadBalancerNameMax)
	}
}

// The names are stable (no churn between runs), the load balancer's keeps the
// component name readable, and the target group gets a new name exactly when a
// change replaces it, so create-before-delete never collides with the old one.
func TestTargetGroupNameFollowsReplacingInputs(t *testing.T) {
	t.Parallel()
	names := func(args regionalstack.Args) (string, string) {
		rs, err := runIn(newMock("prod"), "prod", "eu-central-1", "checkout-eu-central-1", &args)
		require.NoError(t, err)
		return rs.LoadBalancerName, rs.TargetGroupName
	}
	lb1, tg1 := names(regionalstack.Args{Image: image})
	lb2, tg2 := names(regionalstack.Args{Image: image})
	assert.Equal(t, lb1, lb2)
	assert.Equal(t, tg1, tg2)
	assert.True(t, strings.HasPrefix(lb1, "checkout-eu-central-1-"), lb1)

	lb3, tg3 := names(regionalstack.Args{Image: image, Port: 9090})
	assert.Equal(t, lb1, lb3, "the load balancer is not replaced by a port change")
	assert.NotEqual(t, tg1, tg3, "a new port replaces the target group: it needs a new name")
	_, tg4 := names(regionalstack.Args{Image: image, VPCCIDR: "10.9.0.0/16"})
	assert.NotEqual(t, tg1, tg4, "a new VPC replaces the target group")
	_, tg5 := names(regionalstack.Args{Image: image, CPU: 1024, Memory: 2048, MaxCount: 20})
	assert.Equal(t, tg1, tg5, "changes that update in place keep the name")
}

// The name rule: a component name that would begin the load balancer name with
// "internal-" is refused before anything is created.
func TestInternalPrefixIsRefused(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"internal", "internal-app", "Internal_App"} {
		mock := newMock("prod")
		_, err := runIn(mock, "prod", "us-east-1", name, &regionalstack.Args{Image: image})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), `name: "`+name+`" would begin the load balancer's name with "internal-"`)
		assert.Empty(t, created(t, mock), name)
	}
	_, err := runIn(newMock("prod"), "prod", "us-east-1", "internals", &regionalstack.Args{Image: image})
	assert.NoError(t, err, "only the internal- prefix is reserved")
}

// Issue 14 point 2: one zone is refused (a load balancer needs two).
func TestOneZoneIsRefused(t *testing.T) {
	t.Parallel()
	for _, args := range []*regionalstack.Args{
		{Image: image, AZCount: 1},
		{Image: image, Zones: []string{"us-east-1a"}},
	} {
		mock := newMock("prod")
		_, err := runIn(mock, "prod", "us-east-1", "app", args)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "AZCount: 1 is out of range: use 2 to 6 zones (a load balancer needs subnets in at least two)")
		assert.Empty(t, created(t, mock))
	}
	rs, err := runIn(newMock("prod"), "prod", "us-east-1", "app", &regionalstack.Args{Image: image, AZCount: 2})
	require.NoError(t, err)
	assert.Len(t, rs.Zones, 2)
}

// Issue 14 point 3: Local Zones (and Wavelength Zones) are never picked: the
// lookup filters opt-in-status = opt-in-not-required, and names that are not
// <region><letter> are dropped even if a provider returns them.
func TestLocalZonesAreNeverPicked(t *testing.T) {
	t.Parallel()
	for _, ignore := range []bool{false, true} {
		mock := newMock("prod")
		mock.localZones, mock.ignoreFilter = true, ignore
		rs, err := runIn(mock, "prod", "us-west-2", "app", &regionalstack.Args{Image: image})
		require.NoError(t, err)
		assert.Equal(t, []string{"us-west-2a", "us-west-2b", "us-west-2c"}, rs.Zones, "ignoreFilter=%v", ignore)
		assert.Equal(t, []string{"opt-in-status=opt-in-not-required"}, mock.filters)
		require.NotEmpty(t, mock.ByType("aws:ec2/subnet:Subnet"))
		for _, s := range mock.ByType("aws:ec2/subnet:Subnet") {
			assert.NotContains(t, props.String(s.Inputs, "availabilityZone"), "lax", s.Name)
		}
	}
}

// Issue 14 point 4: ARNs come from the provider's partition.
func TestManagedPolicyARNUsesThePartition(t *testing.T) {
	t.Parallel()
	for region, partition := range map[string]string{"us-gov-west-1": "aws-us-gov", "us-east-1": "aws", "eu-central-1": "aws"} {
		mock := newMock("prod")
		rs, err := runIn(mock, "prod", region, "app", &regionalstack.Args{Image: image})
		require.NoError(t, err)
		assert.Equal(t, partition, rs.Partition)
		att := mock.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
		require.NotEmpty(t, att)
		for _, a := range att {
			assert.True(t, strings.HasPrefix(props.String(a.Inputs, "policyArn"), "arn:"+partition+":iam::aws:policy/"), "%s: %s", region, props.String(a.Inputs, "policyArn"))
		}
	}
	_, err := runIn(newMock("prod"), "prod", "us-gov-west-1", "app", &regionalstack.Args{Image: image, Region: "us-gov-west-1",
		CertificateARN: "arn:aws:acm:us-gov-west-1:123456789012:certificate/abc"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `CertificateARN: is in partition "aws" but us-gov-west-1 is in "aws-us-gov"`)
}

// Issue 14 point 8: a standby of 0 is refused with the reason.
func TestZeroStandbyIsRefused(t *testing.T) {
	t.Parallel()
	zero := 0
	mock := newMock("prod")
	_, err := runIn(mock, "prod", "us-west-2", "app", &regionalstack.Args{Image: image, Standby: true, StandbyCount: &zero})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "StandbyCount: 0 leaves the standby region without a task: its health check can never pass")
	assert.Empty(t, created(t, mock))
}

// Issue 14 point 13 (component side): IngressCIDRs replace the internet on
// every load balancer port, and bad lists are refused.
func TestIngressCIDRsRestrictTheLoadBalancer(t *testing.T) {
	t.Parallel()
	cidrs := []string{"173.245.48.0/20", "103.21.244.0/22"}
	mock := newMock("prod")
	_, err := runIn(mock, "prod", "us-east-1", "app", &regionalstack.Args{Image: image, IngressCIDRs: cidrs,
		CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/abc"})
	require.NoError(t, err)
	sg := mock.Find("aws:ec2/securityGroup:SecurityGroup", "app-lb-sg")
	require.NotNil(t, sg)
	rules := props.Array(sg.Inputs, "ingress")
	require.Len(t, rules, 2)
	for i := range rules {
		assert.Equal(t, cidrs, props.Strings(sg.Inputs, fmt.Sprintf("ingress[%d].cidrBlocks", i)))
	}

	many := make([]string, 31)
	for i := range many {
		many[i] = fmt.Sprintf("10.%d.0.0/16", i)
	}
	for _, tc := range []struct {
		cidrs []string
		want  string
	}{
		{[]string{}, "IngressCIDRs: is empty, which would let nobody reach the load balancer"},
		{[]string{"10.0.0.0/8", "10.0.0.0/8"}, `IngressCIDRs[1]: "10.0.0.0/8" is listed twice`},
		{[]string{"2400:cb00::/32"}, `IngressCIDRs[0]: "2400:cb00::/32" is not an IPv4 CIDR`},
		{[]string{"10.0.0.1/8"}, `IngressCIDRs[0]: "10.0.0.1/8" has host bits set: use "10.0.0.0/8"`},
		{many, "IngressCIDRs: 31 ranges on 2 ports are 62 rules, above the 60 inbound rules"},
	} {
		mock := newMock("prod")
		_, err := runIn(mock, "prod", "us-east-1", "app", &regionalstack.Args{Image: image, IngressCIDRs: tc.cidrs})
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
		assert.Empty(t, created(t, mock))
	}
}

// Issue 14 point 14: the task definition family includes the stack, so prod
// and staging in one account and region never share a family.
func TestTaskFamilyIncludesTheStack(t *testing.T) {
	t.Parallel()
	families := map[string]bool{}
	for _, stack := range []string{"prod", "staging"} {
		mock := newMock(stack)
		rs, err := runIn(mock, stack, "us-east-1", "app-us-east-1", &regionalstack.Args{Image: image})
		require.NoError(t, err)
		td := mock.ByType("aws:ecs/taskDefinition:TaskDefinition")
		require.Len(t, td, 1)
		fam := props.String(td[0].Inputs, "family")
		assert.Equal(t, "app-us-east-1-"+stack, fam)
		assert.Equal(t, rs.TaskFamily, fam)
		families[fam] = true
	}
	assert.Len(t, families, 2)
}
