package failover

import (
	"fmt"
	"strings"
)

// Names and values from the AWS::ARCRegionSwitch::Plan CloudFormation schema
// (testdata/AWS_ARCRegionSwitch_Plan.json; tests validate every document
// against it).
const (
	// PlanTypeName is the CloudFormation type the plan is created as, through
	// the Cloud Control API (aws.cloudcontrol.Resource).
	PlanTypeName = "AWS::ARCRegionSwitch::Plan"
	// recoveryActivePassive: one region serves, the other is activated on failure.
	recoveryActivePassive = "activePassive"
	// actionActivate is a workflow's and a trigger's WorkflowTargetAction.
	actionActivate = "activate"
	// blockAurora and blockECS are ExecutionBlockType values.
	blockAurora = "AuroraGlobalDatabase"
	blockECS    = "ECSServiceScaling"
	// auroraFailover calls FailoverGlobalCluster with AllowDataLoss, even in a
	// graceful execution; auroraSwitchover calls SwitchoverGlobalCluster (no data
	// loss, needs both regions healthy). (API reference: GlobalAuroraConfiguration.)
	auroraFailover   = "failover"
	auroraSwitchover = "switchoverOnly"
	// capacitySampled reads the running task count of the service itself, with
	// no CloudWatch cost (the ECS execution block's documentation).
	capacitySampled = "sampledMaxInLast24Hours"
	// alarmTrigger marks an associated alarm that may start an execution.
	alarmTrigger = "trigger"
	// conditionRed: the trigger fires when its alarm is in ALARM.
	conditionRed = "red"
	// arcPrincipal is the service that assumes the plan's execution role
	// (ARC documentation, "Plan execution role trust policy").
	arcPrincipal = "arc-region-switch.amazonaws.com"
)

// planInput is everything the plan document needs, as plain values.
type planInput struct {
	Name, Description          string
	Primary, Standby           string
	ExecutionRoleARN           string
	Database                   string // DatabaseManagedFailover, ...
	GlobalClusterID            string
	ClusterARN                 map[string]string // region -> Aurora cluster ARN
	ECSClusterARN, ECSService  map[string]string // region -> ARN
	Alarms                     []alarmRef        // the detection alarms, all required to fire
	Automatic, AllowDataLoss   bool
	TargetPercent, MinDelay    int
	TimeoutMinutes, RTOMinutes int
	Tags                       map[string]string
}

// alarmRef names one detection alarm.
type alarmRef struct{ Name, ARN string }

// planDocument is the plan's desired state: CloudFormation property names and
// values, ready for json.Marshal.
func planDocument(in planInput) map[string]any {
	associated := map[string]any{}
	var conditions []any
	for _, a := range in.Alarms {
		associated[a.Name] = map[string]any{"AlarmType": alarmTrigger, "ResourceIdentifier": a.ARN}
		// A trigger fires when all its conditions are met (ARC API reference,
		// Trigger: "The conditions that must be met for the trigger to fire"):
		// with two probes, both must have seen the primary fail.
		conditions = append(conditions, map[string]any{"AssociatedAlarmName": a.Name, "Condition": conditionRed})
	}
	doc := map[string]any{
		"Name":             in.Name,
		"Description":      in.Description,
		"ExecutionRole":    in.ExecutionRoleARN,
		"RecoveryApproach": recoveryActivePassive,
		"Regions":          []string{in.Primary, in.Standby},
		"PrimaryRegion":    in.Primary,
		// One workflow per region it activates: failover to the standby, and
		// failback to the primary (both drilled with the same plan).
		"Workflows": []any{
			workflow(in, in.Standby, in.Primary),
			workflow(in, in.Primary, in.Standby),
		},
		// The detection alarms are associated either way, so the console shows
		// them; only a trigger makes them start an execution.
		"AssociatedAlarms": associated,
	}
	if in.RTOMinutes > 0 {
		doc["RecoveryTimeObjectiveMinutes"] = in.RTOMinutes
	}
	if in.Automatic {
		doc["Triggers"] = []any{map[string]any{
			"Description":                      fmt.Sprintf("Activate %s when the probe from %s has failed to reach %s", in.Standby, in.Standby, in.Primary),
			"TargetRegion":                     in.Standby,
			"Action":                           actionActivate,
			"Conditions":                       conditions,
			"MinDelayMinutesBetweenExecutions": in.MinDelay,
		}}
	}
	if len(in.Tags) > 0 {
		doc["Tags"] = in.Tags
	}
	return doc
}

