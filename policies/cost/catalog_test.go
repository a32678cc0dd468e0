package cost_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/policies/cost"
)

// commercial are the commercial-partition regions the project accepts.
func commercial() []string {
	var out []string
	for r := range regions.Known {
		if !strings.HasPrefix(r, "us-gov-") && !strings.HasPrefix(r, "cn-") {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// feedPredatesTaipei are the regions missing from the 2025-05 F1 and 2025-04 ec2.shop
// snapshots: Asia Pacific (Taipei) opened after them, so they publish no price for it.
var feedPredatesTaipei = []string{"ap-east-2"}

// unpublished are the regions where the feeds publish no price for a key (the service
// or instance family is not offered there, or the snapshot predates the region). The
// estimator reports a resource there as unpriced; nothing is filled in. Keys are
// matched by prefix, longest first.
var unpublished = map[string][]string{
	"alb.":                                         feedPredatesTaipei,
	"aurora.io.":                                   feedPredatesTaipei,
	"aurora.standard.":                             feedPredatesTaipei,
	"aurora.ioOptimized.":                          feedPredatesTaipei,
	"aurora.globalWriteIO.":                        {"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "eu-central-2", "eu-south-1", "eu-south-2", "me-central-1", "me-south-1"},
	"aurora.aurora-mysql.":                         {"ap-east-2", "il-central-1"},
	"aurora.aurora-postgresql.":                    {"ap-east-2", "il-central-1"},
	"aurora.aurora-mysql.standard.db.r7g":          {"af-south-1", "ap-east-2", "ap-northeast-3", "ap-southeast-3", "ap-southeast-4", "ca-west-1", "eu-central-2", "eu-west-3", "il-central-1", "me-central-1"},
	"aurora.aurora-mysql.io-optimized.db.r7g":      {"af-south-1", "ap-east-2", "ap-northeast-3", "ap-southeast-3", "ap-southeast-4", "ca-west-1", "eu-central-2", "eu-west-3", "il-central-1", "me-central-1"},
	"aurora.aurora-postgresql.standard.db.r7g":     {"af-south-1", "ap-east-2", "ap-northeast-3", "ap-southeast-3", "ap-southeast-4", "ca-west-1", "eu-central-2", "eu-west-3", "il-central-1", "me-central-1"},
	"aurora.aurora-postgresql.io-optimized.db.r7g": {"af-south-1", "ap-east-2", "ap-northeast-3", "ap-southeast-3", "ap-southeast-4", "ca-west-1", "eu-central-2", "eu-west-3", "il-central-1", "me-central-1"},
	"rds.": feedPredatesTaipei,
	// The EBS feed copy (2024-07) predates Mexico, Malaysia, Thailand and Taipei.
	"ebs.":                 {"ap-east-2", "ap-southeast-5", "ap-southeast-7", "mx-central-1"},
	"rds.postgres.db.t4g.": {"ap-east-2", "ca-west-1"},
	"secretsmanager.":      feedPredatesTaipei,
	"transfer.":            feedPredatesTaipei,
	"ec2.t3.":              feedPredatesTaipei,
	"ec2.t4g.":             feedPredatesTaipei,
	"ec2.m5.":              {"ap-east-2", "ap-southeast-5", "ap-southeast-7", "mx-central-1"},
	"ec2.m6i.":             {"ap-east-2", "ap-southeast-4", "eu-south-2"},
	"ec2.m7g.":             {"af-south-1", "ap-east-1", "ap-east-2", "ca-west-1", "eu-south-1"},
	"ec2.c6i.":             {"ap-east-2", "ap-southeast-3", "ap-southeast-4", "eu-central-2", "eu-south-2", "me-central-1"},
	"ec2.c7g.":             {"af-south-1", "ap-east-2", "ap-southeast-3", "ap-southeast-4", "il-central-1", "me-central-1", "me-south-1"},
	"ec2.r6i.":             {"ap-east-2", "ap-southeast-3", "ap-southeast-4", "eu-south-2"},
	"ec2.g4dn.":            {"ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1"},
	"ec2.g5.":              {"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-3", "ap-south-2", "ap-southeast-1", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "eu-west-3", "me-south-1", "mx-central-1", "us-west-1"},
	"ec2.p4d.":             {"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-3", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "us-west-1"},
}

func exceptionsFor(key string) []string {
	best := ""
	for prefix := range unpublished {
		if strings.HasPrefix(key, prefix) && len(prefix) > len(best) {
			best = prefix
		}
	}
	return unpublished[best]
}

// TestCatalogCoversCommercialRegions: every priced key has a price in every
// commercial region, except where the named exceptions say no price is published.
func TestCatalogCoversCommercialRegions(t *testing.T) {
	t.Parallel()
	c, err := cost.Load()
	require.NoError(t, err)
	regs := commercial()
	require.Len(t, regs, 33, "internal/regions.Known has 33 commercial regions")
	assert.ElementsMatch(t, regs, c.Regions, "the catalog covers every commercial region")
	keys := c.Keys()
	require.NotEmpty(t, keys)
	for _, key := range keys {
		p := c.Prices[key]
		assert.NotEmpty(t, p.Source, key)
		except := exceptionsFor(key)
		for _, region := range regs {
			v, ok := p.ByRegion[region]
			if slicesContains(except, region) {
				assert.False(t, ok, "%s in %s: a price appeared; drop the exception", key, region)
				continue
			}
			assert.True(t, ok && v > 0, "%s has a price in %s", key, region)
		}
		for region := range p.ByRegion {
			assert.Contains(t, regs, region, "%s: %s is not a commercial region", key, region)
		}
	}
	// Inter-region transfer: from every covered region to every other one (F1 has
	// no price from Jakarta to Osaka or São Paulo).
	for _, src := range regs {
		if slicesContains(feedPredatesTaipei, src) {
			continue
		}
		for _, dst := range regs {
			if src == dst || slicesContains(feedPredatesTaipei, dst) || (src == "ap-southeast-3" && slicesContains([]string{"ap-northeast-3", "sa-east-1"}, dst)) {
				continue
			}
			v, ok := c.Transfer(src, dst)
			assert.True(t, ok && v > 0, "transfer %s -> %s", src, dst)
		}
	}
}

// TestCatalogFamilies: every size of the priced families is in the catalog.
func TestCatalogFamilies(t *testing.T) {
	t.Parallel()
	c := cost.Default
	for _, key := range []string{
		"ec2.t3.micro.hour", "ec2.t4g.small.hour", "ec2.m5.large.hour", "ec2.m6i.xlarge.hour", "ec2.m7g.2xlarge.hour",
		"ec2.c6i.4xlarge.hour", "ec2.c7g.8xlarge.hour", "ec2.r6i.12xlarge.hour", "ec2.g4dn.xlarge.hour", "ec2.g5.48xlarge.hour", "ec2.p4d.24xlarge.hour",
		"rds.postgres.db.t4g.large.singleAZ", "rds.postgres.db.m6g.16xlarge.multiAZ", "rds.postgres.db.r6g.4xlarge.singleAZ",
		"aurora.aurora-postgresql.standard.db.r6g.16xlarge", "aurora.aurora-mysql.io-optimized.db.r7g.2xlarge", "aurora.aurora-postgresql.standard.db.t4g.large",
		"dynamodb.rcu.hour", "dynamodb.wcu.hour", "dynamodb.replicatedWcu.hour", "vpc.publicIPv4.hour", "cloudwatch.metricMonth", "ebs.gp3.gbMonth",
	} {
		v, ok := c.Regional(key, "us-east-1")
		assert.True(t, ok && v > 0, key)
	}
	// Spot checks against shared/reference/aws-prices.md and the AWS pricing pages.
	for key, want := range map[string]float64{
		"vpc.publicIPv4.hour":                            0.005,
		"rds.postgres.db.r6g.large.multiAZ":              0.45,
		"aurora.aurora-postgresql.standard.db.r6g.large": 0.26,
		"ec2.p4d.24xlarge.hour":                          32.7726,
		"ec2.t3.medium.hour":                             0.0416,
		"dynamodb.rcu.hour":                              0.00013,
		"dynamodb.wcu.hour":                              0.00065,
	} {
		v, _ := c.Regional(key, "us-east-1")
		assert.Equal(t, want, v, key)
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
