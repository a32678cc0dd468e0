package regionalstack

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/multiregion/multiregion/components/internal/naming"
	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/internal/dbmodes"
	"github.com/multiregion/multiregion/internal/regions"
)

// NAT strategies for the private subnets' internet egress.
const (
	// NATNone creates no NAT gateway. The tasks then run in the public subnets with
	// public IPs (still reachable only from the load balancer's security group) so
	// that they can pull images. Cheapest; for dev.
	NATNone = "none"
	// NATSingle creates one NAT gateway in the first zone for every private subnet.
	// Cheap, but losing that zone cuts egress for all zones.
	NATSingle = "single"
	// NATOnePerAZ creates one NAT gateway per zone, so that losing a zone never cuts
	// egress in the others. The default: production resilience.
	NATOnePerAZ = "one-per-az"
)

// NATStrategyValues returns every NAT strategy, cheapest first.
func NATStrategyValues() []string { return []string{NATNone, NATSingle, NATOnePerAZ} }

// CPU architectures of the Fargate tasks.
const (
	ArchX86 = "X86_64"
	ArchARM = "ARM64"
)

// ArchitectureValues returns every CPU architecture.
func ArchitectureValues() []string { return []string{ArchX86, ArchARM} }

// CPUValues returns the task CPU sizes Fargate accepts, smallest first.
func CPUValues() []int { return slices.Sorted(maps.Keys(fargateMemory)) }

// LogRetentionDaysValues returns the log retentions CloudWatch Logs accepts,
// shortest first.
func LogRetentionDaysValues() []int { return slices.Sorted(maps.Keys(logRetentionDays)) }

// Defaults, each chosen so that `&Args{Image: "..."}` builds a production-shaped
// region.
const (
	// DefaultVPCCIDR leaves room for 8 private and 8 public /20 subnets.
	DefaultVPCCIDR = "10.0.0.0/16"
	// DefaultAZCount: three zones survive the loss of one with capacity to spare.
	DefaultAZCount = 3
	// MinAZCount is the fewest zones a RegionalStack takes: an Application Load
	// Balancer needs subnets in at least two Availability Zones (ELBv2
	// CreateLoadBalancer, Subnets: "You must specify subnets from at least two
	// Availability Zones"), and so does an RDS DB subnet group.
	MinAZCount = 2
	// MaxAZCount is the most zones a RegionalStack spreads over (subnet slots per tier).
	MaxAZCount = 6
	// DefaultNATStrategy: one NAT gateway per zone (see NATOnePerAZ).
	DefaultNATStrategy = NATOnePerAZ
	// DefaultHealthCheckPath is probed by the target group and by DNS health checks.
	DefaultHealthCheckPath = "/healthz"
	// DefaultPort is the container port the load balancer forwards to.
	DefaultPort = 8080
	// DefaultCPU is the task size in CPU units (1024 = 1 vCPU).
	DefaultCPU = 512
	// DefaultMemory is the task memory in MiB (valid for DefaultCPU).
	DefaultMemory = 1024
	// DefaultDesiredCount, DefaultMinCount: two tasks, in two zones, so a task or zone
	// failure never empties the region.
	DefaultDesiredCount = 2
	DefaultMinCount     = 2
	// DefaultMaxCount caps autoscaling (and the cost of a runaway scale-out).
	DefaultMaxCount = 10
	// MaxTasks is the most tasks one ECS service runs (Amazon ECS service
	// quotas: "Tasks per service", 5,000).
	MaxTasks = 5000
	// DefaultStandbyCount keeps one warm task in a standby (pilot-light) region so it
	// serves at once on failover while autoscaling catches up. It is also the
	// least: a standby region with no task fails its health check, so DNS
	// failover never sends it traffic, and CPU target tracking never starts a
	// task (an empty service publishes no CPU metric): it would never serve.
	DefaultStandbyCount = 1
	// DefaultCPUTargetPercent is the average CPU the autoscaler keeps the service at.
	DefaultCPUTargetPercent = 60
	// MinCPUTargetPercent and MaxCPUTargetPercent bound CPUTargetPercent: below
	// 10 the service scales out on noise, above 90 it has no headroom left to
	// absorb a burst while new tasks start.
	MinCPUTargetPercent = 10
	MaxCPUTargetPercent = 90
	// DefaultLogRetentionDays keeps application logs for a month.
	DefaultLogRetentionDays = 30
	// LoadBalancerNameMax is the longest load balancer or target group name
	// (doc comments of lb.LoadBalancer.Name and lb.TargetGroup.Name in pulumi-aws
	// v6.83.4: "can have a maximum of 32 characters, must contain only
	// alphanumeric characters or hyphens, and must not begin or end with a hyphen").
	LoadBalancerNameMax = 32
	// internalPrefix begins the names of internal load balancers' DNS names; AWS
	// refuses it at the start of a load balancer name (ELBv2 CreateLoadBalancer,
	// Name: "must not begin with \"internal-\"").
	internalPrefix = "internal-"
	// MaxIngressRules is the default quota of inbound rules per security group
	// (Amazon VPC quotas, "Inbound or outbound rules per security group": 60,
	// counted separately for IPv4 and IPv6; each CIDR on each port is one rule).
	MaxIngressRules = 60
	// maxHealthCheckPath is the longest target group health check path
	// (ELBv2 CreateTargetGroup, HealthCheckPath: 1-1024 characters).
	maxHealthCheckPath = 1024
	// DefaultDatabasePort is PostgreSQL's port, opened from the app to the database
	// security group.
	DefaultDatabasePort = dbmodes.PostgreSQLPort
	// DefaultArchitecture is x86_64, which every image supports.
	DefaultArchitecture = ArchX86
	// subnetBits splits the VPC into 16 equal subnets: private in slots 0-7,
	// public in slots 8-15. Fixed, so that adding a zone never renumbers (and
	// replaces) existing subnets.
	subnetBits = 4
	// publicSlotOffset is the first slot of the public subnets.
	publicSlotOffset = 8
)

