package policies_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies"
)

// BadConfigs are configs every reader of policy config must reject, with the
// key each error must name. The analyzer's Configure test and the CLI test
// run the same table (exported through export_test.go is not possible across
// packages, so they copy the inputs they need).
var badConfigs = map[string]string{
	`{"cost-limit":{"maxMonthlyUSD":-1}}`:                    "cost-limit.maxMonthlyUSD: must be >= 0",
	`{"cost-limit":{"maxMonthlyUSD":"lots"}}`:                "cost-limit.maxMonthlyUSD: expected number",
	`{"cost-limit":{"usage":{"natGBperMonth":5}}}`:           `cost-limit.usage.natGBperMonth: unknown property: usage takes`,
	`{"cost-limit":{"usage":{"natGBPerMonth":-5}}}`:          "cost-limit.usage.natGBPerMonth: must be >= 0",
	`{"data-residency":{"jurisdicton":"eu"}}`:                `data-residency.jurisdicton: unknown property: data-residency takes exemptTypes, jurisdiction, jurisdictions (did you mean "jurisdiction"?)`,
	`{"data-residency":{"jurisdiction":7}}`:                  "data-residency.jurisdiction: expected string",
	`{"data-residency":{"jurisdictions":{"eu-strict":[1]}}}`: "data-residency.jurisdictions.eu-strict[0]: expected string",
	`{"data-residency":{"exemptTypes":"aws:ec2/eip:Eip"}}`:   "data-residency.exemptTypes: expected array",
	`{"data-residency":{"exemptTypes":["eip"]}}`:             "data-residency.exemptTypes[0]: does not match pattern",
	`{"data-protection":{"minBackupRetentionDays":-1}}`:      "data-protection.minBackupRetentionDays: must be >= ",
	`{"data-protection":{"databasePorts":["x"]}}`:            "data-protection.databasePorts[0]: expected integer",
	`{"failover-readiness":{"topology":["single"]}}`:         "failover-readiness.topology: expected string",
	`{"residency":{}}`:                           `residency: unknown policy: the pack has data-residency, cost-limit, data-protection, failover-readiness`,
	`{"all":"strict"}`:                           `all: unknown enforcement level "strict"`,
	`{"all":{"maxMonthlyUSD":1}}`:                "all: only takes an enforcement level",
	`{"cost-limit":{"enforcementLevel":"warn"}}`: `cost-limit: unknown enforcement level "warn"`,
	`{"cost-limit":{"enforcementLevel":true}}`:   "cost-limit.enforcementLevel: expected a string",
	`{"cost-limit":[1]}`:                         "cost-limit: expected a level string or an object",
	`[1,2]`:                                      "policy config: not a JSON object (got a JSON array)",
	`null`:                                       "policy config: not a JSON object",
	`{"version":3,"policies":{}}`:                "version: 3 is not supported",
	`{"version":2,"policies":{"cost-limit":{"maxMonthlyUSD":-2}}}`: "cost-limit.maxMonthlyUSD: must be >= 0",
}

func TestParseConfigRejectsWhatTheSchemaForbids(t *testing.T) {
	t.Parallel()
	require.NotEmpty(t, badConfigs)
	for in, want := range badConfigs {
		_, err := policies.ParseConfig([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func TestParseConfigReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, err := policies.ParseConfig([]byte(`{"cost-limit":{"maxMonthlyUSD":-1,"usage":{"albLCUs":"x"}},"data-residency":{"x":1}}`))
	require.Error(t, err)
	for _, want := range []string{"cost-limit.maxMonthlyUSD: must be >= 0", "cost-limit.usage.albLCUs: expected number", "data-residency.x: unknown property"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestParseConfigAcceptsTheDocumentedShapes(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{}`,
		`{"all":"mandatory","data-residency":{"jurisdiction":"eu","jurisdictions":{"eu-strict":["eu-central-1","eu-west-1"]},"exemptTypes":["aws:ec2/eip:Eip"]}}`,
		`{"cost-limit":{"maxMonthlyUSD":1500,"usage":{"natGBPerMonth":500}}}`,
		`{"data-protection":{"mandatoryStacks":["prod*","payments-*"],"minBackupRetentionDays":14}}`,
		`{"failover-readiness":"disabled","cost-limit":"remediate"}`,
		`{"version":2,"policies":{"cost-limit":{"enforcementLevel":"advisory","maxMonthlyUSD":0}}}`,
	} {
		_, err := policies.ParseConfig([]byte(in))
		assert.NoError(t, err, in)
	}
	cfg, err := policies.ParseConfig([]byte(`{"version":2,"policies":{"cost-limit":{"enforcementLevel":"advisory","maxMonthlyUSD":10}}}`))
	require.NoError(t, err)
	assert.Equal(t, policies.Advisory, cfg.Policies["cost-limit"].EnforcementLevel)
	assert.Equal(t, 10.0, cfg.Policies["cost-limit"].Properties["maxMonthlyUSD"])
}

// Every policy's advertised schema is strict: no object takes keys it does not declare.
func TestEveryPolicySchemaIsStrict(t *testing.T) {
	t.Parallel()
	pack := policies.Pack()
	require.NotEmpty(t, pack)
	for _, p := range pack {
		s := p.ConfigSchema()
		assert.Equal(t, false, s["additionalProperties"], p.Name)
		assert.Empty(t, policies.ValidateProperties(p, nil), "%s: empty properties are valid", p.Name)
		assert.NotEmpty(t, policies.ValidateProperties(p, map[string]any{"noSuchKey": true}), p.Name)
	}
}

// FuzzParseConfig: no input makes the policy config parser panic, and what it
// accepts is valid against every policy's schema.
func FuzzParseConfig(f *testing.F) {
	for in := range badConfigs {
		f.Add([]byte(in))
	}
	for _, in := range []string{`{}`, `{"all":"mandatory","cost-limit":{"maxMonthlyUSD":1,"usage":{"albLCUs":2}}}`,
		`{"data-residency":{"jurisdiction":"eu","jurisdictions":{"x":["eu-*"]},"exemptTypes":["aws:ec2/eip:Eip"]}}`,
		`{"version":2,"policies":{"failover-readiness":"disabled"}}`} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := policies.ParseConfig(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "policy config: ") {
				t.Fatalf("error does not say what it is about: %v", err)
			}
			return
		}
		for name, pc := range cfg.Policies {
			p := policies.Find(name)
			if p == nil {
				t.Fatalf("accepted unknown policy %q", name)
			}
			if errs := policies.ValidateProperties(p, pc.Properties); len(errs) > 0 {
				t.Fatalf("accepted invalid properties for %s: %v", name, errs)
			}
		}
	})
}
