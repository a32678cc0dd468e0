package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/components/globaldatabase"
	"github.com/multiregion/multiregion/components/regionalstack"
	"github.com/multiregion/multiregion/internal/argcheck"
)

// Edge values (issue 14 point 15). encoding/json and Go's zero values hide
// three things a user can write: an explicit 0 or "" (indistinguishable from a
// missing field once decoded, so it would silently become the default), null
// (likewise), and a field given twice (the last one silently wins). strictValue
// reads the raw JSON of a key and reports each of them, and every negative
// number, as a problem naming the key. Where an explicit zero has a meaning it
// is listed in zeroMeans (and documented in the README's config reference); an
// empty string is refused except where emptyAllowed says it is a value.

// zeroMeans lists the numeric keys where an explicit 0 is a value, with its
// meaning. "*" stands for any map key (a region).
var zeroMeans = map[string]string{
	"rpoSeconds":                  "no recovery point target",
	"rtoSeconds":                  "no recovery time target",
	"app.standbyCount":            "checked by RegionalStack, which refuses it with the reason",
	"database.secondaryInstances": "a headless Aurora secondary (storage only)",
	"database.regionInstances.*":  "a headless Aurora cluster in that region",
	"dns.weights.*":               "no traffic to that region while another has weight (Route 53 weighted routing)",
}

// zeroHints say what to use instead of an explicit 0 where a key has a range.
var zeroHints = map[string]string{
	"budgetUSD":                    "0 would fail every plan that costs anything: set the monthly limit in USD, or remove the key to report cost only",
	"network.azCount":              fmt.Sprintf("use %d to %d zones, or remove the key for the default %d", regionalstack.MinAZCount, regionalstack.MaxAZCount, regionalstack.DefaultAZCount),
	"app.cpu":                      fmt.Sprintf("use a Fargate CPU size (%s), or remove the key for the default %d", strings.Join(argcheck.Ints(regionalstack.CPUValues()...), ", "), regionalstack.DefaultCPU),
	"app.memory":                   "use a Fargate memory size for the CPU, or remove the key for the default",
	"app.port":                     fmt.Sprintf("use a port from 1 to 65535, or remove the key for the default %d", regionalstack.DefaultPort),
	"app.desiredCount":             "an active region needs a task to serve: use 1 to maxCount, or remove the key for the default",
	"app.minCount":                 "an active region at 0 tasks fails its health check and CPU autoscaling never starts one again: use 1 to maxCount, or remove the key for the default",
	"app.maxCount":                 fmt.Sprintf("use 1 to %d, or remove the key for the default %d", regionalstack.MaxTasks, regionalstack.DefaultMaxCount),
	"app.cpuTargetPercent":         fmt.Sprintf("use %d to %d, or remove the key for the default %d", regionalstack.MinCPUTargetPercent, regionalstack.MaxCPUTargetPercent, regionalstack.DefaultCPUTargetPercent),
	"app.logRetentionDays":         fmt.Sprintf("0 (CloudWatch's never expire) is not offered, so logs cannot grow without bound: use a CloudWatch retention such as %d or %d, or remove the key for the default %d", regionalstack.DefaultLogRetentionDays, slices.Max(regionalstack.LogRetentionDaysValues()), regionalstack.DefaultLogRetentionDays),
	"database.storageGB":           fmt.Sprintf("set the expected data size in GB, or remove the key for the default %d", DefaultStorageGB),
	"database.backupRetentionDays": fmt.Sprintf("0 turns automated backups off, which cross-region replicas and point-in-time recovery need: use 1 to %d, or remove the key for the default %d", globaldatabase.MaxBackupRetentionDays, globaldatabase.DefaultBackupRetentionDays),
	"users.*":                      "a location without users is left out: remove it (the shares of the others must sum to 1)",
}

// emptyAllowed lists the string keys where "" is a value.
var emptyAllowed = map[string]bool{"app.environment.*": true, "tags.*": true}

// strictProblem is one edge-value problem: the key (without namespace), what
// is wrong and the fix.
type strictProblem struct{ key, msg, fix string }

// strictValue checks the raw value of key (without namespace). isString keys
// are plain text; the others are JSON. Malformed JSON is left to decode.
func strictValue(key, raw string, isString bool) []strictProblem {
	if isString {
		if strings.TrimSpace(raw) == "" {
			return []strictProblem{{key, "is empty", "set a value, or remove the key for the default"}}
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	var out []strictProblem
	if err := walk(dec, key, key, &out); err != nil {
		return nil
	}
	return out
}

// pattern turns a concrete path into its rule key: map entries under the
// region- or name-keyed maps become "*".
func pattern(path string) string {
	for _, m := range []string{"network.vpcCidrs.", "app.certificateArns.", "app.environment.", "tags.",
		"database.regionInstances.", "dns.weights.", "dns.geo.", "users."} {
		if strings.HasPrefix(path, m) {
			return m + "*"
		}
	}
	return path
}

func walk(dec *json.Decoder, path, rule string, out *[]strictProblem) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				child := path + "." + k
				if seen[k] {
					*out = append(*out, strictProblem{child, "is given twice", "keep one (JSON would silently take the last)"})
				}
				seen[k] = true
				if err := walk(dec, child, pattern(child), out); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walk(dec, fmt.Sprintf("%s[%d]", path, i), rule+"[]", out); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // the closing delimiter
		return err
	case nil:
		*out = append(*out, strictProblem{path, "is null", "set a value, or remove the key for the default"})
	case string:
		if v == "" && !emptyAllowed[rule] {
			*out = append(*out, strictProblem{path, "is empty", "set a value, or remove the key for the default"})
		}
	case json.Number:
		f, err := v.Float64()
		switch {
		case err != nil:
			// too large for a number: decode reports it against the key
		case f < 0:
			*out = append(*out, strictProblem{path, fmt.Sprintf("%s is negative", v), "see the README's config reference for the range"})
		case f == 0:
			if _, ok := zeroMeans[rule]; ok {
				break
			}
			hint := zeroHints[rule]
			if hint == "" {
				hint = "remove the key for the default, or see the README's config reference for the range"
			}
			*out = append(*out, strictProblem{path, "0 is not accepted", hint})
		}
	}
	return nil
}
