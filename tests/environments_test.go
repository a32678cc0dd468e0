// Package tests runs every environment's real stack file through the program
// under the mock engine and checks what it builds, as a policy would.
package tests

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/geodns"
	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

const stacksDir = "../stacks"

// render runs env from its stack file, with overrides ("key", "value", ...;
// an empty value removes the key).
func render(t *testing.T, env string, overrides ...string) (*mockengine.Recorder, *stacks.Deployment, error) {
	t.Helper()
	f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi."+env+".yaml"))
	require.NoError(t, err)
	for i := 0; i+1 < len(overrides); i += 2 {
		if overrides[i+1] == "" {
			delete(f.Config, overrides[i])
		} else {
			f.Config[overrides[i]] = overrides[i+1]
		}
	}
	return offline.Render(env, f.Config, f.SecretKeys)
}

// want describes an environment per the README's Environments table
// (README.md, section "Environments").
type want struct {
	topology  string
	regions   []string
	mode      string
	backend   string
	routing   string
	residency string
}

var environments = map[string]want{
	"dev":     {"single", []string{"us-east-1"}, "rds", "route53", "simple", "none"},
	"staging": {"active-passive", []string{"us-east-1", "us-west-2"}, "rds-replica", "route53", "failover", "none"},
	"prod":    {"active-passive", []string{"us-east-1", "us-west-2"}, "aurora-global", "route53", "failover", "none"},
	"prod-eu": {"active-passive", []string{"eu-central-1", "eu-west-1"}, "aurora-global", "cloudflare", "geolocation", "eu"},
	"global":  {"active-active", []string{"us-east-1", "eu-west-1", "ap-southeast-1"}, "dynamodb-global", "route53", "latency", "none"},
}

func TestEveryStackFileHasATest(t *testing.T) {
	t.Parallel()
	names, err := stacks.StackFiles(stacksDir)
	require.NoError(t, err)
	var want []string
	for env := range environments {
		want = append(want, env)
	}
	sort.Strings(want)
	assert.Equal(t, want, names)
}

func TestEnvironments(t *testing.T) {
	t.Parallel()
	for env, w := range environments {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			rec, d, err := render(t, env)
			require.NoError(t, err)
			cfg := d.Config
			assert.Equal(t, w.topology, cfg.Topology)
			assert.Equal(t, w.regions, cfg.Regions)
			assert.Equal(t, w.residency, cfg.Residency)

			// the regions that hold resources are exactly the configured ones
			held := map[string]bool{}
			for _, r := range rec.Resources() {
				if r.Region != "" {
					held[r.Region] = true
				}
			}
			var got []string
			for r := range held {
				got = append(got, r)
			}
			sort.Strings(got)
			wantSorted := append([]string(nil), w.regions...)
			sort.Strings(wantSorted)
			assert.Equal(t, wantSorted, got, "regions holding resources")

			// one provider per region, named aws-<region>, with default tags
			providers := rec.ByType("pulumi:providers:aws")
			require.Len(t, providers, len(w.regions))
			for _, p := range providers {
				region := props.String(p.Inputs, "region")
				assert.Equal(t, "aws-"+region, p.Name)
				assert.Equal(t, env, props.String(p.Inputs, "defaultTags.tags.environment"), "provider %s", p.Name)
				assert.Equal(t, region, props.String(p.Inputs, "defaultTags.tags.region"))
				assert.Equal(t, "multiregion", props.String(p.Inputs, "defaultTags.tags.managed-by"))
				assert.NotEmpty(t, props.String(p.Inputs, "defaultTags.tags.cost-center"))
			}
			// every AWS resource is on an explicit provider (no default provider)
			for _, r := range rec.Resources() {
				if strings.HasPrefix(r.Type, "aws:") {
					assert.NotEmpty(t, r.Provider, "%s %s uses the default provider", r.Type, r.Name)
				}
			}

			// components
			assert.Len(t, rec.ByType(regionalstack.TypeToken), len(w.regions))
			assert.Len(t, rec.ByType(globaldatabase.TypeToken), 1)
			assert.Len(t, rec.ByType(geodns.TypeToken), 1)
			assert.Len(t, rec.ByType("aws:ecs/service:Service"), len(w.regions))
			assert.Len(t, rec.ByType("aws:lb/loadBalancer:LoadBalancer"), len(w.regions))

			// database mode
			assert.Equal(t, w.mode, d.Database.ModeName)
			assert.Equal(t, w.regions, d.Database.DataRegions)
			switch w.mode {
			case "rds":
				assert.Len(t, rec.ByType("aws:rds/instance:Instance"), 1)
			case "rds-replica":
				assert.Len(t, rec.ByType("aws:rds/instance:Instance"), len(w.regions))
			case "aurora-global":
				assert.Len(t, rec.ByType("aws:rds/globalCluster:GlobalCluster"), 1)
				assert.Len(t, rec.ByType("aws:rds/cluster:Cluster"), len(w.regions))
			case "dynamodb-global":
				tables := rec.ByType("aws:dynamodb/table:Table")
				require.Len(t, tables, 1)
				assert.Len(t, props.Array(tables[0].Inputs, "replicas"), len(w.regions)-1)
			}

			// the passive regions run in standby, the active ones do not
			for i, region := range w.regions {
				standby := w.topology == "active-passive" && i > 0
				assert.Equal(t, standby, d.Regions[region].Standby, "%s standby", region)
				svc := rec.Find("aws:ecs/service:Service", "app-"+region+"-service")
				require.NotNil(t, svc, region)
				desired, _ := props.Number(svc.Inputs, "desiredCount")
				if standby {
					assert.Equal(t, 1.0, desired, "%s runs the pilot-light count", region)
				} else {
					assert.Equal(t, float64(cfg.App.DesiredCount), desired, region)
				}
			}

			// DNS
			assert.Equal(t, w.backend, d.DNS.Backend)
			assert.Equal(t, w.routing, d.DNS.Routing)
			switch {
			case w.backend == "route53" && w.routing == "simple":
				assert.Empty(t, rec.ByType("aws:route53/healthCheck:HealthCheck"), "simple routing: no health check that no record uses")
			case w.backend == "route53":
				assert.Len(t, rec.ByType("aws:route53/healthCheck:HealthCheck"), len(w.regions))
			default:
				assert.Len(t, rec.ByType("cloudflare:index/loadBalancerPool:LoadBalancerPool"), len(w.regions))
			}
		})
	}
}

