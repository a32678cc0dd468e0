// Package naming builds the logical names and tags of component children, so
// that every component names its children the same way: "<component>-<role>"
// (plus a zone or region part where one role repeats), which keeps two
// instances of a component from colliding and makes resources easy to find.
package naming

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Child returns the logical name of a component's child: the component name and
// the role, then any further parts (zone, region, index), joined with "-".
func Child(component, role string, parts ...string) string {
	var b strings.Builder
	b.WriteString(component)
	b.WriteByte('-')
	b.WriteString(role)
	for _, p := range parts {
		if p == "" {
			continue
		}
		b.WriteByte('-')
		b.WriteString(p)
	}
	return b.String()
}

// Tags returns the caller's tags plus a Name tag (the caller's Name tag, if any,
// is replaced: Name always identifies the child).
func Tags(base map[string]string, name string) pulumi.StringMap {
	out := make(pulumi.StringMap, len(base)+1)
	for k, v := range base {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}

// Physical returns a physical (cloud-side) name of at most maxLen characters for
// a resource whose logical name is base, unique per unique: base is reduced to
// lowercase letters, digits and single hyphens, cut so that "-" and an
// 8-character hash of unique fit, and the hash appended. The result starts
// with a letter or digit, never ends with a hyphen and never holds "--", so it
// is valid wherever AWS takes "letters, digits and hyphens, not starting or
// ending with a hyphen" (load balancers, target groups). It is deterministic:
// the same inputs give the same name on every run, so it never churns.
//
// Use it where Pulumi's auto-name (the logical name plus "-" and 7 random
// characters) can exceed the service's limit. Put into unique everything that
// must make the name differ: the project and stack (two stacks in one account
// and region), and any input whose change replaces the resource (a
// create-before-delete replacement needs a new name while the old one exists).
func Physical(base string, maxLen int, unique ...string) string {
	const hashLen = 8
	h := fnv.New64a()
	for _, u := range unique {
		_, _ = h.Write([]byte(u))
		_, _ = h.Write([]byte{0})
	}
	sum := fmt.Sprintf("%016x", h.Sum64())[:hashLen]
	room := maxLen - hashLen - 1
	if room < 1 {
		return sum[:min(hashLen, maxLen)]
	}
	clean := Sanitize(base)
	if len(clean) > room {
		clean = strings.TrimRight(clean[:room], "-")
	}
	if clean == "" {
		return sum
	}
	return clean + "-" + sum
}

// Sanitize lowercases s, turns every run of characters other than letters and
// digits into one hyphen and trims hyphens at both ends.
func Sanitize(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return b.String()
}
