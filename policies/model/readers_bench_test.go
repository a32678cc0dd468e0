package model_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/policies/model"
)

var (
	bigStateOnce sync.Once
	bigState     []byte
)

// state100k is a 100k-resource `pulumi stack export` file over 4 regions,
// generated at run time (about 52 MB).
func state100k(b *testing.B) []byte {
	bigStateOnce.Do(func() {
		var buf bytes.Buffer
		if err := synth.WriteState(&buf, synth.Deployment(100_000, 4)); err != nil {
			panic(err)
		}
		bigState = buf.Bytes()
	})
	return bigState
}

// BenchmarkReadState loads a 100k-resource `pulumi stack export` file.
func BenchmarkReadState(b *testing.B) {
	data := state100k(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.ReadState(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStateReaders compares the JSON readers considered for the state
// file on the same 100k-resource file (BENCHMARKS.md has the table):
//   - jsontext: the reader (github.com/go-json-experiment/json/jsontext
//     tokens straight into property values, resources on every core);
//   - encoding-json: json.Unmarshal into maps, resource.NewPropertyMapFromMap
//     and the signature handling (the differential test's oracle);
//   - encoding-json-tokens: json.Decoder.Token into property values, one core.
func BenchmarkStateReaders(b *testing.B) {
	data := state100k(b)
	for _, c := range []struct {
		name string
		read func([]byte) (int, error)
	}{
		{"jsontext", func(d []byte) (int, error) {
			dep, err := model.ParseState(d, nil)
			if err != nil {
				return 0, err
			}
			return len(dep.Resources), nil
		}},
		{"encoding-json", func(d []byte) (int, error) {
			rs, err := oracleParse(d)
			return len(rs), err
		}},
		{"encoding-json-tokens", tokenRead},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				n, err := c.read(data)
				if err != nil || n < 100_000 {
					b.Fatalf("%d resources, %v", n, err)
				}
			}
		})
	}
}

// tokenRead reads the resources' properties with encoding/json's token API.
func tokenRead(data []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var value func() (resource.PropertyValue, error)
	value = func() (resource.PropertyValue, error) {
		tok, err := dec.Token()
		if err != nil {
			return resource.PropertyValue{}, err
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '[' {
				arr := []resource.PropertyValue{}
				for dec.More() {
					v, err := value()
					if err != nil {
						return v, err
					}
					arr = append(arr, v)
				}
				_, err := dec.Token()
				return resource.NewProperty(arr), err
			}
			m := resource.PropertyMap{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return resource.PropertyValue{}, err
				}
				v, err := value()
				if err != nil {
					return v, err
				}
				m[resource.PropertyKey(k.(string))] = v
			}
			_, err := dec.Token()
			return resource.NewProperty(m), err
		case string:
			return resource.NewProperty(t), nil
		case float64:
			return resource.NewProperty(t), nil
		case bool:
			return resource.NewProperty(t), nil
		}
		return resource.NewNullProperty(), nil
	}
	v, err := value()
	if err != nil {
		return 0, err
	}
	dep, ok := v.ObjectValue()["deployment"]
	if !ok || !dep.IsObject() {
		return 0, fmt.Errorf("no deployment")
	}
	return len(dep.ObjectValue()["resources"].ArrayValue()), nil
}
