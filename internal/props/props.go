// Package props reads values out of Pulumi property maps by path, looking
// through secrets and reporting unknown (computed) values instead of panicking
// on them. Policies, the mock recorder's tests and the CLI all read properties
// this way.
package props

import (
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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

// Unknown reports whether v is, or contains at its top, an unknown value.
func Unknown(v resource.PropertyValue) bool {
	for {
		switch {
		case v.IsComputed():
			return true
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
	if v, ok := Get(m, path); ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

// Number returns the number at path (numeric strings are parsed too).
func Number(m resource.PropertyMap, path string) (float64, bool) {
	v, ok := Get(m, path)
	switch {
	case !ok:
		return 0, false
	case v.IsNumber():
		return v.NumberValue(), true
	case v.IsString():
		f, err := strconv.ParseFloat(v.StringValue(), 64)
		return f, err == nil
	}
	return 0, false
}

// Bool returns the bool at path; ok is false when it is absent or not a bool.
func Bool(m resource.PropertyMap, path string) (b, ok bool) {
	v, found := Get(m, path)
	if !found || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
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
		if e = Unwrap(e); e.IsString() {
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
	}
	return v.String()
}
