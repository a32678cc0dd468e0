package regions_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/regions"
)

func TestAllowed(t *testing.T) {
	t.Parallel()
	eu := regions.Jurisdictions["eu"]
	assert.True(t, regions.Allowed("eu-central-1", eu))
	assert.True(t, regions.Allowed("eu-west-2", eu), "the default table follows AWS names")
	assert.False(t, regions.Allowed("us-east-1", eu))
	assert.False(t, regions.Allowed("il-central-1", eu))
	assert.True(t, regions.Allowed("ap-southeast-2", regions.Jurisdictions["au"]))
	assert.True(t, regions.Allowed("anything", []string{"*"}))
	assert.False(t, regions.Allowed("eu-west-1", nil))
	require.NotEmpty(t, regions.Jurisdictions)
	require.NotEmpty(t, regions.Known)
	for name, patterns := range regions.Jurisdictions {
		matched := false
		for r := range regions.Known {
			if regions.Allowed(r, patterns) {
				matched = true
			}
		}
		assert.True(t, matched, "jurisdiction %s allows some known region", name)
	}
}

func TestSuggestions(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "eu-central-1", regions.Closest("eu-cental-1"))
	assert.Equal(t, "us-east-1", regions.Closest("us-east1"))
	assert.Equal(t, "", regions.Closest("mars-north-9000"))
	assert.Equal(t, "regions", regions.Suggest("regoins", []string{"regions", "residency"}))
	assert.Equal(t, "", regions.Suggest("zz", []string{"regions"}))
	assert.Equal(t, "none", regions.Names()[0])
}
