package stacks_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/validation"
)

// minimal is the smallest valid active-passive config.
func minimal() map[string]string {
	return map[string]string{
		"aws:region":                       "us-east-1",
		"multiregion:regions":              `["us-east-1","us-west-2"]`,
		"multiregion:app":                  `{"image":"public.ecr.aws/nginx/nginx:1.27"}`,
		"multiregion:dns":                  `{"domain":"app.example.com"}`,
		"pulumi:disable-default-providers": `["aws"]`,
	}
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := stacks.Load("test", minimal())
	require.NoError(t, err)
	assert.Equal(t, stacks.TopologyActivePassive, c.Topology, "active-passive is the default")
	assert.Equal(t, "rds-replica", c.Database.Mode)
	assert.Equal(t, "route53", c.DNS.Provider)
	assert.Equal(t, "failover", c.DNS.Routing)
	assert.Equal(t, "none", c.Residency)
	assert.Equal(t, "one-per-az", c.Network.NATStrategy)
	assert.Equal(t, 3, c.Network.AZCount)
	assert.True(t, *c.Database.DeletionProtection)
	assert.Nil(t, c.BudgetUSD)
	assert.Equal(t, "app", c.Name)

	c, err = stacks.Load("test", with(minimal(), "multiregion:topology", "active-active"))
	require.NoError(t, err)
	assert.Equal(t, "dynamodb-global", c.Database.Mode)
	assert.Equal(t, "latency", c.DNS.Routing)
}

func TestScalarsAndSecrets(t *testing.T) {
	t.Parallel()
	c, err := stacks.Load("test", with(minimal(), "multiregion:budgetUSD", "1500.5", "multiregion:rtoSeconds", "3600",
		"multiregion:drill", `{"failRegion":"us-east-1"}`))
	require.NoError(t, err)
	require.NotNil(t, c.BudgetUSD)
	assert.Equal(t, 1500.5, *c.BudgetUSD)
	assert.Equal(t, 3600, c.RTOSeconds)
	assert.Equal(t, "us-east-1", c.Drill.FailRegion)
}

func TestInvalidConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		raw  map[string]string
		want []string
	}{
		{"misspelled key", with(minimal(), "multiregion:regoins", `["us-east-1"]`), []string{"multiregion:regoins: unknown key: did you mean multiregion:regions?"}},
		{"misspelled field", with(minimal(), "multiregion:database", `{"mdoe":"rds"}`), []string{"multiregion:database.mdoe: unknown field: did you mean multiregion:database.mode?"}},
		{"wrong type", with(minimal(), "multiregion:budgetUSD", "lots"), []string{"multiregion:budgetUSD: expected number"}},
		{"wrong field type", with(minimal(), "multiregion:app", `{"image":"x","cpu":"big"}`), []string{"multiregion:app.cpu: expected an integer, got a JSON string"}},
		{"regions missing", with(minimal(), "multiregion:regions", ""), []string{"multiregion:regions: is required"}},
		{"unknown region", with(minimal(), "multiregion:regions", `["us-east-1","eu-cental-1"]`), []string{`multiregion:regions: regions[1]: "eu-cental-1" is not an AWS region: did you mean "eu-central-1"?`}},
		{"duplicate region", with(minimal(), "multiregion:regions", `["us-east-1","us-east-1"]`), []string{`"us-east-1" is listed twice`}},
		{"single with two", with(minimal(), "multiregion:topology", "single"), []string{"multiregion:regions: topology single takes exactly 1 region, got 2"}},
		{"passive with one", with(minimal(), "multiregion:regions", `["us-east-1"]`), []string{"topology active-passive needs at least 2 regions, got 1"}},
		{"topology", with(minimal(), "multiregion:topology", "hot-hot"), []string{`multiregion:topology: unknown value "hot-hot"`}},
		{"residency", with(minimal(), "multiregion:residency", "eu"), []string{
			`multiregion:regions: us-east-1 is outside residency "eu" (allowed: eu-*)`,
			`multiregion:regions: us-west-2 is outside residency "eu"`}},
		{"jurisdiction", with(minimal(), "multiregion:residency", "europe"), []string{`multiregion:residency: unknown jurisdiction "europe"`}},
		{"mode vs topology", with(minimal(), "multiregion:database", `{"mode":"dynamodb-global"}`), []string{`multiregion:database.mode: "dynamodb-global" does not fit topology active-passive: use rds-replica or aurora-global`}},
		{"rds for passive", with(minimal(), "multiregion:database", `{"mode":"rds"}`), []string{`"rds" does not fit topology active-passive`}},
		{"active-active aurora", with(minimal(), "multiregion:topology", "active-active", "multiregion:database", `{"mode":"aurora-global"}`), []string{"multiregion:database.writeForwarding: active-active with aurora-global needs write forwarding"}},
		{"rpo", with(minimal(), "multiregion:rpoSeconds", "1"), []string{`multiregion:rpoSeconds: mode "rds-replica" has RPO ~1m0s, above the declared 1s`}},
		{"rto", with(minimal(), "multiregion:rtoSeconds", "60"), []string{`multiregion:rtoSeconds: mode "rds-replica" has RTO ~30m0s`}},
		{"routing vs topology", with(minimal(), "multiregion:dns", `{"domain":"a.example.com","routing":"latency"}`), []string{`multiregion:dns.routing: "latency" does not fit topology active-passive`}},
		{"passive geo", with(minimal(), "multiregion:dns", `{"domain":"a.example.com","routing":"geolocation","geo":{"*":"us-east-1","EU":"us-west-2"}}`), []string{`multiregion:dns.geo: "EU" maps to us-west-2, but active-passive serves only from the primary us-east-1`}},
		{"geo default", with(minimal(), "multiregion:dns", `{"domain":"a.example.com","routing":"geolocation","geo":{"EU":"us-east-1"}}`), []string{`multiregion:dns.geo: has no default "*" entry`}},
		{"domain", with(minimal(), "multiregion:dns", `{}`), []string{"multiregion:dns.domain: is required"}},
		{"cloudflare ids", with(minimal(), "multiregion:dns", `{"domain":"a.example.com","provider":"cloudflare"}`), []string{
			"multiregion:dns.cloudflareAccountId: is required for the Cloudflare backend", "multiregion:dns.cloudflareZoneId: is required"}},
		{"drill region", with(minimal(), "multiregion:drill", `{"failRegion":"eu-west-1"}`), []string{`multiregion:drill.failRegion: "eu-west-1" is not in multiregion:regions: fail one of us-east-1, us-west-2`}},
		{"drill single", with(minimal(), "multiregion:topology", "single", "multiregion:regions", `["us-east-1"]`, "multiregion:drill", `{"failRegion":"us-east-1"}`),
			[]string{"multiregion:drill: a single-region stack has nowhere to fail over to"}},
		{"image", with(minimal(), "multiregion:app", `{}`), []string{"multiregion:app.image: is required"}},
		{"counts", with(minimal(), "multiregion:app", `{"image":"x","minCount":5,"maxCount":3,"desiredCount":3}`), []string{"multiregion:app.minCount: 5 is greater than app.maxCount 3"}},
		{"cpu/memory", with(minimal(), "multiregion:app", `{"image":"x","cpu":256,"memory":8192}`), []string{"multiregion:app.memory: 8192 MiB is not valid with CPU 256"}},
		{"nat", with(minimal(), "multiregion:network", `{"natStrategy":"shared"}`), []string{`multiregion:network.natStrategy: unknown value "shared"`}},
		{"cidr", with(minimal(), "multiregion:network", `{"vpcCidrs":{"us-west-2":"10.1.0.0/8"}}`), []string{"multiregion:network.vpcCidrs.us-west-2:"}},
		{"cert region", with(minimal(), "multiregion:app", `{"image":"x","certificateArns":{"us-west-2":"arn:aws:acm:us-east-1:123456789012:certificate/abc"}}`),
			[]string{"multiregion:app.certificateArns.us-west-2: is in us-east-1 but the load balancer is in us-west-2"}},
		{"map key region", with(minimal(), "multiregion:database", `{"regionInstances":{"eu-west-1":2}}`), []string{`multiregion:database.regionInstances: "eu-west-1" is not in multiregion:regions`}},
		{"burstable aurora", with(minimal(), "multiregion:database", `{"mode":"aurora-global","instanceClass":"db.t4g.medium"}`), []string{"multiregion:database.instanceClass:"}},
		{"budget", with(minimal(), "multiregion:budgetUSD", "-5"), []string{"multiregion:budgetUSD: -5 is negative"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := stacks.Load("test", tc.raw)
			require.Error(t, err)
			var ce *stacks.ConfigError
			require.True(t, errors.As(err, &ce), "a *ConfigError")
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			require.NotEmpty(t, ce.Problems)
			for _, p := range ce.Problems {
				assert.True(t, strings.HasPrefix(p.Key, "multiregion:"), "every problem names its key: %q", p)
				assert.NotEmpty(t, p.Problem, "every problem says what is wrong: %q", p)
			}
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, err := stacks.Load("test", with(minimal(),
		"multiregion:residency", "eu",
		"multiregion:database", `{"mode":"dynamodb-global"}`,
		"multiregion:dns", `{}`))
	var ce *stacks.ConfigError
	require.True(t, errors.As(err, &ce))
	assert.GreaterOrEqual(t, len(ce.Problems), 4)
	_, err = stacks.Load("test", with(minimal(),
		"multiregion:database", `{"mode":"dynamodb-global"}`,
		"multiregion:app", `{"image":"x","minCount":5,"maxCount":3,"desiredCount":3}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "multiregion:database.mode:", "config-level problem")
	assert.Contains(t, err.Error(), "multiregion:app.minCount:", "component-level problem in the same pass")
	assert.Contains(t, err.Error(), `stack "test": invalid config (`)
}

func TestReadStackFile(t *testing.T) {
	t.Parallel()
	f, err := stacks.ReadStackFile("Pulumi.prod-eu.yaml")
	require.NoError(t, err)
	assert.Equal(t, "prod-eu", f.Stack)
	assert.Equal(t, `["eu-central-1","eu-west-1"]`, f.Config["multiregion:regions"])
	assert.Equal(t, "eu", f.Config["multiregion:residency"])
	assert.Equal(t, "1700", f.Config["multiregion:budgetUSD"])
	assert.Contains(t, f.Config["multiregion:dns"], `"geo":{"*":"eu-central-1","EU":"eu-central-1"}`)
	assert.Empty(t, f.SecretKeys)

	names, err := stacks.StackFiles(".")
	require.NoError(t, err)
	assert.Equal(t, []string{"dev", "global", "prod", "prod-eu", "staging"}, names)
	_, err = stacks.FindStackFile(".", "qa")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown stack "qa"`)
	assert.Contains(t, err.Error(), "stacks here: dev, global, prod, prod-eu, staging")
}

// TestProblemFields matches problems by their fields, not their text: the key
// users set, what is wrong and the fix, for each way a problem is found
// (unknown key or field, JSON type, edge value, config rule, component rule).
func TestProblemFields(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		raw  map[string]string
		want validation.Error
	}{
		{"unknown key", with(minimal(), "multiregion:regoins", `["us-east-1"]`),
			validation.Error{Key: "multiregion:regoins", Problem: "unknown key", Fix: "did you mean multiregion:regions?"}},
		{"unknown field", with(minimal(), "multiregion:database", `{"mode":"rds-replica","mdoe":"rds"}`),
			validation.Error{Key: "multiregion:database.mdoe", Problem: "unknown field", Fix: "did you mean multiregion:database.mode?"}},
		{"unknown field, no suggestion", with(minimal(), "multiregion:drill", `{"failRegion":"us-east-1","zzzzzzzz":1}`),
			validation.Error{Key: "multiregion:drill.zzzzzzzz", Problem: "unknown field", Fix: "known fields are failRegion"}},
		{"field type", with(minimal(), "multiregion:app", `{"image":"x","cpu":"big"}`),
			validation.Error{Key: "multiregion:app.cpu", Problem: "expected an integer, got a JSON string", Fix: "fix the value (e.g. pulumi config set --path multiregion:app.cpu ...)"}},
		{"given twice", with(minimal(), "multiregion:app", `{"image":"x","image":"y"}`),
			validation.Error{Key: "multiregion:app.image", Problem: "is given twice", Fix: "keep one (JSON would silently take the last)"}},
		{"zero cpu", with(minimal(), "multiregion:app", `{"image":"x","cpu":0}`),
			validation.Error{Key: "multiregion:app.cpu", Problem: "0 is not accepted", Fix: "use a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384), or remove the key for the default 512"}},
		{"topology", with(minimal(), "multiregion:topology", "hot-hot"),
			validation.Error{Key: "multiregion:topology", Problem: `unknown value "hot-hot"`, Fix: "use single, active-passive or active-active"}},
		{"region", with(minimal(), "multiregion:regions", `["us-east-1","eu-cental-1"]`),
			validation.Error{Key: "multiregion:regions", Problem: `regions[1]: "eu-cental-1" is not an AWS region`, Fix: `did you mean "eu-central-1"?`}},
		{"component field", with(minimal(), "multiregion:app", `{"image":"x","cpu":300}`),
			validation.Error{Key: "multiregion:app.cpu", Problem: "300 is not a Fargate CPU size", Fix: "use 256, 512, 1024, 2048, 4096, 8192 or 16384"}},
		{"component enum", with(minimal(), "multiregion:network", `{"natStrategy":"shared"}`),
			validation.Error{Key: "multiregion:network.natStrategy", Problem: `unknown value "shared"`, Fix: `use one of "none", "single", "one-per-az"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := stacks.Load("test", tc.raw)
			var ce *stacks.ConfigError
			require.True(t, errors.As(err, &ce), "a *ConfigError: %v", err)
			var got []validation.Error
			for _, p := range ce.Problems {
				got = append(got, *p)
			}
			assert.Contains(t, got, tc.want)
			// errors.As reaches each problem through the ConfigError.
			assert.Len(t, validation.All(err), len(ce.Problems))
		})
	}
}

// TestUnknownFieldsAsEncodingJSON: a field is unknown exactly when
// encoding/json would not fill it, which matches names case-insensitively, so
// reading members for the key names changes nothing that was accepted.
func TestUnknownFieldsAsEncodingJSON(t *testing.T) {
	t.Parallel()
	c, err := stacks.Load("test", with(minimal(), "multiregion:app", `{"IMAGE":"public.ecr.aws/nginx/nginx:1.27","Cpu":1024}`))
	require.NoError(t, err)
	assert.Equal(t, 1024, c.App.CPU)
	_, err = stacks.Load("test", with(minimal(), "multiregion:app", `{"image":"x","cpus":1024}`))
	var ce *stacks.ConfigError
	require.True(t, errors.As(err, &ce))
	require.Len(t, ce.Problems, 1)
	assert.Equal(t, validation.Error{Key: "multiregion:app.cpus", Problem: "unknown field", Fix: "did you mean multiregion:app.cpu?"}, *ce.Problems[0])
}

// TestRenderedMessage pins the whole text of a config error, the format users
// and scripts may match.
func TestRenderedMessage(t *testing.T) {
	t.Parallel()
	_, err := stacks.Load("test", with(minimal(), "multiregion:topology", "hot-hot"))
	require.Error(t, err)
	assert.Equal(t, `stack "test": invalid config (1 problem):
  - multiregion:topology: unknown value "hot-hot": use single, active-passive or active-active`, err.Error())
}
