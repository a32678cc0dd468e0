package argcheck

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
		tags map[string]string
		want string
	}{
		{map[string]string{"": "x"}, `key "" is not allowed`},
		{map[string]string{"AWS:foo": "x"}, `key "AWS:foo" is not allowed`},
		{map[string]string{strings.Repeat("k", 129): "x"}, "is longer than 128 characters"},
		{map[string]string{"k": strings.Repeat("v", 257)}, `value of "k" is longer than 256 characters`},
		{map[string]string{"k#": "x"}, `key "k#" holds characters AWS refuses`},
		{map[string]string{"k": "a;b"}, `value of "k" ("a;b") holds characters AWS refuses`},
		{many, "has 51 tags: AWS takes at most 50 per resource"},
	} {
		p := New("x")
		p.Tags("Tags", tc.tags)
		if assert.Error(t, p.Err(), tc.want) {
			assert.Contains(t, p.Err().Error(), tc.want)
		}
	}
}

func TestPartition(t *testing.T) {
	t.Parallel()
	for region, want := range map[string]string{"us-east-1": "aws", "eu-central-1": "aws", "us-gov-west-1": "aws-us-gov",
		"cn-north-1": "aws-cn", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b"} {
		assert.Equal(t, want, Partition(region), region)
	}
}
