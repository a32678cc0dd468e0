package failover_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/internal/dbmodes"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/validation"
)

const (
	tPlan      = "aws:cloudcontrol/resource:Resource"
	tRole      = "aws:iam/role:Role"
	tPolicy    = "aws:iam/rolePolicy:RolePolicy"
	tCanary    = "aws:synthetics/canary:Canary"
	tAlarm     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tBucket    = "aws:s3/bucketV2:BucketV2"
	tPAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tSSE       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tObject    = "aws:s3/bucketObjectv2:BucketObjectv2"
	account    = mockengine.AccountID
	globalID   = "orders-prod"
	healthURL  = "https://primary-alb.example.com/healthz"
	schemaFile = "testdata/AWS_ARCRegionSwitch_Plan.json"
)

func clusterARN(partition, region string) string {
	return fmt.Sprintf("arn:%s:rds:%s:%s:cluster:orders-prod-%s", partition, region, account, region)
}

// region returns the Region of one side of the plan on provider p.
func region(partition, name string, p *aws.Provider) failover.Region {
	return failover.Region{
		Region:             name,
		Provider:           p,
		ClusterName:        pulumi.String("app-" + name + "-cluster"),
		ServiceName:        pulumi.String("app-" + name + "-service"),
		HealthCheckURL:     pulumi.String(healthURL),
		DatabaseClusterARN: pulumi.String(clusterARN(partition, name)),
		KMSKeyARN:          pulumi.String("arn:" + partition + ":kms:" + name + ":" + account + ":key/k-" + name),
	}
}

// baseArgs is an automatic aurora-global failover from primary to standby.
func baseArgs(partition, primary, standby string, pp, sp *aws.Provider) *failover.Args {
	return &failover.Args{
		DatabaseMode:             dbmodes.ModeAuroraGlobal,
		Primary:                  region(partition, primary, pp),
		Standby:                  region(partition, standby, sp),
		Partition:                partition,
		GlobalClusterIdentifier:  globalID,
		StandbyDatabaseInstances: 1,
		Automatic:                true,
		AllowDataLoss:            true,
	}
}

// run builds a Failover between two regions, each on its own provider.
func run(t *testing.T, partition, primary, standby string, tweak func(*failover.Args)) (*mockengine.Recorder, *failover.Failover, error) {
	t.Helper()
	var f *failover.Failover
	rec, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		pp, err := aws.NewProvider(ctx, "aws-"+primary, &aws.ProviderArgs{Region: pulumi.String(primary)})
		if err != nil {
			return err
		}
		sp, err := aws.NewProvider(ctx, "aws-"+standby, &aws.ProviderArgs{Region: pulumi.String(standby)})
		if err != nil {
			return err
		}
		args := baseArgs(partition, primary, standby, pp, sp)
		if tweak != nil {
			tweak(args)
		}
		f, err = failover.New(ctx, "orders-failover", args)
		return err
	})
	return rec, f, err
}

// planSchema compiles the published CloudFormation schema once.
var planSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("plan.json", strings.NewReader(string(raw))); err != nil {
		return nil, err
	}
	return c.Compile("plan.json")
})

// validatePlan checks a desired-state JSON document against the schema.
func validatePlan(t *testing.T, doc string) error {
	t.Helper()
	s, err := planSchema()
	require.NoError(t, err, "compile %s", schemaFile)
	var v any
	require.NoError(t, json.Unmarshal([]byte(doc), &v))
	return s.Validate(v)
}

// desiredState returns the plan's desired state as a generic document.
func desiredState(t *testing.T, rec *mockengine.Recorder) (string, map[string]any) {
	t.Helper()
	plans := rec.ByType(tPlan)
	require.Len(t, plans, 1)
	assert.Equal(t, failover.PlanTypeName, props.String(plans[0].Inputs, "typeName"))
	raw := props.String(plans[0].Inputs, "desiredState")
	require.NotEmpty(t, raw)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &doc))
	return raw, doc
}

