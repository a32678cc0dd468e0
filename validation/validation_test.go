package validation_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/validation"
)

func TestErrorRendering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  validation.Error
		want string
	}{
		{validation.Error{Component: `regionalstack "app"`, Key: "Port", Problem: "0 is out of range", Fix: "use a value from 1 to 65535"},
			`regionalstack "app": Port: 0 is out of range: use a value from 1 to 65535`},
		{validation.Error{Component: `geodns "app"`, Key: "Geo", Problem: `"US-CA" is a subdivision`},
			`geodns "app": Geo: "US-CA" is a subdivision`},
		{validation.Error{Key: "multiregion:regions", Problem: `regions[0]: "us-est-1" is not an AWS region`, Fix: `did you mean "us-east-1"?`},
			`multiregion:regions: regions[0]: "us-est-1" is not an AWS region: did you mean "us-east-1"?`},
	} {
		assert.Equal(t, tc.want, tc.err.Error())
	}
}

func TestAll(t *testing.T) {
	t.Parallel()
	a := &validation.Error{Key: "A", Problem: "a"}
	b := &validation.Error{Key: "B", Problem: "b"}
	c := &validation.Error{Key: "C", Problem: "c"}
	err := fmt.Errorf("wrapped: %w", errors.Join(a, errors.New("other"), errors.Join(b, c)))
	assert.Equal(t, []*validation.Error{a, b, c}, validation.All(err))
	var first *validation.Error
	require.True(t, errors.As(err, &first))
	assert.Same(t, a, first)
	assert.Nil(t, validation.All(nil))
	assert.Nil(t, validation.All(errors.New("plain")))
}

// Example shows how a program tells a bad argument from other failures and
// reads each problem's fields.
func Example() {
	err := errors.Join(
		&validation.Error{Component: `regionalstack "app"`, Key: "MinCount", Problem: "-1 is negative", Fix: "use 0 or more"},
		&validation.Error{Component: `regionalstack "app"`, Key: "Port", Problem: "70000 is out of range", Fix: "use a value from 1 to 65535"},
	)
	for _, p := range validation.All(err) {
		fmt.Printf("%s -> %s\n", p.Key, p.Fix)
	}
	// Output:
	// MinCount -> use 0 or more
	// Port -> use a value from 1 to 65535
}
