/**
 * The platform VPC: three availability zones, each with a public, a private, an isolated
 * and an endpoint subnet, NAT for the private subnets, interface endpoints (private DNS)
 * for the AWS APIs workloads call, an S3 gateway endpoint, and VPC flow logs into a
 * CMK-encrypted CloudWatch log group.
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
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key.js';
import { serviceTrustPolicy } from './trust-policy.js';
import { DEFAULT_AVAILABILITY_ZONE_COUNT, SUBNET_TIERS, subnetCidrs, type SubnetTier } from './subnet-layout.js';

export type { SubnetTier } from './subnet-layout.js';
/** Tag naming a subnet's tier; tenant stacks find the isolated (database) subnets by it. */
export const SUBNET_TIER_TAG = 'tenantry:subnet-tier';

/**
 * AWS APIs reached through interface endpoints with private DNS, so pods reach them at
 * addresses of the endpoint subnets and tenant NetworkPolicies need no egress to the
 * internet: Secrets Manager (tenant secrets), STS, KMS, ECR (API and registry), CloudWatch
 * Logs, and EKS Auth (EKS Pod Identity credentials).
 */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES = ['secretsmanager', 'sts', 'kms', 'ecr.api', 'ecr.dkr', 'logs', 'eks-auth'] as const;

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
  /**
   * Services (the part after `com.amazonaws.<region>.`) that get an interface endpoint in the endpoint subnets.
   * @default DEFAULT_INTERFACE_ENDPOINT_SERVICES
   */
  readonly interfaceEndpointServices?: readonly string[];
}

/**
 * Public subnets hold load balancers and NAT gateways only; private subnets hold the
 * EKS nodes (egress through NAT); isolated subnets hold the data stores and have no
 * route out of the VPC; endpoint subnets hold only the interface endpoints' network
 * interfaces, so a NetworkPolicy that allows 443 to them allows AWS APIs and nothing
 * else. The default security group is emptied so nothing uses it by accident.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: readonly Subnet[];
  readonly privateSubnets: readonly Subnet[];
  readonly isolatedSubnets: readonly Subnet[];
  readonly endpointSubnets: readonly Subnet[];
  readonly endpointSecurityGroup: SecurityGroup;
  readonly interfaceEndpoints: readonly VpcEndpoint[];
  readonly natGateways: readonly NatGateway[];
  readonly flowLog: FlowLog;
  readonly flowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const zoneCount = props.availabilityZoneCount ?? DEFAULT_AVAILABILITY_ZONE_COUNT;
    const subnetTags: Record<SubnetTier, Record<string, string>> = {
      public: { 'kubernetes.io/role/elb': '1' },
      private: { 'kubernetes.io/role/internal-elb': '1' },
      isolated: {},
      endpoint: {},
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

    const subnets: Record<SubnetTier, Subnet[]> = { public: [], private: [], isolated: [], endpoint: [] };
    for (const tier of SUBNET_TIERS) {
      subnetCidrs(props.cidr, tier, zoneCount).forEach((cidrBlock, zone) => {
        subnets[tier].push(
          new Subnet(this, `${tier}-${zone}`, {
            vpcId: this.vpc.id,
            availabilityZone: Fn.element(zones.names, zone),
            cidrBlock,
            mapPublicIpOnLaunch: false,
            tags: { Name: `${props.name}-${tier}-${zone}`, [SUBNET_TIER_TAG]: tier, ...subnetTags[tier] },
          }),
        );
      });
    }
    this.publicSubnets = subnets.public;
    this.privateSubnets = subnets.private;
    this.isolatedSubnets = subnets.isolated;
    this.endpointSubnets = subnets.endpoint;

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
    const privateRouteTables = this.privateSubnets.map((subnet, zone) => {
      const nat = this.natGateways[zone % this.natGateways.length];
      const routes = new RouteTable(this, `private-${zone}-table`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat?.id }],
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-${zone}-routes`, { subnetId: subnet.id, routeTableId: routes.id });
      return routes;
    });
    // No route out of the VPC: data stores (and endpoint interfaces) are reachable only from inside it.
    const isolatedRoutes = new RouteTable(this, 'IsolatedRoutes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-isolated` } });
    this.isolatedSubnets.forEach((subnet, zone) => new RouteTableAssociation(this, `isolated-${zone}-routes`, { subnetId: subnet.id, routeTableId: isolatedRoutes.id }));
    this.endpointSubnets.forEach((subnet, zone) => new RouteTableAssociation(this, `endpoint-${zone}-routes`, { subnetId: subnet.id, routeTableId: isolatedRoutes.id }));

    // HTTPS to the endpoints from inside the VPC; IAM decides what each caller may do.
    this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      name: `${props.name}-endpoints`,
      description: `Interface endpoints of ${props.name}: HTTPS from the VPC`,
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'VpcReachesEndpoints', {
      securityGroupId: this.endpointSecurityGroup.id,
      cidrIpv4: props.cidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to AWS APIs from the VPC',
    });
    this.interfaceEndpoints = (props.interfaceEndpointServices ?? DEFAULT_INTERFACE_ENDPOINT_SERVICES).map(
      (service) =>
        new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.endpointSubnetIds,
          securityGroupIds: [this.endpointSecurityGroup.id],
          tags: { Name: `${props.name}-${service}` },
        }),
    );
    // ECR keeps image layers in S3: the gateway endpoint serves them to the nodes without NAT.
    new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTables.map((table) => table.id),
      tags: { Name: `${props.name}-s3` },
    });

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
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', { sourceAccount: props.accountId }),
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

  get endpointSubnetIds(): string[] {
    return this.endpointSubnets.map((subnet) => subnet.id);
  }

  get publicSubnetIds(): string[] {
    return this.publicSubnets.map((subnet) => subnet.id);
  }
}
