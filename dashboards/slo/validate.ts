/**
 * Stage 1 of SLO rule generation: turn catalog tenants into objectives and refuse,
 * all at once, anything that would give silently wrong rules: a latency budget that is
 * not a histogram bucket boundary (the SLI would be interpolated, not exact) and an
 * objective for which a burn-rate alert could never fire.
 */
import type { Tenant } from '@tenantry/catalog';
import { roundSeconds } from '@tenantry/conventions';
import { BURN_RATE_WINDOWS, type BurnRateWindow } from './windows.js';

/** A p95 budget promises that 95% of requests finish at or under it. */
export const LATENCY_OBJECTIVE = 0.95;

export interface TenantObjectives {
  readonly tenantId: string;
  readonly tier: string;
  readonly plan: string;
  readonly latencyBudgetSeconds: number;
  readonly latencyObjective: number;
  readonly availabilityObjective: number;
  readonly errorRateBudget: number;
}

export interface SloIssue {
  readonly file: string;
  readonly field: string;
  readonly message: string;
}

export class SloValidationError extends Error {
  constructor(readonly issues: readonly SloIssue[]) {
    super(`SLO rules cannot be generated; fix the following:\n${issues.map((i) => `- ${i.file} ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'SloValidationError';
  }
}

export interface ValidateOptions {
  /** Upper bounds (`le`) of the request-duration histogram, in seconds, as the services export them. */
  readonly bucketBoundariesSeconds: readonly number[];
  /** @default - the workbook's 30-day windows (BURN_RATE_WINDOWS) */
  readonly windows?: readonly BurnRateWindow[];
}

/** The objectives of every tenant, or an SloValidationError listing every problem. */
export function validateObjectives(tenants: readonly Tenant[], options: ValidateOptions): TenantObjectives[] {
  const windows = options.windows ?? BURN_RATE_WINDOWS;
  const boundaries = new Set(options.bucketBoundariesSeconds.map(roundSeconds));
  const issues: SloIssue[] = [];
  const objectives: TenantObjectives[] = [];
  for (const tenant of tenants) {
    const latencyBudgetSeconds = roundSeconds(tenant.slo.p95LatencyMs / 1000);
    if (!boundaries.has(latencyBudgetSeconds)) {
      issues.push({
        file: tenant.file,
        field: 'slo.p95LatencyMs',
        message:
          `budget ${tenant.slo.p95LatencyMs} ms (${latencyBudgetSeconds} s) is not a bucket boundary of the request-duration histogram ` +
          `(boundaries: ${[...boundaries].sort((a, b) => a - b).join(', ')} s), so the share of requests under budget could only be interpolated. ` +
          'Choose a budget among the boundaries, or add it to the services\' boundaries (latencyBucketBoundaries does this for every catalog budget).',
      });
    }
    checkAlertsCanFire(tenant, 'slo.p95LatencyMs', 'latency', LATENCY_OBJECTIVE, windows, issues);
    checkAlertsCanFire(tenant, 'slo.availability', 'availability', tenant.slo.availability, windows, issues);
    objectives.push({
      tenantId: tenant.id,
      tier: tenant.tier,
      plan: tenant.plan,
      latencyBudgetSeconds,
      latencyObjective: LATENCY_OBJECTIVE,
      availabilityObjective: tenant.slo.availability,
      errorRateBudget: tenant.slo.errorRate,
    });
  }
  if (issues.length > 0) throw new SloValidationError(issues);
  return objectives;
}

/**
 * An alert fires when the error ratio exceeds factor × (1 − objective). A ratio never
 * exceeds 1, so a threshold of 1 or more means an alert that can never fire: the
 * tenant would believe it is covered and never be paged.
 */
function checkAlertsCanFire(
  tenant: Tenant,
  field: string,
  slo: string,
  objective: number,
  windows: readonly BurnRateWindow[],
  issues: SloIssue[],
): void {
  if (!(objective > 0 && objective < 1)) {
    issues.push({ file: tenant.file, field, message: `${slo} objective ${objective} must be between 0 and 1 (exclusive)` });
    return;
  }
  const worst = windows.reduce((a, b) => (b.factor > a.factor ? b : a));
  const threshold = worst.factor * (1 - objective);
  if (threshold >= 1) {
    const lowest = Math.ceil((1 - 1 / worst.factor) * 1e6) / 1e6;
    issues.push({
      file: tenant.file,
      field,
      message:
        `${slo} objective ${objective} leaves an error budget of ${round((1 - objective) * 100)}%; the ${worst.severity} alert ` +
        `(burn rate ${worst.factor} over ${worst.longWindow}/${worst.shortWindow}) would need ${round(threshold * 100)}% of requests to fail, ` +
        `so it could never fire. Use an objective above ${lowest} (1 − 1/${worst.factor}).`,
    });
  }
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
