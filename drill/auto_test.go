package drill

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/stacks"
)

// These tests run the drill for real, except for the cloud: the real Pulumi CLI
// (bin/pulumi, built by tools/build-pulumi.sh) with a local file backend, through
// the Automation API, on an inline program that exports what the real program
// exports (from the real staging config); DNS from a DNS server on 127.0.0.1 and
// the regions' load balancers as HTTP servers on 127.0.0.1 and 127.0.0.2. A small
// world moves the answers a known delay after the program deploys the drill, so
// the measured times can be checked against when the world really switched.

// world is the fake internet of one test.
type world struct {
	t    *testing.T
	port int
	dns  string // the DNS server's HOST:PORT

	mu          sync.Mutex
	domain      string
	switchAfter time.Duration // < 0: never
	mixedFor    time.Duration
	backAfter   time.Duration
	coldErrors  int
	drillSeen   time.Time // when the program deployed the drill
	revertSeen  time.Time // when the program deployed without it again
	westAfter   int       // requests to us-west-2 since the drill
	eastHangs   int       // requests to us-east-1 during the drill that get no answer in time
	deploys     int
}

var addrOf = map[string]string{"us-east-1": "127.0.0.1", "us-west-2": "127.0.0.2"}

func lbName(region string) string { return region + "-lb.drill.test" }

// switchAt is when the world started answering from us-west-2.
func (w *world) switchAt() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.drillSeen.Add(w.switchAfter)
}

func (w *world) backAt() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.revertSeen.Add(w.backAfter)
}

// answer is the domain's A records now.
func (w *world) answer() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	east, west := addrOf["us-east-1"], addrOf["us-west-2"]
	now := time.Now()
	switch {
	case w.drillSeen.IsZero():
		return []string{east}
	case !w.revertSeen.IsZero():
		if now.Sub(w.revertSeen) >= w.backAfter {
			return []string{east}
		}
		return []string{west}
	case w.switchAfter < 0 || now.Sub(w.drillSeen) < w.switchAfter:
		return []string{east}
	case now.Sub(w.drillSeen) < w.switchAfter+w.mixedFor:
		return []string{west, east}
	}
	return []string{west}
}

// deployed is called by the program on every real (not preview) run.
func (w *world) deployed(drill bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.deploys++
	switch {
	case drill:
		w.drillSeen, w.revertSeen = time.Now(), time.Time{}
	case !w.drillSeen.IsZero():
		w.revertSeen = time.Now()
	}
}

func (w *world) ServeDNS(rw dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	q := r.Question[0]
	name := canonical(q.Name)
	var addrs []string
	w.mu.Lock()
	domain := w.domain
	w.mu.Unlock()
	switch name {
	case domain:
		addrs = w.answer()
	case lbName("us-east-1"):
		addrs = []string{addrOf["us-east-1"]}
	case lbName("us-west-2"):
		addrs = []string{addrOf["us-west-2"]}
	default:
		m.Rcode = dns.RcodeNameError
	}
	if q.Qtype == dns.TypeA {
		for _, a := range addrs {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 1}, A: net.ParseIP(a)})
		}
	}
	_ = rw.WriteMsg(m)
}

// newWorld starts the DNS server and one HTTP server per region, on one port.
func newWorld(t *testing.T) *world {
	w := &world{t: t, switchAfter: -1}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &dns.Server{PacketConn: pc, Handler: w}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	w.dns = pc.LocalAddr().String()

	handler := func(region string) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
			w.mu.Lock()
			cold, hang := false, false
			during := !w.drillSeen.IsZero() && w.revertSeen.IsZero()
			if region == "us-west-2" && during {
				w.westAfter++
				cold = w.westAfter <= w.coldErrors
			}
			if region == "us-east-1" && during && w.eastHangs > 0 {
				w.eastHangs--
				hang = true
			}
			w.mu.Unlock()
			if hang {
				select { // longer than the probe timeout: the probe gives up
				case <-req.Context().Done():
				case <-time.After(10 * time.Second):
				}
				return
			}
			if cold {
				http.Error(rw, "scaling up", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(rw, "ok from", region)
		})
	}
	// Both load balancers listen on one port, on two loopback addresses, so that
	// one URL reaches either region depending on what DNS answered.
	for attempt := 0; ; attempt++ {
		east, err := net.Listen("tcp", addrOf["us-east-1"]+":0")
		require.NoError(t, err)
		port := east.Addr().(*net.TCPAddr).Port
		west, err := net.Listen("tcp", fmt.Sprintf("%s:%d", addrOf["us-west-2"], port))
		if err != nil {
			_ = east.Close()
			require.Less(t, attempt, 5, "no free port on both loopback addresses: %v", err)
			continue
		}
		for region, l := range map[string]net.Listener{"us-east-1": east, "us-west-2": west} {
			s := httptest.NewUnstartedServer(handler(region))
			s.Listener = l
			s.Start()
			t.Cleanup(s.Close)
		}
		w.port = port
		return w
	}
}

