/**
 * The local driver's verdict on one tenant: the rules of the k6 thresholds
 * (loadtests/src/thresholds.ts) applied to the driver's own measurements, written the
 * same way so both tables read alike.
 */
import { errorRate, type TenantRow } from '../src/report/tenant-rows.js';
import { minimumRequests } from '../src/scenarios.js';
import type { LoadTenant } from '../src/tenants-file.js';
import type { TenantMeasurements } from './latency-recorder.js';

/**
 * A row with its failures: p95 not strictly under the budget (or no answer at all), error
 * rate not strictly under the error budget, fewer requests than 90% of `expectedRequests`.
 */
export function judgeTenant(tenant: LoadTenant, measured: TenantMeasurements, expectedRequests: number): TenantRow {
  const row = { tenant: tenant.id, ...measured, p95BudgetMs: tenant.p95BudgetMs, errorRateBudget: tenant.errorRateBudget };
  const minimum = minimumRequests(expectedRequests);
  const failures: string[] = [];
  if (measured.p95Ms === undefined || !(measured.p95Ms < tenant.p95BudgetMs)) failures.push(`latency p(95)<${tenant.p95BudgetMs}`);
  if (!(errorRate(row) < tenant.errorRateBudget)) failures.push(`errors rate<${tenant.errorRateBudget}`);
  if (measured.requests < minimum) failures.push(`requests count>=${minimum}`);
  return { ...row, failures };
}
