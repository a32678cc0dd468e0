package drill

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Config keys the drill writes and removes.
const (
	// ConfigDrill is the stack config key of an active drill.
	ConfigDrill = "multiregion:drill"
	// ConfigDrillFailRegion is the key the drill sets (a config path).
	ConfigDrillFailRegion = "multiregion:drill.failRegion"
)

// Stack is what the drill needs from a deployed Pulumi stack. AutoStack
// implements it with the Pulumi Automation API; tests may use another.
type Stack interface {
	// Name is the stack's name as the user gave it.
	Name() string
	// Config returns the stack's config: full keys ("multiregion:regions") to
	// values as Pulumi passes them to the program (JSON text for lists and objects).
	Config(ctx context.Context) (map[string]string, error)
	// Outputs returns the deployed stack's outputs (empty when never deployed).
	Outputs(ctx context.Context) (map[string]any, error)
	// PendingChanges previews the stack and returns the changes an up would make,
	// by operation ("update": 2), leaving out resources that stay the same.
	PendingChanges(ctx context.Context) (map[string]int, error)
	// SetDrill sets multiregion:drill.failRegion to region in the stack's config.
	SetDrill(ctx context.Context, region string) error
	// RemoveDrill removes multiregion:drill from the stack's config.
	RemoveDrill(ctx context.Context) error
	// Up deploys the stack and returns its outputs.
	Up(ctx context.Context) (map[string]any, error)
}

// AutoStack is a Stack driven through the Pulumi Automation API: the Pulumi CLI
// against the user's own backend and credentials.
type AutoStack struct {
	stack auto.Stack
	// Progress, when set, receives the output of `pulumi preview` and `pulumi up`.
	Progress io.Writer
}

// NewAutoStack wraps an Automation API stack (for example an inline-program stack).
func NewAutoStack(s auto.Stack) *AutoStack { return &AutoStack{stack: s} }

// OpenStack selects the existing stack name of the Pulumi project in projectDir
// (the directory of Pulumi.yaml); opts configure the workspace (for example
// auto.Pulumi to choose the CLI, auto.EnvVars for the backend).
func OpenStack(ctx context.Context, projectDir, name string, opts ...auto.LocalWorkspaceOption) (*AutoStack, error) {
	s, err := auto.SelectStackLocalSource(ctx, name, projectDir, opts...)
	if err != nil {
		if auto.IsSelectStack404Error(err) {
			return nil, &PreflightError{fmt.Sprintf("stack %q does not exist in the current Pulumi backend: check `pulumi stack ls` and `pulumi whoami` in %s", name, projectDir)}
		}
		return nil, fmt.Errorf("opening stack %q in %s: %w", name, projectDir, err)
	}
	return NewAutoStack(s), nil
}

// Name implements Stack.
func (a *AutoStack) Name() string { return a.stack.Name() }

// Config implements Stack.
func (a *AutoStack) Config(ctx context.Context) (map[string]string, error) {
	cm, err := a.stack.GetAllConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the config of stack %q: %w", a.Name(), err)
	}
	out := make(map[string]string, len(cm))
	for k, v := range cm {
		out[k] = v.Value
	}
	return out, nil
}

// Outputs implements Stack.
func (a *AutoStack) Outputs(ctx context.Context) (map[string]any, error) {
	om, err := a.stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the outputs of stack %q: %w", a.Name(), err)
	}
	return values(om), nil
}

// PendingChanges implements Stack.
func (a *AutoStack) PendingChanges(ctx context.Context) (map[string]int, error) {
	var opts []optpreview.Option
	if a.Progress != nil {
		opts = append(opts, optpreview.ProgressStreams(a.Progress))
	}
	res, err := a.stack.Preview(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("pulumi preview of stack %q: %w", a.Name(), err)
	}
	out := map[string]int{}
	for op, n := range res.ChangeSummary {
		if op != apitype.OpSame && n > 0 {
			out[string(op)] = n
		}
	}
	return out, nil
}

// SetDrill implements Stack.
func (a *AutoStack) SetDrill(ctx context.Context, region string) error {
	err := a.stack.SetConfigWithOptions(ctx, ConfigDrillFailRegion, auto.ConfigValue{Value: region}, &auto.ConfigOptions{Path: true})
	if err != nil {
		return fmt.Errorf("pulumi config set --path %s %s: %w", ConfigDrillFailRegion, region, err)
	}
	return nil
}

// RemoveDrill implements Stack.
func (a *AutoStack) RemoveDrill(ctx context.Context) error {
	if err := a.stack.RemoveConfig(ctx, ConfigDrill); err != nil {
		return fmt.Errorf("pulumi config rm %s: %w", ConfigDrill, err)
	}
	return nil
}

// Up implements Stack.
func (a *AutoStack) Up(ctx context.Context) (map[string]any, error) {
	var opts []optup.Option
	if a.Progress != nil {
		opts = append(opts, optup.ProgressStreams(a.Progress))
	}
	res, err := a.stack.Up(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("pulumi up of stack %q: %w", a.Name(), err)
	}
	return values(res.Outputs), nil
}

func values(om auto.OutputMap) map[string]any {
	out := make(map[string]any, len(om))
	for k, v := range om {
		out[k] = v.Value
	}
	return out
}

// describeChanges formats PendingChanges' result: "2 update, 1 create".
func describeChanges(changes map[string]int) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(changes)) {
		parts = append(parts, fmt.Sprintf("%d %s", changes[op], op))
	}
	return strings.Join(parts, ", ")
}
