/**
 * Kubernetes tenant namespaces: every namespace a stack creates carries the isolation
 * baseline (Pod Security `restricted`, a default-deny NetworkPolicy, a ResourceQuota and
 * a LimitRange). No scanner pack covers these on Terraform JSON.
 */
import type { Resource, ResourceRule, StackContext } from '../model.js';
import { blocks, isRecord, refersTo, strings } from '../values.js';

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

export const kubernetesRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'TENANTRY_K8S_DEFAULT_DENY',
    resourceTypes: NAMESPACE_TYPES,
    title: 'Every namespace has a default-deny NetworkPolicy (all pods, ingress and egress, no rules); traffic is allowed by explicit policies',
    fix: 'use TenantNamespace, or add a kubernetes_network_policy_v1 with pod_selector {} and policy_types ["Ingress", "Egress"] in the namespace',
    check: (namespace, stack) =>
      inNamespace(stack, namespace, ['kubernetes_network_policy_v1', 'kubernetes_network_policy']).some(isDefaultDeny)
        ? undefined
        : 'no default-deny NetworkPolicy in the namespace',
  },
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
