/**
 * A tenant's own Kubernetes namespace with the isolation baseline every tenant
 * namespace carries, and the AWS identity its pods run as.
 */
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1/index.js';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1/index.js';
import { NetworkPolicyV1, type NetworkPolicyV1SpecEgress, type NetworkPolicyV1SpecIngress } from '@cdktf/provider-kubernetes/lib/network-policy-v1/index.js';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1/index.js';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1/index.js';
import { PROMETHEUS_PORT } from '@tenantry/conventions';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { podIdentityTrustPolicy } from './trust-policy.js';

/** Label that carries the tenant id on the namespace (and lets policies select it). */
export const TENANT_NAMESPACE_LABEL = 'tenantry.io/tenant';

/** Link-local address of the EKS Pod Identity agent on every node. */
const POD_IDENTITY_AGENT_ADDRESS = '169.254.170.23';

/** Compute a tenant namespace may use, and the default each container gets. */
export interface TenantNamespaceQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly pods: number;
  readonly defaultContainerCpu: string;
  readonly defaultContainerMemory: string;
}

export interface TenantNamespaceProps {
  readonly tenantId: string;
  /** Name of the namespace, e.g. `tenant-acme`. */
  readonly namespaceName: string;
  readonly quota: TenantNamespaceQuota;
  /** EKS cluster whose Pod Identity agent hands the role to the service account. */
  readonly clusterName: string;
  /** ARN pattern of the only secrets the pods may read, e.g. `arn:aws:secretsmanager:…:secret:tenantry/prod/tenants/acme/*`. */
  readonly secretArnPattern: string;
  /** KMS key that encrypts those secrets; the pods may decrypt with it through Secrets Manager only. */
  readonly secretKmsKeyArn: string;
  /**
   * Database users the pods may sign in as with IAM tokens (`rds-db:connect` resources),
   * e.g. the proxy user of a dedicated tenant's own cluster.
   * @default - none
   */
  readonly databaseConnectUserArns?: readonly string[];
  /** AWS region of the secrets (scopes kms:ViaService). */
  readonly region: string;
  /** CIDR blocks of the subnets holding the tenant's database (shared cluster, proxy or its own cluster). */
  readonly databaseCidrs: readonly string[];
  /** CIDR blocks of the subnets holding the Redis replication group. */
  readonly redisCidrs: readonly string[];
  /**
   * CIDR blocks through which pods reach AWS APIs over HTTPS to fetch their secrets: the
   * subnets of the VPC's interface endpoints. 0.0.0.0/0 and ::/0 are refused.
   */
  readonly awsApiCidrs: readonly string[];
  /**
   * Security groups every pod of the namespace gets instead of its node's, through a
   * SecurityGroupPolicy (the cluster's vpc-cni must run with ENABLE_POD_ENI). A dedicated
   * tenant's database admits the tenant's own group, so no other tenant's pod reaches it.
   * @default - none: pods keep their node's security groups
   */
  readonly podSecurityGroupIds?: readonly string[];
  /**
   * CIDR blocks inbound requests come from. The kit's ingress is the AWS Load Balancer
   * Controller with target type `ip`: the ALB sends to pod addresses directly from its
   * own addresses in the VPC's public subnets, and no in-cluster proxy sits in between,
   * so the tenant stack passes the VPC CIDR (which holds those subnets; ALB addresses
   * change as it scales, so a narrower list would break). Only `applicationPort` is open
   * to them.
   */
  readonly loadBalancerCidrs: readonly string[];
  /**
   * Container port the ALB's target group sends requests to.
   * @default 8080 (the reference service's `http` port, deploy/tenant-api/rollout.yaml)
   */
  readonly applicationPort?: number;
  /**
   * Namespace of the Prometheus that scrapes the tenant's pods on the metrics port, and
   * of the OpenTelemetry Collector they send traces to.
   * @default 'observability' (where the kit's observability stack installs Prometheus)
   */
  readonly monitoringNamespace?: string;
  /**
   * Service account the tenant's workloads run as.
   * @default 'app'
   */
  readonly serviceAccountName?: string;
  /**
   * @default 5432
   */
  readonly databasePort?: number;
  /**
   * @default 6379
   */
  readonly redisPort?: number;
}

/**
 * A namespace labelled with the tenant id and Pod Security Admission `restricted`, a
 * ResourceQuota and LimitRange from the plan, a default-deny NetworkPolicy plus the
 * explicit allows (the ALB on the application port and the metrics scrape in; DNS, database, Redis,
 * the OpenTelemetry Collector, the Pod Identity agent and AWS APIs out), and a service account bound through EKS Pod Identity to an IAM role that can
 * read only the tenant's secrets.
 *
 * Pod Identity rather than IRSA: its trust policy names the EKS service, not each
 * cluster's OIDC provider, so it never runs into IRSA's 2,048-character trust-policy
 * limit and one role serves the tenant in every cluster.
 */
/** Refused before synth: tenant pods reach AWS APIs through the VPC's endpoints, never the internet. */
export class OpenEgressError extends Error {
  constructor(field: string, cidrs: readonly string[]) {
    super(`${field} ${JSON.stringify(cidrs)} opens tenant egress to the internet; pass the CIDRs of the VPC's endpoint subnets (subnetCidrs(vpcCidr, 'endpoint'))`);
    this.name = 'OpenEgressError';
  }
}

/** Name of the SecurityGroupPolicy that gives a tenant's pods their security groups. */
export const TENANT_SECURITY_GROUP_POLICY = 'tenant-pods';

