package naming

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPhysicalAlwaysFits(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	bases := []string{"", "-", "a", "app-us-east-1", "Internal__App--x-", strings.Repeat("ab-", 40), "ÄÖÜ-app", "x-" + strings.Repeat("y", 22) + "-z"}
	for _, base := range bases {
		for _, max := range []int{6, 9, 10, 32, 63, 255} {
			got := Physical(base, max, "p", "s", base)
			assert.LessOrEqual(t, len(got), max, "%q %d: %q", base, max, got)
			assert.Regexp(t, valid, got, "%q %d", base, max)
			assert.NotContains(t, got, "--", "%q %d", base, max)
			assert.Equal(t, got, Physical(base, max, "p", "s", base), "deterministic")
		}
	}
	assert.NotEqual(t, Physical("app", 32, "p", "prod"), Physical("app", 32, "p", "staging"))
	assert.NotEqual(t, Physical("app", 32, "ab", "c"), Physical("app", 32, "a", "bc"), "parts are separated")
	assert.Equal(t, "app-us-east-1-", Physical("app-us-east-1", 32, "x")[:14])
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"App_X": "app-x", "--a--b--": "a-b", "": "", "a.b c": "a-b-c"} {
		assert.Equal(t, want, Sanitize(in), in)
	}
}
