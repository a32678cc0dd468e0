package main

import (
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
	if err := applyOverrides(f, c.configs); err != nil {
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

// renderState reads a deployment (file or "-" for stdin) and evaluates the
// pack. The stack config is the stack file of the stack the deployment's URNs
// name (as the pack reads it under `pulumi policy analyze`), with --config
// overriding it.
func renderState(c *common, path string, stdin io.Reader, stderr io.Writer) (*rendered, error) {
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
	load := stackfile.ForState(".", c.stacksDir)
	var note string
	dep, err := model.ParseStateConfig(data, func(project, stack string) (map[string]string, error) {
		f, err := load(project, stack)
		if err != nil {
			note = fmt.Sprintf("no stack config read for the deployment (%v): only --config applies", err)
			f = stackfile.New(stack, stacks.Namespace)
		}
		if err := applyOverrides(f, c.configs); err != nil {
			return nil, err
		}
		return f.Config, nil
	})
	done()
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		return nil, err
	case err != nil:
		return nil, usagef("--state %s: %v", name, err)
	}
	if note != "" {
		fmt.Fprintf(stderr, "multiregion: note: %s\n", note)
	}
	return &rendered{stack: dep.Stack.Name, config: dep.Stack.Config, dep: dep, report: policies.Evaluate(dep, pcfg)}, nil
}

// applyOverrides applies --config key=value pairs to a stack's config as
// `pulumi config set --path key value` would (stackfile.File.Set).
func applyOverrides(f *stackfile.File, overrides []string) error {
	for _, kv := range overrides {
		key, value, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(key) == "" {
			return usagef("--config %q: expected key=value, e.g. --config multiregion:budgetUSD=500", kv)
		}
		if err := f.Set(key, value); err != nil {
			return usagef("--config %s: %v", kv, err)
		}
	}
	return nil
}
