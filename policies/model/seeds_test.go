package model_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/multiregion/multiregion/internal/synth"
	"github.com/multiregion/multiregion/stacks"
	"github.com/multiregion/multiregion/stacks/offline"
)

const stacksDir = "../../stacks"

// malformed are state files the reader must refuse, each with one line.
var malformed = map[string]string{
	"empty":               ``,
	"not json":            `not json`,
	"array":               `[]`,
	"deep array":          strings.Repeat("[", 1<<16),
	"deep in resource":    `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","type":"t","inputs":{"a":` + strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200) + `}}]}}`,
	"no deployment":       `{"version":3}`,
	"no version":          `{"deployment":{}}`,
	"float version":       `{"version":3.9,"deployment":{}}`,
	"string version":      `{"version":"3","deployment":{}}`,
	"deployment array":    `{"version":3,"deployment":[]}`,
	"resources object":    `{"version":3,"deployment":{"resources":{}}}`,
	"resource string":     `{"version":3,"deployment":{"resources":["x"]}}`,
	"no urn":              `{"version":3,"deployment":{"resources":[{"type":"t"}]}}`,
	"no type":             `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n"}]}}`,
	"numeric urn":         `{"version":3,"deployment":{"resources":[{"urn":5,"type":"t"}]}}`,
	"truncated":           `{"version":3,"deployment":{"resources":[{"urn":"x"`,
	"trailing":            `{"version":3,"deployment":{}} x`,
	"duplicate name":      `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n","type":"t","inputs":{"region":"eu-west-1","region":"us-east-1"}}]}}`,
	"bad plaintext":       `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n","type":"t","inputs":{"a":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","plaintext":"{"}}}]}}`,
	"pending ops object":  `{"version":3,"deployment":{"resources":[],"pending_operations":{}}}`,
	"pending op resource": `{"version":3,"deployment":{"resources":[],"pending_operations":[{"resource":"x","type":"creating"}]}}`,
	"pending op no urn":   `{"version":3,"deployment":{"resources":[],"pending_operations":[{"resource":{"type":"t"},"type":"creating"}]}}`,
	"huge number":         `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n","type":"t","inputs":{"a":1e999}}]}}`,
	"invalid utf-8":       "{\"version\":3,\"deployment\":{\"resources\":[{\"urn\":\"urn:pulumi:s::p::t::n\",\"type\":\"t\",\"inputs\":{\"a\":\"\xff\"}}]}}",
	"custom not a bool":   `{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:s::p::t::n","type":"t","custom":"yes"}]}}`,
	"duplicate version":   `{"version":3,"version":3,"deployment":{}}`,
	"duplicate resources": `{"version":3,"deployment":{"resources":[],"resources":[]}}`,
}

// signatures has every special value a state file can hold: the seven
// unknown sentinels, secrets (plaintext and encrypted, in inputs and outputs),
// output values (known, unknown, secret), a resource reference, a byte string.
const signatures = `{"version":3,"deployment":{"resources":[
 {"urn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::b","type":"aws:s3/bucketV2:BucketV2","custom":true,"delete":true,
  "inputs":{"b":"1c4a061d-8072-4f0a-a4cb-0ff528b18fe7","n":"3eeb2bf0-c639-47a8-9e75-3b44932eb421",
   "s":"04da6b54-80e4-46f7-96ec-b56ff0331ba9","a":["6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"],
   "asset":"030794c1-ac77-496b-92df-f27374a8bd58","archive":"e48ece36-62e2-4504-bad9-02848725956a",
   "o":{"x":"dd056dcd-154b-4c76-9bd3-c8f88648b5ff"},
   "plain":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","plaintext":"{\"k\":[1,\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"]}"},
   "enc":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":"AAAB"},
   "ref":{"4dabf18193072939515e22adb298388d":"5cf8f73096256a8f31e491e813e4eb8e","urn":"urn:x","id":"i"},
   "bytes":{"4dabf18193072939515e22adb298388d":"803fd3297a5875dc03ca845dda5d2a98","value":"aGk="}},
  "outputs":{"enc":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":"AAAB"},
   "plain":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","plaintext":"\"v\""},
   "known":{"4dabf18193072939515e22adb298388d":"d0e6a833031e9bbcd3f4e8bde6ca49a4","value":7},
   "unknown":{"4dabf18193072939515e22adb298388d":"d0e6a833031e9bbcd3f4e8bde6ca49a4"},
   "secretOut":{"4dabf18193072939515e22adb298388d":"d0e6a833031e9bbcd3f4e8bde6ca49a4","value":"x","secret":true}}}]}}`

var (
	seedsOnce sync.Once
	seedFiles map[string][]byte
	seedErr   error
)

// seeds returns valid state files: every stack's exported plan (the
// `plan --out-state` path), with a BOM and in `--show-secrets` form too, and a
// small synthetic deployment with plaintext secrets. Made at test time.
func seeds(tb testing.TB) map[string][]byte {
	tb.Helper()
	seedsOnce.Do(func() {
		seedFiles = map[string][]byte{}
		names, err := stacks.StackFiles(stacksDir)
		if err != nil || len(names) == 0 {
			seedErr = err
			return
		}
		for _, name := range names {
			f, err := stacks.ReadStackFile(filepath.Join(stacksDir, "Pulumi."+name+".yaml"))
			if err != nil {
				seedErr = err
				return
			}
			rec, _, err := offline.Render(name, f.Config, f.SecretKeys)
			if err != nil {
				seedErr = err
				return
			}
			dep, err := rec.Deployment(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				seedErr = err
				return
			}
			data, err := json.Marshal(dep)
			if err != nil {
				seedErr = err
				return
			}
			seedFiles["plan-"+name] = data
		}
		var buf bytes.Buffer
		if seedErr = synth.WriteState(&buf, synth.Deployment(60, 3)); seedErr != nil {
			return
		}
		seedFiles["synthetic"] = buf.Bytes()
		seedFiles["synthetic-bom"] = append([]byte{0xEF, 0xBB, 0xBF}, buf.Bytes()...)
		seedFiles["state-test"] = []byte(state)
		seedFiles["signatures"] = []byte(signatures)
	})
	if seedErr != nil {
		tb.Fatalf("cannot make the seed states: %v", seedErr)
	}
	if len(seedFiles) < 5 {
		tb.Fatalf("only %d seed states", len(seedFiles))
	}
	return seedFiles
}
