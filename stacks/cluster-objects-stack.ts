/**
 * cluster-objects-<env>: the custom resources whose kinds cluster-addons' charts install
 * (the services' PodMonitor and the fleet-wide SLO PrometheusRules). The kubernetes
 * provider resolves a `kubernetes_manifest` against the cluster's API at plan time, so
 * these cannot be planned until kube-prometheus-stack has installed its CRDs: this stack
 * depends on cluster-addons-<env>, and `cdktf deploy` plans it only after that stack is
 * applied. Like cluster-addons it finds the cluster by name and holds nothing
 * tenant-specific.
 */
import type { Environment } from '@tenantry/catalog';
import type { Construct } from 'constructs';
import { generateFleet } from '../dashboards/generate.js';
import { ObservabilityCustomResources } from '../constructs/observability/index.js';
import { configureClusterProviders } from './cluster-providers.js';
import { OBSERVABILITY_NAMESPACE, PROMETHEUS_RELEASE_NAME } from './naming.js';
import { PlatformStack } from './platform-stack.js';

export class ClusterObjectsStack extends PlatformStack {
  readonly observability: ObservabilityCustomResources;

  constructor(scope: Construct, env: Environment) {
    super(scope, 'cluster-objects', env, { aws: true });
    configureClusterProviders(this, env);
    this.observability = new ObservabilityCustomResources(this, 'Observability', {
      namespace: OBSERVABILITY_NAMESPACE,
      prometheusReleaseName: PROMETHEUS_RELEASE_NAME,
      ruleFiles: generateFleet().ruleFiles.map((r) => ({ name: r.file.name, groups: r.file.groups, yaml: r.yaml })),
    });
  }
}
