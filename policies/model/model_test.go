package model_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

const state = `{"version": 3, "deployment": {"manifest": {"time": "2026-11-25T00:00:00Z", "magic": "", "version": ""},
 "resources": [
  {"urn": "urn:pulumi:prod::app::pulumi:pulumi:Stack::app-prod", "custom": false, "type": "pulumi:pulumi:Stack"},
  {"urn": "urn:pulumi:prod::app::pulumi:providers:aws::aws-eu", "custom": true, "id": "p1", "type": "pulumi:providers:aws",
   "inputs": {"region": "eu-west-1"}, "parent": "urn:pulumi:prod::app::pulumi:pulumi:Stack::app-prod"},
  {"urn": "urn:pulumi:prod::app::pulumi:providers:aws::default_6_83_4", "custom": true, "id": "p2", "type": "pulumi:providers:aws",
   "inputs": {}},
  {"urn": "urn:pulumi:prod::app::aws:rds/instance:Instance::db", "custom": true, "id": "db-1", "type": "aws:rds/instance:Instance",
   "provider": "urn:pulumi:prod::app::pulumi:providers:aws::aws-eu::p1",
   "inputs": {"password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "AAAB"},
              "username": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"admin\""},
              "kmsKeyId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "allocatedStorage": 20},
   "outputs": {"arn": "arn:aws:rds:eu-west-1:1:db:db"}},
  {"urn": "urn:pulumi:prod::app::aws:s3/bucketV2:BucketV2::logs", "custom": true, "type": "aws:s3/bucketV2:BucketV2",
   "provider": "urn:pulumi:prod::app::pulumi:providers:aws::default_6_83_4::p2"},
  {"urn": "urn:pulumi:prod::app::aws:route53/record:Record::www", "custom": true, "type": "aws:route53/record:Record",
   "provider": "urn:pulumi:prod::app::pulumi:providers:aws::aws-eu::p1"},
  {"urn": "urn:pulumi:prod::app::aws:s3/bucketV2:BucketV2::gone", "custom": true, "delete": true, "type": "aws:s3/bucketV2:BucketV2"}
 ]}}`

func TestReadState(t *testing.T) {
	t.Parallel()
	d, err := model.ReadState(strings.NewReader(state), map[string]string{"aws:region": "us-east-2"})
	require.NoError(t, err)
	assert.Equal(t, "prod", d.Stack.Name)
	assert.Equal(t, "app", d.Stack.Project)
	require.Len(t, d.Resources, 6, "without the root stack, with the resource pending deletion")
	assert.True(t, d.Final, "a state file is a deployed state")
	byName := map[string]*model.Resource{}
	for _, r := range d.Resources {
		byName[r.Name] = r
	}
	db := byName["db"]
	assert.Equal(t, "eu-west-1", db.Region, "from its provider")
	assert.Equal(t, "urn:pulumi:prod::app::pulumi:providers:aws::aws-eu", db.Provider)
	assert.True(t, props.IsSecret(db.Inputs, "password"))
	assert.True(t, props.IsUnknown(db.Inputs, "password"), "an encrypted secret's value is unknown here")
	assert.Equal(t, "admin", props.String(db.Inputs, "username"), "a plaintext secret is readable")
	assert.True(t, props.IsUnknown(db.Inputs, "kmsKeyId"))
	assert.Equal(t, "arn:aws:rds:eu-west-1:1:db:db", props.String(db.State(), "arn"))
	assert.Equal(t, "us-east-2", byName["logs"].Region, "a default provider without a region: the stack's aws:region")
	assert.Equal(t, "", byName["www"].Region, "Route 53 is global")
	assert.Equal(t, "", byName["aws-eu"].Parent, "the root stack is not a parent")
	gone := byName["gone"]
	require.NotNil(t, gone, "a resource pending deletion still exists")
	assert.True(t, gone.Delete)
	assert.False(t, byName["logs"].Delete)
}

func TestReadStateErrors(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`not json`:                         "not a Pulumi deployment",
		`{}`:                               "no \"version\" and \"deployment\" fields",
		`{"version": 2, "deployment": {}}`: "deployment version 2 is not supported",
		`{"version": 3, "deployment": {"resources": [{"urn": "bad", "type": "x"}]}}`: `invalid URN "bad"`,
		`{"version": 3, "deployment": {"resources": 5}}`:                             `"resources" is a number, not an array (at byte 43)`,
		`{"version": 3, "deployment": {"resources": [{"urn": "x"`:                    "resource 0: unexpected end of the file (truncated?) (at byte 55)",
		`{"version": 3, "deployment": {}} trailing`:                                  "unexpected data after the deployment",
	} {
		_, err := model.ReadState(strings.NewReader(in), nil)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want)
		var se *model.StateError
		assert.ErrorAs(t, err, &se)
	}
}

