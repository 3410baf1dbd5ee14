/**
 * Argo Rollouts as a Helm release (argoproj/argo-helm), at a pinned chart version: the
 * controller that runs canary Rollouts, their AnalysisRuns (the Tenantry canary gate as
 * a Job, see deploy/tenant-api/analysis-template.yaml) and the ALB traffic split.
 */
import { Release } from '@cdktf/provider-helm/lib/release/index.js';
import { Construct } from 'constructs';
import { stringify } from 'yaml';

/** argoproj/argo-helm `argo-rollouts` chart; upgrade by changing it here after reading the chart's notes. */
export const ARGO_ROLLOUTS_CHART = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-rollouts',
  version: '2.40.2',
} as const;

export interface ArgoRolloutsProps {
  /**
   * Namespace of the controller (created if missing).
   * @default 'argo-rollouts'
   */
  readonly namespace?: string;
  /**
   * Controller replicas; more than one runs with leader election.
   * @default 2
   */
  readonly controllerReplicas?: number;
  /**
   * Install the read-only Rollouts dashboard.
   * @default false
   */
  readonly dashboard?: boolean;
}

/** The chart values Tenantry sets, typed so a typo fails at compile time. */
export interface ArgoRolloutsValues {
  readonly installCRDs: boolean;
  readonly controller: { readonly replicas: number; readonly metrics: { readonly enabled: boolean } };
  readonly dashboard: { readonly enabled: boolean; readonly readonly: boolean };
}

export class ArgoRollouts extends Construct {
  readonly argoRolloutsNamespace: string;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ArgoRolloutsProps = {}) {
    super(scope, id);
    this.argoRolloutsNamespace = props.namespace ?? 'argo-rollouts';
    const values: ArgoRolloutsValues = {
      installCRDs: true,
      controller: { replicas: props.controllerReplicas ?? 2, metrics: { enabled: true } },
      dashboard: { enabled: props.dashboard ?? false, readonly: true },
    };
    this.release = new Release(this, 'release', {
      name: 'argo-rollouts',
      namespace: this.argoRolloutsNamespace,
      createNamespace: true,
      repository: ARGO_ROLLOUTS_CHART.repository,
      chart: ARGO_ROLLOUTS_CHART.chart,
      version: ARGO_ROLLOUTS_CHART.version,
      atomic: true,
      values: [stringify(values)],
    });
  }
}
