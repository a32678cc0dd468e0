// Package latency estimates what a stack's regions buy its users: which region
// serves each user location under the stack's real DNS routing, the round-trip
// time (RTT) it costs, the same with the primary region down, and where writes
// go per database mode; then a one-line verdict on the multi-region premium.
//
// The numbers come from data.json, embedded: median RTT between every pair of
// AWS regions (CloudPing, one year of measurements) and, for each user location
// (continent or country), the regions its users sit next to ("anchors") with
// their shares. Every part names its source and date; a pair without a
// measurement is null with the reason, never a guess.
//
// The package reads no Pulumi SDK, so the policy pack and the CLI share it.
package latency

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

//go:embed data.json
var dataJSON []byte

// Source says where one part of the data comes from.
type Source struct {
	// Source names the measurement or derivation.
	Source string `json:"source"`
	// Date is the date of the snapshot (YYYY-MM-DD).
	Date string `json:"date"`
	// Method says how the numbers were derived from the source.
	Method string `json:"method"`
	// Repo, Path and Commit locate the snapshot, when it is a file in a repository.
	Repo   string `json:"repo,omitempty"`
	Path   string `json:"path,omitempty"`
	Commit string `json:"commit,omitempty"`
}

// Anchor is a region that part of a location's users sit next to.
type Anchor struct {
	Region string  `json:"region"`
	Weight float64 `json:"weight"`
}

// Location is a place users are: a continent (Route 53 continent codes) or a
// country (ISO 3166-1 alpha-2).
type Location struct {
	// Code is the continent or country code ("EU", "DE").
	Code string `json:"code"`
	Name string `json:"name"`
	// Kind is "continent" or "country".
	Kind string `json:"kind"`
	// Continent is the continent code of a country (its own code for a continent).
	Continent string `json:"continent"`
	// Anchors are the regions its users sit next to, weights summing to 1.
	Anchors []Anchor `json:"anchors"`
	// Basis says where the anchors and weights come from.
	Basis string `json:"basis"`
}

// Data is the embedded latency table.
type Data struct {
	// Pairs and Locations describe where each part comes from.
	Pairs, Locations Source
	self             map[string]float64
	rtt              map[[2]string]*float64
	unmeasured       map[string]string
	locations        map[string]Location
}

// file is data.json's shape.
type file struct {
	RegionPairs struct {
		Source   string `json:"source"`
		Date     string `json:"date"`
		Method   string `json:"method"`
		Snapshot struct {
			Repo   string `json:"repo"`
			Path   string `json:"path"`
			Commit string `json:"commit"`
		} `json:"snapshot"`
		Unmeasured map[string]string              `json:"unmeasured"`
		SelfMs     map[string]float64             `json:"selfMs"`
		RTTMs      map[string]map[string]*float64 `json:"rttMs"`
	} `json:"regionPairs"`
	Locations struct {
		Source  string `json:"source"`
		Date    string `json:"date"`
		Method  string `json:"method"`
		Entries map[string]struct {
			Name      string             `json:"name"`
			Kind      string             `json:"kind"`
			Continent string             `json:"continent"`
			Anchors   map[string]float64 `json:"anchors"`
			Basis     string             `json:"basis"`
		} `json:"entries"`
	} `json:"locations"`
}

// Load parses the embedded table. It fails only if data.json is malformed,
// which the package's tests rule out.
func Load() (*Data, error) {
	return parse(dataJSON)
}

func parse(raw []byte) (*Data, error) {
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("latency data: %w", err)
	}
	p := f.RegionPairs
	d := &Data{
		Pairs: Source{Source: p.Source, Date: p.Date, Method: p.Method,
			Repo: p.Snapshot.Repo, Path: p.Snapshot.Path, Commit: p.Snapshot.Commit},
		Locations:  Source{Source: f.Locations.Source, Date: f.Locations.Date, Method: f.Locations.Method},
		self:       p.SelfMs,
		rtt:        map[[2]string]*float64{},
		unmeasured: p.Unmeasured,
		locations:  map[string]Location{},
	}
	for a, row := range p.RTTMs {
		for b, v := range row {
			d.rtt[pairKey(a, b)] = v
		}
	}
	for code, e := range f.Locations.Entries {
		loc := Location{Code: code, Name: e.Name, Kind: e.Kind, Continent: e.Continent, Basis: e.Basis}
		sum := 0.0
		for _, r := range slices.Sorted(maps.Keys(e.Anchors)) {
			loc.Anchors = append(loc.Anchors, Anchor{Region: r, Weight: e.Anchors[r]})
			sum += e.Anchors[r]
		}
		if len(loc.Anchors) == 0 || sum < 0.999 || sum > 1.001 {
			return nil, fmt.Errorf("latency data: location %s: anchor weights sum to %g, want 1", code, sum)
		}
		d.locations[code] = loc
	}
	return d, nil
}

