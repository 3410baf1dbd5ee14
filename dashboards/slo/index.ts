/**
 * SLO rules from the catalog, in stages (as Sloth does it): validate → objectives as
 * series → SLI recording rules → derived SLO series → burn-rate alerts. Only the
 * objectives grow with the number of tenants; they are sharded over several files so
 * each stays well under the 1 MiB a Kubernetes object (PrometheusRule) may hold.
 */
import type { Catalog } from '@tenantry/catalog';
import { BURN_RATE_WINDOWS, type BurnRateWindow } from '@tenantry/conventions';
import { range } from '@tenantry/conventions/promql';
import { stringify } from 'yaml';
import { alertRules } from './alert-rules.js';
import { GROUP_ALERTS, GROUP_OBJECTIVES, GROUP_SLI, GROUP_SLO_META } from '@tenantry/conventions';
import { metaRules } from './meta-rules.js';
import { objectiveRules } from './objective-rules.js';
import type { RuleFile } from './rule-types.js';
import { sliRules } from './sli-rules.js';
import { tenantObjectives, type TenantObjectives } from './objectives.js';

export interface SloRulesOptions {
  /**
   * Bucket boundaries of the request-duration histogram, in seconds.
   * @default - latencyBucketBoundaries(every catalog budget), what @tenantry/telemetry installs
   */
  readonly bucketBoundariesSeconds?: readonly number[];
  /** @default 'https://github.com/tenantry/tenantry/blob/main/docs/observability.md' */
  readonly runbookUrl?: string;
  /** @default '/d/tenantry-tenant-overview' (the tenant overview dashboard, relative to Grafana) */
  readonly dashboardUrl?: string;
  /** @default 100 requests in a window pair's long window before it may alert */
  readonly minimumRequests?: number;
  /**
   * Evaluation interval of the SLI rule group. The low-traffic guard integrates the
   * recorded request rate over these samples, so it is fixed here, not left to the
   * global setting.
   * @default '1m'
   */
  readonly sliEvaluationInterval?: string;
  /** @default 250 tenants per objectives file (about 150 KiB) */
  readonly tenantsPerObjectivesFile?: number;
  /** @default - BURN_RATE_WINDOWS (SRE workbook, 30 days) */
  readonly windows?: readonly BurnRateWindow[];
}

export const DEFAULT_RUNBOOK_URL = 'https://github.com/tenantry/tenantry/blob/main/docs/observability.md';
export const DEFAULT_MINIMUM_REQUESTS = 100;
const DEFAULT_TENANTS_PER_FILE = 250;

/** Every rule file, or a CatalogValidationError naming each tenant file and field at fault. */
export function sloRuleFiles(catalog: Catalog, dashboardUid: string, options: SloRulesOptions = {}): RuleFile[] {
  const objectives = sloObjectives(catalog, options);
  const perFile = options.tenantsPerObjectivesFile ?? DEFAULT_TENANTS_PER_FILE;
  const files: RuleFile[] = [];
  for (let start = 0, shard = 0; start < objectives.length; start += perFile, shard++) {
    const suffix = String(shard).padStart(3, '0');
    files.push({
      name: `slo-objectives-${suffix}.yaml`,
      groups: [{ name: `${GROUP_OBJECTIVES}-${suffix}`, rules: objectives.slice(start, start + perFile).flatMap(objectiveRules) }],
    });
  }
  return [...files, ...fleetSloRuleFiles(dashboardUid, options)];
}

/** The objectives of every tenant, checked together: a CatalogValidationError lists every problem at once. */
export function sloObjectives(catalog: Catalog, options: SloRulesOptions = {}): TenantObjectives[] {
  return tenantObjectives(catalog, {
    ...(options.bucketBoundariesSeconds ? { bucketBoundariesSeconds: options.bucketBoundariesSeconds } : {}),
    ...(options.windows ? { windows: options.windows } : {}),
  });
}

/**
 * One tenant's objective series as a rule file of its own, so a deployment can keep each
 * tenant's rules with the tenant (one PrometheusRule per tenant stack) and adding a
 * tenant changes nothing shared.
 */
export function tenantObjectivesRuleFile(objectives: TenantObjectives): RuleFile {
  return {
    name: `slo-tenant-${objectives.tenantId}.yaml`,
    groups: [{ name: `${GROUP_OBJECTIVES}-tenant-${objectives.tenantId}`, rules: objectiveRules(objectives) }],
  };
}

/**
 * The rules written once for all tenants (SLI recording rules, derived SLO series,
 * burn-rate alerts): they join the objective series `on (tenant_id)` and never name a
 * tenant, so they do not change when the catalog does.
 */
export function fleetSloRuleFiles(dashboardUid: string, options: SloRulesOptions = {}): RuleFile[] {
  const windows = options.windows ?? BURN_RATE_WINDOWS;
  const sliEvaluationInterval = range(options.sliEvaluationInterval ?? '1m');
  return [
    {
      name: 'slo-sli.yaml',
      groups: [
        { name: GROUP_SLI, interval: sliEvaluationInterval, rules: sliRules(windows) },
        { name: GROUP_SLO_META, interval: sliEvaluationInterval, rules: metaRules() },
      ],
    },
    {
      name: 'slo-alerts.yaml',
      groups: [
        {
          name: GROUP_ALERTS,
          rules: alertRules({
            runbookUrl: options.runbookUrl ?? DEFAULT_RUNBOOK_URL,
            dashboardUrl: options.dashboardUrl ?? `/d/${dashboardUid}`,
            minimumRequests: options.minimumRequests ?? DEFAULT_MINIMUM_REQUESTS,
            sliEvaluationInterval,
            windows,
          }),
        },
      ],
    },
  ];
}

/** A rule file as Prometheus reads it (no line folding, so expressions stay greppable). */
export function renderRuleFile(file: RuleFile): string {
  return stringify({ groups: file.groups }, { lineWidth: 0 });
}

export type { TenantObjectives } from './objectives.js';
export type { RuleFile, RuleGroup, Rule } from './rule-types.js';
