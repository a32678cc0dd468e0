package regionalstack_test

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/mockengine"
)

// urns collects the URNs of exported children as the engine assigns them.
type urns struct {
	mu sync.Mutex
	m  map[string]string
}

func (u *urns) add(field string, r pulumi.Resource) {
	r.URN().ApplyT(func(urn pulumi.URN) string {
		u.mu.Lock()
		defer u.mu.Unlock()
		u.m[field] = string(urn)
		return ""
	})
}

// TestChildrenAreExported: every exported child is the resource the component
// registered under that role, so what users attach lands on the right one.
func TestChildrenAreExported(t *testing.T) {
	t.Parallel()
	for _, cert := range []string{"", "arn:aws:acm:us-east-1:123456789012:certificate/abc"} {
		got := &urns{m: map[string]string{}}
		var rs *regionalstack.RegionalStack
		rec, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
			p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
			if err != nil {
				return err
			}
			rs, err = regionalstack.New(ctx, "app", &regionalstack.Args{Image: image, AZCount: 2, CertificateARN: cert}, pulumi.Provider(p))
			if err != nil {
				return err
			}
			for field, r := range map[string]pulumi.Resource{
				"VPC": rs.VPC, "PublicSubnets[1]": rs.PublicSubnets[1], "PrivateSubnets[0]": rs.PrivateSubnets[0],
				"LoadBalancerSecurityGroup": rs.LoadBalancerSecurityGroup, "AppSecurityGroup": rs.AppSecurityGroup,
				"DatabaseSecurityGroup": rs.DatabaseSecurityGroup, "KMSKey": rs.KMSKey, "LoadBalancer": rs.LoadBalancer,
				"Listeners[0]": rs.Listeners[0], "TargetGroup": rs.TargetGroup, "LogGroup": rs.LogGroup, "TaskRole": rs.TaskRole,
				"Cluster": rs.Cluster, "TaskDefinition": rs.TaskDefinition, "Service": rs.Service,
			} {
				got.add(field, r)
			}
			return nil
		})
		require.NoError(t, err)
		assert.Len(t, rs.PublicSubnets, 2)
		assert.Len(t, rs.PrivateSubnets, 2)
		want := map[string][2]string{
			"VPC":                       {"aws:ec2/vpc:Vpc", "app-vpc"},
			"PublicSubnets[1]":          {"aws:ec2/subnet:Subnet", "app-public-us-east-1b"},
			"PrivateSubnets[0]":         {"aws:ec2/subnet:Subnet", "app-private-us-east-1a"},
			"LoadBalancerSecurityGroup": {"aws:ec2/securityGroup:SecurityGroup", "app-lb-sg"},
			"AppSecurityGroup":          {"aws:ec2/securityGroup:SecurityGroup", "app-app-sg"},
			"DatabaseSecurityGroup":     {"aws:ec2/securityGroup:SecurityGroup", "app-db-sg"},
			"KMSKey":                    {"aws:kms/key:Key", "app-kms"},
			"LoadBalancer":              {"aws:lb/loadBalancer:LoadBalancer", "app-alb"},
			"Listeners[0]":              {"aws:lb/listener:Listener", "app-http"},
			"TargetGroup":               {"aws:lb/targetGroup:TargetGroup", "app-tg"},
			"LogGroup":                  {"aws:cloudwatch/logGroup:LogGroup", "app-logs"},
			"TaskRole":                  {"aws:iam/role:Role", "app-task-role"},
			"Cluster":                   {"aws:ecs/cluster:Cluster", "app-cluster"},
			"TaskDefinition":            {"aws:ecs/taskDefinition:TaskDefinition", "app-task"},
			"Service":                   {"aws:ecs/service:Service", "app-service"},
		}
		if cert != "" {
			require.Len(t, rs.Listeners, 2)
			want["Listeners[0]"] = [2]string{"aws:lb/listener:Listener", "app-https"}
		} else {
			require.Len(t, rs.Listeners, 1)
		}
		require.Len(t, got.m, len(want))
		for field, tn := range want {
			r := rec.Find(tn[0], tn[1])
			if assert.NotNil(t, r, "%s: no %s %q recorded", field, tn[0], tn[1]) {
				assert.Equal(t, r.URN, got.m[field], field)
			}
		}
	}
}
