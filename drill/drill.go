// Package drill runs a failover drill on a deployed stack and measures it: it
// fails one region in DNS (multiregion:drill.failRegion + `pulumi up`), probes the
// site once a second — DNS answers for the stack's domain and GETs of its health
// endpoint, each classified by region from the stack's outputs — measures the time
// to the first answer from another region and until every answer has moved, the
// errors users would have seen meanwhile, reverts the drill and measures the
// fail-back the same way, and judges the result against the stack's rtoSeconds.
//
// Safety comes first: every preflight check is read-only, so nothing changes when
// one fails; once the drill is applied it is reverted on every error, timeout and
// cancellation (Ctrl-C), and when even that fails the report says exactly how to
// revert by hand. What cannot be measured is never a pass: an answer that matches
// no region of the stack never counts as moved, and a drill without an rtoSeconds
// target is "unverified".
//
// The Pulumi operations, the clock and the probes are interfaces (Stack, Clock,
// DNSProber, HTTPProber), so the orchestration runs against the real Pulumi CLI
// in tests with local DNS and HTTP servers, and against fakes with a fake clock.
package drill

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/multiregion/multiregion/stacks"
)

// Stack outputs the drill reads (stacks.Deployment.Export writes them).
const (
	OutputRegions         = "regions"
	OutputPrimaryRegion   = "primaryRegion"
	OutputEndpoints       = "endpoints"       // region -> load balancer DNS name
	OutputHealthCheckURLs = "healthCheckUrls" // region -> health check URL on the load balancer
	OutputDNSName         = "dnsName"
	OutputDatabaseMode    = "databaseMode"
	// OutputWriterRegion is the region that takes database writes. When the stack
	// gains automatic failover, the program exports the writer it reads back, and
	// the drill records when it moved.
	OutputWriterRegion    = "databaseWriterRegion"
	OutputDrillFailRegion = "drillFailRegion"
)

// Defaults of Options.
const (
	// DefaultInterval: probe once a second (the contract).
	DefaultInterval = time.Second
	// DefaultTimeout bounds each phase: Route 53 fails over in interval x threshold
	// (30 s x 3) plus the record TTL (60 s) on the defaults, so ~2-3 minutes; 15
	// minutes leaves room for a slow resolver without waiting forever.
	DefaultTimeout = 15 * time.Minute
	// DefaultSettle is how long every answer must stay moved before the move counts
	// as complete: resolvers behind a load balancer can answer from different
	// caches for up to a TTL (60 s for alias records); 30 s catches most flapping.
	DefaultSettle = 30 * time.Second
	// DefaultProbeTimeout bounds one probe; a slower answer counts as a timeout.
	DefaultProbeTimeout = 3 * time.Second
	// DefaultBaselineProbes is the number of probe rounds before the drill.
	DefaultBaselineProbes = 3
)

// Verdicts against rtoSeconds.
const (
	VerdictMet        = "met"
	VerdictMissed     = "missed"
	VerdictUnverified = "unverified"
)

// Clock is the drill's time source.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns ctx's error when ctx is done first.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now implements Clock.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep implements Clock.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Options are one drill's parameters.
type Options struct {
	// FailRegion is the region to fail (required).
	FailRegion string
	// ProbeURL is the health endpoint to GET (default: the stack's domain with the
	// scheme, port and path of the primary's health check URL).
	ProbeURL string
	// Interval between probe rounds (default DefaultInterval).
	Interval time.Duration
	// Timeout bounds the wait for the failover and for the fail-back (default DefaultTimeout).
	Timeout time.Duration
	// Settle is how long every answer must stay moved (default DefaultSettle).
	Settle time.Duration
	// ProbeTimeout bounds one probe (default DefaultProbeTimeout).
	ProbeTimeout time.Duration
	// BaselineProbes is the number of probe rounds before the drill (default DefaultBaselineProbes).
	BaselineProbes int
	// Yes confirms a drill on a prod-like stack without asking.
	Yes bool
	// Confirm asks the user a yes/no question; nil when nobody can be asked (CI).
	Confirm func(question string) (bool, error)
	// Progress, when set, receives each timeline event as it happens.
	Progress func(Event)
	// ProjectDir is the Pulumi project's directory, for the manual revert commands.
	ProjectDir string
}

