package harness

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// EC2In returns a client that talks to the backend's EC2 API in a region,
// to create the network a DB subnet group needs.
func (e *Env) EC2In(region string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:       region,
		BaseEndpoint: aws.String(e.Backend.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(e.Backend.AccessKeyID, e.Backend.SecretAccessKey, ""),
	})
}

// Network is a VPC with subnets in two availability zones and a security
// group, made in the backend as a network team would have made it.
type Network struct {
	VPCID           string
	SubnetIDs       []string
	SecurityGroupID string
}

// NewNetwork creates a VPC, one subnet in each of two availability zones
// (RDS wants at least two in a DB subnet group) and a security group.
func (e *Env) NewNetwork(t testing.TB, region, cidrPrefix string) Network {
	t.Helper()
	ctx := context.Background()
	c := e.EC2In(region)
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidrPrefix + ".0.0/16")})
	if err != nil {
		t.Fatalf("cannot create a VPC: %v", err)
	}
	n := Network{VPCID: aws.ToString(vpc.Vpc.VpcId)}
	for i, zone := range []string{"a", "b"} {
		s, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{
			VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("%s.%d.0/24", cidrPrefix, i)), AvailabilityZone: aws.String(region + zone),
		})
		if err != nil {
			t.Fatalf("cannot create a subnet: %v", err)
		}
		n.SubnetIDs = append(n.SubnetIDs, aws.ToString(s.Subnet.SubnetId))
	}
	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String("db-" + cidrPrefix), Description: aws.String("database access"), VpcId: vpc.Vpc.VpcId,
	})
	if err != nil {
		t.Fatalf("cannot create a security group: %v", err)
	}
	n.SecurityGroupID = aws.ToString(sg.GroupId)
	return n
}
