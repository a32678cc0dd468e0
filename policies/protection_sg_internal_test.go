package policies

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func prefixes(cidrs ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(cidrs))
	for i, c := range cidrs {
		out[i] = netip.MustParsePrefix(c)
	}
	return out
}

func TestPublicAddresses(t *testing.T) {
	t.Parallel()
	// 2^32 minus the special-purpose ranges of RFC 6890, multicast and 240/4.
	const publicIPv4 = 3702258688
	cases := []struct {
		name   string
		cidrs  []string
		v4, v6 float64
	}{
		{"the whole internet", []string{"0.0.0.0/0"}, publicIPv4, 0},
		{"halves", []string{"0.0.0.0/1", "128.0.0.0/1"}, publicIPv4, 0},
		{"overlapping and duplicate", []string{"0.0.0.0/0", "0.0.0.0/0", "8.8.8.0/24"}, publicIPv4, 0},
		{"private only", []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}, 0, 0},
		{"host bits set", []string{"81.2.69.7/24"}, 256, 0},
		{"one address", []string{"81.2.69.7/32"}, 1, 0},
		{"adjacent halves of a /16", []string{"81.0.0.0/17", "81.0.128.0/17"}, 65536, 0},
		{"ipv6 everything", []string{"::/0"}, 0, 0x1p125},
		{"ipv6 unique local", []string{"fc00::/7"}, 0, 0},
		{"ipv6 one site", []string{"2a01:4f8:1::/48"}, 0, 0x1p80},
		{"ipv6 top half", []string{"8000::/1"}, 0, 0},
		{"ipv6 small span high up", []string{"2a01:4f8:ffff:ffff:ffff:ffff:f000:0/100"}, 0, 0x1p28},
		{"ipv6 one address", []string{"2a01:4f8::1/128"}, 0, 1},
		{"ipv6 global unicast in two", []string{"2000::/4", "3000::/4"}, 0, 0x1p125},
	}
	for _, tc := range cases {
		v4, v6 := publicAddresses(prefixes(tc.cidrs...))
		assert.Equal(t, tc.v4, v4, tc.name)
		assert.Equal(t, tc.v6, v6, tc.name)
	}
	assert.False(t, openToInternet(prefixes("81.0.0.0/16")), "a /16 is the limit")
	assert.True(t, openToInternet(prefixes("81.0.0.0/16", "82.0.0.0/32")), "one more address is over it")
	assert.False(t, openToInternet(prefixes("2a01:4f8:1::/48")))
	assert.True(t, openToInternet(prefixes("2a01:4f8::/47")))
}
