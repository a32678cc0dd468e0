// Package resourcetest helps the components' tests compare the child resources
// a component exports with what the mock engine recorded.
package resourcetest

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/multiregion/multiregion/mockengine"
)

// URN returns the URN the engine gave r; call it after the program has run.
func URN(t testing.TB, r pulumi.Resource) string {
	t.Helper()
	got, err := internals.UnsafeAwaitOutput(context.Background(), r.URN())
	if err != nil {
		t.Fatalf("URN of %T: %v", r, err)
	}
	urn, ok := got.Value.(pulumi.URN)
	if !ok || urn == "" {
		t.Fatalf("URN of %T is unknown (%v)", r, got.Value)
	}
	return string(urn)
}

// Recorded returns the URN of the resource of typ named name, failing the
// test when there is none.
func Recorded(t testing.TB, rec *mockengine.Recorder, typ, name string) string {
	t.Helper()
	r := rec.Find(typ, name)
	if r == nil {
		t.Fatalf("no %s %q recorded", typ, name)
	}
	return r.URN
}
