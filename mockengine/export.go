package mockengine

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/stackfile"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// SecretValue is written in place of every secret in an exported deployment:
// the same redaction `pulumi policy analyze` applies to secrets it cannot
// decrypt. A plan holds no real secrets, and the file must not look like it does.
// It is the placeholder the stack files' secrets are read as, so one string
// stands for a secret everywhere.
const SecretValue = stackfile.SecretPlaceholder

// Deployment returns what was recorded as a Pulumi deployment (the
// `pulumi stack export` format, version 3): the root stack resource, then every
// resource in registration order with its URN, type, ID, inputs, outputs,
// parent and provider reference. Secrets are redacted to SecretValue, so
// `pulumi policy analyze --file` and `pulumi stack import` accept the file
// without a secrets provider. The file is for analysis: do not `pulumi up` a
// stack it was imported into.
func (r *Recorder) Deployment(now time.Time) (*apitype.UntypedDeployment, error) {
	stackURN := resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), "", resource.RootStackType,
		r.project+"-"+r.stack)
	resources := []apitype.ResourceV3{{
		URN:    stackURN,
		Custom: false,
		Type:   resource.RootStackType,
	}}
	// The engine registers a default provider for every package a custom
	// resource uses without naming a provider, and `pulumi stack export` lists
	// it with a reference from each such resource: do the same, so an exported
	// plan has the shape a real state has (the analyzer tells custom resources
	// from components by their provider).
	defaults := map[string]string{}
	for _, res := range r.Resources() {
		if !res.Custom || res.Provider != "" || strings.HasPrefix(res.Type, "pulumi:providers:") {
			continue
		}
		pkg, _, _ := strings.Cut(res.Type, ":")
		if _, done := defaults[pkg]; done {
			continue
		}
		typ := "pulumi:providers:" + pkg
		urn := resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), "", tokens.Type(typ), "default")
		id := fakeID(typ, "default", string(urn))
		defaults[pkg] = string(urn) + "::" + id
		resources = append(resources, apitype.ResourceV3{URN: urn, Custom: true, ID: resource.ID(id), Type: tokens.Type(typ), Parent: stackURN,
			Inputs: map[string]any{}, Outputs: map[string]any{}})
	}
	for _, res := range r.Resources() {
		provider := res.Provider
		if res.Custom && provider == "" && !strings.HasPrefix(res.Type, "pulumi:providers:") {
			pkg, _, _ := strings.Cut(res.Type, ":")
			provider = defaults[pkg]
		}
		parent := resource.URN(res.Parent)
		if parent == "" {
			parent = stackURN
		}
		var deps []resource.URN
		for _, d := range res.Dependencies {
			deps = append(deps, resource.URN(d))
		}
		sort.Slice(deps, func(i, j int) bool { return deps[i] < deps[j] })
		resources = append(resources, apitype.ResourceV3{
			URN:          resource.URN(res.URN),
			Custom:       res.Custom,
			ID:           resource.ID(res.ID),
			Type:         tokens.Type(res.Type),
			Inputs:       props.JSON(res.Inputs, SecretValue, sig.UnknownStringValue),
			Outputs:      props.JSON(res.Outputs, SecretValue, sig.UnknownStringValue),
			Parent:       parent,
			Protect:      res.Protect,
			Dependencies: deps,
			Provider:     provider,
		})
	}
	const producer = "multiregion-plan"
	dep := apitype.DeploymentV3{
		Manifest: apitype.ManifestV1{
			Time: now.UTC(),
			// The engine checks the magic cookie: the SHA-256 of the version.
			Magic:   fmt.Sprintf("%x", sha256.Sum256([]byte(producer))),
			Version: producer,
		},
		Resources: resources,
	}
	raw, err := json.Marshal(dep)
	if err != nil {
		return nil, err
	}
	return &apitype.UntypedDeployment{Version: apitype.DeploymentSchemaVersionCurrent, Deployment: raw}, nil
}