// steps returns each workflow's target region and its block types in order.
func steps(t *testing.T, doc map[string]any) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	wfs, _ := doc["Workflows"].([]any)
	require.NotEmpty(t, wfs)
	for _, w := range wfs {
		wf := w.(map[string]any)
		assert.Equal(t, "activate", wf["WorkflowTargetAction"])
		target := wf["WorkflowTargetRegion"].(string)
		for _, s := range wf["Steps"].([]any) {
			out[target] = append(out[target], s.(map[string]any)["ExecutionBlockType"].(string))
		}
	}
	return out
}

func TestPlanShapesMatchSchema(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		tweak    func(*failover.Args)
		database string
		blocks   []string // per workflow, in order
		trigger  bool
		behavior string // Aurora behavior when activating the standby
	}{
		{"aurora-global automatic", nil, failover.DatabaseManagedFailover,
			[]string{"AuroraGlobalDatabase", "ECSServiceScaling"}, true, "failover"},
		{"aurora-global manual without data loss", func(a *failover.Args) { a.Automatic, a.AllowDataLoss = false, false },
			failover.DatabaseManagedFailover, []string{"AuroraGlobalDatabase", "ECSServiceScaling"}, false, "switchoverOnly"},
		{"dynamodb-global", func(a *failover.Args) {
			a.DatabaseMode, a.GlobalClusterIdentifier, a.StandbyDatabaseInstances = dbmodes.ModeDynamoDBGlobal, "", 0
		}, failover.DatabaseNothingToPromote, []string{"ECSServiceScaling"}, true, ""},
		{"rds-replica", func(a *failover.Args) {
			a.DatabaseMode, a.GlobalClusterIdentifier, a.StandbyDatabaseInstances = dbmodes.ModeRDSReplica, "", 0
		}, failover.DatabaseManualRunbook, []string{"ECSServiceScaling"}, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, f, err := run(t, "aws", "us-east-1", "us-west-2", tc.tweak)
			require.NoError(t, err)
			raw, doc := desiredState(t, rec)
			require.NoError(t, validatePlan(t, raw), "the plan must satisfy the published CloudFormation schema")

			assert.Equal(t, "activePassive", doc["RecoveryApproach"])
			assert.Equal(t, []any{"us-east-1", "us-west-2"}, doc["Regions"])
			assert.Equal(t, "us-east-1", doc["PrimaryRegion"])
			assert.Equal(t, "orders-failover", doc["Name"])
			assert.Equal(t, map[string][]string{"us-west-2": tc.blocks, "us-east-1": tc.blocks}, steps(t, doc))
			assert.Equal(t, tc.database, f.DatabaseAction)
			assert.Contains(t, doc["Description"], map[string]string{
				failover.DatabaseManagedFailover:  "Aurora",
				failover.DatabaseNothingToPromote: "nothing to promote",
				failover.DatabaseManualRunbook:    "NOT promoted",
			}[tc.database])

			// The execution role is the component's role, trusted by ARC.
			roles := rec.ByType(tRole)
			var planRole *mockengine.Resource
			for _, r := range roles {
				if r.Name == "orders-failover-plan-role" {
					planRole = r
				}
			}
			require.NotNil(t, planRole)
			assert.Equal(t, props.String(planRole.Outputs, "arn"), doc["ExecutionRole"])
			assert.Contains(t, props.String(planRole.Inputs, "assumeRolePolicy"), `"Service":"arc-region-switch.amazonaws.com"`)

			// Triggers: the standby's alarm, activating the standby.
			alarm := rec.ByType(tAlarm)[0]
			alarmName := props.String(alarm.Inputs, "name")
			assoc := doc["AssociatedAlarms"].(map[string]any)[alarmName].(map[string]any)
			assert.Equal(t, "trigger", assoc["AlarmType"])
			assert.Equal(t, props.String(alarm.Outputs, "arn"), assoc["ResourceIdentifier"])
			if !tc.trigger {
				assert.NotContains(t, doc, "Triggers")
				assert.False(t, f.Automatic)
			} else {
				triggers := doc["Triggers"].([]any)
				require.Len(t, triggers, 1)
				tr := triggers[0].(map[string]any)
				assert.Equal(t, "us-west-2", tr["TargetRegion"])
				assert.Equal(t, "activate", tr["Action"])
				assert.Equal(t, []any{map[string]any{"AssociatedAlarmName": alarmName, "Condition": "red"}}, tr["Conditions"])
				assert.True(t, f.Automatic)
			}

			// The Aurora block fails over to the standby and switches back.
			for _, w := range doc["Workflows"].([]any) {
				wf := w.(map[string]any)
				first := wf["Steps"].([]any)[0].(map[string]any)["ExecutionBlockConfiguration"].(map[string]any)
				aurora, ok := first["GlobalAuroraConfig"].(map[string]any)
				if tc.behavior == "" {
					assert.False(t, ok, "no database block for %s", tc.database)
					continue
				}
				require.True(t, ok)
				assert.Equal(t, globalID, aurora["GlobalClusterIdentifier"])
				assert.Equal(t, []any{clusterARN("aws", "us-east-1"), clusterARN("aws", "us-west-2")}, aurora["DatabaseClusterArns"])
				if wf["WorkflowTargetRegion"] == "us-west-2" {
					assert.Equal(t, tc.behavior, aurora["Behavior"])
				} else {
					assert.Equal(t, "switchoverOnly", aurora["Behavior"], "failing back is planned: no data loss")
				}
			}
		})
	}
}

