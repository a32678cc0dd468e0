// Command synthstate writes a synthetic `pulumi stack export` deployment for
// benchmarks: go run ./internal/synth/synthstate -n 100000 -regions 8 -o state.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/multiregion/multiregion/internal/synth"
)

func main() {
	n := flag.Int("n", 10000, "number of resources")
	regions := flag.Int("regions", 8, "number of regions (1-8)")
	out := flag.String("o", "", "output file (required)")
	flag.Parse()
	if *out == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "synthstate: -o FILE is required and -n must be positive")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthstate:", err)
		os.Exit(1)
	}
	if err := synth.WriteState(f, synth.Deployment(*n, *regions)); err != nil {
		fmt.Fprintln(os.Stderr, "synthstate:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "synthstate:", err)
		os.Exit(1)
	}
}
