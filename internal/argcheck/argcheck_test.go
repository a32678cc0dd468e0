package argcheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/validation"
)

func TestTags(t *testing.T) {
	t.Parallel()
	ok := map[string]string{"team": "payments", "cost center": "a+b=c/d:e@f.g-h_i", "empty": "", "ünïcode": "wert"}
	p := New("x")
	p.Tags("Tags", ok)
	assert.NoError(t, p.Err())

	many := map[string]string{}
	for i := 0; i <= MaxTags; i++ {
		many[fmt.Sprint("k", i)] = "v"
	}
	for _, tc := range []struct {
		tags         map[string]string
		problem, fix string
	}{
		{map[string]string{"": "x"}, `key "" is not allowed`, `tag keys must be non-empty and must not start with "aws:"`},
		{map[string]string{"AWS:foo": "x"}, `key "AWS:foo" is not allowed`, `tag keys must be non-empty and must not start with "aws:"`},
		{map[string]string{strings.Repeat("k", 129): "x"}, `key "` + strings.Repeat("k", 129) + `" is longer than 128 characters`, ""},
		{map[string]string{"k": strings.Repeat("v", 257)}, `value of "k" is longer than 256 characters`, ""},
		{map[string]string{"k#": "x"}, `key "k#" holds characters AWS refuses`, "use letters, digits, spaces and _ . : / = + - @"},
		{map[string]string{"k": "a;b"}, `value of "k" ("a;b") holds characters AWS refuses`, "use letters, digits, spaces and _ . : / = + - @"},
		{many, "has 51 tags", "AWS takes at most 50 per resource"},
	} {
		p := New("x")
		p.Tags("Tags", tc.tags)
		got := validation.All(p.Err())
		if assert.Len(t, got, 1, tc.problem) {
			assert.Equal(t, validation.Error{Component: "x", Key: "Tags", Problem: tc.problem, Fix: tc.fix}, *got[0])
		}
	}
}

// TestMessage pins the rendered format users may already match:
// "component: Field: problem: fix", and "component: Field: problem" without a fix.
func TestMessage(t *testing.T) {
	t.Parallel()
	p := New(`regionalstack "app"`)
	p.OneOf("NATStrategy", "two", "none", "single")
	p.Range("Port", 0, 1, 65535)
	p.Add("Zones", `"x" is odd`, "")
	err := p.Err()
	assert.Equal(t, `regionalstack "app": NATStrategy: unknown value "two": use one of "none", "single"`+"\n"+
		`regionalstack "app": Port: 0 is out of range: use a value from 1 to 65535`+"\n"+
		`regionalstack "app": Zones: "x" is odd`, err.Error())
	var ve *validation.Error
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "NATStrategy", ve.Key)
	assert.Len(t, validation.All(err), 3)
	assert.NoError(t, New("y").Err())
}

func TestPartition(t *testing.T) {
	t.Parallel()
	for region, want := range map[string]string{"us-east-1": "aws", "eu-central-1": "aws", "us-gov-west-1": "aws-us-gov",
		"cn-north-1": "aws-cn", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b"} {
		assert.Equal(t, want, Partition(region), region)
	}
}

func TestOr(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "", Or())
	assert.Equal(t, "a", Or("a"))
	assert.Equal(t, "a or b", Or("a", "b"))
	assert.Equal(t, `"a", "b" or "c"`, Or(Quote("a", "b", "c")...))
	assert.Equal(t, "1, 2 or 3", Or(Ints(1, 2, 3)...))
}
