package model_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/multiregion/multiregion/policies/model"
)

// oracleParse is the reference the state reader is checked against (the
// differential test and fuzz target) and benchmarked against: encoding/json
// into maps, resource.NewPropertyMapFromMap, then the documented handling of
// the engine's sentinels and signatures, the unknowns mapped by the SDK's own
// plugin.UnmarshalPropertyValue. It is lenient where the reader is strict: only
// "the reader accepts, so the oracle accepts and agrees" is checked.
func oracleParse(data []byte) ([]*model.Resource, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	var top struct {
		Version    float64         `json:"version"`
		Deployment json.RawMessage `json:"deployment"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	if top.Version != 3 {
		return nil, fmt.Errorf("version %v", top.Version)
	}
	// only the fields the reader reads: others it only validates as JSON
	var dep map[string]json.RawMessage
	if err := json.Unmarshal(top.Deployment, &dep); err != nil || dep == nil {
		return nil, fmt.Errorf("deployment: %v", err)
	}
	var list []map[string]json.RawMessage
	if raw, ok := dep["resources"]; ok {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
	}
	var out []*model.Resource
	for i, fields := range list {
		m := map[string]any{}
		for _, k := range []string{"urn", "type", "id", "parent", "provider", "custom", "delete", "inputs", "outputs"} {
			if raw, ok := fields[k]; ok {
				var v any
				if err := json.Unmarshal(raw, &v); err != nil {
					return nil, fmt.Errorf("resource %d: %s: %v", i, k, err)
				}
				m[k] = v
			}
		}
		str := func(k string) string { s, _ := m[k].(string); return s }
		boolean := func(k string) bool { b, _ := m[k].(bool); return b }
		props := func(k string) (resource.PropertyMap, error) {
			pm, ok := m[k].(map[string]any)
			if !ok {
				return nil, nil
			}
			v, err := oracleFix(resource.NewProperty(resource.NewPropertyMapFromMap(pm)))
			if err != nil {
				return nil, err
			}
			return v.ObjectValue(), nil
		}
		urn := resource.URN(str("urn"))
		if !urn.IsValid() {
			return nil, fmt.Errorf("resource %d: invalid URN", i)
		}
		if str("type") == string(resource.RootStackType) {
			continue
		}
		parent := str("parent")
		if p := resource.URN(parent); p.IsValid() && p.QualifiedType() == resource.RootStackType {
			parent = ""
		}
		in, err := props("inputs")
		if err != nil {
			return nil, err
		}
		outs, err := props("outputs")
		if err != nil {
			return nil, err
		}
		out = append(out, &model.Resource{URN: str("urn"), Type: str("type"), Name: urn.Name(), Parent: parent,
			Provider: model.ProviderURN(str("provider")), Custom: boolean("custom"), Delete: boolean("delete"),
			ID: str("id"), Inputs: in, Outputs: outs})
	}
	return out, nil
}

// oracleFix applies the engine's encodings to a value NewPropertyMapFromMap built.
func oracleFix(v resource.PropertyValue) (resource.PropertyValue, error) {
	switch {
	case v.IsString():
		u, err := plugin.UnmarshalPropertyValue("x", structpb.NewStringValue(v.StringValue()), plugin.MarshalOptions{KeepUnknowns: true})
		if err != nil || u == nil {
			return v, err
		}
		return *u, nil
	case v.IsArray():
		arr := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			f, err := oracleFix(e)
			if err != nil {
				return v, err
			}
			arr[i] = f
		}
		return resource.NewProperty(arr), nil
	case !v.IsObject():
		return v, nil
	}
	m := v.ObjectValue()
	s, hasSig := m[sig.Key]
	if !hasSig || !s.IsString() {
		out := resource.PropertyMap{}
		for k, e := range m {
			f, err := oracleFix(e)
			if err != nil {
				return v, err
			}
			out[k] = f
		}
		return resource.NewProperty(out), nil
	}
	switch s.StringValue() {
	case sig.Secret:
		if pt, ok := m["plaintext"]; ok && pt.IsString() {
			var inner any
			if err := json.Unmarshal([]byte(pt.StringValue()), &inner); err != nil {
				return v, err
			}
			f, err := oracleFix(resource.NewPropertyValue(inner))
			return resource.MakeSecret(f), err
		}
		return resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))), nil
	case sig.ResourceReference:
		return m["urn"], nil
	case sig.OutputValue:
		out := resource.MakeComputed(resource.NewProperty(""))
		if val, ok := m["value"]; ok {
			f, err := oracleFix(val)
			if err != nil {
				return v, err
			}
			out = f
		}
		if sec, ok := m["secret"]; ok && sec.IsBool() && sec.BoolValue() {
			out = resource.MakeSecret(out)
		}
		return out, nil
	case sig.ByteString:
		val, ok := m["value"]
		if !ok || !val.IsString() {
			return v, errors.New("byte string")
		}
		b, err := base64.StdEncoding.DecodeString(val.StringValue())
		return resource.NewProperty(string(b)), err
	}
	out := resource.PropertyMap{}
	for k, e := range m {
		f, err := oracleFix(e)
		if err != nil {
			return v, err
		}
		out[k] = f
	}
	return resource.NewProperty(out), nil
}
