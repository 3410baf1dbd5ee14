/**
 * Everything `npm run dashboards:build` writes, as data: the three dashboards and the
 * SLO rule files for one catalog. Kept free of file I/O so tests and the cluster
 * constructs use exactly what the build writes.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Catalog } from '@tenantry/catalog';
import { canaryDashboard } from './canary.js';
import { fleetOverview } from './fleet-overview.js';
import { fleetSloRuleFiles, renderRuleFile, sloObjectives, sloRuleFiles, tenantObjectivesRuleFile, type SloRulesOptions } from './slo/index.js';
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
  const ruleFiles = sloRuleFiles(catalog, TENANT_OVERVIEW_UID, options.slo).map(render);
  return { dashboards: generateDashboards(options), ruleFiles };
}

/**
 * What does not depend on the catalog's tenants: the dashboards (the tenant variable
 * comes from the series) and the fleet-wide SLO rules. The in-cluster observability
 * stack installs these; each tenant's objectives come from generateTenantRuleFiles.
 */
export function generateFleet(options: GenerateOptions = {}): Generated {
  const ruleFiles = fleetSloRuleFiles(TENANT_OVERVIEW_UID, options.slo).map(render);
  return { dashboards: generateDashboards(options), ruleFiles };
}

/** Each tenant's objective series as its own rule file, by tenant id; the catalog is validated as a whole first. */
export function generateTenantRuleFiles(catalog: Catalog, options: GenerateOptions = {}): ReadonlyMap<string, GeneratedRuleFile> {
  return new Map(sloObjectives(catalog, options.slo).map((objectives) => [objectives.tenantId, render(tenantObjectivesRuleFile(objectives))]));
}

const render = (file: RuleFile): GeneratedRuleFile => ({ file, yaml: renderRuleFile(file) });
