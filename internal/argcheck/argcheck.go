// Package argcheck collects argument validation problems so that a component
// reports every problem with its Args at once, each naming the field and the fix.
package argcheck

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problems accumulates validation errors for one component instance.
type Problems struct {
	prefix string
	errs   []error
}

// New returns an empty Problems whose messages start with prefix, e.g.
// `regionalstack "app"`.
func New(prefix string) *Problems { return &Problems{prefix: prefix} }

// FieldError is one problem with one Args field.
type FieldError struct {
	// Component names the component instance, e.g. `regionalstack "app"`.
	Component string
	// Field is the Args field, e.g. "MinCount" or "Secondaries[0].Region".
	Field string
	// Message says what is wrong and how to fix it.
	Message string
}

func (e *FieldError) Error() string { return e.Component + ": " + e.Field + ": " + e.Message }

// Add records a problem with field; format says what is wrong and how to fix it.
func (p *Problems) Add(field, format string, args ...any) {
	p.errs = append(p.errs, &FieldError{Component: p.prefix, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Fields returns the FieldErrors inside err (as returned by Err), in order.
func Fields(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(e error) {
		var fe *FieldError
		switch {
		case e == nil:
		case errors.As(e, &fe) && fe == e:
			out = append(out, fe)
		default:
			if j, ok := e.(interface{ Unwrap() []error }); ok {
				for _, inner := range j.Unwrap() {
					walk(inner)
				}
			} else if errors.As(e, &fe) {
				out = append(out, fe)
			}
		}
	}
	walk(err)
	return out
}

// Err returns nil when nothing was recorded, otherwise all problems joined.
func (p *Problems) Err() error { return errors.Join(p.errs...) }

// OneOf reports a problem unless value is one of allowed.
func (p *Problems) OneOf(field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	p.Add(field, "unknown value %q: use one of %s", value, strings.Join(quoted(allowed), ", "))
}

// Range reports a problem unless lo <= value <= hi.
func (p *Problems) Range(field string, value, lo, hi int) {
	if value < lo || value > hi {
		p.Add(field, "%d is out of range: use a value from %d to %d", value, lo, hi)
	}
}

func quoted(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
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
		p.Add(field, "has %d tags: AWS takes at most %d per resource", len(tags), MaxTags)
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		switch {
		case k == "" || strings.HasPrefix(strings.ToLower(k), "aws:"):
			p.Add(field, "key %q is not allowed: tag keys must be non-empty and must not start with \"aws:\"", k)
		case utf8.RuneCountInString(k) > MaxTagKeyLen:
			p.Add(field, "key %q is longer than %d characters", k, MaxTagKeyLen)
		case !tagChars.MatchString(k):
			p.Add(field, "key %q holds characters AWS refuses: use letters, digits, spaces and _ . : / = + - @", k)
		}
		switch {
		case utf8.RuneCountInString(v) > MaxTagValueLen:
			p.Add(field, "value of %q is longer than %d characters", k, MaxTagValueLen)
		case !tagChars.MatchString(v):
			p.Add(field, "value of %q (%q) holds characters AWS refuses: use letters, digits, spaces and _ . : / = + - @", k, v)
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
