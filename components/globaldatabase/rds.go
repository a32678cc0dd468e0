package globaldatabase

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// rdsInstances builds the rds and rds-replica modes: the primary instance, then
// one cross-region read replica per secondary region.
func (b *builder) rdsInstances() error {
	cfg := b.cfg
	readers := pulumi.StringMap{}

	primarySubnets, err := b.subnetGroup(0)
	if err != nil {
		return err
	}
	// Named by region, not role: after a promotion the regions can swap roles
	// without renaming (and so replacing) a database.
	name := b.identified("db", cfg.Primary.Region)
	final, err := b.finalSnapshot(cfg.Primary.Region, name, b.instanceKeepers(0))
	if err != nil {
		return err
	}
	primary, err := rds.NewInstance(b.ctx, name, &rds.InstanceArgs{
		Engine:                      pulumi.String(cfg.Engine),
		EngineVersion:               pulumi.String(cfg.EngineVersion),
		InstanceClass:               pulumi.String(cfg.InstanceClass),
		AllocatedStorage:            pulumi.Int(cfg.AllocatedStorageGB),
		MaxAllocatedStorage:         pulumi.Int(cfg.MaxAllocatedStorageGB),
		StorageType:                 pulumi.String("gp3"),
		StorageEncrypted:            pulumi.Bool(true),
		KmsKeyId:                    cfg.Primary.KMSKeyARN,
		DbName:                      pulumi.String(cfg.DatabaseName),
		Username:                    pulumi.String(cfg.MasterUsername),
		Password:                    b.password,
		Port:                        pulumi.Int(cfg.port()),
		DbSubnetGroupName:           primarySubnets.Name,
		VpcSecurityGroupIds:         pulumi.StringArray{cfg.Primary.SecurityGroupID},
		PubliclyAccessible:          pulumi.Bool(false),
		MultiAz:                     pulumi.Bool(cfg.MultiAZ),
		BackupRetentionPeriod:       pulumi.Int(cfg.BackupRetentionDays),
		CopyTagsToSnapshot:          pulumi.Bool(true),
		DeletionProtection:          pulumi.Bool(!cfg.DisableDeletionProtection),
		SkipFinalSnapshot:           pulumi.Bool(cfg.SkipFinalSnapshot),
		FinalSnapshotIdentifier:     final,
		AutoMinorVersionUpgrade:     pulumi.Bool(true),
		PerformanceInsightsEnabled:  pulumi.Bool(true),
		PerformanceInsightsKmsKeyId: cfg.Primary.KMSKeyARN,
		Tags:                        b.tags(name),
	}, b.in(0, b.stateful()...)...)
	if err != nil {
		return fmt.Errorf("primary instance in %s: %w", cfg.Primary.Region, err)
	}
	b.db.Instances = map[string]*rds.Instance{cfg.Primary.Region: primary}
	readers[cfg.Primary.Region] = primary.Address
	writer := primary.Address

	for i := 1; i < len(cfg.regions); i++ {
		r := cfg.regions[i]
		subnets, err := b.subnetGroup(i)
		if err != nil {
			return err
		}
		promoted := r.Region == cfg.PromotedRegion
		var source pulumi.StringPtrInput = primary.Arn
		if promoted {
			// Removing the source promotes the replica to a standalone instance.
			// Nothing else changes in this apply (hashicorp/terraform-provider-aws#4419).
			source = nil
		}
		name := b.identified("db", r.Region)
		// AWS refuses a final snapshot when it deletes a read replica
		// (InvalidParameterCombination: FinalDBSnapshotIdentifier can not be
		// specified when deleting a replica instance; DeleteDBInstance), so a
		// replica skips it; its data is in the source's snapshots. A promoted
		// replica is a standalone database and gets one like a primary.
		skipFinal := cfg.SkipFinalSnapshot || !promoted
		var final pulumi.StringPtrInput
		if !skipFinal {
			if final, err = b.finalSnapshot(r.Region, name, b.instanceKeepers(i)); err != nil {
				return err
			}
		}
		replica, err := rds.NewInstance(b.ctx, name, &rds.InstanceArgs{
			ReplicateSourceDb:           source,
			InstanceClass:               pulumi.String(cfg.InstanceClass),
			MaxAllocatedStorage:         pulumi.Int(cfg.MaxAllocatedStorageGB),
			StorageType:                 pulumi.String("gp3"),
			StorageEncrypted:            pulumi.Bool(true),
			KmsKeyId:                    r.KMSKeyARN,
			Port:                        pulumi.Int(cfg.port()),
			DbSubnetGroupName:           subnets.Name,
			VpcSecurityGroupIds:         pulumi.StringArray{r.SecurityGroupID},
			PubliclyAccessible:          pulumi.Bool(false),
			MultiAz:                     pulumi.Bool(cfg.MultiAZ),
			BackupRetentionPeriod:       pulumi.Int(cfg.BackupRetentionDays),
			CopyTagsToSnapshot:          pulumi.Bool(true),
			DeletionProtection:          pulumi.Bool(!cfg.DisableDeletionProtection),
			SkipFinalSnapshot:           pulumi.Bool(skipFinal),
			FinalSnapshotIdentifier:     final,
			AutoMinorVersionUpgrade:     pulumi.Bool(true),
			PerformanceInsightsEnabled:  pulumi.Bool(true),
			PerformanceInsightsKmsKeyId: r.KMSKeyARN,
			Tags:                        b.tags(name),
		}, b.in(i, b.stateful()...)...)
		if err != nil {
			return fmt.Errorf("read replica in %s: %w", r.Region, err)
		}
		b.db.Instances[r.Region] = replica
		readers[r.Region] = replica.Address
		if promoted {
			writer = replica.Address
		}
	}
	b.db.WriterEndpoint = writer
	b.db.ReaderEndpoints = readers.ToStringMapOutput()
	return b.storeCredentials(writer)
}

