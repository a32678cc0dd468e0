package globaldatabase_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/mockengine"
)

func keyARN(region string) string {
	return "arn:aws:kms:" + region + ":123456789012:key/key-" + region
}

// run builds a GlobalDatabase over regions (first = primary), each region on its
// own provider with fake subnets, security group and key.
func run(t *testing.T, regions []string, tweak func(*globaldatabase.Args)) (*mockengine.Recorder, *globaldatabase.GlobalDatabase, error) {
	t.Helper()
	var db *globaldatabase.GlobalDatabase
	rec, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		var list []globaldatabase.Region
		for _, region := range regions {
			p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return err
			}
			list = append(list, globaldatabase.Region{
				Region:          region,
				Provider:        p,
				SubnetIDs:       pulumi.ToStringArray([]string{"subnet-" + region + "-a", "subnet-" + region + "-b"}),
				SecurityGroupID: pulumi.String("sg-" + region),
				KMSKeyARN:       pulumi.String(keyARN(region)),
			})
		}
		args := &globaldatabase.Args{Mode: globaldatabase.ModeRDS, Primary: list[0], Secondaries: list[1:]}
		if tweak != nil {
			tweak(args)
		}
		var err error
		db, err = globaldatabase.New(ctx, "appdb", args)
		return err
	})
	return rec, db, err
}

// countByRegion counts resources of typ per region.
func countByRegion(rec *mockengine.Recorder, typ string) map[string]int {
	out := map[string]int{}
	for _, r := range rec.ByType(typ) {
		out[r.Region]++
	}
	return out
}

const (
	tInstance  = "aws:rds/instance:Instance"
	tCluster   = "aws:rds/cluster:Cluster"
	tClusterI  = "aws:rds/clusterInstance:ClusterInstance"
	tGlobal    = "aws:rds/globalCluster:GlobalCluster"
	tSubnets   = "aws:rds/subnetGroup:SubnetGroup"
	tSecret    = "aws:secretsmanager/secret:Secret"
	tSecretVer = "aws:secretsmanager/secretVersion:SecretVersion"
	tTable     = "aws:dynamodb/table:Table"
	tPassword  = "random:index/randomPassword:RandomPassword"
)

func TestRDSSingleRegion(t *testing.T) {
	t.Parallel()
	rec, db, err := run(t, []string{"us-east-1"}, func(a *globaldatabase.Args) { a.MultiAZ = true })
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"us-east-1": 1}, countByRegion(rec, tInstance))
	assert.Equal(t, map[string]int{"us-east-1": 1}, countByRegion(rec, tSubnets))
	assert.Empty(t, rec.ByType(tCluster))
	inst := rec.ByType(tInstance)[0]
	assert.Equal(t, "postgres", props.String(inst.Inputs, "engine"))
	multiAZ, _ := props.Bool(inst.Inputs, "multiAz")
	assert.True(t, multiAZ)
	assert.Equal(t, keyARN("us-east-1"), props.String(inst.Inputs, "kmsKeyId"))
	assert.Equal(t, []string{"us-east-1"}, db.DataRegions)
	secret := rec.ByType(tSecret)[0]
	assert.Empty(t, props.Array(secret.Inputs, "replicas"))
}

