package latency

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Topologies, DNS providers, routing modes and database modes, as the stack
// config names them (stacks, components/geodns, internal/dbmodes). They are
// repeated here because this package must not link the Pulumi SDKs; a test
// checks FromConfig against stacks.Load for every stack.
const (
	TopologySingle        = "single"
	TopologyActivePassive = "active-passive"
	TopologyActiveActive  = "active-active"

	ProviderRoute53    = "route53"
	ProviderCloudflare = "cloudflare"

	RoutingSimple      = "simple"
	RoutingFailover    = "failover"
	RoutingLatency     = "latency"
	RoutingGeolocation = "geolocation"
	RoutingWeighted    = "weighted"

	ModeRDS            = "rds"
	ModeRDSReplica     = "rds-replica"
	ModeAuroraGlobal   = "aurora-global"
	ModeDynamoDBGlobal = "dynamodb-global"
)

// DefaultLocation is the geolocation key for users no other entry matches.
const DefaultLocation = "*"

// Stack is what the model needs to know about a stack.
type Stack struct {
	Name     string
	Topology string
	// Regions are the AWS regions, primary first.
	Regions   []string
	Residency string
	// Provider and Routing are the DNS backend and routing mode.
	Provider string
	Routing  string
	// Geo maps locations to regions (geolocation routing).
	Geo map[string]string
	// Weights maps region -> weight (weighted routing; absent = 1).
	Weights         map[string]int
	DatabaseMode    string
	WriteForwarding bool
	// RPOSeconds and RTOSeconds are the declared targets (0 = none).
	RPOSeconds, RTOSeconds int
	// Users are the shares of users per location (nil: not configured).
	Users map[string]float64
	// FailRegion is the region a drill forces unhealthy ("" = none).
	FailRegion string
}

// Primary returns the primary region ("" without regions).
func (s Stack) Primary() string {
	if len(s.Regions) == 0 {
		return ""
	}
	return s.Regions[0]
}

// defaults per topology, as stacks applies them (stacks/validate.go:
// defaultMode, defaultRouting, DefaultTopology).
var (
	defaultTopology = TopologyActivePassive
	defaultRouting  = map[string]string{TopologySingle: RoutingSimple, TopologyActivePassive: RoutingFailover, TopologyActiveActive: RoutingLatency}
	defaultMode     = map[string]string{TopologySingle: ModeRDS, TopologyActivePassive: ModeRDSReplica, TopologyActiveActive: ModeDynamoDBGlobal}
)

// FromConfig reads a stack from raw config as the engine passes it (full keys,
// JSON for objects and lists), with the stacks package's defaults: what a
// policy sees in the deployment's stack config. It reads leniently what the
// model needs; stacks.Load is what validates a config.
func FromConfig(name string, raw map[string]string) (Stack, error) {
	s := Stack{Name: name}
	get := func(key string) (string, bool) {
		v, ok := raw["multiregion:"+key]
		return v, ok
	}
	var errs []string
	decode := func(key string, target any) {
		if v, ok := get(key); ok {
			if err := json.Unmarshal([]byte(v), target); err != nil {
				errs = append(errs, fmt.Sprintf("multiregion:%s: %v", key, err))
			}
		}
	}
	s.Topology, _ = get("topology")
	if s.Topology == "" {
		s.Topology = defaultTopology
	}
	decode("regions", &s.Regions)
	s.Residency, _ = get("residency")
	if s.Residency == "" {
		s.Residency = "none"
	}
	var dns struct {
		Provider string            `json:"provider"`
		Routing  string            `json:"routing"`
		Geo      map[string]string `json:"geo"`
		Weights  map[string]int    `json:"weights"`
	}
	decode("dns", &dns)
	s.Provider, s.Routing, s.Geo, s.Weights = dns.Provider, dns.Routing, dns.Geo, dns.Weights
	if s.Provider == "" {
		s.Provider = ProviderRoute53
	}
	if s.Routing == "" {
		s.Routing = defaultRouting[s.Topology]
	}
	var db struct {
		Mode            string `json:"mode"`
		WriteForwarding bool   `json:"writeForwarding"`
	}
	decode("database", &db)
	s.DatabaseMode, s.WriteForwarding = db.Mode, db.WriteForwarding
	if s.DatabaseMode == "" {
		s.DatabaseMode = defaultMode[s.Topology]
	}
	for _, k := range []struct {
		key    string
		target *int
	}{{"rpoSeconds", &s.RPOSeconds}, {"rtoSeconds", &s.RTOSeconds}} {
		if v, ok := get(k.key); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				errs = append(errs, fmt.Sprintf("multiregion:%s: %q is not an integer", k.key, v))
			}
			*k.target = n
		}
	}
	decode("users", &s.Users)
	var drill struct {
		FailRegion string `json:"failRegion"`
	}
	decode("drill", &drill)
	s.FailRegion = drill.FailRegion
	if len(errs) > 0 {
		return s, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	if len(s.Regions) == 0 {
		return s, fmt.Errorf("multiregion:regions is not set: the model needs the stack's regions")
	}
	return s, nil
}