// workflow returns the workflow that activates target (from source), its
// steps in order: the database first (the app must not scale up against a
// read-only database), then the app's ECS service.
//
// No Route53HealthCheck block: DNS already leaves a failed region on its own
// (GeoDNS health checks, or Cloudflare's monitors for prod-eu), and the block
// works through health checks that ARC creates for the plan (the read-only
// Route53HealthChecks property), which the DNS records would have to use; the
// records are built before the plan exists, so that needs GeoDNS to take the
// plan's health check IDs (a follow-up, not a guess here).
func workflow(in planInput, target, source string) map[string]any {
	var steps []any
	if in.Database == DatabaseManagedFailover {
		behavior := auroraSwitchover
		if target == in.Standby && in.AllowDataLoss {
			// Failover away from a failed primary: a switchover needs the old
			// primary healthy, so only FailoverGlobalCluster can succeed.
			behavior = auroraFailover
		}
		cfg := map[string]any{
			"Behavior":                behavior,
			"GlobalClusterIdentifier": in.GlobalClusterID,
			"DatabaseClusterArns":     []string{in.ClusterARN[in.Primary], in.ClusterARN[in.Standby]},
			"TimeoutMinutes":          in.TimeoutMinutes,
		}
		if in.AllowDataLoss {
			// An ungraceful execution (an operator's choice) may fail over too.
			cfg["Ungraceful"] = map[string]any{"Ungraceful": auroraFailover}
		}
		steps = append(steps, map[string]any{
			"Name":                        "database-to-" + target,
			"Description":                 fmt.Sprintf("Make the Aurora cluster in %s the global database's writer", target),
			"ExecutionBlockType":          blockAurora,
			"ExecutionBlockConfiguration": map[string]any{"GlobalAuroraConfig": cfg},
		})
	}
	steps = append(steps, map[string]any{
		"Name":               "scale-app-in-" + target,
		"Description":        fmt.Sprintf("Scale the ECS service in %s to %d%% of the tasks %s ran", target, in.TargetPercent, source),
		"ExecutionBlockType": blockECS,
		"ExecutionBlockConfiguration": map[string]any{"EcsCapacityIncreaseConfig": map[string]any{
			"Services": []any{
				map[string]any{"ClusterArn": in.ECSClusterARN[in.Primary], "ServiceArn": in.ECSService[in.Primary]},
				map[string]any{"ClusterArn": in.ECSClusterARN[in.Standby], "ServiceArn": in.ECSService[in.Standby]},
			},
			"TargetPercent":              in.TargetPercent,
			"CapacityMonitoringApproach": capacitySampled,
			"TimeoutMinutes":             in.TimeoutMinutes,
		}},
	})
	return map[string]any{
		"WorkflowTargetAction": actionActivate,
		"WorkflowTargetRegion": target,
		"WorkflowDescription":  fmt.Sprintf("Activate %s (%s)", target, databaseStep(in.Database)),
		"Steps":                steps,
	}
}

// databaseStep says in words what a workflow does with the database.
func databaseStep(database string) string {
	switch database {
	case DatabaseManagedFailover:
		return "Aurora global database failover, then ECS scaling"
	case DatabaseNothingToPromote:
		return "DynamoDB global table: nothing to promote; ECS scaling"
	default:
		return "ECS scaling only: promote the RDS read replica with the two-apply runbook (database.promotedRegion)"
	}
}

// arns builds the ARNs the execution role is scoped to, in one partition and account.
type arns struct{ partition, account string }

func (a arns) globalCluster(id string) string {
	return fmt.Sprintf("arn:%s:rds::%s:global-cluster:%s", a.partition, a.account, id)
}
func (a arns) ecsCluster(region, cluster string) string {
	return fmt.Sprintf("arn:%s:ecs:%s:%s:cluster/%s", a.partition, region, a.account, cluster)
}
func (a arns) ecsService(region, cluster, service string) string {
	return fmt.Sprintf("arn:%s:ecs:%s:%s:service/%s/%s", a.partition, region, a.account, cluster, service)
}

// scalableTargets covers the Application Auto Scaling targets of one region.
// Their ARNs (scalable-target/<unique ID>, Service Authorization Reference,
// "Actions, resources, and condition keys for Application Auto Scaling") end in
// a random ID, so the region and account are the narrowest scope; the
// service-namespace and scalable-dimension conditions limit them to ECS
// services' desired count.
func (a arns) scalableTargets(region string) string {
	return fmt.Sprintf("arn:%s:application-autoscaling:%s:%s:scalable-target/*", a.partition, region, a.account)
}

func (a arns) alarm(region, name string) string {
	return fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", a.partition, region, a.account, name)
}
func (a arns) role(name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", a.partition, a.account, name)
}

