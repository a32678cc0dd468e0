// Package stackfile reads Pulumi stack config files (Pulumi.<stack>.yaml) into
// the form the Pulumi engine passes config to a program. It has no cloud SDK
// dependencies, so the policy pack can read a stack's config cheaply.
package stackfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// SecretPlaceholder stands in for an encrypted (secure:) value when a stack file is
// read without the stack's secrets provider, e.g. by the offline CLI.
const SecretPlaceholder = "[secret]"

// Namespace is the project's config namespace, implied for keys without one.
const Namespace = "multiregion"

// File is a parsed stacks/Pulumi.<stack>.yaml.
type File struct {
	// Stack is the stack name taken from the file name.
	Stack string
	// Path is the file read.
	Path string
	// Config maps full keys to values as the Pulumi engine passes them to a
	// program: strings as-is, numbers and booleans as text, lists and objects as JSON.
	Config map[string]string
	// SecretKeys are the keys whose values are encrypted in the file.
	SecretKeys []string
}

// Read reads a Pulumi stack config file.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	stack := strings.TrimSuffix(strings.TrimPrefix(base, "Pulumi."), filepath.Ext(base))
	var doc struct {
		Config map[string]yaml.Node `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML: %v", path, err)
	}
	f := &File{Stack: stack, Path: path, Config: map[string]string{}}
	for key, node := range doc.Config {
		if !strings.Contains(key, ":") {
			key = Namespace + ":" + key // the project namespace is implied
		}
		value, secret, err := configValue(&node)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", path, key, err)
		}
		f.Config[key] = value
		if secret {
			f.SecretKeys = append(f.SecretKeys, key)
		}
	}
	sort.Strings(f.SecretKeys)
	return f, nil
}

// configValue converts one config value to the engine's string form.
func configValue(n *yaml.Node) (value string, secret bool, err error) {
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "secure" {
		return SecretPlaceholder, true, nil
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value, false, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "", false, err
	}
	if containsSecure(v) {
		return "", false, errors.New("secure values inside objects are not supported here: make the secret its own top-level key")
	}
	out, err := json.Marshal(v)
	return string(out), false, err
}

func containsSecure(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t["secure"]; ok && len(t) == 1 {
			return true
		}
		for _, e := range t {
			if containsSecure(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if containsSecure(e) {
				return true
			}
		}
	}
	return false
}

// List lists the stacks with a Pulumi.<stack>.yaml in dir, sorted.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, "Pulumi.") || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		out = append(out, strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(name, "Pulumi."), ".yaml"), ".yml"))
	}
	sort.Strings(out)
	return out, nil
}

// Find returns the path of stack's config file in dir, or an error that
// lists the stacks that do exist.
func Find(dir, stack string) (string, error) {
	for _, ext := range []string{".yaml", ".yml"} {
		p := filepath.Join(dir, "Pulumi."+stack+ext)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	have, _ := List(dir)
	if len(have) == 0 {
		return "", fmt.Errorf("unknown stack %q: no Pulumi.<stack>.yaml in %s", stack, dir)
	}
	return "", fmt.Errorf("unknown stack %q: no %s; stacks here: %s", stack, filepath.Join(dir, "Pulumi."+stack+".yaml"), strings.Join(have, ", "))
}
