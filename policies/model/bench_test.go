package model_test

import (
	"bytes"
	"testing"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/policies/model"
)

// BenchmarkReadState loads a 100k-resource `pulumi stack export` file.
func BenchmarkReadState(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.WriteState(&buf, synth.Deployment(100_000, 4)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.ReadState(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}
