// Package dbmodes names the database modes of a GlobalDatabase and the RPO/RTO
// class each can meet. It has no cloud SDK dependencies, so the policy pack can
// use it without linking the providers' SDKs.
package dbmodes

import (
	"fmt"
	"time"
)

// Modes of a GlobalDatabase.
const (
	// ModeRDS is one RDS PostgreSQL instance in the primary region (Multi-AZ
	// optional). No cross-region copy: for dev.
	ModeRDS = "rds"
	// ModeRDSReplica is an RDS PostgreSQL primary plus one cross-region read replica
	// per secondary region: active-passive at the lowest cost.
	ModeRDSReplica = "rds-replica"
	// ModeAuroraGlobal is an Aurora Global Database: a writer cluster in the primary
	// region and a read-only secondary cluster per secondary region.
	ModeAuroraGlobal = "aurora-global"
	// ModeDynamoDBGlobal is a DynamoDB global table with a replica in every region:
	// multi-writer, for active-active.
	ModeDynamoDBGlobal = "dynamodb-global"
)

// Engines of a GlobalDatabase: the RDS one, the Aurora ones, DynamoDB.
const (
	EnginePostgres         = "postgres"
	EngineAuroraPostgreSQL = "aurora-postgresql"
	EngineAuroraMySQL      = "aurora-mysql"
	EngineDynamoDB         = "dynamodb"
)

// Default ports of the SQL engines: the app's security group opens the port
// to the database's, and the database listens on it.
const (
	// PostgreSQLPort is PostgreSQL's (and Aurora PostgreSQL's) default port.
	PostgreSQLPort = 5432
	// MySQLPort is MySQL's (and Aurora MySQL's) default port.
	MySQLPort = 3306
)

// Port returns the port a database of engine listens on: MySQLPort for
// aurora-mysql, else PostgreSQLPort (DynamoDB listens on none; callers do
// not ask for it).
func Port(engine string) int {
	if engine == EngineAuroraMySQL {
		return MySQLPort
	}
	return PostgreSQLPort
}

// Modes lists every mode, in order of increasing cost and capability.
//
// Deprecated: use ModeValues, which returns a copy that callers may change.
var Modes = ModeValues()

// ModeValues returns every mode, in order of increasing cost and capability.
func ModeValues() []string {
	return []string{ModeRDS, ModeRDSReplica, ModeAuroraGlobal, ModeDynamoDBGlobal}
}

// Objectives are the recovery point and recovery time a mode can meet when its
// primary region is lost. They are classes, not guarantees: replication lag and
// the runbook's speed decide the real numbers, so drill them.
type Objectives struct {
	// Mode is the database mode these objectives describe.
	Mode string
	// CrossRegion is false when no copy of the data leaves the primary region, so
	// losing that region loses the data since the last backup copied elsewhere.
	CrossRegion bool
	// RPO is the data written before the failure that may be lost.
	RPO time.Duration
	// RTO is the time until writes are accepted again in another region.
	RTO time.Duration
	// Lag describes the replication (for diagrams and reports), e.g. "async, typically < 1 s".
	Lag string
	// Summary says how recovery works in this mode.
	Summary string
}

// objectives per mode. Sources: AWS documentation for Aurora Global Database
// (replication lag typically under 1 s, managed failover in about a minute),
// RDS cross-region read replicas (async; promotion takes minutes) and DynamoDB
// global tables (async, typically within a second, every replica writable).
var objectives = map[string]Objectives{
	ModeRDS: {
		Mode: ModeRDS, CrossRegion: false,
		RPO: 24 * time.Hour, RTO: 24 * time.Hour,
		Lag:     "no cross-region copy",
		Summary: "single region: a region loss means restoring from backups elsewhere (hours, data since the last copied snapshot lost)",
	},
	ModeRDSReplica: {
		Mode: ModeRDSReplica, CrossRegion: true,
		RPO: time.Minute, RTO: 30 * time.Minute,
		Lag:     "async, seconds",
		Summary: "async cross-region read replica: RPO seconds (up to the replica lag), RTO minutes plus promotion (two applies)",
	},
	ModeAuroraGlobal: {
		Mode: ModeAuroraGlobal, CrossRegion: true,
		RPO: time.Second, RTO: time.Minute,
		Lag:     "async storage replication, typically < 1 s",
		Summary: "Aurora Global Database: RPO ~1 s, RTO ~1 min with a managed failover or switchover",
	},
	ModeDynamoDBGlobal: {
		Mode: ModeDynamoDBGlobal, CrossRegion: true,
		RPO: time.Second, RTO: 0,
		Lag:     "async multi-writer, typically < 1 s",
		Summary: "DynamoDB global table: every region writes; RPO ~1 s, RTO ~0 (traffic moves, the data is already there)",
	},
}

// ObjectivesFor returns the RPO/RTO class of mode.
func ObjectivesFor(mode string) (Objectives, error) {
	o, ok := objectives[mode]
	if !ok {
		return Objectives{}, fmt.Errorf("unknown database mode %q: use one of %v", mode, ModeValues())
	}
	return o, nil
}

// Meets returns nil when the mode can meet the declared targets (a zero target
// means none was declared), otherwise an error saying which target it misses
// and by how much.
func (o Objectives) Meets(rpo, rto time.Duration) error {
	switch {
	case rpo > 0 && o.RPO > rpo:
		return fmt.Errorf("mode %q has RPO ~%s, above the declared %s: %s", o.Mode, o.RPO, rpo, o.Summary)
	case rto > 0 && o.RTO > rto:
		return fmt.Errorf("mode %q has RTO ~%s, above the declared %s: %s", o.Mode, o.RTO, rto, o.Summary)
	}
	return nil
}
