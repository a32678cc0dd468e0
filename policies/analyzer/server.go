// Package analyzer serves the policy pack over the Pulumi analyzer gRPC
// protocol (pulumirpc.AnalyzerServer), for `pulumi preview --policy-pack` and
// `pulumi policy analyze`.
//
// Unlike the SDK's experimental policyx server, it answers every call in any
// order (`pulumi policy analyze` sends GetPluginInfo and GetAnalyzerInfo without
// ever sending ConfigureStack), keeps unknown and secret values as such (the
// policies report "cannot verify" instead of panicking), and turns any panic
// into an error instead of crashing the engine's plugin host.
package analyzer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
)

// Server implements pulumirpc.AnalyzerServer for the multiregion-policies pack.
type Server struct {
	pulumirpc.UnimplementedAnalyzerServer

	mu sync.Mutex
	// stack is what ConfigureStack said, if it was called.
	stack      model.Stack
	configured bool
	// dryRun is what ConfigureStack said: a preview, whose values may not be
	// known yet. Without ConfigureStack (`pulumi policy analyze`) the
	// resources are a deployed state.
	dryRun bool
	// loaded is set once the stack was taken from the URNs (without ConfigureStack).
	loaded bool
	// cfg is the pack config from Configure.
	cfg policies.Config
	// advertised are the default levels GetAnalyzerInfo announced; a configured
	// level equal to it is the engine echoing the default, not a user choice.
	advertised map[string]policies.Level
	// StackConfigLoader, when set, supplies the stack config for a stack the
	// engine did not configure (it is called with the project and stack names
	// from the URNs).
	StackConfigLoader func(project, stack string) map[string]string
	// sent are the findings Analyze returned (on each resource's inputs);
	// AnalyzeStack of a deployed state judges the outputs with the resource
	// checks too and drops what Analyze already said.
	sent map[policies.Violation]bool
	// Stderr receives the stack trace of a recovered panic (nil: os.Stderr,
	// which the engine logs).
	Stderr io.Writer
}

// New returns a Server with no stack and the default policy config.
func New() *Server {
	return &Server{advertised: map[string]policies.Level{}}
}

// recovered turns a panic in a handler into an error of one line, naming the
// method and the panic value: the engine prints the error to the user, so the
// Go stack goes to stderr instead, which the engine's plugin host logs (for a
// bug report), not into the message.
func (s *Server) recovered(method string, err *error) {
	if r := recover(); r != nil {
		value := strings.Join(strings.Fields(fmt.Sprint(r)), " ")
		*err = fmt.Errorf("%s %s: internal error (a bug in the pack; the stack trace is in the engine's log): %s", policies.PackName, method, value)
		w := s.Stderr
		if w == nil {
			w = os.Stderr
		}
		fmt.Fprintf(w, "%s %s: panic: %v\n%s", policies.PackName, method, r, debug.Stack())
	}
}

// Handshake accepts the engine's address; the pack needs no connection back.
func (s *Server) Handshake(context.Context, *pulumirpc.AnalyzerHandshakeRequest) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

// GetPluginInfo returns the pack version. It needs nothing configured.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: policies.PackVersion}, nil
}

// GetAnalyzerInfo describes the pack and each policy with its default level
// (for the configured stack, if any) and config schema.
func (s *Server) GetAnalyzerInfo(context.Context, *emptypb.Empty) (info *pulumirpc.AnalyzerInfo, err error) {
	defer s.recovered("GetAnalyzerInfo", &err)
	s.mu.Lock()
	defer s.mu.Unlock()
	info = &pulumirpc.AnalyzerInfo{
		Name:           policies.PackName,
		DisplayName:    "multiregion policies",
		Version:        policies.PackVersion,
		SupportsConfig: true,
		Description:    "Data residency that follows replicas, cost limits, data protection and failover readiness for multi-region AWS stacks.",
	}
	for _, p := range policies.Pack() {
		level := p.Level(s.stack, nil)
		s.advertised[p.Name] = level
		props, err := structpb.NewStruct(p.Schema)
		if err != nil {
			return nil, fmt.Errorf("policy %s: schema: %w", p.Name, err)
		}
		typ := pulumirpc.PolicyType_POLICY_TYPE_RESOURCE
		if p.Resource == nil {
			typ = pulumirpc.PolicyType_POLICY_TYPE_STACK
		}
		info.Policies = append(info.Policies, &pulumirpc.PolicyInfo{
			Name:             p.Name,
			DisplayName:      p.Name,
			Description:      p.Description,
			EnforcementLevel: toRPCLevel(level),
			ConfigSchema:     &pulumirpc.PolicyConfigSchema{Properties: props},
			PolicyType:       typ,
		})
	}
	return info, nil
}

