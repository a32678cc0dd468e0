package drill

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/stackfile"
)

// fakeClock advances only when the drill sleeps (or a fake `pulumi up` takes time).
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.advance(d)
	return nil
}

// fakeWorld is the fake stack, DNS and site at once: staging (us-east-1 primary,
// us-west-2 standby). The drill's up moves traffic after a known delay, through a
// window in which DNS answers both regions; the standby answers 503 to its first
// requests (it is scaling up from its pilot-light count).
type fakeWorld struct {
	clock *fakeClock
	mu    sync.Mutex

	config  map[string]string
	outputs map[string]any
	ops     []string // SetDrill, RemoveDrill, Up, Preview in order

	upTakes        time.Duration // how long each `pulumi up` takes
	switchAfter    time.Duration // after the drill's up: first answers from us-west-2 (<0: never)
	mixedFor       time.Duration // then both regions in DNS for this long
	failbackAfter  time.Duration // after the revert's up: back to us-east-1
	coldErrors     int           // 503s from us-west-2 after the switch
	hangs          int           // then requests to us-west-2 that time out before connecting
	writerMoves    bool          // the database writer follows the traffic
	pending        map[string]int
	failUpNumber   int // the n-th up fails (1-based; 0: none)
	failRemove     bool
	otherUnhealthy bool
	foreignDNS     bool   // the domain answers an address of no load balancer
	dnsDown        bool   // the resolver answers SERVFAIL for the domain
	extraDNS       string // an address of no load balancer, added to the domain's answer

	drillAt, revertAt time.Time
	ups               int
	westRequests      int
}

const (
	eastIP = "10.0.0.1"
	westIP = "10.0.1.1"
)

func newFakeWorld(t *testing.T) *fakeWorld {
	t.Helper()
	f, err := stackfile.Read("../stacks/Pulumi.staging.yaml")
	require.NoError(t, err)
	w := &fakeWorld{
		clock:         &fakeClock{now: t0},
		config:        maps.Clone(f.Config),
		upTakes:       20 * time.Second,
		switchAfter:   40 * time.Second,
		mixedFor:      10 * time.Second,
		failbackAfter: 20 * time.Second,
		coldErrors:    2,
	}
	// The timings below are measured against a 30-minute target, whatever
	// staging declares.
	w.config["multiregion:rtoSeconds"] = "1800"
	w.outputs = w.program()
	return w
}

// program is what the real program exports for staging (stacks.Deployment.Export).
func (w *fakeWorld) program() map[string]any {
	out := map[string]any{
		OutputRegions:         []any{"us-east-1", "us-west-2"},
		OutputPrimaryRegion:   "us-east-1",
		"topology":            "active-passive",
		OutputEndpoints:       map[string]any{"us-east-1": "east-lb.elb.amazonaws.com", "us-west-2": "west-lb.elb.amazonaws.com"},
		OutputHealthCheckURLs: map[string]any{"us-east-1": "http://east-lb.elb.amazonaws.com/", "us-west-2": "http://west-lb.elb.amazonaws.com/"},
		OutputDNSName:         "staging.app.example.com",
		OutputDatabaseMode:    "rds-replica",
		OutputWriterRegion:    "us-east-1",
	}
	if v, ok := w.config[ConfigDrill]; ok {
		out[OutputDrillFailRegion] = strings.TrimSuffix(strings.TrimPrefix(v, `{"failRegion":"`), `"}`)
		if w.writerMoves {
			out[OutputWriterRegion] = "us-west-2"
		}
	}
	return out
}

func (w *fakeWorld) op(name string) {
	w.mu.Lock()
	w.ops = append(w.ops, name)
	w.mu.Unlock()
}

