// Package stackfile reads a Pulumi project's stack config files
// (Pulumi.<stack>.yaml) with the Pulumi SDK's own loader
// (workspace.LoadProjectStack) and config map (config.Map), so that the offline
// CLI and the policy pack read exactly what `pulumi config set` wrote: the
// project namespace implied for plain keys, `--path` keys, secure values, in
// the string form the engine passes config to a program.
package stackfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// SecretPlaceholder stands in for an encrypted (secure:) value when a stack file is
// read without the stack's secrets provider, e.g. by the offline CLI. It is
// the SDK's blinding decrypter's value.
const SecretPlaceholder = "[secret]"

// Namespace is the project's config namespace, implied for keys without one.
const Namespace = "multiregion"

// File is a stack's config: a parsed Pulumi.<stack>.yaml plus overrides.
type File struct {
	// Stack is the stack name taken from the file name.
	Stack string
	// Path is the file read ("" when there is none).
	Path string
	// Config maps full keys to values as the Pulumi engine passes them to a
	// program: strings as-is, numbers and booleans as text, lists and objects as JSON.
	Config map[string]string
	// SecretKeys are the keys whose values are encrypted (sorted).
	SecretKeys []string

	namespace string
	values    config.Map
}

// New returns an empty config for stack in the project namespace.
func New(stack, namespace string) *File {
	f := &File{Stack: stack, namespace: namespace, values: config.Map{}}
	_ = f.refresh()
	return f
}

// Read reads a stack config file of this project (namespace Namespace).
func Read(path string) (*File, error) { return ReadProject(path, Namespace) }

// ReadProject reads a stack config file whose plain keys belong to the
// project named namespace.
func ReadProject(path, namespace string) (*File, error) {
	if path == "" {
		return nil, errors.New("no stack config file given")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err // LoadProjectStack would take a missing file as an empty stack
	}
	base := filepath.Base(path)
	stack := strings.TrimSuffix(strings.TrimPrefix(base, "Pulumi."), filepath.Ext(base))
	ps, err := workspace.LoadProjectStack(nil, &workspace.Project{Name: tokens.PackageName(namespace)}, path)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid stack config file: %s", path, oneLine(err))
	}
	f := &File{Stack: stack, Path: path, namespace: namespace, values: ps.Config}
	if f.values == nil {
		f.values = config.Map{}
	}
	if err := f.refresh(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Set sets key to value the way `pulumi config set --path key value` does:
// the namespace defaults to the project's, a dotted or indexed key
// ("database.mode", "regions[1]") sets one field or element, "true"/"false"
// and integers become booleans and numbers inside objects. The error names the
// key.
func (f *File) Set(key, value string) error {
	key = strings.TrimSpace(key)
	if key == "" {
		return errors.New("empty key")
	}
	full := key
	if !strings.Contains(key, ":") {
		full = f.namespace + ":" + key
	}
	k, err := config.ParseKey(full)
	if err != nil {
		return fmt.Errorf("%s: %s", key, oneLine(err))
	}
	if k.Namespace() == "" || k.Name() == "" {
		return fmt.Errorf("%s: a key is namespace:name, e.g. multiregion:budgetUSD", key)
	}
	// Set mutates on success only in part: work on a copy.
	next := make(config.Map, len(f.values))
	for kk, v := range f.values {
		next[kk] = v
	}
	if err := next.Set(k, config.NewValue(value), true); err != nil {
		msg := oneLine(err)
		if name := strings.TrimPrefix(k.Name(), "config:"); !strings.Contains(msg, name) {
			msg = key + ": " + msg // some of the SDK's messages name the path, some not
		}
		return errors.New(msg)
	}
	prev := f.values
	f.values = next
	if err := f.refresh(); err != nil {
		f.values = prev
		_ = f.refresh()
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// refresh derives Config and SecretKeys from the config map. Secure values
// read as SecretPlaceholder (the SDK's blinding decrypter).
func (f *File) refresh() error {
	plain, err := f.values.Decrypt(config.NewBlindingDecrypter())
	if err != nil {
		return errors.New(oneLine(err))
	}
	f.Config = make(map[string]string, len(plain))
	for k, v := range plain {
		f.Config[k.String()] = v
	}
	f.SecretKeys = f.SecretKeys[:0]
	for _, k := range f.values.SecureKeys() {
		f.SecretKeys = append(f.SecretKeys, k.String())
	}
	slices.Sort(f.SecretKeys)
	return nil
}

// oneLine keeps the first line of an error (YAML errors can be several).
func oneLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = strings.TrimSpace(msg[:i]) + " ..."
	}
	return msg
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
	slices.Sort(out)
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

// Project is a Pulumi project directory: Pulumi.yaml and its stack files.
type Project struct {
	// Name is the project name (the namespace of its plain config keys).
	Name string
	// StackDir is where its Pulumi.<stack>.yaml files are.
	StackDir string
}

// LoadProject reads dir/Pulumi.yaml (or .yml) with the SDK's loader.
func LoadProject(dir string) (*Project, error) {
	var path string
	for _, name := range []string{"Pulumi.yaml", "Pulumi.yml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			path = filepath.Join(dir, name)
			break
		}
	}
	if path == "" {
		return nil, fmt.Errorf("no Pulumi.yaml in %s", dir)
	}
	p, err := workspace.LoadProject(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, oneLine(err))
	}
	return &Project{Name: p.Name.String(), StackDir: filepath.Join(dir, p.StackConfigDir)}, nil
}

// Stack reads the config of stack from the project's stack file.
func (p *Project) Stack(stack string) (*File, error) {
	path, err := Find(p.StackDir, stack)
	if err != nil {
		return nil, err
	}
	return ReadProject(path, p.Name)
}

// ForState returns the stack config source for a deployment read from a
// file (`check --state`) or from the engine without ConfigureStack
// (`pulumi policy analyze`): the config of the stack its URNs name, from the
// project in projectDir. stackDir, when not "", overrides the project's
// stackConfigDir; then a missing Pulumi.yaml is allowed (the deployment's
// project is taken as the namespace). The error says why there is no config.
func ForState(projectDir, stackDir string) func(project, stack string) (*File, error) {
	return func(project, stack string) (*File, error) {
		if stack == "" {
			return nil, errors.New("the deployment names no stack (it has no resources)")
		}
		p, err := LoadProject(projectDir)
		switch {
		case err != nil && stackDir == "":
			return nil, err
		case err != nil:
			p = &Project{Name: project}
		case p.Name != project:
			return nil, fmt.Errorf("the deployment is of project %q, the Pulumi.yaml in %s of %q", project, projectDir, p.Name)
		}
		if stackDir != "" {
			p.StackDir = stackDir
		}
		return p.Stack(stack)
	}
}
