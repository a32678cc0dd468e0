package analyzer_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/policies/analyzer"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// serve starts the analyzer on a loopback port and returns a client, as the
// engine's plugin host would use it.
func serve(t *testing.T, srv *analyzer.Server) pulumirpc.AnalyzerClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	g := grpc.NewServer()
	pulumirpc.RegisterAnalyzerServer(g, srv)
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn)
}

func marshal(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true})
	require.NoError(t, err)
	return s
}

// render returns prod-eu's recorded resources, with its eu-west-1 provider moved
// to moveTo when it is not "".
func render(t *testing.T, moveTo string) *mockengine.Recorder {
	t.Helper()
	f, err := stacks.ReadStackFile("../../stacks/Pulumi.prod-eu.yaml")
	require.NoError(t, err)
	rec, _, err := offline.Render("prod-eu", f.Config, nil)
	require.NoError(t, err)
	if moveTo != "" {
		for _, r := range rec.Resources() {
			if r.Type == "pulumi:providers:aws" && r.Region == "eu-west-1" {
				// inputs and outputs agree, as in a refreshed state (a
				// deployed state whose provider's inputs and outputs
				// disagree is "cannot verify")
				r.Inputs["region"] = resource.NewProperty(moveTo)
				if r.Outputs != nil {
					r.Outputs["region"] = resource.NewProperty(moveTo)
				}
			}
		}
	}
	return rec
}

type engineRun struct {
	mandatory, advisory []string // "policy: message"
}

// drive calls the analyzer like the engine: per-resource Analyze with inputs,
// then AnalyzeStack with outputs. withConfigureStack chooses the call order of
// `pulumi preview` (ConfigureStack first) or of `pulumi policy analyze` (never).
func drive(t *testing.T, client pulumirpc.AnalyzerClient, rec *mockengine.Recorder, withConfigureStack bool, policyConfig map[string]*pulumirpc.PolicyConfig) engineRun {
	t.Helper()
	ctx := context.Background()
	_, err := client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: "127.0.0.1:1"})
	require.NoError(t, err)
	if withConfigureStack {
		_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: rec.Stack(), Project: rec.Project(), Config: rec.Config()})
		require.NoError(t, err)
		_, err = client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
		_, err = client.GetPluginInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
	} else {
		// the order that crashes policyx: GetPluginInfo before anything is configured
		info, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
		assert.NotEmpty(t, info.GetVersion())
		ai, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
		require.NoError(t, err)
		assert.Equal(t, "multiregion-policies", ai.GetName())
		assert.Len(t, ai.GetPolicies(), 5)
	}
	if policyConfig != nil {
		_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: policyConfig})
		require.NoError(t, err)
	}

	// As the engine does, only custom resources carry their provider.
	providers := map[string]*pulumirpc.AnalyzerProviderResource{"": nil}
	for _, r := range rec.Resources() {
		if strings.HasPrefix(r.Type, "pulumi:providers:") {
			providers[r.URN+"::"+r.ID] = &pulumirpc.AnalyzerProviderResource{Type: r.Type, Urn: r.URN, Name: r.Name, Properties: marshal(t, r.Inputs)}
		}
	}
	var run engineRun
	collect := func(resp *pulumirpc.AnalyzeResponse) {
		for _, d := range resp.GetDiagnostics() {
			line := d.GetPolicyName() + ": " + d.GetMessage()
			if d.GetEnforcementLevel() == pulumirpc.EnforcementLevel_MANDATORY {
				run.mandatory = append(run.mandatory, line)
			} else {
				run.advisory = append(run.advisory, line)
			}
		}
	}
	var stackResources []*pulumirpc.AnalyzerResource
	for _, r := range rec.Resources() {
		if !withConfigureStack {
			_, err := client.Remediate(ctx, &pulumirpc.AnalyzeRequest{Type: r.Type, Urn: r.URN, Name: r.Name, Properties: marshal(t, r.Inputs)})
			require.NoError(t, err)
		}
		resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{Type: r.Type, Urn: r.URN, Name: r.Name,
			Properties: marshal(t, r.Inputs), Provider: providers[r.Provider]})
		require.NoError(t, err)
		collect(resp)
		stackResources = append(stackResources, &pulumirpc.AnalyzerResource{Type: r.Type, Urn: r.URN, Name: r.Name,
			Parent: r.Parent, Properties: marshal(t, r.Outputs), Provider: providers[r.Provider]})
	}
	resp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: stackResources})
	require.NoError(t, err)
	collect(resp)
	return run
}

