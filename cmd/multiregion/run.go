package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes, part of the CLI contract.
const (
	exitOK         = 0
	exitViolations = 1
	exitUsage      = 2
	exitInternal   = 3
)

// usageError is bad usage or invalid input (flags, config, state, policy
// config): printed as one line, exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// violationsError means the run worked and found mandatory violations: exit 1.
type violationsError struct{ n int }

func (e *violationsError) Error() string {
	return fmt.Sprintf("%d mandatory policy violation(s)", e.n)
}

// internalError is a failure that is not the input's fault: a write error
// (--out-state, a closed stdout), a bug. Exit code 3.
type internalError struct{ err error }

func (e *internalError) Error() string { return e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// internalf wraps err as an internal failure, saying what was being done.
func internalf(doing string, err error) error {
	return &internalError{fmt.Errorf("%s: %w", doing, err)}
}

// exitCode maps an error to the exit code and the message to print.
func exitCode(err error) int {
	var ve *violationsError
	var ue *usageError
	var ie *internalError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ve):
		return exitViolations
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ie):
		return exitInternal
	}
	// Only cobra's own errors reach here untyped (every command's errors are
	// typed by command()): an unknown command, a missing argument.
	return exitUsage
}

// run executes the CLI and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	var err error
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		// an unknown command is named as such, before its flags are parsed as
		// the root's (which has none of them)
		complete := args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd
		if cmd, _, ferr := root.Find(args); ferr == nil && cmd == root && !complete {
			err = unknownCommand(root, args[:1])
		}
	}
	if err == nil {
		root.SetArgs(singleDash(root, args))
		err = root.Execute()
	}
	if err != nil {
		fmt.Fprintf(stderr, "multiregion: %v\n", err)
	}
	return exitCode(err)
}

// version of the CLI (the module's).
const version = "1.0.0"

// newRoot builds the command tree. stdin, stdout and stderr are the test seam.
func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "multiregion",
		Short: "Render, check and compare multi-region stacks offline",
		Long: `multiregion renders a stack of this project offline, without cloud credentials:
the resources per region, the monthly cost and the premium over one region, the
policy verdicts, a diagram, and a state file the Pulumi CLI can analyze. It also
checks any Pulumi deployment (pulumi stack export) against the policy pack, and
runs failover drills on deployed stacks.

Exit codes: 0 ok, 1 mandatory policy violations (or a drill that did not pass),
2 bad usage or invalid input (flags, config, state, policy config),
3 an internal or I/O failure (e.g. writing --out-state or the report).`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          unknownCommand,
		// a mistyped command within two edits gets a "did you mean"
		SuggestionsMinimumDistance: 2,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(stderr)
			_ = cmd.Usage()
			return usagef("no command: use %s (multiregion --help)", commandList(cmd))
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("multiregion {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		newPlanCmd(stderr), newCheckCmd(stderr), newCostCmd(stderr), newCompareCmd(stderr),
		newDiagramCmd(stderr), newStacksCmd(), newDrillCmd(stderr),
		&cobra.Command{Use: "version", Short: "Print the version", Args: noArgs,
			Run: func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), "multiregion", version) }},
	)
	// added now rather than by Execute, so that run's check for an unknown
	// command sees them
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = unknownShell
			c.RunE = func(cmd *cobra.Command, args []string) error { return unknownShell(cmd, args) }
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if t := f.Value.Type(); t == "string" || t == "duration" {
				f.Value = &onceValue{Value: f.Value, flag: f.Name}
			}
		})
	}
	return root
}

// onceValue refuses a second, different value for a single-valued flag: pflag
// keeps the last one, so `plan --stack prod --stack dev` would silently render
// dev. The same value again is harmless (and cobra parses the flags twice when
// it completes).
type onceValue struct {
	pflag.Value
	flag  string
	first string
	set   bool
}

