package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
	"github.com/multiregion/multiregion/report"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// projectDir is the Pulumi project's directory: the parent of the stacks
// directory (Pulumi.yaml's stackConfigDir is stacks), wherever the command
// runs from. The drills' reports and Pulumi.yaml are found there.
func projectDir(stacksDir string) string { return filepath.Dir(filepath.Clean(stacksDir)) }

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
func renderStack(c *common, stack string, stderr io.Writer) (*report.Plan, *mockengine.Recorder, error) {
	if stack == "" {
		return nil, nil, usagef("--stack is required: name an environment (multiregion stacks lists them)")
	}
	if strings.ContainsAny(stack, `/\`) || strings.HasSuffix(stack, ".yaml") {
		return nil, nil, usagef("--stack %q: give a stack's name (prod for stacks/Pulumi.prod.yaml), not a path: --stacks-dir names the directory", stack)
	}
	dir, err := stacksDir(c.stacksDir)
	if err != nil {
		return nil, nil, err
	}
	path, err := stackfile.Find(dir, stack)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	f, err := stackfile.Read(path)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	if err := applyOverrides(f, c.configs); err != nil {
		return nil, nil, err
	}
	pcfg, err := loadPolicyConfig(c.policyConfig)
	if err != nil {
		return nil, nil, err
	}
	done := progress(stderr, "rendering stack "+stack)
	rec, d, err := offline.Render(stack, f.Config, f.SecretKeys)
	done()
	if err != nil {
		var ce *stacks.ConfigError
		if errors.As(err, &ce) {
			return nil, nil, usagef("%v\nfix the keys in %s or the --config overrides", err, path)
		}
		return nil, nil, usagef("stack %q: %v", stack, err)
	}
	dep := rec.Model()
	return report.NewPlan(stack, d, dep, policies.Evaluate(dep, pcfg)), rec, nil
}

// renderState reads a deployment (file or "-" for stdin) and evaluates the
// pack. The stack config is the stack file of the stack the deployment's URNs
// name (as the pack reads it under `pulumi policy analyze`), with --config
// overriding it.
func renderState(c *common, path string, stdin io.Reader, stderr io.Writer) (*report.StateCheck, error) {
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
	load := stackfile.ForState(projectDir(c.stacksDir), c.stacksDir)
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
	return report.NewStateCheck(dep, policies.Evaluate(dep, pcfg)), nil
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
			if strings.ContainsAny(key, ".[") {
				return usagef("--config %s: %v: a dotted key sets an object's field and [N] a list's element "+
					"(N at most the list's length, which appends); or give the whole value as JSON", kv, err)
			}
			return usagef("--config %s: %v", kv, err)
		}
	}
	return nil
}
