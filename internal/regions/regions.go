// Package regions knows AWS region names and the default jurisdiction table
// that maps a data-residency jurisdiction to the regions it allows. The stack
// config validation and the data-residency policy share it, so a config error
// and a policy violation never disagree.
package regions

import (
	"sort"
	"strings"
)

// Known are the AWS regions (commercial and GovCloud) this project accepts in config.
var Known = map[string]string{
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
	"us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
	"us-gov-east-1": "AWS GovCloud (US-East)", "us-gov-west-1": "AWS GovCloud (US-West)",
	"ca-central-1": "Canada (Central)", "ca-west-1": "Canada West (Calgary)",
	"mx-central-1": "Mexico (Central)", "sa-east-1": "South America (São Paulo)",
	"eu-central-1": "Europe (Frankfurt)", "eu-central-2": "Europe (Zurich)",
	"eu-west-1": "Europe (Ireland)", "eu-west-2": "Europe (London)", "eu-west-3": "Europe (Paris)",
	"eu-south-1": "Europe (Milan)", "eu-south-2": "Europe (Spain)", "eu-north-1": "Europe (Stockholm)",
	"il-central-1": "Israel (Tel Aviv)", "me-south-1": "Middle East (Bahrain)", "me-central-1": "Middle East (UAE)",
	"af-south-1": "Africa (Cape Town)",
	"ap-east-1":  "Asia Pacific (Hong Kong)", "ap-east-2": "Asia Pacific (Taipei)",
	"ap-south-1": "Asia Pacific (Mumbai)", "ap-south-2": "Asia Pacific (Hyderabad)",
	"ap-southeast-1": "Asia Pacific (Singapore)", "ap-southeast-2": "Asia Pacific (Sydney)",
	"ap-southeast-3": "Asia Pacific (Jakarta)", "ap-southeast-4": "Asia Pacific (Melbourne)",
	"ap-southeast-5": "Asia Pacific (Malaysia)", "ap-southeast-7": "Asia Pacific (Thailand)",
	"ap-northeast-1": "Asia Pacific (Tokyo)", "ap-northeast-2": "Asia Pacific (Seoul)",
	"ap-northeast-3": "Asia Pacific (Osaka)",
}

// None is the jurisdiction that allows every region.
const None = "none"

// Jurisdictions is the default table: jurisdiction -> allowed region patterns
// ("eu-*" matches every region whose name starts with "eu-"). Note that "eu"
// follows AWS's naming, so it includes eu-west-2 (London, UK) and eu-central-2
// (Zurich, CH); a stricter table can be given to the data-residency policy.
var Jurisdictions = map[string][]string{
	"eu": {"eu-*"},
	"us": {"us-*"},
	"ca": {"ca-*"},
	"uk": {"eu-west-2"},
	"ch": {"eu-central-2"},
	"au": {"ap-southeast-2", "ap-southeast-4"},
	"jp": {"ap-northeast-1", "ap-northeast-3"},
	"in": {"ap-south-1", "ap-south-2"},
	"sg": {"ap-southeast-1"},
	"br": {"sa-east-1"},
}

// Allowed reports whether region matches one of patterns. A pattern is a region
// name or a prefix followed by "*"; "*" alone allows everything.
func Allowed(region string, patterns []string) bool {
	for _, p := range patterns {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(region, prefix) {
				return true
			}
		} else if p == region {
			return true
		}
	}
	return false
}

// Names returns the known jurisdictions, sorted, with None first.
func Names() []string {
	out := []string{None}
	keys := make([]string, 0, len(Jurisdictions))
	for k := range Jurisdictions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return append(out, keys...)
}

// Closest returns the known region closest in spelling to s (for "did you mean").
func Closest(s string) string {
	best, bestD := "", 1<<30
	for k := range Known {
		if d := distance(s, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if bestD > 4 {
		return ""
	}
	return best
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Suggest returns the candidate closest in spelling to s, or "".
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := distance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > 3 || bestD >= len(s) {
		return ""
	}
	return best
}
