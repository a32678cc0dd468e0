package model_test

import (
	"strings"
	"testing"

	"github.com/multiregion/multiregion/policies/model"
)

// FuzzParseState: no input makes the state reader panic or overflow the
// stack; every refusal is one line; whatever it accepts, encoding/json +
// resource.NewPropertyMapFromMap accepts too and reads the same. Seeded with
// every stack's exported plan (made at test time) and the malformed corpus;
// crashers found are kept in testdata/fuzz/FuzzParseState.
func FuzzParseState(f *testing.F) {
	for _, data := range seeds(f) {
		f.Add(data)
	}
	for _, data := range malformed {
		f.Add([]byte(data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := model.ParseState(data, map[string]string{"aws:region": "us-east-1"})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a refusal of more than one line: %q", err)
			}
			return
		}
		checkAgainstOracle(t, data)
	})
}
