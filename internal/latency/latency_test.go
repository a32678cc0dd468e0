package latency_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/latency"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/stacks"
)

func load(t *testing.T) *latency.Data {
	t.Helper()
	d, err := latency.Load()
	require.NoError(t, err)
	return d
}

// Every pair of known regions is in the data: measured, or listed as null
// with the reason one of its regions is unmeasured.
func TestDataCoversEveryKnownRegionPair(t *testing.T) {
	t.Parallel()
	d := load(t)
	known := slices.Sorted(maps.Keys(regions.Known))
	require.Greater(t, len(known), 30)
	measured, missing := 0, 0
	for i, a := range known {
		for _, b := range known[i+1:] {
			listed, ok := d.HasPair(a, b)
			require.True(t, listed, "%s-%s is not listed in data.json: add it, measured or null with a reason", a, b)
			if ok {
				measured++
				v, err := d.RTT(a, b)
				require.NoError(t, err)
				assert.Greater(t, v, 0.0, "%s-%s", a, b)
				assert.Less(t, v, 500.0, "%s-%s", a, b)
				continue
			}
			missing++
			assert.True(t, d.Unmeasured(a) != "" || d.Unmeasured(b) != "", "%s-%s is null without a reason", a, b)
			_, err := d.RTT(a, b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "no measurement")
		}
		if d.Unmeasured(a) == "" {
			v, err := d.RTT(a, a)
			require.NoError(t, err, "%s has no same-region RTT", a)
			assert.Less(t, v, 10.0)
		}
	}
	// The missing pairs are exactly those of the three unmeasured regions.
	assert.Equal(t, 3*(len(known)-3)+3, missing)
	assert.Equal(t, len(known)*(len(known)-1)/2-missing, measured)
	// Spot checks against the snapshot (mean of both directions).
	v, _ := d.RTT("us-east-1", "eu-west-1")
	assert.Equal(t, 69.6, v)
	v2, _ := d.RTT("eu-west-1", "us-east-1")
	assert.Equal(t, v, v2, "symmetric")
}

func TestLocationsAreComplete(t *testing.T) {
	t.Parallel()
	d := load(t)
	codes := d.Codes()
	require.NotEmpty(t, codes)
	for _, c := range []string{"AF", "AS", "EU", "NA", "OC", "SA", "US", "CA", "BR", "GB", "DE", "FR", "IN", "JP", "SG", "AU"} {
		assert.Contains(t, codes, c)
	}
	for _, code := range codes {
		loc, ok := d.Location(code)
		require.True(t, ok)
		assert.NotEmpty(t, loc.Basis, code)
		assert.NotEmpty(t, loc.Continent, code)
		if _, isContinent := d.Location(loc.Continent); !assert.True(t, isContinent, "%s's continent %s is a location", code, loc.Continent) {
			continue
		}
		sum := 0.0
		for _, a := range loc.Anchors {
			_, ok := regions.Known[a.Region]
			assert.True(t, ok, "%s anchor %s is a known region", code, a.Region)
			sum += a.Weight
		}
		assert.InDelta(t, 1, sum, 1e-9, code)
	}
}

func TestCheckUsers(t *testing.T) {
	t.Parallel()
	d := load(t)
	for _, tc := range []struct {
		users map[string]float64
		key   string
		want  string
	}{
		{map[string]float64{"NA": 0.6, "EU": 0.3, "AS": 0.1}, "", ""},
		{map[string]float64{"NA": 0.3333, "EU": 0.3333, "AS": 0.3334}, "", ""},
		{map[string]float64{"NA": 0.6, "EU": 0.3}, "", "sum to 0.9"},
		{map[string]float64{"NA": 0.6, "EU": 0.5}, "", "sum to 1.1"},
		{map[string]float64{"eu": 1}, "eu", `use "EU"`},
		{map[string]float64{"XX": 1}, "XX", "not a known location"},
		{map[string]float64{"NA": 0, "EU": 1}, "NA", "not a share"},
		{map[string]float64{"NA": -0.5, "EU": 1.5}, "EU", "not a share"},
		{map[string]float64{}, "", "is empty"},
	} {
		got := d.CheckUsers(tc.users)
		if tc.want == "" {
			assert.Empty(t, got, "%v", tc.users)
			continue
		}
		var found bool
		for _, p := range got {
			if p.Key == tc.key && strings.Contains(p.Message, tc.want) {
				found = true
			}
		}
		assert.True(t, found, "%v: want %s: %q, got %+v", tc.users, tc.key, tc.want, got)
	}
}

// FromConfig (what the policy reads) agrees with stacks.Load (what the CLI
// renders) on every stack, defaults included.
func TestFromConfigMatchesStacksLoad(t *testing.T) {
	t.Parallel()
	names, err := stackfile.List("../../stacks")
	require.NoError(t, err)
	require.Len(t, names, 5)
	for _, name := range names {
		path, err := stackfile.Find("../../stacks", name)
		require.NoError(t, err)
		f, err := stackfile.Read(path)
		require.NoError(t, err)
		cfg, err := stacks.Load(name, f.Config)
		require.NoError(t, err, name)
		got, err := latency.FromConfig(name, f.Config)
		require.NoError(t, err, name)
		assert.Equal(t, cfg.Latency(), got, name)
		assert.NotEmpty(t, got.Users, "%s has multiregion:users", name)
	}
	// defaults: a minimal config per topology
	for _, topo := range []string{"single", "active-passive", "active-active"} {
		raw := map[string]string{"multiregion:topology": topo, "multiregion:regions": `["us-east-1","eu-west-1"]`}
		if topo == "single" {
			raw["multiregion:regions"] = `["us-east-1"]`
		}
		raw["multiregion:dns"] = `{"domain":"app.example.com"}`
		raw["multiregion:app"] = `{"image":"nginx"}`
		cfg, err := stacks.Load("x", raw)
		require.NoError(t, err, topo)
		got, err := latency.FromConfig("x", raw)
		require.NoError(t, err)
		assert.Equal(t, cfg.Latency(), got, topo)
	}
	_, err = latency.FromConfig("x", map[string]string{})
	assert.ErrorContains(t, err, "multiregion:regions")
	_, err = latency.FromConfig("x", map[string]string{"multiregion:regions": `["us-east-1"]`, "multiregion:users": `{"NA": "x"}`})
	assert.ErrorContains(t, err, "multiregion:users")
}
