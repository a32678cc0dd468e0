// Package mockengine runs a Pulumi program without a cloud or an engine and records
// every resource it registers.
//
// It is the one recorder shared by the components' unit tests, the environment tests,
// the policy tests and the offline CLI. A Recorder implements
// pulumi.MockResourceMonitor: it echoes inputs back as state (so outputs are never
// empty, see pulumi/pulumi#5844), adds realistic outputs per resource type (ARNs, DNS
// names, endpoints, zone IDs) that are deterministic for a given URN, answers the AWS
// invokes the components use, and records type, name, URN, parent, provider and
// inputs under a mutex, because the SDK registers resources concurrently.
package mockengine

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/policies/model"
)

// AccountID is the AWS account every mocked ARN belongs to.
const AccountID = "123456789012"

// Resource is one resource registered by the program under test.
type Resource struct {
	// Seq is the order of registration (registration is concurrent, so only
	// resources that depend on each other have a meaningful order).
	Seq int
	// URN is the resource's URN, computed the way the engine computes it.
	URN string
	// Type is the resource type token, e.g. "aws:ec2/vpc:Vpc".
	Type string
	// Name is the logical name.
	Name string
	// Parent is the parent's URN ("" for children of the stack).
	Parent string
	// Provider is the provider reference ("urn::id") the resource was registered
	// with; "" means the default provider of its package.
	Provider string
	// Custom is false for component resources.
	Custom bool
	// ID is the mocked physical ID ("" for components).
	ID string
	// Inputs are the inputs as the engine saw them (secrets stay secret).
	Inputs resource.PropertyMap
	// Outputs are the mocked outputs: the inputs plus computed properties.
	Outputs resource.PropertyMap
	// Region is the AWS region the resource's API calls go to (model.Locate):
	// its own region, else its provider's, else the stack's aws:region for a
	// default provider; "" for non-AWS resources or an unreadable region.
	// Residency's location (model.Resource.Region, from Model) also exempts
	// global types.
	Region string
	// Dependencies are the URNs the resource depends on explicitly or through inputs.
	Dependencies []string
	// IgnoreChanges are the property paths the resource ignores drift on.
	IgnoreChanges []string
	// Protect is true when the resource was registered with pulumi.Protect.
	Protect bool
	// DeleteBeforeReplace is true when a replacement deletes the old resource first.
	DeleteBeforeReplace bool
}

// ProviderURN returns the URN part of the resource's provider reference.
func (r *Resource) ProviderURN() string { return model.ProviderURN(r.Provider) }

// Recorder is a pulumi.MockResourceMonitor that records what a program registers.
// Its zero value is not usable; create one with New.
type Recorder struct {
	project, stack string
	config         map[string]string
	secretKeys     []string

	mu        sync.Mutex
	resources []*Resource
	byURN     map[string]*Resource
	// providerRegion maps a provider reference "urn::id" to its location.
	providerRegion map[string]model.Location
}

// New returns a Recorder for the given project and stack. config holds the stack
// configuration (full keys such as "aws:region" or "multiregion:regions"); it is
// used to find the region of resources on a default AWS provider.
func New(project, stack string, config map[string]string) *Recorder {
	return &Recorder{
		project:        project,
		stack:          stack,
		config:         config,
		byURN:          map[string]*Resource{},
		providerRegion: map[string]model.Location{},
	}
}

// WithSecretKeys marks config keys as secret (as encrypted values in a stack
// file are), so the program sees them as secrets. It returns r.
func (r *Recorder) WithSecretKeys(keys []string) *Recorder {
	r.secretKeys = keys
	return r
}

// RunOptions returns the options that make pulumi.RunErr use this recorder, with
// the recorder's stack config and dry-run (preview) setting.
func (r *Recorder) RunOptions(dryRun bool) []pulumi.RunOption {
	return []pulumi.RunOption{
		pulumi.WithMocks(r.project, r.stack, r),
		func(info *pulumi.RunInfo) {
			info.Config = r.config
			info.ConfigSecretKeys = r.secretKeys
			info.DryRun = dryRun
		},
	}
}