func TestCallOrders(t *testing.T) {
	t.Parallel()
	eu := map[string]*pulumirpc.PolicyConfig{"data-residency": {
		EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY,
		Properties:       &structpb.Struct{Fields: map[string]*structpb.Value{"jurisdiction": structpb.NewStringValue("eu")}}}}
	for _, preview := range []bool{true, false} {
		name := "policy analyze order"
		if preview {
			name = "preview order"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clean := drive(t, serve(t, analyzer.New()), render(t, ""), preview, eu)
			assert.Empty(t, clean.mandatory, "prod-eu is clean")

			moved := drive(t, serve(t, analyzer.New()), render(t, "us-east-1"), preview, eu)
			require.NotEmpty(t, moved.mandatory)
			joined := strings.Join(moved.mandatory, "\n")
			assert.Contains(t, joined, `data-residency: Aurora cluster "app-prod-eu-cluster-eu-west-1" is in us-east-1, outside jurisdiction "eu"`)
			for _, m := range moved.mandatory {
				assert.True(t, strings.HasPrefix(m, "data-residency: "), m)
			}
		})
	}
}

func TestStackConfigFromConfigureStack(t *testing.T) {
	t.Parallel()
	// no pack config: the jurisdiction and budget come from the stack config
	run := drive(t, serve(t, analyzer.New()), render(t, "us-east-1"), true, nil)
	assert.Contains(t, strings.Join(run.mandatory, "\n"), `outside jurisdiction "eu"`)
}

func TestStackConfigFromTheProjectWithoutConfigureStack(t *testing.T) {
	t.Parallel()
	srv := analyzer.New()
	srv.StackConfigLoader = analyzer.StackFileLoader("../..")
	run := drive(t, serve(t, srv), render(t, "us-east-1"), false, nil)
	assert.Contains(t, strings.Join(run.mandatory, "\n"), `outside jurisdiction "eu"`, "read from stacks/Pulumi.prod-eu.yaml")

	// a loader for another project's directory finds nothing
	srv = analyzer.New()
	srv.StackConfigLoader = analyzer.StackFileLoader(t.TempDir())
	run = drive(t, serve(t, srv), render(t, "us-east-1"), false, nil)
	assert.Empty(t, run.mandatory)
}

func TestLevelsFromPolicyConfigAndBudget(t *testing.T) {
	t.Parallel()
	cfg := map[string]*pulumirpc.PolicyConfig{
		"cost-limit": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY,
			Properties: &structpb.Struct{Fields: map[string]*structpb.Value{"maxMonthlyUSD": structpb.NewNumberValue(100)}}},
		"data-residency": {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY,
			Properties: &structpb.Struct{Fields: map[string]*structpb.Value{"jurisdiction": structpb.NewStringValue("eu")}}},
	}
	run := drive(t, serve(t, analyzer.New()), render(t, "us-east-1"), false, cfg)
	// Without the stack's config (no loader), the stack's acceptance of the
	// unpriced ARC plan is not read: in a final state that is a mandatory
	// "cannot verify", next to the budget that is exceeded anyway.
	require.Len(t, run.mandatory, 2, strings.Join(run.mandatory, "\n"))
	all := strings.Join(run.mandatory, "\n")
	assert.Contains(t, all, "cost-limit: estimated $")
	assert.Contains(t, all, "exceeds the budget of $100.00")
	assert.Contains(t, all, "cost-limit: cannot verify")
	assert.Contains(t, all, "AWS::ARCRegionSwitch::Plan")
	assert.NotContains(t, all, "multiregion:index:", "components are not priced")
	assert.Contains(t, strings.Join(run.advisory, "\n"), "data-residency: ", "residency demoted to advisory by config")
}

