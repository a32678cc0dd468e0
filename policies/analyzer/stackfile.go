package analyzer

import (
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/multiregion/multiregion/internal/stackfile"
)

// StackFileLoader returns a loader for Server.StackConfigLoader that reads the
// stack's config from the Pulumi project in dir: dir/Pulumi.yaml names the
// project and its stackConfigDir, which holds Pulumi.<stack>.yaml.
//
// `pulumi policy analyze` never sends ConfigureStack, so this is how the pack
// learns a stack's residency and budget when it runs in the project directory.
// It returns nil (no stack config) when there is no such project or file, or
// when the project is not the one named in the resources' URNs.
func StackFileLoader(dir string) func(project, stack string) map[string]string {
	return func(project, stack string) map[string]string {
		data, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
		if err != nil {
			return nil
		}
		var proj struct {
			Name           string `yaml:"name"`
			StackConfigDir string `yaml:"stackConfigDir"`
		}
		if yaml.Unmarshal(data, &proj) != nil || proj.Name != project {
			return nil
		}
		path, err := stackfile.Find(filepath.Join(dir, proj.StackConfigDir), stack)
		if err != nil {
			return nil
		}
		f, err := stackfile.Read(path)
		if err != nil {
			return nil
		}
		return f.Config
	}
}