func TestRDSReplicaPointsAtSourceWithDestinationKey(t *testing.T) {
	t.Parallel()
	regions := []string{"us-east-1", "us-west-2", "eu-west-1"}
	rec, db, err := run(t, regions, func(a *globaldatabase.Args) { a.Mode = globaldatabase.ModeRDSReplica })
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"us-east-1": 1, "us-west-2": 1, "eu-west-1": 1}, countByRegion(rec, tInstance))
	assert.Equal(t, map[string]int{"us-east-1": 1, "us-west-2": 1, "eu-west-1": 1}, countByRegion(rec, tSubnets))

	primary := rec.Find(tInstance, "appdb-db-us-east-1")
	require.NotNil(t, primary)
	primaryARN := props.String(primary.Outputs, "arn")
	require.True(t, strings.HasPrefix(primaryARN, "arn:aws:rds:us-east-1:"), primaryARN)
	retention, _ := props.Number(primary.Inputs, "backupRetentionPeriod")
	assert.Equal(t, 7.0, retention, "a replication source needs backups")

	for _, region := range regions[1:] {
		replica := rec.Find(tInstance, "appdb-db-"+region)
		require.NotNil(t, replica, region)
		assert.Equal(t, region, replica.Region)
		assert.Equal(t, primaryARN, props.String(replica.Inputs, "replicateSourceDb"), "source ARN")
		assert.Equal(t, keyARN(region), props.String(replica.Inputs, "kmsKeyId"), "destination region's key")
		subnets := rec.Find(tSubnets, "appdb-subnets-"+region)
		require.NotNil(t, subnets)
		assert.Equal(t, region, subnets.Region)
		assert.Equal(t, props.String(subnets.Outputs, "name"), props.String(replica.Inputs, "dbSubnetGroupName"))
		assert.Empty(t, props.String(replica.Inputs, "username"), "replicas inherit credentials")
		assert.Empty(t, props.String(replica.Inputs, "password"))
	}
	assert.Equal(t, regions, db.DataRegions)
	assert.Equal(t, "us-east-1", db.WriterRegion)

	secret := rec.ByType(tSecret)[0]
	assert.Equal(t, "us-east-1", secret.Region)
	var replicaRegions []string
	for i, r := range props.Array(secret.Inputs, "replicas") {
		region := props.String(r.ObjectValue(), "region")
		replicaRegions = append(replicaRegions, region)
		assert.Equal(t, keyARN(region), props.String(secret.Inputs, "replicas["+string(rune('0'+i))+"].kmsKeyId"))
	}
	assert.Equal(t, regions[1:], replicaRegions)
}

func TestRDSReplicaPromotion(t *testing.T) {
	t.Parallel()
	rec, db, err := run(t, []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeRDSReplica
		a.PromotedRegion = "us-west-2"
	})
	require.NoError(t, err)
	replica := rec.Find(tInstance, "appdb-db-us-west-2")
	require.NotNil(t, replica)
	_, hasSource := props.Get(replica.Inputs, "replicateSourceDb")
	assert.False(t, hasSource, "promotion detaches the replica")
	assert.Equal(t, keyARN("us-west-2"), props.String(replica.Inputs, "kmsKeyId"))
	assert.Equal(t, "us-west-2", db.WriterRegion)
}

func TestAuroraGlobal(t *testing.T) {
	t.Parallel()
	regions := []string{"eu-central-1", "eu-west-1"}
	rec, db, err := run(t, regions, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeAuroraGlobal
		a.PrimaryInstances = 3
		a.WriteForwarding = true
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"eu-central-1": 1}, countByRegion(rec, tGlobal))
	assert.Equal(t, map[string]int{"eu-central-1": 1, "eu-west-1": 1}, countByRegion(rec, tCluster))
	assert.Equal(t, map[string]int{"eu-central-1": 3, "eu-west-1": 1}, countByRegion(rec, tClusterI))
	assert.Empty(t, rec.ByType(tInstance))

	global := rec.ByType(tGlobal)[0]
	assert.Equal(t, "aurora-postgresql", props.String(global.Inputs, "engine"))
	primary := rec.Find(tCluster, "appdb-cluster-eu-central-1")
	secondary := rec.Find(tCluster, "appdb-cluster-eu-west-1")
	require.NotNil(t, primary)
	require.NotNil(t, secondary)
	for _, c := range []*mockengine.Resource{primary, secondary} {
		assert.Equal(t, global.ID, props.String(c.Inputs, "globalClusterIdentifier"), c.Name)
		assert.Equal(t, keyARN(c.Region), props.String(c.Inputs, "kmsKeyId"), c.Name)
		assert.ElementsMatch(t, []string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion"}, c.IgnoreChanges, c.Name)
		enc, _ := props.Bool(c.Inputs, "storageEncrypted")
		assert.True(t, enc)
	}
	assert.Equal(t, "eu-west-1", secondary.Region)
	assert.Empty(t, props.String(secondary.Inputs, "masterUsername"), "secondaries have no credentials")
	_, hasPassword := props.Get(secondary.Inputs, "masterPassword")
	assert.False(t, hasPassword)
	fwd, _ := props.Bool(secondary.Inputs, "enableGlobalWriteForwarding")
	assert.True(t, fwd)
	_, primaryFwd := props.Get(primary.Inputs, "enableGlobalWriteForwarding")
	assert.False(t, primaryFwd)
	assert.Subset(t, secondary.Dependencies, []string{rec.Find(tClusterI, "appdb-instance-eu-central-1-1").URN},
		"the secondary joins after the primary has a writer")
	for _, inst := range rec.ByType(tClusterI) {
		assert.Contains(t, inst.IgnoreChanges, "engineVersion")
		pub, _ := props.Bool(inst.Inputs, "publiclyAccessible")
		assert.False(t, pub)
	}
	assert.Equal(t, regions, db.DataRegions)
	assert.Equal(t, 5432, db.Port)
}

