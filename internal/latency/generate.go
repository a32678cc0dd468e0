//go:build ignore

// generate writes data.json from a CloudPing snapshot and the location table
// below. Run it from this directory with the snapshot the data file cites:
//
//	git show 22f8adc2f0c6507790a019946bb466cb9f3adb06:web-utilities/aws-ping-p50-1y.json > /tmp/cloudping.json
//	  (in a clone of github.com/oaustegard/oaustegard.github.io)
//	go run generate.go -src /tmp/cloudping.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"maps"
	"math"
	"os"
	"slices"

	"github.com/multiregion/multiregion/internal/regions"
)

type location struct {
	Name      string             `json:"name"`
	Kind      string             `json:"kind"`
	Continent string             `json:"continent"`
	Anchors   map[string]float64 `json:"anchors"`
	Basis     string             `json:"basis"`
}

// populationSource is where the continent and country splits come from.
const populationSource = "UN World Population Prospects 2024 (2024 estimates), rounded to 0.05"

var locations = map[string]location{
	"NA": {"North America", "continent", "NA", map[string]float64{"us-east-1": 0.40, "us-east-2": 0.15, "us-west-1": 0.15, "ca-central-1": 0.05, "mx-central-1": 0.25},
		"population shares (" + populationSource + "): United States ~66% split as in US below, Canada ~8% (mostly Ontario/Quebec), Mexico, Central America and the Caribbean ~26% (Mexico anchored at mx-central-1; Central America and the Caribbean counted with it and with us-east-1)"},
	"SA": {"South America", "continent", "SA", map[string]float64{"sa-east-1": 1},
		"sa-east-1 (Sao Paulo) is the only AWS region in South America; users outside Brazil are farther from it than this estimate"},
	"EU": {"Europe", "continent", "EU", map[string]float64{"eu-central-1": 0.50, "eu-west-2": 0.10, "eu-west-3": 0.10, "eu-south-1": 0.10, "eu-south-2": 0.10, "eu-north-1": 0.05, "eu-west-1": 0.05},
		"population shares (" + populationSource + "): Germany, Central and Eastern Europe ~50% (anchored at Frankfurt), United Kingdom, France, Italy ~10% each, Spain and Portugal ~10%, the Nordics ~5%, Ireland ~5% with the rest of the west"},
	"AS": {"Asia", "continent", "AS", map[string]float64{"ap-south-1": 0.40, "ap-east-1": 0.30, "ap-southeast-1": 0.10, "ap-southeast-3": 0.05, "ap-northeast-1": 0.05, "me-central-1": 0.10},
		"population shares (" + populationSource + "): South Asia ~40% (Mumbai), China ~30% (Hong Kong: AWS China regions are a separate partition), mainland South-East Asia and the Philippines ~10% (Singapore), Indonesia ~5% (Jakarta), Japan and Korea ~5% (Tokyo), West Asia ~10% (UAE)"},
	"AF": {"Africa", "continent", "AF", map[string]float64{"af-south-1": 1},
		"af-south-1 (Cape Town) is the only AWS region in Africa: this is the estimate for users near it, and users elsewhere in Africa are farther from every region than it shows"},
	"OC": {"Oceania", "continent", "OC", map[string]float64{"ap-southeast-2": 0.70, "ap-southeast-4": 0.30},
		"population shares (" + populationSource + "): New South Wales, Queensland, New Zealand and the Pacific ~70% (Sydney), Victoria, South and Western Australia ~30% (Melbourne)"},

	"US": {"United States", "country", "NA", map[string]float64{"us-east-1": 0.55, "us-east-2": 0.21, "us-west-1": 0.24},
		"US Census 2020 regional shares: Northeast 17.4% + South 38.1% (N. Virginia), Midwest 20.8% (Ohio), West 23.7% (N. California)"},
	"CA": {"Canada", "country", "NA", map[string]float64{"ca-central-1": 0.68, "ca-west-1": 0.32},
		"Statistics Canada 2021 census: Ontario, Quebec and the Atlantic provinces ~68% (Montreal), the West and the territories ~32% (Calgary)"},
	"MX": {"Mexico", "country", "NA", map[string]float64{"mx-central-1": 1}, "the AWS region in the country (Queretaro)"},
	"BR": {"Brazil", "country", "SA", map[string]float64{"sa-east-1": 1}, "the AWS region in the country (Sao Paulo)"},
	"GB": {"United Kingdom", "country", "EU", map[string]float64{"eu-west-2": 1}, "the AWS region in the country (London)"},
	"IE": {"Ireland", "country", "EU", map[string]float64{"eu-west-1": 1}, "the AWS region in the country (Dublin)"},
	"DE": {"Germany", "country", "EU", map[string]float64{"eu-central-1": 1}, "the AWS region in the country (Frankfurt)"},
	"FR": {"France", "country", "EU", map[string]float64{"eu-west-3": 1}, "the AWS region in the country (Paris)"},
	"IT": {"Italy", "country", "EU", map[string]float64{"eu-south-1": 1}, "the AWS region in the country (Milan)"},
	"ES": {"Spain", "country", "EU", map[string]float64{"eu-south-2": 1}, "the AWS region in the country (Aragon)"},
	"CH": {"Switzerland", "country", "EU", map[string]float64{"eu-central-2": 1}, "the AWS region in the country (Zurich)"},
	"SE": {"Sweden", "country", "EU", map[string]float64{"eu-north-1": 1}, "the AWS region in the country (Stockholm)"},
	"IL": {"Israel", "country", "AS", map[string]float64{"il-central-1": 1}, "the AWS region in the country (Tel Aviv)"},
	"AE": {"United Arab Emirates", "country", "AS", map[string]float64{"me-central-1": 1}, "the AWS region in the country (UAE)"},
	"BH": {"Bahrain", "country", "AS", map[string]float64{"me-south-1": 1}, "the AWS region in the country (Bahrain)"},
	"ZA": {"South Africa", "country", "AF", map[string]float64{"af-south-1": 1}, "the AWS region in the country (Cape Town)"},
	"IN": {"India", "country", "AS", map[string]float64{"ap-south-1": 1}, "the AWS region in the country's largest market (Mumbai); Hyderabad (ap-south-2) is 24 ms from it"},
	"JP": {"Japan", "country", "AS", map[string]float64{"ap-northeast-1": 1}, "the AWS region in the country's largest metro (Tokyo)"},
	"KR": {"South Korea", "country", "AS", map[string]float64{"ap-northeast-2": 1}, "the AWS region in the country (Seoul)"},
	"SG": {"Singapore", "country", "AS", map[string]float64{"ap-southeast-1": 1}, "the AWS region in the country (Singapore)"},
	"ID": {"Indonesia", "country", "AS", map[string]float64{"ap-southeast-3": 1}, "the AWS region in the country (Jakarta)"},
	"MY": {"Malaysia", "country", "AS", map[string]float64{"ap-southeast-5": 1}, "the AWS region in the country (Malaysia)"},
	"TH": {"Thailand", "country", "AS", map[string]float64{"ap-southeast-7": 1}, "the AWS region in the country (Thailand)"},
	"HK": {"Hong Kong", "country", "AS", map[string]float64{"ap-east-1": 1}, "the AWS region in the territory (Hong Kong)"},
	"TW": {"Taiwan", "country", "AS", map[string]float64{"ap-east-2": 1}, "the AWS region in the country (Taipei); it has no measurement in the snapshot, so Taiwan's estimates are missing"},
	"AU": {"Australia", "country", "OC", map[string]float64{"ap-southeast-2": 0.55, "ap-southeast-4": 0.45},
		"Australian Bureau of Statistics 2021 census: New South Wales, Queensland, the ACT and the Northern Territory ~55% (Sydney), Victoria, South and Western Australia and Tasmania ~45% (Melbourne)"},
}