func TestProdDatabasesAreProtected(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"staging", "prod", "prod-eu", "global"} {
		rec, _, err := render(t, env)
		require.NoError(t, err)
		checked := 0
		for _, typ := range []string{"aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster", "aws:dynamodb/table:Table"} {
			for _, r := range rec.ByType(typ) {
				checked++
				assert.True(t, r.Protect, "%s: %s is protected", env, r.Name)
				dp, ok := props.Bool(r.Inputs, "deletionProtection")
				if !ok {
					dp, _ = props.Bool(r.Inputs, "deletionProtectionEnabled")
				}
				assert.True(t, dp, "%s: %s has deletion protection", env, r.Name)
			}
		}
		require.NotZero(t, checked, "%s: no database resource was built, so none was checked", env)
	}
}

func TestProdEUHasNothingOutsideTheEU(t *testing.T) {
	t.Parallel()
	rec, d, err := render(t, "prod-eu")
	require.NoError(t, err)
	located := 0
	for _, r := range rec.Resources() {
		if r.Region != "" {
			located++
			assert.True(t, strings.HasPrefix(r.Region, "eu-"), "%s %s is in %s", r.Type, r.Name, r.Region)
		}
	}
	require.NotZero(t, located, "no resource has a region: nothing was checked")
	require.NotEmpty(t, d.Database.DataRegions)
	for _, r := range d.Database.DataRegions {
		assert.True(t, strings.HasPrefix(r, "eu-"), r)
	}
	// copies too: the credentials secret's replicas stay in the EU
	replicas := 0
	for _, s := range rec.ByType("aws:secretsmanager/secret:Secret") {
		for _, rep := range props.Array(s.Inputs, "replicas") {
			replicas++
			assert.True(t, strings.HasPrefix(props.String(rep.ObjectValue(), "region"), "eu-"))
		}
	}
	require.NotZero(t, replicas, "prod-eu's credentials secret has a replica in the standby region")
	// Cloudflare pools are checked from European Cloudflare regions
	pools := rec.ByType("cloudflare:index/loadBalancerPool:LoadBalancerPool")
	require.Len(t, pools, len(d.Config.Regions), "one pool per region")
	for _, p := range pools {
		crs := props.Strings(p.Inputs, "checkRegions")
		require.NotEmpty(t, crs, "%s: pool without checkRegions", p.Name)
		for _, cr := range crs {
			assert.Contains(t, []string{"WEU", "EEU"}, cr)
		}
	}
}

