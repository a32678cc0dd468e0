package props_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/big"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/props"
)

func TestPaths(t *testing.T) {
	t.Parallel()
	m := resource.PropertyMap{
		"a": resource.NewProperty(resource.PropertyMap{
			"b": resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty("zero"),
				resource.MakeSecret(resource.NewProperty(resource.PropertyMap{"c": resource.NewProperty(42.0)})),
			}),
		}),
		"n":       resource.NewProperty("7"),
		"flag":    resource.NewProperty(true),
		"unknown": resource.MakeComputed(resource.NewProperty("")),
		"list":    resource.NewProperty([]resource.PropertyValue{resource.MakeSecret(resource.NewProperty("x")), resource.NewProperty(1.0)}),
		"null":    resource.NewNullProperty(),
	}
	assert.Equal(t, "zero", props.String(m, "a.b[0]"))
	n, ok := props.Number(m, "a.b[1].c")
	assert.True(t, ok, "looks through secrets")
	assert.Equal(t, 42.0, n)
	n, ok = props.Number(m, "n")
	assert.True(t, ok)
	assert.Equal(t, 7.0, n)
	b, ok := props.Bool(m, "flag")
	assert.True(t, b && ok)
	_, ok = props.Bool(m, "n")
	assert.False(t, ok)
	assert.Equal(t, []string{"x"}, props.Strings(m, "list"))
	for _, missing := range []string{"a.x", "a.b[9]", "a.b[x]", "n.y", "null", "", "a.b[1].c.d"} {
		_, ok := props.Get(m, missing)
		assert.False(t, ok, missing)
	}
	assert.True(t, props.IsUnknown(m, "unknown"))
	assert.True(t, props.IsUnknown(m, "unknown.deeper"), "below an unknown is unknown")
	assert.False(t, props.IsUnknown(m, "n"))
	assert.False(t, props.IsUnknown(m, "missing"))
	assert.Equal(t, "", props.String(m, "unknown"))
	assert.True(t, props.IsSecret(m, "a.b[1]"))
	assert.False(t, props.IsSecret(m, "a.b[0]"))
	assert.Nil(t, props.AsObject(resource.NewProperty("s")))
	assert.NotNil(t, props.Object(m, "a"))
	assert.Nil(t, props.Object(nil, "a"))
}

func TestParseBoolAsTheProviderReadsIt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in     resource.PropertyValue
		want   bool
		wantOK bool
	}{
		{resource.NewProperty(true), true, true},
		{resource.NewProperty(false), false, true},
		{resource.NewProperty("true"), true, true},
		{resource.NewProperty("1"), true, true},
		{resource.NewProperty("false"), false, true},
		{resource.NewProperty("0"), false, true},
		{resource.MakeSecret(resource.NewProperty("true")), true, true},
		// go-cty rejects these ("a bool is required"): not a bool to the provider
		{resource.NewProperty("True"), false, false},
		{resource.NewProperty("TRUE"), false, false},
		{resource.NewProperty("yes"), false, false},
		{resource.NewProperty("t"), false, false},
		{resource.NewProperty(""), false, false},
		{resource.NewProperty(" true"), false, false},
		{resource.NewProperty(1.0), false, false},
		{resource.NewNullProperty(), false, false},
		{resource.MakeComputed(resource.NewProperty("")), false, false},
		{resource.NewProperty(sig.UnknownBoolValue), false, false},
		{resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))), false, false},
	}
	for _, tc := range cases {
		got, ok := props.ParseBool(tc.in)
		assert.Equal(t, tc.wantOK, ok, "%v", tc.in)
		assert.Equal(t, tc.want, got, "%v", tc.in)
	}
}

