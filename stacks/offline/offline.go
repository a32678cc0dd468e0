// Package offline runs a stack's program offline, under the mock engine: the
// offline CLI's plan, the environment tests and the benchmarks use it. It is
// a package of its own so that the deployed program (main.go -> stacks) and
// the policy pack never link the mock engine.
package offline

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/stacks"
)

// Render runs stack's program under the mock engine, with config as the
// stack's full config (e.g. a stack file's config plus overrides) and
// secretKeys the keys whose values are secret. The config is loaded and
// validated first: an invalid config returns its *stacks.ConfigError and
// registers nothing.
func Render(stack string, config map[string]string, secretKeys []string) (*mockengine.Recorder, *stacks.Deployment, error) {
	cfg, err := stacks.Load(stack, config)
	if err != nil {
		return mockengine.New(stacks.Project, stack, config), nil, err
	}
	rec := mockengine.New(stacks.Project, stack, config).WithSecretKeys(secretKeys)
	var d *stacks.Deployment
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		d, err = stacks.Compose(ctx, cfg)
		return err
	}, rec.RunOptions(false)...)
	return rec, d, err
}
