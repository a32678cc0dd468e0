// Package stacks turns typed, validated stack configuration into a deployment:
// one AWS provider per region, a RegionalStack per region, a GlobalDatabase
// across them and GeoDNS in front.
//
// Config is read once (Load, FromContext), defaults applied and everything
// validated in one pass, each problem naming the config key and the fix. Build
// composes the components; Program is the Pulumi program main.go runs.
package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/validation"
)

// Namespace is the config namespace of every key this program reads: the
// project's name, as Pulumi implies it for keys written without one.
const Namespace = stackfile.Namespace

// Topologies.
const (
	TopologySingle        = "single"
	TopologyActivePassive = "active-passive"
	TopologyActiveActive  = "active-active"
)

// TopologyValues returns every topology, from one region to all serving.
func TopologyValues() []string {
	return []string{TopologySingle, TopologyActivePassive, TopologyActiveActive}
}

// Defaults for the stack config.
const (
	// DefaultTopology: one primary serves, the others stand by.
	DefaultTopology = TopologyActivePassive
	// DefaultName is the application name, the base of every resource name.
	DefaultName = "app"
	// DefaultCostCenter is the cost-center tag when none is configured.
	DefaultCostCenter = "platform"
	// DefaultStorageGB is the expected database size for the cost estimate
	// when database.storageGB is not set.
	DefaultStorageGB = 20
)

// Config is a stack's whole configuration, with defaults applied.
type Config struct {
	// Stack is the stack (environment) name, e.g. "prod".
	Stack string `json:"stack"`
	// Name is the application name (multiregion:name, default "app").
	Name string `json:"name"`
	// Topology is single, active-passive (default) or active-active.
	Topology string `json:"topology"`
	// Regions are the AWS regions, primary first.
	Regions []string `json:"regions"`
	// Residency is the data-residency jurisdiction ("none", "eu", "us", ...).
	Residency string `json:"residency"`
	// BudgetUSD is the monthly cost limit (nil: report only).
	BudgetUSD *float64 `json:"budgetUSD,omitempty"`
	// CostCenter is the cost-center tag on every resource.
	CostCenter string `json:"costCenter"`
	// Cost is the stack's own cost-limit settings (multiregion:cost).
	Cost Cost `json:"cost,omitempty"`
	// Tags are added to every resource.
	Tags map[string]string `json:"tags,omitempty"`
	// Network configures the VPCs.
	Network Network `json:"network"`
	// App configures the application tier.
	App App `json:"app"`
	// Database configures the data layer.
	Database Database `json:"database"`
	// DNS configures the traffic layer.
	DNS DNS `json:"dns"`
	// Drill, when set, fails one region in DNS.
	Drill *Drill `json:"drill,omitempty"`
	// Failover, when set, builds automatic regional failover (stacks/failover.go).
	Failover *Failover `json:"failover,omitempty"`
	// RPOSeconds and RTOSeconds are the declared recovery targets (0 = none).
	RPOSeconds int `json:"rpoSeconds,omitempty"`
	RTOSeconds int `json:"rtoSeconds,omitempty"`
	// Users are the shares of users per location (continent or country code),
	// for the latency report and the latency-target policy (nil: not set).
	Users map[string]float64 `json:"users,omitempty"`
}

// Network is multiregion:network.
type Network struct {
	// NATStrategy is none, single or one-per-az (default: one-per-az; single for
	// one-region stacks is not assumed: set it).
	NATStrategy string `json:"natStrategy,omitempty"`
	// AZCount is the zones per region (default 3).
	AZCount int `json:"azCount,omitempty"`
	// VPCCIDRs maps region -> VPC range (default 10.<i>.0.0/16 for the i-th
	// region, so regions never overlap and can be peered).
	VPCCIDRs map[string]string `json:"vpcCidrs,omitempty"`
}

// App is multiregion:app.
type App struct {
	Image            string            `json:"image"`
	CPU              int               `json:"cpu,omitempty"`
	Memory           int               `json:"memory,omitempty"`
	Architecture     string            `json:"architecture,omitempty"`
	Port             int               `json:"port,omitempty"`
	HealthCheckPath  string            `json:"healthCheckPath,omitempty"`
	DesiredCount     int               `json:"desiredCount,omitempty"`
	MinCount         int               `json:"minCount,omitempty"`
	MaxCount         int               `json:"maxCount,omitempty"`
	StandbyCount     *int              `json:"standbyCount,omitempty"`
	CPUTargetPercent int               `json:"cpuTargetPercent,omitempty"`
	LogRetentionDays int               `json:"logRetentionDays,omitempty"`
	Environment      map[string]string `json:"environment,omitempty"`
	// CertificateARNs maps region -> ACM certificate ARN (HTTPS when set).
	CertificateARNs map[string]string `json:"certificateArns,omitempty"`
}

