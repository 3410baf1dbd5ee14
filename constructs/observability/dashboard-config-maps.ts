/**
 * One ConfigMap per dashboard, labelled for the Grafana sidecar and annotated with its
 * folder. A ConfigMap may hold at most 1 MiB; a dashboard that does not fit fails the
 * synth with its name and size instead of failing the apply.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_SIDECAR_LABEL, DASHBOARD_SIDECAR_LABEL_VALUE } from './kube-prometheus-stack.js';

/** Kubernetes' limit on a ConfigMap's data (https://kubernetes.io/docs/concepts/configuration/configmap/). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

export interface DashboardJson {
  /** Grafana uid; also the ConfigMap name and file name. */
  readonly uid: string;
  /** The dashboard model as Grafana reads it. */
  readonly json: string;
}

export interface DashboardConfigMapsProps {
  readonly namespace: string;
  readonly dashboards: readonly DashboardJson[];
  /** @default 'Tenantry' */
  readonly folder?: string;
  /**
   * What the ConfigMaps wait for, e.g. the release that creates their namespace.
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class DashboardConfigMaps extends Construct {
  readonly configMaps: readonly ConfigMapV1[];

  constructor(scope: Construct, id: string, props: DashboardConfigMapsProps) {
    super(scope, id);
    const tooLarge = props.dashboards
      .map((d) => ({ uid: d.uid, bytes: Buffer.byteLength(d.json) }))
      .filter((d) => d.bytes >= CONFIG_MAP_MAX_BYTES);
    if (tooLarge.length > 0) {
      throw new Error(
        `dashboards too large for a ConfigMap (limit ${CONFIG_MAP_MAX_BYTES} bytes): ${tooLarge.map((d) => `${d.uid} is ${d.bytes} bytes`).join(', ')}; split the dashboard`,
      );
    }
    this.configMaps = props.dashboards.map(
      (d) =>
        new ConfigMapV1(this, d.uid, {
          metadata: {
            name: `dashboard-${d.uid}`,
            namespace: props.namespace,
            labels: { [DASHBOARD_SIDECAR_LABEL]: DASHBOARD_SIDECAR_LABEL_VALUE },
            annotations: { [DASHBOARD_FOLDER_ANNOTATION]: props.folder ?? 'Tenantry' },
          },
          data: { [`${d.uid}.json`]: d.json },
          ...(props.dependsOn ? { dependsOn: [...props.dependsOn] } : {}),
        }),
    );
  }
}
