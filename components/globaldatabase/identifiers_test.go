package globaldatabase

import (
	"strings"
	"testing"

	"github.com/multiregion/multiregion/internal/regions"
)

// FuzzIdentifiers: for any component name and any known-shaped region, every
// identifier the component derives is one AWS accepts, and the same name
// always gives the same identifiers (a changed name is a replaced database).
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"app-prod", "App_Prod.eu", "a--b", "app-", "9", "", "-", "ÄÖÜ", strings.Repeat("x", 300)} {
		f.Add(s, "ap-southeast-1", uint8(16))
	}
	f.Fuzz(func(t *testing.T, name, region string, n uint8) {
		if name == "" || !regions.ValidName(region) {
			return // refused by resolve
		}
		base := identifierBase(name, ModeAuroraGlobal)
		if base != identifierBase(name, ModeAuroraGlobal) {
			t.Fatalf("identifierBase(%q) is not deterministic", name)
		}
		if identifierRE.MatchString(name) && base != name {
			t.Fatalf("valid name %q was renamed to %q", name, base)
		}
		for _, logical := range []string{
			identifierName(base + "-db-" + region),
			identifierName(base + "-cluster-" + region),
			identifierName(base + "-instance-" + region + "-" + string(rune('0'+n%10)) + "6"),
		} {
			id := logical + "-abc1234" // what Pulumi's auto-naming appends
			if !ValidIdentifier(id, MaxIdentifierLength) {
				t.Fatalf("name %q region %q: identifier %q (%d) is invalid", name, region, id, len(id))
			}
		}
		if g := fit(base, MaxIdentifierLength); !ValidIdentifier(g, MaxIdentifierLength) {
			t.Fatalf("global cluster identifier %q is invalid", g)
		}
	})
}

// TestFitKeepsNamesApart: two long names that share their first 60
// characters still get different identifiers.
func TestFitKeepsNamesApart(t *testing.T) {
	a := strings.Repeat("a", 60) + "-one"
	b := strings.Repeat("a", 60) + "-two"
	if fit(a, 55) == fit(b, 55) {
		t.Fatalf("%q and %q meet at %q", a, b, fit(a, 55))
	}
	if got := fit("short", 55); got != "short" {
		t.Fatalf("fit changed a name that fits: %q", got)
	}
}