func (w *fakeWorld) Name() string { return "staging" }
func (w *fakeWorld) Config(context.Context) (map[string]string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.config), nil
}
func (w *fakeWorld) Outputs(context.Context) (map[string]any, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.outputs), nil
}
func (w *fakeWorld) PendingChanges(context.Context) (map[string]int, error) {
	w.op("Preview")
	return w.pending, nil
}
func (w *fakeWorld) SetDrill(_ context.Context, region string) error {
	w.op("SetDrill")
	w.mu.Lock()
	defer w.mu.Unlock()
	w.config[ConfigDrill] = fmt.Sprintf(`{"failRegion":%q}`, region)
	return nil
}
func (w *fakeWorld) RemoveDrill(context.Context) error {
	w.op("RemoveDrill")
	if w.failRemove {
		return errors.New("backend unreachable")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.config, ConfigDrill)
	return nil
}
func (w *fakeWorld) Up(context.Context) (map[string]any, error) {
	w.op("Up")
	w.clock.advance(w.upTakes)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ups++
	if w.ups == w.failUpNumber {
		return nil, errors.New("pulumi up failed: provider error")
	}
	w.outputs = w.program()
	if _, ok := w.config[ConfigDrill]; ok {
		w.drillAt, w.revertAt = w.clock.Now(), time.Time{}
	} else if !w.drillAt.IsZero() {
		w.revertAt = w.clock.Now()
	}
	return maps.Clone(w.outputs), nil
}

// regions answering the domain now.
func (w *fakeWorld) answer() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.clock.Now()
	if w.foreignDNS {
		return []string{"203.0.113.7"}
	}
	switch {
	case w.drillAt.IsZero():
		return []string{eastIP}
	case !w.revertAt.IsZero():
		if now.Sub(w.revertAt) >= w.failbackAfter {
			return []string{eastIP}
		}
		return []string{westIP}
	case w.switchAfter < 0 || now.Sub(w.drillAt) < w.switchAfter:
		return []string{eastIP}
	case now.Sub(w.drillAt) < w.switchAfter+w.mixedFor:
		return []string{westIP, eastIP}
	}
	return []string{westIP}
}

func (w *fakeWorld) Lookup(_ context.Context, name string) (DNSAnswer, error) {
	switch name {
	case "east-lb.elb.amazonaws.com":
		return DNSAnswer{Addrs: []string{eastIP}}, nil
	case "west-lb.elb.amazonaws.com":
		return DNSAnswer{Addrs: []string{westIP}}, nil
	case "staging.app.example.com":
		if w.dnsDown {
			return DNSAnswer{}, errors.New("SERVFAIL")
		}
		addrs := w.answer()
		if w.extraDNS != "" {
			addrs = append(addrs, w.extraDNS)
		}
		return DNSAnswer{Addrs: addrs}, nil
	}
	return DNSAnswer{}, errors.New("NXDOMAIN")
}

