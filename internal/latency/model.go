package latency

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/multiregion/multiregion/internal/dbmodes"
)

// Thresholds of the verdict.
const (
	// NearMs: users within this RTT of the primary are "near" it. It is a
	// same-part-of-a-continent round trip in the data (us-east-1 to us-east-2
	// 15 ms, eu-central-1 to eu-west-1 27 ms), below a cross-continent one
	// (us-east-1 to us-west-2 64 ms).
	NearMs = 50.0
	// NearShare: when at least this share of users is near the primary, extra
	// regions cannot buy them much latency.
	NearShare = 0.9
	// LittleGainMs: a median improvement below this is reported as "no real change".
	LittleGainMs = 10.0
)

// Sources of the write-path and failover facts the report states.
const (
	SourceAuroraWriteForwarding = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html"
	SourceAuroraGlobal          = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html"
	SourceRDSCrossRegion        = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html"
	SourceDynamoDBGlobal        = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html"
	SourceRoute53Health         = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html"
)

// Scenario summarises one routing state over all users.
type Scenario struct {
	// MedianMs and P95Ms are user-weighted percentiles of the estimated RTT of
	// the users that are served and have an estimate (nil: none).
	MedianMs *float64 `json:"medianMs"`
	P95Ms    *float64 `json:"p95Ms"`
	// Coverage is the share of users with an estimate.
	Coverage float64 `json:"coverage"`
	// Unserved is the share of users no healthy region serves.
	Unserved float64 `json:"unserved"`
}

// LocationResult is one user location.
type LocationResult struct {
	Code  string  `json:"location"`
	Name  string  `json:"name"`
	Share float64 `json:"share"`
	// Serving are the regions that serve it, with shares; RTTMs its mean RTT
	// over its anchors (nil: unknown).
	Serving []RegionShare `json:"serving"`
	RTTMs   *float64      `json:"rttMs"`
	// BaselineMs is its mean RTT to the primary alone.
	BaselineMs *float64 `json:"baselineMs"`
	// PrimaryDown and PrimaryDownMs are the same with the primary region down
	// (empty: nobody serves it).
	PrimaryDown   []RegionShare `json:"primaryDown"`
	PrimaryDownMs *float64      `json:"primaryDownMs"`
	// Missing says why an estimate is missing ("" when complete).
	Missing string `json:"missing,omitempty"`
}

// RegionWrite is the cost of a write from the app in one serving region.
type RegionWrite struct {
	Region string `json:"region"`
	// WritesTo is the region that takes the write ("" = none can).
	WritesTo string `json:"writesTo"`
	// AddedMs is the cross-region RTT added to each write (0: local; nil: unknown).
	AddedMs *float64 `json:"addedMs"`
}

// WritePath says where writes go and what a cross-region write adds.
type WritePath struct {
	Mode string `json:"mode"`
	// Writer is the region that takes writes ("" for multi-writer modes).
	Writer string `json:"writer"`
	// Regions are the serving regions under normal routing.
	Regions []RegionWrite `json:"regions"`
	// UserAddedMs is the user-weighted mean RTT added per write.
	UserAddedMs *float64 `json:"userAddedMs"`
	// Summary says how writes and replication work in this mode.
	Summary string `json:"summary"`
	// AfterPrimaryLoss says where writes go once the primary region is lost.
	AfterPrimaryLoss string `json:"afterPrimaryLoss"`
	// Source is the AWS documentation the summary rests on.
	Source string `json:"source"`
}

// Report is the latency section of a stack.
type Report struct {
	Stack   string `json:"stack"`
	Primary string `json:"primary"`
	Routing string `json:"routing"`
	// NeedsUsers is set when multiregion:users is missing: nothing else is.
	NeedsUsers bool `json:"needsUsers,omitempty"`
	// Error says why no estimate could be made (set by callers that could not
	// build the Stack; Evaluate returns an error instead).
	Error     string           `json:"error,omitempty"`
	Locations []LocationResult `json:"locations,omitempty"`
	// Normal is the stack as routed; Baseline the primary alone;
	// PrimaryDown the stack with the primary region down.
	Normal      Scenario  `json:"normal"`
	Baseline    Scenario  `json:"baseline"`
	PrimaryDown Scenario  `json:"primaryDown"`
	Writes      WritePath `json:"writes"`
	// Verdict is the one-line answer to "what does the premium buy";
	// Warning is set when it buys little.
	Verdict string `json:"verdict"`
	Warning bool   `json:"warning"`
	// Notes qualify the estimate (drills, missing data, modelling limits).
	Notes []string `json:"notes,omitempty"`
	// Sources name the data and documentation behind the numbers.
	Sources []string `json:"sources"`
}

// Premium is the cost side of the verdict.
type Premium struct {
	// MonthlyUSD is the multi-region premium over the single-region baseline.
	MonthlyUSD float64
	// Known is false when no cost estimate exists.
	Known bool
}

