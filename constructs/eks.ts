/**
 * An EKS cluster for the platform: private API endpoint, all control-plane logs,
 * Secrets envelope-encrypted with a CMK, access entries only, EKS Pod Identity, pinned
 * managed add-ons and two managed node groups (system and workload).
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry/index.js';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association/index.js';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Fn, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key.js';
import { podIdentityTrustPolicy, serviceTrustPolicy } from './trust-policy.js';
import { DEFAULT_ADDON_VERSIONS, KUBERNETES_VERSION, type AddonName } from './eks-versions.js';

export { DEFAULT_ADDON_VERSIONS, KUBERNETES_VERSION, type AddonName } from './eks-versions.js';

/**
 * Configuration of the vpc-cni add-on (its `configuration_values`):
 * - `enableNetworkPolicy`: the VPC CNI's network policy agent enforces Kubernetes
 *   NetworkPolicies (off by default, when every NetworkPolicy is ignored);
 * - `ENABLE_POD_ENI`: security groups for pods, so a SecurityGroupPolicy can give a
 *   tenant's pods their own security group (which its dedicated database admits);
 * - `POD_SECURITY_GROUP_ENFORCING_MODE=standard`: pods with their own security group
 *   still get NetworkPolicy enforcement and kubelet probes, and reach outside the VPC
 *   through the node's interface;
 * - `DISABLE_TCP_EARLY_DEMUX` (init container): kubelet TCP probes reach pods with a
 *   branch interface.
 * See https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 * and https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html.
 */
export const VPC_CNI_CONFIGURATION = {
  enableNetworkPolicy: 'true',
  env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' },
  init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } },
} as const;

/** The five control-plane log types; all are on. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export interface NodeGroupSizing {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

export interface KubernetesClusterProps {
  /** Cluster name; also prefixes the roles, key alias and node groups. */
  readonly name: string;
  readonly vpcId: string;
  /** Private subnets of the nodes and of the control plane's network interfaces. */
  readonly subnetIds: string[];
  /** Name of the nodes' security group, which the data stores admit. */
  readonly nodeSecurityGroupName: string;
  /** IAM role that administers the cluster (an access entry with the cluster admin policy). */
  readonly adminRoleArn: string;
  /** Nodes for cluster add-ons (CoreDNS, EBS CSI controller, …). */
  readonly systemNodes: NodeGroupSizing;
  /** Nodes for tenant workloads. */
  readonly workloadNodes: NodeGroupSizing;
  readonly accountId: string;
  readonly region: string;
  /**
   * CIDRs that may reach the public API endpoint; empty turns the public endpoint off.
   * 0.0.0.0/0 is refused.
   * @default [] (private endpoint only)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Protect the cluster from deletion.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Add-on versions, overriding DEFAULT_ADDON_VERSIONS one by one.
   * @default DEFAULT_ADDON_VERSIONS
   */
  readonly addonVersions?: Partial<Record<AddonName, string>>;
  /**
   * Days the control-plane log group keeps logs.
   * @default 90
   */
  readonly logRetentionInDays?: number;
}

/** Refused before synth: pods of tenants get their own security group, which burstable (t) instances cannot attach. */
export class WorkloadInstanceTypeError extends Error {
  constructor(instanceTypes: readonly string[]) {
    super(
      `workloadNodes.instanceTypes ${JSON.stringify(instanceTypes)} include burstable (t) instances, which support no security groups for pods (no trunk interface); use a Nitro family such as m7g or m6i`,
    );
    this.name = 'WorkloadInstanceTypeError';
  }
}

/** Refused before synth: an open API endpoint is never what an environment means. */
export class InsecureClusterEndpointError extends Error {
  constructor(cidrs: readonly string[]) {
    super(`publicAccessCidrs ${JSON.stringify(cidrs)} opens the Kubernetes API to the internet; list your office/VPN CIDRs, or none for a private-only endpoint`);
    this.name = 'InsecureClusterEndpointError';
  }
}