// ConfigureStack records the stack and its config. Optional: analysis works
// without it.
func (s *Server) ConfigureStack(_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stack = model.Stack{Name: req.GetStack(), Project: req.GetProject(), Config: req.GetConfig()}
	s.configured = true
	s.dryRun = req.GetDryRun()
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// Configure records each policy's level and properties. It goes through
// policies.ParseConfig, the one parser of pack config, so the pack rejects
// exactly the configs the CLI and the in-process API reject (the engine's own
// check ignores additionalProperties and nested schemas).
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (_ *emptypb.Empty, err error) {
	defer s.recovered("Configure", &err)
	s.mu.Lock()
	defer s.mu.Unlock()
	entries := map[string]map[string]any{}
	for name, pc := range req.GetPolicyConfig() {
		entry := pc.GetProperties().AsMap()
		level := fromRPCLevel(pc.GetEnforcementLevel())
		if adv, ok := s.advertised[name]; !ok || adv != level {
			// a level equal to the advertised default is the engine echoing it:
			// leave it out to keep the stack-dependent default
			entry["enforcementLevel"] = string(level)
		}
		entries[name] = entry
	}
	data, err := json.Marshal(entries)
	if err != nil {
		return nil, fmt.Errorf("%s: policy config: %w", policies.PackName, err)
	}
	cfg, err := policies.ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", policies.PackName, err)
	}
	s.cfg = cfg
	return &emptypb.Empty{}, nil
}

// Analyze runs the per-resource checks on one resource's inputs.
func (s *Server) Analyze(_ context.Context, req *pulumirpc.AnalyzeRequest) (resp *pulumirpc.AnalyzeResponse, err error) {
	defer s.recovered("Analyze", &err)
	stack, cfg, final := s.snapshot(req.GetUrn())
	r, err := fromRPC(req.GetUrn(), req.GetType(), req.GetName(), "", req.GetProperties(), req.GetProvider(), nil, stack)
	if err != nil {
		return nil, err
	}
	r.Inputs = r.Outputs
	d := &model.Deployment{Stack: stack, Resources: []*model.Resource{r}, Final: final}
	rep := policies.EvaluateScope(d, cfg, policies.ScopeResource)
	if final {
		s.mu.Lock()
		if s.sent == nil {
			s.sent = map[policies.Violation]bool{}
		}
		for _, v := range rep.Violations {
			s.sent[v] = true
		}
		s.mu.Unlock()
	}
	return diagnostics(rep), nil
}

// AnalyzeStack runs the stack-level checks over every resource's outputs.
func (s *Server) AnalyzeStack(_ context.Context, req *pulumirpc.AnalyzeStackRequest) (resp *pulumirpc.AnalyzeResponse, err error) {
	defer s.recovered("AnalyzeStack", &err)
	first := ""
	if len(req.GetResources()) > 0 {
		first = req.GetResources()[0].GetUrn()
	}
	stack, cfg, final := s.snapshot(first)
	d := &model.Deployment{Stack: stack, Final: final}
	// the engine sends a resource's provider with its inputs only; the
	// provider's own entry here carries its outputs, which must agree in a
	// deployed state (a preview's outputs may still be the old ones)
	providerOutputs := map[string]*structpb.Struct{}
	// a provider URN sent twice with different regions (a duplicated entry:
	// the engine keeps the last one) leaves its resources' location unknown
	providerSeen := map[string]model.Location{}
	conflicts := map[string]string{}
	for _, ar := range req.GetResources() {
		if !final || !strings.HasPrefix(ar.GetType(), "pulumi:providers:") {
			continue
		}
		providerOutputs[ar.GetUrn()] = ar.GetProperties()
		loc := model.Location{Unknown: "unreadable"}
		if pm, err := unmarshal(ar.GetProperties()); err == nil {
			loc = model.ProviderLocation(ar.GetUrn(), pm, nil, stack.Config["aws:region"])
		}
		if prev, dup := providerSeen[ar.GetUrn()]; dup && prev != loc {
			conflicts[ar.GetUrn()] = fmt.Sprintf("provider %s appears more than once in the state with different regions: remove the stale entry", ar.GetUrn())
		}
		providerSeen[ar.GetUrn()] = loc
	}
	for _, ar := range req.GetResources() {
		if ar.GetType() == string(resource.RootStackType) {
			continue
		}
		r, err := fromRPC(ar.GetUrn(), ar.GetType(), ar.GetName(), ar.GetParent(), ar.GetProperties(), ar.GetProvider(), providerOutputs, stack)
		if err != nil {
			return nil, err
		}
		if why, ok := conflicts[r.Provider]; ok && r.Region != "" {
			r.Region, r.RegionUnknown = "", why
		}
		d.Resources = append(d.Resources, r)
	}
	if !final {
		return diagnostics(policies.EvaluateScope(d, cfg, policies.ScopeStack)), nil
	}
	// A deployed state: Analyze judged each resource's inputs; its outputs
	// (here) are what AWS reported and may differ (a database made public
	// outside Pulumi, an ARN in another region). The resource checks run on
	// them too; what Analyze already reported is not repeated.
	rep := policies.EvaluateScope(d, cfg, policies.ScopeAll)
	s.mu.Lock()
	kept := rep.Violations[:0]
	for _, v := range rep.Violations {
		if !s.sent[v] {
			kept = append(kept, v)
		}
	}
	s.mu.Unlock()
	rep.Violations = kept
	return diagnostics(rep), nil
}