// Evaluate builds the latency report of a stack.
func Evaluate(s Stack, d *Data, premium Premium) (*Report, error) {
	if len(s.Regions) == 0 {
		return nil, fmt.Errorf("stack %q has no regions", s.Name)
	}
	rep := &Report{Stack: s.Name, Primary: s.Primary(), Routing: s.Provider + " " + s.Routing,
		Sources: []string{
			fmt.Sprintf("region pairs: CloudPing p50 over one year to %s (snapshot %s %s@%s)", d.Pairs.Date, d.Pairs.Repo, d.Pairs.Path, short(d.Pairs.Commit)),
			"user locations: anchor regions and population shares in internal/latency/data.json; the last mile is excluded (the same whichever region serves)",
		}}
	if len(s.Users) == 0 {
		rep.NeedsUsers = true
		rep.Verdict = "the latency estimate needs multiregion:users (shares of users per location, e.g. {\"NA\": 0.6, \"EU\": 0.4})"
		return rep, nil
	}
	if problems := d.CheckUsers(s.Users); len(problems) > 0 {
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, strings.TrimPrefix(p.Key+": "+p.Message, ": "))
		}
		return nil, fmt.Errorf("multiregion:users: %s", strings.Join(msgs, "; "))
	}
	normalDown := map[string]bool{}
	if s.FailRegion != "" {
		normalDown[s.FailRegion] = true
		rep.Notes = append(rep.Notes, fmt.Sprintf("a drill forces %s unhealthy: \"as routed\" is the drill's routing", s.FailRegion))
	}
	primaryDown := map[string]bool{s.Primary(): true}
	baseline := Stack{Regions: s.Regions[:1], Routing: RoutingSimple}

	var normalPts, basePts, downPts []point
	codes := slices.Sorted(maps.Keys(s.Users))
	sort.SliceStable(codes, func(i, j int) bool { return s.Users[codes[i]] > s.Users[codes[j]] })
	for _, code := range codes {
		loc, _ := d.Location(code)
		lr := LocationResult{Code: code, Name: loc.Name, Share: s.Users[code]}
		n, err := points(s, d, loc, s.Users[code], normalDown)
		if err != nil {
			lr.Missing = err.Error()
		}
		b, _ := points(baseline, d, loc, s.Users[code], nil)
		p, err := points(s, d, loc, s.Users[code], primaryDown)
		if err != nil && lr.Missing == "" {
			lr.Missing = err.Error()
		}
		for _, pts := range [][]point{n, b, p} {
			for _, pt := range pts {
				if !pt.known && pt.why != "" && lr.Missing == "" {
					lr.Missing = pt.why
				}
			}
		}
		lr.Serving, lr.RTTMs = summarise(n, s.Users[code])
		_, lr.BaselineMs = summarise(b, s.Users[code])
		lr.PrimaryDown, lr.PrimaryDownMs = summarise(p, s.Users[code])
		rep.Locations = append(rep.Locations, lr)
		normalPts, basePts, downPts = append(normalPts, n...), append(basePts, b...), append(downPts, p...)
	}
	rep.Normal, rep.Baseline, rep.PrimaryDown = scenario(normalPts), scenario(basePts), scenario(downPts)
	if s.Routing == RoutingGeolocation {
		for _, code := range codes {
			loc, _ := d.Location(code)
			if loc.Kind != "continent" {
				continue
			}
			var countries []string
			for _, k := range slices.Sorted(maps.Keys(s.Geo)) {
				if c, ok := d.Location(k); ok && c.Kind == "country" && c.Continent == code && s.Users[k] == 0 {
					countries = append(countries, k)
				}
			}
			if len(countries) > 0 {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s users are given as a continent, so dns.geo's entries for %s are not applied to them: give those countries' shares in multiregion:users", code, strings.Join(countries, ", ")))
			}
		}
	}
	for _, lr := range rep.Locations {
		if lr.Missing != "" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s (%.0f%% of users) has no complete estimate: %s", lr.Code, 100*lr.Share, lr.Missing))
		}
	}
	rep.Writes = writePath(s, d, normalPts)
	rep.Verdict, rep.Warning = verdict(s, rep, basePts, premium)
	rep.Sources = append(rep.Sources, rep.Writes.Source, SourceRoute53Health)
	return rep, nil
}

