package globaldatabase_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/internal/resourcetest"
	"github.com/multiregion/multiregion/mockengine"
)

// recorded returns the URNs of the resources of typ in region.
func recorded(rec *mockengine.Recorder, typ, region string) []string {
	var out []string
	for _, r := range rec.ByType(typ) {
		if r.Region == region {
			out = append(out, r.URN)
		}
	}
	return out
}

// TestChildrenAreExported: in each mode the exported children are the
// resources the component registered, per region.
func TestChildrenAreExported(t *testing.T) {
	t.Parallel()
	regions := []string{"us-east-1", "us-west-2"}

	rec, db, err := run(t, regions, func(a *globaldatabase.Args) { a.Mode = globaldatabase.ModeRDSReplica })
	require.NoError(t, err)
	require.Len(t, db.Instances, 2)
	for _, r := range regions {
		assert.Equal(t, recorded(rec, tInstance, r), []string{resourcetest.URN(t, db.Instances[r])}, r)
	}
	assert.Nil(t, db.GlobalCluster)
	assert.Nil(t, db.Table)
	require.NotNil(t, db.Secret)
	assert.Equal(t, recorded(rec, tSecret, "us-east-1"), []string{resourcetest.URN(t, db.Secret)})

	rec, db, err = run(t, regions, func(a *globaldatabase.Args) { a.Mode = globaldatabase.ModeAuroraGlobal })
	require.NoError(t, err)
	require.NotNil(t, db.GlobalCluster)
	assert.Equal(t, recorded(rec, tGlobal, "us-east-1"), []string{resourcetest.URN(t, db.GlobalCluster)})
	require.Len(t, db.Clusters, 2)
	assert.Empty(t, db.Instances)
	for _, r := range regions {
		assert.Equal(t, recorded(rec, tCluster, r), []string{resourcetest.URN(t, db.Clusters[r])}, r)
		var got []string
		for _, inst := range db.ClusterInstances[r] {
			got = append(got, resourcetest.URN(t, inst))
		}
		require.NotEmpty(t, got, "%s: exported cluster instances", r)
		assert.ElementsMatch(t, recorded(rec, tClusterI, r), got, r)
	}
	assert.Len(t, db.ClusterInstances["us-east-1"], globaldatabase.DefaultPrimaryInstances)

	rec, db, err = run(t, regions, func(a *globaldatabase.Args) { a.Mode = globaldatabase.ModeDynamoDBGlobal })
	require.NoError(t, err)
	require.NotNil(t, db.Table)
	assert.Equal(t, recorded(rec, tTable, "us-east-1"), []string{resourcetest.URN(t, db.Table)})
	assert.Nil(t, db.Secret)
	assert.Nil(t, db.Clusters)
	var none map[string]*rds.Instance
	assert.Equal(t, none, db.Instances)
}