func TestAuroraHeadlessSecondaryAndMySQL(t *testing.T) {
	t.Parallel()
	zero := 0
	rec, db, err := run(t, []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) {
		a.Mode = globaldatabase.ModeAuroraGlobal
		a.Engine = globaldatabase.EngineAuroraMySQL
		a.SecondaryInstances = &zero
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"us-east-1": 2}, countByRegion(rec, tClusterI))
	assert.Equal(t, map[string]int{"us-east-1": 1, "us-west-2": 1}, countByRegion(rec, tCluster))
	assert.Equal(t, 3306, db.Port)
	assert.Equal(t, globaldatabase.DefaultAuroraMySQLVersion, props.String(rec.ByType(tGlobal)[0].Inputs, "engineVersion"))
}

func TestDynamoDBGlobal(t *testing.T) {
	t.Parallel()
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-1"}
	rec, db, err := run(t, regions, func(a *globaldatabase.Args) { a.Mode = globaldatabase.ModeDynamoDBGlobal })
	require.NoError(t, err)
	require.Len(t, rec.ByType(tTable), 1)
	assert.Empty(t, rec.ByType(tSecret), "DynamoDB has no password")
	assert.Empty(t, rec.ByType(tPassword))
	table := rec.ByType(tTable)[0]
	assert.Equal(t, "us-east-1", table.Region)
	assert.Equal(t, keyARN("us-east-1"), props.String(table.Inputs, "serverSideEncryption.kmsKeyArn"))
	pitr, _ := props.Bool(table.Inputs, "pointInTimeRecovery.enabled")
	assert.True(t, pitr)
	var got []string
	for _, r := range props.Array(table.Inputs, "replicas") {
		m := r.ObjectValue()
		region := props.String(m, "regionName")
		got = append(got, region)
		assert.Equal(t, keyARN(region), props.String(m, "kmsKeyArn"))
		pitr, _ := props.Bool(m, "pointInTimeRecovery")
		assert.True(t, pitr, region)
	}
	assert.Equal(t, regions[1:], got)
	assert.Equal(t, regions, db.DataRegions)
	dp, _ := props.Bool(table.Inputs, "deletionProtectionEnabled")
	assert.True(t, dp)
	assert.True(t, table.Protect)
}

func TestEveryResourceInItsRegion(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{globaldatabase.ModeRDSReplica, globaldatabase.ModeAuroraGlobal, globaldatabase.ModeDynamoDBGlobal} {
		rec, _, err := run(t, []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) { a.Mode = mode })
		require.NoError(t, err, mode)
		checked := 0
		for _, r := range rec.Resources() {
			if !strings.HasPrefix(r.Type, "aws:") {
				continue
			}
			checked++
			want := "us-east-1"
			if strings.Contains(r.Name, "us-west-2") {
				want = "us-west-2"
			}
			assert.Equal(t, want, r.Region, "%s %s %s", mode, r.Type, r.Name)
			assert.Contains(t, r.ProviderURN(), "aws-"+want, "%s %s: explicit provider", mode, r.Name)
			if r.Type != globaldatabase.TypeToken {
				assert.NotEmpty(t, rec.Ancestors(r), r.Name)
			}
		}
		require.NotZero(t, checked, "%s: no AWS resource was built, so none was checked", mode)
	}
}