// Run runs program under a new Recorder and returns the recorder, which holds
// every resource registered before the program returned (or failed).
func Run(project, stack string, config map[string]string, program pulumi.RunFunc) (*Recorder, error) {
	rec := New(project, stack, config)
	err := pulumi.RunErr(program, rec.RunOptions(false)...)
	return rec, err
}

// NewResource implements pulumi.MockResourceMonitor.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	var parent string
	var deps, ignore []string
	var protect, dbr bool
	if rpc := args.RegisterRPC; rpc != nil {
		dbr = rpc.GetDeleteBeforeReplace()
		parent = rpc.GetParent()
		deps = rpc.GetDependencies()
		ignore = rpc.GetIgnoreChanges()
		protect = rpc.GetProtect()
	}
	urn := r.urn(parent, args.TypeToken, args.Name)
	loc := r.locate(urn, args.TypeToken, args.Provider, args.Inputs)
	region := loc.Region

	id := ""
	outputs := args.Inputs.Copy()
	if args.Custom {
		id = args.ID
		if id == "" {
			id = fakeID(args.TypeToken, args.Name, urn)
		}
		if v := args.Inputs["globalClusterIdentifier"]; args.TypeToken == "aws:rds/globalCluster:GlobalCluster" && v.IsString() {
			// pulumi-aws sets a global cluster's ID to its identifier
			// (resource_aws_rds_global_cluster: d.SetId(globalClusterID)); members name it so
			id = v.StringValue()
		}
		addOutputs(args.TypeToken, args.Name, id, region, urn, outputs)
	}

	rec := &Resource{
		URN:                 urn,
		Type:                args.TypeToken,
		Name:                args.Name,
		Parent:              parentOrEmpty(parent),
		Provider:            args.Provider,
		Custom:              args.Custom,
		ID:                  id,
		Inputs:              args.Inputs,
		Outputs:             outputs,
		Region:              region,
		Dependencies:        deps,
		IgnoreChanges:       ignore,
		Protect:             protect,
		DeleteBeforeReplace: dbr,
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byURN[urn]; dup {
		return "", nil, fmt.Errorf("mockengine: duplicate resource URN %s: two resources share the name %q", urn, args.Name)
	}
	rec.Seq = len(r.resources)
	r.resources = append(r.resources, rec)
	r.byURN[urn] = rec
	if strings.HasPrefix(args.TypeToken, "pulumi:providers:") {
		r.providerRegion[urn+"::"+id] = loc
	}
	return id, outputs, nil
}

// parentOrEmpty drops the root stack as a parent, so that top-level resources
// have Parent "" as in a Pulumi state file without the stack resource.
func parentOrEmpty(parent string) string {
	if parent == "" {
		return ""
	}
	if u, err := resource.ParseURN(parent); err == nil && u.QualifiedType() == resource.RootStackType {
		return ""
	}
	return parent
}

// urn computes a URN the way the mock monitor does.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(typ), name))
}

// locate returns where a resource's AWS API calls go, by model.Locate (the
// rule the state reader and the analyzer server apply too).
func (r *Recorder) locate(urn, typ, provider string, inputs resource.PropertyMap) model.Location {
	stackRegion := r.config["aws:region"]
	if strings.HasPrefix(typ, "pulumi:providers:aws") {
		return model.ProviderLocation(urn, inputs, nil, stackRegion)
	}
	var loc *model.Location
	if provider != "" {
		r.mu.Lock()
		l, ok := r.providerRegion[provider]
		r.mu.Unlock()
		if !ok {
			l = model.Location{Unknown: "its provider " + provider + " was not registered"}
		}
		loc = &l
	}
	return model.Locate(typ, inputs, loc, stackRegion)
}

