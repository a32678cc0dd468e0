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
	version, resources, err := parseDeployment(data)
	switch {
	case errors.Is(err, errNoDeployment):
		return nil, &StateError{"not a Pulumi deployment: no \"version\" and \"deployment\" fields (expected the JSON of `pulumi stack export`)"}
	case err != nil:
		return nil, &StateError{fmt.Sprintf("not a Pulumi deployment (expected the JSON of `pulumi stack export`): %v", err)}
	case version != 3:
		return nil, &StateError{fmt.Sprintf("deployment version %d is not supported: export it with a current Pulumi CLI (version 3)", version)}
	}
	d := &Deployment{Stack: Stack{Config: stackConfig}, Resources: make([]*Resource, 0, len(resources)), Final: true}
	for i := range resources {
		res := &resources[i]
		urn := resource.URN(res.urn)
		if !urn.IsValid() {
			return nil, &StateError{fmt.Sprintf("resource %d has an invalid URN %q", i, res.urn)}
		}
		if d.Stack.Name == "" {
			d.Stack.Name = string(urn.Stack())
			d.Stack.Project = string(urn.Project())
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
	ResolveRegions(d.Resources, stackConfig["aws:region"])
	return d, nil
}
