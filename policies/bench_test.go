package policies_test

import (
	"fmt"
	"testing"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/policies"
)

// BenchmarkEvaluate runs the whole pack (resource and stack checks, with the cost
// model) over synthetic deployments. Target: >= 200k resources/s on 2 cores.
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		d := synth.Deployment(n, 4)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				policies.Evaluate(d, policies.Config{})
			}
			b.ReportMetric(float64(len(d.Resources))*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
		})
	}
}

// BenchmarkEvaluateRegions shows evaluation cost does not depend on how the same
// number of resources is spread over regions (no per-region pairwise work).
func BenchmarkEvaluateRegions(b *testing.B) {
	for _, regions := range []int{2, 4, 8} {
		d := synth.Deployment(20_000, regions)
		b.Run(fmt.Sprintf("regions=%d", regions), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				policies.Evaluate(d, policies.Config{})
			}
			b.ReportMetric(float64(len(d.Resources))*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
		})
	}
}
