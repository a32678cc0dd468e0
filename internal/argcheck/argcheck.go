// Package argcheck collects argument validation problems so that a component
// reports every problem with its Args at once, each naming the field and the fix.
package argcheck

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/multiregion/multiregion/validation"
)

// Problems accumulates validation errors (*validation.Error) for one component
// instance.
type Problems struct {
	prefix string
	errs   []error
}

// New returns an empty Problems whose messages start with prefix, e.g.
// `regionalstack "app"`.
func New(prefix string) *Problems { return &Problems{prefix: prefix} }

// Add records a problem with field: what is wrong and how to fix it ("" when
// the problem says it all).
func (p *Problems) Add(field, problem, fix string) {
	p.errs = append(p.errs, &validation.Error{Component: p.prefix, Key: field, Problem: problem, Fix: fix})
}

// Err returns nil when nothing was recorded, otherwise all problems joined
// (each a *validation.Error).
func (p *Problems) Err() error { return errors.Join(p.errs...) }

// OneOf reports a problem unless value is one of allowed.
func (p *Problems) OneOf(field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	p.Add(field, fmt.Sprintf("unknown value %q", value), "use one of "+strings.Join(Quote(allowed...), ", "))
}

// Range reports a problem unless lo <= value <= hi.
func (p *Problems) Range(field string, value, lo, hi int) {
	if value < lo || value > hi {
		p.Add(field, fmt.Sprintf("%d is out of range", value), fmt.Sprintf("use a value from %d to %d", lo, hi))
	}
}

// Quote returns values each in double quotes, for a message.
func Quote(values ...string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strconv.Quote(v)
	}
	return out
}

// Ints returns values as decimal strings, for a message.
func Ints(values ...int) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strconv.Itoa(v)
	}
	return out
}

// Or renders values as an alternative for a message: "a", "a or b",
// "a, b or c".
func Or(values ...string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// Tag limits (AWS General Reference, "Tagging your AWS resources", tag naming
// limits and requirements): at most 50 tags per resource, keys of 1 to 128 and
// values of 0 to 256 Unicode characters, made of letters, digits, spaces and
// _ . : / = + - @, and keys must not begin with "aws:" (reserved for AWS).
const (
	MaxTags        = 50
	MaxTagKeyLen   = 128
	MaxTagValueLen = 256
)

// tagChars are the characters AWS takes in tag keys and values (see MaxTags).
var tagChars = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// Tags reports tags AWS refuses: empty keys, the reserved "aws:" prefix, keys
// or values that are too long or hold other characters, and more than MaxTags.
func (p *Problems) Tags(field string, tags map[string]string) {
	if len(tags) > MaxTags {
		p.Add(field, fmt.Sprintf("has %d tags", len(tags)), fmt.Sprintf("AWS takes at most %d per resource", MaxTags))
	}
	p.TagEntries(field, tags)
}

// TagEntries reports the tag keys and values AWS refuses (see Tags), but not
// their number, for callers that count tags themselves.
func (p *Problems) TagEntries(field string, tags map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		switch {
		case k == "" || strings.HasPrefix(strings.ToLower(k), "aws:"):
			p.Add(field, fmt.Sprintf("key %q is not allowed", k), "tag keys must be non-empty and must not start with \"aws:\"")
		case utf8.RuneCountInString(k) > MaxTagKeyLen:
			p.Add(field, fmt.Sprintf("key %q is longer than %d characters", k, MaxTagKeyLen), "")
		case !tagChars.MatchString(k):
			p.Add(field, fmt.Sprintf("key %q holds characters AWS refuses", k), "use letters, digits, spaces and _ . : / = + - @")
		}
		switch {
		case utf8.RuneCountInString(v) > MaxTagValueLen:
			p.Add(field, fmt.Sprintf("value of %q is longer than %d characters", k, MaxTagValueLen), "")
		case !tagChars.MatchString(v):
			p.Add(field, fmt.Sprintf("value of %q (%q) holds characters AWS refuses", k, v), "use letters, digits, spaces and _ . : / = + - @")
		}
	}
}

// Partition returns the AWS partition of a region name: "aws-us-gov" for
// GovCloud (us-gov-*), "aws-cn" for China (cn-*), "aws-iso"/"aws-iso-b" for the
// isolated regions (us-iso-*, us-isob-*), "aws-eusc" for the European Sovereign
// Cloud (eusc-*), else "aws" (AWS General Reference, "Partitions"; the same
// mapping as the endpoint resolver's partitions.json in the AWS SDKs). Identical
// names in two partitions are different accounts, credentials and ARNs.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}
