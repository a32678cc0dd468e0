package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/stackfile"
)

// TestConfigOverridesMatchPulumiConfigSet: `multiregion --config key=value`
// reads a stack as `pulumi config set --path key value` writes it: the same
// sets, applied by the real CLI to a stack file and by the offline loader,
// give the same config.
func TestConfigOverridesMatchPulumiConfigSet(t *testing.T) {
	needCLI(t)
	t.Parallel()
	env := pulumiHome(t.TempDir())
	project := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte("name: multiregion\nruntime: go\nstackConfigDir: stacks\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(project, "stacks"), 0o755))
	run := func(args ...string) {
		t.Helper()
		r := execIn(t, project, env, "", pulumiBin, append(args, "--non-interactive")...)
		require.Equal(t, 0, r.code, "pulumi %v: %s", args, r.String())
	}
	run("login", "file://"+t.TempDir())
	run("stack", "init", "qa", "--secrets-provider", "passphrase")

	sets := [][2]string{
		{"aws:region", "eu-west-1"},
		{"budgetUSD", "1200"},
		{"regions[0]", "eu-west-1"},
		{"regions[1]", "eu-central-1"},
		{"database.mode", "aurora-global"},
		{"database.multiAZ", "true"},
		{"database.instanceClass", "db.r6g.large"},
		{"dns.failureThreshold", "5"},
		{"dns.geo.EU", "eu-west-1"},
		{`network.vpcCIDRs["eu-west-1"]`, "10.1.0.0/16"},
		{"tags", `{"team":"orders"}`},
		{"multiregion:residency", "eu"},
	}
	offline := stackfile.New("qa", "multiregion")
	for _, kv := range sets {
		run("config", "set", "--path", kv[0], kv[1], "--stack", "qa")
		require.NoError(t, offline.Set(kv[0], kv[1]), kv[0])
	}
	written, err := stackfile.Read(filepath.Join(project, "stacks", "Pulumi.qa.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, written.Config)
	assert.Equal(t, written.Config, offline.Config)
}
