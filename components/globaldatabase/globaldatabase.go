// Package globaldatabase builds the data layer across regions: a single RDS
// instance (dev), RDS PostgreSQL with cross-region read replicas
// (active-passive), an Aurora Global Database, or a DynamoDB global table
// (active-active).
//
// Every mode encrypts with each region's customer-managed KMS key, is never
// publicly accessible, keeps backups, and has deletion protection and a final
// snapshot unless the caller opts out. The master password is generated (or
// taken from a Pulumi secret), kept secret in Pulumi state, and stored in AWS
// Secrets Manager with a replica in every database region.
package globaldatabase

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
)

// TypeToken is the Pulumi type of the component.
const TypeToken = "multiregion:index:GlobalDatabase"

// GlobalDatabase is the database across regions.
type GlobalDatabase struct {
	pulumi.ResourceState

	// Mode is the database mode.
	Mode pulumi.StringOutput `pulumi:"mode"`
	// PrimaryRegion is the region that takes writes.
	PrimaryRegion pulumi.StringOutput `pulumi:"primaryRegion"`
	// Regions are every region holding a copy of the data, primary first.
	Regions pulumi.StringArrayOutput `pulumi:"regions"`
	// WriterEndpoint is where the application writes: the Aurora global writer
	// endpoint, the RDS primary's (or promoted replica's) address, or the DynamoDB
	// table name.
	WriterEndpoint pulumi.StringOutput `pulumi:"writerEndpoint"`
	// ReaderEndpoints maps each region to the endpoint to read from there.
	ReaderEndpoints pulumi.StringMapOutput `pulumi:"readerEndpoints"`
	// SecretARN is the Secrets Manager secret with the credentials ("" for DynamoDB).
	SecretARN pulumi.StringOutput `pulumi:"secretArn"`
	// TableName is the DynamoDB table's name ("" for the SQL modes).
	TableName pulumi.StringOutput `pulumi:"tableName"`

	// ModeName is Mode as a plain value.
	ModeName string
	// Engine is the resolved engine ("postgres", "aurora-postgresql", "aurora-mysql", "dynamodb").
	Engine string
	// Port is the database port (0 for DynamoDB).
	Port int
	// InstanceClass is the resolved instance class of the RDS instances and
	// Aurora cluster instances ("" for DynamoDB).
	InstanceClass string
	// DataRegions are the regions that hold a copy of the data, primary first: what a
	// residency policy must check.
	DataRegions []string
	// WriterRegion is the region that takes writes: the primary, or the promoted region.
	WriterRegion string
	// Objectives is the RPO/RTO class of the mode.
	Objectives Objectives

	// The child resources, for attaching what the component does not build
	// (alarms on replica lag or CPU, event subscriptions, backup plans,
	// stream consumers), as pulumi-awsx returns its children. Go handles only,
	// not registered outputs. Which are set depends on the mode; maps are keyed
	// by region and nil in modes without them. Parent what you attach to the
	// component and pass the region's provider (pulumi.Provider) for children
	// outside the primary region.

	// Instances are the RDS instances per region (rds, rds-replica): the
	// primary and each cross-region read replica.
	Instances map[string]*rds.Instance
	// GlobalCluster is the Aurora global cluster (aurora-global).
	GlobalCluster *rds.GlobalCluster
	// Clusters are the Aurora clusters per region (aurora-global).
	Clusters map[string]*rds.Cluster
	// ClusterInstances are the Aurora instances per region, in promotion-tier
	// order (aurora-global; empty for a headless secondary).
	ClusterInstances map[string][]*rds.ClusterInstance
	// Table is the DynamoDB global table (dynamodb-global).
	Table *dynamodb.Table
	// Secret is the Secrets Manager secret with the credentials (SecretARN is
	// its ARN; the SQL modes).
	Secret *secretsmanager.Secret
}

