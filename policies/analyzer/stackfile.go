package analyzer

import "github.com/multiregion/multiregion/internal/stackfile"

// StackFileLoader returns a loader for Server.StackConfigLoader that reads the
// stack's config from the Pulumi project in dir (dir/Pulumi.yaml names the
// project and its stackConfigDir, which holds Pulumi.<stack>.yaml), through
// the Pulumi SDK's stack loader: the code path `multiregion check --state`
// uses too.
//
// `pulumi policy analyze` never sends ConfigureStack, so this is how the pack
// learns a stack's residency and budget when it runs in the project directory.
// It returns nil (no stack config) when there is no such project or file, or
// when the project is not the one named in the resources' URNs.
func StackFileLoader(dir string) func(project, stack string) map[string]string {
	load := stackfile.ForState(dir, "")
	return func(project, stack string) map[string]string {
		f, err := load(project, stack)
		if err != nil {
			return nil
		}
		return f.Config
	}
}
