package geodns_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/validation"
)

// TestValidationErrors pins the rendered text and reads the same problems as
// *validation.Error values.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	err := geodns.Validate("dns", &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingSimple,
		Endpoints: endpoints("us-east-1", "us-west-2")})
	require.Error(t, err)
	assert.Equal(t, `geodns "dns": Routing: "simple" routes to one region but 2 endpoints are listed: use "failover", "latency", "geolocation" or "weighted"`, err.Error())
	var p *validation.Error
	require.True(t, errors.As(err, &p))
	assert.Equal(t, validation.Error{Component: `geodns "dns"`, Key: "Routing",
		Problem: `"simple" routes to one region but 2 endpoints are listed`, Fix: `use "failover", "latency", "geolocation" or "weighted"`}, *p)
}

// TestValues: every backend and routing the Values functions list is accepted.
func TestValues(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, geodns.RoutingValues())
	for _, r := range geodns.RoutingValues() {
		args := &geodns.Args{Domain: "app.example.com", Routing: r, Endpoints: endpoints("us-east-1", "us-west-2")}
		switch r {
		case geodns.RoutingSimple:
			args.Endpoints = endpoints("us-east-1")
		case geodns.RoutingGeolocation:
			args.Geo = map[string]string{"*": "us-east-1", "EU": "us-west-2"}
		}
		assert.NoError(t, geodns.Validate("dns", args), r)
	}
	require.NotEmpty(t, geodns.BackendValues())
	for _, b := range geodns.BackendValues() {
		args := &geodns.Args{Domain: "app.example.com", Backend: b, Routing: geodns.RoutingLatency, Endpoints: endpoints("us-east-1", "us-west-2")}
		if b == geodns.BackendCloudflare {
			args.Cloudflare = geodns.Cloudflare{AccountID: "acct", ZoneID: "zone"}
		}
		assert.NoError(t, geodns.Validate("dns", args), b)
	}
	require.NotEmpty(t, geodns.CheckerRegionValues())
	args := &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingLatency, Endpoints: endpoints("us-east-1", "us-west-2")}
	args.Route53.CheckerRegions = geodns.CheckerRegionValues()
	assert.NoError(t, geodns.Validate("dns", args))
	args.Route53.CheckerRegions = []string{"us-east-1", "eu-west-1", "eu-central-1"}
	assert.Error(t, geodns.Validate("dns", args), "eu-central-1 has no Route 53 health checkers")
}