func TestDeletionProtectionAndFinalSnapshotByDefault(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{globaldatabase.ModeRDS, globaldatabase.ModeRDSReplica, globaldatabase.ModeAuroraGlobal} {
		regions := []string{"us-east-1", "us-west-2"}
		if mode == globaldatabase.ModeRDS {
			regions = regions[:1]
		}
		rec, _, err := run(t, regions, func(a *globaldatabase.Args) { a.Mode = mode })
		require.NoError(t, err)
		checked := 0
		for _, typ := range []string{tInstance, tCluster, tGlobal} {
			for _, r := range rec.ByType(typ) {
				checked++
				dp, _ := props.Bool(r.Inputs, "deletionProtection")
				assert.True(t, dp, "%s %s deletion protection", mode, r.Name)
				assert.True(t, r.Protect, "%s %s protected in Pulumi", mode, r.Name)
				if typ == tGlobal {
					continue
				}
				skip, _ := props.Bool(r.Inputs, "skipFinalSnapshot")
				final := props.String(r.Inputs, "finalSnapshotIdentifier")
				if mode == globaldatabase.ModeRDSReplica && r.Region != "us-east-1" {
					assert.True(t, skip, "%s: a read replica cannot take a final snapshot", r.Name)
					assert.Empty(t, final, r.Name)
				} else {
					assert.False(t, skip)
					assert.Regexp(t, `^appdb-`+r.Region+`-final-[0-9a-f]{8}$`, final)
				}
				pub, _ := props.Bool(r.Inputs, "publiclyAccessible")
				assert.False(t, pub)
				enc, _ := props.Bool(r.Inputs, "storageEncrypted")
				assert.True(t, enc)
				ret, _ := props.Number(r.Inputs, "backupRetentionPeriod")
				assert.Equal(t, 7.0, ret)
			}
		}
		want := map[string]int{globaldatabase.ModeRDS: 1, globaldatabase.ModeRDSReplica: 2, globaldatabase.ModeAuroraGlobal: 3}[mode]
		require.Equal(t, want, checked, "%s: database instances, clusters and global clusters checked", mode)
	}
	// opting out (dev)
	rec, _, err := run(t, []string{"us-east-1"}, func(a *globaldatabase.Args) {
		a.DisableDeletionProtection, a.SkipFinalSnapshot = true, true
	})
	require.NoError(t, err)
	inst := rec.ByType(tInstance)[0]
	dp, _ := props.Bool(inst.Inputs, "deletionProtection")
	skip, _ := props.Bool(inst.Inputs, "skipFinalSnapshot")
	assert.False(t, dp)
	assert.True(t, skip)
	assert.False(t, inst.Protect)
	_, hasFinal := props.Get(inst.Inputs, "finalSnapshotIdentifier")
	assert.False(t, hasFinal)
}

// findPlain returns the paths where want appears as a non-secret string.
func findPlain(v resource.PropertyValue, path, want string, out *[]string) {
	switch {
	case v.IsSecret():
		return
	case v.IsString():
		if strings.Contains(v.StringValue(), want) {
			*out = append(*out, path)
		}
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			findPlain(e, path+"["+string(rune('0'+i))+"]", want, out)
		}
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			findPlain(e, path+"."+string(k), want, out)
		}
	case v.IsOutput() && !v.OutputValue().Secret:
		findPlain(v.OutputValue().Element, path, want, out)
	}
}

func TestPasswordNeverInPlainInputs(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{globaldatabase.ModeRDSReplica, globaldatabase.ModeAuroraGlobal} {
		rec, _, err := run(t, []string{"us-east-1", "us-west-2"}, func(a *globaldatabase.Args) { a.Mode = mode })
		require.NoError(t, err)
		pws := rec.ByType(tPassword)
		require.Len(t, pws, 1)
		password := props.String(pws[0].Outputs, "result")
		require.NotEmpty(t, password)
		assert.True(t, props.IsSecret(pws[0].Outputs, "result"))

		for _, r := range rec.Resources() {
			var leaks []string
			findPlain(resource.NewObjectProperty(r.Inputs), r.Name, password, &leaks)
			assert.Empty(t, leaks, "%s: password in clear text", mode)
		}
		field := "password"
		typ := tInstance
		name := "appdb-db-us-east-1"
		if mode == globaldatabase.ModeAuroraGlobal {
			field, typ, name = "masterPassword", tCluster, "appdb-cluster-us-east-1"
		}
		db := rec.Find(typ, name)
		require.NotNil(t, db)
		assert.True(t, props.IsSecret(db.Inputs, field), "%s %s is secret", name, field)
		assert.Equal(t, password, props.String(db.Inputs, field))
		ver := rec.ByType(tSecretVer)[0]
		assert.True(t, props.IsSecret(ver.Inputs, "secretString"))
		assert.Contains(t, props.String(ver.Inputs, "secretString"), password)
	}
}

