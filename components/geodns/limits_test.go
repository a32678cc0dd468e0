package geodns_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/quick"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/mockengine"
)

// Route 53 geolocation codes (Route 53 API reference, GeoLocation): the
// continents, and the subdivision codes this project accepts (US states and DC).
var (
	r53Continents = []string{"AF", "AN", "AS", "EU", "OC", "NA", "SA"}
	usStateCodes  = strings.Fields(`AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT
NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY`)
)

// Issue 14 point 9: geolocation keys AWS accepts, and a clear error for the rest.
func TestGeolocationKeys(t *testing.T) {
	t.Parallel()
	type geo struct{ continent, country, subdivision string }
	ok := []struct {
		key   string
		setID string
		want  geo
	}{
		{"EU", "eu-west-1-eu", geo{continent: "EU"}},
		{"OC", "eu-west-1-oc", geo{continent: "OC"}},
		{"AN", "eu-west-1-an", geo{continent: "AN"}},
		{"continent:AS", "eu-west-1-as", geo{continent: "AS"}}, // what plain "AS" used to mean: same record
		{"country:AS", "eu-west-1-country-as", geo{country: "AS"}},
		{"country:NA", "eu-west-1-country-na", geo{country: "NA"}},
		{"DE", "eu-west-1-de", geo{country: "DE"}},
		{"country:DE", "eu-west-1-de", geo{country: "DE"}},
		{"UA", "eu-west-1-ua", geo{country: "UA"}},
		{"US-CA", "eu-west-1-us-ca", geo{country: "US", subdivision: "CA"}},
		{"US-DC", "eu-west-1-us-dc", geo{country: "US", subdivision: "DC"}},
	}
	for _, tc := range ok {
		rec, _, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation,
			Endpoints: endpoints("us-east-1", "eu-west-1"), Route53: geodns.Route53{ZoneID: "Z1"},
			Geo: map[string]string{tc.key: "eu-west-1", "*": "us-east-1"}})
		require.NoError(t, err, tc.key)
		var found bool
		for _, r := range rec.ByType(tRecord) {
			if props.String(r.Inputs, "setIdentifier") != tc.setID {
				continue
			}
			found = true
			assert.Equal(t, tc.want, geo{
				props.String(r.Inputs, "geolocationRoutingPolicies[0].continent"),
				props.String(r.Inputs, "geolocationRoutingPolicies[0].country"),
				props.String(r.Inputs, "geolocationRoutingPolicies[0].subdivision"),
			}, tc.key)
		}
		assert.True(t, found, "%s: a record with set identifier %s", tc.key, tc.setID)
	}

	bad := []struct {
		geo  map[string]string
		want string
	}{
		{map[string]string{"DE-BY": "eu-west-1"}, `Geo: "DE-BY": Route 53 has subdivisions only for the United States (e.g. "US-CA"): map the country "DE" instead`},
		{map[string]string{"AS": "eu-west-1"}, `Geo: "AS" is both a continent (Asia) and a country: write "continent:AS" or "country:AS"`},
		{map[string]string{"AF": "eu-west-1"}, `"AF" is both a continent (Africa)`},
		{map[string]string{"SA": "eu-west-1"}, `"SA" is both a continent (South America)`},
		{map[string]string{"NA": "eu-west-1"}, `"NA" is both a continent (North America)`},
		{map[string]string{"EU": "eu-west-1", "continent:EU": "eu-west-1"}, `Geo: "EU" and "continent:EU" are the same location: keep one`},
		{map[string]string{"DE": "eu-west-1", "country:DE": "us-east-1"}, `"DE" and "country:DE" are the same location`},
		{map[string]string{"XK": "eu-west-1"}, `Geo: "XK" is not a location`},
		{map[string]string{"country:EU": "eu-west-1"}, `"country:EU": "EU" is not an ISO 3166-1 alpha-2 country code`},
		{map[string]string{"continent:DE": "eu-west-1"}, `"continent:DE": "DE" is not a Route 53 continent code`},
		{map[string]string{"US-PR": "eu-west-1"}, `"US-PR": "PR" is not a US state code`},
		{map[string]string{"us-ca": "eu-west-1"}, `"us-ca": location codes are uppercase: write "US-CA"`},
		{map[string]string{"de": "eu-west-1"}, `write "DE"`},
		{map[string]string{"Europe": "eu-west-1"}, `"Europe" is not a location`},
	}
	for _, tc := range bad {
		tc.geo["*"] = "us-east-1"
		err := geodns.Validate("dns", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation,
			Endpoints: endpoints("us-east-1", "eu-west-1"), Route53: geodns.Route53{ZoneID: "Z1"}, Geo: tc.geo})
		require.Error(t, err, "%v", tc.geo)
		assert.Contains(t, err.Error(), tc.want)
	}

	// Cloudflare: continent:AS becomes Asia's Cloudflare regions, country:AS a country pool.
	args := cloudflareArgs(geodns.RoutingGeolocation, "eu-central-1", "eu-west-1")
	args.Geo = map[string]string{"continent:AS": "eu-west-1", "country:SA": "eu-west-1", "*": "eu-central-1"}
	rec, _, err := run(t, args)
	require.NoError(t, err)
	lb := rec.ByType(tLB)[0]
	var regionsGot, countries []string
	for _, rp := range props.Array(lb.Inputs, "regionPools") {
		regionsGot = append(regionsGot, props.String(rp.ObjectValue(), "region"))
	}
	for _, cp := range props.Array(lb.Inputs, "countryPools") {
		countries = append(countries, props.String(cp.ObjectValue(), "country"))
	}
	assert.ElementsMatch(t, []string{"ME", "SAS", "SEAS", "NEAS"}, regionsGot)
	assert.Equal(t, []string{"SA"}, countries)
}

