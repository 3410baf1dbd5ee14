/**
 * The platform VPC: three availability zones, each with a public, a private and an
 * isolated subnet, NAT for the private subnets, and VPC flow logs into a CMK-encrypted
 * CloudWatch log group.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key.js';

/** Subnet tiers, in the order their CIDR blocks are carved out of the VPC. */
const SUBNET_TIERS = ['public', 'private', 'isolated'] as const;
/** Tag naming a subnet's tier; tenant stacks find the isolated (database) subnets by it. */
export const SUBNET_TIER_TAG = 'tenantry:subnet-tier';
export type SubnetTier = (typeof SUBNET_TIERS)[number];

export interface NetworkProps {
  /** Name of the VPC and prefix of every resource name, e.g. `tenantry-prod-vpc`. */
  readonly name: string;
  /** IPv4 CIDR of the VPC; each subnet gets 1/16 of it. */
  readonly cidr: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Availability zones to spread over (the first N available in the region).
   * @default 3
   */
  readonly availabilityZoneCount?: number;
  /**
   * One NAT gateway per availability zone, so losing a zone does not cut the others off.
   * @default true (false saves cost in non-production: one NAT gateway serves every zone)
   */
  readonly natGatewayPerAvailabilityZone?: boolean;
  /**
   * Days VPC flow logs are kept.
   * @default 365
   */
  readonly flowLogRetentionInDays?: number;
  /**
   * Tags of the subnets by tier, e.g. the Kubernetes load balancer role tags.
   * @default - the `kubernetes.io/role/elb` tag on public and `kubernetes.io/role/internal-elb` on private subnets
   */
  readonly subnetTags?: Partial<Record<SubnetTier, Record<string, string>>>;
}

/**
 * Public subnets hold load balancers and NAT gateways only; private subnets hold the
 * EKS nodes (egress through NAT); isolated subnets hold the data stores and have no
 * route out of the VPC. The default security group is emptied so nothing uses it by
 * accident.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: readonly Subnet[];
  readonly privateSubnets: readonly Subnet[];
  readonly isolatedSubnets: readonly Subnet[];
  readonly natGateways: readonly NatGateway[];
  readonly flowLog: FlowLog;
  readonly flowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const zoneCount = props.availabilityZoneCount ?? 3;
    const subnetTags: Record<SubnetTier, Record<string, string>> = {
      public: { 'kubernetes.io/role/elb': '1' },
      private: { 'kubernetes.io/role/internal-elb': '1' },
      isolated: {},
      ...props.subnetTags,
    };

    const zones = new DataAwsAvailabilityZones(this, 'Zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    this.vpc = new Vpc(this, 'Vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, 'DefaultSecurityGroupLockedDown', { vpcId: this.vpc.id, tags: { Name: `${props.name}-default-unused` } });

    const subnets: Record<SubnetTier, Subnet[]> = { public: [], private: [], isolated: [] };
    SUBNET_TIERS.forEach((tier, tierIndex) => {
      for (let zone = 0; zone < zoneCount; zone++) {
        subnets[tier].push(
          new Subnet(this, `${tier}-${zone}`, {
            vpcId: this.vpc.id,
            availabilityZone: Fn.element(zones.names, zone),
            cidrBlock: Fn.cidrsubnet(props.cidr, 4, tierIndex * zoneCount + zone),
            mapPublicIpOnLaunch: false,
            tags: { Name: `${props.name}-${tier}-${zone}`, [SUBNET_TIER_TAG]: tier, ...subnetTags[tier] },
          }),
        );
      }
    });
    this.publicSubnets = subnets.public;
    this.privateSubnets = subnets.private;
    this.isolatedSubnets = subnets.isolated;

    const internetGateway = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, 'PublicRoutes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id }],
      tags: { Name: `${props.name}-public` },
    });
    this.publicSubnets.forEach((subnet, zone) => new RouteTableAssociation(this, `public-${zone}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id }));

    const natCount = (props.natGatewayPerAvailabilityZone ?? true) ? zoneCount : 1;
    this.natGateways = this.publicSubnets.slice(0, natCount).map((subnet, zone) => {
      const address = new Eip(this, `nat-${zone}-address`, { domain: 'vpc', tags: { Name: `${props.name}-nat-${zone}` } });
      return new NatGateway(this, `nat-${zone}`, { subnetId: subnet.id, allocationId: address.allocationId, tags: { Name: `${props.name}-${zone}` }, dependsOn: [internetGateway] });
    });
    this.privateSubnets.forEach((subnet, zone) => {
      const nat = this.natGateways[zone % this.natGateways.length];
      const routes = new RouteTable(this, `private-${zone}-table`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat?.id }],
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-${zone}-routes`, { subnetId: subnet.id, routeTableId: routes.id });
    });
    // No route out of the VPC: data stores are reachable only from inside it.
    const isolatedRoutes = new RouteTable(this, 'IsolatedRoutes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-isolated` } });
    this.isolatedSubnets.forEach((subnet, zone) => new RouteTableAssociation(this, `isolated-${zone}-routes`, { subnetId: subnet.id, routeTableId: isolatedRoutes.id }));

    const logKey = new EncryptionKey(this, 'FlowLogKey', {
      alias: `${props.name}-flow-logs`,
      description: `VPC flow logs of ${props.name}`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
    });
    this.flowLogGroup = new CloudwatchLogGroup(this, 'FlowLogGroup', {
      name: `/tenantry/vpc/${props.name}/flow-logs`,
      retentionInDays: props.flowLogRetentionInDays ?? 365,
      kmsKeyId: logKey.keyArn,
    });
    const flowLogRole = new IamRole(this, 'FlowLogRole', {
      name: `${props.name}-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'FlowLogRoleWritesItsLogGroup', {
      role: flowLogRole.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: `${this.flowLogGroup.arn}:*`,
          },
        ],
      }),
    });
    this.flowLog = new FlowLog(this, 'FlowLog', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
    });
  }

  get privateSubnetIds(): string[] {
    return this.privateSubnets.map((subnet) => subnet.id);
  }

  get isolatedSubnetIds(): string[] {
    return this.isolatedSubnets.map((subnet) => subnet.id);
  }

  get publicSubnetIds(): string[] {
    return this.publicSubnets.map((subnet) => subnet.id);
  }
}
