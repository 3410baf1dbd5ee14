import { describe, expect, it } from 'vitest';
import { checkPosture } from '../posture/check-posture.js';
import { DEFAULT_INTERFACE_ENDPOINT_SERVICES, Network, type NetworkProps } from './network.js';
import { subnetCidrs } from './subnet-layout.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

const PROPS: NetworkProps = { name: 'tenantry-test-vpc', cidr: '10.20.0.0/16', accountId: '111122223333', region: 'eu-west-1' };
const synth = (props: Partial<NetworkProps> = {}) => synthesizeStack((stack) => new Network(stack, 'Network', { ...PROPS, ...props }));

describe('Network', () => {
  const network = synth();

  it('creates a VPC with DNS over the given CIDR', () => {
    expect(network.only('aws_vpc')).toMatchObject({ cidr_block: '10.20.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
  });

  it('creates a public, a private, an isolated and an endpoint subnet in each of three zones, at the CIDRs subnetCidrs names, none assigning public IPs', () => {
    const subnets = network.resources('aws_subnet');
    expect(subnets).toHaveLength(12);
    for (const tier of ['public', 'private', 'isolated', 'endpoint'] as const) {
      const ofTier = subnets.filter((subnet) => (subnet.tags as Record<string, string>)['tenantry:subnet-tier'] === tier);
      expect(ofTier.map((subnet) => subnet.cidr_block)).toEqual(subnetCidrs(PROPS.cidr, tier));
    }
    expect(subnets.every((subnet) => subnet.map_public_ip_on_launch === false)).toBe(true);
    expect(new Set(subnets.map((subnet) => subnet.cidr_block)).size).toBe(12);
    expect(subnets.map((subnet) => subnet.availability_zone).slice(0, 3)).toEqual([0, 1, 2].map((zone) => expect.stringContaining(`, ${zone})`)));
  });

  it('puts one NAT gateway in each zone by default', () => {
    expect(network.resources('aws_nat_gateway')).toHaveLength(3);
  });

  it('shares one NAT gateway between the zones when per-zone NAT is off', () => {
    const single = synth({ natGatewayPerAvailabilityZone: false });
    expect(single.resources('aws_nat_gateway')).toHaveLength(1);
    const privateRoutes = single.resources('aws_route_table').filter((table) => JSON.stringify(table.route ?? '').includes('aws_nat_gateway.'));
    expect(privateRoutes).toHaveLength(3);
    expect(new Set(privateRoutes.map((table) => JSON.stringify(table.route)))).toHaveProperty('size', 1);
  });

  it('gives the isolated subnets a route table with no route out of the VPC', () => {
    const isolated = network.resources('aws_route_table').find((table) => (table.tags as Record<string, string>).Name === 'tenantry-test-vpc-isolated');
    expect(isolated).toBeDefined();
    expect(isolated?.route).toBeUndefined();
  });

  it('logs all traffic of the VPC into a log group encrypted with a rotating CMK', () => {
    expect(network.only('aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', vpc_id: expect.stringContaining('aws_vpc.') });
    expect(network.only('aws_cloudwatch_log_group')).toMatchObject({ kms_key_id: expect.stringContaining('aws_kms_key.'), retention_in_days: 365 });
    expect(network.only('aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(String(network.only('aws_kms_key').policy)).toContain('logs.eu-west-1.amazonaws.com');
  });

  it('reaches the AWS APIs workloads call through interface endpoints with private DNS in the endpoint subnets, HTTPS from the VPC only', () => {
    const endpoints = network.resources('aws_vpc_endpoint');
    const interfaces = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((endpoint) => endpoint.service_name).sort()).toEqual(DEFAULT_INTERFACE_ENDPOINT_SERVICES.map((service) => `com.amazonaws.eu-west-1.${service}`).sort());
    for (const endpoint of interfaces) {
      expect(endpoint).toMatchObject({ private_dns_enabled: true, security_group_ids: [expect.stringContaining('aws_security_group.')] });
      expect(endpoint.subnet_ids).toHaveLength(3);
    }
    expect(network.only('aws_vpc_security_group_ingress_rule')).toMatchObject({ cidr_ipv4: PROPS.cidr, from_port: 443, to_port: 443, ip_protocol: 'tcp' });
    const gateway = endpoints.find((endpoint) => endpoint.vpc_endpoint_type === 'Gateway');
    expect(gateway).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.s3', route_table_ids: [0, 1, 2].map(() => expect.stringContaining('aws_route_table.')) });
  });

  it('empties the default security group', () => {
    const group = network.only('aws_default_security_group');
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it('has no posture finding', () => {
    expect(checkPosture(network.json)).toEqual([]);
  });
});