// Issue 14 point 10: Cloudflare random-steering weights are relative weights in
// 0 to 1 and default_weight is at most 1.
func TestCloudflareWeightsAreRelative(t *testing.T) {
	t.Parallel()
	args := cloudflareArgs(geodns.RoutingWeighted, "us-east-1", "us-west-2", "eu-west-1")
	w200, w50, w0 := 200, 50, 0
	args.Endpoints[0].Weight, args.Endpoints[1].Weight, args.Endpoints[2].Weight = &w200, &w50, &w0
	rec, _, err := run(t, args)
	require.NoError(t, err)
	lb := rec.ByType(tLB)[0]
	ps := pools(rec)
	got := map[string]float64{}
	for region, p := range ps {
		w, ok := props.Number(lb.Inputs, "randomSteerings[0].poolWeights."+p.ID)
		require.True(t, ok, region)
		got[region] = w
	}
	assert.Equal(t, map[string]float64{"us-east-1": 1, "us-west-2": 0.25, "eu-west-1": 0}, got)
	def, _ := props.Number(lb.Inputs, "randomSteerings[0].defaultWeight")
	assert.LessOrEqual(t, def, 1.0)

	// a positive weight that would round to 0 is refused, not silently drained
	w1, w255 := 1, 255
	args.Endpoints[0].Weight, args.Endpoints[1].Weight, args.Endpoints[2].Weight = &w255, &w1, nil
	err = geodns.Validate("dns", args)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Endpoints[1].Weight: 1 is below 1/200 of the largest weight")
	// Route 53 takes 0-255 as is
	args.Backend, args.Cloudflare = geodns.BackendRoute53, geodns.Cloudflare{}
	args.Route53.ZoneID = "Z1"
	assert.NoError(t, geodns.Validate("dns", args))
}

// dnsConfig is one draw from the GeoDNS arg space.
type dnsConfig struct {
	Backend, Routing string
	Regions          []string
	Weights          []int // -1: unset
	Geo              map[string]string
	Drill            string
}

// geoKeyPool mixes valid keys of every kind, the ambiguous codes in every form
// and invalid ones (DE-BY, lowercase, unknown codes, duplicates in two forms).
var geoKeyPool = []string{
	"*", "EU", "OC", "AN", "AF", "AS", "NA", "SA",
	"continent:AF", "continent:AS", "continent:NA", "continent:SA", "continent:EU", "continent:XX",
	"country:AF", "country:AS", "country:NA", "country:SA", "country:DE", "country:EU",
	"DE", "FR", "GB", "UA", "JP", "BR", "US", "IN", "XK", "ZZ", "de",
	"US-CA", "US-NY", "US-DC", "US-PR", "DE-BY", "GB-ENG", "us-tx",
}