// Database is multiregion:database.
type Database struct {
	Mode                  string         `json:"mode"`
	Engine                string         `json:"engine,omitempty"`
	EngineVersion         string         `json:"engineVersion,omitempty"`
	InstanceClass         string         `json:"instanceClass,omitempty"`
	AllocatedStorageGB    int            `json:"allocatedStorageGB,omitempty"`
	MaxAllocatedStorageGB int            `json:"maxAllocatedStorageGB,omitempty"`
	MultiAZ               bool           `json:"multiAZ,omitempty"`
	PrimaryInstances      int            `json:"primaryInstances,omitempty"`
	SecondaryInstances    *int           `json:"secondaryInstances,omitempty"`
	RegionInstances       map[string]int `json:"regionInstances,omitempty"`
	WriteForwarding       bool           `json:"writeForwarding,omitempty"`
	PromotedRegion        string         `json:"promotedRegion,omitempty"`
	BackupRetentionDays   int            `json:"backupRetentionDays,omitempty"`
	// DeletionProtection defaults to true; false is for dev.
	DeletionProtection *bool `json:"deletionProtection,omitempty"`
	// SkipFinalSnapshot defaults to false; true is for dev.
	SkipFinalSnapshot bool   `json:"skipFinalSnapshot,omitempty"`
	DatabaseName      string `json:"databaseName,omitempty"`
	// StorageGB is the expected data size, for the cost estimate only (default 20).
	StorageGB int `json:"storageGB,omitempty"`
}

// DNS is multiregion:dns.
type DNS struct {
	Provider string `json:"provider,omitempty"`
	Routing  string `json:"routing,omitempty"`
	Domain   string `json:"domain"`
	// ZoneID / ZoneName / CreateZone select the Route 53 hosted zone.
	ZoneID     string `json:"zoneId,omitempty"`
	ZoneName   string `json:"zoneName,omitempty"`
	CreateZone bool   `json:"createZone,omitempty"`
	// Geo maps locations to regions for geolocation routing ("*" required).
	Geo map[string]string `json:"geo,omitempty"`
	// Weights maps region -> weight for weighted routing.
	Weights map[string]int `json:"weights,omitempty"`
	// HealthCheckIntervalSeconds is 10 or 30 (Route 53), or the Cloudflare monitor interval.
	HealthCheckIntervalSeconds int  `json:"healthCheckIntervalSeconds,omitempty"`
	FailureThreshold           int  `json:"failureThreshold,omitempty"`
	MeasureLatency             bool `json:"measureLatency,omitempty"`
	// CloudflareAccountID and CloudflareZoneID are required for provider cloudflare.
	CloudflareAccountID string `json:"cloudflareAccountId,omitempty"`
	CloudflareZoneID    string `json:"cloudflareZoneId,omitempty"`
	Proxied             *bool  `json:"proxied,omitempty"`
}

// Cost is multiregion:cost, read by the cost-limit policy next to its own config.
type Cost struct {
	// AcceptUnpriced are the resource kinds, type tokens or Cloud Control
	// typeNames ("AWS::ARCRegionSwitch::Plan"), whose resources the price
	// catalog cannot price and the stack accepts: they count $0 and do not make
	// the budget unverifiable. Optional; each entry deserves a comment saying why.
	AcceptUnpriced []string `json:"acceptUnpriced,omitempty"`
}

// Drill is multiregion:drill.
type Drill struct {
	// FailRegion is the region to force unhealthy in DNS.
	FailRegion string `json:"failRegion"`
}

// key describes one config key: where it goes in Config and how to read it.
type key struct {
	name   string
	target func(*Config) any
	doc    string
}

// keys are every multiregion: key, in documentation order.
var keys = []key{
	{"name", func(c *Config) any { return &c.Name }, "string"},
	{"topology", func(c *Config) any { return &c.Topology }, "string"},
	{"regions", func(c *Config) any { return &c.Regions }, "list of strings"},
	{"residency", func(c *Config) any { return &c.Residency }, "string"},
	{"budgetUSD", func(c *Config) any { return &c.BudgetUSD }, "number"},
	{"costCenter", func(c *Config) any { return &c.CostCenter }, "string"},
	{"cost", func(c *Config) any { return &c.Cost }, "object"},
	{"tags", func(c *Config) any { return &c.Tags }, "object of strings"},
	{"network", func(c *Config) any { return &c.Network }, "object"},
	{"app", func(c *Config) any { return &c.App }, "object"},
	{"database", func(c *Config) any { return &c.Database }, "object"},
	{"dns", func(c *Config) any { return &c.DNS }, "object"},
	{"drill", func(c *Config) any { return &c.Drill }, "object"},
	{"failover", func(c *Config) any { return &c.Failover }, "object"},
	{"rpoSeconds", func(c *Config) any { return &c.RPOSeconds }, "integer"},
	{"rtoSeconds", func(c *Config) any { return &c.RTOSeconds }, "integer"},
	{"users", func(c *Config) any { return &c.Users }, "object of numbers"},
	{"databasePassword", nil, "secret string"},
}

