package regionalstack

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/multiregion/multiregion/components/internal/naming"
)

// builder holds what the child constructors share.
type builder struct {
	ctx    *pulumi.Context
	name   string
	cfg    *resolved
	rs     *RegionalStack
	parent pulumi.ResourceOption

	vpc            *ec2.Vpc
	publicSubnets  []*ec2.Subnet
	privateSubnets []*ec2.Subnet
	lbSG, appSG    *ec2.SecurityGroup
}

// child returns the logical name of a child with the given role and parts.
func (b *builder) child(role string, parts ...string) string {
	return naming.Child(b.name, role, parts...)
}

// tags returns the tags of the child named name.
func (b *builder) tags(name string) pulumi.StringMap {
	return naming.Tags(b.cfg.Tags, name)
}

// build creates every child, network first.
func (b *builder) build() error {
	if err := b.network(); err != nil {
		return err
	}
	if err := b.securityGroups(); err != nil {
		return err
	}
	if err := b.kmsKey(); err != nil {
		return err
	}
	return b.app()
}

// network creates the VPC, subnets per zone, internet gateway, NAT gateways
// and route tables.
func (b *builder) network() error {
	ctx, cfg := b.ctx, b.cfg
	vpcName := b.child("vpc")
	vpc, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(cfg.vpc.String()),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               b.tags(vpcName),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("vpc: %w", err)
	}
	b.vpc = vpc
	vpcOpt := pulumi.Parent(vpc)

	igwName := b.child("igw")
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  b.tags(igwName),
	}, vpcOpt)
	if err != nil {
		return fmt.Errorf("internet gateway: %w", err)
	}

	publicRTName := b.child("public-rt")
	publicRT, err := ec2.NewRouteTable(ctx, publicRTName, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  b.tags(publicRTName),
	}, vpcOpt)
	if err != nil {
		return fmt.Errorf("public route table: %w", err)
	}
	if _, err := ec2.NewRoute(ctx, b.child("public-default-route"), &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, pulumi.Parent(publicRT)); err != nil {
		return fmt.Errorf("public default route: %w", err)
	}

	var publicIDs, privateIDs pulumi.StringArray
	var nats []*ec2.NatGateway
	for i, zone := range b.rs.Zones {
		pubName := b.child("public", zone)
		pub, err := ec2.NewSubnet(ctx, pubName, &ec2.SubnetArgs{
			VpcId:            vpc.ID(),
			AvailabilityZone: pulumi.String(zone),
			CidrBlock:        pulumi.String(subnetCIDR(cfg.vpc, publicSlotOffset+i)),
			// Tasks get public IPs only with NATNone; the load balancer needs none.
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags:                b.tags(pubName),
		}, vpcOpt)
		if err != nil {
			return fmt.Errorf("public subnet in %s: %w", zone, err)
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, b.child("public-rta", zone), &ec2.RouteTableAssociationArgs{
			SubnetId:     pub.ID(),
			RouteTableId: publicRT.ID(),
		}, pulumi.Parent(pub)); err != nil {
			return fmt.Errorf("public route table association in %s: %w", zone, err)
		}
		b.publicSubnets = append(b.publicSubnets, pub)
		publicIDs = append(publicIDs, pub.ID().ToStringOutput())

		if cfg.NATStrategy == NATOnePerAZ || (cfg.NATStrategy == NATSingle && i == 0) {
			nat, err := b.natGateway(zone, pub, igw)
			if err != nil {
				return err
			}
			nats = append(nats, nat)
		}
	}

	for i, zone := range b.rs.Zones {
		privName := b.child("private", zone)
		priv, err := ec2.NewSubnet(ctx, privName, &ec2.SubnetArgs{
			VpcId:            vpc.ID(),
			AvailabilityZone: pulumi.String(zone),
			CidrBlock:        pulumi.String(subnetCIDR(cfg.vpc, i)),
			Tags:             b.tags(privName),
		}, vpcOpt)
		if err != nil {
			return fmt.Errorf("private subnet in %s: %w", zone, err)
		}
		// One route table per zone whatever the strategy, so that switching
		// strategies changes routes, never subnets.
		rtName := b.child("private-rt", zone)
		rt, err := ec2.NewRouteTable(ctx, rtName, &ec2.RouteTableArgs{
			VpcId: vpc.ID(),
			Tags:  b.tags(rtName),
		}, vpcOpt)
		if err != nil {
			return fmt.Errorf("private route table in %s: %w", zone, err)
		}
		if len(nats) > 0 {
			nat := nats[0]
			if cfg.NATStrategy == NATOnePerAZ {
				nat = nats[i]
			}
			if _, err := ec2.NewRoute(ctx, b.child("private-default-route", zone), &ec2.RouteArgs{
				RouteTableId:         rt.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         nat.ID(),
			}, pulumi.Parent(rt)); err != nil {
				return fmt.Errorf("private default route in %s: %w", zone, err)
			}
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, b.child("private-rta", zone), &ec2.RouteTableAssociationArgs{
			SubnetId:     priv.ID(),
			RouteTableId: rt.ID(),
		}, pulumi.Parent(priv)); err != nil {
			return fmt.Errorf("private route table association in %s: %w", zone, err)
		}
		b.privateSubnets = append(b.privateSubnets, priv)
		privateIDs = append(privateIDs, priv.ID().ToStringOutput())
	}

	b.rs.VPC, b.rs.PublicSubnets, b.rs.PrivateSubnets = vpc, b.publicSubnets, b.privateSubnets
	b.rs.VpcID = vpc.ID().ToStringOutput()
	b.rs.PublicSubnetIDs = publicIDs.ToStringArrayOutput()
	b.rs.PrivateSubnetIDs = privateIDs.ToStringArrayOutput()
	return nil
}

