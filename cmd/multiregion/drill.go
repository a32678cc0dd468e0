package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/multiregion/multiregion/drill"
)

// drillFailedError is a drill that started and did not pass (target missed or
// not measured, traffic not back, not reverted, an error, interrupted): exit 1
// like a mandatory violation. The report's problems say which; a failed revert
// lists the commands to revert by hand.
type drillFailedError struct{ msg string }

func (e *drillFailedError) Error() string { return e.msg }

// Unwrap makes run() map it to exit code 1.
func (e *drillFailedError) Unwrap() error { return &violationsError{} }

// cmdDrill runs a failover drill on a deployed stack through the Pulumi
// Automation API (the user's pulumi CLI, backend and credentials); the work is
// in package drill.
func cmdDrill(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("drill")
	stack := fs.String("stack", "", "the deployed stack to drill")
	fail := fs.String("fail", "", "the region to fail in DNS")
	probe := fs.String("probe", "", "the health endpoint to GET (default: the stack's domain with the health check's path)")
	resolver := fs.String("resolver", "", "the DNS server to ask, HOST:PORT (default: the system's first name server)")
	timeout := fs.Duration("timeout", drill.DefaultTimeout, "the longest wait for the failover, and for the fail-back")
	settle := fs.Duration("settle", drill.DefaultSettle, "how long every answer must stay moved to count as moved")
	yes := fs.Bool("yes", false, "drill a prod-like stack without asking")
	format := fs.String("format", "table", "table, json or markdown")
	projectDir := fs.String("project-dir", ".", "the Pulumi project's directory (Pulumi.yaml); reports are kept in its "+drill.Dir)
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *stack == "":
		return usagef("drill: --stack is required: name the deployed stack (pulumi stack ls)")
	case *fail == "":
		return usagef("drill: --fail is required: name the region to fail, e.g. --fail us-east-1")
	case *timeout <= 0:
		return usagef("drill: --timeout %s: use a positive duration, e.g. 15m", *timeout)
	case *settle <= 0:
		return usagef("drill: --settle %s: use a positive duration, e.g. 30s", *settle)
	}
	if err := oneOf("drill", "format", *format, "table", "json", "markdown"); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*projectDir, "Pulumi.yaml")); err != nil {
		return usagef("drill: no Pulumi.yaml in %q: run from the project's directory or pass --project-dir", *projectDir)
	}
	var res *drill.Resolver
	desc := *resolver
	if *resolver == "" {
		var err error
		if res, err = drill.SystemResolver(); err != nil {
			return usagef("drill: %v", err)
		}
		desc = "the system resolver " + res.Server
	} else {
		if _, port, err := net.SplitHostPort(*resolver); err != nil || port == "" {
			return usagef("drill: --resolver %q: use HOST:PORT, e.g. 1.1.1.1:53", *resolver)
		}
		res = &drill.Resolver{Server: *resolver}
	}

	// Ctrl-C and SIGTERM cancel ctx: the drill then reverts before it returns.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := drill.OpenStack(ctx, *projectDir, *stack)
	if err != nil {
		return drillError(err)
	}
	st.Progress = stderr
	d := &drill.Drill{Stack: st, DNS: res, HTTP: drill.NewHTTPClient(res, drill.DefaultProbeTimeout), Resolver: desc}
	rep, err := d.Run(ctx, drill.Options{
		FailRegion: *fail, ProbeURL: *probe, Timeout: *timeout, Settle: *settle, Yes: *yes,
		ProjectDir: *projectDir, Confirm: terminalConfirm(stdin, stderr),
		Progress: func(e drill.Event) { fmt.Fprintf(stderr, "drill: %7.1fs  %s\n", e.Seconds, e.Text) },
	})
	if rep == nil {
		return drillError(err)
	}
	saved, serr := rep.Save(*projectDir)
	if serr != nil {
		fmt.Fprintf(stderr, "multiregion: %v\n", serr)
	} else {
		fmt.Fprintf(stderr, "drill: report kept in %s\n", saved)
	}
	var werr error
	switch *format {
	case "json":
		werr = writeJSON(stdout, rep)
	case "markdown":
		werr = rep.WriteMarkdown(stdout)
	default:
		werr = rep.WriteText(stdout)
	}
	if werr != nil {
		return fmt.Errorf("writing the report: %w", werr)
	}
	if !rep.Passed {
		return &drillFailedError{"drill failed: " + strings.Join(rep.Problems, "; ")}
	}
	return nil
}

// drillError maps a drill that stopped before changing anything: a failed check
// is bad input (exit 2) with its message.
func drillError(err error) error {
	var pe *drill.PreflightError
	if errors.As(err, &pe) {
		return usagef("drill: %v (nothing was changed)", pe)
	}
	return fmt.Errorf("drill: %w", err)
}

// terminalConfirm asks on the terminal; nil when stdin is not one (CI), so that a
// prod-like drill then needs --yes.
func terminalConfirm(stdin io.Reader, stderr io.Writer) func(string) (bool, error) {
	f, ok := stdin.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(question string) (bool, error) {
		fmt.Fprintf(stderr, "%s [y/N] ", question)
		line, err := bufio.NewReader(f).ReadString('\n')
		if err != nil && line == "" {
			return false, err
		}
		answer := strings.ToLower(strings.TrimSpace(line))
		return answer == "y" || answer == "yes", nil
	}
}

// lastDrill is the plan's "last drill" line for a rendered stack: the newest
// report kept in .multiregion/drills of the current directory (the project's,
// where plan runs with its default --stacks-dir); none when there is none.
func lastDrill(r *rendered) []string {
	rep, path, err := drill.Last(".", r.stack)
	switch {
	case err != nil:
		return []string{"last drill: unreadable: " + err.Error()}
	case rep == nil:
		return nil
	}
	return []string{"last drill: " + rep.Summary() + " (" + path + ")"}
}
