package drill

import (
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

func dnsS(s float64, regions ...string) Sample {
	return Sample{At: at(s), Probe: ProbeDNS, Regions: regions}
}

func httpS(s float64, status int, regions ...string) Sample {
	return Sample{At: at(s), Probe: ProbeHTTP, Status: status, Regions: regions}
}

// feed runs ticks through a tracker and returns the tick at which it completed (-1: never).
func feed(tr *tracker, ticks [][]Sample) int {
	for i, tick := range ticks {
		if tr.observe(tick[0].At, tick) {
			return i
		}
	}
	return -1
}

func TestFailoverTrackerFirstAllAndErrors(t *testing.T) {
	t.Parallel()
	p := &Phase{AppliedAt: t0}
	tr := failoverTracker(p, 2*time.Second, "us-east-1")
	ticks := [][]Sample{
		{dnsS(0, "us-east-1"), httpS(0, 200, "us-east-1")},
		{dnsS(1, "us-east-1", "us-west-2"), httpS(1, 503, "us-west-2")},      // first: mixed answer
		{dnsS(2, "us-west-2"), httpS(2, 503, "us-west-2")},                   // all moved from 2
		{dnsS(3, "us-west-2"), {At: at(3), Probe: ProbeHTTP, Timeout: true}}, // a timeout ends the run
		{dnsS(4, "us-west-2"), httpS(4, 200, "us-west-2")},                   // run from 4
		{dnsS(5, "us-west-2"), httpS(5, 200, "us-west-2")},
		{dnsS(6, "us-west-2"), httpS(6, 200, "us-west-2")}, // 6-4 >= settle: complete
		{dnsS(7, "us-west-2"), httpS(7, 200, "us-west-2")},
	}
	require.Equal(t, 6, feed(tr, ticks))
	require.NotNil(t, p.FirstSeconds)
	assert.Equal(t, 1.0, *p.FirstSeconds)
	assert.Equal(t, []string{"us-east-1", "us-west-2"}, p.FirstRegions)
	require.NotNil(t, p.AllSeconds)
	assert.Equal(t, 4.0, *p.AllSeconds)
	assert.True(t, p.Complete)
	assert.Equal(t, 14, p.Probes)
	assert.Equal(t, 2, p.Non2xx)
	assert.Equal(t, 1, p.Timeouts)
	assert.Equal(t, 3, p.ErrorsSeen())
}

func TestFailoverTrackerUnknownNeverCountsAsMoved(t *testing.T) {
	t.Parallel()
	p := &Phase{AppliedAt: t0}
	tr := failoverTracker(p, 0, "us-east-1")
	// An answer that points at an address no region has (a proxy, a parking
	// page, a hijacked record) has left us-east-1 but has not provably moved.
	unknown := Sample{At: at(1), Probe: ProbeDNS, Unknown: true, Answer: "203.0.113.9"}
	partly := Sample{At: at(2), Probe: ProbeDNS, Regions: []string{"us-west-2"}, Unknown: true}
	assert.Equal(t, -1, feed(tr, [][]Sample{{unknown}, {partly}}))
	assert.Nil(t, p.AllSeconds)
	assert.Equal(t, 2, p.Unclassified)
	// partly still counts as the first answer from another region
	require.NotNil(t, p.FirstSeconds)
	assert.Equal(t, 2.0, *p.FirstSeconds)
	assert.Equal(t, 0, feed(tr, [][]Sample{{dnsS(3, "us-west-2")}}))
	assert.Equal(t, 3.0, *p.AllSeconds)
}

func TestFailoverTrackerEmptyTickNeverCompletes(t *testing.T) {
	t.Parallel()
	tr := failoverTracker(&Phase{AppliedAt: t0}, 0, "us-east-1")
	assert.False(t, tr.observe(at(1), nil))
}

func TestFailbackTrackerNeedsTheRegionBack(t *testing.T) {
	t.Parallel()
	p := &Phase{AppliedAt: t0}
	// weighted across two regions before the drill: answers from us-west-2
	// alone are "in the baseline" but the failed region has not come back yet.
	tr := failbackTracker(p, time.Second, "us-east-1", []string{"us-east-1", "us-west-2"})
	ticks := [][]Sample{
		{dnsS(0, "us-west-2")},
		{dnsS(1, "us-west-2")},
		{dnsS(2, "us-west-2")},
		{dnsS(3, "us-east-1")}, // first back
		{dnsS(4, "us-west-2")},
	}
	require.Equal(t, 3, feed(tr, ticks))
	assert.Equal(t, 3.0, *p.FirstSeconds)
	// every answer was in the baseline since 0, but it counts from the return of us-east-1
	assert.Equal(t, 3.0, *p.AllSeconds)
}

func TestFailbackTrackerRejectsANewRegion(t *testing.T) {
	t.Parallel()
	p := &Phase{AppliedAt: t0}
	tr := failbackTracker(p, 0, "us-east-1", []string{"us-east-1"})
	assert.False(t, tr.observe(at(0), []Sample{dnsS(0, "us-east-1"), httpS(0, 200, "us-west-2")}))
	assert.True(t, tr.observe(at(1), []Sample{dnsS(1, "us-east-1"), httpS(1, 200, "us-east-1")}))
	assert.Equal(t, 0.0, *p.FirstSeconds)
	assert.Equal(t, 1.0, *p.AllSeconds)
}

func TestSecondsClampsAndRounds(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 0.0, *seconds(-time.Second))
	assert.Equal(t, 1.235, *seconds(1234567 * time.Microsecond))
}

