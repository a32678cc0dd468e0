package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/policies/model"
)

// checkAgainstOracle: when the reader accepts data, encoding/json +
// resource.NewPropertyMapFromMap (oracleParse) accepts it too and reads the
// same resources.
func checkAgainstOracle(t *testing.T, data []byte) {
	got, err := model.ParseState(data, nil)
	if err != nil {
		return
	}
	want, err := oracleParse(data)
	require.NoError(t, err, "the reader accepted what encoding/json refuses")
	require.Len(t, got.Resources, len(want))
	for i, w := range want {
		g := got.Resources[i]
		// location is not the tokenizer's business; compare what was read
		g2 := *g
		g2.Region, g2.RegionUnknown = "", ""
		assert.Equal(t, *w, g2, "resource %d (%s)", i, w.URN)
	}
}

func TestReaderAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	for name, data := range seeds(t) {
		t.Run(name, func(t *testing.T) {
			_, err := model.ParseState(data, nil)
			require.NoError(t, err)
			want, err := oracleParse(data)
			require.NoError(t, err)
			require.NotEmpty(t, want)
			checkAgainstOracle(t, data)
		})
	}
	for name, data := range malformed {
		t.Run(name, func(t *testing.T) {
			_, err := model.ParseState([]byte(data), nil)
			assert.Error(t, err, "malformed input is refused")
		})
	}
}
