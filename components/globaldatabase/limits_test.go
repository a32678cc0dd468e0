package globaldatabase_test

import (
	"fmt"
	"maps"
	"math/rand"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/quick"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/internal/regions"
	"github.com/multiregion/multiregion/mockengine"
)

const tRandomID = "random:index/randomId:RandomId"

// runNamed is run with a component name of the caller's choosing.
func runNamed(t *testing.T, name string, regionList []string, tweak func(*globaldatabase.Args)) (*mockengine.Recorder, error) {
	t.Helper()
	return mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		args, err := argsOver(ctx, regionList)
		if err != nil {
			return err
		}
		if tweak != nil {
			tweak(args)
		}
		_, err = globaldatabase.New(ctx, name, args)
		return err
	})
}

// argsOver returns rds Args over regionList (first = primary), each region on
// its own provider with fake subnets, security group and key.
func argsOver(ctx *pulumi.Context, regionList []string) (*globaldatabase.Args, error) {
	var list []globaldatabase.Region
	for _, region := range regionList {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return nil, err
		}
		list = append(list, globaldatabase.Region{
			Region:          region,
			Provider:        p,
			SubnetIDs:       pulumi.ToStringArray([]string{"subnet-" + region + "-a", "subnet-" + region + "-b"}),
			SecurityGroupID: pulumi.String("sg-" + region),
			KMSKeyARN:       pulumi.String(keyARN(region)),
		})
	}
	return &globaldatabase.Args{Mode: globaldatabase.ModeRDS, Primary: list[0], Secondaries: list[1:]}, nil
}

// identifierKeys are the RDS identifier properties per type, as the provider
// (or Pulumi's auto-naming) sets them; the mock records auto-names in Outputs.
var identifierKeys = map[string]string{
	tInstance:  "identifier",
	tCluster:   "clusterIdentifier",
	tClusterI:  "identifier",
	tGlobal:    "globalClusterIdentifier",
	tSubnets:   "name",
	tTable:     "name",
	tSecret:    "name",
	tRandomID:  "",
	tPassword:  "",
	tSecretVer: "",
}

// dbSubnetGroupRE: 1 to 255 lowercase letters, digits, spaces, ".", "_" or "-",
// not "default" (CreateDBSubnetGroup DBSubnetGroupName).
var dbSubnetGroupRE = regexp.MustCompile(`^[a-z0-9 ._-]{1,255}$`)

// dynamoTableRE: 3 to 255 letters, digits, "_", "-" or "." (CreateTable TableName).
var dynamoTableRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)

// secretNameRE: 1 to 512 letters, digits and /_+=.@- (CreateSecret Name).
var secretNameRE = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)

