package tests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// BenchmarkRender runs stacks.Program under the mock engine for each environment,
// then the policy pack, as `multiregion plan` does.
func BenchmarkRender(b *testing.B) {
	for _, env := range []string{"dev", "staging", "prod", "prod-eu", "global"} {
		f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi."+env+".yaml"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(env, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec, _, err := offline.Render(env, f.Config, f.SecretKeys)
				if err != nil {
					b.Fatal(err)
				}
				policies.Evaluate(rec.Model(), policies.Config{})
			}
		})
	}
}

// BenchmarkRenderRegions plans an active-active stack over 2, 4, 8 and 16 regions:
// the time and memory per region must stay constant (linear growth).
func BenchmarkRenderRegions(b *testing.B) {
	for _, n := range []int{2, 4, 8, 16} {
		regions, _ := json.Marshal(scalingRegions[:n])
		config := map[string]string{
			"multiregion:topology": "active-active",
			"multiregion:regions":  string(regions),
			"multiregion:app":      `{"image":"public.ecr.aws/nginx/nginx:1.27"}`,
			"multiregion:dns":      `{"domain":"app.example.com","routing":"latency"}`,
			"multiregion:network":  `{"natStrategy":"single","azCount":2}`,
		}
		b.Run(fmt.Sprintf("regions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var resources int
			for b.Loop() {
				rec, _, err := offline.Render("scale", config, nil)
				if err != nil {
					b.Fatal(err)
				}
				policies.Evaluate(rec.Model(), policies.Config{})
				resources = len(rec.Resources())
			}
			b.ReportMetric(float64(resources), "resources")
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N)/float64(n), "ms/region")
		})
	}
}

// scalingRegions are 16 regions with Route 53 latency routing support.
var scalingRegions = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1",
	"eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2",
	"ap-northeast-1", "ap-northeast-2", "ap-south-1", "sa-east-1"}

// BenchmarkSyntheticEvaluate is the pack over 100k synthetic resources spread over
// 8 regions: the large-organisation case.
func BenchmarkSyntheticEvaluate(b *testing.B) {
	d := synth.Deployment(100_000, 8)
	b.ReportAllocs()
	for b.Loop() {
		policies.Evaluate(d, policies.Config{})
	}
	b.ReportMetric(float64(len(d.Resources))*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
}
