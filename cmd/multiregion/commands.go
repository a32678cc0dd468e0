package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/report"
	"github.com/multiregion/multiregion/stacks"
)

// common are the flags every stack command shares.
type common struct {
	stack        string
	stacksDir    string
	configs      []string
	policyConfig string
}

// registerInputs adds the flags that say where a stack's config comes from.
func (c *common) registerInputs(fs *pflag.FlagSet) {
	fs.StringVar(&c.stacksDir, "stacks-dir", "stacks", "`DIR` of the Pulumi.<stack>.yaml files; its parent is the project directory")
	fs.StringArrayVar(&c.configs, "config", nil, "override a stack config key as 'pulumi config set --path' would: `key=value` (repeatable;\n"+
		"the namespace defaults to multiregion; dotted and indexed keys set a field or element:\n"+
		"--config database.mode=aurora-global, --config 'regions[1]=eu-west-1')")
	fs.StringVar(&c.policyConfig, "policy-config", "", "policy pack config `FILE`, the JSON of 'pulumi ... --policy-pack-config'")
}

// register adds --stack and the input flags.
func (c *common) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.stack, "stack", "", "`ENV`, the stack (environment): multiregion stacks lists them")
	c.registerInputs(cmd.Flags())
	_ = cmd.RegisterFlagCompletionFunc("stack", completeStacks)
}

// formatFlag adds --format with the report formats and their completion.
func formatFlag(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVar(format, "format", string(report.Table), "output `FORMAT`: "+enum(report.FormatValues()))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(names(report.FormatValues()), cobra.ShellCompDirectiveNoFileComp))
}

// names are an enum's values as strings, for completion.
func names[T ~string](values []T) []string {
	var out []string
	for _, v := range values {
		out = append(out, string(v))
	}
	return out
}

// completeStacks completes --stack with the stacks in --stacks-dir.
func completeStacks(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	dir, _ := cmd.Flags().GetString("stacks-dir")
	list, err := stackfile.List(dir)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return list, cobra.ShellCompDirectiveNoFileComp
}

// parseFormat checks --format against the report formats.
func parseFormat(cmd string, s string) (report.Format, error) {
	f, err := report.ParseFormat(s)
	if err != nil {
		return "", usagef("%s: --format %v", cmd, err)
	}
	return f, nil
}

// planOptions are the flags of plan and check.
type planOptions struct {
	common
	format   string
	outState string
	diagram  string
	state    string // check only
}

func (o *planOptions) register(cmd *cobra.Command) {
	o.common.register(cmd)
	formatFlag(cmd, &o.format)
	fs := cmd.Flags()
	fs.StringVar(&o.outState, "out-state", "", "also write the plan as a Pulumi deployment (pulumi stack export format) to `FILE`")
	fs.StringVar(&o.diagram, "diagram", "", "append the stack's diagram in `FORMAT`: "+enum(diagram.FormatValues()))
	_ = cmd.RegisterFlagCompletionFunc("diagram", cobra.FixedCompletions(names(diagram.FormatValues()), cobra.ShellCompDirectiveNoFileComp))
}

func newPlanCmd(stderr io.Writer) *cobra.Command {
	var o planOptions
	cmd := &cobra.Command{
		Use:   "plan --stack ENV",
		Short: "Render a stack offline and report resources, cost, policies and latency",
		Long: `plan renders a stack offline under the Pulumi mock engine (no cloud credentials)
and reports its resources per region, the database, DNS and failover, the monthly
cost against a single-region baseline and the budget, the latency its users see,
and the policy pack's verdict. It exits 0 even when a mandatory policy is violated:
use check as a gate.`,
		Example: `  multiregion plan --stack prod
  multiregion plan --stack prod-eu --format markdown --diagram mermaid
  multiregion plan --stack staging --config database.mode=aurora-global --out-state staging.json`,
		Args: noArgs,
	}
	o.register(cmd)
	cmd.RunE = command(func(cmd *cobra.Command) error {
		p, err := o.plan("plan", stderr)
		if err != nil {
			return err
		}
		return o.write(cmd.OutOrStdout(), p)
	})
	return cmd
}