// New builds a GlobalDatabase named name. The name is also the base of the
// database identifiers: a name of lowercase letters, digits and single hyphens
// is used as is; any other name is cleaned and given a short hash (see
// identifierBase), and a child whose identifier would pass AWS's 63-character
// limit gets a shortened, hashed logical name.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*GlobalDatabase, error) {
	cfg, err := resolve(name, args)
	if err != nil {
		return nil, err
	}
	db := &GlobalDatabase{ModeName: cfg.Mode, Engine: cfg.Engine, WriterRegion: cfg.Primary.Region}
	if cfg.PromotedRegion != "" {
		db.WriterRegion = cfg.PromotedRegion
	}
	for _, r := range cfg.regions {
		db.DataRegions = append(db.DataRegions, r.Region)
	}
	db.Objectives, _ = ObjectivesFor(cfg.Mode)
	if cfg.usesSQL() {
		db.Port = cfg.port()
		db.InstanceClass = cfg.InstanceClass
	}
	if err := ctx.RegisterComponentResource(TypeToken, name, db, opts...); err != nil {
		return nil, fmt.Errorf("globaldatabase %q: register component: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, base: identifierBase(name, cfg.Mode), cfg: cfg, db: db}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("globaldatabase %q (%s): %w", name, cfg.Mode, err)
	}
	db.Mode = pulumi.String(cfg.Mode).ToStringOutput()
	db.PrimaryRegion = pulumi.String(cfg.Primary.Region).ToStringOutput()
	db.Regions = pulumi.ToStringArray(db.DataRegions).ToStringArrayOutput()
	if err := ctx.RegisterResourceOutputs(db, pulumi.Map{
		"mode":            db.Mode,
		"primaryRegion":   db.PrimaryRegion,
		"regions":         db.Regions,
		"writerEndpoint":  db.WriterEndpoint,
		"readerEndpoints": db.ReaderEndpoints,
		"secretArn":       db.SecretARN,
		"tableName":       db.TableName,
	}); err != nil {
		return nil, fmt.Errorf("globaldatabase %q: register outputs: %w", name, err)
	}
	return db, nil
}

// builder holds what the child constructors share.
type builder struct {
	ctx  *pulumi.Context
	name string
	base string // what every child's name starts with (identifierBase)
	cfg  *resolved
	db   *GlobalDatabase

	password pulumi.StringOutput
	secret   *secretsmanager.Secret
}

// child returns the logical name of a child.
func (b *builder) child(role string, parts ...string) string {
	return naming.Child(b.base, role, parts...)
}

// identified returns the logical name of a child whose RDS identifier Pulumi
// auto-names from it (instances, clusters, cluster instances): shortened when
// the identifier would pass MaxIdentifierLength.
func (b *builder) identified(role string, parts ...string) string {
	return identifierName(b.child(role, parts...))
}

func (b *builder) tags(name string) pulumi.StringMap {
	return naming.Tags(b.cfg.Tags, name)
}

// in returns the options that place a child in region i (0 = primary).
func (b *builder) in(i int, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(b.db)}
	if p := b.cfg.regions[i].Provider; p != nil {
		opts = append(opts, pulumi.Provider(p))
	}
	return append(opts, extra...)
}

// stateful returns the options of a resource that holds data: protected from
// `pulumi destroy` and replacement unless deletion protection is off.
func (b *builder) stateful() []pulumi.ResourceOption {
	if b.cfg.DisableDeletionProtection {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.Protect(true)}
}

func (b *builder) build() error {
	b.db.SecretARN = pulumi.String("").ToStringOutput()
	b.db.TableName = pulumi.String("").ToStringOutput()
	switch b.cfg.Mode {
	case ModeRDS, ModeRDSReplica:
		if err := b.credentials(); err != nil {
			return err
		}
		return b.rdsInstances()
	case ModeAuroraGlobal:
		if err := b.credentials(); err != nil {
			return err
		}
		return b.aurora()
	case ModeDynamoDBGlobal:
		return b.dynamodb()
	}
	return fmt.Errorf("unknown mode %q", b.cfg.Mode)
}

// credentials generates (or takes) the master password and creates the Secrets
// Manager secret that holds it, replicated to every database region.
func (b *builder) credentials() error {
	cfg := b.cfg
	if cfg.MasterPassword != nil {
		b.password = pulumi.ToSecret(cfg.MasterPassword.ToStringOutput()).(pulumi.StringOutput)
	} else {
		pw, err := random.NewRandomPassword(b.ctx, b.child("password"), &random.RandomPasswordArgs{
			Length:          pulumi.Int(passwordLength),
			Special:         pulumi.Bool(true),
			OverrideSpecial: pulumi.String(passwordSpecials),
			MinLower:        pulumi.Int(2),
			MinUpper:        pulumi.Int(2),
			MinNumeric:      pulumi.Int(2),
		}, pulumi.Parent(b.db))
		if err != nil {
			return fmt.Errorf("master password: %w", err)
		}
		b.password = pulumi.ToSecret(pw.Result).(pulumi.StringOutput)
	}

	var replicas secretsmanager.SecretReplicaArray
	for _, r := range cfg.Secondaries {
		replicas = append(replicas, secretsmanager.SecretReplicaArgs{
			Region:   pulumi.String(r.Region),
			KmsKeyId: r.KMSKeyARN,
		})
	}
	name := fit(b.child("credentials"), maxSecretNameLength-AutonameSuffixLength)
	secret, err := secretsmanager.NewSecret(b.ctx, name, &secretsmanager.SecretArgs{
		Description:          pulumi.Sprintf("Master credentials of the %s database %s", cfg.Mode, b.name),
		KmsKeyId:             cfg.Primary.KMSKeyARN,
		Replicas:             replicas,
		RecoveryWindowInDays: pulumi.Int(secretRecoveryDays),
		Tags:                 b.tags(name),
	}, b.in(0)...)
	if err != nil {
		return fmt.Errorf("credentials secret: %w", err)
	}
	b.secret = secret
	b.db.Secret = secret
	b.db.SecretARN = secret.Arn
	return nil
}

