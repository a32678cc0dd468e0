// Package props reads values out of Pulumi property maps by path, looking
// through secrets and reporting unknown (computed) values instead of panicking
// on them. Policies, the mock recorder's tests and the CLI all read properties
// this way.
package props

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
)

// Get returns the value at path in m. A path is dot-separated keys with [i]
// array indexes, e.g. "healthCheck.path" or "replicas[0].regionName". Secrets
// and resolved outputs are unwrapped on the way. ok is false when the path does
// not exist or its value is null.
func Get(m resource.PropertyMap, path string) (v resource.PropertyValue, ok bool) {
	if m == nil || path == "" {
		return resource.PropertyValue{}, false
	}
	v = resource.NewObjectProperty(m)
	for rest := path; rest != ""; {
		var part pathPart
		part, rest = next(rest)
		v = Unwrap(v)
		switch {
		case part.index >= 0:
			if !v.IsArray() || part.index >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false
			}
			v = v.ArrayValue()[part.index]
		case v.IsObject():
			v, ok = v.ObjectValue()[resource.PropertyKey(part.key)]
			if !ok {
				return resource.PropertyValue{}, false
			}
		default:
			return resource.PropertyValue{}, false
		}
	}
	v = Unwrap(v)
	if v.IsNull() {
		return v, false
	}
	return v, true
}

// Unwrap looks through secrets and known outputs to the value inside.
func Unwrap(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput() && v.OutputValue().Known:
			v = v.OutputValue().Element
		default:
			return v
		}
	}
}

// IsUnknown reports whether the value at path is not known yet (a computed
// value during preview). A missing path is not unknown.
func IsUnknown(m resource.PropertyMap, path string) bool {
	v, ok := getRaw(m, path)
	return ok && Unknown(v)
}

// Unknown reports whether v is, or contains at its top, an unknown value: a
// computed value, an unknown output, or one of the engine's unknown sentinel
// strings (sdk/go/common/resource/sig: a value that crossed the wire as JSON
// without being decoded) — an encrypted secret read from a state file is a
// secret holding a computed value, so it is unknown too.
func Unknown(v resource.PropertyValue) bool {
	for {
		switch {
		case v.IsComputed():
			return true
		case v.IsString():
			return IsUnknownSentinel(v.StringValue())
		case v.IsOutput():
			if !v.OutputValue().Known {
				return true
			}
			v = v.OutputValue().Element
		case v.IsSecret():
			v = v.SecretValue().Element
		default:
			return false
		}
	}
}

// IsSecret reports whether the value at path is marked secret.
func IsSecret(m resource.PropertyMap, path string) bool {
	v, ok := getRaw(m, path)
	return ok && v.ContainsSecrets()
}

// getRaw is Get without unwrapping the final value, and stopping at unknowns.
func getRaw(m resource.PropertyMap, path string) (resource.PropertyValue, bool) {
	if m == nil || path == "" {
		return resource.PropertyValue{}, false
	}
	v := resource.NewObjectProperty(m)
	for rest := path; rest != ""; {
		if Unknown(v) {
			return v, true
		}
		var part pathPart
		part, rest = next(rest)
		v = Unwrap(v)
		switch {
		case part.index >= 0:
			if !v.IsArray() || part.index >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false
			}
			v = v.ArrayValue()[part.index]
		case v.IsObject():
			var ok bool
			if v, ok = v.ObjectValue()[resource.PropertyKey(part.key)]; !ok {
				return resource.PropertyValue{}, false
			}
		default:
			return resource.PropertyValue{}, false
		}
	}
	return v, true
}

type pathPart struct {
	key   string
	index int
}

// String returns the string at path, or "" when it is absent, unknown or not a string.
func String(m resource.PropertyMap, path string) string {
	if v, ok := Get(m, path); ok && v.IsString() && !Unknown(v) {
		return v.StringValue()
	}
	return ""
}

