// Command multiregion renders any stack of this project offline, without cloud
// credentials: the resources per region, the monthly cost and the premium over
// one region, the policy verdicts, a diagram, and a state file the real Pulumi
// CLI can analyze. It also checks any Pulumi deployment (`pulumi stack export`)
// against the policy pack.
//
//	multiregion plan --stack prod
//	multiregion check --stack prod-eu --format markdown
//	pulumi stack export | multiregion check --state - --policy-config policy.json
//	multiregion cost --stack prod --compare staging
//	multiregion diagram --stack prod-eu --format mermaid
//	multiregion stacks
//	multiregion completion bash|zsh|fish|powershell
//
// The command only parses flags (github.com/spf13/cobra: `multiregion <cmd>
// --help` is generated from them), calls the report and diagram packages and
// chooses the exit code: 0 ok, 1 mandatory policy violations (or a drill that
// did not pass), 2 bad usage or invalid input, 3 an internal or I/O failure.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	// A big state file makes a large, short-lived heap: collect less often, but
	// stay under a soft limit well below 1 GiB. GOGC / GOMEMLIMIT still override.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