func TestCallerPasswordStaysSecret(t *testing.T) {
	t.Parallel()
	rec, _, err := run(t, []string{"us-east-1"}, func(a *globaldatabase.Args) {
		a.MasterPassword = pulumi.String("from-config-not-marked-secret")
	})
	require.NoError(t, err)
	assert.Empty(t, rec.ByType(tPassword), "no generated password when one is given")
	inst := rec.ByType(tInstance)[0]
	assert.True(t, props.IsSecret(inst.Inputs, "password"))
	for _, r := range rec.Resources() {
		var leaks []string
		findPlain(resource.NewObjectProperty(r.Inputs), r.Name, "from-config-not-marked-secret", &leaks)
		assert.Empty(t, leaks)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	two := []string{"us-east-1", "us-west-2"}
	one := []string{"us-east-1"}
	seventeen := 17
	cases := []struct {
		name    string
		regions []string
		tweak   func(*globaldatabase.Args)
		want    []string
	}{
		{"unknown mode", one, func(a *globaldatabase.Args) { a.Mode = "spanner" }, []string{`Mode: unknown value "spanner"`}},
		{"rds with secondaries", two, nil, []string{`Secondaries: mode "rds" is single-region`}},
		{"replica without secondaries", one, func(a *globaldatabase.Args) { a.Mode = globaldatabase.ModeRDSReplica }, []string{`Secondaries: mode "rds-replica" copies data to other regions`}},
		{"primary as secondary", two, func(a *globaldatabase.Args) {
			a.Mode = globaldatabase.ModeAuroraGlobal
			a.Secondaries[0].Region = "us-east-1"
		}, []string{`Secondaries[0].Region: "us-east-1" is the primary region`}},
		{"missing subnets and key", two, func(a *globaldatabase.Args) {
			a.Mode = globaldatabase.ModeRDSReplica
			a.Secondaries[0].SubnetIDs = nil
			a.Secondaries[0].KMSKeyARN = nil
		}, []string{"Secondaries[0].SubnetIDs: is required", "Secondaries[0].KMSKeyARN: is required"}},
		{"missing provider", two, func(a *globaldatabase.Args) {
			a.Mode = globaldatabase.ModeAuroraGlobal
			a.Secondaries[0].Provider = nil
		}, []string{"Secondaries[0].Provider: is required"}},
		{"instance count", two, func(a *globaldatabase.Args) {
			a.Mode = globaldatabase.ModeAuroraGlobal
			a.SecondaryInstances = &seventeen
		}, []string{"SecondaryInstances: 17 is out of range: use a value from 0 to 16"}},
		{"counts outside aurora", one, func(a *globaldatabase.Args) { a.PrimaryInstances = 2 }, []string{"instance counts are only for aurora-global"}},
		{"engine for mode", one, func(a *globaldatabase.Args) { a.Engine = "aurora-mysql" }, []string{`Engine: "aurora-mysql" is not supported by mode "rds"`}},
		{"aurora engine", two, func(a *globaldatabase.Args) {
			a.Mode, a.Engine = globaldatabase.ModeAuroraGlobal, "postgres"
		}, []string{`Engine: "postgres" is not supported by mode "aurora-global"`}},
		{"burstable global", two, func(a *globaldatabase.Args) {
			a.Mode, a.InstanceClass = globaldatabase.ModeAuroraGlobal, "db.t4g.medium"
		}, []string{"Aurora Global Database needs db.r5 or larger"}},
		{"promote outside replica", two, func(a *globaldatabase.Args) {
			a.Mode, a.PromotedRegion = globaldatabase.ModeAuroraGlobal, "us-west-2"
		}, []string{"PromotedRegion: is only for rds-replica"}},
		{"promote unknown", two, func(a *globaldatabase.Args) {
			a.Mode, a.PromotedRegion = globaldatabase.ModeRDSReplica, "eu-west-1"
		}, []string{`PromotedRegion: "eu-west-1" is not a secondary region`}},
		{"retention", one, func(a *globaldatabase.Args) { a.BackupRetentionDays = 40 }, []string{"BackupRetentionDays: 40 is out of range"}},
		{"reserved user", one, func(a *globaldatabase.Args) { a.MasterUsername = "admin" }, []string{`MasterUsername: "admin" is reserved`}},
		{"write forwarding", two, func(a *globaldatabase.Args) {
			a.Mode, a.WriteForwarding = globaldatabase.ModeRDSReplica, true
		}, []string{"WriteForwarding: is only for aurora-global"}},
		{"dynamodb class", two, func(a *globaldatabase.Args) {
			a.Mode, a.InstanceClass = globaldatabase.ModeDynamoDBGlobal, "db.r6g.large"
		}, []string{"DynamoDB has no instances"}},
		{"bad region", one, func(a *globaldatabase.Args) { a.Primary.Region = "Virginia" }, []string{`Primary.Region: "Virginia" is not an AWS region name`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, _, err := run(t, tc.regions, tc.tweak)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			// The program ran: the test's providers are registered, and nothing else.
			require.Len(t, rec.Resources(), len(tc.regions))
			for _, r := range rec.Resources() {
				assert.True(t, strings.HasPrefix(r.Type, "pulumi:providers:"), "nothing but the test's providers registered, got %s", r.Type)
			}
		})
	}
}

func TestObjectives(t *testing.T) {
	t.Parallel()
	aurora, err := globaldatabase.ObjectivesFor(globaldatabase.ModeAuroraGlobal)
	require.NoError(t, err)
	assert.NoError(t, aurora.Meets(5*time.Second, 5*time.Minute))
	assert.NoError(t, aurora.Meets(0, 0), "no targets declared")
	replica, err := globaldatabase.ObjectivesFor(globaldatabase.ModeRDSReplica)
	require.NoError(t, err)
	err = replica.Meets(time.Second, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `mode "rds-replica" has RPO ~1m0s, above the declared 1s`)
	err = replica.Meets(0, 5*time.Minute)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "RTO")
	ddb, err := globaldatabase.ObjectivesFor(globaldatabase.ModeDynamoDBGlobal)
	require.NoError(t, err)
	assert.True(t, ddb.CrossRegion)
	assert.NoError(t, ddb.Meets(time.Second, time.Second))
	rds, err := globaldatabase.ObjectivesFor(globaldatabase.ModeRDS)
	require.NoError(t, err)
	assert.False(t, rds.CrossRegion)
	assert.Error(t, rds.Meets(time.Hour, time.Hour))
	_, err = globaldatabase.ObjectivesFor("nope")
	assert.Error(t, err)
}