func TestClassifier(t *testing.T) {
	t.Parallel()
	c := newClassifier(
		map[string]string{"us-east-1": "East-LB.example.com.", "us-west-2": "west-lb.example.com"},
		map[string][]string{"us-east-1": {"10.0.0.1", "10.0.0.9"}, "us-west-2": {"10.0.1.1", "10.0.0.9"}})
	for _, tc := range []struct {
		name    string
		a       DNSAnswer
		regions []string
		unknown bool
	}{
		{"address", DNSAnswer{Addrs: []string{"10.0.0.1"}}, []string{"us-east-1"}, false},
		{"both", DNSAnswer{Addrs: []string{"10.0.1.1", "10.0.0.1"}}, []string{"us-east-1", "us-west-2"}, false},
		{"cname wins", DNSAnswer{CNAMEs: []string{"east-lb.example.com"}, Addrs: []string{"192.0.2.1"}}, []string{"us-east-1"}, false},
		{"foreign", DNSAnswer{Addrs: []string{"192.0.2.1"}}, nil, true},
		{"shared address is unknown", DNSAnswer{Addrs: []string{"10.0.0.9"}}, nil, true},
		{"partly foreign", DNSAnswer{Addrs: []string{"10.0.1.1", "192.0.2.1"}}, []string{"us-west-2"}, true},
	} {
		regions, unknown := c.dns(tc.a)
		assert.Equal(t, tc.regions, regions, tc.name)
		assert.Equal(t, tc.unknown, unknown, tc.name)
	}
	r, u := c.addr("10.0.1.1")
	assert.Equal(t, []string{"us-west-2"}, r)
	assert.False(t, u)
	_, u = c.addr("127.0.0.1")
	assert.True(t, u)
}

// programExports are the outputs stacks/program.go exports (the real program).
func programExports(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile("../stacks/program.go")
	require.NoError(t, err)
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`ctx\.Export\("([A-Za-z]+)"`).FindAllStringSubmatch(string(src), -1) {
		out[m[1]] = true
	}
	require.NotEmpty(t, out)
	return out
}

// The outputs the drill reads are the real program's.
func TestOutputsAreExported(t *testing.T) {
	t.Parallel()
	exports := programExports(t)
	for _, name := range []string{OutputRegions, OutputPrimaryRegion, OutputEndpoints, OutputHealthCheckURLs,
		OutputDNSName, OutputDatabaseMode, OutputWriterRegion, OutputDrillFailRegion} {
		assert.True(t, exports[name], "stacks/program.go does not export %q, which the drill reads", name)
	}
}
