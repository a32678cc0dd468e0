package regionalstack

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// containerName is the name of the app container in the task definition.
	containerName = "app"
	// targetProtocol and targetType are the target group's protocol and target
	// type (Fargate tasks in awsvpc mode are registered by IP).
	targetProtocol = "HTTP"
	targetType     = "ip"
	// tlsPolicy is the load balancer's TLS policy: TLS 1.3 with TLS 1.2 fallback.
	tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// kmsDeletionWindowDays is the longest window AWS allows, so a key deleted by
	// mistake (with the data it protects) can be recovered for 30 days.
	kmsDeletionWindowDays = 30
	// ecsExecutionPolicy is the AWS-managed policy that lets ECS pull images and
	// write logs, under "arn:<partition>:iam::aws:policy/".
	ecsExecutionPolicy = "service-role/AmazonECSTaskExecutionRolePolicy"
)

// managedPolicyARN returns the ARN of an AWS-managed IAM policy in partition.
func managedPolicyARN(partition, policy string) string {
	return "arn:" + partition + ":iam::aws:policy/" + policy
}

// kmsKey creates the region's customer-managed key for data at rest.
func (b *builder) kmsKey() error {
	name := b.child("kms")
	key, err := kms.NewKey(b.ctx, name, &kms.KeyArgs{
		Description:          pulumi.Sprintf("multiregion %s: data at rest in %s", b.name, b.rs.RegionName),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(kmsDeletionWindowDays),
		Tags:                 b.tags(name),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("kms key: %w", err)
	}
	if _, err := kms.NewAlias(b.ctx, b.child("kms-alias"), &kms.AliasArgs{
		// A prefix, not a name: two stacks in one account never collide.
		NamePrefix:  pulumi.String("alias/multiregion-" + b.name + "-"),
		TargetKeyId: key.KeyId,
	}, pulumi.Parent(key)); err != nil {
		return fmt.Errorf("kms alias: %w", err)
	}
	b.rs.KMSKey = key
	b.rs.KMSKeyARN = key.Arn
	return nil
}

// app creates the load balancer, the ECS service and its autoscaling.
func (b *builder) app() error {
	ctx, cfg := b.ctx, b.cfg

	var publicIDs, privateIDs pulumi.StringArray
	for _, s := range b.publicSubnets {
		publicIDs = append(publicIDs, s.ID())
	}
	for _, s := range b.privateSubnets {
		privateIDs = append(privateIDs, s.ID())
	}

	albName := b.child("alb")
	alb, err := lb.NewLoadBalancer(ctx, albName, &lb.LoadBalancerArgs{
		Name:                    pulumi.String(b.rs.LoadBalancerName),
		LoadBalancerType:        pulumi.String("application"),
		Internal:                pulumi.Bool(false),
		SecurityGroups:          pulumi.StringArray{b.lbSG.ID()},
		Subnets:                 publicIDs,
		DropInvalidHeaderFields: pulumi.Bool(true),
		Tags:                    b.tags(albName),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("load balancer: %w", err)
	}
	tgName := b.child("tg")
	tg, err := lb.NewTargetGroup(ctx, tgName, &lb.TargetGroupArgs{
		Name:                pulumi.String(b.rs.TargetGroupName),
		VpcId:               b.vpc.ID(),
		TargetType:          pulumi.String(targetType),
		Protocol:            pulumi.String(targetProtocol),
		Port:                pulumi.Int(cfg.Port),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Path:               pulumi.String(cfg.HealthCheckPath),
			Protocol:           pulumi.String("HTTP"),
			Matcher:            pulumi.String("200-399"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
		Tags: b.tags(tgName),
	}, pulumi.Parent(alb))
	if err != nil {
		return fmt.Errorf("target group: %w", err)
	}
	listeners, err := b.listeners(alb, tg)
	if err != nil {
		return err
	}

	logName := b.child("logs")
	logs, err := cloudwatch.NewLogGroup(ctx, logName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(cfg.LogRetentionDays),
		Tags:            b.tags(logName),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("log group: %w", err)
	}

	execRole, taskRole, err := b.roles()
	if err != nil {
		return err
	}

	clusterName := b.child("cluster")
	cluster, err := ecs.NewCluster(ctx, clusterName, &ecs.ClusterArgs{
		Settings: ecs.ClusterSettingArray{ecs.ClusterSettingArgs{
			Name:  pulumi.String("containerInsights"),
			Value: pulumi.String("enabled"),
		}},
		Tags: b.tags(clusterName),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("ecs cluster: %w", err)
	}

	containers := logs.Name.ApplyT(func(group string) (string, error) {
		return containerDefinitions(cfg, group, b.rs.RegionName)
	}).(pulumi.StringOutput)
	tdName := b.child("task")
	td, err := ecs.NewTaskDefinition(ctx, tdName, &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(b.rs.TaskFamily),
		NetworkMode:             pulumi.String("awsvpc"),
		RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
		Cpu:                     pulumi.String(fmt.Sprint(cfg.CPU)),
		Memory:                  pulumi.String(fmt.Sprint(cfg.Memory)),
		ExecutionRoleArn:        execRole.Arn,
		TaskRoleArn:             taskRole.Arn,
		RuntimePlatform: ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"),
			CpuArchitecture:       pulumi.String(cfg.Architecture),
		},
		ContainerDefinitions: containers,
		Tags:                 b.tags(tdName),
	}, pulumi.Parent(cluster))
	if err != nil {
		return fmt.Errorf("task definition: %w", err)
	}

	subnets, publicIP := privateIDs, false
	if cfg.NATStrategy == NATNone {
		// Without NAT the private subnets have no egress: run in the public
		// subnets with public IPs so tasks can pull images. The app security
		// group still admits only the load balancer.
		subnets, publicIP = publicIDs, true
	}
	svcName := b.child("service")
	svc, err := ecs.NewService(ctx, svcName, &ecs.ServiceArgs{
		Cluster:        cluster.Arn,
		TaskDefinition: td.Arn,
		LaunchType:     pulumi.String("FARGATE"),
		DesiredCount:   pulumi.Int(cfg.desiredCount()),
		NetworkConfiguration: ecs.ServiceNetworkConfigurationArgs{
			Subnets:        subnets,
			SecurityGroups: pulumi.StringArray{b.appSG.ID()},
			AssignPublicIp: pulumi.Bool(publicIP),
		},
		LoadBalancers: ecs.ServiceLoadBalancerArray{ecs.ServiceLoadBalancerArgs{
			TargetGroupArn: tg.Arn,
			ContainerName:  pulumi.String(containerName),
			ContainerPort:  pulumi.Int(cfg.Port),
		}},
		DeploymentCircuitBreaker: ecs.ServiceDeploymentCircuitBreakerArgs{
			Enable:   pulumi.Bool(true),
			Rollback: pulumi.Bool(true),
		},
		HealthCheckGracePeriodSeconds: pulumi.Int(60),
		PropagateTags:                 pulumi.String("SERVICE"),
		Tags:                          b.tags(svcName),
	}, pulumi.Parent(cluster),
		// The target group must be attached to the load balancer first.
		pulumi.DependsOn(listeners),
		// Autoscaling owns the running count after creation; a standby switch
		// moves the autoscaling floor, which scales the service.
		pulumi.IgnoreChanges([]string{"desiredCount"}))
	if err != nil {
		return fmt.Errorf("ecs service: %w", err)
	}

	if err := b.autoscaling(cluster, svc); err != nil {
		return err
	}

	scheme := "http"
	if cfg.CertificateARN != "" {
		scheme = "https"
	}
	b.rs.LoadBalancer, b.rs.TargetGroup, b.rs.LogGroup, b.rs.TaskRole = alb, tg, logs, taskRole
	b.rs.Cluster, b.rs.TaskDefinition, b.rs.Service = cluster, td, svc
	b.rs.LoadBalancerDNSName = alb.DnsName
	b.rs.LoadBalancerZoneID = alb.ZoneId
	b.rs.HealthCheckURL = pulumi.Sprintf("%s://%s%s", scheme, alb.DnsName, cfg.HealthCheckPath)
	b.rs.ClusterName = cluster.Name
	b.rs.ServiceName = svc.Name
	b.rs.TaskRoleARN = taskRole.Arn
	return nil
}

// listeners creates HTTPS with an HTTP redirect when a certificate is given,
// else plain HTTP.
func (b *builder) listeners(alb *lb.LoadBalancer, tg *lb.TargetGroup) ([]pulumi.Resource, error) {
	forward := lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
		Type:           pulumi.String("forward"),
		TargetGroupArn: tg.Arn,
	}}
	if b.cfg.CertificateARN == "" {
		name := b.child("http")
		l, err := lb.NewListener(b.ctx, name, &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions:  forward,
			Tags:            b.tags(name),
		}, pulumi.Parent(alb))
		if err != nil {
			return nil, fmt.Errorf("http listener: %w", err)
		}
		b.rs.Listeners = []*lb.Listener{l}
		return []pulumi.Resource{l}, nil
	}
	httpsName := b.child("https")
	https, err := lb.NewListener(b.ctx, httpsName, &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(tlsPolicy),
		CertificateArn:  pulumi.String(b.cfg.CertificateARN),
		DefaultActions:  forward,
		Tags:            b.tags(httpsName),
	}, pulumi.Parent(alb))
	if err != nil {
		return nil, fmt.Errorf("https listener: %w", err)
	}
	redirectName := b.child("http-redirect")
	redirect, err := lb.NewListener(b.ctx, redirectName, &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: lb.ListenerDefaultActionRedirectArgs{
				Protocol:   pulumi.String("HTTPS"),
				Port:       pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301"),
			},
		}},
		Tags: b.tags(redirectName),
	}, pulumi.Parent(alb))
	if err != nil {
		return nil, fmt.Errorf("http redirect listener: %w", err)
	}
	b.rs.Listeners = []*lb.Listener{https, redirect}
	return []pulumi.Resource{https, redirect}, nil
}