// Args configures a RegionalStack. Only Image is required.
type Args struct {
	// Image is the container image to run (required), e.g.
	// "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2".
	Image string
	// Region is the AWS region (optional). When empty, it is read from the AWS
	// provider; when set, it must match the provider's region.
	Region string
	// VPCCIDR is the VPC's IPv4 range (optional, default "10.0.0.0/16"); a prefix
	// from /16 to /24. Give each region its own range if you will ever peer them.
	VPCCIDR string
	// AZCount is the number of availability zones (optional, default 3; 2 to 6,
	// since a load balancer needs two; with Zones, defaults to len(Zones)).
	AZCount int
	// Zones are the availability zones to use (optional, default: the first AZCount
	// Availability Zones the provider's region reports, never Local Zones).
	Zones []string
	// NATStrategy is "none", "single" or "one-per-az" (optional, default "one-per-az").
	NATStrategy string
	// IngressCIDRs are the IPv4 ranges that may reach the load balancer on 80 (and
	// 443 with a certificate) (optional, default nil: the whole internet,
	// 0.0.0.0/0). Set it to a CDN's published ranges when the CDN is the only
	// way in, e.g. Cloudflare's for a proxied origin. Not empty when set, no
	// duplicates, and at most MaxIngressRules rules (ranges x ports).
	IngressCIDRs []string
	// CapacityManagedExternally is set when something outside Pulumi may raise
	// the service's capacity, such as an automatic failover plan (ARC Region
	// switch's ECS block calls RegisterScalableTarget and UpdateService)
	// (optional, default false). The scalable target then ignores drift of its
	// minimum capacity, as the service always ignores its desired count, so the
	// next `pulumi up` after a failover does not scale the new primary back down.
	CapacityManagedExternally bool
	// CertificateARN is an ACM certificate in this region (optional). With it the
	// load balancer serves HTTPS on 443 and redirects HTTP to HTTPS; without it,
	// plain HTTP on 80 (dev only).
	CertificateARN string
	// HealthCheckPath is the HTTP path probed for health (optional, default "/healthz").
	HealthCheckPath string
	// Port is the container port (optional, default 8080).
	Port int
	// CPU is the task's CPU units (optional, default 512): 256, 512, 1024, 2048,
	// 4096, 8192 or 16384.
	CPU int
	// Memory is the task's memory in MiB (optional, default 1024); it must be a
	// Fargate-supported size for CPU.
	Memory int
	// Architecture is "X86_64" or "ARM64" (optional, default "X86_64").
	Architecture string
	// Environment is passed to the container (optional).
	Environment map[string]string
	// DesiredCount is the initial number of tasks when active (optional, default 2).
	DesiredCount int
	// MinCount is the autoscaling floor when active (optional, default 2).
	MinCount int
	// MaxCount is the autoscaling ceiling (optional, default 10, at most MaxTasks).
	MaxCount int
	// Standby runs the region as the passive side of active-passive (pilot light):
	// StandbyCount tasks and the same MaxCount, so it scales up on failover.
	Standby bool
	// StandbyCount is the desired and minimum task count in standby (optional,
	// default 1; 1 to MaxCount: 0 is refused, see DefaultStandbyCount). Used only
	// with Standby, but checked whenever set.
	StandbyCount *int
	// CPUTargetPercent is the autoscaling target for average CPU (optional, default 60).
	CPUTargetPercent int
	// LogRetentionDays is the CloudWatch Logs retention (optional, default 30); one
	// of the values CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, ...).
	LogRetentionDays int
	// DatabasePort is the port the app may open to the database security group
	// (optional, default DefaultDatabasePort, PostgreSQL's 5432; MySQL's is
	// 3306, globaldatabase.MySQLPort).
	DatabasePort int
	// Tags are added to every taggable child, next to its Name tag (optional).
	Tags map[string]string
}

