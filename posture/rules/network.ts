/**
 * VPC flow logs; security groups that admit the internet only on 80/443 of load
 * balancers; data store ports (PostgreSQL, Redis) admitted from security groups, never
 * from address ranges; and a dedicated tenant's database admitting only that tenant's pods.
 */
import type { Resource, ResourceRule, StackContext, StackRule } from '../model.js';
import { blocks, INTERNET_CIDRS, isSet, numberValue, refersTo, strings } from '../values.js';
import { isSecurityGroupPolicy } from './kubernetes.js';

const OPEN_CIDRS = INTERNET_CIDRS;
/** PostgreSQL and Redis: reached only from the security groups of their clients. */
const DATA_PORTS = [5432, 6379];
const WEB_PORTS = [80, 443];
const LOAD_BALANCER_TYPES = ['aws_lb', 'aws_alb', 'aws_elb'];

/** One ingress permission, wherever it is written (inline, aws_security_group_rule, aws_vpc_security_group_ingress_rule). */
interface Ingress {
  readonly cidrs: readonly string[];
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly protocol: string;
}

function ingressOf(resource: Resource): Ingress[] {
  const a = resource.attributes;
  switch (resource.type) {
    case 'aws_security_group':
      return blocks(a.ingress).map((rule) => ({
        cidrs: [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)],
        fromPort: numberValue(rule.from_port),
        toPort: numberValue(rule.to_port),
        protocol: String(rule.protocol ?? ''),
      }));
    case 'aws_security_group_rule':
      if (a.type !== 'ingress') return [];
      return [{ cidrs: [...strings(a.cidr_blocks), ...strings(a.ipv6_cidr_blocks)], fromPort: numberValue(a.from_port), toPort: numberValue(a.to_port), protocol: String(a.protocol ?? '') }];
    case 'aws_vpc_security_group_ingress_rule':
      return [{ cidrs: [...strings(a.cidr_ipv4), ...strings(a.cidr_ipv6)], fromPort: numberValue(a.from_port), toPort: numberValue(a.to_port), protocol: String(a.ip_protocol ?? '') }];
    default:
      return [];
  }
}

/** The security group a rule belongs to (itself for aws_security_group), as found in the stack. */
function groupOf(resource: Resource, stack: StackContext): Resource | undefined {
  if (resource.type === 'aws_security_group') return resource;
  return stack.resources('aws_security_group').find((group) => refersTo(resource.attributes.security_group_id, group.type, group.name));
}

function onLoadBalancer(group: Resource | undefined, stack: StackContext): boolean {
  if (!group) return false;
  return LOAD_BALANCER_TYPES.some((type) => stack.resources(type).some((lb) => refersTo(lb.attributes.security_groups, group.type, group.name)));
}

/** Whether `ingress` admits TCP `port` (all protocols, or a TCP range holding it). */
function admitsPort(ingress: Ingress, port: number): boolean {
  if (ingress.protocol === '-1' || ingress.protocol === 'all') return true;
  const tcp = ingress.protocol === 'tcp' || ingress.protocol === '6';
  return tcp && (ingress.fromPort === undefined || ((ingress.fromPort ?? 0) <= port && port <= (ingress.toPort ?? 65535)));
}

function onlyWebPorts(ingress: Ingress): boolean {
  const tcp = ingress.protocol === 'tcp' || ingress.protocol === '6';
  return tcp && ingress.fromPort !== undefined && ingress.fromPort === ingress.toPort && WEB_PORTS.includes(ingress.fromPort);
}

