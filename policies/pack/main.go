// Command multiregion-policies is the policy pack as a Pulumi analyzer plugin.
//
// As a directory pack (this folder, with PulumiPolicy.yaml, runtime go) or as a
// built executable, the Pulumi CLI launches it with the engine's address as its
// argument; it serves the analyzer protocol on a free port and prints that port:
//
//	pulumi preview --policy-pack ./policies/pack
//	go build -o bin/multiregion-policies ./policies/pack
//	pulumi policy analyze --file state.json --policy-pack bin/multiregion-policies
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"

	"github.com/multiregion/multiregion/policies"
	"github.com/multiregion/multiregion/policies/analyzer"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "version") {
		fmt.Printf("%s %s: a Pulumi analyzer plugin; run it with pulumi preview --policy-pack or pulumi policy analyze\n",
			policies.PackName, policies.PackVersion)
		return
	}
	srv := analyzer.New()
	srv.StackConfigLoader = analyzer.StackFileLoader(".")
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterAnalyzerServer(s, srv)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot serve: %v\n", policies.PackName, err)
		os.Exit(1)
	}
	// The plugin protocol: the first line on stdout is the port.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", policies.PackName, err)
		os.Exit(1)
	}
}