export class TenantNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly role: IamRole;
  readonly serviceAccount: ServiceAccountV1;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    for (const [field, cidrs] of [['awsApiCidrs', props.awsApiCidrs], ['databaseCidrs', props.databaseCidrs], ['redisCidrs', props.redisCidrs]] as const) {
      if (cidrs.some((cidr) => cidr === '0.0.0.0/0' || cidr === '::/0')) throw new OpenEgressError(field, cidrs);
    }
    const name = props.namespaceName;
    const labels = { [TENANT_NAMESPACE_LABEL]: props.tenantId, 'app.kubernetes.io/managed-by': 'tenantry' };

    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    // Every namespaced object depends on the namespace resource, so Terraform creates it first.
    const namespace = this.namespace.metadata.name;
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels });

    const q = props.quota;
    new ResourceQuotaV1(this, 'Quota', {
      metadata: metadata('tenant-quota'),
      spec: {
        hard: {
          'requests.cpu': q.requestsCpu,
          'requests.memory': q.requestsMemory,
          'limits.cpu': q.limitsCpu,
          'limits.memory': q.limitsMemory,
          pods: String(q.pods),
        },
      },
    });

    // With a quota on requests and limits, a pod without them would be rejected: the
    // LimitRange gives every container the plan's default instead.
    new LimitRangeV1(this, 'Limits', {
      metadata: metadata('tenant-defaults'),
      spec: {
        limit: [
          {
            type: 'Container',
            default: { cpu: q.defaultContainerCpu, memory: q.defaultContainerMemory },
            defaultRequest: { cpu: q.defaultContainerCpu, memory: q.defaultContainerMemory },
          },
        ],
      },
    });

    this.addNetworkPolicies(metadata, props);
    if (props.podSecurityGroupIds?.length) {
      new Manifest(this, 'PodSecurityGroups', {
        manifest: {
          apiVersion: 'vpcresources.k8s.aws/v1beta1',
          kind: 'SecurityGroupPolicy',
          metadata: { name: TENANT_SECURITY_GROUP_POLICY, namespace: name, labels },
          spec: { podSelector: {}, securityGroups: { groupIds: [...props.podSecurityGroupIds] } },
        },
        dependsOn: [this.namespace],
      });
    }

    this.role = new IamRole(this, 'Role', {
      description: `Pods of tenant ${props.tenantId} (namespace ${name}): read the tenant's secrets only`,
      assumeRolePolicy: podIdentityTrustPolicy(),
    });
    new IamRolePolicy(this, 'ReadTenantSecrets', {
      role: this.role.name,
      name: 'read-tenant-secrets',
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadTenantSecrets',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: props.secretArnPattern,
          },
          {
            Sid: 'DecryptThroughSecretsManager',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: props.secretKmsKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
          },
          ...(props.databaseConnectUserArns?.length
            ? [{ Sid: 'SignInToTenantDatabase', Effect: 'Allow', Action: 'rds-db:connect', Resource: [...props.databaseConnectUserArns] }]
            : []),
        ],
      }),
    });

    const serviceAccountName = props.serviceAccountName ?? 'app';
    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: metadata(serviceAccountName),
      automountServiceAccountToken: false,
    });
    new EksPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: props.clusterName,
      namespace,
      serviceAccount: this.serviceAccount.metadata.name,
      roleArn: this.role.arn,
    });
  }

  private addNetworkPolicies(
    metadata: (objectName: string) => { name: string; namespace: string; labels: Record<string, string> },
    props: TenantNamespaceProps,
  ): void {
    const allPods = {};
    const namespaceNamed = (namespaceName: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': namespaceName } });

    new NetworkPolicyV1(this, 'DefaultDeny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: allPods, policyTypes: ['Ingress', 'Egress'] },
    });

    const ingress: NetworkPolicyV1SpecIngress[] = [
      {
        from: props.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: 'TCP', port: String(props.applicationPort ?? 8080) }],
      },
      {
        from: [{ namespaceSelector: namespaceNamed(props.monitoringNamespace ?? 'observability') }],
        ports: [{ protocol: 'TCP', port: String(PROMETHEUS_PORT) }],
      },
    ];
    new NetworkPolicyV1(this, 'AllowIngress', {
      metadata: metadata('allow-load-balancer-and-scrape'),
      spec: { podSelector: allPods, policyTypes: ['Ingress'], ingress },
    });

    const egress: NetworkPolicyV1SpecEgress[] = [
      {
        to: [{ namespaceSelector: namespaceNamed('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: '53' },
          { protocol: 'TCP', port: '53' },
        ],
      },
      {
        to: props.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: 'TCP', port: String(props.databasePort ?? 5432) }],
      },
      {
        to: props.redisCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: 'TCP', port: String(props.redisPort ?? 6379) }],
      },
      // Traces to the OpenTelemetry Collector (OTLP gRPC and HTTP) next to Prometheus.
      {
        to: [{ namespaceSelector: namespaceNamed(props.monitoringNamespace ?? 'observability') }],
        ports: [
          { protocol: 'TCP', port: '4317' },
          { protocol: 'TCP', port: '4318' },
        ],
      },
      // The node-local EKS Pod Identity agent, from which the SDK gets the role's credentials.
      { to: [{ ipBlock: { cidr: `${POD_IDENTITY_AGENT_ADDRESS}/32` } }], ports: [{ protocol: 'TCP', port: '80' }] },
      { to: props.awsApiCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: '443' }] },
    ];
    new NetworkPolicyV1(this, 'AllowEgress', {
      metadata: metadata('allow-dns-data-stores-aws'),
      spec: { podSelector: allPods, policyTypes: ['Egress'], egress },
    });
  }
}
