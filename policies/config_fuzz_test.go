package policies_test

import (
	"os"
	"testing"

	"github.com/multiregion/multiregion/policies"
)

// FuzzParseConfig: no policy config (--policy-config, the pack's Configure)
// makes ParseConfig panic; a refusal is an error, and an accepted config names
// only known policies.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"all":"mandatory"}`, `{"all":"advisory","cost-limit":{"enforcementLevel":"mandatory","maxMonthlyUSD":500}}`,
		`{"data-residency":{"jurisdiction":"eu"}}`, `{"data-protection":"disabled"}`, `{"residency": {"jurisdiction": "eu"}}`,
		`{"cost-limit":{"maxMonthlyUSD":-1}}`, `{"cost-limit":{"enforcementLevel":5}}`, `[]`, `null`, `{"all":`,
	} {
		f.Add([]byte(seed))
	}
	if data, err := os.ReadFile("../cmd/multiregion/testdata/bad-policy-config.json"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := policies.ParseConfig(data)
		if err != nil {
			return
		}
		for name := range cfg.Policies {
			if policies.Find(name) == nil {
				t.Fatalf("accepted a config for the unknown policy %q", name)
			}
		}
	})
}