// checkLimits checks every recorded resource of a GlobalDatabase against AWS's
// limits and the lifecycle rules of issue 14 and returns the problems found.
func checkLimits(rec *mockengine.Recorder, mode string, promoted string, skipFinal bool) []string {
	var bad []string
	fail := func(format string, a ...any) { bad = append(bad, fmt.Sprintf(format, a...)) }
	randoms := map[string]string{} // RandomId hex by name
	for _, r := range rec.ByType(tRandomID) {
		randoms[r.Name] = props.String(r.Outputs, "hex")
	}
	checked := 0
	for _, r := range rec.Resources() {
		if strings.HasPrefix(r.Type, "pulumi:") || r.Type == globaldatabase.TypeToken {
			continue
		}
		checked++
		key, known := identifierKeys[r.Type]
		if !known {
			fail("%s %s: a type the limit table does not know", r.Type, r.Name)
			continue
		}
		if key != "" {
			id := props.String(r.Outputs, key)
			switch r.Type {
			case tSubnets:
				if !dbSubnetGroupRE.MatchString(id) || id == "default" {
					fail("%s: DB subnet group name %q", r.Name, id)
				}
			case tTable:
				if !dynamoTableRE.MatchString(id) {
					fail("%s: table name %q", r.Name, id)
				}
			case tSecret:
				if !secretNameRE.MatchString(id) {
					fail("%s: secret name %q", r.Name, id)
				}
			default:
				if !globaldatabase.ValidIdentifier(id, globaldatabase.MaxIdentifierLength) {
					fail("%s %s: identifier %q (%d characters) is not a valid RDS identifier", r.Type, r.Name, id, len(id))
				}
			}
		}
		switch r.Type {
		case tInstance, tCluster:
			skip, _ := props.Bool(r.Inputs, "skipFinalSnapshot")
			final := props.String(r.Inputs, "finalSnapshotIdentifier")
			replica := props.String(r.Inputs, "replicateSourceDb") != ""
			switch {
			case replica && (!skip || final != ""):
				fail("%s: a read replica must skip its final snapshot (AWS refuses one), got skip=%v id=%q", r.Name, skip, final)
			case !replica && skip != skipFinal:
				fail("%s: skipFinalSnapshot=%v, want %v", r.Name, skip, skipFinal)
			case !replica && !skipFinal:
				if !globaldatabase.ValidIdentifier(final, globaldatabase.MaxSnapshotIdentifierLength) {
					fail("%s: final snapshot identifier %q is not valid", r.Name, final)
				}
				suffix := final[strings.LastIndex(final, "-")+1:]
				if !slices.Contains(slices.Collect(mapValues(randoms)), suffix) {
					fail("%s: final snapshot %q does not end in a RandomId's hex", r.Name, final)
				}
			}
			if r.Region == promoted && replica {
				fail("%s: promoted but still replicating", r.Name)
			}
		case tClusterI:
			if r.Protect {
				fail("%s: a cluster instance must not be protected (it holds no data)", r.Name)
			}
		case tGlobal:
			if !slices.Contains(r.IgnoreChanges, "engineVersion") {
				fail("%s: the global cluster must ignore engineVersion drift", r.Name)
			}
		}
	}
	if checked == 0 {
		fail("no database resource was recorded: nothing was checked")
	}
	return bad
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// Issue 14 point 1: a long name + stack in the longest regions used to pass 63.
func TestIdentifiersFitLongNamesAndRegions(t *testing.T) {
	t.Parallel()
	name := "checkout-payments-x-production-europe" // a 20-character app name + "-" + a long stack
	regionList := []string{"ap-southeast-1", "ap-northeast-1", "us-gov-west-1"}
	rec, err := runNamed(t, name, regionList, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeAuroraGlobal
		a.PrimaryInstances = globaldatabase.MaxInstances
	})
	require.NoError(t, err)
	require.Len(t, rec.ByType(tClusterI), globaldatabase.MaxInstances+2)
	assert.Empty(t, checkLimits(rec, globaldatabase.ModeAuroraGlobal, "", false))
	// the unshortened auto-name would have been too long, so this test can fail
	long := name + "-instance-ap-southeast-1-16"
	require.Greater(t, len(long)+globaldatabase.AutonameSuffixLength, globaldatabase.MaxIdentifierLength)
	assert.Nil(t, rec.Find(tClusterI, long), "shortened")
}

// Names that fit keep their logical names: existing stacks are not renamed
// (a renamed database is a replaced one).
func TestShortNamesAreUnchanged(t *testing.T) {
	t.Parallel()
	rec, err := runNamed(t, "app-prod", []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeAuroraGlobal
	})
	require.NoError(t, err)
	assert.NotNil(t, rec.Find(tCluster, "app-prod-cluster-us-east-1"))
	assert.NotNil(t, rec.Find(tCluster, "app-prod-cluster-us-west-2"))
	assert.NotNil(t, rec.Find(tClusterI, "app-prod-instance-us-east-1-2"))
	assert.NotNil(t, rec.Find(tSubnets, "app-prod-subnets-us-west-2"))
	assert.Equal(t, "app-prod", props.String(rec.ByType(tGlobal)[0].Inputs, "globalClusterIdentifier"))
}