// roles creates the task execution role (pull images, write logs) and the task
// role the application runs as.
func (b *builder) roles() (exec, task *iam.Role, err error) {
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	execName := b.child("exec-role")
	exec, err = iam.NewRole(b.ctx, execName, &iam.RoleArgs{
		Description:      pulumi.Sprintf("ECS task execution for %s", b.name),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags(execName),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("execution role: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(b.ctx, b.child("exec-role-policy"), &iam.RolePolicyAttachmentArgs{
		Role:      exec.Name,
		PolicyArn: pulumi.String(managedPolicyARN(b.rs.Partition, ecsExecutionPolicy)),
	}, pulumi.Parent(exec)); err != nil {
		return nil, nil, fmt.Errorf("execution role policy: %w", err)
	}
	taskName := b.child("task-role")
	task, err = iam.NewRole(b.ctx, taskName, &iam.RoleArgs{
		Description:      pulumi.Sprintf("Application role for %s", b.name),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags(taskName),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("task role: %w", err)
	}
	return exec, task, nil
}

// autoscaling keeps average CPU at the target between the mode's floor and MaxCount.
// targetOptions are the scalable target's resource options: a child of the
// service, ignoring its floor when the capacity is managed outside Pulumi.
func (b *builder) targetOptions(svc *ecs.Service) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(svc)}
	if b.cfg.CapacityManagedExternally {
		opts = append(opts, pulumi.IgnoreChanges([]string{"minCapacity"}))
	}
	return opts
}

