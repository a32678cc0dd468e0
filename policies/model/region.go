package model

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/regions"
)

// This file is the one place a resource's location is decided, for every
// source of resources: the state reader, the analyzer server and the mock
// engine all call Locate (through ResolveRegions or directly).
//
// The rule (issue 12): a resource's region is its own "region" input when it
// has one (pulumi-aws v7 resources carry one), else its provider's "region",
// else, for the default provider only, the stack's aws:region. A location that
// is an encrypted secret or not known yet is never guessed: the resource gets
// RegionUnknown, saying why and how to make it readable.

// RedactedSecret is how `pulumi policy analyze` and the offline plan's exported
// state write a secret they cannot (or must not) reveal.
const RedactedSecret = "[secret]"

// IsGlobalType reports whether resources of type typ live in no AWS region.
// It is data residency's exemption list (internal/regions.GlobalReason), not a
// copy of it: a type the model left without a region but residency judged as
// regional would be "cannot verify", and one the model located but residency
// exempted would be priced and reported by a region it does not live in.
// WAFv2 is global only with scope CLOUDFRONT, which the type alone does not
// say: the model locates it (AWS requires us-east-1 for that scope) and
// residency, which reads the scope, exempts it.
func IsGlobalType(typ string) bool {
	return regions.GlobalReason(typ, "") != ""
}

// Location is where a resource is: a region, or why its region cannot be read.
type Location struct {
	// Region is the AWS region (GlobalRegion when Unknown is set).
	Region string
	// Unknown, when not empty, says why the region cannot be read and how to
	// make it readable.
	Unknown string
}

// readRegion reads the "region" property of m. present is false when m has no
// region (absent or null); a region that is present but unreadable (unknown,
// encrypted or redacted secret, not a string) returns why.
func readRegion(m resource.PropertyMap, what string) (region string, present bool, why string) {
	v, ok := m["region"]
	if !ok || v.IsNull() {
		return "", false, ""
	}
	secret := false
	for {
		if v.IsSecret() {
			secret = true
			v = v.SecretValue().Element
			continue
		}
		if v.IsOutput() {
			o := v.OutputValue()
			secret = secret || o.Secret
			if !o.Known {
				v = resource.MakeComputed(resource.NewProperty(""))
				break
			}
			v = o.Element
			continue
		}
		break
	}
	switch {
	case v.IsComputed() && secret:
		return "", true, fmt.Sprintf("%s region is an encrypted secret: export the state with `pulumi stack export --show-secrets`, or set the region in plain text", what)
	case v.IsComputed():
		return "", true, fmt.Sprintf("%s region is not known yet (computed during the deployment): check the deployed state, or set the region to a literal value", what)
	case v.IsNull():
		return "", false, ""
	case !v.IsString():
		return "", true, fmt.Sprintf("%s region is a %s, not a region name: set it to a region name such as \"eu-west-1\"", what, v.TypeString())
	case v.StringValue() == RedactedSecret:
		return "", true, fmt.Sprintf("%s region is a redacted secret: export the state with `pulumi stack export --show-secrets`, or set the region in plain text", what)
	case v.StringValue() == "":
		return "", false, ""
	}
	return v.StringValue(), true, ""
}

// IsDefaultProvider reports whether urn is a default provider (the engine's
// "default_<version>" instance that reads the stack's config), by the rule of
// the SDK's providers.IsDefaultProvider, written without its assertions: those
// panic on a malformed type token, and a state file is untrusted input.
func IsDefaultProvider(urn string) bool {
	return isProviderURN(urn) && strings.HasPrefix(resource.URN(urn).Name(), "default")
}

// isProviderURN reports whether urn is a valid URN of a provider resource.
func isProviderURN(urn string) bool {
	u := resource.URN(urn)
	if !u.IsValid() {
		return false
	}
	typ := string(u.QualifiedType())
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	pkg, ok := strings.CutPrefix(typ, "pulumi:providers:")
	return ok && pkg != "" && !strings.Contains(pkg, ":")
}

