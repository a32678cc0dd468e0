package globaldatabase

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/internal/argcheck"
	"github.com/multiregion/multiregion/internal/dbmodes"
	"github.com/multiregion/multiregion/internal/regions"
)

// Modes of a GlobalDatabase (see internal/dbmodes for what each can recover from).
const (
	// ModeRDS is one RDS PostgreSQL instance in the primary region (Multi-AZ
	// optional). No cross-region copy: for dev.
	ModeRDS = dbmodes.ModeRDS
	// ModeRDSReplica is an RDS PostgreSQL primary plus one cross-region read replica
	// per secondary region: active-passive at the lowest cost.
	ModeRDSReplica = dbmodes.ModeRDSReplica
	// ModeAuroraGlobal is an Aurora Global Database: a writer cluster in the primary
	// region and a read-only secondary cluster per secondary region.
	ModeAuroraGlobal = dbmodes.ModeAuroraGlobal
	// ModeDynamoDBGlobal is a DynamoDB global table with a replica in every region:
	// multi-writer, for active-active.
	ModeDynamoDBGlobal = dbmodes.ModeDynamoDBGlobal
)

// Modes lists every mode, in order of increasing cost and capability.
//
// Deprecated: use ModeValues, which returns a copy that callers may change.
var Modes = dbmodes.ModeValues()

// ModeValues returns every mode, in order of increasing cost and capability.
func ModeValues() []string { return dbmodes.ModeValues() }

// Objectives are the recovery point and recovery time a mode can meet when its
// primary region is lost.
type Objectives = dbmodes.Objectives

// ObjectivesFor returns the RPO/RTO class of mode.
func ObjectivesFor(mode string) (Objectives, error) { return dbmodes.ObjectivesFor(mode) }

// Engines.
const (
	EnginePostgres         = dbmodes.EnginePostgres
	EngineAuroraPostgreSQL = dbmodes.EngineAuroraPostgreSQL
	EngineAuroraMySQL      = dbmodes.EngineAuroraMySQL
	EngineDynamoDB         = dbmodes.EngineDynamoDB
)

// Ports the SQL engines listen on.
const (
	// PostgreSQLPort is the port of postgres and aurora-postgresql (5432).
	PostgreSQLPort = dbmodes.PostgreSQLPort
	// MySQLPort is the port of aurora-mysql (3306).
	MySQLPort = dbmodes.MySQLPort
)

// EngineValues returns every engine: the RDS one, the Aurora ones, DynamoDB.
func EngineValues() []string {
	return []string{EnginePostgres, EngineAuroraPostgreSQL, EngineAuroraMySQL, EngineDynamoDB}
}

// auroraEngines are the engines of mode aurora-global.
func auroraEngines() []string { return []string{EngineAuroraPostgreSQL, EngineAuroraMySQL} }

// Defaults.
const (
	// DefaultRDSInstanceClass is a burstable Graviton class: cheap, enough for dev and staging.
	DefaultRDSInstanceClass = "db.t4g.medium"
	// DefaultAuroraInstanceClass is the smallest memory-optimized class; Aurora Global
	// Database does not support burstable (db.t*) classes.
	DefaultAuroraInstanceClass = "db.r6g.large"
	// DefaultPostgresVersion is the RDS PostgreSQL major version (minor upgrades are automatic).
	DefaultPostgresVersion = "16"
	// DefaultAuroraPostgreSQLVersion supports Global Database and write forwarding.
	// AWS withdraws minor versions over time: when it no longer offers this one,
	// set EngineVersion to one that engineVersionHelp's command lists.
	DefaultAuroraPostgreSQLVersion = "16.6"
	// DefaultAuroraMySQLVersion supports Global Database and write forwarding
	// (withdrawn one day like DefaultAuroraPostgreSQLVersion).
	DefaultAuroraMySQLVersion = "8.0.mysql_aurora.3.08.2"
	// DefaultAllocatedStorageGB is the initial gp3 storage of an RDS instance.
	DefaultAllocatedStorageGB = 20
	// DefaultMaxAllocatedStorageGB lets RDS storage autoscale up to this size.
	DefaultMaxAllocatedStorageGB = 100
	// DefaultPrimaryInstances: a writer and a reader, so a failure within the primary
	// region fails over inside the cluster.
	DefaultPrimaryInstances = 2
	// DefaultSecondaryInstances: one reader per secondary region to fail over to.
	DefaultSecondaryInstances = 1
	// MaxInstances is Aurora's limit of instances per cluster (1 writer + 15 readers).
	MaxInstances = 16
	// DefaultBackupRetentionDays keeps a week of point-in-time recovery.
	DefaultBackupRetentionDays = 7
	// MaxBackupRetentionDays is the longest automated backup retention RDS and
	// Aurora take (RDS CreateDBInstance/CreateDBCluster BackupRetentionPeriod: 1 to 35).
	MaxBackupRetentionDays = 35
	// DefaultDatabaseName is the database created in the primary.
	DefaultDatabaseName = "app"
	// DefaultMasterUsername is the master user ("admin" and "rdsadmin" are reserved).
	DefaultMasterUsername = "app_admin"
	// DefaultHashKey and DefaultRangeKey are the DynamoDB table's key attributes (strings).
	DefaultHashKey  = "pk"
	DefaultRangeKey = "sk"
	// secretRecoveryDays is how long a deleted credentials secret can be restored.
	secretRecoveryDays = 30
	// passwordLength of generated master passwords.
	passwordLength = 32
	// passwordSpecials are the symbols RDS accepts in a master password (not / @ " or space).
	passwordSpecials = "!#$%^&*()-_=+[]{}<>:?"
)