// plans covers this plan: its ARN is plan/<name>:<6 random characters>.
func (a arns) plans(name string) string {
	return fmt.Sprintf("arn:%s:arc-region-switch::%s:plan/%s:*", a.partition, a.account, name)
}

// executionPolicy is the plan execution role's policy: read what plan
// evaluation reads, and change only this stack's global cluster, clusters,
// ECS services and their scalable targets. The statements follow ARC's sample
// policies ("Aurora Global Database execution block sample policy", "Amazon
// ECS service scaling execution block sample policy", the managed policy
// AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy), with
// every mutating action scoped to ARNs.
func executionPolicy(in planInput, a arns, roleName string) map[string]any {
	regions := []string{in.Primary, in.Standby}
	var services, clusters []string
	for _, r := range regions {
		services = append(services, in.ECSService[r])
		clusters = append(clusters, in.ECSClusterARN[r])
	}
	var alarmARNs []string
	for _, al := range in.Alarms {
		alarmARNs = append(alarmARNs, a.alarm(in.Standby, al.Name))
	}
	var st []any
	if in.Database == DatabaseManagedFailover {
		db := []string{a.globalCluster(in.GlobalClusterID), in.ClusterARN[in.Primary], in.ClusterARN[in.Standby]}
		st = append(st,
			statement("AuroraRead", []string{"rds:DescribeGlobalClusters", "rds:DescribeDBClusters"}, db, nil),
			statement("AuroraFailover", []string{"rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"}, db, nil))
	}
	st = append(st,
		statement("ECSServices", []string{"ecs:DescribeServices", "ecs:UpdateService"}, services, nil),
		statement("ECSClusters", []string{"ecs:DescribeClusters"}, clusters, nil),
		// ListServices has no resource-level permission: limit it to the two clusters.
		statement("ECSList", []string{"ecs:ListServices"}, []string{"*"}, map[string]any{
			"ArnEquals": map[string]any{"ecs:cluster": clusters}}),
		// DescribeScalableTargets has no resource-level permission (read-only).
		statement("ScalingRead", []string{"application-autoscaling:DescribeScalableTargets"}, []string{"*"}, nil),
		statement("ScalingWrite", []string{"application-autoscaling:RegisterScalableTarget"},
			[]string{a.scalableTargets(in.Primary), a.scalableTargets(in.Standby)}, map[string]any{
				"StringEquals": map[string]any{
					"application-autoscaling:service-namespace":  "ecs",
					"application-autoscaling:scalable-dimension": "ecs:service:DesiredCount",
				}}),
		// GetMetricStatistics has no resource-level permission (read-only): the
		// ECS block and plan evaluation read task counts.
		statement("Metrics", []string{"cloudwatch:GetMetricStatistics"}, []string{"*"}, nil),
		statement("TriggerAlarm", []string{"cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"}, alarmARNs, nil),
		statement("Plan", []string{"arc-region-switch:GetPlan", "arc-region-switch:GetPlanExecution",
			"arc-region-switch:ListPlanExecutions", "arc-region-switch:StartPlanExecution"}, []string{a.plans(in.Name)}, nil),
		// Plan evaluation simulates this role's own policy.
		statement("PlanEvaluation", []string{"iam:SimulatePrincipalPolicy"}, []string{a.role(roleName)}, nil),
	)
	return map[string]any{"Version": "2012-10-17", "Statement": st}
}

// trustPolicy lets service assume a role.
func trustPolicy(service string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`
}

func statement(sid string, actions, resources []string, condition map[string]any) map[string]any {
	s := map[string]any{"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
	if condition != nil {
		s["Condition"] = condition
	}
	return s
}

// description is the plan's description: what it does with the database.
func description(in planInput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Failover %s -> %s. ", in.Primary, in.Standby)
	switch in.Database {
	case DatabaseManagedFailover:
		if in.AllowDataLoss {
			b.WriteString("Aurora: unplanned failover (may lose writes not yet replicated). ")
		} else {
			b.WriteString("Aurora: switchover only (no data loss; needs the primary healthy). ")
		}
	case DatabaseNothingToPromote:
		b.WriteString("DynamoDB global table: nothing to promote. ")
	case DatabaseManualRunbook:
		b.WriteString("RDS read replica: NOT promoted by this plan; run the two-apply promotion runbook. ")
	}
	if in.Automatic {
		fmt.Fprintf(&b, "Automatic: triggered when %d probe alarm(s) in the standby are all in ALARM.", len(in.Alarms))
	} else {
		b.WriteString("Manual: no trigger.")
	}
	return b.String()
}
