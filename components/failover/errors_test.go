package failover_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/multiregion/multiregion/components/failover"
	"github.com/multiregion/multiregion/validation"
)

// TestValidationErrors pins the rendered text and reads the same problem as a
// *validation.Error.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	args := baseArgs("aws", "us-east-1", "us-east-1", nil, nil)
	args.PeriodSeconds = 90
	err := failover.Validate("orders-failover", args)
	require.Error(t, err)
	assert.Equal(t, `failover "orders-failover": Standby.Region: "us-east-1" is the primary region: a plan switches between two different regions
failover "orders-failover": Standby.Provider: is required: pass the standby region's AWS provider (the detection must live outside the region it watches)
failover "orders-failover": PeriodSeconds: 90: a canary runs every whole number of minutes: use 60, 120, ... up to 3600`, err.Error())
	var p *validation.Error
	require.True(t, errors.As(err, &p))
	assert.Equal(t, validation.Error{Component: `failover "orders-failover"`, Key: "Standby.Region",
		Problem: `"us-east-1" is the primary region`, Fix: "a plan switches between two different regions"}, *p)
}
