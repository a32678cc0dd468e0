package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/multiregion/multiregion/drill"
	"github.com/multiregion/multiregion/report"
)

// drillFailedError is a drill that started and did not pass (target missed or
// not measured, traffic not back, not reverted, an error, interrupted): exit 1
// like a mandatory violation. The report's problems say which; a failed revert
// lists the commands to revert by hand.
type drillFailedError struct{ msg string }

func (e *drillFailedError) Error() string { return e.msg }

// Unwrap makes run() map it to exit code 1.
func (e *drillFailedError) Unwrap() error { return &violationsError{} }

// drillOptions are the flags of drill.
type drillOptions struct {
	stack, fail, probe, resolver, format, projectDir string
	timeout, settle                                  time.Duration
	yes                                              bool
}

// newDrillCmd runs a failover drill on a deployed stack through the Pulumi
// Automation API (the user's pulumi CLI, backend and credentials); the work is
// in package drill.
func newDrillCmd(stderr io.Writer) *cobra.Command {
	var o drillOptions
	cmd := &cobra.Command{
		Use:   "drill --stack ENV --fail REGION",
		Short: "Fail a region of a deployed stack in DNS, measure the failover and the fail-back, revert",
		Long: `drill fails REGION of the deployed stack in DNS (pulumi config set --path
multiregion:drill.failRegion, pulumi up), probes DNS and the health endpoint until
every answer has moved, reverts, and measures the fail-back. It exits 1 when
rtoSeconds is missed or cannot be verified, traffic did not come back or the
revert failed; 2 when a preflight check fails (nothing is changed then). The report
is kept in the project's ` + drill.Dir + `.`,
		Example: `  multiregion drill --stack staging --fail us-east-1
  multiregion drill --stack prod --fail us-east-1 --yes --format json`,
		Args: noArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&o.stack, "stack", "", "`ENV`, the deployed stack to drill")
	fs.StringVar(&o.fail, "fail", "", "`REGION` to fail in DNS")
	fs.StringVar(&o.probe, "probe", "", "the health endpoint `URL` to GET (default: the stack's domain with the health check's path)")
	fs.StringVar(&o.resolver, "resolver", "", "the DNS server to ask, `HOST:PORT` (default: the system's first name server)")
	fs.DurationVar(&o.timeout, "timeout", drill.DefaultTimeout, "the longest wait for the failover, and for the fail-back")
	fs.DurationVar(&o.settle, "settle", drill.DefaultSettle, "how long every answer must stay moved to count as moved")
	fs.BoolVar(&o.yes, "yes", false, "drill a prod-like stack without asking")
	formatFlag(cmd, &o.format)
	fs.StringVar(&o.projectDir, "project-dir", ".", "`DIR`, the Pulumi project's directory (Pulumi.yaml); reports are kept in its "+drill.Dir)
	_ = cmd.RegisterFlagCompletionFunc("stack", cobra.NoFileCompletions)
	_ = cmd.MarkFlagDirname("project-dir")
	cmd.RunE = command(func(cmd *cobra.Command) error { return o.run(cmd.InOrStdin(), cmd.OutOrStdout(), stderr) })
	return cmd
}

func (o *drillOptions) run(stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case o.stack == "":
		return usagef("drill: --stack is required: name the deployed stack (pulumi stack ls)")
	case o.fail == "":
		return usagef("drill: --fail is required: name the region to fail, e.g. --fail us-east-1")
	case o.timeout <= 0:
		return usagef("drill: --timeout %s: use a positive duration, e.g. 15m", o.timeout)
	case o.settle <= 0:
		return usagef("drill: --settle %s: use a positive duration, e.g. 30s", o.settle)
	}
	format, err := parseFormat("drill", o.format)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(o.projectDir, "Pulumi.yaml")); err != nil {
		return usagef("drill: no Pulumi.yaml in %q: run from the project's directory or pass --project-dir", o.projectDir)
	}
	var res *drill.Resolver
	desc := o.resolver
	if o.resolver == "" {
		var err error
		if res, err = drill.SystemResolver(); err != nil {
			return usagef("drill: %v", err)
		}
		desc = "the system resolver " + res.Server
	} else {
		if _, port, err := net.SplitHostPort(o.resolver); err != nil || port == "" {
			return usagef("drill: --resolver %q: use HOST:PORT, e.g. 1.1.1.1:53", o.resolver)
		}
		res = &drill.Resolver{Server: o.resolver}
	}

	// The drill drives the Pulumi CLI (Automation API); without it nothing can
	// run, and the error the SDK gives names `pulumi version`, not the fix.
	if _, err := exec.LookPath("pulumi"); err != nil {
		return usagef("drill: no pulumi on PATH: install the Pulumi CLI (https://www.pulumi.com/docs/install/, or ./tools/build-pulumi.sh and put bin on PATH) (nothing was changed)")
	}

	// Ctrl-C and SIGTERM cancel ctx: the drill then reverts before it returns.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := drill.OpenStack(ctx, o.projectDir, o.stack)
	if err != nil {
		return drillError(err)
	}
	st.Progress = stderr
	d := &drill.Drill{Stack: st, DNS: res, HTTP: drill.NewHTTPClient(res, drill.DefaultProbeTimeout), Resolver: desc}
	rep, err := d.Run(ctx, drill.Options{
		FailRegion: o.fail, ProbeURL: o.probe, Timeout: o.timeout, Settle: o.settle, Yes: o.yes,
		ProjectDir: o.projectDir, Confirm: terminalConfirm(stdin, stderr),
		Progress: func(e drill.Event) { fmt.Fprintf(stderr, "drill: %7.1fs  %s\n", e.Seconds, e.Text) },
	})
	if rep == nil {
		return drillError(err)
	}
	saved, serr := rep.Save(o.projectDir)
	if serr != nil {
		fmt.Fprintf(stderr, "multiregion: %v\n", serr)
	} else {
		fmt.Fprintf(stderr, "drill: report kept in %s\n", saved)
	}
	var werr error
	switch format {
	case report.JSON:
		werr = report.WriteJSON(stdout, rep)
	case report.Markdown:
		werr = rep.WriteMarkdown(stdout)
	default:
		werr = rep.WriteText(stdout)
	}
	if werr != nil {
		return internalf("writing the report", werr)
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
