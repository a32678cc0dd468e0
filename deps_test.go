package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeployedProgramDoesNotLinkTheMockEngine: the Pulumi program (this
// package) and the policy pack are what users deploy; the mock engine and the
// offline renderer belong to the CLI and the tests only (issue 13).
func TestDeployedProgramDoesNotLinkTheMockEngine(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot list the dependencies")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".", "./policies/pack").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	// the listing must be the real one: it holds the program's own packages
	for _, want := range []string{"github.com/multiregion/multiregion/stacks", "github.com/multiregion/multiregion/policies/model"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Fatalf("go list -deps does not list %s: %s", want, out)
		}
	}
	for _, dep := range deps {
		if strings.Contains(dep, "mockengine") || strings.HasSuffix(dep, "/stacks/offline") {
			t.Errorf("the deployed program or the policy pack depends on %s", dep)
		}
	}
}