// program mirrors stacks.Deployment.Export, with the load balancers of the world.
func (w *world) program(ctx *pulumi.Context) error {
	cfg, err := stacks.FromContext(ctx)
	if err != nil {
		return err
	}
	lbs, checks := pulumi.StringMap{}, pulumi.StringMap{}
	for _, region := range cfg.Regions {
		lbs[region] = pulumi.String(lbName(region))
		checks[region] = pulumi.Sprintf("http://%s:%d%s", lbName(region), w.port, cfg.App.HealthCheckPath)
	}
	w.mu.Lock()
	w.domain = cfg.DNS.Domain
	w.mu.Unlock()
	ctx.Export("topology", pulumi.String(cfg.Topology))
	ctx.Export(OutputRegions, pulumi.ToStringArray(cfg.Regions))
	ctx.Export(OutputPrimaryRegion, pulumi.String(cfg.Primary()))
	ctx.Export(OutputEndpoints, lbs)
	ctx.Export(OutputHealthCheckURLs, checks)
	ctx.Export(OutputDNSName, pulumi.String(cfg.DNS.Domain))
	ctx.Export(OutputDatabaseMode, pulumi.String(cfg.Database.Mode))
	ctx.Export("databaseWriterEndpoint", pulumi.String("app-staging.cluster-x.us-east-1.rds.amazonaws.com"))
	ctx.Export("databaseReaderEndpoints", pulumi.ToStringArray(nil))
	ctx.Export("databaseSecretArn", pulumi.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:app"))
	ctx.Export("dataRegions", pulumi.ToStringArray(cfg.Regions))
	ctx.Export(OutputWriterRegion, pulumi.String(cfg.Primary()))
	if cfg.Drill != nil {
		ctx.Export(OutputDrillFailRegion, pulumi.String(cfg.Drill.FailRegion))
	}
	if !ctx.DryRun() {
		w.deployed(cfg.Drill != nil)
	}
	return nil
}

// pulumiRoot is the project root holding bin/pulumi, or "" when it is not built.
func pulumiRoot(t *testing.T) string {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, "bin", "pulumi")); err != nil {
		return ""
	}
	return root
}