// The schema check can fail: documents AWS would refuse are refused.
func TestSchemaRefusesInvalidPlans(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, "aws", "us-east-1", "us-west-2", nil)
	require.NoError(t, err)
	raw, _ := desiredState(t, rec)
	require.NoError(t, validatePlan(t, raw))
	mutations := map[string]func(map[string]any){
		"three regions": func(d map[string]any) { d["Regions"] = []any{"us-east-1", "us-west-2", "eu-west-1"} },
		"unknown block type": func(d map[string]any) {
			step := d["Workflows"].([]any)[0].(map[string]any)["Steps"].([]any)[0].(map[string]any)
			step["ExecutionBlockType"] = "AuroraFailover"
		},
		"unknown property":   func(d map[string]any) { d["Region"] = "us-east-1" },
		"bad approach":       func(d map[string]any) { d["RecoveryApproach"] = "active-passive" },
		"missing role":       func(d map[string]any) { delete(d, "ExecutionRole") },
		"plan name too long": func(d map[string]any) { d["Name"] = strings.Repeat("a", 33) },
		"one ECS service": func(d map[string]any) {
			step := d["Workflows"].([]any)[0].(map[string]any)["Steps"].([]any)[1].(map[string]any)
			cfg := step["ExecutionBlockConfiguration"].(map[string]any)["EcsCapacityIncreaseConfig"].(map[string]any)
			cfg["Services"] = cfg["Services"].([]any)[:1]
		},
		"trigger without delay": func(d map[string]any) {
			delete(d["Triggers"].([]any)[0].(map[string]any), "MinDelayMinutesBetweenExecutions")
		},
	}
	for name, mutate := range mutations {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(raw), &doc))
		mutate(doc)
		out, err := json.Marshal(doc)
		require.NoError(t, err)
		assert.Error(t, validatePlan(t, string(out)), name)
	}
}

// policy returns the parsed policy document of the RolePolicy named name.
func policy(t *testing.T, rec *mockengine.Recorder, name string) []map[string]any {
	t.Helper()
	p := rec.Find(tPolicy, name)
	require.NotNil(t, p, name)
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(props.String(p.Inputs, "policy")), &doc))
	require.Equal(t, "2012-10-17", doc.Version)
	require.NotEmpty(t, doc.Statement)
	return doc.Statement
}

func list(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, s := range x {
			out = append(out, s.(string))
		}
		return out
	}
	return nil
}