// unmeasured says why a known region has no row in the snapshot.
var unmeasured = map[string]string{
	"us-gov-east-1": "GovCloud regions are not measured by CloudPing (separate partition, accounts need US-person vetting)",
	"us-gov-west-1": "GovCloud regions are not measured by CloudPing (separate partition, accounts need US-person vetting)",
	"ap-east-2":     "Asia Pacific (Taipei) opened in June 2025, after the CloudPing snapshot (2025-05-29)",
}

func main() {
	src := flag.String("src", "", "CloudPing p_50 1Y snapshot (JSON)")
	out := flag.String("out", "data.json", "output file")
	flag.Parse()
	raw, err := os.ReadFile(*src)
	if err != nil {
		log.Fatal(err)
	}
	var snap struct {
		Metadata struct{ Percentile, Timeframe, Unit string }
		Data     map[string]map[string]float64
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		log.Fatal(err)
	}
	if snap.Metadata.Percentile != "p_50" || snap.Metadata.Timeframe != "1Y" || snap.Metadata.Unit != "milliseconds" {
		log.Fatalf("unexpected snapshot metadata %+v", snap.Metadata)
	}
	known := slices.Sorted(maps.Keys(regions.Known))
	round := func(v float64) float64 { return math.Round(v*10) / 10 }
	self := map[string]float64{}
	pairs := map[string]map[string]*float64{}
	for i, a := range known {
		if v, ok := snap.Data[a][a]; ok {
			self[a] = round(v)
		} else if unmeasured[a] == "" {
			log.Fatalf("%s: no measurement and no reason", a)
		}
		row := map[string]*float64{}
		for _, b := range known[i+1:] {
			ab, ok1 := snap.Data[a][b]
			ba, ok2 := snap.Data[b][a]
			switch {
			case ok1 && ok2:
				v := round((ab + ba) / 2)
				row[b] = &v
			case unmeasured[a] != "" || unmeasured[b] != "":
				row[b] = nil
			default:
				log.Fatalf("%s-%s: missing with no reason", a, b)
			}
		}
		if len(row) > 0 {
			pairs[a] = row
		}
	}
	doc := map[string]any{
		"about": "Median round-trip times between AWS regions and from user locations to regions, for multiregion's latency report. Generated by generate.go; do not edit by hand.",
		"regionPairs": map[string]any{
			"source":     "CloudPing (https://www.cloudping.co), p50 of TCP round trips between EC2 instances in every pair of regions over one year (API: https://www.cloudping.co/api/latencies?percentile=p_50&timeframe=1Y)",
			"snapshot":   map[string]string{"repo": "oaustegard/oaustegard.github.io", "path": "web-utilities/aws-ping-p50-1y.json", "commit": "22f8adc2f0c6507790a019946bb466cb9f3adb06", "addedInCommit": "fc319dc885ff80f59be93d69c23346d657a7c538"},
			"date":       "2025-05-29",
			"method":     "each pair's value is the mean of the two directions' medians (they differ by at most 12 ms), rounded to 0.1 ms; selfMs is the median between two instances in the same region",
			"unmeasured": unmeasured,
			"selfMs":     self,
			"rttMs":      pairs,
		},
		"locations": map[string]any{
			"source":  "derived: a location's RTT to a region is the region-pair median from each of its anchors (AWS regions where its users are) to that region, weighted by the anchor's share of the location's users",
			"date":    "2025-05-29",
			"method":  "excludes the last mile (user to the nearest data center), which is the same whichever region serves and so cancels in every comparison; anchors and shares per entry, with their basis",
			"entries": locations,
		},
	}
	data, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s: %d bytes\n", *out, len(data)+1)
}