// Region is one region of a GlobalDatabase, usually taken from that region's RegionalStack.
type Region struct {
	// Region is the AWS region name (required).
	Region string
	// Provider is the AWS provider of Region (required for secondaries; for the
	// primary, nil means the component's or the default provider).
	Provider *aws.Provider
	// SubnetIDs are the private subnets for the database (required except for
	// dynamodb-global).
	SubnetIDs pulumi.StringArrayInput
	// SecurityGroupID is the database security group (required except for
	// dynamodb-global).
	SecurityGroupID pulumi.StringInput
	// KMSKeyARN is the region's customer-managed key for data at rest (required).
	KMSKeyARN pulumi.StringInput
	// Instances overrides the instance count of this region's Aurora cluster
	// (optional; default PrimaryInstances or SecondaryInstances).
	Instances *int
}

// Args configures a GlobalDatabase.
type Args struct {
	// Mode is "rds", "rds-replica", "aurora-global" or "dynamodb-global" (required).
	Mode string
	// Primary is the region that takes writes (required).
	Primary Region
	// Secondaries hold copies of the data (required, at least one, for every mode
	// but rds; must be empty for rds).
	Secondaries []Region
	// Engine is "postgres" for the rds modes (the default), "aurora-postgresql" (the
	// default) or "aurora-mysql" for aurora-global, "dynamodb" or empty for dynamodb-global.
	Engine string
	// EngineVersion (optional): default "16" for postgres, "16.6" for
	// aurora-postgresql, "8.0.mysql_aurora.3.08.2" for aurora-mysql. The global
	// cluster and the Aurora clusters ignore drift on it: upgrade a global
	// database through its global cluster. To pick a version the region offers,
	// run `aws rds describe-db-engine-versions --engine <engine> --query
	// "DBEngineVersions[?SupportsGlobalDatabases].EngineVersion"` (drop the
	// filter for postgres).
	EngineVersion string
	// InstanceClass (optional): default "db.t4g.medium" for RDS, "db.r6g.large" for Aurora.
	InstanceClass string
	// AllocatedStorageGB is an RDS instance's initial storage (optional, default 20).
	AllocatedStorageGB int
	// MaxAllocatedStorageGB is the RDS storage autoscaling ceiling (optional, default 100).
	MaxAllocatedStorageGB int
	// MultiAZ runs RDS instances with a synchronous standby in another zone (optional,
	// default false; rds and rds-replica only).
	MultiAZ bool
	// PrimaryInstances is the Aurora primary cluster's instance count (optional,
	// default 2, 1 to 16).
	PrimaryInstances int
	// SecondaryInstances is each Aurora secondary cluster's instance count (optional,
	// default 1; 0 = headless, the cheapest warm standby).
	SecondaryInstances *int
	// WriteForwarding lets Aurora secondaries forward writes to the primary
	// (optional, default false; aurora-global only).
	WriteForwarding bool
	// PromotedRegion detaches that region's rds-replica read replica, promoting it
	// to a standalone writable instance (optional; rds-replica only). See the
	// README runbook: promotion takes two applies.
	PromotedRegion string
	// DatabaseName is the database created in the primary (optional, default "app").
	DatabaseName string
	// MasterUsername (optional, default "app_admin").
	MasterUsername string
	// MasterPassword is a Pulumi secret (optional). When nil a 32-character password
	// is generated; either way it is stored only encrypted: as a secret in Pulumi
	// state and in AWS Secrets Manager, replicated to every database region.
	MasterPassword pulumi.StringInput
	// BackupRetentionDays (optional, default 7, 1 to 35).
	BackupRetentionDays int
	// DisableDeletionProtection turns off deletion protection and Pulumi's protect
	// flag (optional, default false: protected). Dev only.
	DisableDeletionProtection bool
	// SkipFinalSnapshot deletes without a final snapshot (optional, default false).
	// Dev only. Read replicas (rds-replica, not promoted) never take one: AWS
	// refuses a final snapshot when deleting a replica. Final snapshots are named
	// "<name>-<region>-final-<8 random hex>", new for every database created.
	SkipFinalSnapshot bool
	// HashKey and RangeKey name the DynamoDB table's string key attributes
	// (optional, default "pk" and "sk").
	HashKey, RangeKey string
	// Tags are added to every taggable child, next to its Name tag (optional).
	Tags map[string]string
}