func newCheckCmd(stderr io.Writer) *cobra.Command {
	var o planOptions
	cmd := &cobra.Command{
		Use:   "check --stack ENV | --state FILE|-",
		Short: "The CI gate: plan, exiting 1 on a mandatory policy violation",
		Long: `check is plan that exits 1 when any mandatory policy is violated.

With --state it checks any Pulumi deployment instead (pulumi stack export, with or
without --show-secrets): the config of the stack its URNs name is read from that
stack's file in --stacks-dir, with --config overriding it. A deployed state is
final: a value that cannot be verified (an encrypted secret, an unknown) is a
violation at the policy's level.`,
		Example: `  multiregion check --stack prod-eu --format markdown
  pulumi stack export | multiregion check --state - --config residency=eu`,
		Args: noArgs,
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.state, "state", "", "check a Pulumi deployment (pulumi stack export) from `FILE`, or - for stdin")
	cmd.RunE = command(func(cmd *cobra.Command) error {
		var r report.Report
		var err error
		switch {
		case o.state != "" && o.stack != "":
			return usagef("check: use either --stack or --state, not both")
		case o.state != "":
			if o.outState != "" || o.diagram != "" {
				return usagef("check --state: --out-state and --diagram need a stack: use --stack")
			}
			if _, err := parseFormat("check", o.format); err != nil {
				return err
			}
			r, err = renderState(&o.common, o.state, cmd.InOrStdin(), stderr)
		default:
			r, err = o.plan("check", stderr)
		}
		if err != nil {
			return err
		}
		if err := o.write(cmd.OutOrStdout(), r); err != nil {
			return err
		}
		if n := r.Verdict().Mandatory; n > 0 {
			return &violationsError{n}
		}
		return nil
	})
	return cmd
}

// plan checks the flags, renders the stack, writes --out-state and finds the
// stack's last drill in the project directory.
func (o *planOptions) plan(name string, stderr io.Writer) (*report.Plan, error) {
	if _, err := parseFormat(name, o.format); err != nil {
		return nil, err
	}
	if o.diagram != "" {
		if _, err := diagram.ParseFormat(o.diagram); err != nil {
			return nil, usagef("%s: --diagram %v", name, err)
		}
	}
	p, rec, err := renderStack(&o.common, o.stack, stderr)
	if err != nil {
		return nil, err
	}
	if o.outState != "" {
		if err := writeState(rec, o.outState); err != nil {
			return nil, err
		}
	}
	p.LastDrill = report.FindLastDrill(projectDir(o.stacksDir), p.Stack)
	return p, nil
}

// write renders the report on stdout; a failed write is exit 3.
func (o *planOptions) write(stdout io.Writer, r report.Report) error {
	f, err := report.ParseFormat(o.format)
	if err != nil {
		return usagef("--format %v", err)
	}
	if err := report.Write(stdout, r, f, report.Options{Diagram: diagram.Format(o.diagram)}); err != nil {
		return internalf("writing the report", err)
	}
	return nil
}

