package policies

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
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
			"stays within the budget: maxMonthlyUSD, else the stack's multiregion:budgetUSD. With a budget, a " +
			"resource the catalog cannot price makes the check \"cannot verify\" unless acceptUnpriced (here or in the stack's " +
			"multiregion:cost) or priceOverrides covers its type.",
		Level: constant(Mandatory),
		Schema: map[string]any{
			"maxMonthlyUSD": map[string]any{"type": "number", "minimum": 0, "description": "monthly budget in USD"},
			"primaryRegion": map[string]any{"type": "string", "description": "the single-region baseline's region (default: the first of multiregion:regions)"},
			"usage": map[string]any{"type": "object", "properties": usage, "additionalProperties": false,
				"description": "usage assumptions overriding the defaults"},
			"acceptUnpriced": map[string]any{"type": "array", "items": map[string]any{"type": "string"},
				"description": "resource type tokens (\"aws:ec2/eip:Eip\"), or Cloud Control typeNames (\"AWS::ARCRegionSwitch::Plan\"), whose unpriced resources do not make the budget unverifiable; they still count $0"},
			"priceOverrides": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "number", "minimum": 0},
				"description": "USD per month per resource, by type token (Cloud Control: by typeName), for resources the catalog cannot price ({\"aws:ec2/eip:Eip\": 3.65}); never replaces a catalog price"},
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
// usage, price overrides and primary region from its config and the stack config.
func EstimateFor(d *model.Deployment, cfg Config) *cost.Estimate {
	e := &Env{Stack: d.Stack, Props: cfg.Policies["cost-limit"].Properties}
	est, _ := estimate(e, d)
	return est
}

// estimate prices d and returns the config errors it found (bad usage or
// priceOverrides entries), each naming the key.
func estimate(e *Env, d *model.Deployment) (*cost.Estimate, []string) {
	var errs []string
	usage := cost.Usage{}
	// the stack's declared data size
	var db struct {
		StorageGB float64 `json:"storageGB"`
	}
	if raw := e.StackConfig("database"); raw != "" && json.Unmarshal([]byte(raw), &db) == nil && db.StorageGB > 0 {
		usage.DatabaseStorageGB = db.StorageGB
	}
	if raw, ok := e.Props["usage"]; ok {
		u, ok := raw.(map[string]any)
		if !ok {
			errs = append(errs, "cost-limit.usage: expected an object of numbers")
		}
		known := usageKeys()
		for _, k := range slices.Sorted(maps.Keys(u)) {
			if !slices.Contains(known, k) {
				errs = append(errs, fmt.Sprintf("cost-limit.usage.%s: unknown usage key: use %s", k, strings.Join(known, ", ")))
			} else if _, ok := u[k].(float64); !ok {
				errs = append(errs, fmt.Sprintf("cost-limit.usage.%s: expected a number >= 0", k))
			}
		}
		data, _ := json.Marshal(u)
		_ = json.Unmarshal(data, &usage)
	}
	overrides := map[string]float64{}
	if raw, ok := e.Props["priceOverrides"]; ok {
		m, ok := raw.(map[string]any)
		if !ok {
			errs = append(errs, `cost-limit.priceOverrides: expected an object of type token -> USD per month, e.g. {"aws:ec2/eip:Eip": 3.65}`)
		}
		for _, typ := range slices.Sorted(maps.Keys(m)) {
			v, ok := m[typ].(float64)
			if !ok || v < 0 {
				errs = append(errs, fmt.Sprintf("cost-limit.priceOverrides[%q]: expected a number of USD per month >= 0", typ))
				continue
			}
			overrides[typ] = v
		}
	}
	primary := e.stringProp("primaryRegion")
	if primary == "" {
		var regions []string
		if raw := e.StackConfig("regions"); raw != "" && json.Unmarshal([]byte(raw), &regions) == nil && len(regions) > 0 {
			primary = regions[0]
		}
	}
	est := (&cost.Estimator{Usage: usage, PriceOverrides: overrides}).Estimate(d.Resources, primary)
	return est, errs
}

// StackCostKey is the stack config key of the stack's own cost settings:
// {"acceptUnpriced": [kinds]}, the kinds (type tokens, or Cloud Control
// typeNames) the stack accepts unpriced, read next to the policy config's.
const StackCostKey = "multiregion:cost"

// acceptedUnpriced returns, for each kind accepted unpriced, where it is
// accepted: cost-limit.acceptUnpriced in the policy config, or the stack's
// multiregion:cost.acceptUnpriced.
func acceptedUnpriced(e *Env) (map[string]string, []string) {
	accepted := map[string]string{}
	var errs []string
	add := func(where string, raw any) {
		list, ok := raw.([]any)
		if !ok {
			errs = append(errs, fmt.Sprintf(`%s: expected a list of type tokens or Cloud Control typeNames, e.g. ["aws:ec2/eip:Eip", "AWS::ARCRegionSwitch::Plan"]`, where))
			return
		}
		for i, v := range list {
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) != s || s == "" {
				errs = append(errs, fmt.Sprintf("%s[%d]: expected a type token such as \"aws:ec2/eip:Eip\" or a Cloud Control typeName such as \"AWS::ARCRegionSwitch::Plan\"", where, i))
				continue
			}
			if _, dup := accepted[s]; !dup {
				accepted[s] = where
			}
		}
	}
	if raw, ok := e.Props["acceptUnpriced"]; ok {
		add("cost-limit.acceptUnpriced", raw)
	}
	if raw := e.StackConfig(StackCostKey); raw != "" {
		var stackCost map[string]any
		if err := json.Unmarshal([]byte(raw), &stackCost); err != nil || stackCost == nil {
			errs = append(errs, fmt.Sprintf(`%s: expected an object, e.g. {"acceptUnpriced": ["AWS::ARCRegionSwitch::Plan"]}`, StackCostKey))
		}
		for _, k := range slices.Sorted(maps.Keys(stackCost)) {
			if k != "acceptUnpriced" {
				errs = append(errs, fmt.Sprintf("%s.%s: unknown key: the only key is acceptUnpriced", StackCostKey, k))
				continue
			}
			add(StackCostKey+".acceptUnpriced", stackCost[k])
		}
	}
	return accepted, errs
}