var (
	dbNameRE   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
	attrRE     = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)
	reservedDB = map[string]bool{"admin": true, "rdsadmin": true, "postgres": true, "root": true}
)

// engineVersionRE is the shape of an engine version per engine, so that a typo
// is a config error rather than an apply failure. Whether AWS still offers a
// well-formed version in a region only AWS knows: see engineVersionHelp.
var engineVersionRE = map[string]*regexp.Regexp{
	EnginePostgres:         regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,2}$`),
	EngineAuroraPostgreSQL: regexp.MustCompile(`^[0-9]+\.[0-9]+$`),
	EngineAuroraMySQL:      regexp.MustCompile(`^[0-9]+\.[0-9]+\.mysql_aurora\.[0-9]+\.[0-9]+\.[0-9]+$`),
}

var engineVersionExample = map[string]string{
	EnginePostgres:         DefaultPostgresVersion,
	EngineAuroraPostgreSQL: DefaultAuroraPostgreSQLVersion,
	EngineAuroraMySQL:      DefaultAuroraMySQLVersion,
}

// engineVersionHelp says how to list the versions AWS offers for engine.
func engineVersionHelp(engine, mode string) string {
	filter := ""
	if mode == ModeAuroraGlobal {
		filter = "[?SupportsGlobalDatabases]"
	}
	return fmt.Sprintf("list the versions AWS offers with `aws rds describe-db-engine-versions --engine %s --region <region> --query \"DBEngineVersions%s.EngineVersion\"`", engine, filter)
}

// resolved is Args with defaults applied.
type resolved struct {
	Args
	regions   []Region // primary first
	secondary int      // Aurora instances per secondary
}

// usesSQL reports whether the mode builds RDS or Aurora.
func (r *resolved) usesSQL() bool { return r.Mode != ModeDynamoDBGlobal }

// port is the database port.
func (r *resolved) port() int { return dbmodes.Port(r.Engine) }

// instancesIn returns the Aurora instance count of region i (0 = primary).
func (r *resolved) instancesIn(i int) int {
	if n := r.regions[i].Instances; n != nil {
		return *n
	}
	if i == 0 {
		return r.PrimaryInstances
	}
	return r.secondary
}

