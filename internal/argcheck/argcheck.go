// Package argcheck collects argument validation problems so that a component
// reports every problem with its Args at once, each naming the field and the fix.
package argcheck

import (
	"errors"
	"fmt"
	"strings"
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

// Tags reports tag keys AWS refuses: empty ones and the reserved "aws:" prefix.
func (p *Problems) Tags(field string, tags map[string]string) {
	for k := range tags {
		if k == "" || strings.HasPrefix(strings.ToLower(k), "aws:") {
			p.Add(field, "key %q is not allowed: tag keys must be non-empty and must not start with \"aws:\"", k)
		}
	}
}