export const networkRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'TENANTRY_SG_NO_OPEN_INGRESS',
    alsoKnownAs: ['CKV_AWS_24'],
    // AwsSolutions-EC23 and CKV_AWS_260 also fail 80/443 open on a load balancer; AwsSolutions-RDS8 covers DB security groups only.
    relatedTo: ['AwsSolutions-EC23', 'CKV_AWS_260', 'AwsSolutions-RDS8'],
    resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
    title: 'No ingress from 0.0.0.0/0 or ::/0, except 80/443 on a load balancer',
    fix: 'admit a security group (referenced_security_group_id) or a private CIDR instead; only load balancer groups may open 80/443',
    check: (resource, stack) => {
      const open = ingressOf(resource).filter((ingress) => ingress.cidrs.some((cidr) => OPEN_CIDRS.includes(cidr)));
      if (open.length === 0) return undefined;
      const group = groupOf(resource, stack);
      const allowed = open.every((ingress) => onlyWebPorts(ingress) && onLoadBalancer(group, stack));
      if (allowed) return undefined;
      const ports = open.map((ingress) => (ingress.fromPort === undefined ? 'all ports' : `${ingress.protocol} ${ingress.fromPort}-${ingress.toPort}`));
      return `open to the internet on ${ports.join(', ')}`;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_DATA_PORTS_FROM_GROUPS',
    resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
    title: 'PostgreSQL (5432) and Redis (6379) are admitted from security groups only, never from an address range such as the VPC CIDR',
    fix: 'admit the clients\' security group (referenced_security_group_id): the node group for shared stores, the tenant\'s pod security group for its own database',
    check: (resource) => {
      const ranged = ingressOf(resource).filter((ingress) => ingress.cidrs.length > 0);
      const ports = DATA_PORTS.filter((port) => ranged.some((ingress) => admitsPort(ingress, port)));
      if (ports.length === 0) return undefined;
      const cidrs = [...new Set(ranged.flatMap((ingress) => ingress.cidrs))];
      return `admits ${ports.join(' and ')} from ${cidrs.join(', ')}`;
    },
  },
  {
    kind: 'resource',
    id: 'CKV2_AWS_11',
    alsoKnownAs: ['AVD-AWS-0178'],
    resourceTypes: ['aws_vpc'],
    title: 'VPC flow logs are on',
    fix: 'add an aws_flow_log with vpc_id = this VPC (the Network construct does)',
    check: (vpc, stack) => (stack.resources('aws_flow_log').some((log) => refersTo(log.attributes.vpc_id, vpc.type, vpc.name)) ? undefined : 'no aws_flow_log of this stack refers to the VPC'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_158',
    resourceTypes: ['aws_cloudwatch_log_group'],
    title: 'Log groups are encrypted with a customer managed KMS key',
    fix: 'set kms_key_id to a CMK whose policy admits logs.<region>.amazonaws.com (EncryptionKey allowCloudWatchLogs)',
    check: (group) => (isSet(group.attributes.kms_key_id) ? undefined : 'kms_key_id is not set'),
  },
];

/** Whether `value` refers to an `aws_security_group` created in `stack`. */
function groupOfStack(value: unknown, stack: StackContext): Resource | undefined {
  return stack.resources('aws_security_group').find((group) => refersTo(value, group.type, group.name));
}

/** The security groups the stack's SecurityGroupPolicies give pods. */
function podGroups(stack: StackContext): Resource[] {
  const policies = stack.resources('kubernetes_manifest').filter(isSecurityGroupPolicy);
  return stack.resources('aws_security_group').filter((group) => policies.some((policy) => refersTo(policy.attributes.manifest, group.type, group.name)));
}

export const tenantDatabaseRules: readonly StackRule[] = [
  {
    kind: 'stack',
    id: 'TENANTRY_DEDICATED_DB_TENANT_PODS',
    title: "A dedicated tenant's database (a stack with its own Aurora cluster and namespace) admits PostgreSQL only from the tenant's pod security group or from groups of its own stack (the proxy)",
    fix: "create the tenant's pod security group in its stack, give it to the pods with a SecurityGroupPolicy (TenantNamespace podSecurityGroupIds), and pass it as the database's clientSecurityGroupId instead of the shared node group",
    check: (stack) => {
      const dedicated = stack.resources('aws_rds_cluster').length > 0 && ['kubernetes_namespace_v1', 'kubernetes_namespace'].some((type) => stack.resources(type).length > 0);
      if (!dedicated) return [];
      const pods = podGroups(stack);
      const breaches: { address: string; problem: string }[] = [];
      if (pods.length === 0) breaches.push({ address: 'kubernetes_manifest', problem: "no SecurityGroupPolicy gives the tenant's pods a security group of this stack" });
      for (const rule of stack.resources('aws_vpc_security_group_ingress_rule')) {
        const a = rule.attributes;
        if (!admitsPort({ cidrs: [], fromPort: numberValue(a.from_port), toPort: numberValue(a.to_port), protocol: String(a.ip_protocol ?? '') }, 5432)) continue;
        if (!groupOfStack(a.security_group_id, stack)) continue;
        if (!groupOfStack(a.referenced_security_group_id, stack)) {
          breaches.push({ address: rule.address, problem: `admits PostgreSQL from ${JSON.stringify(a.referenced_security_group_id ?? a.cidr_ipv4 ?? null)}, a group shared beyond the tenant` });
        }
      }
      return breaches;
    },
  },
];
