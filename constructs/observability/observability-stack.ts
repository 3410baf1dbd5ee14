/**
 * The in-cluster observability charts in one construct: kube-prometheus-stack (which
 * creates the namespace and the CRDs), the OpenTelemetry Collector and the dashboards.
 * Everything else in the namespace is ordered after the kube-prometheus-stack release, so
 * one apply on an empty cluster succeeds. The custom resources (PodMonitor, SLO rules) are
 * ObservabilityCustomResources, planned only once the CRDs exist. It takes built
 * dashboards (from dashboards/generate.ts), not the catalog: the cluster stack decides
 * what to put in.
 */
import { Construct } from 'constructs';
import { DashboardConfigMaps, type DashboardJson } from './dashboard-config-maps.js';
import { KubePrometheusStack } from './kube-prometheus-stack.js';
import { OpenTelemetryCollector } from './opentelemetry-collector.js';

export interface ObservabilityStackProps {
  /** @default 'observability' */
  readonly namespace?: string;
  /**
   * kube-prometheus-stack's release name, the `release` label Prometheus selects rules
   * and monitors by (PrometheusRules created elsewhere must carry it too).
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusReleaseName?: string;
  /**
   * Existing Secret (keys `admin-user`, `admin-password`) Grafana's admin login is read
   * from. It must exist before the release is applied: Grafana does not start without it.
   * @default - the chart generates the admin password into its own Secret in the cluster (never in Terraform state)
   */
  readonly grafanaAdminSecretName?: string;
  readonly tracesEndpoint: string;
  readonly logsEndpoint: string;
  readonly dashboards: readonly DashboardJson[];
}

export class ObservabilityStack extends Construct {
  readonly kubePrometheusStack: KubePrometheusStack;
  readonly openTelemetryCollector: OpenTelemetryCollector;
  readonly dashboards: DashboardConfigMaps;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'observability';
    this.kubePrometheusStack = new KubePrometheusStack(this, 'kube-prometheus-stack', {
      namespace,
      releaseName: props.prometheusReleaseName,
      ...(props.grafanaAdminSecretName ? { grafanaAdminSecretName: props.grafanaAdminSecretName } : {}),
    });
    // kube-prometheus-stack's release creates the namespace: what else lives there waits for it.
    const chart = this.kubePrometheusStack.release;
    this.openTelemetryCollector = new OpenTelemetryCollector(this, 'otel-collector', {
      namespace,
      tracesEndpoint: props.tracesEndpoint,
      logsEndpoint: props.logsEndpoint,
      dependsOn: [chart],
    });
    this.dashboards = new DashboardConfigMaps(this, 'dashboards', { namespace, dashboards: props.dashboards, dependsOn: [chart] });
  }
}
