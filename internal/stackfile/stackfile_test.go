package stackfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/stackfile"
)

// write puts a stack file (and a Pulumi.yaml) in a temporary project.
func write(t *testing.T, stack, body string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: multiregion\nruntime: go\nstackConfigDir: stacks\n"), 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "stacks"), 0o700))
	path = filepath.Join(dir, "stacks", "Pulumi."+stack+".yaml")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	return dir, path
}

// As `pulumi config set` writes them: plain keys in the project namespace,
// secure values at the top and inside objects.
const stackYAML = "\ufeff" + `config:
  aws:region: eu-west-1
  budgetUSD: 900
  multiregion:regions: [eu-west-1, eu-central-1]
  multiregion:databasePassword:
    secure: AAABAGnR0f0=
  multiregion:database:
    mode: rds
    auth:
      password:
        secure: AAABAJ3l
`

func TestRead(t *testing.T) {
	t.Parallel()
	_, path := write(t, "qa", stackYAML)
	f, err := stackfile.Read(path)
	require.NoError(t, err)
	assert.Equal(t, "qa", f.Stack)
	assert.Equal(t, "eu-west-1", f.Config["aws:region"])
	assert.Equal(t, "900", f.Config["multiregion:budgetUSD"], "the project namespace is implied")
	assert.Equal(t, `["eu-west-1","eu-central-1"]`, f.Config["multiregion:regions"])
	assert.Equal(t, stackfile.SecretPlaceholder, f.Config["multiregion:databasePassword"])
	assert.JSONEq(t, `{"mode":"rds","auth":{"password":"[secret]"}}`, f.Config["multiregion:database"])
	assert.Equal(t, []string{"multiregion:database", "multiregion:databasePassword"}, f.SecretKeys)
}

func TestSetAsPulumiConfigSetPath(t *testing.T) {
	t.Parallel()
	_, path := write(t, "qa", stackYAML)
	f, err := stackfile.Read(path)
	require.NoError(t, err)
	for _, kv := range [][2]string{
		{"database.mode", "aurora-global"},
		{"database.multiAZ", "true"},
		{"dns.failureThreshold", "5"},
		{"regions[1]", "eu-north-1"},
		{"multiregion:budgetUSD", "1200"},
		{"aws:region", "eu-north-1"},
		{"tags", `{"team":"orders"}`},
	} {
		require.NoError(t, f.Set(kv[0], kv[1]), kv[0])
	}
	assert.JSONEq(t, `{"mode":"aurora-global","multiAZ":true,"auth":{"password":"[secret]"}}`, f.Config["multiregion:database"])
	assert.JSONEq(t, `{"failureThreshold":5}`, f.Config["multiregion:dns"])
	assert.Equal(t, `["eu-west-1","eu-north-1"]`, f.Config["multiregion:regions"])
	assert.Equal(t, "1200", f.Config["multiregion:budgetUSD"])
	assert.Equal(t, "eu-north-1", f.Config["aws:region"])
	assert.Equal(t, `{"team":"orders"}`, f.Config["multiregion:tags"], "a whole value is text the program parses")

	for key, want := range map[string]string{
		"database.mode.x": "database.mode: expected a map",
		"a:b:c":           "a:b:c: could not parse a:b:c as a configuration key",
		"regions[x]":      "regions[x]",
		":x":              ":x",
	} {
		err := f.Set(key, "1")
		require.Error(t, err, key)
		assert.Contains(t, err.Error(), want, key)
	}
	assert.JSONEq(t, `{"mode":"aurora-global","multiAZ":true,"auth":{"password":"[secret]"}}`, f.Config["multiregion:database"],
		"a failed Set changes nothing")
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	_, err := stackfile.Read(filepath.Join(t.TempDir(), "Pulumi.none.yaml"))
	require.Error(t, err, "a missing file is an error, not an empty stack")
	_, path := write(t, "bad", "config: [1, 2\n")
	_, err = stackfile.Read(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Pulumi.bad.yaml: not a valid stack config file")
	assert.NotContains(t, err.Error(), "\n")
}

func TestForState(t *testing.T) {
	t.Parallel()
	dir, _ := write(t, "qa", stackYAML)
	load := stackfile.ForState(dir, "")
	f, err := load("multiregion", "qa")
	require.NoError(t, err)
	assert.Equal(t, "900", f.Config["multiregion:budgetUSD"])

	_, err = load("other", "qa")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `the deployment is of project "other"`)
	_, err = load("multiregion", "prod")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown stack "prod"`)

	// an explicit stack directory without a Pulumi.yaml: the deployment's project
	f, err = stackfile.ForState(t.TempDir(), filepath.Join(dir, "stacks"))("multiregion", "qa")
	require.NoError(t, err)
	assert.Equal(t, "eu-west-1", f.Config["aws:region"])
}
