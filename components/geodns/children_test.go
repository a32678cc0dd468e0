package geodns_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/components/internal/resourcetest"
)

// TestChildrenAreExported: the exported records, health checks, zone, pools,
// monitor and load balancer are the resources the component registered.
func TestChildrenAreExported(t *testing.T) {
	t.Parallel()
	rec, g, err := run(t, &geodns.Args{Domain: "app.example.com", Routing: geodns.RoutingGeolocation,
		Endpoints: endpoints("us-east-1", "us-west-2"), Geo: map[string]string{"*": "us-east-1", "EU": "us-west-2"},
		Route53: geodns.Route53{ZoneName: "example.com", CreateZone: true}})
	require.NoError(t, err)
	require.Len(t, g.Records, 2)
	require.Len(t, g.HealthChecks, 2)
	require.Len(t, rec.ByType(tRecord), 2)
	for setID, r := range g.Records {
		assert.Equal(t, resourcetest.Recorded(t, rec, tRecord, "dns-record-"+setID), resourcetest.URN(t, r), setID)
	}
	for region, hc := range g.HealthChecks {
		assert.Equal(t, resourcetest.Recorded(t, rec, tHealth, "dns-health-"+region), resourcetest.URN(t, hc), region)
	}
	require.NotNil(t, g.Zone)
	assert.Equal(t, resourcetest.Recorded(t, rec, tZone, "dns-zone"), resourcetest.URN(t, g.Zone))
	assert.Nil(t, g.Pools)
	assert.Nil(t, g.LoadBalancer)

	rec, g, err = run(t, &geodns.Args{Domain: "app.example.com", Backend: geodns.BackendCloudflare, Routing: geodns.RoutingLatency,
		Endpoints: endpoints("us-east-1", "us-west-2"), Cloudflare: geodns.Cloudflare{AccountID: "acct123", ZoneID: "zone123"}})
	require.NoError(t, err)
	require.Len(t, g.Pools, 2)
	for region, p := range g.Pools {
		assert.Equal(t, resourcetest.Recorded(t, rec, tPool, "dns-pool-"+region), resourcetest.URN(t, p), region)
	}
	require.NotNil(t, g.Monitor)
	assert.Equal(t, resourcetest.Recorded(t, rec, tMonitor, "dns-monitor"), resourcetest.URN(t, g.Monitor))
	require.NotNil(t, g.LoadBalancer)
	assert.Equal(t, resourcetest.Recorded(t, rec, tLB, "dns-lb"), resourcetest.URN(t, g.LoadBalancer))
	assert.Nil(t, g.Records)
	assert.Nil(t, g.HealthChecks)
}
