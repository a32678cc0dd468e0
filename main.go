// Command multiregion is the Pulumi program: `pulumi up -s <stack>` runs it with
// the stack's config from stacks/Pulumi.<stack>.yaml.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/stacks"
)

func main() {
	pulumi.Run(stacks.Program)
}