func TestUnknownsAndSecretsNeverPanic(t *testing.T) {
	t.Parallel()
	client := serve(t, analyzer.New())
	ctx := context.Background()
	// a preview: values not known yet make "cannot verify" advisory
	_, err := client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "prod", Project: "p", DryRun: true})
	require.NoError(t, err)
	props := resource.PropertyMap{
		"replicas":         resource.MakeComputed(resource.NewProperty("")),
		"kmsKeyId":         resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))),
		"storageEncrypted": resource.MakeComputed(resource.NewProperty(false)),
		"password":         resource.MakeSecret(resource.NewProperty("hunter2")),
		"tags":             resource.NewProperty(resource.PropertyMap{"data-residency": resource.MakeSecret(resource.NewProperty("eu"))}),
	}
	for _, typ := range []string{"aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:dynamodb/table:Table", "aws:secretsmanager/secret:Secret"} {
		resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{Type: typ, Urn: "urn:pulumi:prod::p::" + typ + "::x", Name: "x",
			Properties: marshal(t, props)})
		require.NoError(t, err, typ)
		for _, d := range resp.GetDiagnostics() {
			if strings.Contains(d.GetMessage(), "cannot verify") {
				assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, d.GetEnforcementLevel(), d.GetMessage())
			}
			assert.NotContains(t, d.GetMessage(), "hunter2", "secrets never appear in messages")
		}
	}
	resp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Type: "aws:rds/globalCluster:GlobalCluster", Urn: "urn:pulumi:prod::p::aws:rds/globalCluster:GlobalCluster::g", Properties: marshal(t, props)},
	}})
	require.NoError(t, err)
	assert.NotNil(t, resp)
}

// TestEchoedDefaultsKeepTheStackDependentLevel: the engine sends back every
// policy's advertised default level in Configure. Under `policy analyze` the
// stack is unknown when the defaults are advertised, so an echoed default must
// not pin data-protection to advisory on a prod stack.
func TestEchoedDefaultsKeepTheStackDependentLevel(t *testing.T) {
	t.Parallel()
	f, err := stacks.ReadStackFile("../../stacks/Pulumi.dev.yaml")
	require.NoError(t, err)
	// dev's config (no deletion protection) under a prod-like stack name
	rec, _, err := offline.Render("prod", f.Config, nil)
	require.NoError(t, err)

	client := serve(t, analyzer.New())
	info, err := client.GetAnalyzerInfo(context.Background(), &emptypb.Empty{})
	require.NoError(t, err)
	echo := map[string]*pulumirpc.PolicyConfig{}
	for _, p := range info.GetPolicies() {
		echo[p.GetName()] = &pulumirpc.PolicyConfig{EnforcementLevel: p.GetEnforcementLevel(), Properties: &structpb.Struct{}}
	}
	run := drive(t, client, rec, false, echo)
	assert.Contains(t, strings.Join(run.mandatory, "\n"), "data-protection: RDS instance", "mandatory in a prod-like stack")

	// an explicit level different from the advertised default wins
	explicit := map[string]*pulumirpc.PolicyConfig{"data-protection": {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED}}
	run = drive(t, serve(t, analyzer.New()), rec, false, explicit)
	assert.NotContains(t, strings.Join(append(run.mandatory, run.advisory...), "\n"), "data-protection")
}

// TestPanicIsOneLine: a panic in a handler reaches the engine as one line
// naming the method and the panic value; the Go stack goes to stderr (the
// engine's log), never into the message the engine prints.
func TestPanicIsOneLine(t *testing.T) {
	t.Parallel()
	var stderr strings.Builder
	srv := analyzer.New()
	srv.Stderr = &stderr
	srv.StackConfigLoader = func(project, stack string) map[string]string {
		panic("loader broke\non two lines")
	}
	client := serve(t, srv)
	_, err := client.Analyze(context.Background(), &pulumirpc.AnalyzeRequest{
		Type: "aws:s3/bucketV2:BucketV2", Urn: "urn:pulumi:prod::multiregion::aws:s3/bucketV2:BucketV2::b", Name: "b"})
	require.Error(t, err)
	msg := status.Convert(err).Message()
	assert.NotContains(t, msg, "\n", "one line")
	assert.NotContains(t, msg, "goroutine")
	assert.NotContains(t, msg, ".go:")
	assert.Contains(t, msg, "Analyze")
	assert.Contains(t, msg, "loader broke on two lines")
	assert.Contains(t, stderr.String(), "goroutine", "the stack trace goes to stderr")
	assert.Contains(t, stderr.String(), "loader broke")
}