// Number returns the number at path; numeric strings are read as the provider
// reads them (see ParseNumber). ok is false when the value is absent, unknown
// or not a number. For compatibility with its callers, strings that Go's
// strconv.ParseFloat reads but the provider does not ("NaN", "Inf", hex
// floats) are still returned, with ok, as before ParseNumber existed: callers
// such as the cost model reject non-finite values themselves, and would
// otherwise mistake them for an absent value. LookupNumber reports them as
// Malformed.
func Number(m resource.PropertyMap, path string) (float64, bool) {
	v, ok := Get(m, path)
	if !ok {
		return 0, false
	}
	if f, ok := ParseNumber(v); ok {
		return f, true
	}
	if v = Unwrap(v); v.IsString() && !Unknown(v) {
		f, err := strconv.ParseFloat(v.StringValue(), 64)
		return f, err == nil
	}
	return 0, false
}

// Bool returns the bool at path; the strings "true", "1", "false" and "0" are
// read as the provider reads them (see ParseBool). ok is false when the value
// is absent, unknown or not readable as a bool.
func Bool(m resource.PropertyMap, path string) (b, ok bool) {
	v, found := Get(m, path)
	if !found {
		return false, false
	}
	return ParseBool(v)
}

// ParseBool reads v as a bool the way pulumi-aws reads a bool input: a bool,
// or one of the strings "true", "1", "false", "0". Terraform coerces a
// configuration value to its schema type with go-cty's conversion (go-cty
// v1.16 cty/convert/conversion_primitive.go: `case "true", "1"` / `case
// "false", "0"`; anything else, "True" included, is the error "a bool is
// required"); Plugin Framework resources (pulumi-terraform-bridge
// pkg/convert/bool.go) accept only a real bool, which this reading accepts
// too. SDKv2's legacy field reader (mapstructure.WeakDecode, i.e.
// strconv.ParseBool) would also take "t", "T", "TRUE" and "True": those are not
// ok here, so a policy reports them instead of guessing. Anything else,
// unknown values included, is not ok.
func ParseBool(v resource.PropertyValue) (b, ok bool) {
	v = Unwrap(v)
	switch {
	case Unknown(v):
		return false, false
	case v.IsBool():
		return v.BoolValue(), true
	case v.IsString():
		switch v.StringValue() {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return false, false
}

// ParseNumber reads v as a number the way pulumi-aws reads a number input: a
// number, or a string in base-10 decimal notation ("7", "-1.5", "1e3") as
// go-cty parses it (cty.ParseNumberVal: big.ParseFloat(s, 10, 512,
// big.ToNearestEven), so no hex, no underscores, no spaces). Infinities and NaN
// are not ok: no AWS setting takes them.
func ParseNumber(v resource.PropertyValue) (float64, bool) {
	v = Unwrap(v)
	switch {
	case Unknown(v):
		return 0, false
	case v.IsNumber():
		f := v.NumberValue()
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	case v.IsString():
		if s := v.StringValue(); plainDecimal(s) {
			// The same decimal grammar, without big.Float's cost on a hot path.
			f, err := strconv.ParseFloat(s, 64)
			return f, err == nil && !math.IsInf(f, 0)
		}
		bf, _, err := big.ParseFloat(v.StringValue(), 10, 512, big.ToNearestEven)
		if err != nil || bf.IsInf() {
			return 0, false
		}
		f, _ := bf.Float64()
		return f, !math.IsInf(f, 0)
	}
	return 0, false
}

// plainDecimal reports whether s holds only digits, signs and points, which
// strconv.ParseFloat and go-cty's big.ParseFloat(s, 10, ...) read alike
// (exponents are left to big.ParseFloat: it rejects "0e100000000000000000000",
// which strconv reads as 0).
func plainDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}

// IsUnknownSentinel reports whether s is one of the Pulumi engine's sentinel
// strings for a value that is not known yet (sdk/go/common/resource/sig).
func IsUnknownSentinel(s string) bool {
	if len(s) != len(sig.UnknownBoolValue) {
		return false // every sentinel is a 36-character UUID: a cheap first test
	}
	switch s {
	case sig.UnknownBoolValue, sig.UnknownNumberValue, sig.UnknownStringValue, sig.UnknownArrayValue,
		sig.UnknownAssetValue, sig.UnknownArchiveValue, sig.UnknownObjectValue:
		return true
	}
	return false
}

// Status says what a strict read found at a path.
type Status int

// What a strict read (LookupBool, LookupNumber, LookupString) can find.
const (
	// Missing: the path does not exist or holds null; the provider's default applies.
	Missing Status = iota
	// Known: a known value of the expected type (after the provider's coercion).
	Known
	// Pending: a value is there but cannot be read: unknown (computed during a
	// preview) or an encrypted secret. Never a pass.
	Pending
	// Malformed: a known value that the provider would not read as the
	// expected type (e.g. "yes" for a bool).
	Malformed
)

// String names the status for messages.
func (s Status) String() string {
	switch s {
	case Missing:
		return "missing"
	case Known:
		return "known"
	case Pending:
		return "not known"
	case Malformed:
		return "malformed"
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// lookup finds the value at path and classifies it as missing or pending;
// ok is true when there is a known value to parse.
func lookup(m resource.PropertyMap, path string) (resource.PropertyValue, Status, bool) {
	raw, found := getRaw(m, path)
	switch {
	case !found:
		return raw, Missing, false
	case Unknown(raw):
		return raw, Pending, false
	}
	v := Unwrap(raw)
	if v.IsNull() {
		return v, Missing, false
	}
	return v, Known, true
}

// LookupBool reads the bool at path strictly: Known with the value as the
// provider reads it (ParseBool), else Missing, Pending or Malformed.
func LookupBool(m resource.PropertyMap, path string) (bool, Status) {
	v, st, ok := lookup(m, path)
	if !ok {
		return false, st
	}
	if b, ok := ParseBool(v); ok {
		return b, Known
	}
	return false, Malformed
}

// LookupNumber reads the number at path strictly: Known with the value as
// the provider reads it (ParseNumber), else Missing, Pending or Malformed.
func LookupNumber(m resource.PropertyMap, path string) (float64, Status) {
	v, st, ok := lookup(m, path)
	if !ok {
		return 0, st
	}
	if f, ok := ParseNumber(v); ok {
		return f, Known
	}
	return 0, Malformed
}

// LookupString reads the string at path strictly: Known with the string, else
// Missing, Pending or Malformed (not a string).
func LookupString(m resource.PropertyMap, path string) (string, Status) {
	v, st, ok := lookup(m, path)
	if !ok {
		return "", st
	}
	if v.IsString() {
		return v.StringValue(), Known
	}
	return "", Malformed
}

// Array returns the elements of the array at path, or nil.
func Array(m resource.PropertyMap, path string) []resource.PropertyValue {
	if v, ok := Get(m, path); ok && v.IsArray() {
		return v.ArrayValue()
	}
	return nil
}

// Strings returns the known string elements of the array at path.
func Strings(m resource.PropertyMap, path string) []string {
	var out []string
	for _, e := range Array(m, path) {
		if e = Unwrap(e); e.IsString() && !Unknown(e) {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// Object returns the object at path, or nil.
func Object(m resource.PropertyMap, path string) resource.PropertyMap {
	if v, ok := Get(m, path); ok && v.IsObject() {
		return v.ObjectValue()
	}
	return nil
}

// next returns the first part of a path ("a.b[0]" -> "a", then "b", then [0])
// and the rest, without allocating: policies read properties on a hot path.
func next(path string) (pathPart, string) {
	if path[0] == '[' {
		end := strings.IndexByte(path, ']')
		if end < 0 {
			return pathPart{index: 1 << 30}, "" // malformed: never matches
		}
		i, err := strconv.Atoi(path[1:end])
		if err != nil || i < 0 {
			i = 1 << 30
		}
		rest := path[end+1:]
		if len(rest) > 0 && rest[0] == '.' {
			rest = rest[1:]
		}
		return pathPart{index: i}, rest
	}
	end := strings.IndexAny(path, ".[")
	if end < 0 {
		return pathPart{key: path, index: -1}, ""
	}
	rest := path[end:]
	if rest[0] == '.' {
		rest = rest[1:]
	}
	return pathPart{key: path[:end], index: -1}, rest
}

// AsObject returns v's object (looking through secrets), or nil when v is not an
// object: safe on any value, unlike PropertyValue.ObjectValue.
func AsObject(v resource.PropertyValue) resource.PropertyMap {
	if v = Unwrap(v); v.IsObject() {
		return v.ObjectValue()
	}
	return nil
}

// JSON converts properties to plain JSON values (for reports and exported
// state): every secret becomes redacted and every unknown value becomes unknown,
// so nothing secret is ever written out.
func JSON(m resource.PropertyMap, redacted, unknown string) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = jsonValue(v, redacted, unknown)
	}
	return out
}

func jsonValue(v resource.PropertyValue, redacted, unknown string) any {
	switch {
	case v.IsSecret():
		return redacted
	case v.IsComputed():
		return unknown
	case v.IsOutput():
		o := v.OutputValue()
		switch {
		case o.Secret:
			return redacted
		case !o.Known:
			return unknown
		}
		return jsonValue(o.Element, redacted, unknown)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = jsonValue(e, redacted, unknown)
		}
		return arr
	case v.IsObject():
		return JSON(v.ObjectValue(), redacted, unknown)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset():
		return assetJSON(v.AssetValue())
	case v.IsArchive():
		return archiveJSON(v.ArchiveValue())
	}
	return v.String()
}

// assetJSON renders an asset as the state file does (`pulumi stack export`:
// the asset signature, hash, text, path or uri), so reports are the same on
// every run (a *asset.Asset printed with %v is its pointer) and an exported
// state reads back as an asset. A text asset gets the hash the engine gives
// it (SHA-256 of the text, asset.EnsureHash); a path or URI asset keeps the
// hash it has: computing one would read a file or the network.
func assetJSON(a *asset.Asset) map[string]any {
	if a == nil {
		return map[string]any{sig.Key: sig.AssetSig}
	}
	out := map[string]any{sig.Key: sig.AssetSig}
	hash := a.Hash
	if hash == "" && a.IsText() {
		sum := sha256.Sum256([]byte(a.Text))
		hash = hex.EncodeToString(sum[:])
	}
	for k, val := range map[string]string{asset.AssetHashProperty: hash, asset.AssetTextProperty: a.Text,
		asset.AssetPathProperty: a.Path, asset.AssetURIProperty: a.URI} {
		if val != "" {
			out[k] = val
		}
	}
	return out
}

// archiveJSON renders an archive as the state file does: its signature, hash,
// path or uri, or its assets (each rendered the same way).
func archiveJSON(a *archive.Archive) map[string]any {
	out := map[string]any{sig.Key: sig.ArchiveSig}
	if a == nil {
		return out
	}
	for k, val := range map[string]string{archive.ArchiveHashProperty: a.Hash,
		archive.ArchivePathProperty: a.Path, archive.ArchiveURIProperty: a.URI} {
		if val != "" {
			out[k] = val
		}
	}
	if a.Assets != nil {
		assets := make(map[string]any, len(a.Assets))
		for name, e := range a.Assets {
			switch e := e.(type) {
			case *asset.Asset:
				assets[name] = assetJSON(e)
			case *archive.Archive:
				assets[name] = archiveJSON(e)
			default:
				assets[name] = fmt.Sprintf("%T", e) // not an asset or archive: its type, never a pointer
			}
		}
		out[archive.ArchiveAssetsProperty] = assets
	}
	return out
}
