/**
 * Per-tenant results, the one row shape both load generators report: k6 (from its
 * summary) and the local autocannon driver (from its own measurements).
 */
import type { LoadTenant } from '../tenants-file.js';
import { scenarioName } from '../scenarios.js';
import { SCENARIO_TAG, subMetric } from '../thresholds.js';
import type { SummaryData } from './summary-data.js';

export interface TenantRow {
  readonly tenant: string;
  readonly requests: number;
  /** Latency percentiles in milliseconds; undefined when the tenant got no answer. */
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly p95BudgetMs: number;
  /** Failed requests (5xx, unexpected status, timeouts, connection errors). */
  readonly errors: number;
  readonly errorRateBudget: number;
  /** Why the tenant failed; empty when it passed. */
  readonly failures: readonly string[];
}

/** Error ratio of a row (0 with no requests: the request-count rule fails such a row). */
export function errorRate(row: Pick<TenantRow, 'errors' | 'requests'>): number {
  return row.requests > 0 ? row.errors / row.requests : 0;
}

export function passed(row: TenantRow): boolean {
  return row.failures.length === 0;
}

/** Rows from a k6 summary: values from the tenant's sub-metrics, verdicts from their thresholds. */
export function tenantRowsFromSummary(data: SummaryData, tenants: readonly LoadTenant[], tenantTag: string): TenantRow[] {
  return tenants.map((tenant) => {
    const duration = data.metrics[subMetric('http_req_duration', tenantTag, tenant.id)];
    const failed = data.metrics[subMetric('http_req_failed', tenantTag, tenant.id)];
    const requests = data.metrics[subMetric('http_reqs', tenantTag, tenant.id)];
    const dropped = data.metrics[subMetric('dropped_iterations', SCENARIO_TAG, scenarioName(tenant.id))];
    const failures: string[] = [];
    for (const [label, metric] of [
      ['latency', duration],
      ['errors', failed],
      ['requests', requests],
    ] as const) {
      if (!metric) {
        failures.push(`${label}: no threshold result in the summary`);
        continue;
      }
      for (const [expression, result] of Object.entries(metric.thresholds ?? {})) {
        if (!result.ok) failures.push(`${label} ${expression}`);
      }
    }
    // Absent from summaries of runs made before the per-tenant threshold existed: nothing to judge.
    for (const [expression, result] of Object.entries(dropped?.thresholds ?? {})) {
      if (!result.ok) failures.push(`dropped iterations ${expression}`);
    }
    return {
      tenant: tenant.id,
      requests: requests?.values['count'] ?? 0,
      p50Ms: finite(duration?.values['med']),
      p95Ms: finite(duration?.values['p(95)']),
      p99Ms: finite(duration?.values['p(99)']),
      p95BudgetMs: tenant.p95BudgetMs,
      errors: failed?.values['passes'] ?? 0,
      errorRateBudget: tenant.errorRateBudget,
      failures,
    };
  });
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
