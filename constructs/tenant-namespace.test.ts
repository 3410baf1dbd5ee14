import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { OpenEgressError, TENANT_NAMESPACE_LABEL, TenantNamespace, type TenantNamespaceProps } from './tenant-namespace.js';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Policy {
  metadata: { name: string };
  spec: { pod_selector: object; policy_types: string[]; ingress?: object[]; egress?: { to: object[]; ports?: { port: string; protocol: string }[] }[] };
}
interface PolicyDocument {
  Statement: { Effect: string; Action: string | string[]; Resource: string; Principal?: object; Condition?: object }[];
}

const SECRETS = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:tenantry/prod/tenants/acme/*';
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/abc';

const PROPS: TenantNamespaceProps = {
  tenantId: 'acme',
  namespaceName: 'tenant-acme',
  quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 50, defaultContainerCpu: '500m', defaultContainerMemory: '512Mi' },
  clusterName: 'tenantry-prod',
  secretArnPattern: SECRETS,
  secretKmsKeyArn: KEY,
  region: 'eu-west-1',
  loadBalancerCidrs: ['10.20.0.0/20'],
  databaseCidrs: ['10.20.96.0/20'],
  redisCidrs: ['10.20.96.0/20'],
  awsApiCidrs: ['10.20.144.0/20'],
};

function synth(props: Partial<TenantNamespaceProps> = {}): Resources {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new KubernetesProvider(stack, 'kubernetes', {});
  new TenantNamespace(stack, 'Namespace', { ...PROPS, ...props });
  return (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
}

describe('TenantNamespace', () => {
  let resources: Resources;
  const all = (type: string) => Object.values(resources[type] ?? {});
  const policy = (name: string) => (all('kubernetes_network_policy_v1') as unknown as Policy[]).find((p) => p.metadata.name === name);

  beforeAll(() => {
    resources = synth();
  });

  it('labels the namespace with the tenant id and enforces Pod Security restricted', () => {
    const [namespace] = all('kubernetes_namespace_v1');
    expect(namespace).toMatchObject({
      metadata: { name: 'tenant-acme', labels: { [TENANT_NAMESPACE_LABEL]: 'acme', 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
  });

  it('caps the namespace with a ResourceQuota from the plan', () => {
    expect(all('kubernetes_resource_quota_v1')).toEqual([
      expect.objectContaining({
        spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '50' } },
      }),
    ]);
  });

  it('gives every container the plan default through a LimitRange', () => {
    expect(all('kubernetes_limit_range_v1')).toEqual([
      expect.objectContaining({
        spec: { limit: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, default_request: { cpu: '500m', memory: '512Mi' } }] },
      }),
    ]);
  });

  it('denies all ingress and egress by default', () => {
    expect(policy('default-deny')?.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
  });

  it("admits inbound traffic only from the ALB's VPC addresses on the application port and from the metrics scrape", () => {
    const ingress = policy('allow-load-balancer-and-scrape')?.spec.ingress;
    expect(ingress).toEqual([
      { from: [{ ip_block: { cidr: '10.20.0.0/20' } }], ports: [{ protocol: 'TCP', port: '8080' }] },
      { from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: '9464' }] },
    ]);
  });

  it('lets pods out only to DNS, the database and Redis ports, the collector, the Pod Identity agent and AWS APIs', () => {
    const egress = policy('allow-dns-data-stores-aws')?.spec.egress ?? [];
    const ports = egress.flatMap((rule) => (rule.ports ?? []).map((p) => `${p.protocol}/${p.port}`));
    expect(ports.sort()).toEqual(['TCP/4317', 'TCP/4318', 'TCP/443', 'TCP/53', 'TCP/5432', 'TCP/6379', 'TCP/80', 'UDP/53']);
    for (const rule of egress) expect(rule.ports?.length, 'no egress rule may allow every port').toBeGreaterThan(0);
  });

  it('sends the data store and AWS API ports only to the subnets it is given', () => {
    const egress = policy('allow-dns-data-stores-aws')?.spec.egress ?? [];
    const to = (port: string) => egress.filter((rule) => rule.ports?.some((p) => p.port === port)).flatMap((rule) => rule.to);
    expect(to('5432')).toEqual([{ ip_block: { cidr: '10.20.96.0/20' } }]);
    expect(to('6379')).toEqual([{ ip_block: { cidr: '10.20.96.0/20' } }]);
    expect(to('443')).toEqual([{ ip_block: { cidr: '10.20.144.0/20' } }]);
  });

  it('refuses egress to the internet', () => {
    expect(() => synth({ awsApiCidrs: ['0.0.0.0/0'] })).toThrow(OpenEgressError);
  });

  it('gives no SecurityGroupPolicy unless pod security groups are asked for', () => {
    expect(all('kubernetes_manifest')).toEqual([]);
  });

  it('gives every pod of the namespace the security groups it is asked for, through a SecurityGroupPolicy', () => {
    const manifests = Object.values(synth({ podSecurityGroupIds: ['sg-tenant', 'sg-nodes'] })['kubernetes_manifest'] ?? {});
    expect(manifests).toEqual([
      expect.objectContaining({
        manifest: expect.objectContaining({
          apiVersion: 'vpcresources.k8s.aws/v1beta1',
          kind: 'SecurityGroupPolicy',
          metadata: expect.objectContaining({ name: 'tenant-pods', namespace: 'tenant-acme' }),
          spec: { podSelector: {}, securityGroups: { groupIds: ['sg-tenant', 'sg-nodes'] } },
        }),
      }),
    ]);
  });

  it('binds the service account through Pod Identity to a role trusted by EKS Pod Identity only', () => {
    const [association] = all('aws_eks_pod_identity_association');
    expect(association).toMatchObject({ cluster_name: 'tenantry-prod' });
    const [role] = all('aws_iam_role');
    const trust = JSON.parse(String(role?.['assume_role_policy'])) as PolicyDocument;
    expect(trust.Statement.map((s) => s.Principal)).toEqual([{ Service: 'pods.eks.amazonaws.com' }]);
  });

  it("lets the role read only the tenant's secrets and decrypt only through Secrets Manager", () => {
    const [inline] = all('aws_iam_role_policy');
    // The policy is rendered with jsonencode; its literal parts are in the expression.
    const text = String(inline?.['policy']);
    expect(text).toContain(SECRETS);
    expect(text).toContain(KEY);
    expect(text).toContain('secretsmanager.eu-west-1.amazonaws.com');
    expect(text).not.toMatch(/"\*"/);
  });
});