func (b *builder) autoscaling(cluster *ecs.Cluster, svc *ecs.Service) error {
	cfg := b.cfg
	name := b.child("scaling")
	target, err := appautoscaling.NewTarget(b.ctx, name, &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String("ecs:service:DesiredCount"),
		ResourceId:        pulumi.Sprintf("service/%s/%s", cluster.Name, svc.Name),
		MinCapacity:       pulumi.Int(cfg.minCount()),
		MaxCapacity:       pulumi.Int(cfg.MaxCount),
		Tags:              b.tags(name),
	}, b.targetOptions(svc)...)
	if err != nil {
		return fmt.Errorf("autoscaling target: %w", err)
	}
	if _, err := appautoscaling.NewPolicy(b.ctx, b.child("scaling-cpu"), &appautoscaling.PolicyArgs{
		PolicyType:        pulumi.String("TargetTrackingScaling"),
		ServiceNamespace:  target.ServiceNamespace,
		ScalableDimension: target.ScalableDimension,
		ResourceId:        target.ResourceId,
		TargetTrackingScalingPolicyConfiguration: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
			TargetValue: pulumi.Float64(float64(cfg.CPUTargetPercent)),
			PredefinedMetricSpecification: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ECSServiceAverageCPUUtilization"),
			},
			ScaleInCooldown:  pulumi.Int(300),
			ScaleOutCooldown: pulumi.Int(60),
		},
	}, pulumi.Parent(target)); err != nil {
		return fmt.Errorf("autoscaling policy: %w", err)
	}
	return nil
}

// containerDefinitions renders the task's container definitions as JSON.
func containerDefinitions(cfg *resolved, logGroup, region string) (string, error) {
	type kv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	env := []kv{}
	for _, k := range slices.Sorted(maps.Keys(cfg.Environment)) {
		env = append(env, kv{k, cfg.Environment[k]})
	}
	defs := []map[string]any{{
		"name":         containerName,
		"image":        cfg.Image,
		"essential":    true,
		"portMappings": []map[string]any{{"containerPort": cfg.Port, "protocol": "tcp"}},
		"environment":  env,
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         logGroup,
				"awslogs-region":        region,
				"awslogs-stream-prefix": containerName,
			},
		},
	}}
	out, err := json.Marshal(defs)
	if err != nil {
		return "", fmt.Errorf("container definitions: %w", err)
	}
	return string(out), nil
}