// deployStack creates and deploys a stack of the inline program with the real
// staging config, on its own file backend in dir. It runs off the test's
// goroutine, so it returns errors instead of failing the test.
func deployStack(root, dir string, w *world, name string, exports map[string]bool) (auto.Stack, error) {
	ctx := context.Background()
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	if err != nil {
		return auto.Stack{}, err
	}
	cfg, err := os.ReadFile(filepath.Join(root, "stacks", "Pulumi.staging.yaml"))
	if err != nil {
		return auto.Stack{}, err
	}
	work, home, state := filepath.Join(dir, "work"), filepath.Join(dir, "home"), filepath.Join(dir, "state")
	for _, d := range []string{work, home, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return auto.Stack{}, err
		}
	}
	if err := os.WriteFile(filepath.Join(work, "Pulumi."+name+".yaml"), cfg, 0o644); err != nil {
		return auto.Stack{}, err
	}
	s, err := auto.UpsertStackInlineSource(ctx, name, stacks.Project, w.program,
		auto.WorkDir(work), auto.Pulumi(cmd), auto.PulumiHome(home),
		auto.EnvVars(map[string]string{
			"PULUMI_BACKEND_URL":                          "file://" + state,
			"PULUMI_CONFIG_PASSPHRASE":                    "drill-test",
			"PULUMI_SKIP_UPDATE_CHECK":                    "true",
			"NO_COLOR":                                    "1",
			"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		}))
	if err != nil {
		return auto.Stack{}, err
	}
	res, err := s.Up(ctx)
	if err != nil {
		return auto.Stack{}, err
	}
	// the inline program exports what the real program does (without a drill)
	want := maps.Clone(exports)
	delete(want, OutputDrillFailRegion)
	got := map[string]bool{}
	for k := range res.Outputs {
		got[k] = true
	}
	if !maps.Equal(want, got) {
		return auto.Stack{}, fmt.Errorf("the test program's outputs %v differ from stacks/program.go's exports %v", got, want)
	}
	return s, nil
}

func (w *world) drill(st Stack) *Drill {
	// generous timeouts: a probe that times out on a loaded machine would be counted
	return &Drill{Stack: st, DNS: &Resolver{Server: w.dns, Timeout: 2 * time.Second},
		HTTP: NewHTTPClient(&Resolver{Server: w.dns, Timeout: 2 * time.Second}, 3*time.Second), Resolver: w.dns}
}

func fastOptions() Options {
	// Probing every 250 ms and settling for 1 s keeps the test short; the
	// orchestration is the same as with the one-second default.
	return Options{FailRegion: "us-east-1", Interval: 250 * time.Millisecond, Settle: time.Second,
		ProbeTimeout: 3 * time.Second, BaselineProbes: 2, Timeout: 30 * time.Second, Yes: true}
}

// assertReverted checks the stack's config and outputs, read after the drill,
// have no drill left.
func assertReverted(t *testing.T, sc *scenario) {
	t.Helper()
	require.NoError(t, sc.afterErr)
	require.NotEmpty(t, sc.configAfter)
	assert.NotContains(t, sc.configAfter, ConfigDrill)
	require.Contains(t, sc.outputsAfter, OutputDNSName)
	assert.NotContains(t, sc.outputsAfter, OutputDrillFailRegion)
	sc.w.mu.Lock()
	defer sc.w.mu.Unlock()
	assert.False(t, sc.w.revertSeen.IsZero(), "the program ran again without the drill")
}

// tolerance for measured times: probes run every 250 ms on a loaded machine.
const tolerance = 1.0

// scenario is one drill against the real Pulumi CLI.
type scenario struct {
	name  string
	setup func(w *world, opt *Options, cancel context.CancelFunc)
	check func(t *testing.T, w *world, rep *Report, err error)

	w        *world
	dir      string
	s        auto.Stack
	events   []string
	rep      *Report
	err      error
	setupErr error
	// the stack's config and outputs after the drill
	configAfter  auto.ConfigMap
	outputsAfter auto.OutputMap
	afterErr     error
}

// TestDrillWithPulumiCLI runs the scenarios concurrently (each on its own stack,
// backend and world: they spend their time waiting on pulumi and the clock, and
// -parallel defaults to the number of CPUs), then checks each.
func TestDrillWithPulumiCLI(t *testing.T) {
	t.Parallel()
	root := pulumiRoot(t)
	if root == "" {
		t.Skip("bin/pulumi not found: build it with tools/build-pulumi.sh (.ci/run does)")
	}
	exports := programExports(t)
	scenarios := []*scenario{
		{name: "staging", setup: func(w *world, _ *Options, _ context.CancelFunc) {
			w.switchAfter, w.mixedFor, w.backAfter, w.coldErrors = 5*time.Second, 1500*time.Millisecond, 1500*time.Millisecond, 2
		}, check: checkMeasured},
		{name: "timeout", setup: func(w *world, opt *Options, _ context.CancelFunc) {
			// never switches, and one GET during the drill gets no answer in time
			w.eastHangs = 1
			opt.Timeout = 4 * time.Second
		}, check: checkTimedOut},
		{name: "interrupt", setup: func(_ *world, opt *Options, cancel context.CancelFunc) {
			opt.Progress = func(e Event) {
				if strings.HasPrefix(e.Text, "drill applied") {
					time.AfterFunc(time.Second, cancel) // Ctrl-C while probing
				}
			}
		}, check: checkInterrupted},
	}
	var wg sync.WaitGroup
	for _, sc := range scenarios {
		sc.w, sc.dir = newWorld(t), t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sc.s, sc.setupErr = deployStack(root, sc.dir, sc.w, sc.name, exports); sc.setupErr != nil {
				return
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opt := fastOptions()
			sc.setup(sc.w, &opt, cancel)
			progress := opt.Progress
			opt.Progress = func(e Event) {
				sc.events = append(sc.events, fmt.Sprintf("%6.2fs %s", e.Seconds, e.Text))
				if progress != nil {
					progress(e)
				}
			}
			sc.rep, sc.err = sc.w.drill(NewAutoStack(sc.s)).Run(ctx, opt)
			bg := context.Background()
			if sc.configAfter, sc.afterErr = sc.s.GetAllConfig(bg); sc.afterErr == nil {
				sc.outputsAfter, sc.afterErr = sc.s.Outputs(bg)
			}
		}()
	}
	wg.Wait()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			require.NoError(t, sc.setupErr)
			require.NotNil(t, sc.rep, "error %v", sc.err)
			sc.check(t, sc.w, sc.rep, sc.err)
			assertReverted(t, sc)
			if t.Failed() {
				t.Logf("timeline:\n%s", strings.Join(sc.events, "\n"))
			}
		})
	}
}