// ProviderLocation is where an AWS provider creates resources: its "region"
// (inputs, else outputs), else, for a default provider, the stack's
// aws:region. An explicit provider without a region has an unknown location:
// the real provider would take it from the environment (AWS_REGION), which no
// state records.
func ProviderLocation(urn string, inputs, outputs resource.PropertyMap, stackRegion string) Location {
	name := urn
	if u := resource.URN(urn); u.IsValid() {
		name = u.Name()
	}
	what := fmt.Sprintf("provider %q:", name)
	found := ""
	for _, m := range []resource.PropertyMap{inputs, outputs} {
		region, present, why := readRegion(m, what)
		switch {
		case !present:
			continue
		case why != "":
			return Location{Unknown: why}
		case found != "" && region != found:
			// the outputs are what the provider ran with: a state whose
			// inputs and outputs disagree cannot say which one it used
			return Location{Unknown: fmt.Sprintf("%s its region input is %q but its outputs say %q: refresh the state (pulumi refresh) so they agree", what, found, region)}
		}
		found = region
	}
	if found != "" {
		return Location{Region: found}
	}
	return stackLocation(stackRegion, IsDefaultProvider(urn) || urn == "", what)
}

// stackLocation is the stack's aws:region for a default provider.
func stackLocation(stackRegion string, isDefault bool, what string) Location {
	switch {
	case !isDefault:
		return Location{Unknown: what + " has no region: set the provider's region (it would otherwise come from the environment, which no state records)"}
	case stackRegion == "":
		return Location{Unknown: "the default AWS provider has no region and the stack's aws:region is not known: set aws:region in the stack's config (or pass --config aws:region=...)"}
	}
	return Location{Region: stackRegion}
}

// Locate returns the region the AWS API calls for a resource of type typ go
// to: its properties own (Props) carry a region, else it is managed by a
// provider at provider (nil: the default provider of its package), in a stack
// whose aws:region is stackRegion. Non-AWS types are GlobalRegion. Global
// types (IsGlobalType) are located too (their API has a home region);
// ResolveRegions exempts them from having a location.
func Locate(typ string, own resource.PropertyMap, provider *Location, stackRegion string) Location {
	if !strings.HasPrefix(typ, "aws:") {
		return Location{}
	}
	if region, present, why := readRegion(own, "the resource's own"); present {
		if why != "" {
			return Location{Unknown: why}
		}
		return Location{Region: region}
	}
	if provider != nil {
		return *provider
	}
	return stackLocation(stackRegion, true, "")
}

// ResolveRegions sets each resource's Region (or RegionUnknown) by Locate:
// AWS providers from their own region, other AWS resources from their own
// region, their provider's, or the stack's aws:region; global types
// (IsGlobalType) get GlobalRegion. Resources whose Region or RegionUnknown is
// already set keep it.
func ResolveRegions(resources []*Resource, stackRegion string) {
	providerLoc := make(map[string]Location)
	for _, r := range resources {
		if strings.HasPrefix(r.Type, "pulumi:providers:aws") {
			loc := ProviderLocation(r.URN, r.Inputs, r.Outputs, stackRegion)
			if prev, dup := providerLoc[r.URN]; dup && prev != loc {
				// references name a provider by URN (their ID part is not
				// kept): two entries of one URN that disagree (a replaced
				// provider pending deletion, a duplicated entry) leave the
				// location of its resources unknown, never the last one read
				loc = Location{Unknown: fmt.Sprintf("provider %s appears more than once in the state with different regions (%s and %s): finish the pending update (pulumi up) or remove the stale entry",
					abbrev(r.URN), describeLocation(prev), describeLocation(loc))}
			}
			providerLoc[r.URN] = loc
			if r.Region == "" && r.RegionUnknown == "" {
				r.Region, r.RegionUnknown = loc.Region, loc.Unknown
			}
		}
	}
	for _, r := range resources {
		if r.Region != "" || r.RegionUnknown != "" || !r.IsAWS() || IsGlobalType(r.Type) {
			continue
		}
		var provider *Location
		if r.Provider != "" {
			loc, ok := providerLoc[r.Provider]
			if !ok {
				loc = Location{Unknown: fmt.Sprintf("its provider %s is not in the deployment: include the provider resource", abbrev(r.Provider))}
				if IsDefaultProvider(r.Provider) {
					loc = stackLocation(stackRegion, true, "")
				}
			}
			provider = &loc
		}
		loc := Locate(r.Type, r.Props(), provider, stackRegion)
		r.Region, r.RegionUnknown = loc.Region, loc.Unknown
	}
}

// describeLocation is a location in a few words, for messages.
func describeLocation(l Location) string {
	if l.Unknown != "" {
		return "one that cannot be read"
	}
	return fmt.Sprintf("%q", l.Region)
}

// ProviderURN returns the URN part of a provider reference ("urn::id"), as
// the SDK's providers.ParseReference splits it (which panics on some malformed
// type tokens, so it is not called on untrusted input). A reference that is
// not one is returned as it is.
func ProviderURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 && isProviderURN(ref[:i]) {
		return ref[:i]
	}
	return ref
}