export class KubernetesCluster extends Construct {
  readonly cluster: EksCluster;
  readonly nodeSecurityGroup: SecurityGroup;
  readonly nodeRole: IamRole;
  readonly nodeGroups: readonly EksNodeGroup[];
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: KubernetesClusterProps) {
    super(scope, id);
    const publicAccessCidrs = [...(props.publicAccessCidrs ?? [])];
    if (publicAccessCidrs.some((cidr) => cidr === '0.0.0.0/0' || cidr === '::/0')) throw new InsecureClusterEndpointError(publicAccessCidrs);
    if (props.workloadNodes.instanceTypes.some((type) => /^t\d/.test(type))) throw new WorkloadInstanceTypeError(props.workloadNodes.instanceTypes);
    const addonVersions = { ...DEFAULT_ADDON_VERSIONS, ...props.addonVersions };

    this.encryptionKey = new EncryptionKey(this, 'Key', {
      alias: `${props.name}-eks`,
      description: `EKS cluster ${props.name}: Kubernetes Secrets envelope encryption, control-plane logs`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
    });
    const logGroup = new CloudwatchLogGroup(this, 'ControlPlaneLogs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionInDays ?? 90,
      kmsKeyId: this.encryptionKey.keyArn,
    });

    const clusterRole = new IamRole(this, 'ClusterRole', { name: `${props.name}-eks-cluster`, assumeRolePolicy: serviceTrustPolicy('eks.amazonaws.com') });
    new IamRolePolicyAttachment(this, 'ClusterPolicy', { role: clusterRole.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
    // The VPC resource controller attaches the branch interfaces of security groups for pods.
    new IamRolePolicyAttachment(this, 'ClusterManagesPodInterfaces', { role: clusterRole.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSVPCResourceController' });
    new IamRolePolicy(this, 'ClusterUsesSecretsKey', {
      role: clusterRole.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: this.encryptionKey.keyArn }],
      }),
    });

    this.cluster = new EksCluster(this, 'Cluster', {
      name: props.name,
      version: KUBERNETES_VERSION,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccessCidrs.length > 0,
        ...(publicAccessCidrs.length > 0 ? { publicAccessCidrs } : {}),
      },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.encryptionKey.keyArn } },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: 'STANDARD' },
      bootstrapSelfManagedAddons: false,
      deletionProtection: props.deletionProtection ?? false,
      dependsOn: [logGroup],
    });

    // Data stores admit their ports from this group only; the launch templates put every node in it.
    this.nodeSecurityGroup = new SecurityGroup(this, 'NodeSecurityGroup', {
      name: props.nodeSecurityGroupName,
      description: `Worker nodes of EKS cluster ${props.name}`,
      vpcId: props.vpcId,
      tags: { Name: props.nodeSecurityGroupName },
    });
    new VpcSecurityGroupIngressRule(this, 'NodesReachEachOther', { securityGroupId: this.nodeSecurityGroup.id, referencedSecurityGroupId: this.nodeSecurityGroup.id, ipProtocol: '-1', description: 'node to node (pod networking)' });
    new VpcSecurityGroupEgressRule(this, 'NodesReachOut', { securityGroupId: this.nodeSecurityGroup.id, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1', description: 'images, AWS APIs, data stores' });

    this.nodeRole = new IamRole(this, 'NodeRole', { name: `${props.name}-eks-node`, assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com') });
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy'].map(
      (policy) => new IamRolePolicyAttachment(this, `Node${policy}`, { role: this.nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` }),
    );

    const addon = (name: AddonName, dependsOn: ITerraformDependable[] = [], podIdentity?: { roleArn: string; serviceAccount: string }): EksAddon =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: this.cluster.name,
        addonName: name,
        addonVersion: addonVersions[name],
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
        ...(name === 'vpc-cni' ? { configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) } : {}),
        ...(podIdentity ? { podIdentityAssociation: [podIdentity] } : {}),
        dependsOn,
      });
    // Networking and Pod Identity must exist before nodes join.
    const earlyAddons = [addon('vpc-cni'), addon('kube-proxy'), addon('eks-pod-identity-agent')];

    const groups: [string, NodeGroupSizing, Record<string, string>][] = [
      ['system', props.systemNodes, { 'tenantry.io/node-role': 'system' }],
      ['workload', props.workloadNodes, { 'tenantry.io/node-role': 'workload' }],
    ];
    this.nodeGroups = groups.map(([role, sizing, labels]) => {
      const template = new LaunchTemplate(this, `${role}-launch-template`, {
        name: `${props.name}-${role}`,
        description: `Nodes of ${props.name} (${role}): IMDSv2 only, encrypted root volume`,
        updateDefaultVersion: true,
        vpcSecurityGroupIds: [this.cluster.vpcConfig.clusterSecurityGroupId, this.nodeSecurityGroup.id],
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 80, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
        tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${props.name}-${role}` } }],
      });
      return new EksNodeGroup(this, `${role}-nodes`, {
        clusterName: this.cluster.name,
        nodeGroupName: `${props.name}-${role}`,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds: props.subnetIds,
        amiType: amiTypeFor(sizing.instanceTypes),
        capacityType: 'ON_DEMAND',
        instanceTypes: [...sizing.instanceTypes],
        scalingConfig: { minSize: sizing.minSize, maxSize: sizing.maxSize, desiredSize: sizing.desiredSize },
        updateConfig: { maxUnavailablePercentage: 33 },
        launchTemplate: { id: template.id, version: Fn.tostring(template.latestVersion) },
        labels,
        ...(role === 'system' ? { taint: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'PREFER_NO_SCHEDULE' }] } : {}),
        dependsOn: [...nodePolicies, ...earlyAddons],
      });
    });

    addon('coredns', [...this.nodeGroups]);
    const ebsCsiRole = new IamRole(this, 'EbsCsiRole', { name: `${props.name}-ebs-csi`, assumeRolePolicy: podIdentityTrustPolicy() });
    new IamRolePolicyAttachment(this, 'EbsCsiPolicy', { role: ebsCsiRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy' });
    addon('aws-ebs-csi-driver', [...this.nodeGroups], { roleArn: ebsCsiRole.arn, serviceAccount: 'ebs-csi-controller-sa' });

    new EksAccessEntry(this, 'AdminAccess', { clusterName: this.cluster.name, principalArn: props.adminRoleArn, type: 'STANDARD' });
    new EksAccessPolicyAssociation(this, 'AdminIsClusterAdmin', {
      clusterName: this.cluster.name,
      principalArn: props.adminRoleArn,
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    });
  }
}

/** Graviton instance families (m7g, t4g, c6gn, …) need the ARM AMI. */
function amiTypeFor(instanceTypes: readonly string[]): string {
  const graviton = instanceTypes.map((type) => /^[a-z]+\d+g[a-z]*\./.test(type));
  if (graviton.some((arm) => arm !== graviton[0])) throw new Error(`node group mixes Graviton and x86 instance types: ${instanceTypes.join(', ')}`);
  return graviton[0] ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