// Remediate has nothing to change: the pack only reports.
func (s *Server) Remediate(context.Context, *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	return &pulumirpc.RemediateResponse{}, nil
}

// Cancel is a no-op: every call is short and stateless.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// snapshot returns the stack and config to evaluate with, and whether the
// resources are a deployed state (not a preview). Without ConfigureStack the
// stack name comes from the URN, and its config from StackConfigLoader when set.
func (s *Server) snapshot(urn string) (model.Stack, policies.Config, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.configured && !s.loaded && urn != "" && resource.URN(urn).IsValid() {
		s.loaded = true
		s.stack.Name = string(resource.URN(urn).Stack())
		s.stack.Project = string(resource.URN(urn).Project())
		if s.StackConfigLoader != nil {
			s.stack.Config = s.StackConfigLoader(s.stack.Project, s.stack.Name)
		}
	}
	return s.stack, s.cfg, !s.dryRun
}

// fromRPC builds a model resource, located by model.Locate from its own
// region, else its provider's (as the engine sent it), else the stack's
// aws:region: the rule the state reader applies.
//
// providerOutputs, when set, holds the properties the engine sent for each
// provider resource in the stack call (its outputs), to check against the
// provider inputs sent with the resource.
func fromRPC(urn, typ, name, parent string, props *structpb.Struct, provider *pulumirpc.AnalyzerProviderResource, providerOutputs map[string]*structpb.Struct, stack model.Stack) (*model.Resource, error) {
	m, err := unmarshal(props)
	if err != nil {
		return nil, fmt.Errorf("resource %s: %w", urn, err)
	}
	// The protocol has no "custom" flag. The engine sends a provider with every
	// custom resource (its default provider when it names none) and none with a
	// component (pkg/resource/deploy: stateToAnalyzerResource, step_generator),
	// so a resource with no provider that is not itself a provider is a component:
	// the cost model must not list components as unpriced resources.
	custom := provider != nil || strings.HasPrefix(typ, "pulumi:providers:")
	r := &model.Resource{URN: urn, Type: typ, Name: name, Parent: parent, Custom: custom, Outputs: m}
	if id, ok := m["id"]; ok && id.IsString() {
		r.ID = id.StringValue()
	}
	stackRegion := stack.Config["aws:region"]
	var loc model.Location
	switch {
	case strings.HasPrefix(typ, "pulumi:providers:aws"):
		loc = model.ProviderLocation(urn, m, nil, stackRegion)
	case r.IsAWS() && !model.IsGlobalType(typ):
		var ploc *model.Location
		if provider != nil {
			r.Provider = provider.GetUrn()
			l := model.Location{Unknown: fmt.Sprintf("the properties of its provider %s cannot be read", provider.GetUrn())}
			if pm, err := unmarshal(provider.GetProperties()); err == nil {
				var outputs resource.PropertyMap
				if po, ok := providerOutputs[provider.GetUrn()]; ok {
					if om, err := unmarshal(po); err == nil {
						outputs = om
					} else {
						pm = nil // unreadable outputs: the location is unknown below
					}
				}
				if pm != nil {
					l = model.ProviderLocation(provider.GetUrn(), pm, outputs, stackRegion)
				}
			}
			ploc = &l
		}
		loc = model.Locate(typ, m, ploc, stackRegion)
	}
	if provider != nil {
		r.Provider = provider.GetUrn()
	}
	r.Region, r.RegionUnknown = loc.Region, loc.Unknown
	return r, nil
}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, plugin.MarshalOptions{
		KeepUnknowns:     true,
		KeepSecrets:      true,
		KeepResources:    true,
		KeepOutputValues: true,
		SkipInternalKeys: true,
	})
}

func diagnostics(rep *policies.Report) *pulumirpc.AnalyzeResponse {
	resp := &pulumirpc.AnalyzeResponse{}
	for _, v := range rep.Violations {
		desc := ""
		if p := policies.Find(v.Policy); p != nil {
			desc = p.Description
		}
		resp.Diagnostics = append(resp.Diagnostics, &pulumirpc.AnalyzeDiagnostic{
			PolicyName:        v.Policy,
			PolicyPackName:    policies.PackName,
			PolicyPackVersion: policies.PackVersion,
			Description:       desc,
			Message:           v.Message,
			EnforcementLevel:  toRPCLevel(v.Level),
			Urn:               v.URN,
		})
	}
	return resp
}

func toRPCLevel(l policies.Level) pulumirpc.EnforcementLevel {
	switch l {
	case policies.Mandatory:
		return pulumirpc.EnforcementLevel_MANDATORY
	case policies.Disabled:
		return pulumirpc.EnforcementLevel_DISABLED
	}
	return pulumirpc.EnforcementLevel_ADVISORY
}

func fromRPCLevel(l pulumirpc.EnforcementLevel) policies.Level {
	switch l {
	case pulumirpc.EnforcementLevel_MANDATORY, pulumirpc.EnforcementLevel_REMEDIATE:
		return policies.Mandatory
	case pulumirpc.EnforcementLevel_DISABLED:
		return policies.Disabled
	}
	return policies.Advisory
}
