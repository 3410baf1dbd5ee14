/**
 * The local driver's verdict on one tenant: the rules of the k6 thresholds
 * (loadtests/src/thresholds.ts) applied to the driver's own measurements, written the
 * same way so both tables read alike.
 */
import { errorRate, type TenantRow } from '../src/report/tenant-rows.js';
import { minimumRequestRate } from '../src/scenarios.js';
import type { LoadTenant } from '../src/tenants-file.js';
import type { TenantMeasurements } from './latency-recorder.js';

/**
 * A row with its failures: p95 not strictly under the budget (or no answer at all), error
 * rate not strictly under the error budget, fewer requests per second of the run than 90%
 * of `expectedRatePerSecond`.
 */
export function judgeTenant(tenant: LoadTenant, measured: TenantMeasurements, expectedRatePerSecond: number, runSeconds: number): TenantRow {
  const row = { tenant: tenant.id, ...measured, p95BudgetMs: tenant.p95BudgetMs, errorRateBudget: tenant.errorRateBudget };
  const minimum = minimumRequestRate(expectedRatePerSecond);
  const failures: string[] = [];
  if (measured.p95Ms === undefined || !(measured.p95Ms < tenant.p95BudgetMs)) failures.push(`latency p(95)<${tenant.p95BudgetMs}`);
  if (!(errorRate(row) < tenant.errorRateBudget)) failures.push(`errors rate<${tenant.errorRateBudget}`);
  if (!(measured.requests / runSeconds >= minimum)) failures.push(`requests rate>=${minimum}`);
  return { ...row, failures };
}
