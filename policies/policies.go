// Package policies is the multiregion-policies pack: data residency that
// follows replicas, cost limits from an embedded price catalog, data
// protection, and failover readiness.
//
// Each policy is plain Go over one resource model (policies/model). The same
// code runs in-process (Evaluate: tests and the offline CLI), behind the Pulumi
// analyzer protocol (policies/analyzer, served by the pack in policies/pack for
// `pulumi preview --policy-pack` and `pulumi policy analyze`).
package policies

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/multiregion/multiregion/policies/cost"
	"github.com/multiregion/multiregion/policies/model"
)

// PackName and PackVersion identify the pack to the Pulumi engine.
const (
	PackName    = "multiregion-policies"
	PackVersion = "1.0.0"
)

// Level is an enforcement level.
type Level string

// Enforcement levels, as in --policy-pack-config.
const (
	Advisory  Level = "advisory"
	Mandatory Level = "mandatory"
	Disabled  Level = "disabled"
)

// Violation is one policy finding.
type Violation struct {
	Pack    string `json:"pack"`
	Policy  string `json:"policy"`
	Level   Level  `json:"level"`
	URN     string `json:"urn"`
	Message string `json:"message"`
}

// Report is the result of evaluating the pack.
type Report struct {
	// Mandatory and Advisory count the violations per level.
	Mandatory int `json:"mandatory"`
	Advisory  int `json:"advisory"`
	// Violations are sorted by level (mandatory first), policy, URN.
	Violations []Violation `json:"violations"`
	// Cost is the estimate the cost-limit policy computed (nil when disabled).
	Cost *cost.Estimate `json:"-"`
	// Budget is the budget the cost-limit policy enforced (nil when it had
	// none, or the policy is disabled).
	Budget *Budget `json:"-"`
	// Levels are the effective enforcement levels, per policy.
	Levels map[string]Level `json:"-"`
	// Notes say, one line per policy, when a policy had nothing to enforce (no
	// jurisdiction, no budget): a quiet pass would look like a checked one.
	Notes []Note `json:"notes"`
}

// Budget is a monthly cost limit and where it came from.
type Budget struct {
	// USD is the monthly limit.
	USD float64
	// From names its source: "cost-limit maxMonthlyUSD" or "multiregion:budgetUSD".
	From string
}

// Note is a one-line remark about a policy that is not a violation.
type Note struct {
	Policy  string `json:"policy"`
	Message string `json:"message"`
}

// PolicyConfig is one policy's entry in the pack config.
type PolicyConfig struct {
	// EnforcementLevel overrides the policy's default level ("" keeps it).
	EnforcementLevel Level
	// Properties are the policy's own settings, checked against its schema.
	Properties map[string]any
}

// Config is everything a policy may read besides the resources.
type Config struct {
	// Policies is the pack config, as given with --policy-pack-config.
	Policies map[string]PolicyConfig
	// All is the level of the "all" entry, applied before per-policy levels.
	All Level
}

// Policy is one policy of the pack.
type Policy struct {
	// Name is the policy's name in config and reports.
	Name string
	// Description says what the policy enforces.
	Description string
	// Level returns the default enforcement level for a stack, given the policy's
	// config properties.
	Level func(stack model.Stack, props map[string]any) Level
	// Schema is the JSON schema of the policy's config properties.
	Schema map[string]any
	// Validate, when set, checks what the schema cannot say about valid
	// properties (it runs after the schema passed), one message per problem.
	Validate func(props map[string]any) []string
	// Resource checks one resource (nil for stack-only policies).
	Resource func(e *Env, r *model.Resource)
	// Stack checks the whole deployment (nil for resource-only policies).
	Stack func(e *Env, d *model.Deployment)
}

// Env is what a running policy sees: its settings, the stack, and how to report.
type Env struct {
	Policy *Policy
	Level  Level
	Stack  model.Stack
	Props  map[string]any
	// Final is the deployment's Final: "cannot verify" is then a violation at
	// the policy's level, not advisory.
	Final bool
	// cost and budget are set by the cost-limit policy for the report.
	cost   *cost.Estimate
	budget *Budget
	out    *[]Violation
	// notes collects Note calls.
	notes *[]Note
	// residency is data-residency's config, read once per evaluation.
	residency *residencySettings
}

// Violate reports a violation at the policy's level.
func (e *Env) Violate(urn, format string, args ...any) {
	e.report(e.Level, urn, fmt.Sprintf(format, args...))
}

// CannotVerify reports that a value needed to decide cannot be read (unknown,
// an encrypted secret, a destination outside the deployment). It is never a
// pass: in a final state it is a violation at the policy's level; during a
// preview (values not known yet) it is advisory.
func (e *Env) CannotVerify(urn, format string, args ...any) {
	level := Advisory
	if e.Final {
		level = e.Level
	}
	e.report(level, urn, "cannot verify: "+fmt.Sprintf(format, args...))
}

// Note records a one-line remark for the report (e.g. "nothing to enforce").
func (e *Env) Note(format string, args ...any) {
	if e.notes != nil {
		*e.notes = append(*e.notes, Note{Policy: e.Policy.Name, Message: fmt.Sprintf(format, args...)})
	}
}

func (e *Env) report(level Level, urn, msg string) {
	*e.out = append(*e.out, Violation{Pack: PackName, Policy: e.Policy.Name, Level: level, URN: urn, Message: msg})
}

// StackConfig returns a stack config value of the multiregion namespace (or a
// full key such as "aws:region").
func (e *Env) StackConfig(key string) string {
	if !strings.Contains(key, ":") {
		key = "multiregion:" + key
	}
	return e.Stack.Config[key]
}

