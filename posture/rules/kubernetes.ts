/**
 * Kubernetes tenant namespaces: every namespace a stack creates carries the isolation
 * baseline (Pod Security `restricted`, a default-deny NetworkPolicy that the cluster
 * enforces, a ResourceQuota and a LimitRange), and security groups for pods are on
 * wherever a SecurityGroupPolicy asks for them. No scanner pack covers these on
 * Terraform JSON.
 */
import type { EnvironmentRule, Resource, ResourceRule, StackContext } from '../model.js';
import { blocks, INTERNET_CIDRS, isRecord, isTrue, refersTo, strings } from '../values.js';

const NAMESPACE_TYPES = ['kubernetes_namespace_v1', 'kubernetes_namespace'];

/** The namespace's `metadata` block. */
function metadataOf(resource: Resource): Record<string, unknown> {
  return blocks(resource.attributes.metadata)[0] ?? {};
}

/** The objects of `types` in the stack that live in `namespace` (by literal name or by reference). */
function inNamespace(stack: StackContext, namespace: Resource, types: readonly string[]): Resource[] {
  const name = metadataOf(namespace).name;
  return types
    .flatMap((type) => stack.resources(type))
    .filter((object) => {
      const target = metadataOf(object).namespace;
      return (typeof name === 'string' && target === name) || refersTo(target, namespace.type, namespace.name);
    });
}

