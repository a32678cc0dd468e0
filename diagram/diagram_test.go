package diagram_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// render renders a stack of the project's stacks directory with config
// overrides (key -> raw value, as the stack file holds it).
func render(t *testing.T, stack string, overrides map[string]string) *stacks.Deployment {
	t.Helper()
	path, err := stacks.FindStackFile("../stacks", stack)
	require.NoError(t, err)
	f, err := stacks.ReadStackFile(path)
	require.NoError(t, err)
	for k, v := range overrides {
		f.Config[k] = v
	}
	_, d, err := offline.Render(stack, f.Config, f.SecretKeys)
	require.NoError(t, err)
	return d
}

// TestTaskCountsAreTheComponents': the service boxes show the RegionalStack's
// resolved counts. The diagram used to re-derive them from the config: a
// minCount of 3 without desiredCount was drawn as 2 tasks (the component runs 3).
func TestTaskCountsAreTheComponents(t *testing.T) {
	t.Parallel()
	d := render(t, "staging", map[string]string{
		"multiregion:app": `{"image":"public.ecr.aws/nginx/nginx:1.27","port":80,"minCount":3,"maxCount":6,"standbyCount":1}`,
	})
	primary, standby := d.Regions["us-east-1"], d.Regions["us-west-2"]
	require.NotNil(t, primary)
	require.NotNil(t, standby)
	require.Equal(t, 3, primary.DesiredTasks, "the component runs minCount tasks")
	require.Equal(t, 1, standby.DesiredTasks)
	for _, out := range []string{diagram.New(d).Mermaid(), diagram.New(d).Dot()} {
		assert.Contains(t, out, "us-east-1 (primary)")
		assert.Contains(t, out, "us-west-2 (standby)")
		assert.Regexp(t, `svc_us_east_1\W+label="ECS Fargate\\n3 task\(s\)"|svc_us_east_1\["ECS Fargate<br/>3 task\(s\)"\]`, out)
		assert.Regexp(t, `svc_us_west_2\W+label="ECS Fargate\\n1 task\(s\)"|svc_us_west_2\["ECS Fargate<br/>1 task\(s\)"\]`, out)
	}

	// and a larger standby is drawn as it runs
	d = render(t, "staging", map[string]string{
		"multiregion:app": `{"image":"public.ecr.aws/nginx/nginx:1.27","port":80,"minCount":3,"maxCount":6,"standbyCount":2}`,
	})
	assert.Contains(t, diagram.New(d).Mermaid(), `svc_us_west_2["ECS Fargate<br/>2 task(s)"]`)
}

// TestAuroraInstancesAreTheComponents: each Aurora box shows the instances
// GlobalDatabase built in that region and their class, not the config or its
// defaults. The diagram used to re-derive them from the config: a deployment
// whose component disagreed with the config was drawn as the config said.
func TestAuroraInstancesAreTheComponents(t *testing.T) {
	t.Parallel()
	d := render(t, "prod", map[string]string{
		"multiregion:database": `{"mode":"aurora-global","engine":"aurora-postgresql","instanceClass":"db.r6g.xlarge","primaryInstances":3,"secondaryInstances":2}`,
	})
	require.Len(t, d.Database.ClusterInstances["us-east-1"], 3)
	require.Len(t, d.Database.ClusterInstances["us-west-2"], 2)
	require.Equal(t, "db.r6g.xlarge", d.Database.InstanceClass)
	// what the config says no longer matters once the component is built
	d.Config.Database.PrimaryInstances, d.Config.Database.SecondaryInstances, d.Config.Database.InstanceClass = 0, nil, ""
	g := diagram.New(d)
	mermaid, dot := g.Mermaid(), g.Dot()
	assert.Contains(t, mermaid, `db_us_east_1[("Aurora writer<br/>3 x db.r6g.xlarge")]`)
	assert.Contains(t, mermaid, `db_us_west_2[("Aurora secondary<br/>2 x db.r6g.xlarge")]`)
	assert.Contains(t, dot, `db_us_east_1 [label="Aurora writer\n3 x db.r6g.xlarge", shape=cylinder];`)

	// a headless secondary (no failover plan to need a writer there)
	headless := render(t, "staging", map[string]string{"multiregion:database": `{"mode":"aurora-global","secondaryInstances":0}`})
	assert.Contains(t, diagram.New(headless).Mermaid(), `db_us_west_2[("Aurora secondary<br/>headless")]`)

	// the RDS modes draw the component's class too
	staging := render(t, "staging", map[string]string{"multiregion:database": `{"mode":"rds-replica","instanceClass":"db.m7g.large"}`})
	staging.Config.Database.InstanceClass = ""
	assert.Contains(t, diagram.New(staging).Mermaid(), "RDS PostgreSQL read replica<br/>db.m7g.large")
}

// TestFailoverNode: a stack with multiregion:failover draws the plan, its probe
// of the primary and what it does in the standby; one without draws none.
func TestFailoverNode(t *testing.T) {
	t.Parallel()
	g := diagram.New(render(t, "prod", nil))
	mermaid, dot := g.Mermaid(), g.Dot()
	assert.Contains(t, mermaid, `failover[["ARC Region switch plan<br/>automatic after 180s"]]`)
	assert.Contains(t, mermaid, `failover -.->|"probe from us-west-2"| lb_us_east_1`)
	assert.Contains(t, mermaid, `failover -.->|"managed failover"| db_us_west_2`)
	assert.Contains(t, dot, `failover [label="ARC Region switch plan\nautomatic after 180s", shape=component];`)
	assert.Contains(t, dot, `failover -> svc_us_west_2 [style=dashed, label="scale up"];`)

	manual := diagram.New(render(t, "prod", map[string]string{"multiregion:failover": `{"automatic":false}`}))
	assert.Contains(t, manual.Mermaid(), "ARC Region switch plan<br/>started by hand")

	for _, stack := range []string{"staging", "global", "dev"} {
		assert.NotContains(t, diagram.New(render(t, stack, nil)).Mermaid(), "failover[[", stack)
	}
}

func TestRolesAndFormats(t *testing.T) {
	t.Parallel()
	for stack, want := range map[string]string{
		"dev":    "us-east-1 (single region)",
		"global": "eu-west-1 (active)",
	} {
		out := diagram.New(render(t, stack, nil)).Render(diagram.Dot)
		assert.True(t, strings.HasPrefix(out, "digraph multiregion {"), stack)
		assert.Contains(t, out, want)
	}
	for _, stack := range []string{"dev", "staging", "prod", "prod-eu", "global"} {
		d := render(t, stack, nil)
		require.NotEmpty(t, d.Config.Regions)
		for _, region := range d.Config.Regions {
			assert.Contains(t, diagram.RoleValues(), diagram.Role(d, region), "%s %s", stack, region)
		}
	}
	f, err := diagram.ParseFormat("dot")
	require.NoError(t, err)
	assert.Equal(t, diagram.Dot, f)
	_, err = diagram.ParseFormat("svg")
	assert.EqualError(t, err, `"svg": use mermaid, dot`)
}
