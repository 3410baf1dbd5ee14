/**
 * EKS: Secrets envelope encryption, every control-plane log, no API open to the internet,
 * a Kubernetes version in standard support and add-ons that match it.
 */
import { EKS_STANDARD_SUPPORT_ENDS, standardSupportEnds } from '../../constructs/eks-versions.js';
import type { ResourceRule, StackContext } from '../model.js';
import { blocks, isFalse, isSet, isTrue, refersTo, strings } from '../values.js';

const CLUSTER = ['aws_eks_cluster'];
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

export const eksRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV_AWS_58',
    alsoKnownAs: ['AVD-AWS-0039'],
    resourceTypes: CLUSTER,
    title: 'Kubernetes Secrets are envelope-encrypted with a KMS key',
    fix: 'set encryption_config { resources = ["secrets"], provider { key_arn = <CMK> } }',
    check: (cluster) => {
      const configs = blocks(cluster.attributes.encryption_config);
      const encrypted = configs.some((config) => strings(config.resources).includes('secrets') && blocks(config.provider).some((provider) => isSet(provider.key_arn)));
      return encrypted ? undefined : 'no encryption_config covers "secrets" with a key_arn';
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_37',
    alsoKnownAs: ['AwsSolutions-EKS2', 'AVD-AWS-0038'],
    resourceTypes: CLUSTER,
    title: 'All five control-plane log types are on',
    fix: `set enabled_cluster_log_types = ${JSON.stringify(LOG_TYPES)}`,
    check: (cluster) => {
      const enabled = strings(cluster.attributes.enabled_cluster_log_types);
      const missing = LOG_TYPES.filter((type) => !enabled.includes(type));
      return missing.length === 0 ? undefined : `log types off: ${missing.join(', ')}`;
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_38',
    alsoKnownAs: ['AVD-AWS-0041'],
    // AwsSolutions-EKS1 (and CKV_AWS_39) fail any public endpoint, even one limited to named CIDRs.
    relatedTo: ['AwsSolutions-EKS1'],
    resourceTypes: CLUSTER,
    title: 'The public API endpoint is off, or limited to named CIDRs (never 0.0.0.0/0)',
    fix: 'set vpc_config.endpoint_public_access = false, or public_access_cidrs to your office/VPN ranges',
    check: (cluster) => {
      const vpc = blocks(cluster.attributes.vpc_config)[0] ?? {};
      // AWS turns the public endpoint on unless it is explicitly off.
      if (isFalse(vpc.endpoint_public_access)) return undefined;
      const cidrs = strings(vpc.public_access_cidrs);
      if (cidrs.length === 0) return 'the public endpoint is on with no public_access_cidrs, which AWS reads as 0.0.0.0/0';
      const open = cidrs.filter((cidr) => OPEN_CIDRS.includes(cidr));
      return open.length > 0 ? `public_access_cidrs includes ${open.join(', ')}` : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_EKS_PRIVATE_ENDPOINT',
    // CKV_AWS_39 asks for the public endpoint off; this rule checks only that the private one is on.
    relatedTo: ['CKV_AWS_39'],
    resourceTypes: CLUSTER,
    title: 'Nodes reach the API through the private endpoint',
    fix: 'set vpc_config.endpoint_private_access = true',
    check: (cluster) => (isTrue((blocks(cluster.attributes.vpc_config)[0] ?? {}).endpoint_private_access) ? undefined : 'endpoint_private_access is not true'),
  },
  {
    kind: 'resource',
    id: 'TENANTRY_EKS_STANDARD_SUPPORT',
    relatedTo: ['CKV_AWS_339'],
    resourceTypes: CLUSTER,
    title: 'The cluster runs a Kubernetes version in EKS standard support (by the dated calendar in constructs/eks-versions.ts)',
    fix: 'move KUBERNETES_VERSION and DEFAULT_ADDON_VERSIONS (constructs/eks-versions.ts) to a version in standard support, adding it to EKS_STANDARD_SUPPORT_ENDS from the EKS release calendar',
    check: (cluster, stack) => {
      const version = cluster.attributes.version;
      if (typeof version !== 'string') return 'version is not pinned: AWS picks the default version, and the next plan sees any upgrade as drift';
      const ends = standardSupportEnds(version);
      if (ends === undefined) return `Kubernetes ${version} is not in the support calendar (known: ${Object.keys(EKS_STANDARD_SUPPORT_ENDS).join(', ')})`;
      return stack.today >= ends ? `Kubernetes ${version} left EKS standard support on ${ends} (checked for ${stack.today}); AWS upgrades or bills extended support from then on` : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_EKS_ADDON_VERSION',
    resourceTypes: ['aws_eks_addon'],
    title: "kube-proxy runs the cluster's Kubernetes minor version",
    fix: 'pin the kube-proxy add-on to a v<cluster version>.x-eksbuild.N version (aws eks describe-addon-versions --kubernetes-version <version> --addon-name kube-proxy)',
    check: (addon, stack) => {
      if (addon.attributes.addon_name !== 'kube-proxy') return undefined;
      const version = clusterVersionOf(addon.attributes.cluster_name, stack);
      const pinned = addon.attributes.addon_version;
      if (version === undefined || typeof pinned !== 'string') return undefined;
      return pinned.startsWith(`v${version}.`) ? undefined : `kube-proxy ${pinned} does not match Kubernetes ${version}`;
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_100',
    resourceTypes: ['aws_eks_node_group'],
    title: 'Node groups allow no SSH from anywhere',
    fix: 'remove remote_access, or set remote_access.source_security_group_ids',
    check: (group) => {
      const remote = blocks(group.attributes.remote_access);
      const open = remote.some((access) => strings(access.source_security_group_ids).length === 0);
      return open ? 'remote_access without source_security_group_ids opens SSH to 0.0.0.0/0' : undefined;
    },
  },
];

/** The literal version of the cluster `clusterName` refers to in the same stack. */
function clusterVersionOf(clusterName: unknown, stack: StackContext): string | undefined {
  const cluster = stack.resources('aws_eks_cluster').find((candidate) => refersTo(clusterName, candidate.type, candidate.name) || candidate.attributes.name === clusterName);
  const version = cluster?.attributes.version;
  return typeof version === 'string' ? version : undefined;
}