// writeState writes the recorded resources as a Pulumi deployment.
func writeState(rec *mockengine.Recorder, path string) error {
	dep, err := rec.Deployment(time.Now())
	if err != nil {
		return internalf("--out-state", err)
	}
	data, err := json.MarshalIndent(dep, "", "  ")
	if err != nil {
		return internalf("--out-state", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return internalf("--out-state", err)
	}
	return nil
}

func newCostCmd(stderr io.Writer) *cobra.Command {
	var c common
	var compare, format string
	cmd := &cobra.Command{
		Use:   "cost --stack ENV [--compare ENV2]",
		Short: "A stack's monthly cost per resource, or two stacks side by side",
		Long: `cost prints the monthly estimate of every resource of a stack (on-demand list
prices from the embedded catalog, usage assumptions in the JSON), or with
--compare two stacks side by side with the difference, their RPO/RTO and latency.`,
		Example: `  multiregion cost --stack prod
  multiregion cost --stack staging --compare prod --format json`,
		Args: noArgs,
	}
	c.register(cmd)
	formatFlag(cmd, &format)
	cmd.Flags().StringVar(&compare, "compare", "", "a second stack, `ENV2`, to compare with")
	_ = cmd.RegisterFlagCompletionFunc("compare", completeStacks)
	cmd.RunE = command(func(cmd *cobra.Command) error {
		f, err := parseFormat("cost", format)
		if err != nil {
			return err
		}
		a, _, err := renderStack(&c, c.stack, stderr)
		if err != nil {
			return err
		}
		var b *report.Plan
		if compare != "" && compare == c.stack {
			return usagef("cost: --compare %s is the --stack itself: name a different stack (multiregion stacks lists them)", compare)
		}
		if compare != "" {
			if b, _, err = renderStack(&c, compare, stderr); err != nil {
				return err
			}
		}
		if err := report.WriteCost(cmd.OutOrStdout(), a, b, f); err != nil {
			return internalf("writing the report", err)
		}
		return nil
	})
	return cmd
}

func newCompareCmd(stderr io.Writer) *cobra.Command {
	var c common
	var stackNames []string
	var format string
	cmd := &cobra.Command{
		Use:     "compare --stack A --stack B",
		Short:   "Cost, RPO/RTO and latency of two stacks side by side",
		Example: `  multiregion compare --stack prod --stack global`,
		Args:    noArgs,
	}
	cmd.Flags().StringArrayVar(&stackNames, "stack", nil, "`ENV`, a stack to compare (give it twice)")
	_ = cmd.RegisterFlagCompletionFunc("stack", completeStacks)
	c.registerInputs(cmd.Flags())
	formatFlag(cmd, &format)
	cmd.RunE = command(func(cmd *cobra.Command) error {
		f, err := parseFormat("compare", format)
		if err != nil {
			return err
		}
		if len(stackNames) != 2 {
			return usagef("compare: give exactly two stacks: --stack A --stack B (got %d)", len(stackNames))
		}
		if stackNames[0] == stackNames[1] {
			return usagef("compare: --stack %s given twice: name two different stacks", stackNames[0])
		}
		a, _, err := renderStack(&c, stackNames[0], stderr)
		if err != nil {
			return err
		}
		b, _, err := renderStack(&c, stackNames[1], stderr)
		if err != nil {
			return err
		}
		if err := report.WriteCompare(cmd.OutOrStdout(), a, b, f); err != nil {
			return internalf("writing the report", err)
		}
		return nil
	})
	return cmd
}

func newDiagramCmd(stderr io.Writer) *cobra.Command {
	var c common
	var format string
	cmd := &cobra.Command{
		Use:   "diagram --stack ENV",
		Short: "Draw a stack: regions, app tier, database replication, DNS routing, failover",
		Long: `diagram draws a stack's deployment: the regions as groups with their load
balancer, service (its task count) and database, the replication arrows labelled
with mode and lag, the DNS routes with their health checks, and the automatic
failover plan when the stack has one.`,
		Example: `  multiregion diagram --stack prod-eu --format dot | dot -Tsvg > prod-eu.svg`,
		Args:    noArgs,
	}
	c.register(cmd)
	cmd.Flags().StringVar(&format, "format", string(diagram.Mermaid), "diagram `FORMAT`: "+enum(diagram.FormatValues()))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(names(diagram.FormatValues()), cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = command(func(cmd *cobra.Command) error {
		f, err := diagram.ParseFormat(format)
		if err != nil {
			return usagef("diagram: --format %v", err)
		}
		p, _, err := renderStack(&c, c.stack, stderr)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprint(cmd.OutOrStdout(), p.Diagram().Render(f)); err != nil {
			return internalf("writing the diagram", err)
		}
		return nil
	})
	return cmd
}

func newStacksCmd() *cobra.Command {
	var dirFlag string
	cmd := &cobra.Command{
		Use:   "stacks",
		Short: "List the environments with their topology, regions, database, DNS, residency and budget",
		Args:  noArgs,
	}
	cmd.Flags().StringVar(&dirFlag, "stacks-dir", "stacks", "`DIR` of the Pulumi.<stack>.yaml files")
	cmd.RunE = command(func(cmd *cobra.Command) error {
		dir, err := stacksDir(dirFlag)
		if err != nil {
			return err
		}
		list, err := stackfile.List(dir)
		if err != nil {
			return usagef("%v", err)
		}
		if len(list) == 0 {
			return usagef("no Pulumi.<stack>.yaml in %s", dir)
		}
		var out strings.Builder
		tw := tabwriter.NewWriter(&out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "STACK\tTOPOLOGY\tREGIONS\tDATABASE\tDNS\tRESIDENCY\tBUDGET")
		for _, name := range list {
			path, _ := stackfile.Find(dir, name)
			f, err := stackfile.Read(path)
			if err != nil {
				fmt.Fprintf(tw, "%s\tunreadable file (multiregion plan --stack %s shows why)\t\t\t\t\t\n", name, name)
				continue
			}
			cfg, err := stacks.Load(name, f.Config)
			if err != nil {
				fmt.Fprintf(tw, "%s\tinvalid config (multiregion plan --stack %s shows why)\t\t\t\t\t\n", name, name)
				continue
			}
			budget := "-"
			if cfg.BudgetUSD != nil {
				budget = report.Money(*cfg.BudgetUSD)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", name, cfg.Topology, strings.Join(cfg.Regions, ","),
				cfg.Database.Mode, cfg.DNS.Provider, cfg.DNS.Routing, cfg.Residency, budget)
		}
		tw.Flush()
		if _, err := io.WriteString(cmd.OutOrStdout(), out.String()); err != nil {
			return internalf("writing the list", err)
		}
		return nil
	})
	return cmd
}