// Names that are not RDS identifiers (a stack name with "_", "." or capitals,
// "--", a trailing hyphen) are cleaned and hashed instead of failing at apply.
func TestNamesThatAreNotIdentifiers(t *testing.T) {
	t.Parallel()
	globals := map[string]string{}
	for _, name := range []string{"app-Prod_EU", "app-prod.eu", "a--b", "app-", "9lives", "_", "ÄÖÜ-db"} {
		rec, err := runNamed(t, name, []string{"us-east-1", "eu-west-1"}, func(a *globaldatabase.Args) {
			a.Mode = globaldatabase.ModeAuroraGlobal
		})
		require.NoError(t, err, name)
		assert.Empty(t, checkLimits(rec, globaldatabase.ModeAuroraGlobal, "", false), name)
		g := props.String(rec.ByType(tGlobal)[0].Inputs, "globalClusterIdentifier")
		assert.NotContains(t, globals, g, "%q and %q must not share identifiers", name, globals[g])
		globals[g] = name
	}
	long := strings.Repeat("orders-", 80) + "db" // 562 characters: every name limit at once
	for _, mode := range globaldatabase.Modes {
		regionList := []string{"ap-southeast-1", "eu-central-1"}
		if mode == globaldatabase.ModeRDS {
			regionList = regionList[:1]
		}
		rec, err := runNamed(t, long, regionList, func(a *globaldatabase.Args) { a.Mode = mode })
		require.NoError(t, err, mode)
		assert.Empty(t, checkLimits(rec, mode, "", false), mode)
	}
	_, err := runNamed(t, "", []string{"us-east-1"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "name: is empty")
}

// DynamoDB table names take capitals, "_" and ".": such names stay unchanged,
// so an existing table is never renamed (replaced).
func TestDynamoDBKeepsItsName(t *testing.T) {
	t.Parallel()
	rec, err := runNamed(t, "Orders_v2.prod", []string{"us-east-1", "eu-west-1"}, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeDynamoDBGlobal
	})
	require.NoError(t, err)
	assert.NotNil(t, rec.Find(tTable, "Orders_v2.prod-table"))
	assert.Empty(t, checkLimits(rec, globaldatabase.ModeDynamoDBGlobal, "", false))
}

// Issue 14 point 5: a non-promoted read replica skips its final snapshot; a
// promoted one takes one like a primary.
func TestReadReplicaSkipsFinalSnapshot(t *testing.T) {
	t.Parallel()
	regionList := []string{"us-east-1", "us-west-2", "eu-west-1"}
	rec, err := runNamed(t, "appdb", regionList, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeRDSReplica
		a.PromotedRegion = "eu-west-1"
	})
	require.NoError(t, err)
	replica := rec.Find(tInstance, "appdb-db-us-west-2")
	require.NotNil(t, replica)
	skip, _ := props.Bool(replica.Inputs, "skipFinalSnapshot")
	assert.True(t, skip)
	_, hasFinal := props.Get(replica.Inputs, "finalSnapshotIdentifier")
	assert.False(t, hasFinal)
	assert.True(t, replica.Protect, "the replica is still protected")
	promoted := rec.Find(tInstance, "appdb-db-eu-west-1")
	require.NotNil(t, promoted)
	skip, _ = props.Bool(promoted.Inputs, "skipFinalSnapshot")
	assert.False(t, skip)
	assert.Regexp(t, `^appdb-eu-west-1-final-[0-9a-f]{8}$`, props.String(promoted.Inputs, "finalSnapshotIdentifier"))
	assert.Len(t, rec.ByType(tRandomID), 2, "primary and promoted replica, no suffix for the replica")
	assert.Empty(t, checkLimits(rec, globaldatabase.ModeRDSReplica, "eu-west-1", false))
}

// Issue 14 point 6: Aurora instances are not protected, clusters and the global
// cluster are.
func TestAuroraInstancesAreNotProtected(t *testing.T) {
	t.Parallel()
	rec, err := runNamed(t, "appdb", []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeAuroraGlobal
	})
	require.NoError(t, err)
	instances := rec.ByType(tClusterI)
	require.Len(t, instances, 3)
	for _, inst := range instances {
		assert.False(t, inst.Protect, inst.Name)
		parent := rec.Get(inst.Parent)
		require.NotNil(t, parent)
		assert.Equal(t, tCluster, parent.Type, "still a child of its cluster")
		assert.True(t, parent.Protect, parent.Name)
	}
	assert.True(t, rec.ByType(tGlobal)[0].Protect)
}