func TestDrillFromStackConfig(t *testing.T) {
	t.Parallel()
	rec, d, err := render(t, "prod", "multiregion:drill", `{"failRegion":"us-east-1"}`)
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", d.DNS.FailedRegion)
	inverted := 0
	for _, hc := range rec.ByType("aws:route53/healthCheck:HealthCheck") {
		if v, _ := props.Bool(hc.Inputs, "invertHealthcheck"); v {
			inverted++
		}
	}
	assert.Equal(t, 1, inverted)

	rec, _, err = render(t, "prod-eu", "multiregion:drill", `{"failRegion":"eu-central-1"}`)
	require.NoError(t, err)
	disabled := 0
	for _, p := range rec.ByType("cloudflare:index/loadBalancerPool:LoadBalancerPool") {
		if v, _ := props.Bool(p.Inputs, "enabled"); !v {
			disabled++
		}
	}
	assert.Equal(t, 1, disabled)
}

// runProgram runs the real Pulumi program (stacks.Program, which main.go runs)
// for env's stack file with overrides, under a fresh recorder, and returns the
// recorder after the program has returned. Unlike Render, which refuses an
// invalid config before it runs anything, this runs the program itself, so an
// assertion that nothing was registered is about something that ran.
func runProgram(t *testing.T, env string, overrides ...string) (*mockengine.Recorder, error) {
	t.Helper()
	f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi."+env+".yaml"))
	require.NoError(t, err)
	for i := 0; i+1 < len(overrides); i += 2 {
		if overrides[i+1] == "" {
			delete(f.Config, overrides[i])
		} else {
			f.Config[overrides[i]] = overrides[i+1]
		}
	}
	return mockengine.Run(stacks.Project, env, f.Config, stacks.Program)
}

func TestInvalidStackConfigRegistersNothing(t *testing.T) {
	t.Parallel()
	// The control: the same helper on a valid config registers the stack, so
	// an empty recorder below means the program refused, not that it never ran.
	rec, err := runProgram(t, "prod")
	require.NoError(t, err)
	require.NotEmpty(t, rec.ByType("aws:lb/loadBalancer:LoadBalancer"), "the valid stack builds")

	cases := []struct {
		env       string
		overrides []string
		want      string
	}{
		{"prod-eu", []string{"multiregion:regions", `["eu-central-1","us-east-1"]`}, `multiregion:regions: us-east-1 is outside residency "eu"`},
		{"prod", []string{"multiregion:database", `{"mode":"dynamodb-global"}`}, `multiregion:database.mode: "dynamodb-global" does not fit topology active-passive`},
		{"global", []string{"multiregion:dns", `{"domain":"g.example.com","routing":"failover"}`}, `multiregion:dns.routing: "failover" does not fit topology active-active`},
		{"staging", []string{"multiregion:rpoSeconds", "1"}, "multiregion:rpoSeconds:"},
		{"dev", []string{"multiregion:regions", `["us-east-1","us-west-2"]`}, "multiregion:regions: topology single takes exactly 1 region"},
		{"prod", []string{"multiregion:drill", `{"failRegion":"eu-west-1"}`}, "multiregion:drill.failRegion:"},
		{"prod", []string{"multiregion:app", `{"image":"x","cpu":300}`}, "multiregion:app.cpu: 300 is not a Fargate CPU size"},
		{"prod", []string{"multiregion:network", `{"azCount":1}`}, "multiregion:network.azCount: 1 is out of range"},
		{"prod", []string{"multiregion:app", `{"image":"x","standbyCount":0}`}, "multiregion:app.standbyCount: 0 leaves the standby region without a task"},
		{"prod", []string{"multiregion:name", "internal-api"}, `multiregion:name: "internal-api": names starting with "internal-" are reserved`},
	}
	for _, tc := range cases {
		rec, err := runProgram(t, tc.env, tc.overrides...)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
		assert.Empty(t, rec.Resources(), "%s: nothing registered", tc.want)

		// Render (the offline CLI's path) refuses it the same way, as a *ConfigError.
		_, _, err = render(t, tc.env, tc.overrides...)
		require.Error(t, err, tc.want)
		var ce *stacks.ConfigError
		assert.True(t, errors.As(err, &ce), "%s: a config error", tc.want)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestClearTextPasswordIsRefused(t *testing.T) {
	t.Parallel()
	// The program itself refuses it before registering anything (runProgram
	// runs stacks.Program; Render would refuse before running anything, so its
	// recorder would be empty whatever the program does).
	rec, err := runProgram(t, "dev", "multiregion:databasePassword", "hunter2")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "multiregion:databasePassword: is in clear text")
	assert.Empty(t, rec.Resources())
	_, _, err = render(t, "dev", "multiregion:databasePassword", "hunter2")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "multiregion:databasePassword: is in clear text")

	f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi.dev.yaml"))
	require.NoError(t, err)
	f.Config["multiregion:databasePassword"] = "s3cret-from-config"
	rec, _, err = offline.Render("dev", f.Config, []string{"multiregion:databasePassword"})
	require.NoError(t, err)
	assert.Empty(t, rec.ByType("random:index/randomPassword:RandomPassword"))
	insts := rec.ByType("aws:rds/instance:Instance")
	require.Len(t, insts, 1)
	inst := insts[0]
	assert.True(t, props.IsSecret(inst.Inputs, "password"))
}