// readOnly reports whether an IAM action only reads.
func readOnly(action string) bool {
	_, verb, _ := strings.Cut(action, ":")
	for _, p := range []string{"Describe", "List", "Get", "Simulate"} {
		if strings.HasPrefix(verb, p) {
			return true
		}
	}
	return false
}

// scopeProblems lists every statement that lets a mutating action act on
// "*" or on a wildcard account/partition, and any wildcard action.
func scopeProblems(statements []map[string]any, partition, account string, allowConditioned bool) []string {
	var out []string
	for _, s := range statements {
		actions, resources := list(s["Action"]), list(s["Resource"])
		if s["Effect"] != "Allow" || s["NotAction"] != nil || s["NotResource"] != nil {
			out = append(out, fmt.Sprintf("%v: only Allow with Action and Resource", s["Sid"]))
		}
		mutating := false
		for _, a := range actions {
			if strings.Contains(a, "*") {
				out = append(out, fmt.Sprintf("%v: wildcard action %s", s["Sid"], a))
			}
			mutating = mutating || !readOnly(a)
		}
		for _, r := range resources {
			switch {
			case r == "*" && mutating && !(allowConditioned && s["Condition"] != nil):
				out = append(out, fmt.Sprintf("%v: mutating %v on *", s["Sid"], actions))
			case r == "*":
			case !strings.HasPrefix(r, "arn:"+partition+":"):
				out = append(out, fmt.Sprintf("%v: %s is not in partition %s", s["Sid"], r, partition))
			case mutating && !strings.Contains(r, ":"+account+":"):
				out = append(out, fmt.Sprintf("%v: %s is not scoped to account %s", s["Sid"], r, account))
			}
		}
	}
	return out
}

func TestExecutionRoleIsLeastPrivilege(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ partition, primary, standby string }{
		{"aws", "us-east-1", "us-west-2"},
		{"aws-us-gov", "us-gov-west-1", "us-gov-east-1"},
	} {
		t.Run(tc.partition, func(t *testing.T) {
			t.Parallel()
			rec, _, err := run(t, tc.partition, tc.primary, tc.standby, func(a *failover.Args) { a.AccountID = account })
			require.NoError(t, err)
			st := policy(t, rec, "orders-failover-plan-policy")
			assert.Empty(t, scopeProblems(st, tc.partition, account, false))

			bySid := map[string]map[string]any{}
			for _, s := range st {
				bySid[s["Sid"].(string)] = s
			}
			global := fmt.Sprintf("arn:%s:rds::%s:global-cluster:%s", tc.partition, account, globalID)
			assert.Equal(t, []string{global, clusterARN(tc.partition, tc.primary), clusterARN(tc.partition, tc.standby)},
				list(bySid["AuroraFailover"]["Resource"]), "only this stack's global cluster and clusters")
			assert.ElementsMatch(t, []string{"rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"}, list(bySid["AuroraFailover"]["Action"]))
			assert.Equal(t, []string{
				fmt.Sprintf("arn:%s:ecs:%s:%s:service/app-%s-cluster/app-%s-service", tc.partition, tc.primary, account, tc.primary, tc.primary),
				fmt.Sprintf("arn:%s:ecs:%s:%s:service/app-%s-cluster/app-%s-service", tc.partition, tc.standby, account, tc.standby, tc.standby),
			}, list(bySid["ECSServices"]["Resource"]), "only this stack's ECS services")
			assert.Contains(t, list(bySid["ECSServices"]["Action"]), "ecs:UpdateService")
			require.NotNil(t, bySid["ScalingWrite"]["Condition"], "scalable targets limited to ECS desired count")

			// The plan refers to the same ARNs it is allowed to act on.
			_, doc := desiredState(t, rec)
			ecs := doc["Workflows"].([]any)[0].(map[string]any)["Steps"].([]any)[1].(map[string]any)["ExecutionBlockConfiguration"].(map[string]any)["EcsCapacityIncreaseConfig"].(map[string]any)
			require.Len(t, ecs["Services"], 2, "the primary's and the standby's services")
			for _, s := range ecs["Services"].([]any) {
				assert.Contains(t, list(bySid["ECSServices"]["Resource"]), s.(map[string]any)["ServiceArn"])
				assert.Contains(t, list(bySid["ECSClusters"]["Resource"]), s.(map[string]any)["ClusterArn"])
			}
			raw, _ := desiredState(t, rec)
			require.NoError(t, validatePlan(t, raw), "a %s plan satisfies the schema", tc.partition)
		})
	}
}

