package policies

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/multiregion/multiregion/internal/regions"
)

// ParseConfig parses pack config in the shape of `--policy-pack-config`:
//
//	{"all": "mandatory", "cost-limit": {"enforcementLevel": "advisory", "maxMonthlyUSD": 500}}
//
// or the engine's versioned shape ({"version": 2, "policies": {...}}). A
// policy's entry may also be just its level ("cost-limit": "advisory").
//
// It is the one parser of policy config: the CLI (--policy-config), the
// in-process API and the analyzer server's Configure all call it, so they
// accept and reject the same configs. Each policy's properties are validated
// against its JSON schema (types, minimum, items, and no unknown property at
// any level: see strictSchema) with santhosh-tekuri/jsonschema, the validator
// the Pulumi SDK itself uses for project files. Every problem is reported at
// once, each naming the key ("cost-limit.maxMonthlyUSD: must be >= 0 ...").
func ParseConfig(data []byte) (Config, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		msg := "got null"
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			msg = fmt.Sprintf("invalid JSON at byte %d: %v", syntax.Offset, syntax)
		case errors.As(err, &typeErr):
			msg = "got a JSON " + typeErr.Value // "array", "number", "string", "bool"
		case err != nil:
			msg = err.Error()
		}
		return Config{}, fmt.Errorf("policy config: not a JSON object (%s): give {\"policy-name\": {\"enforcementLevel\": ..., \"key\": ...}}", msg)
	}
	if v, ok := raw["version"]; ok {
		var version float64
		if json.Unmarshal(v, &version) == nil {
			// the engine's versioned file: {"version": 2, "policies": {...}}
			if version != 2 {
				return Config{}, fmt.Errorf("policy config: version: %v is not supported: use 2, or leave version out", version)
			}
			var file struct {
				Policies     map[string]json.RawMessage `json:"policies"`
				Environments json.RawMessage            `json:"environments"`
				Exceptions   json.RawMessage            `json:"exceptions"`
			}
			if err := json.Unmarshal(data, &file); err != nil {
				return Config{}, fmt.Errorf("policy config: policies: %v", err)
			}
			if file.Environments != nil || file.Exceptions != nil {
				return Config{}, errors.New("policy config: environments and exceptions need Pulumi Cloud: give the values in policies instead")
			}
			raw = file.Policies
		}
	}
	cfg := Config{Policies: map[string]PolicyConfig{}}
	var errs []string
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		level, props, err := splitEntry(name, raw[name])
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if name == "all" {
			if len(props) > 0 {
				errs = append(errs, "all: only takes an enforcement level (\"all\": \"mandatory\")")
			}
			cfg.All = level
			continue
		}
		p := Find(name)
		if p == nil {
			var names []string
			for _, q := range Pack() {
				names = append(names, q.Name)
			}
			msg := fmt.Sprintf("%s: unknown policy: the pack has %s", name, strings.Join(names, ", "))
			errs = append(errs, msg)
			continue
		}
		if verrs := ValidateProperties(p, props); len(verrs) > 0 {
			errs = append(errs, verrs...)
			continue
		}
		cfg.Policies[name] = PolicyConfig{EnforcementLevel: level, Properties: props}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("policy config: %s", strings.Join(errs, "; "))
	}
	return cfg, nil
}

// splitEntry reads one policy's entry: a level string, or an object with an
// optional enforcementLevel and the policy's properties.
func splitEntry(name string, value json.RawMessage) (Level, map[string]any, error) {
	var s string
	if err := json.Unmarshal(value, &s); err == nil {
		level, err := ParseLevel(s)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %v", name, err)
		}
		return level, nil, nil
	}
	var props map[string]any
	dec := json.NewDecoder(bytes.NewReader(value))
	if err := dec.Decode(&props); err != nil || props == nil {
		return "", nil, fmt.Errorf("%s: expected a level string or an object, got %s", name, abbreviate(string(value)))
	}
	var level Level
	if l, ok := props["enforcementLevel"]; ok {
		s, isString := l.(string)
		if !isString {
			return "", nil, fmt.Errorf("%s.enforcementLevel: expected a string: use advisory, mandatory or disabled", name)
		}
		var err error
		if level, err = ParseLevel(s); err != nil {
			return "", nil, fmt.Errorf("%s: %v", name, err)
		}
		delete(props, "enforcementLevel")
	}
	return level, props, nil
}

func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// ParseLevel parses an enforcement level ("" is allowed and means unchanged).
func ParseLevel(s string) (Level, error) {
	switch Level(s) {
	case "", Advisory, Mandatory, Disabled:
		return Level(s), nil
	case "remediate":
		// The pack has no remediations; remediate enforces like mandatory.
		return Mandatory, nil
	}
	return "", fmt.Errorf("unknown enforcement level %q: use advisory, mandatory or disabled", s)
}

