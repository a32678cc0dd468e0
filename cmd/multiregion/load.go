package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// rendered is one stack (or state file) with everything the reports need.
type rendered struct {
	stack  string
	config map[string]string
	// cfg, rec and d are set when a stack was rendered (not for --state).
	cfg *stacks.Config
	rec *mockengine.Recorder
	d   *stacks.Deployment
	// dep is what the policies saw; report is their verdict (with the cost).
	dep    *model.Deployment
	report *policies.Report
}

// common are the flags every stack command shares.
type common struct {
	stack        string
	stacksDir    string
	configs      configFlag
	policyConfig string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.stack, "stack", "", "stack (environment) name")
	fs.StringVar(&c.stacksDir, "stacks-dir", "stacks", "directory of the Pulumi.<stack>.yaml files")
	fs.Var(&c.configs, "config", "key=value config override (repeatable)")
	fs.StringVar(&c.policyConfig, "policy-config", "", "policy pack config JSON file")
}

// loadPolicyConfig reads --policy-config.
func loadPolicyConfig(path string) (policies.Config, error) {
	if path == "" {
		return policies.Config{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return policies.Config{}, usagef("--policy-config: %v", err)
	}
	cfg, err := policies.ParseConfig(data)
	if err != nil {
		return policies.Config{}, usagef("--policy-config %s: %v", path, err)
	}
	return cfg, nil
}

// renderStack loads a stack file, applies overrides, renders it under the mock
// engine and evaluates the policy pack.
func renderStack(c *common, stack string, stderr io.Writer) (*rendered, error) {
	if stack == "" {
		return nil, usagef("--stack is required: name an environment (multiregion stacks lists them)")
	}
	dir, err := stacksDir(c.stacksDir)
	if err != nil {
		return nil, err
	}
	path, err := stackfile.Find(dir, stack)
	if err != nil {
		return nil, usagef("%v", err)
	}
	f, err := stackfile.Read(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if err := applyOverrides(f.Config, c.configs); err != nil {
		return nil, err
	}
	pcfg, err := loadPolicyConfig(c.policyConfig)
	if err != nil {
		return nil, err
	}
	done := progress(stderr, "rendering stack "+stack)
	rec, d, err := offline.Render(stack, f.Config, f.SecretKeys)
	done()
	if err != nil {
		var ce *stacks.ConfigError
		if errors.As(err, &ce) {
			return nil, usagef("%v\nfix the keys in %s or the --config overrides", err, path)
		}
		return nil, usagef("stack %q: %v", stack, err)
	}
	dep := rec.Model()
	return &rendered{stack: stack, config: f.Config, cfg: d.Config, rec: rec, d: d, dep: dep,
		report: policies.Evaluate(dep, pcfg)}, nil
}

// renderState reads a deployment (file or "-" for stdin) and evaluates the pack.
func renderState(c *common, path string, stdin io.Reader, stderr io.Writer) (*rendered, error) {
	config := map[string]string{}
	if err := applyOverrides(config, c.configs); err != nil {
		return nil, err
	}
	pcfg, err := loadPolicyConfig(c.policyConfig)
	if err != nil {
		return nil, err
	}
	var data []byte
	name := "standard input"
	done := progress(stderr, "reading "+name)
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		name = path
		data, err = os.ReadFile(path)
	}
	if err != nil {
		done()
		return nil, usagef("--state: %v", err)
	}
	dep, err := model.ParseState(data, config)
	done()
	if err != nil {
		return nil, usagef("--state %s: %v", name, err)
	}
	dep.Stack.Config = config
	return &rendered{stack: dep.Stack.Name, config: config, dep: dep, report: policies.Evaluate(dep, pcfg)}, nil
}

// applyOverrides applies --config key=value pairs to a stack's config, the way
// `pulumi config set` (with --path for dotted keys) would.
func applyOverrides(config map[string]string, overrides []string) error {
	for _, kv := range overrides {
		key, value, ok := strings.Cut(kv, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return usagef("--config %q: expected key=value, e.g. --config multiregion:budgetUSD=500", kv)
		}
		if !strings.Contains(key, ":") {
			key = stacks.Namespace + ":" + key
		}
		ns, rest, _ := strings.Cut(key, ":")
		top, path, dotted := strings.Cut(rest, ".")
		if !dotted || ns != stacks.Namespace {
			config[key] = configValue(value)
			continue
		}
		full := ns + ":" + top
		obj := map[string]any{}
		if cur, ok := config[full]; ok && cur != "" {
			if err := json.Unmarshal([]byte(cur), &obj); err != nil {
				return usagef("--config %s: %s is not an object, so it has no field %q", kv, full, path)
			}
		}
		if err := setPath(obj, strings.Split(path, "."), parseValue(value)); err != nil {
			return usagef("--config %s: %v", kv, err)
		}
		out, _ := json.Marshal(obj)
		config[full] = string(out)
	}
	return nil
}

// parseValue parses a value as JSON when it parses, else keeps the text.
func parseValue(s string) any {
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil && !dec.More() {
		return v
	}
	return s
}

// configValue is a value in the engine's string form: strings unquoted,
// everything else as compact JSON.
func configValue(s string) string {
	switch v := parseValue(s).(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		out, _ := json.Marshal(v)
		return string(out)
	}
}

func setPath(obj map[string]any, path []string, value any) error {
	for i, p := range path {
		if p == "" {
			return fmt.Errorf("empty field name in the path")
		}
		if i == len(path)-1 {
			obj[p] = value
			return nil
		}
		next, ok := obj[p].(map[string]any)
		if !ok {
			if _, exists := obj[p]; exists {
				return fmt.Errorf("field %q is not an object", p)
			}
			next = map[string]any{}
			obj[p] = next
		}
		obj = next
	}
	return nil
}
