package main

import (
	"io"
	"strings"
	"testing"
)

// FuzzPlanConfig: no --config override makes `plan` panic; bad input is exit
// 2 with the message on stderr. It renders the stack, so it covers the
// config's path from the flag through stacks.Load to the components.
func FuzzPlanConfig(f *testing.F) {
	for _, kv := range []string{
		"budgetUSD=500", "database.mode=aurora-global", `regions=["us-east-1","us-west-2"]`, "regions[1]=us-west-2",
		"topology=active-active", "app.desiredCount=0", "dns.routing=weighted", "network.azCount=6", "drill.failRegion=us-east-1",
		"database.mode.x=1", "aws:region=eu-west-1", "app.cpu=3", "dns.failureThreshold=11",
	} {
		f.Add(kv)
	}
	f.Fuzz(func(t *testing.T, kv string) {
		var errOut strings.Builder
		code := run([]string{"plan", "--stack", "dev", stacksFlag, "--config", kv, "--format", "json"}, strings.NewReader(""), io.Discard, &errOut)
		if code != exitOK && code != exitUsage {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		if code == exitUsage && !strings.HasPrefix(errOut.String(), "multiregion: ") {
			t.Fatalf("a refusal without the message: %q", errOut.String())
		}
	})
}