// Call implements pulumi.MockResourceMonitor for the invokes the components use.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	region := r.config["aws:region"]
	if args.Provider != "" {
		r.mu.Lock()
		region = r.providerRegion[args.Provider].Region
		r.mu.Unlock()
	}
	switch args.Token {
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		if region == "" {
			return nil, fmt.Errorf("mockengine: %s needs a provider with a region (or aws:region config)", args.Token)
		}
		var names, ids []resource.PropertyValue
		for i, suffix := range []string{"a", "b", "c", "d", "e", "f"} {
			names = append(names, resource.NewProperty(region+suffix))
			ids = append(ids, resource.NewProperty(fmt.Sprintf("%s-az%d", regionCode(region), i+1)))
		}
		return resource.PropertyMap{
			"id":         resource.NewProperty(region),
			"names":      resource.NewProperty(names),
			"zoneIds":    resource.NewProperty(ids),
			"state":      resource.NewProperty("available"),
			"groupNames": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(region)}),
		}, nil
	case "aws:index/getRegion:getRegion":
		return resource.PropertyMap{
			"id":          resource.NewProperty(region),
			"name":        resource.NewProperty(region),
			"description": resource.NewProperty(region),
			"endpoint":    resource.NewProperty("ec2." + region + ".amazonaws.com"),
		}, nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.PropertyMap{
			"id":        resource.NewProperty(AccountID),
			"accountId": resource.NewProperty(AccountID),
			"arn":       resource.NewProperty("arn:aws:iam::" + AccountID + ":user/mock"),
			"userId":    resource.NewProperty("AIDAMOCK"),
		}, nil
	case "aws:index/getPartition:getPartition":
		// The provider's partition follows its region (GovCloud, China, ...).
		partition, suffix := argcheck.Partition(region), "amazonaws.com"
		if partition == "aws-cn" {
			suffix = "amazonaws.com.cn"
		}
		return resource.PropertyMap{
			"id":        resource.NewProperty(partition),
			"partition": resource.NewProperty(partition),
			"dnsSuffix": resource.NewProperty(suffix),
		}, nil
	case "cloudflare:index/getIpRanges:getIpRanges":
		return cloudflareIPRanges(), nil
	case "aws:route53/getZone:getZone":
		name := "example.com"
		if v, ok := args.Args["name"]; ok && v.IsString() {
			name = strings.TrimSuffix(v.StringValue(), ".")
		}
		zoneID := "Z" + strings.ToUpper(hash8(name)) + "MOCK"
		if v, ok := args.Args["zoneId"]; ok && v.IsString() && v.StringValue() != "" {
			zoneID = v.StringValue()
		}
		return resource.PropertyMap{
			"id":          resource.NewProperty(zoneID),
			"zoneId":      resource.NewProperty(zoneID),
			"name":        resource.NewProperty(name),
			"nameServers": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("ns-1.awsdns-00.com")}),
		}, nil
	}
	return nil, fmt.Errorf("mockengine: no mock for invoke %s; add one to mockengine.Recorder.Call", args.Token)
}

// Resources returns the recorded resources in registration order.
func (r *Recorder) Resources() []*Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*Resource, len(r.resources))
	copy(out, r.resources)
	return out
}

// Sorted returns the recorded resources sorted by URN, an order that does not
// depend on goroutine scheduling.
func (r *Recorder) Sorted() []*Resource {
	out := r.Resources()
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// ByType returns the recorded resources of one type token, sorted by URN.
func (r *Recorder) ByType(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.Sorted() {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// Get returns the resource with the given URN, or nil.
func (r *Recorder) Get(urn string) *Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byURN[urn]
}

// Find returns the first resource (by URN order) of type typ whose logical name is
// name, or nil.
func (r *Recorder) Find(typ, name string) *Resource {
	for _, res := range r.ByType(typ) {
		if res.Name == name {
			return res
		}
	}
	return nil
}

// Ancestors returns the URNs of res's parents, nearest first.
func (r *Recorder) Ancestors(res *Resource) []string {
	var out []string
	for p := res.Parent; p != ""; {
		out = append(out, p)
		parent := r.Get(p)
		if parent == nil {
			break
		}
		p = parent.Parent
	}
	return out
}

// Config returns the stack configuration the recorder was created with.
func (r *Recorder) Config() map[string]string { return r.config }

// Stack returns the stack name the recorder runs as.
func (r *Recorder) Stack() string { return r.stack }

// Project returns the project name the recorder runs as.
func (r *Recorder) Project() string { return r.project }

func hash8(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}
