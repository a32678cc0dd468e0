package geodns

import (
	"fmt"
	"strings"
)

// Geo keys. A key is "*" (everyone else), a continent, a country or a United
// States subdivision, in the codes of the Route 53 API reference, GeoLocation
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_GeoLocation.html):
// continent codes AF, AN, AS, EU, OC, NA, SA; country codes ISO 3166-1 alpha-2
// (Route 53 also supports UA for Ukraine); subdivision codes only for states of
// the United States, and only with country US.
//
// Four continent codes are also country codes: AF (Afghanistan), AS (American
// Samoa), NA (Namibia), SA (Saudi Arabia). A plain key means what it
// unambiguously can (EU, OC and AN are continents; DE is Germany); the four
// ambiguous ones must say which: "continent:AS" or "country:AS".
const (
	// ContinentPrefix marks a Geo key as a continent code: "continent:AS" is Asia.
	ContinentPrefix = "continent:"
	// CountryPrefix marks a Geo key as a country code: "country:AS" is American Samoa.
	CountryPrefix = "country:"
)

// Location kinds.
const (
	kindDefault     = "default"
	kindContinent   = "continent"
	kindCountry     = "country"
	kindSubdivision = "subdivision"
)

// location is a parsed Geo key.
type location struct {
	kind string // kindDefault, kindContinent, kindCountry or kindSubdivision
	code string // "AS", "DE", "US-CA" ("*" for the default)
	key  string // the Geo key as written
}

// continentNames are Route 53's continent codes (API reference, GeoLocation).
var continentNames = map[string]string{
	"AF": "Africa", "AN": "Antarctica", "AS": "Asia", "EU": "Europe",
	"OC": "Oceania", "NA": "North America", "SA": "South America",
}

// countryCodes are the 249 officially assigned ISO 3166-1 alpha-2 codes (ISO
// 3166 Maintenance Agency, Online Browsing Platform, https://www.iso.org/obp;
// UA, which Route 53 names separately, is one of them). Route 53 takes these as
// CountryCode (API reference, GeoLocation), Cloudflare as country_pools keys.
var countryCodes = setOf(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW`)

// usStates are the subdivision codes Route 53 accepts with country US: the 50
// states and the District of Columbia (USPS Publication 28, Appendix B, which
// the Route 53 API reference names; US possessions such as PR and GU have ISO
// country codes of their own: map them as countries).
var usStates = setOf(`
AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT
NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY`)

func setOf(codes string) map[string]bool {
	out := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		out[c] = true
	}
	return out
}

const locationHelp = `use a continent (EU, OC, AN, or continent:AF, continent:AS, continent:NA, continent:SA), ` +
	`an ISO 3166-1 alpha-2 country (DE, or country:AF, country:AS, country:NA, country:SA), a US state (US-CA) or "*"`

// locationProblem is what is wrong with a Geo key and how to fix it.
type locationProblem struct{ problem, fix string }

// parseLocation reads a Geo key, or returns the problem and its fix.
func parseLocation(key string) (location, *locationProblem) {
	loc := location{key: key}
	switch {
	case key == DefaultLocation:
		loc.kind, loc.code = kindDefault, DefaultLocation
		return loc, nil
	case strings.HasPrefix(key, ContinentPrefix):
		code := strings.TrimPrefix(key, ContinentPrefix)
		if continentNames[code] == "" {
			return loc, &locationProblem{fmt.Sprintf("%q: %q is not a Route 53 continent code", key, code), "use AF, AN, AS, EU, OC, NA or SA"}
		}
		loc.kind, loc.code = kindContinent, code
		return loc, nil
	case strings.HasPrefix(key, CountryPrefix):
		code := strings.TrimPrefix(key, CountryPrefix)
		if !countryCodes[code] {
			return loc, &locationProblem{fmt.Sprintf("%q: %q is not an ISO 3166-1 alpha-2 country code (uppercase, e.g. \"DE\")", key, code), ""}
		}
		loc.kind, loc.code = kindCountry, code
		return loc, nil
	case key != strings.ToUpper(key):
		up := strings.ToUpper(key)
		if sub, _ := strings.CutPrefix(up, "US-"); continentNames[up] != "" || countryCodes[up] || usStates[sub] {
			return loc, &locationProblem{fmt.Sprintf("%q: location codes are uppercase", key), fmt.Sprintf("write %q", up)}
		}
		return loc, &locationProblem{fmt.Sprintf("%q is not a location", key), locationHelp}
	case strings.Contains(key, "-"):
		country, sub, _ := strings.Cut(key, "-")
		switch {
		case country != "US":
			return loc, &locationProblem{fmt.Sprintf("%q: Route 53 has subdivisions only for the United States (e.g. \"US-CA\")", key), fmt.Sprintf("map the country %q instead", country)}
		case !usStates[sub]:
			return loc, &locationProblem{fmt.Sprintf("%q: %q is not a US state code (two uppercase letters, e.g. \"US-CA\"; possessions such as PR are countries)", key, sub), ""}
		}
		loc.kind, loc.code = kindSubdivision, key
		return loc, nil
	}
	continent, country := continentNames[key] != "", countryCodes[key]
	switch {
	case continent && country:
		return loc, &locationProblem{fmt.Sprintf("%q is both a continent (%s) and a country", key, continentNames[key]), fmt.Sprintf("write %q or %q", ContinentPrefix+key, CountryPrefix+key)}
	case continent:
		loc.kind, loc.code = kindContinent, key
	case country:
		loc.kind, loc.code = kindCountry, key
	default:
		return loc, &locationProblem{fmt.Sprintf("%q is not a location", key), locationHelp}
	}
	return loc, nil
}

// canonical is the location as one key per place, so that "EU" and
// "continent:EU" are found to be the same location.
func (l location) canonical() string { return l.kind + ":" + l.code }

// setID returns the record set identifier suffix of the location. Keys that
// meant a location before prefixes existed keep their identifier (a changed
// set identifier replaces the record): "EU" and "continent:EU" are "eu",
// "continent:AS" is "as" (what plain "AS" meant), "DE" and "country:DE" are
// "de"; only the countries that share a continent's code get "country-as".
func (l location) setID() string {
	switch {
	case l.kind == kindDefault:
		return "default"
	case l.kind == kindCountry && continentNames[l.code] != "":
		return "country-" + strings.ToLower(l.code)
	}
	return strings.ToLower(l.code)
}

// ValidCountryCode reports whether code is an ISO 3166-1 alpha-2 country code
// that Route 53 and Cloudflare accept.
func ValidCountryCode(code string) bool { return countryCodes[code] }