func TestRegionOfARN(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "eu-west-1", model.RegionOfARN("arn:aws:rds:eu-west-1:1:db:x"))
	assert.Equal(t, "", model.RegionOfARN("arn:aws:s3:::bucket"))
	assert.Equal(t, "", model.RegionOfARN("nope"))
}

func TestReadStateValues(t *testing.T) {
	t.Parallel()
	in := `{"version":3,"deployment":{"manifest":{"time":"x"},"resources":[
	 {"urn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::b","type":"aws:s3/bucketV2:BucketV2","custom":true,
	  "inputs":{"s":"a\"b\\c\n\u00e9\ud83d\ude00\/","n":-1.5e3,"t":true,"f":false,"z":null,"a":[],"o":{},
	            "ref":{"4dabf18193072939515e22adb298388d":"5cf8f73096256a8f31e491e813e4eb8e","urn":"urn:x"},
	            "out":{"4dabf18193072939515e22adb298388d":"d0e6a833031e9bbcd3f4e8bde6ca49a4","value":7}}}]}}`
	d, err := model.ReadState(strings.NewReader(in), nil)
	require.NoError(t, err)
	m := d.Resources[0].Inputs
	assert.Equal(t, "a\"b\\c\n\u00e9\U0001F600/", props.String(m, "s"))
	n, _ := props.Number(m, "n")
	assert.Equal(t, -1500.0, n)
	b, _ := props.Bool(m, "t")
	assert.True(t, b)
	assert.Equal(t, "urn:x", props.String(m, "ref"))
	o, _ := props.Number(m, "out")
	assert.Equal(t, 7.0, o)
	_, ok := props.Get(m, "z")
	assert.False(t, ok)
	assert.Empty(t, props.Array(m, "a"))
}

// TestReadStateHiddenRegions: a provider region in `--show-secrets` form is
// read; an encrypted or unknown one makes the location unknown, never the
// stack's region.
func TestReadStateHiddenRegions(t *testing.T) {
	t.Parallel()
	in := `{"version":3,"deployment":{"resources":[
	 {"urn":"urn:pulumi:s::p::pulumi:providers:aws::plain","type":"pulumi:providers:aws","custom":true,"id":"1",
	  "inputs":{"region":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","plaintext":"\"eu-west-1\""}}},
	 {"urn":"urn:pulumi:s::p::pulumi:providers:aws::enc","type":"pulumi:providers:aws","custom":true,"id":"2",
	  "inputs":{"region":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":"AAAB"}}},
	 {"urn":"urn:pulumi:s::p::pulumi:providers:aws::unk","type":"pulumi:providers:aws","custom":true,"id":"3",
	  "inputs":{"region":"04da6b54-80e4-46f7-96ec-b56ff0331ba9"}},
	 {"urn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::a","type":"aws:s3/bucketV2:BucketV2","custom":true,
	  "provider":"urn:pulumi:s::p::pulumi:providers:aws::plain::1"},
	 {"urn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::b","type":"aws:s3/bucketV2:BucketV2","custom":true,
	  "provider":"urn:pulumi:s::p::pulumi:providers:aws::enc::2"},
	 {"urn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::c","type":"aws:s3/bucketV2:BucketV2","custom":true,
	  "provider":"urn:pulumi:s::p::pulumi:providers:aws::unk::3"}]}}`
	d, err := model.ParseState([]byte(in), map[string]string{"aws:region": "us-east-1"})
	require.NoError(t, err)
	byName := map[string]*model.Resource{}
	for _, r := range d.Resources {
		byName[r.Name] = r
	}
	require.Len(t, byName, 6)
	assert.Equal(t, "eu-west-1", byName["a"].Region)
	assert.True(t, props.IsSecret(byName["plain"].Inputs, "region"), "a plaintext secret stays secret")
	for name, why := range map[string]string{"b": "--show-secrets", "c": "not known yet"} {
		assert.Empty(t, byName[name].Region, name)
		assert.Contains(t, byName[name].RegionUnknown, why, name)
	}
}

