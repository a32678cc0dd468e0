package globaldatabase

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// dynamodb builds a DynamoDB global table (version 2019.11.21) in the primary
// region with a replica in every secondary region, each encrypted with its
// region's key and with point-in-time recovery.
func (b *builder) dynamodb() error {
	cfg := b.cfg
	var replicas dynamodb.TableReplicaTypeArray
	for _, r := range cfg.Secondaries {
		replicas = append(replicas, dynamodb.TableReplicaTypeArgs{
			RegionName:          pulumi.String(r.Region),
			KmsKeyArn:           r.KMSKeyARN,
			PointInTimeRecovery: pulumi.Bool(true),
			PropagateTags:       pulumi.Bool(true),
		})
	}
	name := fit(b.child("table"), MaxTableNameLength-AutonameSuffixLength)
	table, err := dynamodb.NewTable(b.ctx, name, &dynamodb.TableArgs{
		BillingMode: pulumi.String("PAY_PER_REQUEST"),
		HashKey:     pulumi.String(cfg.HashKey),
		RangeKey:    pulumi.String(cfg.RangeKey),
		Attributes: dynamodb.TableAttributeArray{
			dynamodb.TableAttributeArgs{Name: pulumi.String(cfg.HashKey), Type: pulumi.String("S")},
			dynamodb.TableAttributeArgs{Name: pulumi.String(cfg.RangeKey), Type: pulumi.String("S")},
		},
		// Global tables replicate through streams.
		StreamEnabled:  pulumi.Bool(true),
		StreamViewType: pulumi.String("NEW_AND_OLD_IMAGES"),
		PointInTimeRecovery: dynamodb.TablePointInTimeRecoveryArgs{
			Enabled: pulumi.Bool(true),
		},
		ServerSideEncryption: dynamodb.TableServerSideEncryptionArgs{
			Enabled:   pulumi.Bool(true),
			KmsKeyArn: cfg.Primary.KMSKeyARN,
		},
		DeletionProtectionEnabled: pulumi.Bool(!cfg.DisableDeletionProtection),
		Replicas:                  replicas,
		Tags:                      b.tags(name),
	}, b.in(0, b.stateful()...)...)
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	readers := pulumi.StringMap{}
	for _, r := range cfg.regions {
		readers[r.Region] = pulumi.Sprintf("dynamodb.%s.amazonaws.com/%s", r.Region, table.Name)
	}
	b.db.WriterEndpoint = table.Name
	b.db.Table = table
	b.db.TableName = table.Name
	b.db.ReaderEndpoints = readers.ToStringMapOutput()
	return nil
}