func TestParseNumberAsTheProviderReadsIt(t *testing.T) {
	t.Parallel()
	ok := map[string]float64{"7": 7, "-1": -1, "+7": 7, "7.5": 7.5, "1e3": 1000, ".5": 0.5, "007": 7}
	for in, want := range ok {
		got, parsed := props.ParseNumber(resource.NewProperty(in))
		assert.True(t, parsed, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "seven", "0x10", "1_000", " 7", "7 ", "Inf", "-inf", "NaN", "7d", sig.UnknownNumberValue} {
		_, parsed := props.ParseNumber(resource.NewProperty(in))
		assert.False(t, parsed, in)
	}
	// Number keeps reading what strconv reads, non-finite values included, so
	// that callers that reject them (the cost model) still see them.
	compat := resource.PropertyMap{"nan": resource.NewProperty("NaN"), "inf": resource.NewProperty("Inf"), "word": resource.NewProperty("seven")}
	n, parsed := props.Number(compat, "nan")
	assert.True(t, parsed && math.IsNaN(n))
	n, parsed = props.Number(compat, "inf")
	assert.True(t, parsed && math.IsInf(n, 1))
	_, parsed = props.Number(compat, "word")
	assert.False(t, parsed)
	_, st := props.LookupNumber(compat, "nan")
	assert.Equal(t, props.Malformed, st, "the strict read refuses what the provider refuses")
	got, parsed := props.ParseNumber(resource.NewProperty(14.0))
	assert.True(t, parsed)
	assert.Equal(t, 14.0, got)
	_, parsed = props.ParseNumber(resource.NewProperty(true))
	assert.False(t, parsed)
}

func TestLookupStatus(t *testing.T) {
	t.Parallel()
	m := resource.PropertyMap{
		"on":        resource.NewProperty("true"),
		"bad":       resource.NewProperty("yes"),
		"days":      resource.NewProperty("7"),
		"null":      resource.NewNullProperty(),
		"unknown":   resource.MakeComputed(resource.NewProperty("")),
		"encrypted": resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))),
		"sentinel":  resource.NewProperty(sig.UnknownStringValue),
		"obj":       resource.MakeComputed(resource.NewProperty("")),
		"name":      resource.NewProperty("x"),
		"list":      resource.NewProperty([]resource.PropertyValue{resource.NewProperty(sig.UnknownStringValue), resource.NewProperty("a")}),
	}
	b, st := props.LookupBool(m, "on")
	assert.Equal(t, props.Known, st)
	assert.True(t, b)
	_, st = props.LookupBool(m, "bad")
	assert.Equal(t, props.Malformed, st)
	n, st := props.LookupNumber(m, "days")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, 7.0, n)
	_, st = props.LookupNumber(m, "name")
	assert.Equal(t, props.Malformed, st)
	for _, p := range []string{"null", "missing", "name.deeper"} {
		_, st = props.LookupBool(m, p)
		assert.Equal(t, props.Missing, st, p)
	}
	for _, p := range []string{"unknown", "encrypted", "sentinel", "obj.enabled"} {
		_, st = props.LookupBool(m, p)
		assert.Equal(t, props.Pending, st, p)
		_, st = props.LookupString(m, p)
		assert.Equal(t, props.Pending, st, p)
		assert.True(t, props.IsUnknown(m, p), p)
	}
	s, st := props.LookupString(m, "name")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "x", s)
	_, st = props.LookupString(m, "days.x")
	assert.Equal(t, props.Missing, st)
	assert.Equal(t, "", props.String(m, "sentinel"), "a sentinel is not a string value")
	assert.Equal(t, []string{"a"}, props.Strings(m, "list"))
	assert.Equal(t, "not known", props.Pending.String())
}

// FuzzParseNumber checks that the strconv fast path reads every string exactly
// as go-cty's big.ParseFloat(s, 10, 512, ToNearestEven) does.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"7", "-1.5", "1e3", ".5", "5.", "+7", "1e400", "-1e-400", "Inf", "0x10", "1_0", "e5", "", "--1", "1e", "0.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := props.ParseNumber(resource.NewProperty(s))
		bf, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		want, wantOK := 0.0, err == nil && !bf.IsInf()
		if wantOK {
			want, _ = bf.Float64()
			wantOK = !math.IsInf(want, 0)
		}
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("ParseNumber(%q) = %v, %v; go-cty reads %v, %v", s, got, ok, want, wantOK)
		}
	})
}

// TestJSONRendersAssetsStably: assets and archives render as the state file
// writes them (signature, hash, text/path/uri, nested assets), the same on
// every run, never as Go pointers; an exported asset reads back as one.
func TestJSONRendersAssetsStably(t *testing.T) {
	t.Parallel()
	build := func() resource.PropertyMap {
		text, err := asset.FromText("exports.handler = 1")
		require.NoError(t, err)
		path := &asset.Asset{Sig: asset.AssetSig, Path: "probe.js"}
		arch := &archive.Archive{Sig: archive.ArchiveSig, Assets: map[string]any{
			"index.js": text, "lib": &archive.Archive{Sig: archive.ArchiveSig, Path: "lib.zip"}}}
		return resource.PropertyMap{
			"code":   resource.NewProperty(arch),
			"script": resource.NewProperty(text),
			"file":   resource.NewProperty(path),
			"nested": resource.NewProperty(resource.PropertyMap{"a": resource.NewProperty(path)}),
		}
	}
	first, err := json.Marshal(props.JSON(build(), "[secret]", "[unknown]"))
	require.NoError(t, err)
	second, err := json.Marshal(props.JSON(build(), "[secret]", "[unknown]"))
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second), "the same inputs render the same on every run")
	assert.NotContains(t, string(first), "0x", "no pointers")

	out := props.JSON(build(), "[secret]", "[unknown]")
	sum := sha256.Sum256([]byte("exports.handler = 1"))
	script, ok := out["script"].(map[string]any)
	require.True(t, ok, "an asset is an object: %#v", out["script"])
	assert.Equal(t, hex.EncodeToString(sum[:]), script["hash"], "a text asset carries the engine's hash")
	back, isAsset, err := asset.Deserialize(script)
	require.NoError(t, err)
	require.True(t, isAsset, "the rendering reads back as an asset")
	assert.Equal(t, "exports.handler = 1", back.Text)

	code, ok := out["code"].(map[string]any)
	require.True(t, ok)
	assert.Equal(t, sig.ArchiveSig, code[sig.Key])
	assets, ok := code["assets"].(map[string]any)
	require.True(t, ok)
	require.Len(t, assets, 2)
	assert.Equal(t, "lib.zip", assets["lib"].(map[string]any)["path"])
	assert.Equal(t, "probe.js", out["nested"].(map[string]any)["a"].(map[string]any)["path"])
}