// Generate implements quick.Generator.
func (dnsConfig) Generate(r *rand.Rand, _ int) reflect.Value {
	all := slices.Sorted(maps.Keys(regions.Known))
	c := dnsConfig{Backend: geodns.BackendRoute53}
	if r.Intn(3) == 0 {
		c.Backend = geodns.BackendCloudflare
	}
	routings := []string{geodns.RoutingSimple, geodns.RoutingFailover, geodns.RoutingLatency, geodns.RoutingGeolocation, geodns.RoutingWeighted}
	c.Routing = routings[r.Intn(len(routings))]
	n := 1 + r.Intn(4)
	if c.Routing == geodns.RoutingSimple {
		n = 1
	}
	for _, i := range r.Perm(len(all))[:n] {
		c.Regions = append(c.Regions, all[i])
	}
	if c.Routing == geodns.RoutingWeighted {
		for range c.Regions {
			w := -1
			if r.Intn(4) > 0 {
				w = []int{0, 1, 2, 10, 50, 100, 254, 255}[r.Intn(8)]
			}
			c.Weights = append(c.Weights, w)
		}
	}
	if c.Routing == geodns.RoutingGeolocation {
		c.Geo = map[string]string{"*": c.Regions[0]}
		for i := r.Intn(6); i > 0; i-- {
			c.Geo[geoKeyPool[r.Intn(len(geoKeyPool))]] = c.Regions[r.Intn(len(c.Regions))]
		}
	}
	if c.Routing != geodns.RoutingSimple && r.Intn(4) == 0 {
		c.Drill = c.Regions[r.Intn(len(c.Regions))]
	}
	return reflect.ValueOf(c)
}

func (c dnsConfig) args() *geodns.Args {
	a := &geodns.Args{Domain: "app.example.com", Backend: c.Backend, Routing: c.Routing,
		Endpoints: endpoints(c.Regions...), Geo: c.Geo}
	for i, w := range c.Weights {
		if w >= 0 {
			w := w
			a.Endpoints[i].Weight = &w
		}
	}
	if c.Backend == geodns.BackendCloudflare {
		a.Cloudflare = geodns.Cloudflare{AccountID: "acct", ZoneID: "zone"}
	} else {
		a.Route53 = geodns.Route53{ZoneID: "Z1"}
	}
	if c.Drill != "" {
		a.Drill = &geodns.Drill{FailRegion: c.Drill}
	}
	return a
}

// checkDNSLimits checks the recorded GeoDNS resources against Route 53's and
// Cloudflare's rules and returns the problems found.
func checkDNSLimits(rec *mockengine.Recorder) []string {
	var bad []string
	fail := func(format string, a ...any) { bad = append(bad, fmt.Sprintf(format, a...)) }
	used := map[string]bool{}
	geos := map[string]string{}
	for _, r := range rec.ByType(tRecord) {
		used[props.String(r.Inputs, "healthCheckId")] = true
		if set := props.String(r.Inputs, "setIdentifier"); len(set) > 128 {
			fail("%s: set identifier over 128 characters (ResourceRecordSet SetIdentifier)", r.Name)
		}
		if len(props.Array(r.Inputs, "geolocationRoutingPolicies")) == 0 {
			continue
		}
		cont := props.String(r.Inputs, "geolocationRoutingPolicies[0].continent")
		country := props.String(r.Inputs, "geolocationRoutingPolicies[0].country")
		sub := props.String(r.Inputs, "geolocationRoutingPolicies[0].subdivision")
		switch {
		case cont != "" && (country != "" || sub != ""):
			fail("%s: a continent with a country or subdivision is InvalidInput", r.Name)
		case cont != "" && !slices.Contains(r53Continents, cont):
			fail("%s: continent %q", r.Name, cont)
		case cont == "" && country != "*" && !geodns.ValidCountryCode(country):
			fail("%s: country %q is not ISO 3166-1 alpha-2", r.Name, country)
		case sub != "" && (country != "US" || !slices.Contains(usStateCodes, sub)):
			fail("%s: subdivision %q of %q", r.Name, sub, country)
		}
		key := cont + "/" + country + "/" + sub
		if other, dup := geos[key]; dup {
			fail("%s and %s: two records for the same location %s", other, r.Name, key)
		}
		geos[key] = r.Name
	}
	for _, hc := range rec.ByType(tHealth) {
		if !used[hc.ID] {
			fail("%s: a health check no record uses (billed for nothing)", hc.Name)
		}
	}
	for _, lb := range rec.ByType(tLB) {
		if props.String(lb.Inputs, "steeringPolicy") == "random" {
			def, _ := props.Number(lb.Inputs, "randomSteerings[0].defaultWeight")
			if def < 0 || def > 1 || math.Abs(def*10-math.Round(def*10)) > 1e-9 {
				fail("%s: default_weight %v is not in 0..1 in steps of 0.1", lb.Name, def)
			}
			weights := props.Object(lb.Inputs, "randomSteerings[0].poolWeights")
			if len(weights) == 0 {
				fail("%s: random steering without pool weights", lb.Name)
			}
			for id, w := range weights {
				if v := w.NumberValue(); v < 0 || v > 1 {
					fail("%s: pool %s weight %v is not in 0..1", lb.Name, id, v)
				}
			}
		}
		for _, cp := range props.Array(lb.Inputs, "countryPools") {
			if c := props.String(cp.ObjectValue(), "country"); !geodns.ValidCountryCode(c) {
				fail("%s: country pool %q", lb.Name, c)
			}
		}
	}
	if len(rec.ByType(tRecord)) == 0 && len(rec.ByType(tLB)) == 0 {
		fail("neither a Route 53 record nor a Cloudflare load balancer was recorded: nothing was checked")
	}
	return bad
}

