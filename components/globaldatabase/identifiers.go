package globaldatabase

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// AWS limits on the names this component creates.
const (
	// MaxIdentifierLength is the longest RDS identifier: DB instances, Aurora
	// clusters, Aurora cluster instances and global clusters all take 1 to 63
	// letters, digits or hyphens, starting with a letter, with no two consecutive
	// hyphens and no trailing hyphen (CreateDBInstance DBInstanceIdentifier,
	// CreateDBCluster DBClusterIdentifier, CreateGlobalCluster
	// GlobalClusterIdentifier in the RDS API reference).
	MaxIdentifierLength = 63
	// MaxSnapshotIdentifierLength is the longest final snapshot identifier, with the
	// same character rules (DeleteDBInstance and DeleteDBCluster
	// FinalDBSnapshotIdentifier in the RDS API reference).
	MaxSnapshotIdentifierLength = 255
	// MaxTableNameLength is the longest DynamoDB table name, of letters, digits,
	// "_", "-" and "." (CreateTable TableName in the DynamoDB API reference).
	MaxTableNameLength = 255
	// maxSubnetGroupNameLength: a DB subnet group name has at most 255
	// characters (CreateDBSubnetGroup DBSubnetGroupName).
	maxSubnetGroupNameLength = 255
	// maxSecretNameLength: a Secrets Manager secret name has at most 512
	// characters (CreateSecret Name).
	maxSecretNameLength = 512
	// AutonameSuffixLength is what Pulumi adds to a logical name when it
	// auto-names an identifier: "-" and 7 random hex characters (pulumi-aws
	// auto-naming, resource.NewUniqueHex with randlen 7).
	AutonameSuffixLength = 8
	// hashLength is the length of the hash that keeps shortened names unique.
	hashLength = 6
)

var (
	// identifierRE is the RDS identifier rule without the length limit; we only
	// create lowercase identifiers (RDS stores them lowercase anyway).
	identifierRE = regexp.MustCompile(`^[a-z](-?[a-z0-9])*$`)
	// tableNameRE is the DynamoDB table name rule without the length limit.
	tableNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

// ValidIdentifier reports whether s is an RDS identifier (or final snapshot
// identifier when maxLen is MaxSnapshotIdentifierLength) that AWS accepts.
func ValidIdentifier(s string, maxLen int) bool {
	return len(s) >= 1 && len(s) <= maxLen && identifierRE.MatchString(s)
}

// shortHash is a short, stable hash of s: it keeps two names that are
// shortened or cleaned to the same text apart.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLength]
}

// fit returns s when it has at most max characters, otherwise its first
// characters plus "-" and a hash of the whole of s, max characters in all. A
// valid identifier stays valid: the cut drops trailing hyphens before the hash
// is added, so it never creates "--" or a trailing hyphen.
func fit(s string, max int) string {
	if len(s) <= max {
		return s
	}
	head := strings.TrimRight(s[:max-hashLength-1], "-")
	return head + "-" + shortHash(s)
}

// identifierBase returns the text a GlobalDatabase's identifiers start with.
// A name that already makes valid identifiers is used unchanged, so existing
// stacks keep their names (a renamed database is a replaced database). Any
// other name (a stack name with "_", "." or capitals, "--", a trailing
// hyphen) is lowercased, cleaned to letters, digits and single hyphens, and
// given a hash of the original name so that two names never meet.
func identifierBase(name, mode string) string {
	if mode == ModeDynamoDBGlobal {
		if tableNameRE.MatchString(name) {
			return name
		}
	} else if identifierRE.MatchString(name) {
		return name
	}
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	var parts []string
	for _, p := range strings.Split(b.String(), "-") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	clean := strings.Join(parts, "-")
	if clean == "" || clean[0] < 'a' || clean[0] > 'z' {
		clean = strings.TrimSuffix("db-"+clean, "-")
	}
	return clean + "-" + shortHash(name)
}

// identifierName returns the logical name of a child whose identifier Pulumi
// auto-names: short enough that name + AutonameSuffixLength stays within
// MaxIdentifierLength. Names that fit are unchanged.
func identifierName(logical string) string {
	return fit(logical, MaxIdentifierLength-AutonameSuffixLength)
}
