/**
 * Helm charts of the observability stack, pinned to exact versions so a deploy never
 * picks up a new chart by surprise. Upgrade by changing the version here and reading
 * the chart's upgrade notes.
 */
export interface HelmChart {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** prometheus-community/helm-charts: Prometheus (operator), Alertmanager, Grafana with the dashboard sidecar. */
export const KUBE_PROMETHEUS_STACK_CHART: HelmChart = {
  repository: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '88.5.3',
};

/** open-telemetry/opentelemetry-helm-charts: the Collector receiving services' OTLP traces and logs. */
export const OPENTELEMETRY_COLLECTOR_CHART: HelmChart = {
  repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
  chart: 'opentelemetry-collector',
  version: '0.127.2',
};
