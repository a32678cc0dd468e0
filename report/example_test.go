package report_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/model"
	"github.com/multiregion/multiregion/report"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// Render a stack offline, evaluate the policy pack and read the report's JSON
// document, or print any format with report.Write.
func Example() {
	path, err := stacks.FindStackFile("../stacks", "prod")
	if err != nil {
		panic(err)
	}
	f, err := stacks.ReadStackFile(path)
	if err != nil {
		panic(err)
	}
	rec, d, err := offline.Render("prod", f.Config, f.SecretKeys)
	if err != nil {
		panic(err)
	}
	m := rec.Model()
	plan := report.NewPlan("prod", d, m, policies.Evaluate(m, policies.Config{}))

	doc := plan.Document()
	fmt.Println(doc.Version, doc.Stack, doc.Topology, doc.Regions)
	fmt.Println(doc.Database.Mode, "failover automatic:", doc.Failover.Automatic)
	fmt.Println("mandatory violations:", plan.Verdict().Mandatory)

	// the Markdown report with its diagram, for a pull-request comment
	var md strings.Builder
	if err := report.Write(&md, plan, report.Markdown, report.Options{Diagram: diagram.Mermaid}); err != nil {
		panic(err)
	}
	fmt.Println(strings.SplitN(md.String(), "\n", 2)[0])
	// Output:
	// 1 prod active-passive [us-east-1 us-west-2]
	// aurora-global failover automatic: true
	// mandatory violations: 0
	// ### multiregion: `prod`: ✅ no mandatory policy violation
}

// Read a deployment exported by `pulumi stack export` and check it: the
// report of a state file has no components, only resources and config.
func ExampleNewStateCheck() {
	path, err := stacks.FindStackFile("../stacks", "dev")
	if err != nil {
		panic(err)
	}
	f, err := stacks.ReadStackFile(path)
	if err != nil {
		panic(err)
	}
	rec, _, err := offline.Render("dev", f.Config, f.SecretKeys)
	if err != nil {
		panic(err)
	}
	// the state file: here the offline plan's, as `--out-state` writes it
	dep, err := rec.Deployment(time.Now())
	if err != nil {
		panic(err)
	}
	data, err := json.Marshal(dep)
	if err != nil {
		panic(err)
	}
	m, err := model.ParseState(data, f.Config)
	if err != nil {
		panic(err)
	}
	check := report.NewStateCheck(m, policies.Evaluate(m, policies.Config{}))
	fmt.Println(check.StackName(), check.Document().Summary.Total > 0)
	// Output: dev true
}
