package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multiregion/multiregion/internal/synth"
)

// BenchmarkCheckState is `multiregion check --state` on a 100k-resource state
// (table output), in-process. Target: under 2 s and 1 GiB.
func BenchmarkCheckState(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.WriteState(f, synth.Deployment(100_000, 8)); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"check", "--state", path}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkPlan is `multiregion plan --stack prod`, in-process.
func BenchmarkPlan(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"plan", "--stack", "prod", stacksFlag}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
