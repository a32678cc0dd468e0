package stacks

import "github.com/multiregion/multiregion/internal/stackfile"

// SecretPlaceholder stands in for an encrypted (secure:) value when a stack file is
// read without the stack's secrets provider, e.g. by the offline CLI.
const SecretPlaceholder = stackfile.SecretPlaceholder

// StackFile is a parsed stacks/Pulumi.<stack>.yaml: its config as the engine
// passes it to a program, and which keys are secret.
type StackFile = stackfile.File

// ReadStackFile reads a Pulumi stack config file.
func ReadStackFile(path string) (*StackFile, error) { return stackfile.Read(path) }

// StackFiles lists the stacks with a Pulumi.<stack>.yaml in dir, sorted.
func StackFiles(dir string) ([]string, error) { return stackfile.List(dir) }

// FindStackFile returns the path of stack's config file in dir, or an error that
// lists the stacks that do exist.
func FindStackFile(dir, stack string) (string, error) { return stackfile.Find(dir, stack) }
