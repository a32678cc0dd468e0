package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/mockengine"
)

// Project is the Pulumi project name (Pulumi.yaml), which is also the config
// namespace (stackfile.Namespace): one string for both.
const Project = stackfile.Namespace

// Render runs a stack's program offline, under the mock engine, with config as
// the stack's full config (e.g. StackFile.Config plus overrides) and secretKeys
// the keys whose values are secret. The config is loaded and validated first: an
// invalid config returns its *ConfigError and registers nothing.
func Render(stack string, config map[string]string, secretKeys []string) (*mockengine.Recorder, *Deployment, error) {
	cfg, err := Load(stack, config)
	if err != nil {
		return mockengine.New(Project, stack, config), nil, err
	}
	rec := mockengine.New(Project, stack, config).WithSecretKeys(secretKeys)
	var d *Deployment
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		password, err := databasePassword(ctx)
		if err != nil {
			return err
		}
		d, err = Build(ctx, cfg, password)
		if err != nil {
			return err
		}
		d.Export(ctx)
		return nil
	}, rec.RunOptions(false)...)
	return rec, d, err
}