// Issue 14 point 7: the global cluster ignores engineVersion drift like the
// clusters; a malformed version is a config error that says how to find one.
func TestEngineVersions(t *testing.T) {
	t.Parallel()
	rec, err := runNamed(t, "appdb", []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeAuroraGlobal
	})
	require.NoError(t, err)
	assert.Contains(t, rec.ByType(tGlobal)[0].IgnoreChanges, "engineVersion")

	cases := []struct {
		mode, engine, version string
		ok                    bool
	}{
		{globaldatabase.ModeAuroraGlobal, "", "16.6", true},
		{globaldatabase.ModeAuroraGlobal, "", "15.10", true},
		{globaldatabase.ModeAuroraGlobal, "", "16", false},
		{globaldatabase.ModeAuroraGlobal, "", "v16.6", false},
		{globaldatabase.ModeAuroraGlobal, globaldatabase.EngineAuroraMySQL, "8.0.mysql_aurora.3.08.2", true},
		{globaldatabase.ModeAuroraGlobal, globaldatabase.EngineAuroraMySQL, "8.0", false},
		{globaldatabase.ModeRDSReplica, "", "16", true},
		{globaldatabase.ModeRDSReplica, "", "16.4", true},
		{globaldatabase.ModeRDSReplica, "", "latest", false},
	}
	for _, tc := range cases {
		_, err := runNamed(t, "appdb", []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) {
			a.Mode, a.Engine, a.EngineVersion = tc.mode, tc.engine, tc.version
		})
		if tc.ok {
			assert.NoError(t, err, tc.version)
			continue
		}
		require.Error(t, err, tc.version)
		assert.Contains(t, err.Error(), "EngineVersion: ")
		assert.Contains(t, err.Error(), "aws rds describe-db-engine-versions")
		if tc.mode == globaldatabase.ModeAuroraGlobal {
			assert.Contains(t, err.Error(), "SupportsGlobalDatabases")
		}
	}
}

// Issue 14 point 11: final snapshot names end in a RandomId's hex, and the
// RandomId is renewed with the database: its keepers are the database's
// replace-on-change inputs.
func TestFinalSnapshotNamesAreUniquePerDatabase(t *testing.T) {
	t.Parallel()
	keepersOf := func(kmsKey string) map[string]string {
		rec, err := runNamed(t, "appdb", []string{"us-east-1"}, func(a *globaldatabase.Args) {
			a.Primary.KMSKeyARN = pulumi.String(kmsKey)
		})
		require.NoError(t, err)
		ids := rec.ByType(tRandomID)
		require.Len(t, ids, 1)
		id := ids[0]
		assert.Equal(t, rec.ByType(globaldatabase.TypeToken)[0].URN, id.Parent)
		assert.False(t, id.Protect, "destroyed with the database, so a re-created one draws a new suffix")
		inst := rec.ByType(tInstance)[0]
		assert.Equal(t, "appdb-us-east-1-final-"+props.String(id.Outputs, "hex"), props.String(inst.Inputs, "finalSnapshotIdentifier"))
		out := map[string]string{}
		for k, v := range props.Object(id.Inputs, "keepers") {
			out[string(k)] = v.StringValue()
		}
		return out
	}
	a, b := keepersOf(keyARN("us-east-1")), keepersOf("arn:aws:kms:us-east-1:123456789012:key/other")
	assert.Equal(t, "appdb-db-us-east-1", a["database"])
	assert.Equal(t, "postgres", a["engine"])
	assert.NotEqual(t, a, b, "a new key replaces the database, so it must renew the suffix")

	// dev: no final snapshot, no suffix
	rec, err := runNamed(t, "appdb", []string{"us-east-1"}, func(a *globaldatabase.Args) { a.SkipFinalSnapshot = true })
	require.NoError(t, err)
	assert.Empty(t, rec.ByType(tRandomID))
}

// dbConfig is one draw from the GlobalDatabase arg space.
type dbConfig struct {
	Name, Mode, Engine, Promoted string
	Regions                      []string
	Primary                      int
	Secondary                    *int
	PerRegion                    map[int]int
	SkipFinal, NoProtection      bool
}