// Keys returns every config key this program reads, without the namespace.
func Keys() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// Load reads a stack's config from raw, a map of full keys ("multiregion:regions",
// "aws:region", ...) to values as Pulumi passes them (strings; JSON for lists and
// objects), applies defaults and validates everything at once. Keys outside the
// multiregion namespace are ignored. Every error names the key and the fix.
func Load(stack string, raw map[string]string) (*Config, error) {
	c := &Config{Stack: stack}
	var errs []*validation.Error
	known := map[string]bool{}
	for _, k := range keys {
		known[k.name] = true
	}
	for _, full := range slices.Sorted(maps.Keys(raw)) {
		ns, name, ok := strings.Cut(full, ":")
		if !ok || ns != Namespace {
			continue
		}
		if !known[name] {
			fix := "known keys are " + strings.Join(Keys(), ", ")
			if s := suggest(name, Keys()); s != "" {
				fix = fmt.Sprintf("did you mean %s:%s?", Namespace, s)
			}
			errs = append(errs, &validation.Error{Key: full, Problem: "unknown key", Fix: fix})
		}
	}
	var strict []strictProblem
	for _, k := range keys {
		v, ok := raw[Namespace+":"+k.name]
		if !ok || k.target == nil {
			continue
		}
		if err := decode(Namespace+":"+k.name, v, k.target(c), k.doc); err != nil {
			errs = append(errs, err)
			continue
		}
		_, isString := k.target(c).(*string)
		strict = append(strict, strictValue(k.name, v, isString)...)
	}
	if len(errs) > 0 {
		return nil, &ConfigError{Stack: stack, Problems: errs}
	}
	c.applyDefaults()
	// Edge-value problems come first; validation does not repeat a key they name.
	reported := map[string]bool{}
	for _, p := range strict {
		errs = append(errs, problem(p.key, p.msg, p.fix))
		reported[p.key] = true
	}
	errs = append(errs, c.validate(reported)...)
	if len(errs) > 0 {
		return nil, &ConfigError{Stack: stack, Problems: errs}
	}
	return c, nil
}

// ConfigError lists every problem with a stack's config.
type ConfigError struct {
	// Stack is the stack whose config was read.
	Stack string
	// Problems are the problems, one per key and problem; each Key is a full
	// config key ("multiregion:app.minCount").
	Problems []*validation.Error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %q: invalid config (%d problem", e.Stack, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is/As see each of them.
func (e *ConfigError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// decode parses one raw value into target: JSON when the target is structured,
// plain text for strings (as `pulumi config set` stores them).
func decode(key, value string, target any, doc string) *validation.Error {
	if s, ok := target.(*string); ok {
		*s = value
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(value)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(target); err != nil {
		var ute *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &ute):
			field := key
			if ute.Field != "" {
				field += "." + ute.Field
			}
			fix := fmt.Sprintf("fix the value (e.g. pulumi config set --path %s ...)", field)
			if ute.Value == "string" && (ute.Type.Kind() == reflect.Float64 || ute.Type.Kind() == reflect.Float32) {
				// `pulumi config set --path` (and --config) store only integers
				// and true/false inside objects as such; 0.6 stays text.
				fix = fmt.Sprintf("a decimal set with --path is stored as text: add --type float (pulumi config set --path --type float ...), or set the whole %s as JSON", key)
			}
			return &validation.Error{Key: field, Problem: fmt.Sprintf("expected %s, got a JSON %s", typeWords(ute.Type), ute.Value), Fix: fix}
		case errors.As(err, &se):
		default:
			// Neither a type nor a syntax error: DisallowUnknownFields refused a
			// field, and encoding/json has no error type that names it.
			if f := unknownField(value, target); f != "" {
				fix := "known fields are " + strings.Join(jsonFields(target), ", ")
				if s := suggest(f, jsonFields(target)); s != "" {
					fix = fmt.Sprintf("did you mean %s.%s?", key, s)
				}
				return &validation.Error{Key: key + "." + f, Problem: "unknown field", Fix: fix}
			}
		}
		return &validation.Error{Key: key, Problem: fmt.Sprintf("expected %s, got %q: %v", doc, abbreviate(value), err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &validation.Error{Key: key, Problem: fmt.Sprintf("expected one %s, got more after it in %q", doc, abbreviate(value)), Fix: "remove the extra text"}
	}
	return nil
}

// unknownField returns the first member of the JSON object value that no
// field of the struct target points to takes (encoding/json matches names
// case-insensitively, and so does this), or "".
func unknownField(value string, target any) string {
	fields := jsonFields(target)
	dec := json.NewDecoder(strings.NewReader(value))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		name, _ := tok.(string)
		if !slices.ContainsFunc(fields, func(f string) bool { return strings.EqualFold(f, name) }) {
			return name
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
	return ""
}

// typeWords names a Go type in the config's words ("an integer", "an object
// of strings"), for messages: users write YAML and JSON, not Go.
func typeWords(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return typeWords(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list of " + plural(typeWords(t.Elem()))
	case reflect.Map:
		return "an object of " + plural(typeWords(t.Elem()))
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// plural turns "an integer" into "integers", "true or false" into "true/false values".
func plural(words string) string {
	switch words {
	case "true or false":
		return "true/false values"
	case "an object":
		return "objects"
	}
	w, ok := strings.CutPrefix(words, "a ")
	if !ok {
		w, _ = strings.CutPrefix(words, "an ")
	}
	if first, rest, list := strings.Cut(w, " of "); list {
		return first + "s of " + rest
	}
	return w + "s"
}

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
