// Package synth generates large, realistic deployments deterministically, for
// benchmarks: a mix of networking, compute, load balancers, databases with
// cross-region replicas, DynamoDB global tables, secrets, logs and DNS, spread
// over regions, the way a big organisation's stacks look to the policy pack.
package synth

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/multiregion/multiregion/policies/model"
)

// Regions the generator spreads resources over (all in the price catalog).
var Regions = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "us-east-2", "eu-west-2", "ap-northeast-1"}

// unit is one application unit: a slice of a region's stack, 20 resources.
type unit struct {
	typ   string
	props func(i int, region, peer string) map[string]any
}

var units = []unit{
	{"aws:ec2/vpc:Vpc", func(i int, r, _ string) map[string]any { return map[string]any{"cidrBlock": "10.0.0.0/16"} }},
	{"aws:ec2/subnet:Subnet", func(i int, r, _ string) map[string]any {
		return map[string]any{"cidrBlock": "10.0.0.0/20", "availabilityZone": r + "a"}
	}},
	{"aws:ec2/subnet:Subnet", func(i int, r, _ string) map[string]any {
		return map[string]any{"cidrBlock": "10.0.16.0/20", "availabilityZone": r + "b"}
	}},
	{"aws:ec2/routeTable:RouteTable", func(int, string, string) map[string]any { return map[string]any{} }},
	{"aws:ec2/natGateway:NatGateway", func(int, string, string) map[string]any { return map[string]any{"subnetId": "subnet-1"} }},
	{"aws:ec2/securityGroup:SecurityGroup", func(int, string, string) map[string]any {
		return map[string]any{"ingress": []any{map[string]any{"protocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrBlocks": []any{"0.0.0.0/0"}}}}
	}},
	{"aws:ec2/securityGroup:SecurityGroup", func(int, string, string) map[string]any {
		return map[string]any{"ingress": []any{map[string]any{"protocol": "tcp", "fromPort": 5432.0, "toPort": 5432.0, "securityGroups": []any{"sg-app"}}}}
	}},
	{"aws:lb/loadBalancer:LoadBalancer", func(i int, r, _ string) map[string]any {
		return map[string]any{"loadBalancerType": "application", "dnsName": fmt.Sprintf("lb-%d.%s.elb.amazonaws.com", i, r)}
	}},
	{"aws:lb/targetGroup:TargetGroup", func(int, string, string) map[string]any { return map[string]any{"port": 8080.0} }},
	{"aws:ecs/taskDefinition:TaskDefinition", func(i int, r, _ string) map[string]any {
		return map[string]any{"arn": fmt.Sprintf("arn:aws:ecs:%s:1:task-definition/t%d:1", r, i), "cpu": "512", "memory": "1024"}
	}},
	{"aws:ecs/service:Service", func(i int, r, _ string) map[string]any {
		return map[string]any{"launchType": "FARGATE", "desiredCount": 2.0, "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:1:task-definition/t%d:1", r, i-1)}
	}},
	{"aws:kms/key:Key", func(i int, r, _ string) map[string]any {
		return map[string]any{"enableKeyRotation": true, "arn": fmt.Sprintf("arn:aws:kms:%s:1:key/k%d", r, i)}
	}},
	{"aws:cloudwatch/logGroup:LogGroup", func(int, string, string) map[string]any { return map[string]any{"retentionInDays": 30.0} }},
	{"aws:rds/instance:Instance", func(i int, r, _ string) map[string]any {
		return map[string]any{"engine": "postgres", "instanceClass": "db.t4g.medium", "allocatedStorage": 50.0,
			"storageEncrypted": true, "kmsKeyId": fmt.Sprintf("arn:aws:kms:%s:1:key/k", r), "publiclyAccessible": false,
			"backupRetentionPeriod": 7.0, "deletionProtection": true, "skipFinalSnapshot": false,
			"arn": fmt.Sprintf("arn:aws:rds:%s:1:db:db%d", r, i), "password": secret("x")}
	}},
	{"aws:rds/instance:Instance", func(i int, r, peer string) map[string]any {
		return map[string]any{"instanceClass": "db.t4g.medium", "replicateSourceDb": fmt.Sprintf("arn:aws:rds:%s:1:db:db%d", peer, i-1),
			"kmsKeyId": fmt.Sprintf("arn:aws:kms:%s:1:key/k", r), "publiclyAccessible": false,
			"backupRetentionPeriod": 7.0, "deletionProtection": true, "skipFinalSnapshot": false}
	}},
	{"aws:dynamodb/table:Table", func(i int, r, peer string) map[string]any {
		return map[string]any{"billingMode": "PAY_PER_REQUEST",
			"serverSideEncryption":      map[string]any{"enabled": true, "kmsKeyArn": fmt.Sprintf("arn:aws:kms:%s:1:key/k", r)},
			"pointInTimeRecovery":       map[string]any{"enabled": true},
			"deletionProtectionEnabled": true,
			"replicas": []any{map[string]any{"regionName": peer, "kmsKeyArn": fmt.Sprintf("arn:aws:kms:%s:1:key/k", peer),
				"pointInTimeRecovery": true}}}
	}},
	{"aws:secretsmanager/secret:Secret", func(i int, r, peer string) map[string]any {
		return map[string]any{"replicas": []any{map[string]any{"region": peer}}}
	}},
	{"aws:iam/role:Role", func(int, string, string) map[string]any { return map[string]any{"assumeRolePolicy": "{}"} }},
	{"aws:route53/healthCheck:HealthCheck", func(i int, r, _ string) map[string]any {
		return map[string]any{"type": "HTTPS", "fqdn": fmt.Sprintf("lb-%d.%s.elb.amazonaws.com", i-11, r), "requestInterval": 30.0}
	}},
	{"aws:route53/record:Record", func(i int, r, _ string) map[string]any {
		return map[string]any{"healthCheckId": fmt.Sprintf("hc-%d", i-1), "failoverRoutingPolicies": []any{map[string]any{"type": "PRIMARY"}},
			"aliases": []any{map[string]any{"name": fmt.Sprintf("lb-%d.%s.elb.amazonaws.com", i-12, r), "evaluateTargetHealth": true}}}
	}},
}