func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// RTT returns the median round-trip time between two regions in milliseconds
// (the same region: between two instances in it). The error says why a pair
// has no measurement.
func (d *Data) RTT(a, b string) (float64, error) {
	if a == b {
		if v, ok := d.self[a]; ok {
			return v, nil
		}
	} else if v := d.rtt[pairKey(a, b)]; v != nil {
		return *v, nil
	}
	for _, r := range []string{a, b} {
		if why, ok := d.unmeasured[r]; ok {
			return 0, fmt.Errorf("no measurement for %s: %s", r, why)
		}
	}
	return 0, fmt.Errorf("no measurement between %s and %s: not in the latency data", a, b)
}

// HasPair reports whether the data lists the pair, with a value or as null.
func (d *Data) HasPair(a, b string) (listed, measured bool) {
	v, ok := d.rtt[pairKey(a, b)]
	return ok, v != nil
}

// Unmeasured returns the reason a region has no measurements ("" if it has).
func (d *Data) Unmeasured(region string) string { return d.unmeasured[region] }

// Location returns a location by code.
func (d *Data) Location(code string) (Location, bool) {
	l, ok := d.locations[code]
	return l, ok
}

// Codes returns every location code: continents first, then countries, each sorted.
func (d *Data) Codes() []string {
	codes := slices.Collect(maps.Keys(d.locations))
	sort.Slice(codes, func(i, j int) bool {
		ci, cj := d.locations[codes[i]].Kind == "continent", d.locations[codes[j]].Kind == "continent"
		if ci != cj {
			return ci
		}
		return codes[i] < codes[j]
	})
	return codes
}

// ShareTolerance is how far the user shares may sum from 1 (rounding in
// hand-written shares such as 0.333).
const ShareTolerance = 0.001

// Problem is one invalid user share: the location key and what to do.
type Problem struct {
	// Key is the location code, or "" for the whole map.
	Key     string
	Message string
}

// CheckUsers validates user shares: every key a known location, every share in
// (0, 1], the shares summing to 1 within ShareTolerance. Problems are sorted by key.
func (d *Data) CheckUsers(users map[string]float64) []Problem {
	var out []Problem
	if len(users) == 0 {
		return []Problem{{"", "is empty: give each location's share of users, e.g. {\"NA\": 0.6, \"EU\": 0.4}"}}
	}
	sum := 0.0
	for _, code := range slices.Sorted(maps.Keys(users)) {
		share := users[code]
		if _, ok := d.locations[code]; !ok {
			msg := fmt.Sprintf("%q is not a known location", code)
			if up := strings.ToUpper(code); up != code {
				if _, ok := d.locations[up]; ok {
					msg += fmt.Sprintf(": codes are upper case, use %q", up)
					out = append(out, Problem{code, msg})
					continue
				}
			}
			msg += ": use a continent (" + strings.Join(d.codesOf("continent"), ", ") + ") or a country with latency data (" + strings.Join(d.codesOf("country"), ", ") + ")"
			out = append(out, Problem{code, msg})
			continue
		}
		if share <= 0 || share > 1 {
			out = append(out, Problem{code, fmt.Sprintf("%g is not a share: use a number above 0 and at most 1 (remove locations without users)", share)})
			continue
		}
		sum += share
	}
	if len(out) == 0 && (sum < 1-ShareTolerance || sum > 1+ShareTolerance) {
		out = append(out, Problem{"", fmt.Sprintf("shares sum to %.4g: they must sum to 1 (within %g); scale them so they do", sum, ShareTolerance)})
	}
	return out
}

func (d *Data) codesOf(kind string) []string {
	var out []string
	for _, c := range d.Codes() {
		if d.locations[c].Kind == kind {
			out = append(out, c)
		}
	}
	return out
}
