/**
 * Everything `npm run dashboards:build` writes, as data: the three dashboards and the
 * SLO rule files for one catalog. Kept free of file I/O so tests and the cluster
 * constructs use exactly what the build writes.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Catalog } from '@tenantry/catalog';
import { canaryDashboard } from './canary.js';
import { fleetOverview } from './fleet-overview.js';
import { renderRuleFile, sloRuleFiles, type SloRulesOptions } from './slo/index.js';
import type { RuleFile } from './slo/rule-types.js';
import { TENANT_OVERVIEW_UID, tenantOverview, type TenantOverviewOptions } from './tenant-overview/index.js';

export interface GeneratedDashboard {
  readonly uid: string;
  /** `<uid>.json` */
  readonly fileName: string;
  readonly dashboard: Dashboard;
}

export interface GeneratedRuleFile {
  readonly file: RuleFile;
  /** The file as YAML, ready for Prometheus or a PrometheusRule's spec. */
  readonly yaml: string;
}

export interface GenerateOptions {
  /** @default - trace and log data sources named `tempo` and `loki` */
  readonly links?: TenantOverviewOptions;
  /** @default - see SloRulesOptions */
  readonly slo?: SloRulesOptions;
}

export interface Generated {
  readonly dashboards: readonly GeneratedDashboard[];
  readonly ruleFiles: readonly GeneratedRuleFile[];
}

export function generateDashboards(options: GenerateOptions = {}): GeneratedDashboard[] {
  return [tenantOverview(options.links), fleetOverview(), canaryDashboard()].map((builder) => {
    const built = builder.build();
    if (!built.uid) throw new Error(`dashboard "${built.title}" has no uid; every dashboard needs a stable one`);
    return { uid: built.uid, fileName: `${built.uid}.json`, dashboard: built };
  });
}

export function generate(catalog: Catalog, options: GenerateOptions = {}): Generated {
  const ruleFiles = sloRuleFiles(catalog, TENANT_OVERVIEW_UID, options.slo).map((file) => ({ file, yaml: renderRuleFile(file) }));
  return { dashboards: generateDashboards(options), ruleFiles };
}
