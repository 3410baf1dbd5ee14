/**
 * A PodMonitor scraping every Tenantry service's own metrics endpoint (port 9464,
 * /metrics, @tenantry/telemetry's Prometheus exporter) in any namespace, and copying
 * the pod labels `role` (canary / stable) and `rollouts-pod-template-hash` (which
 * ReplicaSet: this canary, not an earlier one), both set by Argo Rollouts, onto every series.
 */
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import { LABEL_ROLE, POD_LABEL_POD_TEMPLATE_HASH, PROMETHEUS_PATH, PROMETHEUS_PORT } from '@tenantry/conventions';
import { Construct } from 'constructs';

export interface ServicePodMonitorProps {
  readonly namespace: string;
  /** The kube-prometheus-stack release name: Prometheus selects PodMonitors labelled `release: <name>`. */
  readonly prometheusReleaseName: string;
  /**
   * Pod labels that mark a Tenantry service.
   * @default { 'tenantry.io/metrics': 'true' }
   */
  readonly podSelector?: Readonly<Record<string, string>>;
  /** @default '15s' */
  readonly scrapeInterval?: string;
  /** @default 'tenantry-services' */
  readonly podMonitorName?: string;
}

export class ServicePodMonitor extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: ServicePodMonitorProps) {
    super(scope, id);
    this.manifest = new Manifest(this, 'pod-monitor', {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: {
          name: props.podMonitorName ?? 'tenantry-services',
          namespace: props.namespace,
          labels: { release: props.prometheusReleaseName },
        },
        spec: {
          selector: { matchLabels: { ...(props.podSelector ?? { 'tenantry.io/metrics': 'true' }) } },
          namespaceSelector: { any: true },
          podTargetLabels: [LABEL_ROLE, POD_LABEL_POD_TEMPLATE_HASH],
          podMetricsEndpoints: [
            {
              path: PROMETHEUS_PATH,
              interval: props.scrapeInterval ?? '15s',
              // Scrape the exporter's port whatever the container calls it.
              relabelings: [{ action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_port_number'], regex: String(PROMETHEUS_PORT) }],
            },
          ],
        },
      },
    });
  }
}