// The scope check can fail: each of these statements must be reported.
func TestScopeCheckCatchesBroadPolicies(t *testing.T) {
	t.Parallel()
	bad := []map[string]any{
		{"Sid": "star", "Effect": "Allow", "Action": "ecs:UpdateService", "Resource": "*"},
		{"Sid": "wild action", "Effect": "Allow", "Action": "rds:*", "Resource": "arn:aws:rds::123456789012:global-cluster:x"},
		{"Sid": "partition", "Effect": "Allow", "Action": "rds:FailoverGlobalCluster", "Resource": "arn:aws-cn:rds::123456789012:global-cluster:x"},
		{"Sid": "any account", "Effect": "Allow", "Action": "rds:FailoverGlobalCluster", "Resource": "arn:aws:rds::*:global-cluster:x"},
		{"Sid": "not action", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
	}
	for _, s := range bad {
		assert.NotEmpty(t, scopeProblems([]map[string]any{s}, "aws", account, false), s["Sid"])
	}
	ok := []map[string]any{{"Sid": "read", "Effect": "Allow", "Action": []any{"ecs:DescribeServices"}, "Resource": "*"}}
	assert.Empty(t, scopeProblems(ok, "aws", account, false))
}

func TestDetectionLivesInTheStandby(t *testing.T) {
	t.Parallel()
	rec, f, err := run(t, "aws", "us-east-1", "us-west-2", func(a *failover.Args) {
		a.ConsecutiveFailures, a.PeriodSeconds = 4, 120
	})
	require.NoError(t, err)
	assert.Equal(t, 480, f.DetectionSeconds)

	// Every child lives in the standby region, under the component.
	comp := rec.ByType(failover.TypeToken)
	require.Len(t, comp, 1)
	var children int
	for _, r := range rec.Resources() {
		if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		children++
		assert.Equal(t, "us-west-2", r.Region, "%s %s", r.Type, r.Name)
		assert.Contains(t, rec.Ancestors(r), comp[0].URN, "%s %s", r.Type, r.Name)
	}
	assert.Greater(t, children, 8)

	canaries := rec.ByType(tCanary)
	require.Len(t, canaries, 1)
	c := canaries[0]
	assert.Equal(t, healthURL, props.String(c.Inputs, "runConfig.environmentVariables.PROBE_URL"))
	assert.Equal(t, "rate(2 minutes)", props.String(c.Inputs, "schedule.expression"))
	assert.LessOrEqual(t, len(props.String(c.Inputs, "name")), 21, "canary names take at most 21 characters")
	assert.Equal(t, "SSE_KMS", props.String(c.Inputs, "artifactConfig.s3Encryption.encryptionMode"))
	obj := rec.ByType(tObject)
	require.Len(t, obj, 1)
	assert.Equal(t, props.String(obj[0].Inputs, "key"), props.String(c.Inputs, "s3Key"))
	// The archive holds the handler where a Node.js canary loads it.
	zipped, err := base64.StdEncoding.DecodeString(props.String(obj[0].Inputs, "contentBase64"))
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	assert.Equal(t, "nodejs/node_modules/probe.js", zr.File[0].Name)
	assert.Equal(t, "probe.handler", props.String(c.Inputs, "handler"))
	fr, err := zr.File[0].Open()
	require.NoError(t, err)
	script, err := io.ReadAll(fr)
	require.NoError(t, err)
	assert.Contains(t, string(script), "exports.handler")
	assert.Contains(t, string(script), "process.env.PROBE_URL")
	assert.Contains(t, string(script), "timeout: 10000")

	a := rec.ByType(tAlarm)[0]
	assert.Equal(t, "CloudWatchSynthetics", props.String(a.Inputs, "namespace"))
	assert.Equal(t, "SuccessPercent", props.String(a.Inputs, "metricName"))
	assert.Equal(t, props.String(c.Inputs, "name"), props.String(a.Inputs, "dimensions.CanaryName"))
	for k, want := range map[string]float64{"period": 120, "evaluationPeriods": 4, "datapointsToAlarm": 4, "threshold": 100} {
		got, _ := props.Number(a.Inputs, k)
		assert.Equal(t, want, got, k)
	}
	assert.Equal(t, "LessThanThreshold", props.String(a.Inputs, "comparisonOperator"))
	assert.Equal(t, "notBreaching", props.String(a.Inputs, "treatMissingData"))

	// The artifact bucket is encrypted with the standby's key and private.
	buckets := rec.ByType(tBucket)
	require.Len(t, buckets, 1)
	name := props.String(buckets[0].Inputs, "bucket")
	assert.Regexp(t, `^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`, name, "an S3 bucket name")
	assert.Contains(t, name, "-us-west-2")
	pab := rec.ByType(tPAB)
	require.Len(t, pab, 1)
	assert.Equal(t, name, props.String(pab[0].Inputs, "bucket"), "the public access block names the bucket")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		v, _ := props.Bool(pab[0].Inputs, k)
		assert.True(t, v, k)
	}
	sse := rec.ByType(tSSE)
	require.Len(t, sse, 1)
	assert.Equal(t, "aws:kms", props.String(sse[0].Inputs, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"))
	assert.Contains(t, props.String(sse[0].Inputs, "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"), ":us-west-2:")

	// The probe's role writes only its artifacts, logs and Synthetics metrics.
	st := policy(t, rec, "orders-failover-probe-policy")
	assert.Empty(t, scopeProblems(st, "aws", account, true))
}

func TestCanaryNamesDoNotCollideAcrossStacks(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, stack := range []string{"prod", "staging"} {
		rec, err := mockengine.Run("multiregion", stack, nil, func(ctx *pulumi.Context) error {
			sp, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
			if err != nil {
				return err
			}
			_, err = failover.New(ctx, "app-failover", baseArgs("aws", "us-east-1", "us-west-2", nil, sp))
			return err
		})
		require.NoError(t, err)
		names[props.String(rec.ByType(tCanary)[0].Inputs, "name")] = true
	}
	assert.Len(t, names, 2)
}

func TestValidation(t *testing.T) {
	t.Parallel()
	sp := &aws.Provider{}
	cases := []struct {
		name   string
		cname  string
		tweak  func(*failover.Args)
		field  string
		phrase string
	}{
		{"rds is single-region", "", func(a *failover.Args) { a.DatabaseMode = dbmodes.ModeRDS }, "DatabaseMode", "single-region"},
		{"unknown mode", "", func(a *failover.Args) { a.DatabaseMode = "aurora" }, "DatabaseMode", "unknown value"},
		{"headless standby", "", func(a *failover.Args) { a.StandbyDatabaseInstances = 0 }, "StandbyDatabaseInstances", "headless"},
		{"automatic needs data loss", "", func(a *failover.Args) { a.AllowDataLoss = false }, "AllowDataLoss", "switchover needs the primary healthy"},
		{"missing global cluster", "", func(a *failover.Args) { a.GlobalClusterIdentifier = "" }, "GlobalClusterIdentifier", "is required"},
		{"global cluster for dynamodb", "", func(a *failover.Args) { a.DatabaseMode = dbmodes.ModeDynamoDBGlobal; a.StandbyDatabaseInstances = 0 }, "GlobalClusterIdentifier", "only for aurora-global"},
		{"missing cluster ARN", "", func(a *failover.Args) { a.Standby.DatabaseClusterARN = nil }, "Standby.DatabaseClusterARN", "is required"},
		{"bad partition", "", func(a *failover.Args) { a.Partition = "aws-gov" }, "Partition", "unknown value"},
		{"bad account", "", func(a *failover.Args) { a.AccountID = "1234" }, "AccountID", "12-digit"},
		{"same region", "", func(a *failover.Args) { a.Standby.Region = a.Primary.Region }, "Standby.Region", "is the primary"},
		{"no standby provider", "", func(a *failover.Args) { a.Standby.Provider = nil }, "Standby.Provider", "is required"},
		{"no health URL", "", func(a *failover.Args) { a.Primary.HealthCheckURL = nil }, "Primary.HealthCheckURL", "is required"},
		{"no ECS service", "", func(a *failover.Args) { a.Standby.ServiceName = nil }, "Standby.ServiceName", "is required"},
		{"period not whole minutes", "", func(a *failover.Args) { a.PeriodSeconds = 90 }, "PeriodSeconds", "whole number of minutes"},
		{"too many failures", "", func(a *failover.Args) { a.ConsecutiveFailures = 61 }, "ConsecutiveFailures", "out of range"},
		{"alarm window over a day", "", func(a *failover.Args) { a.ConsecutiveFailures, a.PeriodSeconds = 30, 3600 }, "ConsecutiveFailures", "at most one day"},
		{"target percent", "", func(a *failover.Args) { a.TargetPercent = 150 }, "TargetPercent", "out of range"},
		{"python runtime", "", func(a *failover.Args) { a.RuntimeVersion = "syn-python-selenium-6.0" }, "RuntimeVersion", "Node.js"},
		{"reserved tag", "", func(a *failover.Args) { a.Tags = map[string]string{"aws:x": "y"} }, "Tags", "not allowed"},
		{"plan name too long", strings.Repeat("a", 33), nil, "name", "up to 32"},
		{"plan name ends with hyphen", "orders-", nil, "name", "not ending with a hyphen"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs("aws", "us-east-1", "us-west-2", nil, sp)
			if tc.tweak != nil {
				tc.tweak(args)
			}
			name := "orders-failover"
			if tc.cname != "" {
				name = tc.cname
			}
			err := failover.Validate(name, args)
			require.Error(t, err)
			var fields []string
			for _, fe := range validation.All(err) {
				fields = append(fields, fe.Key)
				if fe.Key == tc.field {
					assert.Contains(t, fe.Problem+": "+fe.Fix, tc.phrase)
				}
			}
			assert.True(t, slices.Contains(fields, tc.field), "want a problem with %s, got %v", tc.field, err)
		})
	}
	// The base arguments are valid, every problem is reported at once.
	require.NoError(t, failover.Validate("orders-failover", baseArgs("aws", "us-east-1", "us-west-2", nil, sp)))
	assert.Error(t, failover.Validate("orders-failover", nil))
	err := failover.Validate("orders-failover", &failover.Args{})
	assert.GreaterOrEqual(t, len(validation.All(err)), 8, "%v", err)
}

// An invalid component creates nothing.
func TestInvalidArgsCreateNothing(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, "aws", "us-east-1", "us-west-2", func(a *failover.Args) { a.DatabaseMode = dbmodes.ModeRDS })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "single-region")
	// The program ran (the test's two providers are registered) and the
	// component registered nothing, not even itself.
	require.Len(t, rec.ByType("pulumi:providers:aws"), 2, "the program ran")
	for _, r := range rec.Resources() {
		assert.True(t, strings.HasPrefix(r.Type, "pulumi:providers:"), "registered %s %s", r.Type, r.Name)
	}
}