func (w *fakeWorld) Get(_ context.Context, url string) (HTTPResult, error) {
	ip := ""
	switch {
	case strings.Contains(url, "east-lb"):
		ip = eastIP
	case strings.Contains(url, "west-lb"):
		ip = westIP
		if w.otherUnhealthy {
			return HTTPResult{Status: 503, RemoteIP: ip}, nil
		}
		return HTTPResult{Status: 200, RemoteIP: ip}, nil
	default:
		ip = w.answer()[0]
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if ip == westIP && !w.drillAt.IsZero() {
		w.westRequests++
		if w.westRequests <= w.coldErrors {
			return HTTPResult{Status: 503, RemoteIP: ip}, nil
		}
		if w.westRequests <= w.coldErrors+w.hangs {
			return HTTPResult{}, context.DeadlineExceeded
		}
	}
	return HTTPResult{Status: 200, RemoteIP: ip}, nil
}

func (w *fakeWorld) drill() *Drill {
	return &Drill{Stack: w, DNS: w, HTTP: w, Clock: w.clock, Resolver: "fake"}
}

func (w *fakeWorld) opts() Options {
	return Options{FailRegion: "us-east-1", Settle: 10 * time.Second, Timeout: 5 * time.Minute, Yes: true}
}

func TestRunMeasuresFailoverAndFailback(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	rep, err := w.drill().Run(context.Background(), w.opts())
	require.NoError(t, err)
	require.NotNil(t, rep)
	assert.Equal(t, []string{"Preview", "SetDrill", "Up", "RemoveDrill", "Up"}, w.ops)

	f := rep.Failover
	require.NotNil(t, f.FirstSeconds)
	assert.Equal(t, 40.0, *f.FirstSeconds, "first answer from us-west-2")
	require.NotNil(t, f.AllSeconds)
	assert.Equal(t, 50.0, *f.AllSeconds, "every answer from us-west-2 after the mixed window")
	assert.Equal(t, 2, f.Non2xx, "the standby's cold 503s")
	assert.Equal(t, 0, f.Timeouts)
	assert.Equal(t, 20.0, f.AppliedAt.Sub(f.ApplyStartedAt).Seconds())

	b := rep.Failback
	require.NotNil(t, b.AllSeconds)
	assert.Equal(t, 20.0, *b.FirstSeconds)
	assert.Equal(t, 20.0, *b.AllSeconds)
	assert.Equal(t, 0, b.ErrorsSeen())

	assert.Equal(t, []string{"us-east-1"}, rep.BaselineRegions)
	assert.Equal(t, 1800, rep.RTOTargetSeconds)
	require.NotNil(t, rep.MeasuredRTOSeconds)
	assert.Equal(t, 50.0, *rep.MeasuredRTOSeconds)
	assert.Equal(t, VerdictMet, rep.Verdict)
	assert.True(t, rep.Reverted)
	assert.True(t, rep.Passed, "%v", rep.Problems)
	assert.Equal(t, "us-east-1", rep.Database.WriterDuring)
	assert.Nil(t, rep.Database.WriterMovedSeconds)
	assert.Contains(t, rep.Database.Note, "no automatic database failover")
	assert.Equal(t, "http://staging.app.example.com/", rep.Probe.URL)
	_, hasDrill := w.config[ConfigDrill]
	assert.False(t, hasDrill, "the drill config is removed")
}

func TestRunMissedTarget(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	w.switchAfter = 1795 * time.Second // all answers moved at 1805s, over rtoSeconds 1800
	w.writerMoves = true
	opt := w.opts()
	opt.Timeout = time.Hour
	rep, err := w.drill().Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, VerdictMissed, rep.Verdict)
	assert.False(t, rep.Passed)
	assert.Equal(t, 1805.0, *rep.MeasuredRTOSeconds)
	// the writer output moved with the drill's up: recorded, at the end of the apply
	require.NotNil(t, rep.Database.WriterMovedSeconds)
	assert.Equal(t, 0.0, *rep.Database.WriterMovedSeconds)
	assert.True(t, rep.Database.Automatic)
	assert.Equal(t, "us-east-1", rep.Database.WriterAfter)
}

func TestRunNoTargetIsUnverified(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	delete(w.config, "multiregion:rtoSeconds")
	delete(w.config, "multiregion:rpoSeconds")
	rep, err := w.drill().Run(context.Background(), w.opts())
	require.NoError(t, err)
	assert.Equal(t, VerdictUnverified, rep.Verdict)
	assert.Contains(t, rep.VerdictReason, "set multiregion:rtoSeconds")
	assert.False(t, rep.Passed)
}

func TestRunTimeoutReverts(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	w.switchAfter = -1
	opt := w.opts()
	opt.Timeout = 30 * time.Second
	rep, err := w.drill().Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, endTimeout, rep.Failover.Ended)
	assert.Nil(t, rep.Failover.FirstSeconds)
	assert.Equal(t, VerdictUnverified, rep.Verdict, "30s < rtoSeconds 1800: the target could still have been met")
	assert.True(t, rep.Reverted)
	assert.False(t, rep.Passed)
	assert.Equal(t, []string{"Preview", "SetDrill", "Up", "RemoveDrill", "Up"}, w.ops)

	w = newFakeWorld(t)
	w.switchAfter = -1
	opt.Timeout = 1900 * time.Second
	rep, err = w.drill().Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Equal(t, VerdictMissed, rep.Verdict, "1900s without a move is over rtoSeconds 1800")
}

// interruptAt runs the drill and cancels it (Ctrl-C) at the first progress
// event whose text starts with prefix; the run must end canceled, with a report.
func (w *fakeWorld) interruptAt(t *testing.T, prefix string) *Report {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := w.opts()
	opt.Progress = func(e Event) {
		if strings.HasPrefix(e.Text, prefix) {
			cancel()
		}
	}
	rep, err := w.drill().Run(ctx, opt)
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, rep)
	return rep
}

