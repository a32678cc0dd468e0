package policies

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

// Security groups are judged by the address space their ingress rules open,
// in every form a rule can take: inline `ingress` of aws.ec2.SecurityGroup and
// aws.ec2.DefaultSecurityGroup, aws.ec2.SecurityGroupRule (type ingress) and
// aws.vpc.SecurityGroupIngressRule.
//
// The rule: for each security group and each database port, take the union of
// every range granted to that port by any of the group's rules (inline and
// standalone, IPv4 and IPv6 CIDRs, and the entries of managed prefix lists
// defined in the deployment). The port is open to the internet when that union
// holds more than OpenIPv4Addresses public IPv4 addresses or more than
// OpenIPv6Addresses public IPv6 addresses. "Public" leaves out private and
// special-purpose space (RFC 6890), so 0.0.0.0/0, 0.0.0.0/1 + 128.0.0.0/1,
// "everything but 10/8, 172.16/12 and 192.168/16", ::/0 or 2000::/3 all count,
// as does any split into smaller ranges; an office /24 does not.
//
// A rule whose addresses, ports, protocol or prefix list cannot be read
// (unknown, an encrypted secret, an unparseable CIDR, a prefix list not
// defined in the deployment) and that may reach a database port makes the
// group "cannot verify" unless the readable rules already open it.

// Thresholds of "open to the internet".
const (
	// OpenIPv4Addresses: more public IPv4 addresses than a /16 (65,536). A
	// company's own ranges are far smaller; whole ISPs or clouds are larger.
	OpenIPv4Addresses = 1 << 16
	// OpenIPv6Addresses: more public IPv6 addresses than a /48, the usual
	// allocation of one site (RFC 6177).
	OpenIPv6Addresses = 1 << 80
)

// nonPublicIPv4 is private and special-purpose IPv4 space (IANA IPv4
// Special-Purpose Address Registry, RFC 6890; multicast RFC 5771; reserved
// 240.0.0.0/4 RFC 1112), which is not reachable from the internet.
var nonPublicIPv4 = mergeSpans(prefixSpans(
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
	"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
	"203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"))

// publicIPv6 is the global unicast space (RFC 4291 2.4, IANA IPv6 address
// space registry), the only IPv6 space routed on the internet.
var publicIPv6 = prefixSpans("2000::/3")

// u128 is an address as a 128-bit number (IPv4 in the low 32 bits).
type u128 struct{ hi, lo uint64 }

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func (a u128) next() u128 {
	if a.lo == ^uint64(0) {
		return u128{a.hi + 1, 0}
	}
	return u128{a.hi, a.lo + 1}
}

// span is the inclusive address range [lo, hi] of one family.
type span struct{ lo, hi u128 }

// size is the number of addresses in the span, as a float: the difference is
// taken in 128-bit integers, so a small span high in the IPv6 space keeps its
// size (the conversion rounds only beyond 53 significant bits).
func (s span) size() float64 {
	lo := s.hi.lo - s.lo.lo
	borrow := uint64(0)
	if s.hi.lo < s.lo.lo {
		borrow = 1
	}
	hi := s.hi.hi - s.lo.hi - borrow
	return float64(hi)*0x1p64 + float64(lo) + 1
}

func addrNum(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{0, uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])}
	}
	b := a.As16()
	var n u128
	for i := 0; i < 8; i++ {
		n.hi = n.hi<<8 | uint64(b[i])
		n.lo = n.lo<<8 | uint64(b[8+i])
	}
	return n
}

// prefixSpan returns the addresses a prefix covers (host bits ignored, as
// AWS applies the network the prefix names).
func prefixSpan(p netip.Prefix) span {
	lo := addrNum(p.Masked().Addr())
	host := p.Addr().BitLen() - p.Bits()
	var mask u128
	switch {
	case host >= 128:
		mask = u128{^uint64(0), ^uint64(0)}
	case host >= 64:
		mask = u128{1<<(host-64) - 1, ^uint64(0)}
	default:
		mask = u128{0, 1<<host - 1}
	}
	return span{lo, u128{lo.hi | mask.hi, lo.lo | mask.lo}}
}

func prefixSpans(cidrs ...string) []span {
	out := make([]span, 0, len(cidrs))
	for _, c := range cidrs {
		out = append(out, prefixSpan(netip.MustParsePrefix(c)))
	}
	return out
}

