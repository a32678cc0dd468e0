package mockengine

import "github.com/multiregion/multiregion/policies/model"

// Model returns what was recorded as the neutral resource model the policies
// read, sorted by URN. Regions are resolved by model.ResolveRegions, the same
// rule the state reader and the analyzer server apply. An offline plan is not a
// deployed state: Final is false.
func (r *Recorder) Model() *model.Deployment {
	d := &model.Deployment{Stack: model.Stack{Name: r.stack, Project: r.project, Config: r.config}}
	for _, res := range r.Sorted() {
		d.Resources = append(d.Resources, &model.Resource{
			URN:      res.URN,
			Type:     res.Type,
			Name:     res.Name,
			Parent:   res.Parent,
			Provider: res.ProviderURN(),
			Custom:   res.Custom,
			ID:       res.ID,
			Inputs:   res.Inputs,
			Outputs:  res.Outputs,
		})
	}
	model.ResolveRegions(d.Resources, r.config["aws:region"])
	return d
}
