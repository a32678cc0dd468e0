package mockengine

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// CloudflareIPv4 and CloudflareIPv6 are the ranges Cloudflare publishes for its
// proxies (https://www.cloudflare.com/ips-v4 and /ips-v6, as listed in 2025),
// the answer the mock gives cloudflare.GetIpRanges. A real run reads them from
// Cloudflare's API through the provider.
var (
	CloudflareIPv4 = []string{
		"103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "104.16.0.0/13", "104.24.0.0/14",
		"108.162.192.0/18", "131.0.72.0/22", "141.101.64.0/18", "162.158.0.0/15", "172.64.0.0/13",
		"173.245.48.0/20", "188.114.96.0/20", "190.93.240.0/20", "197.234.240.0/22", "198.41.128.0/17",
	}
	CloudflareIPv6 = []string{
		"2400:cb00::/32", "2405:8100::/32", "2405:b500::/32", "2606:4700::/32",
		"2803:f800::/32", "2a06:98c0::/29", "2c0f:f248::/32",
	}
)

// cloudflareIPRanges answers cloudflare:index/getIpRanges:getIpRanges.
func cloudflareIPRanges() resource.PropertyMap {
	list := func(s []string) resource.PropertyValue {
		out := make([]resource.PropertyValue, len(s))
		for i, v := range s {
			out[i] = resource.NewProperty(v)
		}
		return resource.NewProperty(out)
	}
	all := append(append([]string(nil), CloudflareIPv4...), CloudflareIPv6...)
	return resource.PropertyMap{
		"id":                  resource.NewProperty("cloudflare-ip-ranges"),
		"cidrBlocks":          list(all),
		"ipv4CidrBlocks":      list(CloudflareIPv4),
		"ipv6CidrBlocks":      list(CloudflareIPv6),
		"chinaIpv4CidrBlocks": list(nil),
		"chinaIpv6CidrBlocks": list(nil),
	}
}