// TestSignatures: all seven unknown sentinels are unknowns; secrets keep
// their flag in inputs and outputs.
func TestSignatures(t *testing.T) {
	t.Parallel()
	d, err := model.ParseState([]byte(signatures), nil)
	require.NoError(t, err)
	require.Len(t, d.Resources, 1)
	r := d.Resources[0]
	assert.True(t, r.Delete)
	for _, p := range []string{"b", "n", "s", "a", "asset", "archive", "o"} {
		path := p
		if p == "o" {
			path = "o.x"
		}
		if p == "a" {
			path = "a[0]"
		}
		assert.True(t, props.IsUnknown(r.Inputs, path), path)
	}
	for _, m := range []resource.PropertyMap{r.Inputs, r.Outputs} {
		assert.True(t, props.IsSecret(m, "enc"))
		assert.True(t, props.IsUnknown(m, "enc"))
		assert.True(t, props.IsSecret(m, "plain"))
	}
	assert.True(t, props.IsUnknown(r.Inputs, "plain.k[1]"), "a sentinel inside a plaintext secret")
	assert.Equal(t, "v", props.String(r.Outputs, "plain"))
	assert.True(t, props.IsSecret(r.Outputs, "secretOut"), "an output value's secret flag")
	assert.True(t, props.IsUnknown(r.Outputs, "unknown"))
	n, _ := props.Number(r.Outputs, "known")
	assert.Equal(t, 7.0, n)
	assert.Equal(t, "urn:x", props.String(r.Inputs, "ref"))
	assert.Equal(t, "hi", props.String(r.Inputs, "bytes"))
}

// TestMalformedStates: each malformed file is one line that says what is
// wrong and where.
func TestMalformedStates(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"empty":               "unexpected end of the file",
		"not json":            "invalid JSON: invalid character",
		"array":               "the file is an array, not a JSON object",
		"deep array":          "the file is an array, not a JSON object",
		"deep in resource":    "resource 0: nesting deeper than 128 levels (at byte",
		"no deployment":       `no "deployment" field`,
		"no version":          `no "version" field`,
		"float version":       `"version" is 3.9, not the integer 3 (at byte 11)`,
		"string version":      `"version" is a string, not the integer 3`,
		"deployment array":    `"deployment" is an array, not an object (at byte 26)`,
		"resources object":    `"resources" is an object, not an array`,
		"resource string":     "resource 0 is a string, not an object",
		"no urn":              `resource 0: it has no "urn"`,
		"no type":             `resource 0: it has no "type"`,
		"numeric urn":         `resource 0: "urn" is a number, not a string`,
		"truncated":           "unexpected end of the file",
		"trailing":            "unexpected data after the deployment",
		"duplicate name":      `resource 0: invalid JSON: duplicate object member name "region"`,
		"bad plaintext":       "resource 0: a secret's plaintext is not one JSON value",
		"huge number":         "resource 0: number 1e999 is out of range",
		"invalid utf-8":       "resource 0: invalid JSON: invalid UTF-8",
		"custom not a bool":   `resource 0: "custom" is a string, not a boolean`,
		"duplicate version":   `duplicate "version" (at byte 23)`,
		"duplicate resources": `duplicate "resources" (at byte 54)`,
		"pending ops object":  `"pending_operations" is an object, not an array`,
		"pending op resource": `pending operation 0: pending operation 0's resource is a string, not an object`,
		"pending op no urn":   `resource 0: it has no "urn" (resources after the 0 of "resources" are those of "pending_operations")`,
	}
	require.Len(t, want, len(malformed))
	for name, in := range malformed {
		_, err := model.ParseState([]byte(in), nil)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), want[name], name)
		assert.NotContains(t, err.Error(), "\n", name)
		assert.NotContains(t, err.Error(), "jsontext", name)
	}
}

// TestLongInputStaysOneShortLine: a message quoting the input is abbreviated.
func TestLongInputStaysOneShortLine(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", 1<<20)
	for _, in := range []string{
		`{"version":` + long + `,"deployment":{}}`,
		`{"version":3,"deployment":{"resources":[{"urn":"` + long + `","type":"t"}]}}`,
	} {
		_, err := model.ParseState([]byte(in), nil)
		require.Error(t, err)
		assert.Less(t, len(err.Error()), 400)
		assert.Contains(t, err.Error(), "(1048576 bytes)")
	}
}
