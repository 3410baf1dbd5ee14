/**
 * The in-cluster observability stack in one construct: kube-prometheus-stack, the
 * OpenTelemetry Collector, the services' PodMonitor, the dashboards and the SLO rules.
 * It takes built dashboards and rule files (from dashboards/generate.ts), not the
 * catalog: the cluster stack decides what to put in.
 */
import { Construct } from 'constructs';
import { DashboardConfigMaps, type DashboardJson } from './dashboard-config-maps.js';
import { KubePrometheusStack } from './kube-prometheus-stack.js';
import { OpenTelemetryCollector } from './opentelemetry-collector.js';
import { ServicePodMonitor } from './service-pod-monitor.js';
import { SloPrometheusRules, type RuleFileYaml } from './slo-prometheus-rules.js';

export interface ObservabilityStackProps {
  /** @default 'observability' */
  readonly namespace?: string;
  /**
   * kube-prometheus-stack's release name, the `release` label Prometheus selects rules
   * and monitors by (PrometheusRules created elsewhere must carry it too).
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusReleaseName?: string;
  readonly grafanaAdminSecretName: string;
  readonly tracesEndpoint: string;
  readonly logsEndpoint: string;
  readonly dashboards: readonly DashboardJson[];
  readonly ruleFiles: readonly RuleFileYaml[];
}

export class ObservabilityStack extends Construct {
  readonly kubePrometheusStack: KubePrometheusStack;
  readonly openTelemetryCollector: OpenTelemetryCollector;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'observability';
    this.kubePrometheusStack = new KubePrometheusStack(this, 'kube-prometheus-stack', {
      namespace,
      releaseName: props.prometheusReleaseName,
      grafanaAdminSecretName: props.grafanaAdminSecretName,
    });
    this.openTelemetryCollector = new OpenTelemetryCollector(this, 'otel-collector', {
      namespace,
      tracesEndpoint: props.tracesEndpoint,
      logsEndpoint: props.logsEndpoint,
    });
    const release = this.kubePrometheusStack.kubePrometheusStackReleaseName;
    // The CRDs (PodMonitor, PrometheusRule) and the namespace come with the chart.
    const afterChart = [this.kubePrometheusStack.release];
    const podMonitor = new ServicePodMonitor(this, 'pod-monitor', { namespace, prometheusReleaseName: release });
    podMonitor.manifest.node.addDependency(...afterChart);
    const dashboards = new DashboardConfigMaps(this, 'dashboards', { namespace, dashboards: props.dashboards });
    for (const c of dashboards.configMaps) c.node.addDependency(...afterChart);
    const rules = new SloPrometheusRules(this, 'rules', { namespace, prometheusReleaseName: release, ruleFiles: props.ruleFiles });
    for (const m of rules.manifests) m.node.addDependency(...afterChart);
  }
}