func (o *onceValue) Set(s string) error {
	if s == "" {
		// --out-state= or --state= would otherwise mean "not given" and be
		// silently ignored (or reported as another flag missing)
		return &emptyFlagError{flag: o.flag}
	}
	if o.set && s != o.first {
		return &repeatedFlagError{flag: o.flag, first: o.first, second: s}
	}
	o.set, o.first = true, s
	return o.Value.Set(s)
}

// repeatedFlagError is a single-valued flag given twice.
type repeatedFlagError struct{ flag, first, second string }

func (e *repeatedFlagError) Error() string {
	hint := ""
	if e.flag == "stack" {
		hint = " (to compare two stacks: multiregion compare --stack A --stack B)"
	}
	return fmt.Sprintf("--%s given twice (%q, then %q): give it once%s", e.flag, e.first, e.second, hint)
}

// emptyFlagError is a flag given an empty value.
type emptyFlagError struct{ flag string }

func (e *emptyFlagError) Error() string {
	return fmt.Sprintf("--%s is empty: give it a value, or leave the flag out", e.flag)
}

// unknownShell refuses a completion shell cobra does not generate (cobra would
// print the help and exit 0).
func unknownShell(cmd *cobra.Command, args []string) error {
	var shells []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			shells = append(shells, c.Name())
		}
	}
	if len(args) == 0 {
		return usagef("completion: name a shell: %s", strings.Join(shells, ", "))
	}
	return usagef("completion: unknown shell %q: use %s", args[0], strings.Join(shells, ", "))
}

// flagError turns a flag parsing error into a usage error naming the command
// and where its flags are listed. An unknown flag keeps the wording of Go's
// flag package, which the CLI used before.
func flagError(cmd *cobra.Command, err error) error {
	name, help := cmd.Name()+": ", "multiregion "+cmd.Name()+" --help"
	if !cmd.HasParent() {
		name, help = "", "multiregion --help"
	}
	var re *repeatedFlagError
	if errors.As(err, &re) {
		return usagef("%s%v", name, re)
	}
	var ee *emptyFlagError
	if errors.As(err, &ee) {
		return usagef("%s%v", name, ee)
	}
	var ne *pflag.NotExistError
	if errors.As(err, &ne) {
		flag, dashes := ne.GetSpecifiedName(), "--"
		if ne.GetSpecifiedShortnames() != "" {
			flag, dashes = ne.GetSpecifiedShortnames(), "-"
		}
		return usagef("%sflag provided but not defined: %s%s: see '%s'", name, dashes, flag, help)
	}
	return usagef("%s%v: see '%s'", name, err, help)
}

// unknownCommand refuses a command name the root does not know, listing the
// commands and cobra's suggestion when one is close.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf(" (did you mean %s?)", s[0])
	}
	return usagef("unknown command %q%s: use %s (multiregion --help)", args[0], hint, commandList(cmd))
}

// commandList names the root's commands, for messages.
func commandList(root *cobra.Command) string {
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" && c.Name() != "completion" && c.Name() != "version" {
			names = append(names, c.Name())
		}
	}
	return strings.Join(names, ", ")
}

// singleDash rewrites -name and -name=value to --name... when name is a long
// flag of the command being run: Go's flag package, which the CLI used first,
// accepts one dash, so scripts written for it keep working.
func singleDash(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args
	}
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 && cmd.Flags().Lookup(name) != nil {
			a = "-" + a
		}
		out = append(out, a)
	}
	return out
}

// noArgs refuses positional arguments: every input is a flag.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s: unexpected argument %q: flags take the form --name value", cmd.Name(), args[0])
	}
	return nil
}

// command types a command's error: usage and violation errors stay as they
// are, anything else is an internal failure (exit 3).
func command(run func(cmd *cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		err := run(cmd)
		var ve *violationsError
		var ue *usageError
		var ie *internalError
		if err == nil || errors.As(err, &ve) || errors.As(err, &ue) || errors.As(err, &ie) {
			return err
		}
		return &internalError{err}
	}
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

// enum lists the allowed values of an enumerated flag, for its help text.
func enum[T ~string](values []T) string { return strings.Join(names(values), ", ") }