func secret(v any) resource.PropertyValue { return resource.MakeSecret(resource.NewPropertyValue(v)) }

// UnitSize is the number of resources in one generated unit.
var UnitSize = len(units)

func toValue(v any) resource.PropertyValue {
	switch t := v.(type) {
	case resource.PropertyValue:
		return t
	case map[string]any:
		m := make(resource.PropertyMap, len(t))
		for k, e := range t {
			m[resource.PropertyKey(k)] = toValue(e)
		}
		return resource.NewProperty(m)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = toValue(e)
		}
		return resource.NewProperty(arr)
	}
	return resource.NewPropertyValue(v)
}

// Deployment returns a deployment of about n resources over the first
// `regions` of Regions (at least 1), plus one provider per region.
func Deployment(n, regions int) *model.Deployment {
	if regions < 1 {
		regions = 1
	}
	if regions > len(Regions) {
		regions = len(Regions)
	}
	d := &model.Deployment{Stack: model.Stack{Name: "synthetic", Project: "bench",
		Config: map[string]string{"multiregion:residency": "none", "multiregion:topology": "active-passive"}}}
	providers := make([]string, regions)
	for i := 0; i < regions; i++ {
		urn := fmt.Sprintf("urn:pulumi:synthetic::bench::pulumi:providers:aws::aws-%s", Regions[i])
		providers[i] = urn
		m := resource.PropertyMap{"region": resource.NewProperty(Regions[i])}
		d.Resources = append(d.Resources, &model.Resource{URN: urn, Type: "pulumi:providers:aws", Name: "aws-" + Regions[i],
			Custom: true, ID: "p", Region: Regions[i], Inputs: m, Outputs: m})
	}
	for i := 0; len(d.Resources) < n+regions; i++ {
		u := units[i%len(units)]
		ri := (i / len(units)) % regions
		region, peer := Regions[ri], Regions[(ri+1)%regions]
		name := fmt.Sprintf("r%d", i)
		m := toValue(u.props(i, region, peer)).ObjectValue()
		d.Resources = append(d.Resources, &model.Resource{
			URN:      fmt.Sprintf("urn:pulumi:synthetic::bench::%s::%s", u.typ, name),
			Type:     u.typ,
			Name:     name,
			Provider: providers[ri],
			Region:   region,
			Custom:   true,
			ID:       name,
			Inputs:   m,
			Outputs:  m,
		})
	}
	model.ResolveRegions(d.Resources, "")
	return d
}

// WriteState writes d as a `pulumi stack export` deployment (version 3).
func WriteState(w io.Writer, d *model.Deployment) error {
	stack := resource.NewURN("synthetic", "bench", "", resource.RootStackType, "bench-synthetic")
	res := []apitype.ResourceV3{{URN: stack, Type: resource.RootStackType}}
	providerIDs := map[string]string{}
	for _, r := range d.Resources {
		if r.IsProvider() {
			providerIDs[r.URN] = r.ID
		}
	}
	for _, r := range d.Resources {
		provider := ""
		if r.Provider != "" {
			provider = r.Provider + "::" + providerIDs[r.Provider]
		}
		res = append(res, apitype.ResourceV3{
			URN: resource.URN(r.URN), Custom: r.Custom, ID: resource.ID(r.ID), Type: tokens.Type(r.Type),
			Inputs: plain(r.Inputs), Outputs: plain(r.Outputs), Parent: stack, Provider: provider,
		})
	}
	raw, err := json.Marshal(apitype.DeploymentV3{Resources: res})
	if err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(apitype.UntypedDeployment{Version: 3, Deployment: raw})
}

func plain(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		inner, _ := json.Marshal(plainValue(v.SecretValue().Element))
		return map[string]any{sig.Key: sig.Secret, "plaintext": string(inner)}
	case v.IsObject():
		return plain(v.ObjectValue())
	case v.IsArray():
		arr := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = plainValue(e)
		}
		return arr
	}
	return v.V
}

// MoveProvider edits a `pulumi stack export` deployment the way drift would
// look: the AWS provider named provider now points at region, and with it
// everything it manages. It fails when the provider is not in the deployment.
func MoveProvider(data []byte, provider, region string) ([]byte, error) {
	var untyped apitype.UntypedDeployment
	if err := json.Unmarshal(data, &untyped); err != nil {
		return nil, err
	}
	var dep apitype.DeploymentV3
	if err := json.Unmarshal(untyped.Deployment, &dep); err != nil {
		return nil, err
	}
	moved := false
	for i := range dep.Resources {
		r := &dep.Resources[i]
		if string(r.Type) == "pulumi:providers:aws" && r.URN.Name() == provider {
			r.Inputs["region"], r.Outputs["region"] = region, region
			moved = true
		}
	}
	if !moved {
		return nil, fmt.Errorf("no AWS provider named %q in the deployment", provider)
	}
	raw, err := json.Marshal(dep)
	if err != nil {
		return nil, err
	}
	untyped.Deployment = raw
	return json.Marshal(untyped)
}
