package drill

import (
	"slices"
	"time"
)

// Probe kinds.
const (
	ProbeDNS  = "dns"
	ProbeHTTP = "http"
)

// Sample is one probe's answer, classified by region.
type Sample struct {
	// At is when the probe started.
	At time.Time `json:"at"`
	// Probe is "dns" or "http".
	Probe string `json:"probe"`
	// Regions are the stack's regions the answer pointed at (DNS: the regions of
	// its addresses or CNAME targets; HTTP: the region of the address the request
	// connected to). Empty when nothing could be classified.
	Regions []string `json:"regions,omitempty"`
	// Unknown is set when part of the answer matched no region of the stack (an
	// address no load balancer of the stack has): such an answer never counts as
	// moved, because where it goes cannot be verified.
	Unknown bool `json:"unknown,omitempty"`
	// Answer is what came back, for the timeline: addresses, or the HTTP status.
	Answer string `json:"answer,omitempty"`
	// Status is the HTTP status (0 for DNS, or when no response came).
	Status int `json:"status,omitempty"`
	// Timeout is set when the probe got no answer in time.
	Timeout bool `json:"timeout,omitempty"`
	// Err is any other failure (refused, SERVFAIL, NXDOMAIN, TLS...).
	Err string `json:"error,omitempty"`
}

// failed reports whether a user would have seen an error: a timeout, a failure,
// or an HTTP status outside 2xx.
func (s Sample) failed() bool {
	return s.Timeout || s.Err != "" || (s.Probe == ProbeHTTP && (s.Status < 200 || s.Status > 299))
}

// has reports whether the answer points at region.
func (s Sample) has(region string) bool { return slices.Contains(s.Regions, region) }

// Phase is the measurement of one switch of traffic: the failover after the drill
// is applied, or the fail-back after it is removed. Times are seconds from the end
// of the apply (the `pulumi up`) that started the phase.
type Phase struct {
	// ApplyStartedAt and AppliedAt bound the `pulumi up` of this phase.
	ApplyStartedAt time.Time `json:"applyStartedAt"`
	AppliedAt      time.Time `json:"appliedAt"`
	// FirstSeconds is the time to the first answer from where traffic goes
	// (failover: another region; fail-back: the drilled region again); nil when none came.
	FirstSeconds *float64 `json:"firstSeconds"`
	// FirstRegions are the regions of that first answer.
	FirstRegions []string `json:"firstRegions,omitempty"`
	// AllSeconds is the time from which every answer had moved and stayed so for
	// the settle time; nil when that was not observed.
	AllSeconds *float64 `json:"allSeconds"`
	// Complete is set when AllSeconds was observed (the phase ended by itself,
	// not by a timeout, an error or an interruption).
	Complete bool `json:"complete"`
	// EndedAt is when probing stopped; Ended says why.
	EndedAt time.Time `json:"endedAt"`
	Ended   string    `json:"ended"`
	// Probes counts the answers; the others count the problems among them.
	Probes int `json:"probes"`
	// Non2xx counts HTTP answers outside 2xx.
	Non2xx int `json:"non2xx"`
	// Timeouts counts probes that got no answer in time (DNS and HTTP).
	Timeouts int `json:"timeouts"`
	// Errors counts other failed probes (refused, SERVFAIL, NXDOMAIN, TLS).
	Errors int `json:"errors"`
	// Unclassified counts answers pointing, at least partly, at no region of the stack.
	Unclassified int `json:"unclassified"`
}

// ErrorsSeen is everything users would have seen fail during the phase.
func (p *Phase) ErrorsSeen() int { return p.Non2xx + p.Timeouts + p.Errors }

// tracker measures a phase from ticks of samples.
//
// The first answer is the first sample for which first() holds. "Every answer has
// moved" is the start of the run of ticks in which every sample moved(), once
// that run has lasted settle and the first answer has been seen: a tick with any
// sample that did not move (an answer from the old region, an unknown address, a
// probe that got no answer) ends the run, so a flapping answer is never counted
// as moved.
type tracker struct {
	phase  *Phase
	settle time.Duration
	first  func(Sample) bool
	moved  func(Sample) bool

	firstAt time.Time
	runFrom time.Time // zero: no run
}

func newTracker(p *Phase, settle time.Duration, first, moved func(Sample) bool) *tracker {
	return &tracker{phase: p, settle: settle, first: first, moved: moved}
}

// failoverTracker: traffic leaves region for another region of the stack.
func failoverTracker(p *Phase, settle time.Duration, region string) *tracker {
	return newTracker(p, settle,
		func(s Sample) bool {
			for _, r := range s.Regions {
				if r != region {
					return true
				}
			}
			return false
		},
		func(s Sample) bool { return len(s.Regions) > 0 && !s.Unknown && !s.has(region) })
}

// failbackTracker: traffic returns to region, and every answer is again from a
// region that served before the drill (baseline, which holds region).
func failbackTracker(p *Phase, settle time.Duration, region string, baseline []string) *tracker {
	return newTracker(p, settle,
		func(s Sample) bool { return s.has(region) },
		func(s Sample) bool {
			if len(s.Regions) == 0 || s.Unknown {
				return false
			}
			for _, r := range s.Regions {
				if !slices.Contains(baseline, r) {
					return false
				}
			}
			return true
		})
}

// observe records one tick's samples (all started at the same time) and reports
// whether the phase is complete.
func (t *tracker) observe(at time.Time, samples []Sample) bool {
	p := t.phase
	allMoved := len(samples) > 0
	for _, s := range samples {
		p.Probes++
		switch {
		case s.Timeout:
			p.Timeouts++
		case s.Err != "":
			p.Errors++
		case s.Probe == ProbeHTTP && s.failed():
			p.Non2xx++
		}
		if s.Unknown {
			p.Unclassified++
		}
		if t.firstAt.IsZero() && t.first(s) {
			t.firstAt = s.At
			p.FirstSeconds = seconds(s.At.Sub(p.AppliedAt))
			p.FirstRegions = s.Regions
		}
		if !t.moved(s) {
			allMoved = false
		}
	}
	switch {
	case !allMoved:
		t.runFrom = time.Time{}
	case t.runFrom.IsZero():
		t.runFrom = at
	}
	if t.runFrom.IsZero() || t.firstAt.IsZero() || at.Sub(t.runFrom) < t.settle {
		return false
	}
	from := t.runFrom
	if t.firstAt.After(from) {
		from = t.firstAt
	}
	p.AllSeconds = seconds(from.Sub(p.AppliedAt))
	p.Complete = true
	return true
}

// seconds rounds d to milliseconds and returns it in seconds; a sample started
// before the apply ended counts as 0.
func seconds(d time.Duration) *float64 {
	if d < 0 {
		d = 0
	}
	v := float64(d.Round(time.Millisecond)) / float64(time.Second)
	return &v
}