// ConfigSchema returns the JSON schema the policy's properties are validated
// against: an object of the policy's declared properties in which no object
// (at any depth) takes properties it does not declare.
func (p *Policy) ConfigSchema() map[string]any {
	return strictSchema(map[string]any{"type": "object", "properties": p.Schema})
}

// strictSchema returns a deep copy of schema in which every object schema
// that lists "properties" and says nothing of "additionalProperties" gets
// "additionalProperties": false: a misspelt key is an error, never ignored.
func strictSchema(schema map[string]any) map[string]any {
	out := make(map[string]any, len(schema)+1)
	for k, v := range schema {
		out[k] = strictValue(v)
	}
	if _, ok := out["properties"]; ok {
		if _, set := out["additionalProperties"]; !set {
			out["additionalProperties"] = false
		}
	}
	return out
}

func strictValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return strictSchema(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = strictValue(e)
		}
		return out
	}
	return v
}

// ValidateProperties checks a policy's properties against its schema and
// returns one message per problem, each naming the key ("policy.key: ...").
func ValidateProperties(p *Policy, props map[string]any) []string {
	if props == nil {
		props = map[string]any{}
	}
	schema, err := compileSchema(p)
	if err != nil {
		return []string{fmt.Sprintf("%s: the pack's own schema does not compile (a bug in the pack): %v", p.Name, err)}
	}
	// the validator takes JSON values: round-trip what a caller built in Go
	data, err := json.Marshal(props)
	if err != nil {
		return []string{fmt.Sprintf("%s: properties are not JSON: %v", p.Name, err)}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return []string{fmt.Sprintf("%s: properties are not JSON: %v", p.Name, err)}
	}
	err = schema.Validate(doc)
	if err == nil {
		if p.Validate != nil {
			return p.Validate(props)
		}
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{fmt.Sprintf("%s: %v", p.Name, err)}
	}
	var out []string
	for _, leaf := range leaves(ve) {
		out = append(out, describe(p, leaf))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func compileSchema(p *Policy) (*jsonschema.Schema, error) {
	data, err := json.Marshal(p.ConfigSchema())
	if err != nil {
		return nil, err
	}
	url := "mem://" + p.Name + ".json"
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// leaves returns the innermost causes of a validation error: the ones that
// say what is wrong rather than "doesn't validate with ...".
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// describe turns one validation error into "policy.path: problem: fix".
func describe(p *Policy, ve *jsonschema.ValidationError) string {
	path := p.Name + pointerPath(ve.InstanceLocation)
	if strings.HasSuffix(ve.KeywordLocation, "/additionalProperties") {
		// "additionalProperties 'a', 'b' not allowed": name each key, and what is allowed
		names := quoted(ve.Message)
		allowed := declaredKeys(p, ve.InstanceLocation)
		var out []string
		for _, n := range names {
			msg := fmt.Sprintf("%s.%s: unknown property", path, n)
			if len(allowed) > 0 {
				msg += ": " + pathTail(path) + " takes " + strings.Join(allowed, ", ")
				if s := regions.Suggest(n, allowed); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
			}
			out = append(out, msg)
		}
		if len(out) > 0 {
			return strings.Join(out, "; ")
		}
	}
	msg := ve.Message
	// the library says "expected number, but got string": keep it, it names both
	return fmt.Sprintf("%s: %s", path, msg)
}

// pointerPath turns a JSON pointer ("/usage/natGBPerMonth", "/exemptTypes/0")
// into the dotted path users write (".usage.natGBPerMonth", ".exemptTypes[0]").
func pointerPath(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		if part != "" && strings.Trim(part, "0123456789") == "" {
			b.WriteString("[" + part + "]")
		} else {
			b.WriteString("." + part)
		}
	}
	return b.String()
}

func pathTail(path string) string {
	if i := strings.LastIndexAny(path, ".]"); i >= 0 && path[i] == '.' {
		return path[i+1:]
	}
	return path
}

// quoted returns the single-quoted names in a message.
func quoted(msg string) []string {
	var out []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			return out
		}
		out = append(out, msg[i+1:i+1+j])
		msg = msg[i+j+2:]
	}
}

// declaredKeys lists the properties the schema declares at a JSON pointer.
func declaredKeys(p *Policy, ptr string) []string {
	s := map[string]any{"properties": p.Schema}
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		props, _ := s["properties"].(map[string]any)
		next, ok := props[part].(map[string]any)
		if !ok {
			return nil
		}
		s = next
	}
	props, _ := s["properties"].(map[string]any)
	return slices.Sorted(maps.Keys(props))
}
