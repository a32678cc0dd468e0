package stacks

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/internal/stackfile"
)

// Project is the Pulumi project name (Pulumi.yaml), which is also the config
// namespace (stackfile.Namespace): one string for both.
const Project = stackfile.Namespace

// Compose builds and exports the deployment for an already loaded cfg: what
// Program does after reading the config. The offline renderer (package
// stacks/offline) runs it under the mock engine, which the deployed program
// never links.
func Compose(ctx *pulumi.Context, cfg *Config) (*Deployment, error) {
	password, err := databasePassword(ctx)
	if err != nil {
		return nil, err
	}
	d, err := Build(ctx, cfg, password)
	if err != nil {
		return nil, err
	}
	d.Export(ctx)
	return d, nil
}