func TestRunInterruptedReverts(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	rep := w.interruptAt(t, "drill applied")
	assert.True(t, rep.Interrupted)
	assert.True(t, rep.Reverted)
	assert.False(t, rep.Passed)
	assert.Equal(t, []string{"Preview", "SetDrill", "Up", "RemoveDrill", "Up"}, w.ops)
	_, hasDrill := w.config[ConfigDrill]
	assert.False(t, hasDrill)
}

func TestRunFailedApplyReverts(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	w.failUpNumber = 1
	rep, err := w.drill().Run(context.Background(), w.opts())
	require.ErrorContains(t, err, "provider error")
	assert.True(t, rep.Reverted)
	assert.Equal(t, []string{"Preview", "SetDrill", "Up", "RemoveDrill", "Up"}, w.ops)
	assert.False(t, rep.Passed)
}

func TestRunFailedRevertSaysHowToRevertByHand(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	w.failRemove = true
	opt := w.opts()
	opt.ProjectDir = "/srv/app"
	rep, err := w.drill().Run(context.Background(), opt)
	require.ErrorContains(t, err, "revert by hand: pulumi config rm multiregion:drill --stack staging --cwd /srv/app && pulumi up --stack staging --cwd /srv/app")
	assert.False(t, rep.Reverted)
	assert.Equal(t, []string{"pulumi config rm multiregion:drill --stack staging --cwd /srv/app", "pulumi up --stack staging --cwd /srv/app"}, rep.ManualRevert)
	assert.Contains(t, rep.RevertError, "backend unreachable")
	assert.False(t, rep.Passed)
	assert.Contains(t, strings.Join(rep.Problems, "\n"), "NOT reverted")
}

func TestPreflightChangesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(*fakeWorld, *Options)
		want  string
	}{
		{"no region", func(_ *fakeWorld, o *Options) { o.FailRegion = "" }, "--fail is required"},
		{"unknown region", func(_ *fakeWorld, o *Options) { o.FailRegion = "eu-west-1" }, "not a region of stack"},
		{"standby", func(_ *fakeWorld, o *Options) { o.FailRegion = "us-west-2" }, "is a standby and serves no traffic: fail the primary, us-east-1"},
		{"drill active", func(w *fakeWorld, _ *Options) { w.config[ConfigDrill] = `{"failRegion":"us-east-1"}` }, "a drill is already active"},
		{"deployed with a drill", func(w *fakeWorld, _ *Options) { w.outputs[OutputDrillFailRegion] = "us-east-1" }, "deployed with a drill"},
		{"not deployed", func(w *fakeWorld, _ *Options) { w.outputs = map[string]any{} }, "not deployed"},
		{"old program", func(w *fakeWorld, _ *Options) { delete(w.outputs, OutputEndpoints) }, `output "endpoints" is missing`},
		{"pending changes", func(w *fakeWorld, _ *Options) { w.pending = map[string]int{"update": 2} }, "pending changes (2 update)"},
		{"invalid config", func(w *fakeWorld, _ *Options) { w.config["multiregion:topology"] = "active-activ" }, "its config does not load"},
		{"opaque answers", func(w *fakeWorld, _ *Options) { w.foreignDNS = true }, "could be classified"},
		{"partly opaque answers", func(w *fakeWorld, _ *Options) { w.extraDNS = "203.0.113.7" }, `the dns answer "10.0.0.1 203.0.113.7" for staging.app.example.com matches no load balancer`},
		{"resolver fails", func(w *fakeWorld, _ *Options) { w.dnsDown = true }, "never answered for staging.app.example.com"},
		{"no other region", func(w *fakeWorld, _ *Options) { w.otherUnhealthy = true }, "no other region can take the traffic"},
		{"prod-like without terminal", func(_ *fakeWorld, o *Options) { o.Yes = false }, "pass --yes"},
		{"prod-like declined", func(_ *fakeWorld, o *Options) {
			o.Yes = false
			o.Confirm = func(string) (bool, error) { return false, nil }
		}, "not confirmed"},
		{"bad probe", func(_ *fakeWorld, o *Options) { o.ProbeURL = "ftp://x" }, "use an http:// or https:// URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newFakeWorld(t)
			opt := w.opts()
			tc.setup(w, &opt)
			rep, err := w.drill().Run(context.Background(), opt)
			var pe *PreflightError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), tc.want)
			assert.Nil(t, rep)
			for _, op := range w.ops {
				assert.Equal(t, "Preview", op, "nothing but a preview may run before the checks pass")
			}
		})
	}
}

