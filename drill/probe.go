package drill

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// DNSAnswer is what a resolver answered for a name.
type DNSAnswer struct {
	// Addrs are the IPv4 addresses at the end of the answer.
	Addrs []string
	// CNAMEs are the names the answer went through (lower case, no trailing dot).
	CNAMEs []string
}

// DNSProber looks up a name's addresses.
type DNSProber interface {
	// Lookup returns the answer for name. An error that is a timeout satisfies
	// IsTimeout.
	Lookup(ctx context.Context, name string) (DNSAnswer, error)
}

// HTTPResult is one GET of the health endpoint.
type HTTPResult struct {
	// Status is the response's status code (0 when none came).
	Status int
	// RemoteIP is the address the request connected to ("" when it did not connect).
	RemoteIP string
}

// HTTPProber GETs a URL once, on a fresh connection.
type HTTPProber interface {
	// Get returns what url answered. An error that is a timeout satisfies IsTimeout;
	// the result still carries the connected address when there was one.
	Get(ctx context.Context, url string) (HTTPResult, error)
}

// IsTimeout reports whether err means "no answer in time".
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// Resolver is a DNSProber asking one DNS server directly (UDP, then TCP when the
// answer is truncated), so that every probe sees that server's current answer.
type Resolver struct {
	// Server is HOST:PORT of the DNS server.
	Server string
	// Timeout bounds one query (default 2s).
	Timeout time.Duration
}

// SystemResolver returns a Resolver on the system's first name server
// (/etc/resolv.conf).
func SystemResolver() (*Resolver, error) {
	cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(cc.Servers) == 0 {
		return nil, fmt.Errorf("no system name server in /etc/resolv.conf (%v): pass --resolver HOST:PORT", err)
	}
	return &Resolver{Server: net.JoinHostPort(cc.Servers[0], cc.Port)}, nil
}

// Lookup implements DNSProber: an A query, following the CNAMEs in the answer.
func (r *Resolver) Lookup(ctx context.Context, name string) (DNSAnswer, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	m.RecursionDesired = true
	c := &dns.Client{Timeout: timeout}
	in, _, err := c.ExchangeContext(ctx, m, r.Server)
	if err == nil && in.Truncated {
		c.Net = "tcp"
		in, _, err = c.ExchangeContext(ctx, m, r.Server)
	}
	if err != nil {
		return DNSAnswer{}, fmt.Errorf("DNS %s from %s: %w", name, r.Server, err)
	}
	if in.Rcode != dns.RcodeSuccess {
		return DNSAnswer{}, fmt.Errorf("DNS %s from %s: %s", name, r.Server, dns.RcodeToString[in.Rcode])
	}
	var a DNSAnswer
	for _, rr := range in.Answer {
		switch v := rr.(type) {
		case *dns.A:
			a.Addrs = append(a.Addrs, v.A.String())
		case *dns.CNAME:
			a.CNAMEs = append(a.CNAMEs, canonical(v.Target))
		}
	}
	if len(a.Addrs) == 0 {
		return a, fmt.Errorf("DNS %s from %s: no A record in the answer", name, r.Server)
	}
	return a, nil
}

// HTTPClient is an HTTPProber: one GET per probe on a fresh connection (no
// keep-alive, so every probe resolves the name again and follows DNS like a new
// user would), redirects not followed (a redirect is not a healthy answer).
type HTTPClient struct {
	client *http.Client
}

// NewHTTPClient returns an HTTPClient resolving names with resolver (nil: the
// system's) and giving up on a request after timeout.
func NewHTTPClient(resolver DNSProber, timeout time.Duration) *HTTPClient {
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{
		DisableKeepAlives: true,
		Proxy:             nil, // a proxy would hide which region answered
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil || resolver == nil || net.ParseIP(host) != nil {
				return dialer.DialContext(ctx, network, addr)
			}
			ans, err := resolver.Lookup(ctx, host)
			if err != nil {
				return nil, err
			}
			var errs []error
			for _, ip := range ans.Addrs {
				conn, err := dialer.DialContext(ctx, network, net.JoinHostPort(ip, port))
				if err == nil {
					return conn, nil
				}
				errs = append(errs, err)
			}
			return nil, errors.Join(errs...)
		},
	}
	return &HTTPClient{client: &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Get implements HTTPProber.
func (h *HTTPClient) Get(ctx context.Context, url string) (HTTPResult, error) {
	var res HTTPResult
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if host, _, err := net.SplitHostPort(info.Conn.RemoteAddr().String()); err == nil {
			res.RemoteIP = host
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, url, nil)
	if err != nil {
		return res, err
	}
	req.Header.Set("User-Agent", "multiregion-drill")
	resp, err := h.client.Do(req)
	if err != nil {
		return res, err
	}
	_ = resp.Body.Close()
	res.Status = resp.StatusCode
	return res, nil
}

// classifier maps answers to the stack's regions: by CNAME to a load balancer's
// DNS name, or by address (the addresses the load balancers' names resolve to).
type classifier struct {
	byName map[string]string
	byAddr map[string]string
}

func canonical(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

// newClassifier builds the maps; an address two regions share is left out, so it
// classifies as unknown rather than as either.
func newClassifier(lbNames map[string]string, lbAddrs map[string][]string) *classifier {
	c := &classifier{byName: map[string]string{}, byAddr: map[string]string{}}
	for region, name := range lbNames {
		c.byName[canonical(name)] = region
	}
	shared := map[string]bool{}
	for region, addrs := range lbAddrs {
		for _, a := range addrs {
			if r, ok := c.byAddr[a]; ok && r != region {
				shared[a] = true
			}
			c.byAddr[a] = region
		}
	}
	for a := range shared {
		delete(c.byAddr, a)
	}
	return c
}

// dns classifies a DNS answer: a CNAME to a load balancer names its region;
// otherwise each address is looked up.
func (c *classifier) dns(a DNSAnswer) (regions []string, unknown bool) {
	for _, name := range a.CNAMEs {
		if r, ok := c.byName[name]; ok {
			return []string{r}, false
		}
	}
	for _, addr := range a.Addrs {
		r, ok := c.byAddr[addr]
		if !ok {
			unknown = true
			continue
		}
		if !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	slices.Sort(regions)
	return regions, unknown
}

// addr classifies one connected address.
func (c *classifier) addr(ip string) (regions []string, unknown bool) {
	if r, ok := c.byAddr[ip]; ok {
		return []string{r}, false
	}
	return nil, true
}
