import { describe, expect, it } from 'vitest';
import { checkPosture } from '../posture/check-posture.js';
import { CONTROL_PLANE_LOG_TYPES, DEFAULT_ADDON_VERSIONS, InsecureClusterEndpointError, KUBERNETES_VERSION, KubernetesCluster, WorkloadInstanceTypeError, type KubernetesClusterProps } from './eks.js';
import { EKS_STANDARD_SUPPORT_ENDS } from './eks-versions.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

const PROPS: KubernetesClusterProps = {
  name: 'tenantry-test',
  vpcId: 'vpc-0123',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  nodeSecurityGroupName: 'tenantry-test-nodes',
  adminRoleArn: 'arn:aws:iam::111122223333:role/platform-admin',
  systemNodes: { instanceTypes: ['m7g.large'], minSize: 3, maxSize: 6, desiredSize: 3 },
  workloadNodes: { instanceTypes: ['m6i.2xlarge'], minSize: 3, maxSize: 30, desiredSize: 6 },
  accountId: '111122223333',
  region: 'eu-west-1',
};
const synth = (props: Partial<KubernetesClusterProps> = {}) => synthesizeStack((stack) => new KubernetesCluster(stack, 'Kubernetes', { ...PROPS, ...props }));
type VpcConfig = { endpoint_private_access: boolean; endpoint_public_access: boolean; public_access_cidrs?: string[] };

describe('KubernetesCluster', () => {
  const eks = synth();
  const cluster = eks.only('aws_eks_cluster');

  it('runs the pinned Kubernetes version on standard support, with access entries only', () => {
    expect(cluster).toMatchObject({
      version: KUBERNETES_VERSION,
      upgrade_policy: { support_type: 'STANDARD' },
      access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false },
    });
  });

  it('keeps the API endpoint private when no public CIDR is configured', () => {
    const vpc = cluster.vpc_config as VpcConfig;
    expect(vpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(vpc.public_access_cidrs).toBeUndefined();
  });

  it('opens the public endpoint to the configured CIDRs only', () => {
    const vpc = synth({ publicAccessCidrs: ['203.0.113.0/24'] }).only('aws_eks_cluster').vpc_config as VpcConfig;
    expect(vpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  it('refuses to open the API endpoint to the whole internet', () => {
    expect(() => synth({ publicAccessCidrs: ['0.0.0.0/0'] })).toThrow(InsecureClusterEndpointError);
  });

  it('sends all five control-plane log types to a CMK-encrypted log group', () => {
    expect(cluster.enabled_cluster_log_types).toEqual([...CONTROL_PLANE_LOG_TYPES]);
    expect(eks.only('aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/eks/tenantry-test/cluster', kms_key_id: expect.stringContaining('aws_kms_key.') });
  });

  it('envelope-encrypts Secrets with its own rotating CMK', () => {
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: expect.stringContaining('aws_kms_key.') } });
    expect(eks.only('aws_kms_key').enable_key_rotation).toBe(true);
  });

  it('creates a system and a workload node group sized as asked, with the AMI of their architecture', () => {
    const groups = eks.resources('aws_eks_node_group');
    const byName = Object.fromEntries(groups.map((group) => [group.node_group_name, group]));
    expect(byName['tenantry-test-system']).toMatchObject({ ami_type: 'AL2023_ARM_64_STANDARD', instance_types: ['m7g.large'], scaling_config: { min_size: 3, max_size: 6, desired_size: 3 } });
    expect(byName['tenantry-test-workload']).toMatchObject({ ami_type: 'AL2023_x86_64_STANDARD', instance_types: ['m6i.2xlarge'], scaling_config: { min_size: 3, max_size: 30, desired_size: 6 } });
  });

  it('puts nodes in the named node security group with IMDSv2 only and encrypted volumes', () => {
    expect(eks.only('aws_security_group').name).toBe('tenantry-test-nodes');
    for (const template of eks.resources('aws_launch_template')) {
      expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
      expect(template.vpc_security_group_ids).toContainEqual(expect.stringContaining('aws_security_group.'));
      expect(template.block_device_mappings).toEqual([expect.objectContaining({ ebs: expect.objectContaining({ encrypted: 'true' }) })]);
    }
  });

  it('installs the core add-ons at pinned versions, the EBS CSI driver through Pod Identity', () => {
    const addons = Object.fromEntries(eks.resources('aws_eks_addon').map((addon) => [addon.addon_name, addon]));
    for (const name of ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'eks-pod-identity-agent'] as const) {
      expect(addons[name]?.addon_version).toBe(DEFAULT_ADDON_VERSIONS[name]);
    }
    expect(addons['aws-ebs-csi-driver']?.pod_identity_association).toEqual([{ role_arn: expect.stringContaining('aws_iam_role.'), service_account: 'ebs-csi-controller-sa' }]);
  });

  it('pins a version the support calendar knows, and kube-proxy of the same minor version', () => {
    expect(EKS_STANDARD_SUPPORT_ENDS[KUBERNETES_VERSION]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_ADDON_VERSIONS['kube-proxy'].startsWith(`v${KUBERNETES_VERSION}.`)).toBe(true);
  });

  it('turns on NetworkPolicy enforcement and security groups for pods in the vpc-cni add-on', () => {
    const cni = eks.resources('aws_eks_addon').find((addon) => addon.addon_name === 'vpc-cni');
    expect(JSON.parse(String(cni?.configuration_values))).toEqual({
      enableNetworkPolicy: 'true',
      env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' },
      init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } },
    });
    const attached = eks.resources('aws_iam_role_policy_attachment').map((attachment) => attachment.policy_arn);
    expect(attached).toContain('arn:aws:iam::aws:policy/AmazonEKSVPCResourceController');
  });

  it('refuses burstable workload nodes, which cannot give pods their own security group', () => {
    expect(() => synth({ workloadNodes: { ...PROPS.workloadNodes, instanceTypes: ['t3.large'] } })).toThrow(WorkloadInstanceTypeError);
  });

  it('gives the admin role an access entry with the cluster admin policy', () => {
    expect(eks.only('aws_eks_access_entry')).toMatchObject({ principal_arn: PROPS.adminRoleArn, type: 'STANDARD' });
    expect(eks.only('aws_eks_access_policy_association')).toMatchObject({ principal_arn: PROPS.adminRoleArn, policy_arn: expect.stringContaining('AmazonEKSClusterAdminPolicy'), access_scope: { type: 'cluster' } });
  });

  it('has no posture finding', () => {
    expect(checkPosture(eks.json)).toEqual([]);
  });
});
