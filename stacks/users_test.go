package stacks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/stacks"
)

// multiregion:users: known locations, shares in (0, 1], summing to 1; every
// error names the key (down to the location) and the fix.
func TestUsers(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{`{"NA":0.6,"EU":0.3,"AS":0.1}`, `{"US":1}`, `{"DE":0.3333,"FR":0.3333,"GB":0.3334}`} {
		c, err := stacks.Load("test", with(minimal(), "multiregion:users", ok))
		require.NoError(t, err, ok)
		assert.NotEmpty(t, c.Latency().Users)
	}
	for value, want := range map[string]string{
		`{"NA":0.6,"EU":0.3}`:          "multiregion:users: shares sum to 0.9: they must sum to 1 (within 0.001)",
		`{"NA":0.6,"EU":0.6}`:          "multiregion:users: shares sum to 1.2",
		`{"na":1}`:                     `multiregion:users.na: "na" is not a known location: codes are upper case, use "NA"`,
		`{"AN":1}`:                     `multiregion:users.AN: "AN" is not a known location: use a continent (AF, AS, EU, NA, OC, SA)`,
		`{"NA":1.5}`:                   "multiregion:users.NA: 1.5 is not a share: use a number above 0 and at most 1",
		`{"NA":0,"EU":1}`:              "multiregion:users.NA: 0 is not accepted: a location without users is left out",
		`{"NA":-0.5,"EU":1.5}`:         "multiregion:users.NA: -0.5 is negative",
		`{"NA":0.5,"NA":0.5}`:          "multiregion:users.NA: is given twice",
		`{"NA":null,"EU":1}`:           "multiregion:users.NA: is null",
		`{}`:                           "multiregion:users: is empty: give each location's share of users",
		`{"NA":"half","EU":0.5}`:       "multiregion:users",
		`["NA"]`:                       "multiregion:users: expected",
		`{"NA":0.5,"EU":0.5} trailing`: "multiregion:users: expected one object of numbers",
	} {
		assert.Contains(t, refused(t, with(minimal(), "multiregion:users", value)), want, value)
	}
	// Absent: fine, and the report says it needs the key.
	c, err := stacks.Load("test", minimal())
	require.NoError(t, err)
	assert.Nil(t, c.Latency().Users)
}