func TestWriterEndpointIsTheGlobalEndpoint(t *testing.T) {
	t.Parallel()
	got := make(chan map[string]any, 1)
	_, err := mockengine.Run("multiregion", "test", nil, func(ctx *pulumi.Context) error {
		var regions []globaldatabase.Region
		for _, r := range []string{"us-east-1", "us-west-2"} {
			p, err := aws.NewProvider(ctx, "aws-"+r, &aws.ProviderArgs{Region: pulumi.String(r)})
			if err != nil {
				return err
			}
			regions = append(regions, globaldatabase.Region{Region: r, Provider: p,
				SubnetIDs: pulumi.ToStringArray([]string{"s1"}), SecurityGroupID: pulumi.String("sg"), KMSKeyARN: pulumi.String(keyARN(r))})
		}
		db, err := globaldatabase.New(ctx, "appdb", &globaldatabase.Args{Mode: globaldatabase.ModeAuroraGlobal,
			Primary: regions[0], Secondaries: regions[1:]})
		if err != nil {
			return err
		}
		pulumi.All(db.WriterEndpoint, db.ReaderEndpoints, db.SecretARN).ApplyT(func(v []any) error {
			got <- map[string]any{"writer": v[0], "readers": v[1], "secret": v[2]}
			return nil
		})
		return nil
	})
	require.NoError(t, err)
	g := <-got
	assert.Contains(t, g["writer"], ".global.rds.amazonaws.com")
	readers := g["readers"].(map[string]string)
	assert.Contains(t, readers["us-west-2"], ".cluster-ro-")
	assert.Contains(t, readers["us-west-2"], ".us-west-2.rds.amazonaws.com")
	assert.Contains(t, g["secret"], "arn:aws:secretsmanager:us-east-1:")
}
