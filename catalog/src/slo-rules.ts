/**
 * SLO feasibility rules: a tenant's objectives must give rules that mean what they say.
 * The loader refuses a latency budget that is not a bucket boundary of the
 * request-duration histogram (the share of requests under budget would only be
 * interpolated) and an objective for which a burn-rate alert could never fire (the
 * tenant would believe it is covered and never be paged).
 */
import { BURN_RATE_WINDOWS, LATENCY_OBJECTIVE, budgetSeconds, latencyBucketBoundaries, roundSeconds, type BurnRateWindow } from '@tenantry/conventions';
import type { CatalogIssue, Tenant } from './types.js';

export interface SloRuleOptions {
  /**
   * Upper bounds (`le`) of the request-duration histogram, in seconds, as the services export them.
   * @default - latencyBucketBoundaries(every budget of the tenants), what @tenantry/telemetry installs
   */
  readonly bucketBoundariesSeconds?: readonly number[];
  /** @default - BURN_RATE_WINDOWS (the SRE workbook's 30-day windows) */
  readonly windows?: readonly BurnRateWindow[];
}

/** Every SLO rule the tenants break, all at once. */
export function sloIssues(tenants: readonly Tenant[], options: SloRuleOptions = {}): CatalogIssue[] {
  const windows = options.windows ?? BURN_RATE_WINDOWS;
  const boundaries = new Set(
    (options.bucketBoundariesSeconds ?? latencyBucketBoundaries(tenants.map((t) => budgetSeconds(t.slo.p95LatencyMs)))).map(roundSeconds),
  );
  const issues: CatalogIssue[] = [];
  for (const tenant of tenants) {
    checkBudgetIsBoundary(tenant, boundaries, issues);
    checkAlertsCanFire(tenant, 'slo.p95LatencyMs', 'latency', LATENCY_OBJECTIVE, windows, issues);
    checkAlertsCanFire(tenant, 'slo.availability', 'availability', tenant.slo.availability, windows, issues);
  }
  return issues;
}

function checkBudgetIsBoundary(tenant: Tenant, boundaries: ReadonlySet<number>, issues: CatalogIssue[]): void {
  const seconds = budgetSeconds(tenant.slo.p95LatencyMs);
  if (boundaries.has(seconds)) return;
  issues.push({
    file: tenant.file,
    field: 'slo.p95LatencyMs',
    message:
      `budget ${tenant.slo.p95LatencyMs} ms (${seconds} s) is not a bucket boundary of the request-duration histogram ` +
      `(boundaries: ${[...boundaries].sort((a, b) => a - b).join(', ')} s), so the share of requests under budget could only be interpolated. ` +
      "Choose a budget among the boundaries, or add it to the services' boundaries (latencyBucketBoundaries does this for every catalog budget).",
  });
}

/**
 * An alert fires when the error ratio exceeds factor × (1 − objective). A ratio never
 * exceeds 1, so a threshold of 1 or more means an alert that can never fire.
 */
function checkAlertsCanFire(tenant: Tenant, field: string, slo: string, objective: number, windows: readonly BurnRateWindow[], issues: CatalogIssue[]): void {
  if (!(objective > 0 && objective < 1)) {
    issues.push({ file: tenant.file, field, message: `${slo} objective ${objective} must be between 0 and 1 (exclusive)` });
    return;
  }
  const worst = windows.reduce((a, b) => (b.factor > a.factor ? b : a));
  const threshold = worst.factor * (1 - objective);
  if (threshold < 1) return;
  const lowest = Math.ceil((1 - 1 / worst.factor) * 1e6) / 1e6;
  issues.push({
    file: tenant.file,
    field,
    message:
      `${slo} objective ${objective} leaves an error budget of ${percent(1 - objective)}%; the ${worst.severity} alert ` +
      `(burn rate ${worst.factor} over ${worst.longWindow}/${worst.shortWindow}) would need ${percent(threshold)}% of requests to fail, ` +
      `so it could never fire. Use an objective above ${lowest} (1 − 1/${worst.factor}).`,
  });
}

/** A ratio as a percentage with at most three decimals. */
const percent = (ratio: number): number => Math.round(ratio * 100 * 1000) / 1000;
