/**
 * The generated SLO rule files as PrometheusRule objects, one per file, labelled
 * `release: <kube-prometheus-stack release>` so the operator's ruleSelector picks them up.
 */
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest/index.js';
import { Construct } from 'constructs';
import { CONFIG_MAP_MAX_BYTES } from './dashboard-config-maps.js';

export interface RuleFileYaml {
  /** File name, e.g. `slo-alerts.yaml`; the object is named after it. */
  readonly name: string;
  /** The file's rule groups, which become the PrometheusRule's `spec.groups` as they are. */
  readonly groups: readonly object[];
  /** The same file rendered as Prometheus reads it; the size limit applies to it. */
  readonly yaml: string;
}

export interface SloPrometheusRulesProps {
  readonly namespace: string;
  readonly prometheusReleaseName: string;
  readonly ruleFiles: readonly RuleFileYaml[];
}

export class SloPrometheusRules extends Construct {
  readonly manifests: readonly Manifest[];

  constructor(scope: Construct, id: string, props: SloPrometheusRulesProps) {
    super(scope, id);
    const tooLarge = props.ruleFiles.filter((f) => Buffer.byteLength(f.yaml) >= CONFIG_MAP_MAX_BYTES);
    if (tooLarge.length > 0) {
      throw new Error(`rule files too large for one PrometheusRule (limit ${CONFIG_MAP_MAX_BYTES} bytes): ${tooLarge.map((f) => f.name).join(', ')}; use fewer tenants per objectives file`);
    }
    this.manifests = props.ruleFiles.map((file) => {
      const name = `tenantry-${file.name.replace(/\.ya?ml$/, '')}`;
      return new Manifest(this, name, {
        manifest: {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: { name, namespace: props.namespace, labels: { release: props.prometheusReleaseName } },
          spec: { groups: file.groups },
        },
      });
    });
  }
}
