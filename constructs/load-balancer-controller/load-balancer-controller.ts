/**
 * The AWS Load Balancer Controller as a Helm release (aws/eks-charts) at a pinned chart
 * version, with its IAM role bound to its service account through EKS Pod Identity. It
 * turns Ingresses of class `alb` into ALBs (target type ip) and lets Argo Rollouts split
 * a canary's traffic with weighted target groups (trafficRouting.alb).
 */
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Release } from '@cdktf/provider-helm/lib/release/index.js';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { podIdentityTrustPolicy } from '../trust-policy.js';
import { loadBalancerControllerPolicy } from './controller-policy.js';

/** aws/eks-charts `aws-load-balancer-controller` (chart 1.13.x ships controller v2.13.x); upgrade here after reading its notes. */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  repository: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '1.13.4',
} as const;

export interface LoadBalancerControllerProps {
  /** EKS cluster the controller runs in; it tags what it creates with this name. */
  readonly clusterName: string;
  /** VPC of the cluster, so the controller does not need the instance metadata service to find it. */
  readonly vpcId: string;
  readonly region: string;
  readonly accountId: string;
  /** IAM role name. */
  readonly roleName: string;
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default 'aws-load-balancer-controller' */
  readonly serviceAccountName?: string;
  /**
   * Controller replicas (leader election keeps one active).
   * @default 2
   */
  readonly replicas?: number;
}

/** The chart values Tenantry sets, typed so a typo fails at compile time. */
export interface LoadBalancerControllerValues {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  readonly replicaCount: number;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  /** Only Ingresses that ask for class `alb`; Services of type LoadBalancer stay with their own class. */
  readonly createIngressClassResource: boolean;
  readonly ingressClass: string;
  /**
   * The controller's Shield, WAF (classic regional) and WAFv2 integrations, off: Cloudflare
   * is the platform's WAF, and the role is not granted those APIs (controller-policy.ts).
   */
  readonly enableShield: boolean;
  readonly enableWaf: boolean;
  readonly enableWafv2: boolean;
}

export class LoadBalancerController extends Construct {
  readonly role: IamRole;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'kube-system';
    const serviceAccountName = props.serviceAccountName ?? 'aws-load-balancer-controller';

    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: `AWS Load Balancer Controller of EKS cluster ${props.clusterName}`,
      assumeRolePolicy: podIdentityTrustPolicy(),
    });
    new IamRolePolicy(this, 'Policy', {
      role: this.role.name,
      name: 'aws-load-balancer-controller',
      policy: JSON.stringify(loadBalancerControllerPolicy({ region: props.region, accountId: props.accountId, vpcId: props.vpcId })),
    });
    const association = new EksPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: props.clusterName,
      namespace,
      serviceAccount: serviceAccountName,
      roleArn: this.role.arn,
    });

    const values: LoadBalancerControllerValues = {
      clusterName: props.clusterName,
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: props.replicas ?? 2,
      serviceAccount: { create: true, name: serviceAccountName },
      createIngressClassResource: true,
      ingressClass: 'alb',
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
    };
    this.release = new Release(this, 'release', {
      name: 'aws-load-balancer-controller',
      namespace,
      repository: LOAD_BALANCER_CONTROLLER_CHART.repository,
      chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
      version: LOAD_BALANCER_CONTROLLER_CHART.version,
      atomic: true,
      cleanupOnFail: true,
      values: [stringify(values)],
      // The pods must find their credentials on first start.
      dependsOn: [association],
    });
  }
}