// Pack returns the pack's policies, in report order.
func Pack() []*Policy {
	return []*Policy{dataResidency(), costLimit(), dataProtection(), failoverReadiness(), latencyTarget()}
}

// Find returns the pack's policy named name.
func Find(name string) *Policy {
	for _, p := range Pack() {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Scope selects which checks Evaluate runs.
type Scope int

// Scopes: Evaluate runs both; the analyzer runs per-resource checks in Analyze
// and stack checks in AnalyzeStack, as the engine calls them.
const (
	ScopeAll Scope = iota
	ScopeResource
	ScopeStack
)

// Evaluate runs every enabled policy over the deployment and returns the report.
func Evaluate(d *model.Deployment, cfg Config) *Report {
	return EvaluateScope(d, cfg, ScopeAll)
}

// EvaluateScope runs the policies' resource checks, stack checks, or both.
func EvaluateScope(d *model.Deployment, cfg Config, scope Scope) *Report {
	rep := &Report{Levels: map[string]Level{}, Violations: []Violation{}, Notes: []Note{}}
	for _, p := range Pack() {
		level := cfg.levelOf(p, d.Stack)
		rep.Levels[p.Name] = level
		if level == Disabled {
			// a green report must not hide a policy that never ran
			why := "its default level for this stack is disabled"
			if pc, ok := cfg.Policies[p.Name]; ok && pc.EnforcementLevel == Disabled {
				why = "disabled by the policy config (" + p.Name + ".enforcementLevel: disabled)"
			} else if cfg.All == Disabled {
				why = "disabled by the policy config (all: disabled)"
			}
			rep.Notes = append(rep.Notes, Note{Policy: p.Name, Message: why + ": not evaluated, nothing it checks is verified"})
			continue
		}
		e := &Env{Policy: p, Level: level, Stack: d.Stack, Props: cfg.Policies[p.Name].Properties, Final: d.Final, out: &rep.Violations, notes: &rep.Notes}
		if p.Resource != nil && scope != ScopeStack {
			start := len(rep.Violations)
			for _, r := range d.Resources {
				p.Resource(e, r)
			}
			if d.Final && p.Name != "data-residency" {
				judgeOutputs(e, p, d, start)
			}
		}
		if p.Stack != nil && scope != ScopeResource {
			p.Stack(e, d)
			if p.Name == "cost-limit" {
				if _, _, ok, err := budget(e); !ok && err == nil {
					e.Note("no budget (multiregion:budgetUSD unset, no cost-limit.maxMonthlyUSD in the policy config): nothing to enforce, the estimate is reported only")
				}
			}
		}
		if e.cost != nil {
			rep.Cost = e.cost
		}
		if e.budget != nil {
			rep.Budget = e.budget
		}
	}
	for _, v := range rep.Violations {
		if v.Level == Mandatory {
			rep.Mandatory++
		} else {
			rep.Advisory++
		}
	}
	sort.SliceStable(rep.Violations, func(i, j int) bool {
		a, b := rep.Violations[i], rep.Violations[j]
		if a.Level != b.Level {
			return a.Level == Mandatory
		}
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		return a.URN < b.URN
	})
	return rep
}

// judgeOutputs runs p's resource check again on the outputs of every
// resource of a deployed state whose outputs are not its inputs, adding what
// the inputs did not show. A deployed state's outputs are what AWS reported
// (after a refresh, or a change made outside Pulumi): a database whose inputs
// say publiclyAccessible false and whose outputs say true is public. (Data
// residency walks both itself.) start is where p's findings begin in e.out.
func judgeOutputs(e *Env, p *Policy, d *model.Deployment, start int) {
	var extra []Violation
	for _, r := range d.Resources {
		if r.Inputs == nil || r.Outputs == nil || reflect.ValueOf(r.Inputs).UnsafePointer() == reflect.ValueOf(r.Outputs).UnsafePointer() {
			continue
		}
		view := *r
		view.Inputs = nil // Props() reads the outputs
		before := len(*e.out)
		p.Resource(e, &view)
		extra = append(extra, (*e.out)[before:]...)
		*e.out = (*e.out)[:before]
	}
	if len(extra) == 0 {
		return
	}
	seen := make(map[Violation]bool, len(*e.out)-start)
	for _, v := range (*e.out)[start:] {
		seen[v] = true
	}
	for _, v := range extra {
		if !seen[v] {
			seen[v] = true
			v.Message += " (in the deployed outputs, which differ from the inputs)"
			*e.out = append(*e.out, v)
		}
	}
}

// levelOf returns a policy's effective level: its default for the stack, then
// the "all" entry, then its own entry.
func (c Config) levelOf(p *Policy, stack model.Stack) Level {
	level := p.Level(stack, c.Policies[p.Name].Properties)
	if c.All != "" {
		level = c.All
	}
	if pc, ok := c.Policies[p.Name]; ok && pc.EnforcementLevel != "" {
		level = pc.EnforcementLevel
	}
	return level
}

// constant returns a Level function that ignores the stack.
func constant(l Level) func(model.Stack, map[string]any) Level {
	return func(model.Stack, map[string]any) Level { return l }
}

// stringProp returns a string property of the policy config.
func (e *Env) stringProp(key string) string {
	s, _ := e.Props[key].(string)
	return s
}

// numberProp returns a number property of the policy config.
func (e *Env) numberProp(key string) (float64, bool) {
	f, ok := e.Props[key].(float64)
	return f, ok
}