// budget returns the budget in USD and where it came from, or ok=false. A
// budget that is set but not a finite number >= 0 is an error (err), never "no
// budget".
func budget(e *Env) (usd float64, from string, ok bool, err error) {
	if raw, set := e.Props["maxMonthlyUSD"]; set {
		if _, isNum := raw.(float64); !isNum {
			return 0, "", false, fmt.Errorf("cost-limit.maxMonthlyUSD is %v: set a number of USD >= 0", raw)
		}
	}
	if v, ok := e.numberProp("maxMonthlyUSD"); ok {
		if v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, "", false, fmt.Errorf("cost-limit.maxMonthlyUSD is %g: set a number of USD >= 0", v)
		}
		return v, "cost-limit maxMonthlyUSD", true, nil
	}
	if raw := e.StackConfig("budgetUSD"); raw != "" {
		v, perr := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if perr != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, "", false, fmt.Errorf("multiregion:budgetUSD is %q: set a number of USD >= 0 (pulumi config set multiregion:budgetUSD 1500)", raw)
		}
		return v, "multiregion:budgetUSD", true, nil
	}
	return 0, "", false, nil
}

func costStack(e *Env, d *model.Deployment) {
	est, errs := estimate(e, d)
	e.cost = est
	accepted, acceptErrs := acceptedUnpriced(e)
	for _, msg := range append(errs, acceptErrs...) {
		e.Violate("", "%s", msg)
	}
	// Negative or fractional counts and sizes are errors, never discounts.
	for _, inv := range est.Invalid {
		if inv.URN == "" {
			e.Violate("", "cost-limit.%s (a negative usage is never a discount)", inv.Reason)
			continue
		}
		e.Violate(inv.URN, "%s; the resource is left out of the estimate until fixed (a negative or non-numeric input is never a discount)", inv.Reason)
	}
	var unverified []cost.Unpriced
	var notAcceptable []string // kinds accepted by name that the catalog prices
	for i := range est.Unpriced {
		u := &est.Unpriced[i]
		where, ok := accepted[u.Kind()]
		switch {
		case ok && u.KindUnpriced:
			u.AcceptedBy = where
			continue
		case ok && !slices.Contains(notAcceptable, u.Kind()):
			// The catalog prices this kind; this resource is unpriced for its
			// own reason (a class, size or region not in the catalog, an unknown
			// value): accepting the kind would count it as $0.
			notAcceptable = append(notAcceptable, u.Kind())
		}
		unverified = append(unverified, *u)
	}
	limit, from, ok, err := budget(e)
	if err != nil {
		e.Violate("", "%v", err)
		return
	}
	if !ok {
		return
	}
	e.budget = &Budget{USD: limit, From: from}
	if len(unverified) > 0 {
		kind := unverified[0].Kind()
		e.CannotVerify("", "the budget of $%.2f (%s): %d resource(s) the price catalog cannot price: %s; "+
			"price them with cost-limit.priceOverrides {%q: <USD per month>} or accept them with cost-limit.acceptUnpriced [%q] "+
			"(or the stack's %s.acceptUnpriced)",
			limit, from, len(unverified), describeUnpriced(unverified), kind, kind, StackCostKey)
		if len(notAcceptable) > 0 {
			slices.Sort(notAcceptable)
			e.CannotVerify("", "acceptUnpriced names %s, which the catalog prices: it accepts only kinds the catalog cannot price at all, never a priced kind's resources of an unknown class, size or region (they would count as $0): price them with cost-limit.priceOverrides",
				strings.Join(notAcceptable, ", "))
		}
	}
	if est.MonthlyUSD <= limit {
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

// describeUnpriced groups unpriced resources by type and reason, naming a few
// of each: "20 x aws:rds/clusterInstance:ClusterInstance (no catalog price ...:
// a, b, c and 17 more)".
func describeUnpriced(us []cost.Unpriced) string {
	type group struct {
		key   string
		names []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, u := range us {
		key := u.Kind() + ": " + u.Reason
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.names = append(g.names, urnName(u.URN))
	}
	var parts []string
	for i, g := range groups {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more kind(s)", len(groups)-i))
			break
		}
		names := g.names
		more := ""
		if len(names) > 3 {
			more = fmt.Sprintf(" and %d more", len(names)-3)
			names = names[:3]
		}
		parts = append(parts, fmt.Sprintf("%d x %s (%s%s)", len(g.names), g.key, strings.Join(names, ", "), more))
	}
	return strings.Join(parts, "; ")
}

// urnName returns the resource name at the end of a URN.
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}
