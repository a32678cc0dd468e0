// Package cost estimates the monthly cost of a deployment from an embedded
// catalog of public on-demand prices (prices.json, with its sources and date)
// and documented usage assumptions for what prices alone cannot tell (GB
// transferred, requests, log volume), which config may override.
//
// Like Infracost, hourly prices are multiplied by 730 hours a month, and
// resources the catalog cannot price are listed, never guessed.
package cost

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
)

//go:embed prices.json
var pricesJSON []byte

// Catalog is the embedded price catalog.
type Catalog struct {
	Name          string            `json:"name"`
	CatalogDate   string            `json:"catalogDate"`
	Currency      string            `json:"currency"`
	HoursPerMonth float64           `json:"hoursPerMonth"`
	Method        string            `json:"method"`
	Sources       map[string]string `json:"sources"`
	Regions       []string          `json:"regions"`
	Prices        map[string]Price  `json:"prices"`
	Global        map[string]Global `json:"global"`
	InterRegion   struct {
		Source string                        `json:"source"`
		From   map[string]map[string]float64 `json:"from"`
	} `json:"interRegionTransferPerGB"`

	regions map[string]bool
}

// Price is one regional price.
type Price struct {
	Unit     string             `json:"unit"`
	Source   string             `json:"source"`
	Note     string             `json:"note,omitempty"`
	ByRegion map[string]float64 `json:"byRegion"`
}

// Global is one price that does not depend on the region.
type Global struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Note   string  `json:"note,omitempty"`
}

// Load parses the embedded catalog.
func Load() (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(pricesJSON, &c); err != nil {
		return nil, fmt.Errorf("price catalog: %w", err)
	}
	c.regions = map[string]bool{}
	for _, r := range c.Regions {
		c.regions[r] = true
	}
	return &c, nil
}

// Default is the embedded catalog, parsed once. It panics only if the embedded
// file is broken, which the package's tests rule out.
var Default = mustLoad()

func mustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Covers reports whether the catalog has prices for region.
func (c *Catalog) Covers(region string) bool { return c.regions[region] }

// Regional returns the price key in region.
func (c *Catalog) Regional(key, region string) (float64, bool) {
	p, ok := c.Prices[key]
	if !ok {
		return 0, false
	}
	v, ok := p.ByRegion[region]
	return v, ok
}

// GlobalPrice returns a global price.
func (c *Catalog) GlobalPrice(key string) float64 { return c.Global[key].Value }

// Transfer returns the inter-region price per GB from src to dst.
func (c *Catalog) Transfer(src, dst string) (float64, bool) {
	v, ok := c.InterRegion.From[src][dst]
	return v, ok
}

// Keys returns the regional price keys, sorted.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.Prices))
	for k := range c.Prices {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
