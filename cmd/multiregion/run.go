package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Exit codes, part of the CLI contract.
const (
	exitOK         = 0
	exitViolations = 1
	exitUsage      = 2
)

// usageError is bad input: printed as one line, exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// violationsError means the run worked and found mandatory violations: exit 1.
type violationsError struct{ n int }

func (e *violationsError) Error() string {
	return fmt.Sprintf("%d mandatory policy violation(s)", e.n)
}

const usage = `multiregion renders a stack offline: resources per region, cost, policies, diagram.

Usage:
  multiregion plan    --stack ENV [--config key=value]... [--format table|json|markdown]
                      [--out-state FILE] [--diagram mermaid|dot] [--policy-config FILE]
  multiregion check   --stack ENV [same flags as plan]        exit 1 on a mandatory violation
  multiregion check   --state FILE|- [--config key=value]... [--policy-config FILE] [--format ...]
  multiregion cost    --stack ENV [--compare ENV2] [--config key=value]... [--format table|json|markdown]
  multiregion compare --stack A --stack B [--config key=value]... [--format table|json|markdown]
                      cost, RPO/RTO and latency side by side
  multiregion diagram --stack ENV [--format mermaid|dot]
  multiregion stacks  list the environments and their topology
  multiregion drill   --stack ENV --fail REGION [--probe URL] [--resolver HOST:PORT] [--timeout D]
                      [--settle D] [--yes] [--format table|json|markdown] [--project-dir DIR]
                      fail REGION of the deployed stack in DNS (pulumi up), measure the failover
                      and the fail-back, revert; exit 1 when rtoSeconds is missed or unverified

Common flags:
  --stacks-dir DIR     where the Pulumi.<stack>.yaml files are (default: ./stacks)
  --config key=value   override a stack config key as 'pulumi config set --path' would
                       (the Pulumi SDK's config map): the namespace defaults to multiregion,
                       dotted and indexed keys set a field or element
                       (--config database.mode=aurora-global, --config 'regions[1]=eu-west-1')
  --state FILE|-       check a 'pulumi stack export' file (with or without --show-secrets);
                       the config of the stack its URNs name is read from its stack file
  --policy-config FILE policy pack config, the JSON of 'pulumi ... --policy-pack-config'

Exit codes: 0 ok, 1 mandatory policy violations, 2 bad usage or invalid config.
`

// run executes the CLI and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(args, stdin, stdout, stderr)
	var ue *usageError
	var ve *violationsError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ve):
		fmt.Fprintf(stderr, "multiregion: %v\n", err)
		return exitViolations
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "multiregion: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "multiregion: %v\n", err)
		return exitUsage
	}
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command: use plan, check, cost, compare, diagram or stacks")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "plan":
		return cmdPlan(rest, stdin, stdout, stderr, false)
	case "check":
		return cmdPlan(rest, stdin, stdout, stderr, true)
	case "cost":
		return cmdCost(rest, stdout, stderr)
	case "compare":
		return cmdCompare(rest, stdout, stderr)
	case "diagram":
		return cmdDiagram(rest, stdout, stderr)
	case "stacks":
		return cmdStacks(rest, stdout)
	case "drill":
		return cmdDrill(rest, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "multiregion", version)
		return nil
	}
	return usagef("unknown command %q: use plan, check, cost, compare, diagram or stacks (multiregion help)", cmd)
}

// version of the CLI (the module's).
const version = "1.0.0"

// configFlag collects repeated --config key=value.
type configFlag []string

func (c *configFlag) String() string     { return strings.Join(*c, ",") }
func (c *configFlag) Set(v string) error { *c = append(*c, v); return nil }

// newFlags returns a flag set that reports errors as usage errors, not usage dumps.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses flags and rejects stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usagef("%s: see 'multiregion help' for the flags", fs.Name())
		}
		return usagef("%s: %v: see 'multiregion help'", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q: flags take the form --name value", fs.Name(), fs.Arg(0))
	}
	return nil
}

// oneOf checks an enumerated flag value.
func oneOf(cmd, flagName, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return usagef("%s: --%s %q: use %s", cmd, flagName, value, strings.Join(allowed, ", "))
}

// progress prints msg on stderr if the work takes more than a second; call the
// returned function when the work is done.
func progress(stderr io.Writer, msg string) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-done:
		case <-time.After(time.Second):
			fmt.Fprintf(stderr, "multiregion: %s...\n", msg)
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// stacksDir returns the directory of the stack files, checking it exists.
func stacksDir(dir string) (string, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", usagef("no stacks directory %q: run from the project root or pass --stacks-dir", dir)
	}
	return dir, nil
}
