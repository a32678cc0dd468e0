package model

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"

	"github.com/multiregion/multiregion/mockengine"
)

// FromRecorder converts what the mock engine recorded into a Deployment.
func FromRecorder(rec *mockengine.Recorder) *Deployment {
	d := &Deployment{Stack: Stack{Name: rec.Stack(), Project: rec.Project(), Config: rec.Config()}}
	for _, r := range rec.Sorted() {
		region := r.Region
		if IsGlobalType(r.Type) {
			region = GlobalRegion
		}
		d.Resources = append(d.Resources, &Resource{
			URN:      r.URN,
			Type:     r.Type,
			Name:     r.Name,
			Parent:   r.Parent,
			Provider: r.ProviderURN(),
			Region:   region,
			Custom:   r.Custom,
			ID:       r.ID,
			Inputs:   r.Inputs,
			Outputs:  r.Outputs,
		})
	}
	return d
}

// StateError is a state file that cannot be read, with what to do about it.
type StateError struct{ Msg string }

func (e *StateError) Error() string { return e.Msg }

// ReadState reads a Pulumi deployment in the `pulumi stack export` format
// (version 3). Secrets that are encrypted stay secret with an unknown value;
// the root stack resource is skipped. stackConfig (may be nil) supplies the
// stack config, e.g. aws:region for resources on a default provider.
func ReadState(r io.Reader, stackConfig map[string]string) (*Deployment, error) {
	var untyped apitype.UntypedDeployment
	dec := json.NewDecoder(r)
	if err := dec.Decode(&untyped); err != nil {
		return nil, &StateError{fmt.Sprintf("not a Pulumi deployment (expected the JSON of `pulumi stack export`): %v", err)}
	}
	if untyped.Version == 0 && len(untyped.Deployment) == 0 {
		return nil, &StateError{"not a Pulumi deployment: no \"version\" and \"deployment\" fields (expected the JSON of `pulumi stack export`)"}
	}
	if untyped.Version != 3 {
		return nil, &StateError{fmt.Sprintf("deployment version %d is not supported: export it with a current Pulumi CLI (version 3)", untyped.Version)}
	}
	var dep apitype.DeploymentV3
	if err := json.Unmarshal(untyped.Deployment, &dep); err != nil {
		return nil, &StateError{fmt.Sprintf("the deployment is malformed: %v", err)}
	}
	return FromDeploymentV3(&dep, stackConfig)
}

// FromDeploymentV3 converts a typed deployment into a Deployment.
func FromDeploymentV3(dep *apitype.DeploymentV3, stackConfig map[string]string) (*Deployment, error) {
	d := &Deployment{Stack: Stack{Config: stackConfig}, Resources: make([]*Resource, 0, len(dep.Resources))}
	for i := range dep.Resources {
		res := &dep.Resources[i]
		if res.Delete {
			continue
		}
		urn := string(res.URN)
		if !resource.URN(urn).IsValid() {
			return nil, &StateError{fmt.Sprintf("resource %d has an invalid URN %q", i, urn)}
		}
		if d.Stack.Name == "" {
			d.Stack.Name = string(resource.URN(urn).Stack())
			d.Stack.Project = string(resource.URN(urn).Project())
		}
		if res.Type == resource.RootStackType {
			continue
		}
		parent := string(res.Parent)
		if p := resource.URN(parent); p != "" && p.IsValid() && p.QualifiedType() == resource.RootStackType {
			parent = ""
		}
		d.Resources = append(d.Resources, &Resource{
			URN:      urn,
			Type:     string(res.Type),
			Name:     resource.URN(urn).Name(),
			Parent:   parent,
			Provider: ProviderURN(res.Provider),
			Custom:   res.Custom,
			ID:       string(res.ID),
			Inputs:   propertyMap(res.Inputs),
			Outputs:  propertyMap(res.Outputs),
		})
	}
	ResolveRegions(d.Resources, stackConfig["aws:region"])
	return d, nil
}

func propertyMap(m map[string]any) resource.PropertyMap {
	if m == nil {
		return nil
	}
	out := make(resource.PropertyMap, len(m))
	for k, v := range m {
		out[resource.PropertyKey(k)] = propertyValue(v)
	}
	return out
}

// propertyValue converts a state file's JSON value, decoding the signature
// objects for secrets, assets, archives and resource references.
func propertyValue(v any) resource.PropertyValue {
	switch t := v.(type) {
	case nil:
		return resource.NewNullProperty()
	case bool:
		return resource.NewProperty(t)
	case float64:
		return resource.NewProperty(t)
	case string:
		if t == sig.UnknownStringValue || t == sig.UnknownBoolValue || t == sig.UnknownNumberValue {
			return resource.MakeComputed(resource.NewProperty(""))
		}
		return resource.NewProperty(t)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = propertyValue(e)
		}
		return resource.NewProperty(arr)
	case map[string]any:
		if s, ok := t[sig.Key].(string); ok {
			switch s {
			case sig.Secret:
				if pt, ok := t["plaintext"].(string); ok {
					var inner any
					if err := json.Unmarshal([]byte(pt), &inner); err == nil {
						return resource.MakeSecret(propertyValue(inner))
					}
				}
				// Encrypted: the value is not readable here, only that it is secret.
				return resource.MakeSecret(resource.MakeComputed(resource.NewProperty("")))
			case sig.ResourceReference:
				if urn, ok := t["urn"].(string); ok {
					return resource.NewProperty(urn)
				}
			case sig.OutputValue:
				if val, ok := t["value"]; ok {
					return propertyValue(val)
				}
				return resource.MakeComputed(resource.NewProperty(""))
			}
			return resource.NewProperty(fmt.Sprintf("<%s>", s))
		}
		return resource.NewProperty(propertyMap(t))
	}
	return resource.NewProperty(fmt.Sprint(v))
}
