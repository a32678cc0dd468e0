package drill_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/multiregion/multiregion/drill"
)

// A drill from Go code (a CI job, a game day tool): the deployed stack "prod"
// of the project in the current directory, DNS from a public resolver. It is
// compiled, not run: it would fail us-east-1 for real.
func ExampleDrill_Run() {
	ctx := context.Background()
	st, err := drill.OpenStack(ctx, ".", "prod")
	if err != nil {
		fmt.Println(err)
		return
	}
	resolver := &drill.Resolver{Server: "1.1.1.1:53"}
	d := &drill.Drill{Stack: st, DNS: resolver, HTTP: drill.NewHTTPClient(resolver, drill.DefaultProbeTimeout), Resolver: resolver.Server}
	rep, err := d.Run(ctx, drill.Options{FailRegion: "us-east-1", Timeout: 10 * time.Minute, Yes: true})
	if rep == nil { // a preflight check failed: nothing was changed
		fmt.Println(err)
		return
	}
	if _, err := rep.Save("."); err != nil {
		fmt.Println(err)
	}
	_ = rep.WriteText(os.Stdout)
	if !rep.Passed {
		os.Exit(1)
	}
}
