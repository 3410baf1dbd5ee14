/**
 * cluster-addons-<env>: what runs inside the cluster for every tenant, installed with
 * Helm at pinned chart versions once the cluster exists:
 *
 *   AWS Load Balancer Controller  ALBs for Ingresses of class `alb` (target type ip), and
 *                                 the weighted target groups Argo Rollouts shifts a canary with
 *   Argo Rollouts                 canary Rollouts and their analysis (the Tenantry canary gate)
 *   observability                 kube-prometheus-stack, OpenTelemetry Collector, the services'
 *                                 PodMonitor, the dashboards and the fleet-wide SLO rules
 *
 * It finds the cluster and VPC by name (data sources), so it holds no cross-stack
 * reference and synthesizes without credentials. It holds nothing tenant-specific: each
 * tenant's objective series live in the tenant's own stack (tenant-stacks.ts), so adding a
 * tenant leaves this stack unchanged.
 */
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js';
import type { Environment } from '@tenantry/catalog';
import type { Construct } from 'constructs';
import { generateFleet } from '../dashboards/generate.js';
import { LoadBalancerController } from '../constructs/load-balancer-controller/index.js';
import { ObservabilityStack } from '../constructs/observability/index.js';
import { ArgoRollouts } from '../constructs/rollouts/argo-rollouts.js';
import { configureClusterProviders } from './cluster-providers.js';
import {
  eksClusterName,
  LOAD_BALANCER_CONTROLLER_NAMESPACE,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  loadBalancerControllerRoleName,
  OBSERVABILITY_NAMESPACE,
  PROMETHEUS_RELEASE_NAME,
  vpcName,
} from './naming.js';
import { PlatformStack } from './platform-stack.js';

/**
 * Secret (keys `admin-user`, `admin-password`) Grafana's admin login is read from. It is
 * created out of band (e.g. by External Secrets) so the password never enters Terraform state.
 */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/**
 * Where the Collector forwards traces and logs (OTLP/HTTP). The kit installs no trace or
 * log store; these are the in-cluster addresses of Tempo and Loki if installed next to it.
 */
export const TRACES_ENDPOINT = `http://tempo.${OBSERVABILITY_NAMESPACE}:4318`;
export const LOGS_ENDPOINT = `http://loki.${OBSERVABILITY_NAMESPACE}:3100/otlp`;

export class ClusterAddonsStack extends PlatformStack {
  readonly loadBalancerController: LoadBalancerController;
  readonly argoRollouts: ArgoRollouts;
  readonly observability: ObservabilityStack;

  constructor(scope: Construct, env: Environment) {
    super(scope, 'cluster-addons', env, { aws: true });
    configureClusterProviders(this, env, { helm: true });

    const vpc = new DataAwsVpc(this, 'Vpc', { tags: { Name: vpcName(env) } });
    this.loadBalancerController = new LoadBalancerController(this, 'LoadBalancerController', {
      clusterName: eksClusterName(env),
      vpcId: vpc.id,
      region: env.region,
      accountId: env.account,
      roleName: loadBalancerControllerRoleName(env),
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      serviceAccountName: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      replicas: env.highAvailability ? 2 : 1,
    });

    this.argoRollouts = new ArgoRollouts(this, 'ArgoRollouts', { controllerReplicas: env.highAvailability ? 2 : 1 });

    const fleet = generateFleet();
    this.observability = new ObservabilityStack(this, 'Observability', {
      namespace: OBSERVABILITY_NAMESPACE,
      prometheusReleaseName: PROMETHEUS_RELEASE_NAME,
      grafanaAdminSecretName: GRAFANA_ADMIN_SECRET,
      tracesEndpoint: TRACES_ENDPOINT,
      logsEndpoint: LOGS_ENDPOINT,
      dashboards: fleet.dashboards.map((d) => ({ uid: d.uid, json: JSON.stringify(d.dashboard) })),
      ruleFiles: fleet.ruleFiles.map((r) => ({ name: r.file.name, groups: r.file.groups, yaml: r.yaml })),
    });
  }
}