func resolve(name string, in *Args) (*resolved, error) {
	p := argcheck.New(fmt.Sprintf("globaldatabase %q", name))
	if in == nil {
		p.Add("Args", "is nil", "pass &globaldatabase.Args{Mode: ..., Primary: ...}")
		return nil, p.Err()
	}
	r := &resolved{Args: *in}
	a := &r.Args
	p.OneOf("Mode", a.Mode, ModeValues()...)
	if name == "" {
		p.Add("name", "is empty", "name the component (it is the base of the database identifiers)")
	}

	r.regions = append([]Region{a.Primary}, a.Secondaries...)
	seen := map[string]string{}
	for i, reg := range r.regions {
		field := "Primary"
		if i > 0 {
			field = fmt.Sprintf("Secondaries[%d]", i-1)
		}
		switch {
		case reg.Region == "":
			p.Add(field+".Region", "is required", "set the AWS region, e.g. \"us-west-2\"")
		case !regions.ValidName(reg.Region):
			p.Add(field+".Region", fmt.Sprintf("%q is not an AWS region name", reg.Region), "use a name like \"us-west-2\"")
		case seen[reg.Region] != "":
			if seen[reg.Region] == "Primary" {
				p.Add(field+".Region", fmt.Sprintf("%q is the primary region", reg.Region), "a secondary must be another region")
			} else {
				p.Add(field+".Region", fmt.Sprintf("%q is listed twice (also %s)", reg.Region, seen[reg.Region]), "list each region once")
			}
		default:
			seen[reg.Region] = field
		}
		if i > 0 && reg.Provider == nil {
			p.Add(field+".Provider", "is required", fmt.Sprintf("pass the AWS provider of %s (each region needs its own provider)", reg.Region))
		}
		if reg.KMSKeyARN == nil {
			p.Add(field+".KMSKeyARN", "is required", "pass the region's KMS key (RegionalStack.KMSKeyARN) so data at rest is encrypted with a customer-managed key")
		}
		if a.Mode != ModeDynamoDBGlobal {
			if reg.SubnetIDs == nil {
				p.Add(field+".SubnetIDs", fmt.Sprintf("is required for mode %q", a.Mode), "pass the region's private subnets (RegionalStack.PrivateSubnetIDs)")
			}
			if reg.SecurityGroupID == nil {
				p.Add(field+".SecurityGroupID", fmt.Sprintf("is required for mode %q", a.Mode), "pass RegionalStack.DatabaseSecurityGroupID")
			}
		}
		if reg.Instances != nil {
			if a.Mode != ModeAuroraGlobal {
				p.Add(field+".Instances", "is only for aurora-global", "remove it")
			} else if i == 0 {
				p.Range(field+".Instances", *reg.Instances, 1, MaxInstances)
			} else {
				p.Range(field+".Instances", *reg.Instances, 0, MaxInstances)
			}
		}
	}
	switch {
	case a.Mode == ModeRDS && len(a.Secondaries) > 0:
		p.Add("Secondaries", "mode \"rds\" is single-region", "remove Secondaries, or use \"rds-replica\" or \"aurora-global\" for a copy in another region")
	case a.Mode != ModeRDS && a.Mode != "" && len(a.Secondaries) == 0:
		p.Add("Secondaries", fmt.Sprintf("mode %q copies data to other regions", a.Mode), "list at least one secondary region, or use mode \"rds\"")
	}

	// engine
	switch a.Mode {
	case ModeRDS, ModeRDSReplica:
		if a.Engine == "" {
			a.Engine = EnginePostgres
		}
		if a.Engine != EnginePostgres {
			p.Add("Engine", fmt.Sprintf("%q is not supported by mode %q", a.Engine, a.Mode), "use \"postgres\" (or mode \"aurora-global\" for Aurora engines)")
		}
		if a.EngineVersion == "" {
			a.EngineVersion = DefaultPostgresVersion
		}
		if a.InstanceClass == "" {
			a.InstanceClass = DefaultRDSInstanceClass
		}
	case ModeAuroraGlobal:
		if a.Engine == "" {
			a.Engine = EngineAuroraPostgreSQL
		}
		switch a.Engine {
		case EngineAuroraPostgreSQL:
			if a.EngineVersion == "" {
				a.EngineVersion = DefaultAuroraPostgreSQLVersion
			}
		case EngineAuroraMySQL:
			if a.EngineVersion == "" {
				a.EngineVersion = DefaultAuroraMySQLVersion
			}
		default:
			p.Add("Engine", fmt.Sprintf("%q is not supported by mode \"aurora-global\"", a.Engine), "use "+argcheck.Or(argcheck.Quote(auroraEngines()...)...))
		}
		if a.InstanceClass == "" {
			a.InstanceClass = DefaultAuroraInstanceClass
		}
		if strings.HasPrefix(a.InstanceClass, "db.t") {
			p.Add("InstanceClass", fmt.Sprintf("%q is burstable", a.InstanceClass), fmt.Sprintf("Aurora Global Database needs db.r5 or larger (e.g. %q)", DefaultAuroraInstanceClass))
		}
	case ModeDynamoDBGlobal:
		if a.Engine != "" && a.Engine != EngineDynamoDB {
			p.Add("Engine", fmt.Sprintf("%q is not supported by mode \"dynamodb-global\"", a.Engine), "leave it empty")
		}
		a.Engine = EngineDynamoDB
		if a.InstanceClass != "" || a.EngineVersion != "" {
			p.Add("InstanceClass", "DynamoDB has no instances or engine versions", "remove InstanceClass and EngineVersion")
		}
	}
	if re, ok := engineVersionRE[a.Engine]; ok && a.EngineVersion != "" && !re.MatchString(a.EngineVersion) {
		p.Add("EngineVersion", fmt.Sprintf("%q is not a %s version (like %q)", a.EngineVersion, a.Engine, engineVersionExample[a.Engine]), fmt.Sprintf("%s", engineVersionHelp(a.Engine, a.Mode)))
	}
	if a.InstanceClass != "" && a.Mode != ModeDynamoDBGlobal && !strings.HasPrefix(a.InstanceClass, "db.") {
		p.Add("InstanceClass", fmt.Sprintf("%q is not an RDS instance class", a.InstanceClass), fmt.Sprintf("use a name like %q", DefaultRDSInstanceClass))
	}

	// sizes
	if a.PrimaryInstances == 0 {
		a.PrimaryInstances = DefaultPrimaryInstances
	}
	r.secondary = DefaultSecondaryInstances
	if a.SecondaryInstances != nil {
		r.secondary = *a.SecondaryInstances
	}
	if a.Mode == ModeAuroraGlobal {
		p.Range("PrimaryInstances", a.PrimaryInstances, 1, MaxInstances)
		p.Range("SecondaryInstances", r.secondary, 0, MaxInstances)
	} else if in.PrimaryInstances != 0 || in.SecondaryInstances != nil {
		p.Add("PrimaryInstances", "instance counts are only for aurora-global", "remove PrimaryInstances and SecondaryInstances")
	}
	if a.AllocatedStorageGB == 0 {
		a.AllocatedStorageGB = DefaultAllocatedStorageGB
	}
	if a.MaxAllocatedStorageGB == 0 {
		a.MaxAllocatedStorageGB = max(DefaultMaxAllocatedStorageGB, a.AllocatedStorageGB)
	}
	p.Range("AllocatedStorageGB", a.AllocatedStorageGB, 20, 65536)
	if a.MaxAllocatedStorageGB < a.AllocatedStorageGB {
		p.Add("MaxAllocatedStorageGB", fmt.Sprintf("%d is below AllocatedStorageGB %d", a.MaxAllocatedStorageGB, a.AllocatedStorageGB), "raise it")
	}
	if a.MultiAZ && a.Mode != ModeRDS && a.Mode != ModeRDSReplica {
		p.Add("MultiAZ", "is only for the rds modes", "Aurora spreads instances across zones itself, DynamoDB is multi-AZ")
	}
	if a.WriteForwarding && a.Mode != ModeAuroraGlobal {
		p.Add("WriteForwarding", "is only for aurora-global", "remove it")
	}
	if a.PromotedRegion != "" {
		switch {
		case a.Mode != ModeRDSReplica:
			p.Add("PromotedRegion", "is only for rds-replica (Aurora fails over with a managed failover, see the README runbook)", "")
		case a.PromotedRegion == a.Primary.Region:
			p.Add("PromotedRegion", fmt.Sprintf("%q is the primary", a.PromotedRegion), "promote a secondary region")
		case seen[a.PromotedRegion] == "":
			p.Add("PromotedRegion", fmt.Sprintf("%q is not a secondary region of this database", a.PromotedRegion), "use one of the Secondaries")
		}
	}
	if a.BackupRetentionDays == 0 {
		a.BackupRetentionDays = DefaultBackupRetentionDays
	}
	p.Range("BackupRetentionDays", a.BackupRetentionDays, 1, MaxBackupRetentionDays)
	if a.DatabaseName == "" {
		a.DatabaseName = DefaultDatabaseName
	}
	if !dbNameRE.MatchString(a.DatabaseName) {
		p.Add("DatabaseName", fmt.Sprintf("%q", a.DatabaseName), "use a letter then up to 62 letters, digits or underscores")
	}
	if a.MasterUsername == "" {
		a.MasterUsername = DefaultMasterUsername
	}
	if !dbNameRE.MatchString(a.MasterUsername) || len(a.MasterUsername) > 16 {
		p.Add("MasterUsername", fmt.Sprintf("%q", a.MasterUsername), "use a letter then up to 15 letters, digits or underscores")
	} else if reservedDB[strings.ToLower(a.MasterUsername)] {
		p.Add("MasterUsername", fmt.Sprintf("%q is reserved by the engine", a.MasterUsername), fmt.Sprintf("use another name, e.g. %q", DefaultMasterUsername))
	}
	if a.HashKey == "" {
		a.HashKey = DefaultHashKey
	}
	if a.RangeKey == "" {
		a.RangeKey = DefaultRangeKey
	}
	if !attrRE.MatchString(a.HashKey) || !attrRE.MatchString(a.RangeKey) || a.HashKey == a.RangeKey {
		p.Add("HashKey", fmt.Sprintf("%q / RangeKey %q", a.HashKey, a.RangeKey), "use two different attribute names of letters, digits, _ . -")
	}
	p.Tags("Tags", a.Tags)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// Validate checks args the way New does, without creating anything: every
// problem at once, each naming the field and the fix.
func Validate(name string, args *Args) error {
	_, err := resolve(name, args)
	return err
}
