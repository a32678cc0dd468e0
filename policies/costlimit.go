package policies

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/multiregion/multiregion/policies/cost"
	"github.com/multiregion/multiregion/policies/model"
)

func costLimit() *Policy {
	usage := map[string]any{}
	for _, k := range usageKeys() {
		usage[k] = map[string]any{"type": "number", "minimum": 0}
	}
	return &Policy{
		Name: "cost-limit",
		Description: "The estimated monthly cost (embedded on-demand price catalog plus usage assumptions) " +
			"stays within the budget: maxMonthlyUSD, else the stack's multiregion:budgetUSD.",
		Level: constant(Mandatory),
		Schema: map[string]any{
			"maxMonthlyUSD": map[string]any{"type": "number", "minimum": 0, "description": "monthly budget in USD"},
			"primaryRegion": map[string]any{"type": "string", "description": "the single-region baseline's region (default: the first of multiregion:regions)"},
			"usage":         map[string]any{"type": "object", "properties": usage, "description": "usage assumptions overriding the defaults"},
		},
		Stack: costStack,
	}
}

// usageKeys are the JSON names of the cost.Usage fields.
func usageKeys() []string {
	data, _ := json.Marshal(cost.Usage{})
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return slices.Sorted(maps.Keys(m))
}

// EstimateFor prices a deployment the way the cost-limit policy does, with the
// usage and primary region from its config and the stack config.
func EstimateFor(d *model.Deployment, cfg Config) *cost.Estimate {
	e := &Env{Stack: d.Stack, Props: cfg.Policies["cost-limit"].Properties}
	return estimate(e, d)
}

func estimate(e *Env, d *model.Deployment) *cost.Estimate {
	usage := cost.Usage{}
	// the stack's declared data size
	var db struct {
		StorageGB float64 `json:"storageGB"`
	}
	if raw := e.StackConfig("database"); raw != "" && json.Unmarshal([]byte(raw), &db) == nil && db.StorageGB > 0 {
		usage.DatabaseStorageGB = db.StorageGB
	}
	if u, ok := e.Props["usage"].(map[string]any); ok {
		data, _ := json.Marshal(u)
		_ = json.Unmarshal(data, &usage)
	}
	primary := e.stringProp("primaryRegion")
	if primary == "" {
		var regions []string
		if raw := e.StackConfig("regions"); raw != "" && json.Unmarshal([]byte(raw), &regions) == nil && len(regions) > 0 {
			primary = regions[0]
		}
	}
	est := (&cost.Estimator{Usage: usage}).Estimate(d.Resources, primary)
	return est
}

// budget returns the budget in USD and where it came from, or ok=false.
func budget(e *Env) (usd float64, from string, ok bool) {
	if v, ok := e.numberProp("maxMonthlyUSD"); ok {
		return v, "cost-limit maxMonthlyUSD", true
	}
	if raw := e.StackConfig("budgetUSD"); raw != "" {
		if v, err := strconv.ParseFloat(raw, 64); err == nil {
			return v, "multiregion:budgetUSD", true
		}
	}
	return 0, "", false
}

func costStack(e *Env, d *model.Deployment) {
	est := estimate(e, d)
	e.cost = est
	limit, from, ok := budget(e)
	if !ok || est.MonthlyUSD <= limit {
		return
	}
	var top []string
	for i, l := range est.ByResource {
		if i == 3 {
			break
		}
		top = append(top, fmt.Sprintf("%s $%.2f", l.Name, l.MonthlyUSD))
	}
	msg := fmt.Sprintf("estimated $%.2f/month exceeds the budget of $%.2f (%s) by $%.2f: single-region baseline $%.2f (%s), multi-region premium $%.2f; largest: %s",
		est.MonthlyUSD, limit, from, est.MonthlyUSD-limit, est.SingleRegionBaselineUSD, est.PrimaryRegion, est.PremiumUSD, strings.Join(top, ", "))
	if n := len(est.Unpriced); n > 0 {
		msg += fmt.Sprintf("; %d resource(s) unpriced", n)
	}
	e.Violate("", "%s", msg)
}