// TestArgSpaceMeetsDNSLimits draws configs across GeoDNS's arg space (both
// backends, every routing, 1-4 regions from every known region, weights, geo
// maps mixing valid, ambiguous and invalid keys, drills) and checks that every
// config Validate accepts builds only records and steering AWS and Cloudflare
// accept, and that every refused one names the field.
func TestArgSpaceMeetsDNSLimits(t *testing.T) {
	t.Parallel()
	count := 300
	if testing.Short() {
		count = 60
	}
	built, refused := 0, 0
	check := func(c dnsConfig) bool {
		a := c.args()
		if err := geodns.Validate("dns", a); err != nil {
			refused++
			if !strings.Contains(err.Error(), `geodns "dns": `) || !strings.Contains(err.Error(), ": ") {
				t.Errorf("%+v: refusal does not name the field: %v", c, err)
				return false
			}
			return true
		}
		rec, _, err := run(t, a)
		if err != nil {
			t.Errorf("Validate accepted %+v but New failed: %v", c, err)
			return false
		}
		built++
		if bad := checkDNSLimits(rec); len(bad) > 0 {
			t.Errorf("%+v:\n  %s", c, strings.Join(bad, "\n  "))
			return false
		}
		return true
	}
	require.NoError(t, quick.Check(check, &quick.Config{MaxCount: count, Rand: rand.New(rand.NewSource(14))}))
	assert.Greater(t, built, count/4, "many drawn configs were built")
	assert.Greater(t, refused, 0, "some drawn configs were refused")
}

func TestCountryCodes(t *testing.T) {
	t.Parallel()
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if geodns.ValidCountryCode(string([]rune{a, b})) {
				n++
			}
		}
	}
	assert.Equal(t, 249, n, "ISO 3166-1 alpha-2 assigns 249 codes")
	for _, c := range []string{"UA", "DE", "AS", "NA", "SA", "AF", "US", "GB", "SS", "XK"} {
		assert.Equal(t, c != "XK", geodns.ValidCountryCode(c), c)
	}
	for _, c := range []string{"EU", "UK", "AN", "OC", "*", "", "de"} {
		assert.False(t, geodns.ValidCountryCode(c), c)
	}
}

// Duplicate checker regions would pass a count of 3 with fewer than 3 regions.
func TestDuplicateCheckRegions(t *testing.T) {
	t.Parallel()
	err := geodns.Validate("dns", &geodns.Args{Domain: "app.example.com", Endpoints: endpoints("us-east-1", "us-west-2"),
		Route53: geodns.Route53{ZoneID: "Z1", CheckerRegions: []string{"us-east-1", "us-east-1", "eu-west-1"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Route53.CheckerRegions: "us-east-1" is listed twice`)
	args := cloudflareArgs(geodns.RoutingFailover, "us-east-1", "us-west-2")
	args.Cloudflare.CheckRegions = []string{"ENAM", "ENAM"}
	err = geodns.Validate("dns", args)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Cloudflare.CheckRegions: "ENAM" is listed twice`)
}