func TestClusterARNFromEndpoint(t *testing.T) {
	t.Parallel()
	endpoint := func(region string) string {
		return "orders-cluster-" + region + "-1a2b3c4.cluster-ro-cabc123.us-east-1.rds.amazonaws.com"
	}
	rec, _, err := run(t, "aws", "us-east-1", "us-west-2", func(a *failover.Args) {
		a.AccountID = account
		for _, r := range []*failover.Region{&a.Primary, &a.Standby} {
			r.DatabaseClusterARN = nil
			r.DatabaseClusterID = failover.ClusterIDFromEndpoint(pulumi.String(endpoint(r.Region)))
		}
	})
	require.NoError(t, err)
	raw, doc := desiredState(t, rec)
	require.NoError(t, validatePlan(t, raw))
	aurora := doc["Workflows"].([]any)[0].(map[string]any)["Steps"].([]any)[0].(map[string]any)["ExecutionBlockConfiguration"].(map[string]any)["GlobalAuroraConfig"].(map[string]any)
	assert.Equal(t, []any{
		"arn:aws:rds:us-east-1:" + account + ":cluster:orders-cluster-us-east-1-1a2b3c4",
		"arn:aws:rds:us-west-2:" + account + ":cluster:orders-cluster-us-west-2-1a2b3c4",
	}, aurora["DatabaseClusterArns"])

	// An endpoint of another shape (an instance endpoint) is an error, not a guess.
	_, _, err = run(t, "aws", "us-east-1", "us-west-2", func(a *failover.Args) {
		a.Standby.DatabaseClusterARN = nil
		a.Standby.DatabaseClusterID = failover.ClusterIDFromEndpoint(pulumi.String("orders-1.cabc123.us-west-2.rds.amazonaws.com"))
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not an Aurora cluster endpoint")
}

// A second, independent probe: the trigger needs both alarms.
func TestSecondProbeNeedsBothSignals(t *testing.T) {
	t.Parallel()
	second := "https://status.primary.example.com/ping"
	rec, f, err := run(t, "aws", "us-east-1", "us-west-2", func(a *failover.Args) {
		a.AccountID = account
		a.SecondProbeURL = pulumi.String(second)
	})
	require.NoError(t, err)
	canaries, alarms := rec.ByType(tCanary), rec.ByType(tAlarm)
	require.Len(t, canaries, 2)
	require.Len(t, alarms, 2)
	require.Len(t, f.Canaries, 2)
	urls, names := map[string]bool{}, map[string]bool{}
	for _, c := range canaries {
		urls[props.String(c.Inputs, "runConfig.environmentVariables.PROBE_URL")] = true
		name := props.String(c.Inputs, "name")
		names[name] = true
		assert.LessOrEqual(t, len(name), 21, name)
		assert.Equal(t, "us-west-2", c.Region)
	}
	assert.Equal(t, map[string]bool{healthURL: true, second: true}, urls)
	assert.Len(t, names, 2)

	raw, doc := desiredState(t, rec)
	require.NoError(t, validatePlan(t, raw))
	conds := doc["Triggers"].([]any)[0].(map[string]any)["Conditions"].([]any)
	require.Len(t, conds, 2)
	assoc := doc["AssociatedAlarms"].(map[string]any)
	var condNames, alarmNames []string
	for _, c := range conds {
		name := c.(map[string]any)["AssociatedAlarmName"].(string)
		condNames = append(condNames, name)
		assert.Contains(t, assoc, name)
	}
	for _, a := range alarms {
		alarmNames = append(alarmNames, props.String(a.Inputs, "name"))
	}
	assert.ElementsMatch(t, alarmNames, condNames, "every alarm is a condition of the one trigger")

	st := policy(t, rec, "orders-failover-plan-policy")
	found := false
	for _, s := range st {
		if s["Sid"] == "TriggerAlarm" {
			found = true
			assert.Len(t, list(s["Resource"]), 2, "both alarms, nothing else")
			for _, r := range list(s["Resource"]) {
				assert.Regexp(t, `^arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-failo-[0-9a-f]{6}-primary-down2?$`, r)
			}
		}
	}
	assert.True(t, found, "the plan policy has a TriggerAlarm statement")
}
