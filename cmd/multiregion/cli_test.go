package main

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/drill"
)

// closedWriter fails every write, like stdout closed by the reader of a pipe.
type closedWriter struct{}

func (closedWriter) Write([]byte) (int, error) {
	return 0, errors.New("write /dev/stdout: broken pipe")
}

// TestExitCodeInternal: a failure that is not the input's fault (a write
// error on --out-state, a closed stdout) is exit 3, not "bad usage".
func TestExitCodeInternal(t *testing.T) {
	t.Parallel()
	missingDir := filepath.Join(t.TempDir(), "no-such-dir", "state.json")
	_, errOut, code := cli(t, "", "plan", "--stack", "dev", "--out-state", missingDir, stacksFlag)
	assert.Equal(t, exitInternal, code, errOut)
	assert.Contains(t, errOut, "multiregion: --out-state: open "+missingDir)

	for _, args := range [][]string{
		{"plan", "--stack", "dev"},
		{"check", "--stack", "dev", "--format", "json"},
		{"cost", "--stack", "dev", "--format", "markdown"},
		{"compare", "--stack", "dev", "--stack", "staging"},
		{"diagram", "--stack", "prod"},
		{"stacks"},
	} {
		var errOut bytes.Buffer
		code := run(append(args, stacksFlag), strings.NewReader(""), closedWriter{}, &errOut)
		assert.Equal(t, exitInternal, code, "%v: %s", args, errOut.String())
		assert.Contains(t, errOut.String(), "broken pipe", args)
		assert.True(t, strings.HasPrefix(errOut.String(), "multiregion: "), errOut.String())
	}

	// a check that finds violations and cannot write its report is still exit 3:
	// nobody saw the verdict
	var errOut2 bytes.Buffer
	code = run([]string{"check", "--stack", "prod", "--config", "budgetUSD=100", stacksFlag}, strings.NewReader(""), closedWriter{}, &errOut2)
	assert.Equal(t, exitInternal, code, errOut2.String())
}

// commands returns the CLI's commands (not cobra's help and completion), so the
// tests below cover every command, including ones added later.
func commands(t *testing.T) []*cobra.Command {
	t.Helper()
	var out []*cobra.Command
	for _, c := range newRoot(strings.NewReader(""), io.Discard, io.Discard).Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			out = append(out, c)
		}
	}
	require.GreaterOrEqual(t, len(out), 8, "plan, check, cost, compare, diagram, stacks, drill, version")
	return out
}

// TestHelpPerCommand: `multiregion <cmd> --help` exits 0 and lists every flag
// the command defines, with its help: the text is generated, so it cannot drift.
func TestHelpPerCommand(t *testing.T) {
	t.Parallel()
	for _, c := range commands(t) {
		out, errOut, code := cli(t, "", c.Name(), "--help")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Usage:\n  multiregion "+c.Name(), c.Name())
		n := 0
		c.Flags().VisitAll(func(f *pflag.Flag) {
			n++
			assert.Contains(t, out, "--"+f.Name, "%s --help lists --%s", c.Name(), f.Name)
			_, usage := pflag.UnquoteUsage(f)
			first := strings.SplitN(usage, "\n", 2)[0]
			assert.Contains(t, out, first, "%s --help shows --%s's help", c.Name(), f.Name)
		})
		if c.Name() != "version" {
			assert.Positive(t, n, "%s defines flags", c.Name())
		}
	}
	out, _, code := cli(t, "", "--help")
	require.Equal(t, 0, code)
	for _, c := range commands(t) {
		assert.Contains(t, out, "  "+c.Name(), "the root help lists %s", c.Name())
	}
	assert.Contains(t, out, "3 an internal or I/O failure")
	out, _, code = cli(t, "", "--version")
	assert.Equal(t, 0, code)
	assert.Equal(t, "multiregion "+version+"\n", out)
}

// complete runs cobra's completion entry point (what the shell scripts call)
// and returns the candidates, without descriptions and the directive line.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	out, errOut, code := cli(t, "", append([]string{cobra.ShellCompNoDescRequestCmd}, args...)...)
	require.Equal(t, 0, code, errOut)
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, ":") && l != "" {
			got = append(got, l)
		}
	}
	return got
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	cmds := complete(t, "")
	for _, c := range []string{"plan", "check", "cost", "compare", "diagram", "stacks", "drill", "completion"} {
		assert.Contains(t, cmds, c)
	}
	assert.Equal(t, []string{"dev", "global", "prod", "prod-eu", "staging"}, complete(t, "plan", stacksFlag, "--stack", ""))
	assert.Equal(t, []string{"dev", "global", "prod", "prod-eu", "staging"}, complete(t, "cost", stacksFlag, "--stack", "dev", "--compare", ""))
	assert.Equal(t, []string{"dev", "global", "prod", "prod-eu", "staging"}, complete(t, "compare", stacksFlag, "--stack", ""))
	assert.Empty(t, complete(t, "plan", "--stacks-dir", "nowhere", "--stack", ""), "no stacks directory, no candidates")
	for _, cmd := range []string{"plan", "check", "cost", "compare", "drill"} {
		assert.Equal(t, []string{"table", "json", "markdown"}, complete(t, cmd, "--format", ""), cmd)
	}
	assert.Equal(t, []string{"mermaid", "dot"}, complete(t, "diagram", "--format", ""))
	assert.Equal(t, []string{"mermaid", "dot"}, complete(t, "plan", "--diagram", ""))

	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, errOut, code := cli(t, "", "completion", shell)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "multiregion", shell)
		assert.Contains(t, out, cobra.ShellCompRequestCmd, "%s script asks the binary", shell)
	}
}

// TestCommandLineCompatibility: what the first, flag-package CLI accepted
// still works (one-dash long flags), and a mistyped command is named as one,
// whatever flags follow it.
func TestCommandLineCompatibility(t *testing.T) {
	t.Parallel()
	out, errOut, code := cli(t, "", "plan", "-stack", "dev", "-format=json", "-stacks-dir", "../../stacks")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"stack": "dev"`)

	_, errOut, code = cli(t, "", "chek", "--stack", "dev")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, "multiregion: unknown command \"chek\" (did you mean check?): use check, compare, cost, diagram, drill, plan, stacks (multiregion --help)\n", errOut)

	_, errOut, code = cli(t, "", "--nope")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, "multiregion: flag provided but not defined: --nope: see 'multiregion --help'\n", errOut)

	// a value that starts with a dash is a value, not a flag
	_, errOut, code = cli(t, "", "drill", "--stack", "prod", "--fail", "us-east-1", "--settle", "-1s")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--settle -1s: use a positive duration")

	out, _, code = cli(t, "", "help", "plan")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Usage:\n  multiregion plan")
}

// TestUntypedErrorsAreInternal: a command's error that is neither bad input nor
// a verdict (a drill whose Pulumi CLI failed, a bug) is exit 3, never 2.
func TestUntypedErrorsAreInternal(t *testing.T) {
	t.Parallel()
	cmd := &cobra.Command{}
	for err, want := range map[error]int{
		drillError(errors.New("opening stack \"prod\": pulumi: exit status 255")): exitInternal,
		drillError(&drill.PreflightError{}):                                       exitUsage,
		&drillFailedError{"drill failed: RTO missed"}:                             exitViolations,
		usagef("bad"): exitUsage,
	} {
		got := command(func(*cobra.Command) error { return err })(cmd, nil)
		assert.Equal(t, want, exitCode(got), "%v", err)
	}
	assert.Equal(t, exitOK, exitCode(command(func(*cobra.Command) error { return nil })(cmd, nil)))
}
