package regionalstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/internal/resourcetest"
	"github.com/multiregion/multiregion/components/regionalstack"
)

// TestChildrenAreExported: every exported child is the resource the component
// registered under that role, so what users attach lands on the right one.
func TestChildrenAreExported(t *testing.T) {
	t.Parallel()
	for _, cert := range []string{"", "arn:aws:acm:us-east-1:123456789012:certificate/abc"} {
		rec, stacks, err := build(t, []string{"us-east-1"}, func(string) *regionalstack.Args {
			return &regionalstack.Args{Image: image, AZCount: 2, CertificateARN: cert}
		})
		require.NoError(t, err)
		rs := stacks["us-east-1"]
		require.Len(t, rs.PublicSubnets, 2)
		require.Len(t, rs.PrivateSubnets, 2)
		listener := "http"
		if cert != "" {
			require.Len(t, rs.Listeners, 2)
			listener = "https"
		} else {
			require.Len(t, rs.Listeners, 1)
		}
		checks := []struct {
			field, typ, name string
			urn              string
		}{
			{"VPC", "aws:ec2/vpc:Vpc", "vpc", resourcetest.URN(t, rs.VPC)},
			{"PublicSubnets[1]", "aws:ec2/subnet:Subnet", "public-us-east-1b", resourcetest.URN(t, rs.PublicSubnets[1])},
			{"PrivateSubnets[0]", "aws:ec2/subnet:Subnet", "private-us-east-1a", resourcetest.URN(t, rs.PrivateSubnets[0])},
			{"LoadBalancerSecurityGroup", "aws:ec2/securityGroup:SecurityGroup", "lb-sg", resourcetest.URN(t, rs.LoadBalancerSecurityGroup)},
			{"AppSecurityGroup", "aws:ec2/securityGroup:SecurityGroup", "app-sg", resourcetest.URN(t, rs.AppSecurityGroup)},
			{"DatabaseSecurityGroup", "aws:ec2/securityGroup:SecurityGroup", "db-sg", resourcetest.URN(t, rs.DatabaseSecurityGroup)},
			{"KMSKey", "aws:kms/key:Key", "kms", resourcetest.URN(t, rs.KMSKey)},
			{"LoadBalancer", "aws:lb/loadBalancer:LoadBalancer", "alb", resourcetest.URN(t, rs.LoadBalancer)},
			{"Listeners[0]", "aws:lb/listener:Listener", listener, resourcetest.URN(t, rs.Listeners[0])},
			{"TargetGroup", "aws:lb/targetGroup:TargetGroup", "tg", resourcetest.URN(t, rs.TargetGroup)},
			{"LogGroup", "aws:cloudwatch/logGroup:LogGroup", "logs", resourcetest.URN(t, rs.LogGroup)},
			{"TaskRole", "aws:iam/role:Role", "task-role", resourcetest.URN(t, rs.TaskRole)},
			{"Cluster", "aws:ecs/cluster:Cluster", "cluster", resourcetest.URN(t, rs.Cluster)},
			{"TaskDefinition", "aws:ecs/taskDefinition:TaskDefinition", "task", resourcetest.URN(t, rs.TaskDefinition)},
			{"Service", "aws:ecs/service:Service", "service", resourcetest.URN(t, rs.Service)},
		}
		for _, c := range checks {
			assert.Equal(t, resourcetest.Recorded(t, rec, c.typ, "app-us-east-1-"+c.name), c.urn, c.field)
		}
	}
}