func TestPreflightConfirmed(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	opt := w.opts()
	opt.Yes = false
	var asked string
	opt.Confirm = func(q string) (bool, error) { asked = q; return true, nil }
	rep, err := w.drill().Run(context.Background(), opt)
	require.NoError(t, err)
	assert.Contains(t, asked, "Stack staging is prod-like: fail us-east-1")
	assert.True(t, rep.Passed)
}

func TestReportRendering(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	rep, err := w.drill().Run(context.Background(), w.opts())
	require.NoError(t, err)

	var text strings.Builder
	require.NoError(t, rep.WriteText(&text))
	for _, want := range []string{
		"Drill of stack staging: us-east-1 failed in DNS: PASSED",
		"  first answer moved   40.0s",
		"  every answer moved   50.0s",
		"  probes               122 (2 non-2xx, 0 timeouts, 0 other errors, 0 unclassified)",
		"RTO:       MET: traffic moved in 50.0s, within rtoSeconds 1800",
		"Reverted:  yes",
	} {
		assert.Contains(t, text.String(), want)
	}
	var md strings.Builder
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, md.String(), "| every answer moved | 50.0s | 20.0s |")
	assert.Contains(t, md.String(), "✅ PASSED")

	// a report that could not revert tells how, in every format
	w = newFakeWorld(t)
	w.failRemove = true
	rep, err = w.drill().Run(context.Background(), w.opts())
	require.Error(t, err)
	text.Reset()
	require.NoError(t, rep.WriteText(&text))
	assert.Contains(t, text.String(), "Reverted:  NO: backend unreachable\n  revert by hand:\n    pulumi config rm multiregion:drill --stack staging\n    pulumi up --stack staging\n")
	md.Reset()
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, md.String(), "revert by hand: `pulumi config rm multiregion:drill --stack staging && pulumi up --stack staging`")
	assert.Contains(t, rep.Summary(), "NOT REVERTED")
	assert.Len(t, rep.Problems, 1, "the failed revert is one problem: %v", rep.Problems)

	// the JSON report round-trips through Save and Last
	dir := t.TempDir()
	path, err := rep.Save(dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, ".multiregion", "drills", "staging-20261207T100000Z.json"), path)
	last, _, err := Last(dir, "staging")
	require.NoError(t, err)
	assert.Equal(t, rep.ManualRevert, last.ManualRevert)
	assert.Equal(t, rep.Failover.Non2xx, last.Failover.Non2xx)
	none, _, err := Last(dir, "prod")
	require.NoError(t, err)
	assert.Nil(t, none)
}

// Ctrl-C during the apply: the `pulumi up` is not killed half-way; the drill
// reverts as soon as it returns, without probing.
func TestRunInterruptedDuringApply(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	rep := w.interruptAt(t, "applying the drill")
	assert.True(t, rep.Interrupted)
	assert.True(t, rep.Reverted)
	assert.Equal(t, 0, rep.Failover.Probes)
	assert.Equal(t, []string{"Preview", "SetDrill", "Up", "RemoveDrill", "Up"}, w.ops)
	assert.Equal(t, VerdictUnverified, rep.Verdict)
}

// Probes that time out while traffic moves are counted, and an answer that never
// came does not count as moved.
func TestRunCountsProbeTimeouts(t *testing.T) {
	t.Parallel()
	w := newFakeWorld(t)
	w.hangs = 15 // us-west-2 requests 3..17 time out: 42s..56s after the apply
	rep, err := w.drill().Run(context.Background(), w.opts())
	require.NoError(t, err)
	f := rep.Failover
	assert.Equal(t, 15, f.Timeouts)
	assert.Equal(t, 2, f.Non2xx)
	assert.Equal(t, 17, f.ErrorsSeen())
	assert.Equal(t, 40.0, *f.FirstSeconds)
	assert.Equal(t, 57.0, *f.AllSeconds, "every answer moved once the GETs were answered again")
	assert.True(t, rep.Passed)
}