// Issue 14 point 13: a Cloudflare-proxied stack's load balancers take traffic
// only from Cloudflare's published ranges; DNS-only Cloudflare and Route 53
// stacks stay open to the internet (their users connect directly).
func TestProxiedOriginsAcceptOnlyCloudflare(t *testing.T) {
	t.Parallel()
	sources := func(rec *mockengine.Recorder) map[string][]string {
		out := map[string][]string{}
		sgs := rec.ByType("aws:ec2/securityGroup:SecurityGroup")
		require.NotEmpty(t, sgs)
		for _, sg := range sgs {
			if !strings.HasSuffix(sg.Name, "-lb-sg") {
				continue
			}
			rules := props.Array(sg.Inputs, "ingress")
			require.NotEmpty(t, rules, sg.Name)
			for i := range rules {
				port, _ := props.Number(sg.Inputs, fmt.Sprintf("ingress[%d].fromPort", i))
				out[fmt.Sprintf("%s:%v", sg.Name, port)] = props.Strings(sg.Inputs, fmt.Sprintf("ingress[%d].cidrBlocks", i))
			}
		}
		require.NotEmpty(t, out)
		return out
	}
	rec, _, err := render(t, "prod-eu")
	require.NoError(t, err)
	got := sources(rec)
	assert.Len(t, got, 4, "80 and 443 in two regions")
	for rule, cidrs := range got {
		assert.Equal(t, mockengine.CloudflareIPv4, cidrs, rule)
	}

	f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi.prod-eu.yaml"))
	require.NoError(t, err)
	dnsOnly := strings.Replace(f.Config["multiregion:dns"], `"provider":"cloudflare"`, `"provider":"cloudflare","proxied":false`, 1)
	require.NotEqual(t, f.Config["multiregion:dns"], dnsOnly)
	for env, overrides := range map[string][]string{"prod-eu": {"multiregion:dns", dnsOnly}, "prod": nil, "dev": nil} {
		rec, _, err := render(t, env, overrides...)
		require.NoError(t, err, env)
		for rule, cidrs := range sources(rec) {
			assert.Equal(t, []string{"0.0.0.0/0"}, cidrs, "%s %s", env, rule)
		}
	}
}

// Issue 14 points 1 and 14: prod and staging share an account and regions; their
// load balancers, target groups and task definition families never collide, and
// the names fit AWS's limits.
func TestStacksInOneAccountDoNotCollide(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, env := range []string{"prod", "staging"} {
		rec, _, err := render(t, env)
		require.NoError(t, err)
		for typ, key := range map[string]string{
			"aws:lb/loadBalancer:LoadBalancer":      "name",
			"aws:lb/targetGroup:TargetGroup":        "name",
			"aws:ecs/taskDefinition:TaskDefinition": "family",
		} {
			res := rec.ByType(typ)
			require.Len(t, res, 2, "%s %s", env, typ)
			for _, r := range res {
				name := props.String(r.Outputs, key)
				require.NotEmpty(t, name)
				if key == "name" {
					assert.LessOrEqual(t, len(name), regionalstack.LoadBalancerNameMax, name)
				} else {
					assert.True(t, strings.HasSuffix(name, "-"+env), "family %s names the stack", name)
				}
				id := r.Region + "/" + typ + "/" + name
				assert.Empty(t, seen[id], "%s: %s and %s share %s", typ, seen[id], env, name)
				seen[id] = env
			}
		}
	}
}
