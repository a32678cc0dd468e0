package diagram_test

import (
	"fmt"
	"strings"

	"github.com/multiregion/multiregion/diagram"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

// Render a stack offline and draw it: one group per region, with the task
// count the RegionalStack resolved.
func Example() {
	path, err := stacks.FindStackFile("../stacks", "staging")
	if err != nil {
		panic(err)
	}
	f, err := stacks.ReadStackFile(path)
	if err != nil {
		panic(err)
	}
	_, d, err := offline.Render("staging", f.Config, f.SecretKeys)
	if err != nil {
		panic(err)
	}
	for _, line := range strings.Split(diagram.New(d).Render(diagram.Mermaid), "\n") {
		if strings.Contains(line, "subgraph") || strings.Contains(line, "svc_") && strings.Contains(line, "[") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// subgraph region_us_east_1["us-east-1 (primary)"]
	// svc_us_east_1["ECS Fargate<br/>2 task(s)"]
	// subgraph region_us_west_2["us-west-2 (standby)"]
	// svc_us_west_2["ECS Fargate<br/>1 task(s)"]
}