// mergeSpans sorts spans and merges overlapping and adjacent ones.
func mergeSpans(in []span) []span {
	s := slices.Clone(in)
	sort.Slice(s, func(i, j int) bool { return s[i].lo.less(s[j].lo) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if !last.hi.less(x.lo) || last.hi.next() == x.lo {
				if last.hi.less(x.hi) {
					last.hi = x.hi
				}
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// overlap returns the number of addresses two merged span lists share.
func overlap(a, b []span) float64 {
	total := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := a[i].lo, a[i].hi
		if lo.less(b[j].lo) {
			lo = b[j].lo
		}
		if b[j].hi.less(hi) {
			hi = b[j].hi
		}
		if !hi.less(lo) {
			total += span{lo, hi}.size()
		}
		if a[i].hi.less(b[j].hi) {
			i++
		} else {
			j++
		}
	}
	return total
}

// publicAddresses counts the public IPv4 and IPv6 addresses in a set of prefixes.
func publicAddresses(prefixes []netip.Prefix) (v4, v6 float64) {
	var s4, s6 []span
	for _, p := range prefixes {
		if p.Addr().Is4() {
			s4 = append(s4, prefixSpan(p))
		} else {
			s6 = append(s6, prefixSpan(p))
		}
	}
	s4, s6 = mergeSpans(s4), mergeSpans(s6)
	for _, s := range s4 {
		v4 += s.size()
	}
	v4 -= overlap(s4, nonPublicIPv4)
	v6 = overlap(s6, publicIPv6)
	return v4, v6
}

// openToInternet reports whether prefixes together open more public address
// space than the thresholds allow.
func openToInternet(prefixes []netip.Prefix) bool {
	v4, v6 := publicAddresses(prefixes)
	return v4 > OpenIPv4Addresses || v6 > OpenIPv6Addresses
}

// grant is one ingress rule: who grants it, to which ports, from which addresses.
type grant struct {
	urn, name  string // the resource the rule belongs to
	index      int    // the rule's index in the resource's inline ingress, -1 for a rule resource
	allPorts   bool
	from, to   float64
	noPorts    bool   // a protocol without ports (ICMP, ...): reaches no database port
	portDoubt  string // why the ports cannot be read ("" when they can)
	prefixes   []netip.Prefix
	texts      []string // the ranges as written, for messages
	addrDoubts []string // why some addresses cannot be read
}

// at names a property of the rule for messages (built only when one is needed).
func (g *grant) at(k string) string {
	if g.index < 0 {
		return k
	}
	return fmt.Sprintf("ingress[%d].%s", g.index, k)
}

func (g *grant) covers(port float64) bool {
	return !g.noPorts && g.portDoubt == "" && (g.allPorts || (g.from <= port && port <= g.to))
}

// public reports whether the grant opens any public address (or may).
func (g *grant) public() bool {
	if len(g.addrDoubts) > 0 {
		return true
	}
	v4, v6 := publicAddresses(g.prefixes)
	return v4 > 0 || v6 > 0
}

// ruleKeys are the property names of one form of rule.
type ruleKeys struct {
	protocol string
	cidrs    []string // lists or single strings of CIDRs
	lists    []string // prefix list IDs (a list or a single string)
}

var (
	inlineKeys = ruleKeys{"protocol", []string{"cidrBlocks", "ipv6CidrBlocks"}, []string{"prefixListIds"}}
	vpcKeys    = ruleKeys{"ipProtocol", []string{"cidrIpv4", "cidrIpv6"}, []string{"prefixListId"}}
)

// readGrant reads one rule, m (an inline ingress entry at index, or a rule
// resource's properties with index -1).
func readGrant(r *model.Resource, m resource.PropertyMap, index int, keys ruleKeys, lists map[string]*prefixList) *grant {
	g := &grant{urn: r.URN, name: r.Name, index: index}
	g.readPorts(m, keys.protocol)
	for _, k := range keys.cidrs {
		g.readCIDRs(m, k)
	}
	for _, k := range keys.lists {
		if lists == nil {
			break // the per-resource phase: prefix lists are judged with the deployment
		}
		for _, id := range g.readStrings(m, k) {
			pl, ok := lists[id]
			if !ok {
				g.addrDoubts = append(g.addrDoubts, fmt.Sprintf("prefix list %s (%s) is not defined in this deployment, so its entries cannot be read", id, g.at(k)))
				continue
			}
			g.prefixes = append(g.prefixes, pl.prefixes...)
			g.addrDoubts = append(g.addrDoubts, pl.doubts...)
			g.texts = append(g.texts, id)
		}
	}
	return g
}

// readPorts reads the protocol and port range. Protocol "-1"/"all" opens
// every port; tcp/udp (6/17) the range fromPort..toPort; other protocols
// (icmp, icmpv6, numbers) no TCP or UDP port.
func (g *grant) readPorts(m resource.PropertyMap, protocolKey string) {
	proto, st := props.LookupString(m, protocolKey)
	if st == props.Malformed { // a protocol number given as a number
		if n, ok := props.Number(m, protocolKey); ok {
			proto, st = strconv.FormatFloat(n, 'f', -1, 64), props.Known
		}
	}
	switch {
	case st == props.Pending:
		g.portDoubt = g.at(protocolKey) + " is not known"
		return
	case st != props.Known || proto == "":
		g.portDoubt = g.at(protocolKey) + " is missing or not a protocol"
		return
	}
	if c := proto[0]; c >= '0' && c <= '9' {
		if n, err := strconv.Atoi(proto); err == nil {
			proto = strconv.Itoa(n) // "06" and "6" are the same protocol
		}
	}
	switch strings.ToLower(proto) {
	case "-1", "all":
		g.allPorts = true
		return
	case "tcp", "6", "udp", "17":
	default:
		g.noPorts = true
		return
	}
	var ok bool
	if g.from, ok = g.port(m, "fromPort", 0); !ok {
		return
	}
	if g.to, ok = g.port(m, "toPort", 65535); ok && g.from > g.to {
		// no port lies in an empty range: AWS refuses it, so a state that
		// holds one says nothing reliable about what is open
		g.portDoubt = fmt.Sprintf("%s (%g) is above %s (%g)", g.at("fromPort"), g.from, g.at("toPort"), g.to)
	}
}

// port reads a port bound; a negative value means every port (as for -1).
func (g *grant) port(m resource.PropertyMap, key string, every float64) (float64, bool) {
	v, st := props.LookupNumber(m, key)
	switch st {
	case props.Known:
		if v < 0 {
			return every, true
		}
		return v, true
	case props.Pending:
		g.portDoubt = g.at(key) + " is not known"
	default:
		g.portDoubt = g.at(key) + " is " + st.String()
	}
	return 0, false
}

// readStrings reads a list of strings or a single string at key, recording
// what cannot be read as doubts.
func (g *grant) readStrings(m resource.PropertyMap, key string) []string {
	if props.IsUnknown(m, key) {
		g.addrDoubts = append(g.addrDoubts, g.at(key)+" is not known (unknown or an encrypted secret)")
		return nil
	}
	v, ok := props.Get(m, key)
	if !ok {
		return nil
	}
	if v.IsString() {
		return []string{v.StringValue()}
	}
	if !v.IsArray() {
		g.addrDoubts = append(g.addrDoubts, g.at(key)+" is neither a list nor a string")
		return nil
	}
	var out []string
	for i, e := range v.ArrayValue() {
		switch e = props.Unwrap(e); {
		case props.Unknown(e):
			g.addrDoubts = append(g.addrDoubts, fmt.Sprintf("%s[%d] is not known (unknown or an encrypted secret)", g.at(key), i))
		case e.IsString():
			out = append(out, e.StringValue())
		case e.IsNull():
		default:
			g.addrDoubts = append(g.addrDoubts, fmt.Sprintf("%s[%d] is not a string", g.at(key), i))
		}
	}
	return out
}

func (g *grant) readCIDRs(m resource.PropertyMap, key string) {
	for _, c := range g.readStrings(m, key) {
		if pf, err := netip.ParsePrefix(c); err == nil {
			g.prefixes = append(g.prefixes, pf)
			g.texts = append(g.texts, c)
		} else {
			g.addrDoubts = append(g.addrDoubts, fmt.Sprintf("%s holds %q, which is not a CIDR block", g.at(key), c))
		}
	}
}

// prefixList is a managed prefix list defined in the deployment.
type prefixList struct {
	prefixes []netip.Prefix
	doubts   []string
}

// prefixLists reads the managed prefix lists (and their separate entries) of
// the deployment, by ID.
func prefixLists(d *model.Deployment) map[string]*prefixList {
	out := map[string]*prefixList{}
	get := func(id string) *prefixList {
		if out[id] == nil {
			out[id] = &prefixList{}
		}
		return out[id]
	}
	add := func(pl *prefixList, m resource.PropertyMap, p string) {
		g := &grant{index: -1}
		g.readCIDRs(m, p)
		pl.prefixes = append(pl.prefixes, g.prefixes...)
		pl.doubts = append(pl.doubts, g.addrDoubts...)
	}
	for _, r := range d.Resources {
		s := r.State()
		switch r.Type {
		case "aws:ec2/managedPrefixList:ManagedPrefixList":
			id := resourceID(r)
			if id == "" {
				continue
			}
			pl := get(id)
			if props.IsUnknown(s, "entries") {
				pl.doubts = append(pl.doubts, fmt.Sprintf("the entries of prefix list %q are not known", r.Name))
			}
			for i := range props.Array(s, "entries") {
				add(pl, s, fmt.Sprintf("entries[%d].cidr", i))
			}
		case "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry":
			if id := props.String(s, "prefixListId"); id != "" {
				add(get(id), s, "cidr")
			}
		}
	}
	return out
}

// resourceID returns a resource's physical ID, "" when not known.
func resourceID(r *model.Resource) string {
	if r.ID != "" {
		return r.ID
	}
	return props.String(r.State(), "id")
}

// sgGroup is one security group's grants.
type sgGroup struct {
	urn, name string // the security group resource, when it is in the deployment
	id        string // the group's ID, when only its rules are in the deployment
	members   []*model.Resource
	grants    []*grant
}

// databasePorts returns the configured database ports plus every port a data
// store of the deployment declares.
func databasePorts(e *Env, d *model.Deployment) []float64 {
	ports := slices.Clone(configuredPorts(e))
	for _, r := range d.Resources {
		if _, store := storeKinds[r.Type]; !store {
			continue
		}
		if p, ok := props.Number(r.Props(), "port"); ok && p > 0 {
			ports = append(ports, p)
		}
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

// ruleGrants reads the ingress grants of one security group or rule resource
// and the key of the group they belong to (its ID, else its URN). With lists
// nil, prefix lists are not read: the per-resource phase cannot see them.
func ruleGrants(r *model.Resource, lists map[string]*prefixList) (key string, grants []*grant) {
	m := r.Props()
	switch r.Type {
	case "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
		key = resourceID(r)
		if key == "" {
			key = r.URN
		}
		if props.IsUnknown(m, "ingress") {
			const why = "ingress is not known (unknown or an encrypted secret)"
			grants = append(grants, &grant{urn: r.URN, name: r.Name, index: -1, portDoubt: why, addrDoubts: []string{why}})
		}
		for i, e := range props.Array(m, "ingress") {
			if props.Unknown(e) {
				why := fmt.Sprintf("ingress[%d] is not known (unknown or an encrypted secret)", i)
				grants = append(grants, &grant{urn: r.URN, name: r.Name, index: i, portDoubt: why, addrDoubts: []string{why}})
				continue
			}
			if rule := props.AsObject(e); rule != nil {
				grants = append(grants, readGrant(r, rule, i, inlineKeys, lists))
			}
		}
	case "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
		keys := vpcKeys
		var typeDoubt string
		if r.Type == "aws:ec2/securityGroupRule:SecurityGroupRule" {
			keys = inlineKeys
			switch typ, st := props.LookupString(m, "type"); {
			case st == props.Known && typ == "egress":
				return "", nil
			case st == props.Pending:
				typeDoubt = "type is not known (ingress or egress)"
			}
		}
		key = r.URN
		if id, st := props.LookupString(m, "securityGroupId"); st == props.Known && id != "" {
			key = id
		}
		gr := readGrant(r, m, -1, keys, lists)
		if typeDoubt != "" && !gr.noPorts {
			gr.portDoubt = typeDoubt // judged like a rule whose ports are not known
		}
		grants = append(grants, gr)
	}
	return key, grants
}

// isRuleType reports whether the type carries security group ingress rules.
func isRuleType(typ string) bool {
	switch typ {
	case "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
		"aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
		return true
	}
	return false
}

// isGroupType reports whether the type is a security group (not a rule).
func isGroupType(typ string) bool {
	return typ == "aws:ec2/securityGroup:SecurityGroup" || typ == "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
}

// configuredPorts returns the database ports of the policy config (or the defaults).
func configuredPorts(e *Env) []float64 {
	custom, ok := e.Props["databasePorts"].([]any)
	if !ok {
		return DefaultDatabasePorts
	}
	var ports []float64
	for _, p := range custom {
		if f, ok := p.(float64); ok {
			ports = append(ports, f)
		}
	}
	return ports
}

// openAlone reports whether a resource's own rules (CIDRs only) open a
// configured database port: what the per-resource phase reports.
func openAlone(e *Env, r *model.Resource) (verdict, bool) {
	_, grants := ruleGrants(r, nil)
	v := evaluate(grants, configuredPorts(e))
	return v, len(v.open) > 0
}

// checkRuleResource is the per-resource phase: a security group or rule whose
// own CIDRs open a database port is reported on it at once (so that
// `pulumi up` stops before creating it). Unions across resources, prefix
// lists, ports of the deployment's data stores and "cannot verify" are the
// stack phase's (checkSecurityGroups).
func checkRuleResource(e *Env, r *model.Resource) {
	v, open := openAlone(e, r)
	if !open {
		return
	}
	label := fmt.Sprintf("security group %q", r.Name)
	if !isGroupType(r.Type) {
		label = fmt.Sprintf("security group rule %q", r.Name)
	}
	e.Violate(r.URN, "%s opens database %s to the internet (%s): allow only the app's security group",
		label, portsText(v.open), strings.Join(limit(compactStrings(v.texts), 6), ", "))
}

// checkSecurityGroups judges every security group by the union of all its
// rules (inline and standalone, with the deployment's prefix lists), on the
// configured ports and every port a data store declares. A group one of
// whose resources is open by itself was already reported per resource.
func checkSecurityGroups(e *Env, d *model.Deployment) {
	lists := prefixLists(d)
	groups := map[string]*sgGroup{}
	var order []string
	for _, r := range d.Resources {
		if !isRuleType(r.Type) {
			continue
		}
		key, grants := ruleGrants(r, lists)
		if key == "" {
			continue
		}
		g, ok := groups[key]
		if !ok {
			g = &sgGroup{}
			groups[key] = g
			order = append(order, key)
		}
		if isGroupType(r.Type) {
			g.urn, g.name = r.URN, r.Name
		} else if key != r.URN {
			g.id = key
		}
		g.members = append(g.members, r)
		g.grants = append(g.grants, grants...)
	}
	ports := databasePorts(e, d)
	for _, key := range order {
		judgeGroup(e, groups[key], ports)
	}
}

// verdict is what a set of grants opens.
type verdict struct {
	open, unsure           []float64 // ports open to the internet; ports that may be
	texts, doubts, sources []string  // the open ranges, what cannot be read, who opens
}

// evaluate judges grants port by port.
func evaluate(grants []*grant, ports []float64) verdict {
	var v verdict
	var relevant []*grant
	for _, gr := range grants {
		if !gr.noPorts && gr.public() {
			relevant = append(relevant, gr)
		}
	}
	if len(relevant) == 0 {
		return v
	}
	for _, p := range ports {
		var known, maybe []netip.Prefix
		var texts, why, from []string
		for _, gr := range relevant {
			switch {
			case gr.covers(p):
				known = append(known, gr.prefixes...)
				texts = append(texts, gr.texts...)
				why = append(why, gr.addrDoubts...)
				from = append(from, gr.name)
			case gr.portDoubt != "":
				maybe = append(maybe, gr.prefixes...)
				why = append(why, gr.addrDoubts...)
				why = append(why, gr.portDoubt)
			}
		}
		switch {
		case openToInternet(known):
			v.open = append(v.open, p)
			v.texts = append(v.texts, texts...)
			v.sources = append(v.sources, from...)
		case len(why) > 0 || openToInternet(append(known, maybe...)):
			v.unsure = append(v.unsure, p)
			v.doubts = append(v.doubts, why...)
		}
	}
	return v
}

// judgeGroup reports a group whose rules together open a database port to
// the internet, or may and cannot be verified.
func judgeGroup(e *Env, g *sgGroup, ports []float64) {
	v := evaluate(g.grants, ports)
	if len(v.open) == 0 && len(v.unsure) == 0 {
		return
	}
	for _, r := range g.members {
		if _, open := openAlone(e, r); open {
			return // reported per resource
		}
	}
	first := g.members[0]
	urn, label := g.urn, fmt.Sprintf("security group %q", g.name)
	switch {
	case urn == "" && g.id != "": // a group outside the deployment: report on its first rule
		urn, label = first.URN, fmt.Sprintf("security group %s", g.id)
	case urn == "":
		urn, label = first.URN, fmt.Sprintf("security group rule %q (group not known yet)", first.Name)
	}
	switch {
	case len(v.open) > 0:
		via := ""
		if rules := compactStrings(v.sources); len(rules) > 1 || rules[0] != g.name {
			via = " through " + strings.Join(rules, " + ")
		}
		e.Violate(urn, "%s opens database %s to the internet (%s)%s: allow only the app's security group",
			label, portsText(v.open), strings.Join(limit(compactStrings(v.texts), 6), ", "), via)
	default:
		e.CannotVerify(urn, "%s may open database %s to the internet: %s",
			label, portsText(v.unsure), strings.Join(limit(compactStrings(v.doubts), 4), "; "))
	}
}

func portsText(ports []float64) string {
	if len(ports) == 1 {
		return fmt.Sprintf("port %g", ports[0])
	}
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = fmt.Sprintf("%g", p)
	}
	return "ports " + strings.Join(s, ", ")
}

func compactStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func limit(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("… %d more", len(s)-n))
}
