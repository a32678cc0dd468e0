package stackfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/stacks"
)

// FuzzStackFile: no stack config file makes the loader or stacks.Load panic;
// a refusal is one line. Seeded with every stack file of the project.
func FuzzStackFile(f *testing.F) {
	paths, _ := filepath.Glob("../../stacks/Pulumi.*.yaml")
	if len(paths) == 0 {
		f.Fatal("no stack files to seed with")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range []string{stackYAML, "", "config:\n", "config: 5\n", "config:\n  a: {secure: 1}\n", "config:\n  :x: 1\n", "\t"} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "Pulumi.fuzz.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := stackfile.Read(path)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a refusal of more than one line: %q", err)
			}
			return
		}
		_, _ = stacks.Load("fuzz", file.Config)
	})
}

// FuzzConfigOverride: no --config key=value makes the loader or stacks.Load
// panic; a refusal is one line.
func FuzzConfigOverride(f *testing.F) {
	for _, kv := range [][2]string{
		{"budgetUSD", "500"}, {"database.mode", "aurora-global"}, {"regions", `["eu-central-1","us-east-1"]`},
		{"regions[1]", "us-east-1"}, {"database.mode.x", "1"}, {"a:b:c", "1"}, {"dns.geo.EU", "eu-west-1"},
		{"app.desiredCount", "-3"}, {"network.vpcCIDRs.eu-west-1", "10.0.0.0/8"}, {"aws:region", "eu-west-1"},
	} {
		f.Add(kv[0], kv[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		file, err := stackfile.Read("../../stacks/Pulumi.prod-eu.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := file.Set(key, value); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a refusal of more than one line: %q", err)
			}
			return
		}
		_, _ = stacks.Load("prod-eu", file.Config)
	})
}
