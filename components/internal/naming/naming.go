// Package naming builds the logical names and tags of component children, so
// that every component names its children the same way: "<component>-<role>"
// (plus a zone or region part where one role repeats), which keeps two
// instances of a component from colliding and makes resources easy to find.
package naming

import (
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