/** Whether a NetworkPolicy selects every pod and denies both directions with no allow rule. */
function isDefaultDeny(policy: Resource): boolean {
  const spec = blocks(policy.attributes.spec)[0];
  if (!spec) return false;
  const selector = blocks(spec.pod_selector)[0] ?? {};
  const selectsAll = Object.values(selector).every((value) => value === undefined || (isRecord(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0));
  const types = strings(spec.policy_types);
  const allowsNothing = blocks(spec.ingress).length === 0 && blocks(spec.egress).length === 0;
  return selectsAll && types.includes('Ingress') && types.includes('Egress') && allowsNothing;
}

const NETWORK_POLICY_TYPES = ['kubernetes_network_policy_v1', 'kubernetes_network_policy'];
/** The VPC CNI enforces NetworkPolicies from 1.14 (its network policy agent). */
const VPC_CNI_NETWORK_POLICY_MINOR = 14;

/** The vpc-cni add-ons of the environment with their parsed `configuration_values`. */
function vpcCniAddons(stacks: readonly StackContext[]): { readonly version: unknown; readonly configuration: Record<string, unknown> | undefined; readonly raw: unknown }[] {
  return stacks
    .flatMap((stack) => stack.resources('aws_eks_addon'))
    .filter((addon) => addon.attributes.addon_name === 'vpc-cni')
    .map((addon) => ({ version: addon.attributes.addon_version, configuration: parseConfiguration(addon.attributes.configuration_values), raw: addon.attributes.configuration_values }));
}

/** `configuration_values` written as a JSON string; undefined when absent or not JSON. */
function parseConfiguration(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Minor version of a `v1.<minor>.<patch>-eksbuild.<n>` add-on version; undefined when not literal. */
function minorVersion(version: unknown): number | undefined {
  const match = typeof version === 'string' ? /^v1\.(\d+)\./.exec(version) : null;
  return match ? Number(match[1]) : undefined;
}

/** Why NetworkPolicies are not enforced in this environment, or undefined when the VPC CNI enforces them. */
function networkPolicyEnforcementGap(stacks: readonly StackContext[]): string | undefined {
  const addons = vpcCniAddons(stacks);
  if (addons.length === 0) return 'no stack of the environment installs the vpc-cni add-on with network policy enforcement';
  for (const addon of addons) {
    if (!isTrue(addon.configuration?.['enableNetworkPolicy'])) return `the vpc-cni add-on's configuration_values do not set enableNetworkPolicy "true" (found ${JSON.stringify(addon.raw ?? null)})`;
    const minor = minorVersion(addon.version);
    if (minor !== undefined && minor < VPC_CNI_NETWORK_POLICY_MINOR) return `vpc-cni ${String(addon.version)} predates network policy support (1.${VPC_CNI_NETWORK_POLICY_MINOR} or later)`;
  }
  return undefined;
}

/** Whether a kubernetes_manifest is a SecurityGroupPolicy (vpcresources.k8s.aws). */
export function isSecurityGroupPolicy(resource: Resource): boolean {
  const manifest = resource.attributes.manifest;
  return isRecord(manifest) && manifest.kind === 'SecurityGroupPolicy';
}

/** The literal CIDRs of every VPC of the environment. */
function vpcCidrs(stacks: readonly StackContext[]): string[] {
  return stacks.flatMap((stack) => stack.resources('aws_vpc')).flatMap((vpc) => strings(vpc.attributes.cidr_block));
}

export const kubernetesEnvironmentRules: readonly EnvironmentRule[] = [
  {
    kind: 'environment',
    id: 'TENANTRY_K8S_EGRESS_SCOPED',
    title: 'No NetworkPolicy egress rule reaches the internet (0.0.0.0/0, ::/0), a whole VPC, or any destination (a rule without `to`)',
    fix: "allow egress to the subnets of what the pods use (subnetCidrs(vpcCidr, 'isolated') for data stores, 'endpoint' for AWS APIs), with ports",
    check: (stacks) => {
      const vpcs = vpcCidrs(stacks);
      return stacks.flatMap((stack) =>
        NETWORK_POLICY_TYPES.flatMap((type) => stack.resources(type)).flatMap((policy) =>
          blocks(blocks(policy.attributes.spec)[0]?.egress).flatMap((rule) => {
            const to = blocks(rule.to);
            if (to.length === 0) return [{ stack: stack.stackName, address: policy.address, problem: 'an egress rule has no `to`: it allows every destination' }];
            const cidrs = to.flatMap((peer) => blocks(peer.ip_block)).flatMap((block) => strings(block.cidr));
            const open = cidrs.filter((cidr) => INTERNET_CIDRS.includes(cidr));
            const vpcWide = cidrs.filter((cidr) => vpcs.includes(cidr));
            return [
              ...open.map((cidr) => ({ stack: stack.stackName, address: policy.address, problem: `egress to ${cidr} reaches the internet` })),
              ...vpcWide.map((cidr) => ({ stack: stack.stackName, address: policy.address, problem: `egress to ${cidr} reaches the whole VPC` })),
            ];
          }),
        ),
      );
    },
  },
  {
    kind: 'environment',
    id: 'TENANTRY_K8S_DEFAULT_DENY',
    title: 'Every namespace has a default-deny NetworkPolicy (all pods, ingress and egress, no rules), and the cluster enforces NetworkPolicies (vpc-cni ≥ 1.14 with enableNetworkPolicy)',
    fix: 'use TenantNamespace (or add a kubernetes_network_policy_v1 with pod_selector {} and policy_types ["Ingress", "Egress"]), and install the vpc-cni add-on with configuration_values {"enableNetworkPolicy": "true"} (KubernetesCluster does)',
    check: (stacks) => {
      const breaches: { stack: string; address: string; problem: string }[] = [];
      const gap = networkPolicyEnforcementGap(stacks);
      for (const stack of stacks) {
        for (const namespace of NAMESPACE_TYPES.flatMap((type) => stack.resources(type))) {
          const policies = inNamespace(stack, namespace, NETWORK_POLICY_TYPES);
          if (!policies.some(isDefaultDeny)) breaches.push({ stack: stack.stackName, address: namespace.address, problem: 'no default-deny NetworkPolicy in the namespace' });
          else if (gap !== undefined) breaches.push({ stack: stack.stackName, address: namespace.address, problem: `its NetworkPolicies are not enforced: ${gap}` });
        }
      }
      return breaches;
    },
  },
  {
    kind: 'environment',
    id: 'TENANTRY_K8S_POD_SECURITY_GROUPS',
    title: 'SecurityGroupPolicies take effect: the vpc-cni add-on sets ENABLE_POD_ENI "true"',
    fix: 'install the vpc-cni add-on with configuration_values {"env": {"ENABLE_POD_ENI": "true"}} and attach AmazonEKSVPCResourceController to the cluster role (KubernetesCluster does)',
    check: (stacks) => {
      const enabled = vpcCniAddons(stacks).some((addon) => {
        const env = addon.configuration?.['env'];
        return isRecord(env) && isTrue(env['ENABLE_POD_ENI']);
      });
      if (enabled) return [];
      return stacks.flatMap((stack) =>
        stack
          .resources('kubernetes_manifest')
          .filter(isSecurityGroupPolicy)
          .map((policy) => ({ stack: stack.stackName, address: policy.address, problem: 'no vpc-cni add-on of the environment sets ENABLE_POD_ENI "true": pods keep the node security group and the policy does nothing' })),
      );
    },
  },
];

export const kubernetesRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'TENANTRY_K8S_PSA_RESTRICTED',
    resourceTypes: NAMESPACE_TYPES,
    title: 'Every namespace enforces the Pod Security Standard "restricted"',
    fix: 'label the namespace pod-security.kubernetes.io/enforce=restricted',
    check: (namespace) => {
      const labels = metadataOf(namespace).labels;
      const enforce = isRecord(labels) ? labels['pod-security.kubernetes.io/enforce'] : undefined;
      return enforce === 'restricted' ? undefined : `pod-security.kubernetes.io/enforce is ${enforce === undefined ? 'unset' : `"${String(enforce)}"`}`;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_K8S_QUOTA',
    resourceTypes: NAMESPACE_TYPES,
    title: 'Every namespace is capped by a ResourceQuota and gives containers defaults through a LimitRange',
    fix: "use TenantNamespace, or add a kubernetes_resource_quota_v1 and a kubernetes_limit_range_v1 in the namespace from the tenant's plan",
    check: (namespace, stack) => {
      const missing = [
        inNamespace(stack, namespace, ['kubernetes_resource_quota_v1', 'kubernetes_resource_quota']).length === 0 ? 'ResourceQuota' : undefined,
        inNamespace(stack, namespace, ['kubernetes_limit_range_v1', 'kubernetes_limit_range']).length === 0 ? 'LimitRange' : undefined,
      ].filter((kind) => kind !== undefined);
      return missing.length === 0 ? undefined : `no ${missing.join(' or ')} in the namespace`;
    },
  },
];