// aurora builds an Aurora Global Database: the global cluster, the primary
// cluster with its instances, and a secondary cluster per secondary region.
func (b *builder) aurora() error {
	cfg := b.cfg
	readers := pulumi.StringMap{}
	// Pitfalls 1-3: membership and engine version are changed outside IaC by a
	// managed switchover/failover or a global upgrade; never let the next
	// `pulumi up` detach, promote or "upgrade" a cluster because of that drift.
	driftSafe := pulumi.IgnoreChanges([]string{"globalClusterIdentifier", "replicationSourceIdentifier", "engineVersion"})

	// A global upgrade (by AWS, the console or the runbook) changes the global
	// cluster's version outside IaC too; like the clusters, never roll it back
	// (pitfall 3).
	globalName := b.child("global")
	global, err := rds.NewGlobalCluster(b.ctx, globalName, &rds.GlobalClusterArgs{
		GlobalClusterIdentifier: pulumi.String(fit(b.base, MaxIdentifierLength)),
		Engine:                  pulumi.String(cfg.Engine),
		EngineVersion:           pulumi.String(cfg.EngineVersion),
		DatabaseName:            pulumi.String(cfg.DatabaseName),
		StorageEncrypted:        pulumi.Bool(true),
		DeletionProtection:      pulumi.Bool(!cfg.DisableDeletionProtection),
		Tags:                    b.tags(globalName),
	}, b.in(0, append(b.stateful(), pulumi.IgnoreChanges([]string{"engineVersion"}))...)...)
	if err != nil {
		return fmt.Errorf("global cluster: %w", err)
	}
	b.db.GlobalCluster = global
	b.db.Clusters = map[string]*rds.Cluster{}
	b.db.ClusterInstances = map[string][]*rds.ClusterInstance{}

	var previous []pulumi.Resource // the secondaries wait for the primary's instances
	for i, r := range cfg.regions {
		subnets, err := b.subnetGroup(i)
		if err != nil {
			return err
		}
		role := "secondary"
		name := b.identified("cluster", r.Region)
		final, err := b.finalSnapshot(r.Region, name, b.clusterKeepers(i, subnets))
		if err != nil {
			return err
		}
		args := &rds.ClusterArgs{
			Engine:                  pulumi.String(cfg.Engine),
			EngineVersion:           pulumi.String(cfg.EngineVersion),
			GlobalClusterIdentifier: global.ID(),
			DbSubnetGroupName:       subnets.Name,
			VpcSecurityGroupIds:     pulumi.StringArray{r.SecurityGroupID},
			Port:                    pulumi.Int(cfg.port()),
			StorageEncrypted:        pulumi.Bool(true),
			KmsKeyId:                r.KMSKeyARN,
			BackupRetentionPeriod:   pulumi.Int(cfg.BackupRetentionDays),
			CopyTagsToSnapshot:      pulumi.Bool(true),
			DeletionProtection:      pulumi.Bool(!cfg.DisableDeletionProtection),
			SkipFinalSnapshot:       pulumi.Bool(cfg.SkipFinalSnapshot),
			FinalSnapshotIdentifier: final,
		}
		if i == 0 {
			role = "primary"
			args.MasterUsername = pulumi.String(cfg.MasterUsername)
			args.MasterPassword = b.password
			args.DatabaseName = pulumi.String(cfg.DatabaseName)
		} else if cfg.WriteForwarding {
			args.EnableGlobalWriteForwarding = pulumi.Bool(true)
		}
		args.Tags = b.tags(name)
		args.Tags.(pulumi.StringMap)["multiregion:role"] = pulumi.String(role)
		opts := append(b.in(i, driftSafe, pulumi.DependsOn(previous)), b.stateful()...)
		cluster, err := rds.NewCluster(b.ctx, name, args, opts...)
		if err != nil {
			return fmt.Errorf("%s cluster in %s: %w", role, r.Region, err)
		}
		b.db.Clusters[r.Region] = cluster
		b.db.ClusterInstances[r.Region] = []*rds.ClusterInstance{}
		var instances []pulumi.Resource
		for n := 0; n < cfg.instancesIn(i); n++ {
			// Instances hold no data: they must not inherit the cluster's protect,
			// or lowering an instance count (the switchover runbook) fails with
			// "resource is protected".
			iname := b.identified("instance", r.Region, fmt.Sprint(n+1))
			inst, err := rds.NewClusterInstance(b.ctx, iname, &rds.ClusterInstanceArgs{
				ClusterIdentifier:       cluster.ID(),
				Engine:                  pulumi.String(cfg.Engine),
				InstanceClass:           pulumi.String(cfg.InstanceClass),
				DbSubnetGroupName:       subnets.Name,
				PubliclyAccessible:      pulumi.Bool(false),
				AutoMinorVersionUpgrade: pulumi.Bool(true),
				PromotionTier:           pulumi.Int(n),
				Tags:                    b.tags(iname),
			}, append(b.in(i, pulumi.IgnoreChanges([]string{"engineVersion"})), pulumi.Parent(cluster), pulumi.Protect(false))...)
			if err != nil {
				return fmt.Errorf("%s instance %d in %s: %w", role, n+1, r.Region, err)
			}
			instances = append(instances, inst)
			b.db.ClusterInstances[r.Region] = append(b.db.ClusterInstances[r.Region], inst)
		}
		readers[r.Region] = cluster.ReaderEndpoint
		if i == 0 {
			previous = instances
		}
	}
	b.db.WriterEndpoint = global.Endpoint
	b.db.ReaderEndpoints = readers.ToStringMapOutput()
	return b.storeCredentials(global.Endpoint)
}

// instanceKeepers are the inputs of region i's RDS instance that replace it
// when they change (ForceNew in the provider schema: engine, kms_key_id,
// db_name, username; the identifier follows the logical name), so its final
// snapshot suffix is renewed with it.
func (b *builder) instanceKeepers(i int) pulumi.StringMap {
	cfg := b.cfg
	k := pulumi.StringMap{
		"engine":   pulumi.String(cfg.Engine),
		"kmsKeyId": cfg.regions[i].KMSKeyARN,
	}
	if i == 0 {
		k["dbName"] = pulumi.String(cfg.DatabaseName)
		k["username"] = pulumi.String(cfg.MasterUsername)
	}
	return k
}

// clusterKeepers are the replace-on-change inputs of region i's Aurora cluster
// (ForceNew in the provider schema: engine, kms_key_id, db_subnet_group_name,
// database_name, master_username).
func (b *builder) clusterKeepers(i int, subnets *rds.SubnetGroup) pulumi.StringMap {
	k := b.instanceKeepers(i)
	k["dbSubnetGroupName"] = subnets.Name
	return k
}
