package model

import (
	"errors"
	"fmt"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// StateError is a state file that cannot be read, with what to do about it.
type StateError struct{ Msg string }

func (e *StateError) Error() string { return e.Msg }

// ReadState reads a Pulumi deployment in the `pulumi stack export` format
// (version 3): a deployed state, so the Deployment is Final. Secrets stay
// secret: plaintext ones (`--show-secrets`) with their value, encrypted ones
// with an unknown value. The root stack resource is skipped; resources pending
// deletion still exist and are kept, with Delete set.
// stackConfig (may be nil) supplies the stack config, e.g. aws:region for
// resources on a default provider.
func ReadState(r io.Reader, stackConfig map[string]string) (*Deployment, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &StateError{fmt.Sprintf("cannot read the deployment: %v", err)}
	}
	return ParseState(data, stackConfig)
}

// ParseState is ReadState on a deployment already in memory (read a file with
// os.ReadFile, which sizes the buffer once, rather than through a reader).
func ParseState(data []byte, stackConfig map[string]string) (*Deployment, error) {
	return ParseStateConfig(data, func(string, string) (map[string]string, error) { return stackConfig, nil })
}

// ConfigSource returns the config of the stack a deployment's URNs name
// (project and stack are "" for a deployment without resources).
type ConfigSource func(project, stack string) (map[string]string, error)

// ParseStateConfig is ParseState with the stack config taken from source once
// the stack is known; an error from source is returned as it is.
func ParseStateConfig(data []byte, source ConfigSource) (*Deployment, error) {
	resources, err := parseDeployment(data)
	var ve *versionError
	switch {
	case errors.Is(err, errNoDeployment):
		return nil, &StateError{"not a Pulumi deployment: no \"version\" and \"deployment\" fields (expected the JSON of `pulumi stack export`)"}
	case errors.As(err, &ve):
		return nil, &StateError{err.Error()}
	case err != nil:
		return nil, &StateError{fmt.Sprintf("not a Pulumi deployment (expected the JSON of `pulumi stack export`): %v", err)}
	}
	d := &Deployment{Resources: make([]*Resource, 0, len(resources)), Final: true}
	var recorded map[string]bool // URNs of "resources", when there are pending operations
	for i := range resources {
		res := &resources[i]
		if res.pending {
			// an interrupted update's resource may exist in the cloud
			// without being recorded: it is judged like one that is (an
			// operation on a recorded resource adds nothing)
			if recorded == nil {
				recorded = make(map[string]bool, i)
				for _, r := range resources[:i] {
					recorded[r.urn] = true
				}
			}
			if recorded[res.urn] {
				continue
			}
			recorded[res.urn] = true
		}
		urn := resource.URN(res.urn)
		if !urn.IsValid() {
			return nil, &StateError{fmt.Sprintf("resource %d has an invalid URN %q", i, abbrev(res.urn))}
		}
		if i == 0 {
			d.Stack.Name = string(urn.Stack())
			d.Stack.Project = string(urn.Project())
		} else if string(urn.Stack()) != d.Stack.Name || string(urn.Project()) != d.Stack.Project {
			return nil, &StateError{fmt.Sprintf("resource %d (%s) is of stack %s/%s, the deployment's first resource of %s/%s: a state file holds one stack",
				i, abbrev(res.urn), abbrev(string(urn.Project())), abbrev(string(urn.Stack())), abbrev(d.Stack.Project), abbrev(d.Stack.Name))}
		}
		if res.typ == string(resource.RootStackType) {
			continue
		}
		parent := res.parent
		if p := resource.URN(parent); p != "" && p.IsValid() && p.QualifiedType() == resource.RootStackType {
			parent = ""
		}
		d.Resources = append(d.Resources, &Resource{
			URN:      res.urn,
			Type:     res.typ,
			Name:     urn.Name(),
			Parent:   parent,
			Provider: ProviderURN(res.provider),
			Custom:   res.custom,
			Delete:   res.delete,
			ID:       res.id,
			Inputs:   res.inputs,
			Outputs:  res.outputs,
		})
	}
	if d.Stack.Config, err = source(d.Stack.Project, d.Stack.Name); err != nil {
		return nil, err
	}
	ResolveRegions(d.Resources, d.Stack.Config["aws:region"])
	return d, nil
}
