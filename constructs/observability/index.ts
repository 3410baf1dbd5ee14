export { KUBE_PROMETHEUS_STACK_CHART, OPENTELEMETRY_COLLECTOR_CHART, type HelmChart } from './charts.js';
export { CONFIG_MAP_MAX_BYTES, DashboardConfigMaps, type DashboardConfigMapsProps, type DashboardJson } from './dashboard-config-maps.js';
export {
  DASHBOARD_FOLDER_ANNOTATION,
  DASHBOARD_SIDECAR_LABEL,
  DASHBOARD_SIDECAR_LABEL_VALUE,
  KubePrometheusStack,
  type KubePrometheusStackProps,
  type KubePrometheusStackValues,
} from './kube-prometheus-stack.js';
export { ObservabilityCustomResources, type ObservabilityCustomResourcesProps } from './observability-custom-resources.js';
export { ObservabilityStack, type ObservabilityStackProps } from './observability-stack.js';
export { OpenTelemetryCollector, type OpenTelemetryCollectorProps, type OpenTelemetryCollectorValues } from './opentelemetry-collector.js';
export { ServicePodMonitor, type ServicePodMonitorProps } from './service-pod-monitor.js';
export { SloPrometheusRules, type RuleFileYaml, type SloPrometheusRulesProps } from './slo-prometheus-rules.js';