func checkMeasured(t *testing.T, w *world, rep *Report, err error) {
	require.NoError(t, err)
	f := rep.Failover
	require.NotNil(t, f.FirstSeconds)
	require.NotNil(t, f.AllSeconds)
	// The world switches a known delay after the program deployed the drill; the
	// drill measures from the end of the apply (the end of `pulumi up`). On a
	// very loaded machine the up may end after the switch: then the first probe
	// already sees it, and the expectation is 0.
	wantFirst := w.switchAt().Sub(f.AppliedAt).Seconds()
	if wantFirst < 0.5 {
		t.Logf("pulumi up ended %.1fs after the world switched", -wantFirst)
	}
	assert.InDelta(t, max(wantFirst, 0), *f.FirstSeconds, tolerance, "first answer from us-west-2")
	// a sample is timed when its round starts; its answer may come a little later
	assert.GreaterOrEqual(t, *f.FirstSeconds, wantFirst-0.5, "an answer cannot move before the world did")
	assert.InDelta(t, max(wantFirst+w.mixedFor.Seconds(), 0), *f.AllSeconds, tolerance, "every answer from us-west-2")
	assert.Equal(t, 2, f.Non2xx, "us-west-2's cold 503s")
	assert.Equal(t, 0, f.Timeouts+f.Errors+f.Unclassified)

	b := rep.Failback
	require.NotNil(t, b.AllSeconds)
	wantBack := w.backAt().Sub(b.AppliedAt).Seconds()
	assert.InDelta(t, max(wantBack, 0), *b.FirstSeconds, tolerance, "first answer back from us-east-1")
	assert.Equal(t, 0, b.ErrorsSeen())

	assert.Equal(t, []string{"us-east-1"}, rep.BaselineRegions)
	assert.Equal(t, 2700, rep.RTOTargetSeconds, "staging's multiregion:rtoSeconds")
	assert.Equal(t, VerdictMet, rep.Verdict)
	assert.True(t, rep.Reverted)
	assert.True(t, rep.Passed, "%v", rep.Problems)
	assert.Equal(t, fmt.Sprintf("http://staging.app.example.com:%d/", w.port), rep.Probe.URL)
	assert.Equal(t, "us-east-1", rep.Database.WriterDuring)

	// the report is kept and found again
	dir := t.TempDir()
	path, err := rep.Save(dir)
	require.NoError(t, err)
	last, lastPath, err := Last(dir, "staging")
	require.NoError(t, err)
	assert.Equal(t, path, lastPath)
	assert.Equal(t, rep.Summary(), last.Summary())
	if out := os.Getenv("DRILL_SAMPLE_REPORT"); out != "" {
		// DRILL_SAMPLE_REPORT=FILE go test ./drill -run TestDrillWithPulumiCLI
		// writes the sample report the README shows.
		var b strings.Builder
		require.NoError(t, rep.WriteText(&b))
		require.NoError(t, os.WriteFile(out, []byte(b.String()), 0o644))
	}
}

func checkTimedOut(t *testing.T, _ *world, rep *Report, err error) {
	require.NoError(t, err)
	assert.Equal(t, endTimeout, rep.Failover.Ended)
	assert.Equal(t, 1, rep.Failover.Timeouts, "the real HTTP client's timeout is counted as a timeout")
	assert.Equal(t, 0, rep.Failover.Errors+rep.Failover.Non2xx)
	assert.Nil(t, rep.Failover.FirstSeconds)
	assert.InDelta(t, 4.0, rep.Failover.EndedAt.Sub(rep.Failover.AppliedAt).Seconds(), tolerance+0.5)
	assert.Equal(t, VerdictUnverified, rep.Verdict)
	assert.False(t, rep.Passed)
	assert.True(t, rep.Reverted)
}

func checkInterrupted(t *testing.T, _ *world, rep *Report, err error) {
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, rep.Interrupted)
	assert.Equal(t, endInterrupted, rep.Failover.Ended)
	assert.True(t, rep.Reverted)
	assert.False(t, rep.Passed)
}
