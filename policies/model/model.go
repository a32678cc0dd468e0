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
	// Region is the effective AWS region: the provider's region, else the stack's
	// aws:region; GlobalRegion for global and non-AWS resources.
	Region string
	// RegionUnknown, when not empty, says why the resource's location cannot be
	// verified (its provider's region is unknown or an encrypted secret, ...)
	// and how to make it readable. Region is then GlobalRegion: policies must
	// report "cannot verify", never fall back to the stack's region.
	RegionUnknown string
	// Custom is false for component resources.
	Custom bool
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

// globalTypes are AWS resource types that live in no region.
var globalTypes = map[string]bool{
	"aws:route53/zone:Zone":                             true,
	"aws:route53/record:Record":                         true,
	"aws:route53/healthCheck:HealthCheck":               true,
	"aws:iam/role:Role":                                 true,
	"aws:iam/policy:Policy":                             true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true,
	"aws:iam/rolePolicy:RolePolicy":                     true,
	"aws:iam/user:User":                                 true,
	"aws:cloudfront/distribution:Distribution":          true,
	"aws:rds/globalCluster:GlobalCluster":               true,
}

// IsGlobalType reports whether resources of type typ live in no AWS region.
func IsGlobalType(typ string) bool { return globalTypes[typ] }

// ResolveRegions sets each resource's Region from its provider: the provider
// resource's "region" property, else the stack's aws:region. Providers get
// their own region. Global and non-AWS resources get GlobalRegion. Resources
// whose Region is already set keep it.
func ResolveRegions(resources []*Resource, stackRegion string) {
	providerRegion := make(map[string]string)
	for _, r := range resources {
		if strings.HasPrefix(r.Type, "pulumi:providers:aws") {
			region := propString(r.Props(), "region")
			if region == "" {
				region = propString(r.State(), "region")
			}
			if region == "" {
				region = stackRegion
			}
			providerRegion[r.URN] = region
			if r.Region == "" {
				r.Region = region
			}
		}
	}
	for _, r := range resources {
		if r.Region != "" || !r.IsAWS() || globalTypes[r.Type] {
			continue
		}
		if region, ok := providerRegion[r.Provider]; ok {
			r.Region = region
		} else {
			r.Region = stackRegion
		}
	}
}

func propString(m resource.PropertyMap, key string) string {
	v, ok := m[resource.PropertyKey(key)]
	for ok && v.IsSecret() {
		v = v.SecretValue().Element
	}
	if ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

// ProviderURN returns the URN part of a provider reference ("urn::id").
func ProviderURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 && strings.HasPrefix(ref, "urn:") {
		return ref[:i]
	}
	return ref
}

// RegionOfARN returns the region of an ARN ("" when it has none or is not an ARN).
func RegionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}
