package report_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/mockengine"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/report"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

func plan(t *testing.T, stack string) *report.Plan {
	t.Helper()
	return newPlan(render(t, stack, nil))
}

// render renders a stack of the project's stacks directory with config
// overrides (key -> raw value, as the stack file holds it).
func render(t *testing.T, stack string, overrides map[string]string) (*mockengine.Recorder, *stacks.Deployment) {
	t.Helper()
	path, err := stacks.FindStackFile("../stacks", stack)
	require.NoError(t, err)
	f, err := stacks.ReadStackFile(path)
	require.NoError(t, err)
	for k, v := range overrides {
		f.Config[k] = v
	}
	rec, d, err := offline.Render(stack, f.Config, f.SecretKeys)
	require.NoError(t, err)
	return rec, d
}

// newPlan evaluates the policy pack on a rendered stack.
func newPlan(rec *mockengine.Recorder, d *stacks.Deployment) *report.Plan {
	m := rec.Model()
	return report.NewPlan(d.Config.Stack, d, m, policies.Evaluate(m, policies.Config{}))
}

// failingWriter fails after n bytes, like a closed pipe.
type failingWriter struct{ n int }

var errClosed = errors.New("write: broken pipe")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errClosed
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriteErrorsAreReturned: every format returns the writer's error, wherever
// the write fails (the CLI maps it to exit code 3).
func TestWriteErrorsAreReturned(t *testing.T) {
	t.Parallel()
	p := plan(t, "prod")
	for _, f := range report.FormatValues() {
		for _, after := range []int{0, 100, 2000} {
			err := report.Write(&failingWriter{n: after}, p, f, report.Options{Diagram: diagram.Dot})
			assert.ErrorIs(t, err, errClosed, "%s after %d bytes", f, after)
		}
		assert.ErrorIs(t, report.WriteCost(&failingWriter{n: 10}, p, p, f), errClosed, f)
		assert.ErrorIs(t, report.WriteCompare(&failingWriter{n: 10}, p, p, f), errClosed, f)
	}
	assert.Error(t, report.Write(&strings.Builder{}, p, "yaml", report.Options{}))
}

// TestFailoverLine: the text report says whether failover is automatic, its
// trigger and what the plan does with the database, per stack.
func TestFailoverLine(t *testing.T) {
	t.Parallel()
	for stack, want := range map[string][]string{
		"prod": {
			"Failover: automatic: ARC Region switch plan us-east-1 -> us-west-2",
			"trigger: a probe in us-west-2 fails us-east-1's health endpoint 3 times in a row, one probe every 60s (alarm after 180s at the earliest)",
			"plan (aurora-global, managed-failover): scales the service in us-west-2 up and fails the Aurora global database over to us-west-2",
		},
		"staging": {"Failover: not automatic: DNS moves traffic, the database and the standby's scale are failed over by hand"},
		"global":  {"Failover: none needed: every region serves"},
		"dev":     {"Failover: none: a single region has no region to fail over to"},
	} {
		var out strings.Builder
		require.NoError(t, report.Write(&out, plan(t, stack), report.Table, report.Options{}))
		for _, w := range want {
			assert.Contains(t, out.String(), w, stack)
		}
	}
}

// TestFailoverLineReadsTheComponent: the trigger's thresholds are the ones
// failover.Failover resolved, not re-derived from the stack config.
func TestFailoverLineReadsTheComponent(t *testing.T) {
	t.Parallel()
	rec, d := render(t, "prod", map[string]string{
		"multiregion:failover":   `{"automatic":true,"allowDataLoss":true,"consecutiveFailures":2,"periodSeconds":120}`,
		"multiregion:rtoSeconds": "600",
	})
	require.NotNil(t, d.Failover)
	require.Equal(t, 2, d.Failover.ConsecutiveFailures)
	require.Equal(t, 120, d.Failover.PeriodSeconds)
	d.Config.Failover.ConsecutiveFailures, d.Config.Failover.PeriodSeconds, d.Config.Failover.AllowDataLoss = 0, 0, false
	var out strings.Builder
	require.NoError(t, report.Write(&out, newPlan(rec, d), report.Table, report.Options{}))
	assert.Contains(t, out.String(), "trigger: a probe in us-west-2 fails us-east-1's health endpoint 2 times in a row, one probe every 120s (alarm after 240s at the earliest)")
	assert.Contains(t, out.String(), "fails the Aurora global database over to us-west-2, accepting the loss of writes not yet replicated")
}

// TestDocumentVersionAndFailover: the document carries its version, and the
// failover object only for a stack with one.
func TestDocumentVersionAndFailover(t *testing.T) {
	t.Parallel()
	doc := plan(t, "prod").Document()
	assert.Equal(t, report.Version, doc.Version)
	require.NotNil(t, doc.Failover)
	assert.Equal(t, "managed-failover", doc.Failover.Database)
	assert.Equal(t, 180, doc.Failover.DetectionSeconds)
	assert.Nil(t, plan(t, "staging").Document().Failover)
}

func TestStateCheckHasNoDiagram(t *testing.T) {
	t.Parallel()
	p := plan(t, "dev")
	s := report.NewStateCheck(p.Model, p.Policies)
	err := report.Write(&strings.Builder{}, s, report.Table, report.Options{Diagram: diagram.Mermaid})
	assert.ErrorIs(t, err, report.ErrNoDiagram)
	var out strings.Builder
	require.NoError(t, report.Write(&out, s, report.Table, report.Options{}))
	assert.Contains(t, out.String(), "Stack dev: deployment with ")
	assert.NotContains(t, out.String(), "Failover:", "a state file has no components to describe")
}

func TestMoneyAndFormats(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "$1,234,567.50", report.Money(1234567.5))
	assert.Equal(t, "-$12.05", report.Money(-12.05))
	_, err := report.ParseFormat("yaml")
	assert.EqualError(t, err, `"yaml": use table, json, markdown`)
}
