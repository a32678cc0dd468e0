// Package model is the one resource model every policy is written against,
// whether the policy runs in-process (tests, the offline CLI), behind the
// Pulumi engine's analyzer protocol, or over a `pulumi stack export` file.
//
// A Resource carries its type, name, URN, parent, provider and effective region,
// and its properties as Pulumi property maps, in which unknown (computed) values
// and secrets are kept as such: policies read them through internal/props and
// report "cannot verify" for unknowns instead of passing or panicking.
package model

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// GlobalRegion is the Region of resources that live in no AWS region (Route 53,
// Cloudflare, IAM) or outside AWS.
const GlobalRegion = ""

// Resource is one resource as policies see it.
type Resource struct {
	// URN is the resource's URN.
	URN string
	// Type is the type token, e.g. "aws:rds/cluster:Cluster".
	Type string
	// Name is the logical name.
	Name string
	// Parent is the parent's URN ("" for a top-level resource).
	Parent string
	// Provider is the URN of the resource's provider ("" when unknown).
	Provider string
	// Region is the effective AWS region (see Locate): the resource's own
	// region, else its provider's, else the stack's aws:region for the default
	// provider; GlobalRegion for global and non-AWS resources.
	Region string
	// RegionUnknown, when not empty, says why the resource's location cannot be
	// verified (its provider's region is unknown or an encrypted secret, ...)
	// and how to make it readable. Region is then GlobalRegion: policies must
	// report "cannot verify", never fall back to the stack's region.
	RegionUnknown string
	// Custom is false for component resources.
	Custom bool
	// Delete is true for a resource pending deletion in a state file (a
	// replaced resource not deleted yet): it still exists and is judged.
	Delete bool
	// ID is the physical ID, when known.
	ID string
	// Inputs are the resource's inputs (what resource-level policies read).
	Inputs resource.PropertyMap
	// Outputs are the resource's outputs (what stack-level policies read); for a
	// planned resource they are the inputs plus what is known of the outputs.
	Outputs resource.PropertyMap
}

// Props returns the properties resource-level policies read: the inputs, or the
// outputs when there are no inputs.
func (r *Resource) Props() resource.PropertyMap {
	if r.Inputs != nil {
		return r.Inputs
	}
	return r.Outputs
}

// State returns the properties stack-level policies read: the outputs, or the
// inputs when there are no outputs.
func (r *Resource) State() resource.PropertyMap {
	if r.Outputs != nil {
		return r.Outputs
	}
	return r.Inputs
}

// IsAWS reports whether the resource belongs to the AWS provider package.
func (r *Resource) IsAWS() bool { return strings.HasPrefix(r.Type, "aws:") }

// IsProvider reports whether the resource is a provider instance.
func (r *Resource) IsProvider() bool { return strings.HasPrefix(r.Type, "pulumi:providers:") }

// Stack describes the stack the resources belong to.
type Stack struct {
	// Name is the stack name ("" when unknown, e.g. a state file without a stack).
	Name string
	// Project is the project name.
	Project string
	// Config is the stack config: full keys ("aws:region", "multiregion:residency")
	// to values as the engine passes them (JSON for objects and lists).
	Config map[string]string
}

// Deployment is a set of resources with the stack they belong to.
type Deployment struct {
	Stack     Stack
	Resources []*Resource
	// Final is true for a deployed state (`check --state`, `pulumi policy
	// analyze`, `pulumi up`): a value that cannot be verified there is a
	// violation at the policy's level. During a preview or an offline plan
	// (Final false) values may not be known yet and "cannot verify" is advisory.
	Final bool
}

// RegionOfARN returns the region of an ARN ("" when it has none or is not an ARN).
func RegionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}