// nameRunes are what names are drawn from: valid identifier characters and
// the ones Pulumi stack names add (capitals, "_", ".").
const nameRunes = "abcdefghijklmnopqrstuvwxyz0123456789----ABZ_."

// Generate implements quick.Generator.
func (dbConfig) Generate(r *rand.Rand, _ int) reflect.Value {
	all := slices.Sorted(maps.Keys(regions.Known))
	c := dbConfig{Mode: globaldatabase.Modes[r.Intn(len(globaldatabase.Modes))]}
	n := 1 + r.Intn(70)
	b := make([]byte, n)
	for i := range b {
		b[i] = nameRunes[r.Intn(len(nameRunes))]
	}
	if r.Intn(3) > 0 { // mostly names that start like an app name
		b[0] = 'a' + byte(r.Intn(26))
	}
	c.Name = string(b)
	count := 1
	if c.Mode != globaldatabase.ModeRDS {
		count = 2 + r.Intn(3)
	}
	for _, i := range r.Perm(len(all))[:count] {
		c.Regions = append(c.Regions, all[i])
	}
	if c.Mode == globaldatabase.ModeAuroraGlobal {
		c.Primary = 1 + r.Intn(globaldatabase.MaxInstances)
		if r.Intn(2) == 0 {
			s := r.Intn(globaldatabase.MaxInstances + 1)
			c.Secondary = &s
		}
		if r.Intn(3) == 0 {
			c.PerRegion = map[int]int{r.Intn(count): r.Intn(globaldatabase.MaxInstances) + 1}
		}
		if r.Intn(2) == 0 {
			c.Engine = globaldatabase.EngineAuroraMySQL
		}
	}
	if c.Mode == globaldatabase.ModeRDSReplica && r.Intn(2) == 0 {
		c.Promoted = c.Regions[1+r.Intn(count-1)]
	}
	c.SkipFinal = r.Intn(4) == 0
	c.NoProtection = r.Intn(4) == 0
	return reflect.ValueOf(c)
}

func (c dbConfig) tweak(a *globaldatabase.Args) {
	a.Mode, a.Engine, a.PromotedRegion = c.Mode, c.Engine, c.Promoted
	a.PrimaryInstances, a.SecondaryInstances = c.Primary, c.Secondary
	for i, n := range c.PerRegion {
		n := n
		if i == 0 {
			a.Primary.Instances = &n
		} else {
			a.Secondaries[i-1].Instances = &n
		}
	}
	a.SkipFinalSnapshot, a.DisableDeletionProtection = c.SkipFinal, c.NoProtection
}

// TestArgSpaceMeetsAWSLimits draws configs across the component's arg space
// (names up to 70 characters with the characters stack names allow, every known
// region, every mode, instance counts, promotion, opt-outs) and checks that
// every config Validate accepts builds only names and lifecycles AWS accepts.
func TestArgSpaceMeetsAWSLimits(t *testing.T) {
	t.Parallel()
	count := 150
	if testing.Short() {
		count = 30
	}
	built := 0
	check := func(c dbConfig) bool {
		var validateErr error
		rec, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
			args, err := argsOver(ctx, c.Regions)
			if err != nil {
				return err
			}
			c.tweak(args)
			if validateErr = globaldatabase.Validate(c.Name, args); validateErr != nil {
				return nil
			}
			_, err = globaldatabase.New(ctx, c.Name, args)
			return err
		})
		if validateErr != nil {
			return true
		}
		if err != nil {
			t.Errorf("Validate accepted %+v but New failed: %v", c, err)
			return false
		}
		built++
		if bad := checkLimits(rec, c.Mode, c.Promoted, c.SkipFinal); len(bad) > 0 {
			t.Errorf("%+v:\n  %s", c, strings.Join(bad, "\n  "))
			return false
		}
		return true
	}
	require.NoError(t, quick.Check(check, &quick.Config{MaxCount: count, Rand: rand.New(rand.NewSource(14))}))
	assert.Greater(t, built, count/2, "most drawn configs are valid and were built")
}