// points routes every anchor of a location; weights are share x anchor weight x region share.
func points(s Stack, d *Data, loc Location, share float64, down map[string]bool) ([]point, error) {
	var out []point
	var firstErr error
	for _, a := range loc.Anchors {
		w := share * a.Weight
		serving, err := Route(s, d, loc, a.Region, down)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			out = append(out, point{location: loc.Code, anchor: a.Region, weight: w, why: err.Error(), region: unrouted})
			continue
		}
		if len(serving) == 0 {
			out = append(out, point{location: loc.Code, anchor: a.Region, weight: w})
			continue
		}
		for _, rs := range serving {
			pt := point{location: loc.Code, anchor: a.Region, region: rs.Region, weight: w * rs.Share}
			ms, err := d.RTT(a.Region, rs.Region)
			if err != nil {
				pt.why = err.Error()
			} else {
				pt.ms, pt.known = ms, true
			}
			out = append(out, pt)
		}
	}
	return out, firstErr
}

// summarise returns the regions serving a location (shares of its users) and
// its user-weighted mean RTT: a location's anchors are a mixture (EU: Frankfurt,
// London, Paris, ...), and the mean shows the whole mixture where a median
// would show only its largest part.
func summarise(pts []point, share float64) ([]RegionShare, *float64) {
	by := map[string]float64{}
	for _, pt := range pts {
		if pt.region != "" && pt.region != unrouted {
			by[pt.region] += pt.weight / share
		}
	}
	var out []RegionShare
	for _, r := range slices.Sorted(maps.Keys(by)) {
		out = append(out, RegionShare{r, round(by[r], 3)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Share > out[j].Share })
	if out == nil {
		out = []RegionShare{}
	}
	if complete(pts) {
		sum, w := 0.0, 0.0
		for _, pt := range pts {
			if pt.known {
				sum += pt.ms * pt.weight
				w += pt.weight
			}
		}
		if w > 0 {
			return out, ptr(round(sum/w, 1))
		}
	}
	return out, nil
}

// complete reports whether every served point has an estimate.
func complete(pts []point) bool {
	for _, pt := range pts {
		if pt.region != "" && !pt.known {
			return false
		}
	}
	return true
}

func scenario(pts []point) Scenario {
	var sc Scenario
	total := 0.0
	for _, pt := range pts {
		total += pt.weight
		switch {
		case pt.region == "":
			sc.Unserved += pt.weight
		case pt.known:
			sc.Coverage += pt.weight
		}
	}
	if total > 0 {
		sc.Coverage, sc.Unserved = round(sc.Coverage/total, 3), round(sc.Unserved/total, 3)
	}
	if ms, ok := percentile(pts, 0.5); ok {
		sc.MedianMs = ptr(round(ms, 1))
	}
	if ms, ok := percentile(pts, 0.95); ok {
		sc.P95Ms = ptr(round(ms, 1))
	}
	return sc
}

// writePath says where the app in each serving region writes.
func writePath(s Stack, d *Data, normal []point) WritePath {
	wp := WritePath{Mode: s.DatabaseMode, Writer: s.Primary()}
	next := "another region"
	if len(s.Regions) > 1 {
		next = s.Regions[1]
	}
	o, _ := dbmodes.ObjectivesFor(s.DatabaseMode)
	switch s.DatabaseMode {
	case ModeRDS:
		wp.Summary = "one RDS instance in " + s.Primary() + " takes every write; there is no cross-region copy"
		wp.AfterPrimaryLoss = fmt.Sprintf("no writes until the database is restored from backups in another region (RPO ~%s, RTO ~%s)", Spoken(o.RPO), Spoken(o.RTO))
		wp.Source = SourceRDSCrossRegion
	case ModeRDSReplica:
		wp.Summary = "writes go to the primary instance in " + s.Primary() + "; the cross-region read replicas are read-only and asynchronous (seconds behind) until one is promoted"
		wp.AfterPrimaryLoss = fmt.Sprintf("no writes until the replica in %s is promoted (RTO ~%s), then writes are local there", next, Spoken(o.RTO))
		wp.Source = SourceRDSCrossRegion
	case ModeAuroraGlobal:
		if s.WriteForwarding {
			wp.Summary = "the writer cluster in " + s.Primary() + " takes every write; an app in a secondary region writes through write forwarding, paying one round trip to the writer per write statement; storage replication to the secondaries is typically under a second"
		} else {
			wp.Summary = "the writer cluster in " + s.Primary() + " takes every write; secondary clusters are read-only (without write forwarding an app there must connect to the writer across regions, one round trip per statement); storage replication is typically under a second"
		}
		wp.AfterPrimaryLoss = fmt.Sprintf("a global database failover makes the cluster in %s the writer (RTO ~%s, RPO ~%s); writes from %s are then local", next, Spoken(o.RTO), Spoken(o.RPO), next)
		wp.Source = SourceAuroraWriteForwarding + " ; " + SourceAuroraGlobal
	case ModeDynamoDBGlobal:
		wp.Writer = ""
		wp.Summary = "every region writes its own replica locally; replication to the others is asynchronous, typically within a second, and concurrent writes to one item resolve as last writer wins"
		wp.AfterPrimaryLoss = fmt.Sprintf("the other regions keep writing locally; writes not yet replicated from %s (~%s) may be lost", s.Primary(), Spoken(o.RPO))
		wp.Source = SourceDynamoDBGlobal
	default:
		wp.Summary = fmt.Sprintf("database mode %q is not modelled", s.DatabaseMode)
	}
	added := func(region string) *float64 {
		if wp.Writer == "" || region == wp.Writer {
			return ptr(0)
		}
		ms, err := d.RTT(region, wp.Writer)
		if err != nil {
			return nil
		}
		return ptr(ms)
	}
	seen := map[string]bool{}
	sum, weight, known := 0.0, 0.0, true
	for _, pt := range normal {
		if pt.region == "" || pt.region == unrouted {
			continue
		}
		a := added(pt.region)
		if !seen[pt.region] {
			seen[pt.region] = true
			writesTo := wp.Writer
			if writesTo == "" {
				writesTo = pt.region
			}
			wp.Regions = append(wp.Regions, RegionWrite{Region: pt.region, WritesTo: writesTo, AddedMs: a})
		}
		if a == nil {
			known = false
			continue
		}
		sum += *a * pt.weight
		weight += pt.weight
	}
	sort.Slice(wp.Regions, func(i, j int) bool {
		return slices.Index(s.Regions, wp.Regions[i].Region) < slices.Index(s.Regions, wp.Regions[j].Region)
	})
	if known && weight > 0 {
		wp.UserAddedMs = ptr(round(sum/weight, 1))
	}
	return wp
}

// verdict is the one line on what the premium buys, and whether it buys little.
func verdict(s Stack, rep *Report, base []point, premium Premium) (string, bool) {
	single, _ := dbmodes.ObjectivesFor(ModeRDS)
	mode, err := dbmodes.ObjectivesFor(s.DatabaseMode)
	if err != nil {
		mode = single
	}
	near, total := 0.0, 0.0
	for _, pt := range base {
		total += pt.weight
		if pt.known && pt.ms <= NearMs {
			near += pt.weight
		}
	}
	nearShare := 0.0
	if total > 0 {
		nearShare = near / total
	}
	if s.Topology == TopologySingle || len(s.Regions) == 1 {
		line := fmt.Sprintf("single region: no multi-region premium; losing %s means restoring from backups (RPO ~%s, RTO ~%s)",
			s.Primary(), Spoken(single.RPO), Spoken(single.RTO))
		if nearShare < NearShare {
			line += fmt.Sprintf("; %.0f%% of users are more than %.0f ms from %s", 100*(1-nearShare), NearMs, s.Primary())
		}
		return line, false
	}
	cost := "the multi-region premium"
	if premium.Known {
		cost = fmt.Sprintf("the premium of $%.2f/month", premium.MonthlyUSD)
	}
	var changes []string
	for _, lr := range rep.Locations {
		if lr.BaselineMs == nil || lr.RTTMs == nil {
			changes = append(changes, lr.Code+" unknown")
			continue
		}
		changes = append(changes, fmt.Sprintf("%s %.0f->%.0f ms", lr.Code, *lr.BaselineMs, *lr.RTTMs))
	}
	recovery := fmt.Sprintf("RPO ~%s/RTO ~%s instead of ~%s/~%s with one region and backups", Spoken(mode.RPO), Spoken(mode.RTO), Spoken(single.RPO), Spoken(single.RTO))
	line := fmt.Sprintf("%s buys %s; latency %s", cost, recovery, strings.Join(changes, ", "))
	gain := 0.0
	if rep.Baseline.MedianMs != nil && rep.Normal.MedianMs != nil {
		gain = *rep.Baseline.MedianMs - *rep.Normal.MedianMs
	}
	targetsNeedCopy := (s.RPOSeconds > 0 && time.Duration(s.RPOSeconds)*time.Second < single.RPO) ||
		(s.RTOSeconds > 0 && time.Duration(s.RTOSeconds)*time.Second < single.RTO)
	if nearShare >= NearShare && gain < LittleGainMs && s.Residency == "none" && !targetsNeedCopy {
		return fmt.Sprintf("WARNING: %s buys little: %.0f%% of users are within %.0f ms of %s already (median %s), there is no residency reason, and the declared RPO/RTO targets are met by one region with backups; consider topology single with a CDN for static assets",
			cost, 100*nearShare, NearMs, s.Primary(), msOf(rep.Normal.MedianMs)), true
	}
	if gain < LittleGainMs {
		line += "; it buys recovery, not latency"
	}
	return line, false
}

func msOf(v *float64) string {
	if v == nil {
		return "unknown"
	}
	return fmt.Sprintf("%.0f ms", *v)
}

// Spoken formats a duration the way people say it: 1s, 1m, 30m, 24h (the
// reports' RPO/RTO classes).
func Spoken(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

func ptr(v float64) *float64 { return &v }

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