// storeCredentials writes the credentials document once the writer endpoint is known.
func (b *builder) storeCredentials(host pulumi.StringOutput) error {
	cfg := b.cfg
	doc := pulumi.All(host, b.password).ApplyT(func(v []any) (string, error) {
		out, err := json.Marshal(map[string]any{
			"engine":   cfg.Engine,
			"host":     v[0].(string),
			"port":     cfg.port(),
			"dbname":   cfg.DatabaseName,
			"username": cfg.MasterUsername,
			"password": v[1].(string),
		})
		return string(out), err
	}).(pulumi.StringOutput)
	if _, err := secretsmanager.NewSecretVersion(b.ctx, b.child("credentials-version"), &secretsmanager.SecretVersionArgs{
		SecretId:     b.secret.ID(),
		SecretString: pulumi.ToSecret(doc).(pulumi.StringOutput),
	}, pulumi.Parent(b.secret)); err != nil {
		return fmt.Errorf("credentials secret version: %w", err)
	}
	return nil
}

// subnetGroup creates the database subnet group of region i.
func (b *builder) subnetGroup(i int) (*rds.SubnetGroup, error) {
	r := b.cfg.regions[i]
	name := fit(b.child("subnets", r.Region), maxSubnetGroupNameLength-AutonameSuffixLength)
	sg, err := rds.NewSubnetGroup(b.ctx, name, &rds.SubnetGroupArgs{
		Description: pulumi.Sprintf("Private subnets of %s in %s", b.name, r.Region),
		SubnetIds:   r.SubnetIDs,
		Tags:        b.tags(name),
	}, b.in(i)...)
	if err != nil {
		return nil, fmt.Errorf("subnet group in %s: %w", r.Region, err)
	}
	return sg, nil
}

// finalSnapshot returns the final snapshot identifier of the database in
// region (nil when the caller skips final snapshots):
// "<base>-<region>-final-<8 hex>". The hex comes from a random.RandomId that is
// created, destroyed and replaced with the database (its keepers are the
// database's replace-on-change inputs), so a database that is destroyed and
// created again, or replaced, gets a new final snapshot name and its deletion
// never meets SnapshotAlreadyExists. finalSnapshotIdentifier is not a
// replace-on-change property of aws:rds/instance or aws:rds/cluster (it is only
// read at deletion), so giving an existing database the suffix updates it in
// place.
func (b *builder) finalSnapshot(region, database string, keepers pulumi.StringMap) (pulumi.StringPtrInput, error) {
	if b.cfg.SkipFinalSnapshot {
		return nil, nil
	}
	keepers["database"] = pulumi.String(database)
	id, err := random.NewRandomId(b.ctx, b.child("final-snapshot", region), &random.RandomIdArgs{
		ByteLength: pulumi.Int(finalSnapshotBytes),
		Keepers:    keepers,
	}, pulumi.Parent(b.db))
	if err != nil {
		return nil, fmt.Errorf("final snapshot suffix in %s: %w", region, err)
	}
	prefix := fit(b.base+"-"+region, MaxSnapshotIdentifierLength-len("-final-")-2*finalSnapshotBytes)
	if b.cfg.Mode != ModeDynamoDBGlobal && !identifierRE.MatchString(prefix) {
		return nil, fmt.Errorf("final snapshot identifier %q: not an RDS identifier", prefix)
	}
	return pulumi.Sprintf("%s-final-%s", prefix, id.Hex), nil
}

// finalSnapshotBytes is the random part of a final snapshot identifier: 4
// bytes, 8 hex characters.
const finalSnapshotBytes = 4