// fargateMemory lists the memory sizes (MiB) Fargate accepts per CPU size.
var fargateMemory = map[int]func(int) bool{
	256:   func(m int) bool { return m == 512 || m == 1024 || m == 2048 },
	512:   func(m int) bool { return m >= 1024 && m <= 4096 && m%1024 == 0 },
	1024:  func(m int) bool { return m >= 2048 && m <= 8192 && m%1024 == 0 },
	2048:  func(m int) bool { return m >= 4096 && m <= 16384 && m%1024 == 0 },
	4096:  func(m int) bool { return m >= 8192 && m <= 30720 && m%1024 == 0 },
	8192:  func(m int) bool { return m >= 16384 && m <= 61440 && m%4096 == 0 },
	16384: func(m int) bool { return m >= 32768 && m <= 122880 && m%8192 == 0 },
}

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = map[int]bool{
	1: true, 3: true, 5: true, 7: true, 14: true, 30: true, 60: true, 90: true, 120: true,
	150: true, 180: true, 365: true, 400: true, 545: true, 731: true, 1096: true, 1827: true,
	2192: true, 2557: true, 2922: true, 3288: true, 3653: true,
}

var (
	envName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	acmARNRE = regexp.MustCompile(`^arn:(aws[a-z-]*):acm:([a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
)

// resolved is Args with every default applied and validated.
type resolved struct {
	Args
	vpc     netip.Prefix
	standby int
	// ingress are the load balancer's allowed source ranges (IngressCIDRs or the internet).
	ingress []string
}

// minCount is the autoscaling floor in the current mode.
func (r *resolved) minCount() int {
	if r.Standby {
		return r.standby
	}
	return r.MinCount
}

// desiredCount is the initial task count in the current mode.
func (r *resolved) desiredCount() int {
	if r.Standby {
		return r.standby
	}
	return r.DesiredCount
}

// protocol is the scheme the load balancer serves users on.
func (r *resolved) protocol() string {
	if r.CertificateARN != "" {
		return "HTTPS"
	}
	return "HTTP"
}

// resolve applies defaults and validates every field, reporting all problems at once.
// The container image reference ECS takes (ECS API reference, ContainerDefinition
// image): with a tag, at most 255 characters of letters, digits, hyphens,
// underscores, colons, periods, forward slashes and number signs; with a
// digest, the same limit before the @ and "sha256:" plus exactly 64 hex digits
// after it. The repository path (after the registry host, before the tag) must
// be lowercase, as the registry protocol's reference grammar requires
// (distribution/reference: path components are [a-z0-9]+ with separators), or
// the pull fails when the task starts.
const maxImageLen = 255

var (
	imageChars  = regexp.MustCompile(`^[A-Za-z0-9_.:/#-]+$`)
	imageDigest = regexp.MustCompile(`^sha256:[A-Fa-f0-9]{64}$`)
)

// checkImage returns what is wrong with an image reference ("" when ECS takes it).
func checkImage(image string) string {
	name, digest, hasDigest := strings.Cut(image, "@")
	switch {
	case len(name) > maxImageLen:
		return fmt.Sprintf("is %d characters before any digest: ECS takes at most %d", len(name), maxImageLen)
	case !imageChars.MatchString(name):
		return "has characters ECS does not take in an image (letters, digits, - _ . : / # only; no spaces)"
	case hasDigest && !imageDigest.MatchString(digest):
		return "has a digest ECS does not take: only sha256: followed by exactly 64 hex digits"
	}
	path := name
	if i := strings.Index(path, "/"); i >= 0 && strings.ContainsAny(path[:i], ".:") {
		path = path[i+1:] // a registry host (has a dot or a port) may have capitals
	}
	if i := strings.LastIndex(path, ":"); i >= 0 {
		path = path[:i] // the tag may have capitals
	}
	if path != strings.ToLower(path) {
		return "has capitals in its repository path: registries refuse them, so the task could never pull it"
	}
	return ""
}

func resolve(name string, in *Args) (*resolved, error) {
	p := argcheck.New(fmt.Sprintf("regionalstack %q", name))
	if base := naming.Sanitize(name); base+"-" == internalPrefix || strings.HasPrefix(base, internalPrefix) {
		p.Add("name", fmt.Sprintf("%q would begin the load balancer's name with %q, which AWS reserves for internal load balancers", name, internalPrefix), "pick a name that does not start with \"internal\"")
	}
	if in == nil {
		p.Add("Args", "is nil", "pass &regionalstack.Args{Image: \"<image>\"}")
		return nil, p.Err()
	}
	r := &resolved{Args: *in}
	a := &r.Args
	if strings.TrimSpace(a.Image) == "" {
		p.Add("Image", "is required", "set the container image to run, e.g. \"public.ecr.aws/nginx/nginx:1.27\"")
	} else if problem := checkImage(a.Image); problem != "" {
		p.Add("Image", fmt.Sprintf("%q %s", a.Image, problem), "give a reference like \"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2\" or \"<repository>@sha256:<64 hex>\"")
	}
	if a.Region != "" && !regions.ValidName(a.Region) {
		p.Add("Region", fmt.Sprintf("%q is not an AWS region name", a.Region), "use a name like \"us-east-1\"")
	}
	r.ingress = checkIngress(p, a.IngressCIDRs)
	if a.VPCCIDR == "" {
		a.VPCCIDR = DefaultVPCCIDR
	}
	if pfx, err := netip.ParsePrefix(a.VPCCIDR); err != nil || !pfx.Addr().Is4() {
		p.Add("VPCCIDR", fmt.Sprintf("%q is not an IPv4 CIDR", a.VPCCIDR), "use a range like \"10.0.0.0/16\"")
	} else if pfx.Masked() != pfx {
		p.Add("VPCCIDR", fmt.Sprintf("%q has host bits set", a.VPCCIDR), fmt.Sprintf("use the network address %q", pfx.Masked().String()))
	} else if pfx.Bits() < 16 || pfx.Bits() > 24 {
		p.Add("VPCCIDR", fmt.Sprintf("%q has prefix /%d", a.VPCCIDR, pfx.Bits()), "AWS VPCs take /16 to /28 and the subnets need 4 more bits, so use /16 to /24")
	} else {
		r.vpc = pfx
	}
	seen := map[string]bool{}
	for i, z := range a.Zones {
		if !regions.ValidZone(z) {
			p.Add(fmt.Sprintf("Zones[%d]", i), fmt.Sprintf("%q is not an availability zone name", z), "use a name like \"us-east-1a\"")
		} else if a.Region != "" && !strings.HasPrefix(z, a.Region) {
			p.Add(fmt.Sprintf("Zones[%d]", i), fmt.Sprintf("%q is not in region %q", z, a.Region), "list zones of that region")
		}
		if seen[z] {
			p.Add(fmt.Sprintf("Zones[%d]", i), fmt.Sprintf("%q is listed twice", z), "list each zone once")
		}
		seen[z] = true
	}
	switch {
	case a.AZCount == 0 && len(a.Zones) > 0:
		a.AZCount = len(a.Zones)
	case a.AZCount == 0:
		a.AZCount = DefaultAZCount
	}
	if a.AZCount < MinAZCount || a.AZCount > MaxAZCount {
		p.Add("AZCount", fmt.Sprintf("%d is out of range", a.AZCount), fmt.Sprintf("use %d to %d zones (a load balancer needs subnets in at least two)", MinAZCount, MaxAZCount))
	} else if len(a.Zones) > 0 && len(a.Zones) != a.AZCount {
		p.Add("AZCount", fmt.Sprintf("is %d but %d Zones are listed", a.AZCount, len(a.Zones)), "leave AZCount at 0 or make them agree")
	}
	if a.NATStrategy == "" {
		a.NATStrategy = DefaultNATStrategy
	}
	p.OneOf("NATStrategy", a.NATStrategy, NATStrategyValues()...)
	if a.CertificateARN != "" {
		m := acmARNRE.FindStringSubmatch(a.CertificateARN)
		switch {
		case m == nil:
			p.Add("CertificateARN", fmt.Sprintf("%q is not an ACM certificate ARN", a.CertificateARN), "use \"arn:aws:acm:<region>:<account>:certificate/<id>\"")
		case a.Region != "" && m[2] != a.Region:
			p.Add("CertificateARN", fmt.Sprintf("is in %s but the load balancer is in %s", m[2], a.Region), fmt.Sprintf("issue or import the certificate in %s (ACM certificates are regional)", a.Region))
		case a.Region != "" && m[1] != argcheck.Partition(a.Region):
			p.Add("CertificateARN", fmt.Sprintf("is in partition %q but %s is in %q", m[1], a.Region, argcheck.Partition(a.Region)), fmt.Sprintf("use a certificate ARN of that partition (arn:%s:acm:...)", argcheck.Partition(a.Region)))
		}
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = DefaultHealthCheckPath
	}
	if !strings.HasPrefix(a.HealthCheckPath, "/") || strings.ContainsAny(a.HealthCheckPath, " ?#") {
		p.Add("HealthCheckPath", fmt.Sprintf("%q must be a path starting with \"/\" without spaces, query or fragment, e.g. \"/healthz\"", a.HealthCheckPath), "")
	} else if len(a.HealthCheckPath) > maxHealthCheckPath {
		p.Add("HealthCheckPath", fmt.Sprintf("is %d characters", len(a.HealthCheckPath)), fmt.Sprintf("a target group health check path takes at most %d", maxHealthCheckPath))
	}
	if a.Port == 0 {
		a.Port = DefaultPort
	}
	p.Range("Port", a.Port, 1, 65535)
	if a.CPU == 0 {
		a.CPU = DefaultCPU
	}
	if a.Memory == 0 {
		a.Memory = DefaultMemory
		if a.CPU > DefaultCPU {
			a.Memory = 2 * a.CPU
		}
	}
	if ok, known := fargateMemory[a.CPU]; !known {
		p.Add("CPU", fmt.Sprintf("%d is not a Fargate CPU size", a.CPU), "use "+argcheck.Or(argcheck.Ints(CPUValues()...)...))
	} else if !ok(a.Memory) {
		p.Add("Memory", fmt.Sprintf("%d MiB is not valid with CPU %d on Fargate", a.Memory, a.CPU), "see the task size table in the AWS Fargate docs (e.g. CPU 512 takes 1024-4096 in 1024 steps)")
	}
	if a.Architecture == "" {
		a.Architecture = DefaultArchitecture
	}
	p.OneOf("Architecture", a.Architecture, ArchitectureValues()...)
	for _, k := range slices.Sorted(maps.Keys(a.Environment)) {
		if !envName.MatchString(k) {
			p.Add("Environment", fmt.Sprintf("%q is not a valid variable name", k), "use letters, digits and underscores, not starting with a digit")
		}
	}
	if a.MaxCount == 0 {
		a.MaxCount = max(DefaultMaxCount, a.MinCount, a.DesiredCount)
	}
	if a.MinCount == 0 {
		a.MinCount = min(DefaultMinCount, a.MaxCount)
	}
	if a.DesiredCount == 0 {
		a.DesiredCount = max(a.MinCount, min(DefaultDesiredCount, a.MaxCount))
	}
	if a.MaxCount < 1 || a.MaxCount > MaxTasks {
		p.Add("MaxCount", fmt.Sprintf("%d is out of range", a.MaxCount), fmt.Sprintf("use 1 to %d (ECS runs at most %d tasks per service)", MaxTasks, MaxTasks))
	}
	if a.MinCount < 0 {
		p.Add("MinCount", fmt.Sprintf("%d is negative", a.MinCount), "use 0 or more")
	}
	if a.MinCount > a.MaxCount {
		p.Add("MinCount", fmt.Sprintf("%d is greater than MaxCount %d", a.MinCount, a.MaxCount), "raise MaxCount or lower MinCount")
	}
	if a.DesiredCount < a.MinCount || a.DesiredCount > a.MaxCount {
		p.Add("DesiredCount", fmt.Sprintf("%d is outside MinCount..MaxCount (%d..%d)", a.DesiredCount, a.MinCount, a.MaxCount), "pick a count in that range")
	}
	r.standby = DefaultStandbyCount
	if a.StandbyCount != nil {
		r.standby = *a.StandbyCount
	}
	switch {
	case r.standby < 1:
		p.Add("StandbyCount", fmt.Sprintf("%d leaves the standby region without a task: its health check can never pass, so DNS failover never sends it traffic, and CPU autoscaling never starts a task (an empty service has no CPU metric)", r.standby), fmt.Sprintf("use 1 to MaxCount (%d)", a.MaxCount))
	case r.standby > a.MaxCount:
		p.Add("StandbyCount", fmt.Sprintf("%d is above MaxCount %d", r.standby, a.MaxCount), "use 1 to MaxCount")
	}
	if a.CPUTargetPercent == 0 {
		a.CPUTargetPercent = DefaultCPUTargetPercent
	}
	p.Range("CPUTargetPercent", a.CPUTargetPercent, MinCPUTargetPercent, MaxCPUTargetPercent)
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}
	if !logRetentionDays[a.LogRetentionDays] {
		p.Add("LogRetentionDays", fmt.Sprintf("%d is not a CloudWatch Logs retention", a.LogRetentionDays), "use "+argcheck.Or(argcheck.Ints(LogRetentionDaysValues()...)...))
	}
	if a.DatabasePort == 0 {
		a.DatabasePort = DefaultDatabasePort
	}
	p.Range("DatabasePort", a.DatabasePort, 1, 65535)
	p.Tags("Tags", a.Tags)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// internet is the default load balancer source range.
const internet = "0.0.0.0/0"

// checkIngress validates IngressCIDRs and returns the ranges to allow.
func checkIngress(p *argcheck.Problems, cidrs []string) []string {
	if cidrs == nil {
		return []string{internet}
	}
	if len(cidrs) == 0 {
		p.Add("IngressCIDRs", "is empty, which would let nobody reach the load balancer", "list the ranges, or leave it nil for the whole internet")
		return nil
	}
	seen := map[string]bool{}
	for i, c := range cidrs {
		pfx, err := netip.ParsePrefix(c)
		switch {
		case err != nil || !pfx.Addr().Is4():
			p.Add(fmt.Sprintf("IngressCIDRs[%d]", i), fmt.Sprintf("%q is not an IPv4 CIDR", c), "use a range like \"173.245.48.0/20\"")
		case pfx.Masked() != pfx:
			p.Add(fmt.Sprintf("IngressCIDRs[%d]", i), fmt.Sprintf("%q has host bits set", c), fmt.Sprintf("use %q", pfx.Masked().String()))
		case seen[c]:
			p.Add(fmt.Sprintf("IngressCIDRs[%d]", i), fmt.Sprintf("%q is listed twice", c), "list each range once")
		}
		seen[c] = true
	}
	// Two ports with a certificate; checked against the larger count so the
	// answer does not change when a certificate is added later.
	if 2*len(cidrs) > MaxIngressRules {
		p.Add("IngressCIDRs", fmt.Sprintf("%d ranges on 2 ports are %d rules, above the %d inbound rules a security group takes", len(cidrs), 2*len(cidrs), MaxIngressRules), fmt.Sprintf("merge ranges (at most %d)", MaxIngressRules/2))
	}
	return append([]string(nil), cidrs...)
}

// subnetCIDR returns the CIDR of subnet slot i of the VPC.
func subnetCIDR(vpc netip.Prefix, slot int) string {
	bits := vpc.Bits() + subnetBits
	size := uint32(1) << (32 - bits)
	base := vpc.Addr().As4()
	n := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	n += uint32(slot) * size
	addr := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.PrefixFrom(addr, bits).String()
}

// Validate checks args the way New does, without creating anything: every
// problem at once, each naming the field and the fix.
func Validate(name string, args *Args) error {
	_, err := resolve(name, args)
	return err
}
