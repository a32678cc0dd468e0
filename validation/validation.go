// Package validation holds the error type that the multiregion components
// (regionalstack, globaldatabase, geodns, failover) and the stack config
// (package stacks) return for invalid input.
//
// Each problem is one *Error naming what is wrong (Key), what the problem is
// and how to fix it, so that programs can act on the fields with errors.As
// instead of matching message text. A component or a stack reports every
// problem at once, joined with errors.Join (a stack's are in its
// *stacks.ConfigError): errors.As finds the first, All lists every one.
//
// The package is public, not internal, because the errors cross the module
// boundary: a user's program calls regionalstack.New and must be able to tell
// a bad argument from a failed deployment.
package validation

// Error is one problem with one input: an Args field of a component, or a key
// of the stack config.
//
// Error() renders "Component: Key: Problem: Fix" ("Key: Problem: Fix" for a
// config key, ": Fix" left out when there is none), the format the messages
// have always had, so text that users already match keeps matching.
type Error struct {
	// Component names the component instance whose Args hold the problem,
	// e.g. `regionalstack "app-us-east-1"`; empty for a stack config key.
	Component string
	// Key names the input: the Args field for a component (e.g. "MinCount",
	// "Secondaries[0].Region"), or the config key with its namespace for a
	// stack (e.g. "multiregion:app.minCount", as `pulumi config set` takes it).
	Key string
	// Problem says what is wrong, e.g. `"us-est-1" is not an AWS region`.
	Problem string
	// Fix says what to do about it, e.g. `did you mean "us-east-1"?`; empty
	// when the problem says it all.
	Fix string
}

// Error renders the problem as "Component: Key: Problem: Fix".
func (e *Error) Error() string {
	s := e.Key + ": " + e.Problem
	if e.Component != "" {
		s = e.Component + ": " + s
	}
	if e.Fix != "" {
		s += ": " + e.Fix
	}
	return s
}

// All returns every *Error inside err, in order, looking through
// errors.Join and any error whose Unwrap returns one or more errors. It is
// nil when err is nil or holds none.
func All(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if ve, ok := e.(*Error); ok {
			out = append(out, ve)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
