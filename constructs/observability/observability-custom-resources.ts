/**
 * The observability objects whose kinds come from kube-prometheus-stack's CRDs: the
 * services' PodMonitor and the SLO PrometheusRules. They are `kubernetes_manifest`
 * resources, which the kubernetes provider resolves against the cluster's API at plan
 * time, so they cannot be planned before the chart has installed the CRDs: they live in a
 * stack deployed after the one installing the chart (cluster-objects after cluster-addons).
 */
import { Construct } from 'constructs';
import { ServicePodMonitor } from './service-pod-monitor.js';
import { SloPrometheusRules, type RuleFileYaml } from './slo-prometheus-rules.js';

export interface ObservabilityCustomResourcesProps {
  /** Namespace of kube-prometheus-stack (created by its release). */
  readonly namespace: string;
  /** kube-prometheus-stack's release name: the `release` label its Prometheus selects rules and monitors by. */
  readonly prometheusReleaseName: string;
  readonly ruleFiles: readonly RuleFileYaml[];
}

export class ObservabilityCustomResources extends Construct {
  readonly podMonitor: ServicePodMonitor;
  readonly rules: SloPrometheusRules;

  constructor(scope: Construct, id: string, props: ObservabilityCustomResourcesProps) {
    super(scope, id);
    this.podMonitor = new ServicePodMonitor(this, 'pod-monitor', { namespace: props.namespace, prometheusReleaseName: props.prometheusReleaseName });
    this.rules = new SloPrometheusRules(this, 'rules', { namespace: props.namespace, prometheusReleaseName: props.prometheusReleaseName, ruleFiles: props.ruleFiles });
  }
}