func (o *Options) defaults() {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Settle < 0 {
		o.Settle = 0
	} else if o.Settle == 0 {
		o.Settle = DefaultSettle
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = DefaultProbeTimeout
	}
	if o.BaselineProbes <= 0 {
		o.BaselineProbes = DefaultBaselineProbes
	}
}

// Drill runs drills on one stack.
type Drill struct {
	// Stack is the deployed stack.
	Stack Stack
	// DNS answers the DNS probes and resolves the load balancers' names.
	DNS DNSProber
	// HTTP GETs the health endpoint.
	HTTP HTTPProber
	// Clock is the time source (default RealClock).
	Clock Clock
	// Resolver describes where DNS answers come from, for the report.
	Resolver string
}

// PreflightError is a check that failed before anything was changed.
type PreflightError struct{ msg string }

func (e *PreflightError) Error() string { return e.msg }

func preflightf(format string, args ...any) error {
	return &PreflightError{fmt.Sprintf(format, args...)}
}

// Event is one line of the timeline.
type Event struct {
	At time.Time `json:"at"`
	// Seconds since the drill started.
	Seconds float64 `json:"seconds"`
	Text    string  `json:"event"`
}

// Report is a drill's result: what --format json prints and what is kept under
// .multiregion/drills/.
type Report struct {
	Stack      string    `json:"stack"`
	FailRegion string    `json:"failRegion"`
	Regions    []string  `json:"regions"`
	Topology   string    `json:"topology"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	// Probe says what was probed and how.
	Probe ProbeInfo `json:"probe"`
	// BaselineRegions are the regions answering before the drill.
	BaselineRegions []string `json:"baselineRegions"`
	// Failover is measured from the end of the apply; Failback from the end of the revert.
	Failover *Phase `json:"failover"`
	Failback *Phase `json:"failback"`
	// Database records where writes go, and whether that moved.
	Database Database `json:"database"`
	// RTOTargetSeconds is the stack's rtoSeconds (0: none).
	RTOTargetSeconds int `json:"rtoTargetSeconds"`
	// MeasuredRTOSeconds is the time until every answer had moved (or the writer,
	// when it moved later); nil when not measured.
	MeasuredRTOSeconds *float64 `json:"measuredRtoSeconds"`
	// Verdict is met, missed or unverified; VerdictReason says why.
	Verdict       string `json:"verdict"`
	VerdictReason string `json:"verdictReason"`
	// Reverted is set when the drill was removed and the stack deployed again.
	Reverted bool `json:"reverted"`
	// RevertError and ManualRevert say what failed and how to revert by hand.
	RevertError  string   `json:"revertError,omitempty"`
	ManualRevert []string `json:"manualRevert,omitempty"`
	// Interrupted is set when the run was cancelled (Ctrl-C).
	Interrupted bool `json:"interrupted,omitempty"`
	// Error is the error that stopped the drill, if any.
	Error string `json:"error,omitempty"`
	// Passed: the target was met, traffic came back and the drill was reverted.
	Passed bool `json:"passed"`
	// Problems say why the drill did not pass.
	Problems []string `json:"problems,omitempty"`
	// Timeline lists what happened, in order.
	Timeline []Event `json:"timeline"`
}

// ProbeInfo describes the probes.
type ProbeInfo struct {
	DNSName             string  `json:"dnsName"`
	URL                 string  `json:"url"`
	Resolver            string  `json:"resolver"`
	IntervalSeconds     float64 `json:"intervalSeconds"`
	SettleSeconds       float64 `json:"settleSeconds"`
	TimeoutSeconds      float64 `json:"timeoutSeconds"`
	ProbeTimeoutSeconds float64 `json:"probeTimeoutSeconds"`
}

// Database is where writes went during the drill.
type Database struct {
	Mode string `json:"mode,omitempty"`
	// WriterBefore, WriterDuring and WriterAfter are the writer region from the
	// stack's outputs before the drill, after its apply and after the revert; ""
	// when the stack does not export it.
	WriterBefore string `json:"writerBefore,omitempty"`
	WriterDuring string `json:"writerDuring,omitempty"`
	WriterAfter  string `json:"writerAfter,omitempty"`
	// WriterMovedSeconds is when the writer was first seen elsewhere (from the end
	// of the apply); nil when it did not move.
	WriterMovedSeconds *float64 `json:"writerMovedSeconds"`
	// Automatic is set when the writer moved without anyone promoting it.
	Automatic bool   `json:"automaticFailover"`
	Note      string `json:"note"`
}

// run is one drill's state.
type run struct {
	d    *Drill
	opt  Options
	rep  *Report
	name string // the stack's short name

	dnsName  string
	url      string
	lbNames  map[string]string
	lbAddrs  map[string][]string
	checks   map[string]string
	mu       sync.Mutex
	baseline []string
}

// Run performs the drill. It returns a nil report only when a preflight check
// failed (a *PreflightError: nothing was changed). Otherwise the report is
// complete as far as the drill got, and err is the error that stopped it (the
// drill was reverted unless the report says otherwise).
func (d *Drill) Run(ctx context.Context, opt Options) (*Report, error) {
	opt.defaults()
	if d.Clock == nil {
		d.Clock = RealClock{}
	}
	r := &run{d: d, opt: opt, lbAddrs: map[string][]string{}}
	r.name = shortName(d.Stack.Name())
	r.rep = &Report{Stack: r.name, FailRegion: opt.FailRegion, StartedAt: d.Clock.Now()}
	cfg, outputs, err := r.preflight(ctx)
	if err != nil {
		return nil, err
	}
	err = r.drill(ctx, cfg, outputs)
	r.finish(err)
	return r.rep, err
}

// shortName is the stack part of "org/project/stack".
func shortName(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[i+1:]
	}
	return name
}

// manualRevert are the commands that revert the drill by hand.
func manualRevert(stack, dir string) []string {
	cwd := ""
	if dir != "" && dir != "." {
		cwd = " --cwd " + dir
	}
	return []string{
		fmt.Sprintf("pulumi config rm %s --stack %s%s", ConfigDrill, stack, cwd),
		fmt.Sprintf("pulumi up --stack %s%s", stack, cwd),
	}
}

func (r *run) event(format string, args ...any) {
	now := r.d.Clock.Now()
	e := Event{At: now, Seconds: *seconds(now.Sub(r.rep.StartedAt)), Text: fmt.Sprintf(format, args...)}
	r.mu.Lock()
	r.rep.Timeline = append(r.rep.Timeline, e)
	r.mu.Unlock()
	if r.opt.Progress != nil {
		r.opt.Progress(e)
	}
}

// preflight runs every read-only check.
func (r *run) preflight(ctx context.Context) (*stacks.Config, map[string]any, error) {
	st, region := r.d.Stack, r.opt.FailRegion
	if region == "" {
		return nil, nil, preflightf("--fail is required: name the region to fail")
	}
	raw, err := st.Config(ctx)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := stacks.Load(r.name, raw)
	if err != nil {
		return nil, nil, preflightf("stack %q: its config does not load, so its drill cannot be deployed: %v", r.name, err)
	}
	rep := r.rep
	rep.Regions, rep.Topology, rep.RTOTargetSeconds = cfg.Regions, cfg.Topology, cfg.RTOSeconds
	if cfg.Drill != nil {
		return nil, nil, preflightf("stack %q: a drill is already active (%s failRegion %s): finish it first: %s",
			r.name, ConfigDrill, cfg.Drill.FailRegion, strings.Join(manualRevert(st.Name(), r.opt.ProjectDir), " && "))
	}
	outputs, err := st.Outputs(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(outputs) == 0 {
		return nil, nil, preflightf("stack %q has no outputs: it is not deployed: run `pulumi up --stack %s` first", r.name, r.name)
	}
	if v, ok := outputs[OutputDrillFailRegion]; ok {
		return nil, nil, preflightf("stack %q is deployed with a drill (output %s = %v) although its config has none: run `pulumi up --stack %s` to remove it first",
			r.name, OutputDrillFailRegion, v, r.name)
	}
	if err := r.readOutputs(outputs, cfg); err != nil {
		return nil, nil, err
	}
	if err := servesTraffic(cfg, region); err != nil {
		return nil, nil, err
	}
	changes, err := st.PendingChanges(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(changes) > 0 {
		return nil, nil, preflightf("stack %q has pending changes (%s): deploy or discard them first (`pulumi preview --stack %s`), so that the drill changes nothing but the drill",
			r.name, describeChanges(changes), r.name)
	}
	r.event("preflight: stack %s is deployed, no drill is active, pulumi preview shows no pending change", r.name)
	if err := r.baselineChecks(ctx, cfg); err != nil {
		return nil, nil, err
	}
	if prodLike(cfg) && !r.opt.Yes {
		q := fmt.Sprintf("Stack %s is prod-like: fail %s in DNS for real users now?", r.name, region)
		if r.opt.Confirm == nil {
			return nil, nil, preflightf("stack %q is prod-like (%s) and there is no terminal to confirm the drill: pass --yes to run it", r.name, prodReason(cfg))
		}
		ok, err := r.opt.Confirm(q)
		if err != nil {
			return nil, nil, preflightf("confirmation: %v", err)
		}
		if !ok {
			return nil, nil, preflightf("drill of stack %q not confirmed: nothing was changed", r.name)
		}
	}
	r.event("preflight passed: %s serves %s; baseline regions %s", region, r.dnsName, strings.Join(r.baseline, ", "))
	return cfg, outputs, nil
}

// readOutputs reads the probe targets from the stack's outputs.
func (r *run) readOutputs(outputs map[string]any, cfg *stacks.Config) error {
	dnsName, _ := outputs[OutputDNSName].(string)
	if dnsName == "" {
		return preflightf("stack %q: output %q is missing: deploy the stack with this version of the program", r.name, OutputDNSName)
	}
	r.dnsName = canonical(dnsName)
	var err error
	if r.lbNames, err = stringMap(outputs, OutputEndpoints); err != nil {
		return preflightf("stack %q: %v", r.name, err)
	}
	if r.checks, err = stringMap(outputs, OutputHealthCheckURLs); err != nil {
		return preflightf("stack %q: %v", r.name, err)
	}
	for _, region := range cfg.Regions {
		if r.lbNames[region] == "" || r.checks[region] == "" {
			return preflightf("stack %q: outputs %s and %s have no entry for %s: the deployed stack does not match its config: run `pulumi up --stack %s`",
				r.name, OutputEndpoints, OutputHealthCheckURLs, region, r.name)
		}
	}
	r.url = r.opt.ProbeURL
	if r.url == "" {
		u, err := url.Parse(r.checks[cfg.Primary()])
		if err != nil || u.Host == "" {
			return preflightf("stack %q: output %s[%s] = %q is not a URL: pass --probe URL", r.name, OutputHealthCheckURLs, cfg.Primary(), r.checks[cfg.Primary()])
		}
		port := u.Port()
		u.Host = r.dnsName
		if port != "" {
			u.Host += ":" + port
		}
		r.url = u.String()
	} else if u, err := url.Parse(r.url); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return preflightf("--probe %q: use an http:// or https:// URL", r.url)
	}
	r.rep.Probe = ProbeInfo{DNSName: r.dnsName, URL: r.url, Resolver: r.d.Resolver,
		IntervalSeconds: r.opt.Interval.Seconds(), SettleSeconds: r.opt.Settle.Seconds(),
		TimeoutSeconds: r.opt.Timeout.Seconds(), ProbeTimeoutSeconds: r.opt.ProbeTimeout.Seconds()}
	mode, _ := outputs[OutputDatabaseMode].(string)
	writer, _ := outputs[OutputWriterRegion].(string)
	r.rep.Database = Database{Mode: mode, WriterBefore: writer}
	return nil
}

func stringMap(outputs map[string]any, key string) (map[string]string, error) {
	raw, ok := outputs[key].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("output %q is missing or not a map of region to string: deploy the stack with this version of the program", key)
	}
	out := map[string]string{}
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("output %q[%s] is %T, not a string", key, k, v)
		}
		out[k] = s
	}
	return out, nil
}

// servesTraffic checks, from the config, that region takes traffic and that
// another region can take it over.
func servesTraffic(cfg *stacks.Config, region string) error {
	if !slices.Contains(cfg.Regions, region) {
		return preflightf("--fail %s: not a region of stack %q: fail one of %s", region, cfg.Stack, strings.Join(cfg.Regions, ", "))
	}
	if cfg.Topology == stacks.TopologySingle || len(cfg.Regions) < 2 {
		return preflightf("stack %q is single-region: there is no other region to fail over to", cfg.Stack)
	}
	if cfg.Topology == stacks.TopologyActivePassive && region != cfg.Primary() {
		return preflightf("--fail %s: in active-passive stack %q, %s is a standby and serves no traffic: fail the primary, %s", region, cfg.Stack, region, cfg.Primary())
	}
	if w, ok := cfg.DNS.Weights[region]; ok && cfg.DNS.Routing == "weighted" && w == 0 {
		return preflightf("--fail %s: its weight in multiregion:dns.weights is 0, so it serves no traffic", region)
	}
	return nil
}

// prodLike: production stacks get a confirmation.
func prodLike(cfg *stacks.Config) bool { return prodReason(cfg) != "" }

func prodReason(cfg *stacks.Config) string {
	switch {
	case strings.HasPrefix(strings.ToLower(cfg.Stack), "prod"):
		return "its name starts with prod"
	case cfg.Database.DeletionProtection == nil || *cfg.Database.DeletionProtection:
		return "its database has deletion protection"
	}
	return ""
}

// baselineChecks probes the site before the drill: the failed region must answer
// from here, answers must be classifiable, the site healthy, and another
// region's health check must pass.
func (r *run) baselineChecks(ctx context.Context, cfg *stacks.Config) error {
	region := r.opt.FailRegion
	seen := map[string]bool{}
	healthy, answered := 0, 0
	var lastProblem, unknown string
	for i := 0; i < r.opt.BaselineProbes; i++ {
		if i > 0 {
			if err := r.d.Clock.Sleep(ctx, r.opt.Interval); err != nil {
				return preflightf("interrupted before the drill: nothing was changed")
			}
		}
		for _, s := range r.probe(ctx, r.d.Clock.Now()) {
			for _, reg := range s.Regions {
				seen[reg] = true
			}
			if s.Unknown {
				unknown = fmt.Sprintf("%s answer %q", s.Probe, s.Answer)
				lastProblem = unknown + " matches no load balancer of the stack"
			}
			switch {
			case s.Probe == ProbeHTTP && !s.failed():
				healthy++
			case s.Probe == ProbeDNS && !s.failed():
				answered++
			case s.failed():
				lastProblem = fmt.Sprintf("%s: %s", s.Probe, describe(s))
			}
		}
	}
	for reg := range seen {
		r.baseline = append(r.baseline, reg)
	}
	slices.Sort(r.baseline)
	r.rep.BaselineRegions = r.baseline
	if len(seen) == 0 {
		return preflightf("no answer for %s (%s) could be classified by region from %s (%s): a proxied or otherwise opaque front cannot be measured; pass --resolver or --probe to reach the load balancers' addresses",
			r.dnsName, r.url, r.d.Resolver, lastProblem)
	}
	if unknown != "" {
		// Such an answer would never count as moved: the drill could only time out.
		return preflightf("before the drill, the %s for %s matches no load balancer of the stack (%s from %s): the traffic's region cannot be verified; pass --resolver or --probe to reach the load balancers' addresses",
			unknown, r.dnsName, strings.Join(slices.Sorted(maps.Keys(r.lbNames)), ", "), r.d.Resolver)
	}
	if !seen[region] {
		return preflightf("before the drill, no answer for %s from %s came from %s (seen: %s): from here %s serves no traffic to fail; use --resolver for a resolver %s serves",
			r.dnsName, r.d.Resolver, region, strings.Join(r.baseline, ", "), region, region)
	}
	if answered == 0 {
		return preflightf("before the drill, %s never answered for %s (%s): check --resolver", r.d.Resolver, r.dnsName, lastProblem)
	}
	if healthy == 0 {
		return preflightf("before the drill, no GET of %s succeeded (%s): the site is already failing; fix it before drilling", r.url, lastProblem)
	}
	var results []string
	for _, other := range cfg.Regions {
		if other == region {
			continue
		}
		ctxp, cancel := context.WithTimeout(ctx, r.opt.ProbeTimeout)
		res, err := r.d.HTTP.Get(ctxp, r.checks[other])
		cancel()
		if err == nil && res.Status >= 200 && res.Status <= 299 {
			r.event("%s can take the traffic: GET %s answered %d", other, r.checks[other], res.Status)
			return nil
		}
		if err != nil {
			results = append(results, fmt.Sprintf("%s: %v", other, err))
		} else {
			results = append(results, fmt.Sprintf("%s: HTTP %d", other, res.Status))
		}
	}
	return preflightf("no other region can take the traffic: their health checks fail (%s): failing %s would take the site down", strings.Join(results, "; "), region)
}

// drill applies, observes, reverts and observes again. The revert runs on every
// path once the config was touched.
func (r *run) drill(ctx context.Context, cfg *stacks.Config, outputs map[string]any) (err error) {
	st, rep, region := r.d.Stack, r.rep, r.opt.FailRegion
	// The Pulumi operations run to completion even when ctx is cancelled: killing
	// `pulumi up` half-way would leave the stack locked or half-deployed; a
	// cancellation is handled between operations.
	opCtx := context.WithoutCancel(ctx)
	touched := false
	defer func() {
		if touched {
			if rerr := r.revert(opCtx); rerr != nil && err == nil {
				err = rerr
			}
		}
	}()

	rep.Failover = &Phase{ApplyStartedAt: r.d.Clock.Now()}
	r.event("applying the drill: %s = %s, pulumi up", ConfigDrillFailRegion, region)
	touched = true
	if err := st.SetDrill(opCtx, region); err != nil {
		return err
	}
	after, err := st.Up(opCtx)
	if err != nil {
		return err
	}
	rep.Failover.AppliedAt = r.d.Clock.Now()
	r.event("drill applied (pulumi up took %.1fs): probing every %s", rep.Failover.AppliedAt.Sub(rep.Failover.ApplyStartedAt).Seconds(), r.opt.Interval)
	r.writer(&rep.Database.WriterDuring, after, rep.Failover.AppliedAt)

	switch r.observe(ctx, failoverTracker(rep.Failover, r.opt.Settle, region), "failover") {
	case endInterrupted:
		return ctx.Err()
	case endTimeout:
		r.event("failover not complete within %s: reverting", r.opt.Timeout)
	}

	touched = false
	if err := r.revert(opCtx); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.observe(ctx, failbackTracker(rep.Failback, r.opt.Settle, region, r.baseline), "fail-back")
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// revert removes the drill and deploys; on failure the report says how to do it by hand.
func (r *run) revert(ctx context.Context) error {
	st, rep := r.d.Stack, r.rep
	rep.Failback = &Phase{ApplyStartedAt: r.d.Clock.Now()}
	r.event("reverting: removing %s, pulumi up", ConfigDrill)
	err := st.RemoveDrill(ctx)
	var after map[string]any
	if err == nil {
		after, err = st.Up(ctx)
	}
	if err != nil {
		rep.RevertError = err.Error()
		rep.ManualRevert = manualRevert(st.Name(), r.opt.ProjectDir)
		r.event("REVERT FAILED: %v; revert by hand: %s", err, strings.Join(rep.ManualRevert, " && "))
		return fmt.Errorf("reverting the drill: %w; revert by hand: %s", err, strings.Join(rep.ManualRevert, " && "))
	}
	rep.Failback.AppliedAt = r.d.Clock.Now()
	rep.Reverted = true
	if w, ok := after[OutputWriterRegion].(string); ok {
		rep.Database.WriterAfter = w
	}
	r.event("drill reverted (pulumi up took %.1fs)", rep.Failback.AppliedAt.Sub(rep.Failback.ApplyStartedAt).Seconds())
	return nil
}

// writer records the writer region seen in outputs at time at.
func (r *run) writer(field *string, outputs map[string]any, at time.Time) {
	db := &r.rep.Database
	w, ok := outputs[OutputWriterRegion].(string)
	if !ok {
		return
	}
	*field = w
	if db.WriterBefore != "" && w != db.WriterBefore && db.WriterMovedSeconds == nil {
		db.WriterMovedSeconds = seconds(at.Sub(r.rep.Failover.AppliedAt))
		r.event("database writer moved: %s -> %s", db.WriterBefore, w)
	}
}

// Why a phase's probing ended.
const (
	endComplete    = "complete"
	endTimeout     = "timeout"
	endInterrupted = "interrupted"
)

// observe probes until the tracker completes, the timeout or ctx ends.
func (r *run) observe(ctx context.Context, t *tracker, name string) string {
	p := t.phase
	deadline := p.AppliedAt.Add(r.opt.Timeout)
	var firstLogged bool
	end := func(why string) string {
		p.EndedAt, p.Ended = r.d.Clock.Now(), why
		return why
	}
	for {
		if ctx.Err() != nil {
			r.event("%s: interrupted", name)
			return end(endInterrupted)
		}
		now := r.d.Clock.Now()
		if !now.Before(deadline) {
			r.event("%s: timed out after %s", name, r.opt.Timeout)
			return end(endTimeout)
		}
		samples := r.probe(ctx, now)
		if ctx.Err() != nil {
			// the probes of this round were cut short: not errors users saw
			r.event("%s: interrupted", name)
			return end(endInterrupted)
		}
		for _, s := range samples {
			if s.failed() {
				r.event("%s: %s %s", name, s.Probe, describe(s))
			}
		}
		done := t.observe(now, samples)
		if p.FirstSeconds != nil && !firstLogged {
			firstLogged = true
			r.event("%s: first answer moved after %.1fs (it pointed at %s)", name, *p.FirstSeconds, strings.Join(p.FirstRegions, " and "))
		}
		if done {
			r.event("%s: every answer moved after %.1fs (stable for %s)", name, *p.AllSeconds, r.opt.Settle)
			return end(endComplete)
		}
		if err := r.d.Clock.Sleep(ctx, now.Add(r.opt.Interval).Sub(r.d.Clock.Now())); err != nil {
			r.event("%s: interrupted", name)
			return end(endInterrupted)
		}
	}
}

// probe runs one round: the load balancers' names (for classification), the DNS
// answer for the domain and a GET of the health endpoint, concurrently.
func (r *run) probe(ctx context.Context, at time.Time) []Sample {
	ctx, cancel := context.WithTimeout(ctx, r.opt.ProbeTimeout)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := map[string][]string{}
	for region, name := range r.lbNames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a, err := r.d.DNS.Lookup(ctx, name); err == nil {
				mu.Lock()
				fresh[region] = a.Addrs
				mu.Unlock()
			}
		}()
	}
	var dnsAns DNSAnswer
	var dnsErr, httpErr error
	var httpRes HTTPResult
	wg.Add(2)
	go func() { defer wg.Done(); dnsAns, dnsErr = r.d.DNS.Lookup(ctx, r.dnsName) }()
	go func() { defer wg.Done(); httpRes, httpErr = r.d.HTTP.Get(ctx, r.url) }()
	wg.Wait()
	// A load balancer keeps every address its name resolved to during the drill:
	// resolvers cache the domain's answer and the load balancer's name separately,
	// so a load balancer's addresses seen through the domain may be an older set
	// (load balancer addresses change over time; a region's addresses are never
	// another region's).
	for region, addrs := range fresh {
		for _, a := range addrs {
			if !slices.Contains(r.lbAddrs[region], a) {
				r.lbAddrs[region] = append(r.lbAddrs[region], a)
			}
		}
	}
	c := newClassifier(r.lbNames, r.lbAddrs)

	ds := Sample{At: at, Probe: ProbeDNS}
	if dnsErr != nil {
		ds.Timeout, ds.Err = failure(dnsErr)
	} else {
		ds.Regions, ds.Unknown = c.dns(dnsAns)
		ds.Answer = strings.Join(append(slices.Clone(dnsAns.CNAMEs), dnsAns.Addrs...), " ")
	}
	hs := Sample{At: at, Probe: ProbeHTTP, Status: httpRes.Status}
	if httpRes.RemoteIP != "" {
		hs.Regions, hs.Unknown = c.addr(httpRes.RemoteIP)
	}
	if httpErr != nil {
		hs.Timeout, hs.Err = failure(httpErr)
	} else {
		hs.Answer = fmt.Sprintf("%d from %s", httpRes.Status, httpRes.RemoteIP)
	}
	return []Sample{ds, hs}
}

// failure splits a probe error into a timeout or another error.
func failure(err error) (timeout bool, msg string) {
	if IsTimeout(err) {
		return true, ""
	}
	return false, err.Error()
}

// describe says what a probe got, for the timeline.
func describe(s Sample) string {
	switch {
	case s.Timeout:
		return "timed out"
	case s.Err != "":
		return s.Err
	}
	return s.Answer
}

// finish computes the verdict and whether the drill passed.
func (r *run) finish(err error) {
	rep := r.rep
	rep.FinishedAt = r.d.Clock.Now()
	if err != nil {
		rep.Error = err.Error()
		rep.Interrupted = errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	}
	db := &rep.Database
	switch {
	case db.WriterBefore == "":
		db.Note = fmt.Sprintf("the stack exports no %s: where writes go was not checked", OutputWriterRegion)
	case db.Mode == "dynamodb-global":
		db.Note = "multi-writer (dynamodb-global): every region takes writes"
	case db.WriterMovedSeconds != nil:
		db.Automatic = true
		db.Note = fmt.Sprintf("the writer moved from %s to %s without a manual promotion", db.WriterBefore, db.WriterDuring)
	default:
		db.Note = fmt.Sprintf("the writer stayed in %s: the stack has no automatic database failover, so the drill moved traffic only; in a real outage of %s the database must be promoted by hand (README: GlobalDatabase runbooks)",
			db.WriterBefore, db.WriterBefore)
	}

	f := rep.Failover
	var measured *float64
	if f != nil && f.Complete {
		v := *f.AllSeconds
		if db.WriterMovedSeconds != nil && *db.WriterMovedSeconds > v {
			v = *db.WriterMovedSeconds
		}
		measured = &v
	}
	rep.MeasuredRTOSeconds = measured
	target := float64(rep.RTOTargetSeconds)
	switch {
	case measured != nil && rep.RTOTargetSeconds == 0:
		rep.Verdict, rep.VerdictReason = VerdictUnverified, fmt.Sprintf("traffic moved in %.1fs but the stack has no target: set multiregion:rtoSeconds", *measured)
	case measured != nil && *measured <= target:
		rep.Verdict, rep.VerdictReason = VerdictMet, fmt.Sprintf("traffic moved in %.1fs, within rtoSeconds %d", *measured, rep.RTOTargetSeconds)
	case measured != nil:
		rep.Verdict, rep.VerdictReason = VerdictMissed, fmt.Sprintf("traffic moved in %.1fs, over rtoSeconds %d", *measured, rep.RTOTargetSeconds)
	case f != nil && f.Ended == endTimeout && rep.RTOTargetSeconds > 0 && f.EndedAt.Sub(f.AppliedAt).Seconds() >= target:
		rep.Verdict, rep.VerdictReason = VerdictMissed, fmt.Sprintf("traffic had not all moved after %.0fs, over rtoSeconds %d", f.EndedAt.Sub(f.AppliedAt).Seconds(), rep.RTOTargetSeconds)
	case f != nil && f.Ended == endTimeout:
		rep.Verdict, rep.VerdictReason = VerdictUnverified, fmt.Sprintf("traffic had not all moved when the drill timed out after %s", r.opt.Timeout)
	default:
		rep.Verdict, rep.VerdictReason = VerdictUnverified, "the failover was not measured to the end"
	}

	var problems []string
	if rep.Verdict != VerdictMet {
		problems = append(problems, "RTO "+rep.Verdict+": "+rep.VerdictReason)
	}
	if !rep.Reverted {
		problems = append(problems, "the drill was NOT reverted: "+strings.Join(manualRevert(r.d.Stack.Name(), r.opt.ProjectDir), " && "))
	} else if b := rep.Failback; b == nil || !b.Complete {
		problems = append(problems, fmt.Sprintf("fail-back not observed: traffic was not seen back on %s", r.opt.FailRegion))
	}
	if rep.Interrupted {
		problems = append(problems, "interrupted")
	} else if rep.Error != "" && (rep.RevertError == "" || !strings.Contains(rep.Error, rep.RevertError)) {
		problems = append(problems, "error: "+rep.Error)
	}
	rep.Problems = problems
	rep.Passed = len(problems) == 0
	r.event("drill finished: RTO %s (%s)", rep.Verdict, rep.VerdictReason)
}