// natGateway creates an Elastic IP and a NAT gateway in the public subnet of zone.
func (b *builder) natGateway(zone string, pub *ec2.Subnet, igw *ec2.InternetGateway) (*ec2.NatGateway, error) {
	eipName := b.child("nat-eip", zone)
	eip, err := ec2.NewEip(b.ctx, eipName, &ec2.EipArgs{
		Domain: pulumi.String("vpc"),
		Tags:   b.tags(eipName),
	}, pulumi.Parent(pub))
	if err != nil {
		return nil, fmt.Errorf("NAT elastic IP in %s: %w", zone, err)
	}
	natName := b.child("nat", zone)
	nat, err := ec2.NewNatGateway(b.ctx, natName, &ec2.NatGatewayArgs{
		AllocationId: eip.ID(),
		SubnetId:     pub.ID(),
		Tags:         b.tags(natName),
	}, pulumi.Parent(pub), pulumi.DependsOn([]pulumi.Resource{igw}))
	if err != nil {
		return nil, fmt.Errorf("NAT gateway in %s: %w", zone, err)
	}
	return nat, nil
}

// securityGroups creates the load balancer, app and database security groups:
// the internet reaches only the load balancer, the load balancer only the app,
// the app only the database.
func (b *builder) securityGroups() error {
	ctx, cfg := b.ctx, b.cfg
	vpcOpt := pulumi.Parent(b.vpc)

	from := "the internet"
	if cfg.IngressCIDRs != nil {
		from = "the allowed ranges"
	}
	sources := pulumi.ToStringArray(cfg.ingress)
	lbIngress := ec2.SecurityGroupIngressArray{
		ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTP from " + from),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(80),
			ToPort:      pulumi.Int(80),
			CidrBlocks:  sources,
		},
	}
	if cfg.CertificateARN != "" {
		lbIngress = append(lbIngress, ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTPS from " + from),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  sources,
		})
	}
	lbName := b.child("lb-sg")
	lbSG, err := ec2.NewSecurityGroup(ctx, lbName, &ec2.SecurityGroupArgs{
		VpcId:       b.vpc.ID(),
		Description: pulumi.String("Load balancer: HTTP/HTTPS from " + from),
		Ingress:     lbIngress,
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("To the app port inside the VPC"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(cfg.Port),
			ToPort:      pulumi.Int(cfg.Port),
			CidrBlocks:  pulumi.StringArray{pulumi.String(cfg.vpc.String())},
		}},
		Tags: b.tags(lbName),
	}, vpcOpt)
	if err != nil {
		return fmt.Errorf("load balancer security group: %w", err)
	}
	b.lbSG = lbSG

	appName := b.child("app-sg")
	appSG, err := ec2.NewSecurityGroup(ctx, appName, &ec2.SecurityGroupArgs{
		VpcId:       b.vpc.ID(),
		Description: pulumi.String("App tasks: only from the load balancer"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("App port from the load balancer"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(cfg.Port),
			ToPort:         pulumi.Int(cfg.Port),
			SecurityGroups: pulumi.StringArray{lbSG.ID().ToStringOutput()},
		}},
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("Outbound: image pulls, AWS APIs, the database"),
			Protocol:    pulumi.String("-1"),
			FromPort:    pulumi.Int(0),
			ToPort:      pulumi.Int(0),
			CidrBlocks:  pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: b.tags(appName),
	}, vpcOpt)
	if err != nil {
		return fmt.Errorf("app security group: %w", err)
	}
	b.appSG = appSG

	dbName := b.child("db-sg")
	dbSG, err := ec2.NewSecurityGroup(ctx, dbName, &ec2.SecurityGroupArgs{
		VpcId:       b.vpc.ID(),
		Description: pulumi.String("Database: only from the app tasks"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("Database port from the app"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(cfg.DatabasePort),
			ToPort:         pulumi.Int(cfg.DatabasePort),
			SecurityGroups: pulumi.StringArray{appSG.ID().ToStringOutput()},
		}},
		Tags: b.tags(dbName),
	}, vpcOpt)
	if err != nil {
		return fmt.Errorf("database security group: %w", err)
	}
	b.rs.LoadBalancerSecurityGroup, b.rs.AppSecurityGroup, b.rs.DatabaseSecurityGroup = b.lbSG, appSG, dbSG
	b.rs.AppSecurityGroupID = appSG.ID().ToStringOutput()
	b.rs.DatabaseSecurityGroupID = dbSG.ID().ToStringOutput()
	return nil
}
