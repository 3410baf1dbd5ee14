/**
 * kube-prometheus-stack as a Helm release: the Prometheus operator, Prometheus,
 * Alertmanager and Grafana, with Grafana's sidecar loading every ConfigMap labelled
 * `grafana_dashboard: "1"` from any namespace, into the folder its annotation names.
 */
import { Release } from '@cdktf/provider-helm/lib/release/index.js';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { KUBE_PROMETHEUS_STACK_CHART } from './charts.js';

/** Label and value the Grafana sidecar selects dashboard ConfigMaps by. */
export const DASHBOARD_SIDECAR_LABEL = 'grafana_dashboard';
export const DASHBOARD_SIDECAR_LABEL_VALUE = '1';
/** k8s-sidecar's annotation naming the folder a dashboard goes into. */
export const DASHBOARD_FOLDER_ANNOTATION = 'k8s-sidecar-target-directory';

export interface KubePrometheusStackProps {
  /** Namespace of the release (created if missing). */
  readonly namespace: string;
  /**
   * Helm release name. Prometheus selects PrometheusRules, PodMonitors and
   * ServiceMonitors carrying `release: <this name>`.
   * @default 'kube-prometheus-stack'
   */
  readonly releaseName?: string;
  /** @default '15d' */
  readonly prometheusRetention?: string;
  /** @default '50Gi' */
  readonly prometheusStorageSize?: string;
  /** @default 2 (one Prometheus per availability zone) */
  readonly prometheusReplicas?: number;
  /**
   * Existing Secret with keys `admin-user` and `admin-password` for Grafana; it must exist
   * before the release is applied (Grafana does not start without it, and the release waits).
   * @default - the chart generates the admin password into its own Secret, in the cluster only
   */
  readonly grafanaAdminSecretName?: string;
}

/** The subset of the chart's values Tenantry sets, typed so a typo fails at compile time. */
export interface KubePrometheusStackValues {
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly replicas: number;
      readonly retention: string;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly storageSpec: { readonly volumeClaimTemplate: { readonly spec: { readonly accessModes: string[]; readonly resources: { readonly requests: { readonly storage: string } } } } };
    };
  };
  readonly grafana: {
    readonly admin?: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
    readonly sidecar: {
      readonly dashboards: {
        readonly enabled: boolean;
        readonly label: string;
        readonly labelValue: string;
        readonly searchNamespace: string;
        readonly folderAnnotation: string;
        readonly provider: { readonly foldersFromFilesStructure: boolean; readonly allowUiUpdates: boolean };
      };
    };
  };
}

export class KubePrometheusStack extends Construct {
  /** Label value PrometheusRules and PodMonitors must carry as `release` to be picked up. */
  readonly kubePrometheusStackReleaseName: string;
  readonly kubePrometheusStackNamespace: string;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    this.kubePrometheusStackReleaseName = props.releaseName ?? 'kube-prometheus-stack';
    this.kubePrometheusStackNamespace = props.namespace;
    const values: KubePrometheusStackValues = {
      prometheus: {
        prometheusSpec: {
          replicas: props.prometheusReplicas ?? 2,
          retention: props.prometheusRetention ?? '15d',
          // Keep the chart's default: only objects labelled release=<name> are selected,
          // which is why PodMonitor and PrometheusRule carry that label.
          ruleSelectorNilUsesHelmValues: true,
          podMonitorSelectorNilUsesHelmValues: true,
          storageSpec: {
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: props.prometheusStorageSize ?? '50Gi' } } },
            },
          },
        },
      },
      grafana: {
        ...(props.grafanaAdminSecretName ? { admin: { existingSecret: props.grafanaAdminSecretName, userKey: 'admin-user', passwordKey: 'admin-password' } } : {}),
        sidecar: {
          dashboards: {
            enabled: true,
            label: DASHBOARD_SIDECAR_LABEL,
            labelValue: DASHBOARD_SIDECAR_LABEL_VALUE,
            searchNamespace: 'ALL',
            folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
            provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
          },
        },
      },
    };
    this.release = new Release(this, 'release', {
      name: this.kubePrometheusStackReleaseName,
      namespace: props.namespace,
      createNamespace: true,
      repository: KUBE_PROMETHEUS_STACK_CHART.repository,
      chart: KUBE_PROMETHEUS_STACK_CHART.chart,
      version: KUBE_PROMETHEUS_STACK_CHART.version,
      atomic: true,
      cleanupOnFail: true,
      values: [stringify(values)],
    });
  }
}
