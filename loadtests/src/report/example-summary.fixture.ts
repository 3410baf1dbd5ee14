/**
 * A k6 end-of-test summary object in the shape `handleSummary(data)` receives (seen from
 * k6 v0.48.0 and v1.3.0: sub-metrics with thresholds under their full names, Rate metrics
 * with passes/fails, thresholds as `{ ok }`). The numbers are hand-written to look like the
 * example catalog with 400 ms of injected latency on harbor-law, so that these tests run
 * without k6; script.k6.test.ts checks the same against a real k6 when there is one.
 */
import type { TenantsFile } from '../tenants-file.js';
import type { SummaryData } from './summary-data.js';

export const EXAMPLE_TENANTS_FILE: TenantsFile = {
  version: 1,
  environment: 'staging',
  tenantTag: 'tenant',
  overallP95BudgetMs: 200,
  tenants: [
    { id: 'brightwave', hostname: 'brightwave.staging.tenantry.app', weight: 1, p95BudgetMs: 200, errorRateBudget: 0.01 },
    { id: 'harbor-law', hostname: 'harbor-law.staging.tenantry.app', weight: 10, p95BudgetMs: 150, errorRateBudget: 0.005 },
    { id: 'ledgerline', hostname: 'ledgerline.staging.tenantry.app', weight: 3, p95BudgetMs: 200, errorRateBudget: 0.01 },
    { id: 'northwind', hostname: 'northwind.staging.tenantry.app', weight: 3, p95BudgetMs: 300, errorRateBudget: 0.02 },
  ],
};

const trend = (med: number, p95: number, p99: number) => ({ avg: med * 1.1, min: med / 3, med, max: p99 * 1.2, 'p(90)': p95 * 0.9, 'p(95)': p95, 'p(99)': p99 });

export const SLOW_HARBOR_SUMMARY: SummaryData & Record<string, unknown> = {
  root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'], summaryTimeUnit: '', noColor: false },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 60412.5 },
  metrics: {
    http_req_duration: { type: 'trend', contains: 'time', values: trend(210, 412.4, 431.9), thresholds: { 'p(95)<200': { ok: false } } },
    checks: { type: 'rate', contains: 'default', values: { rate: 1, passes: 3000, fails: 0 }, thresholds: { 'rate>0.99': { ok: true } } },
    // k6 tags dropped iterations with the scenario only; the thresholds are per scenario.
    'dropped_iterations{scenario:tenant_brightwave}': { type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count==0': { ok: true } } },
    'dropped_iterations{scenario:tenant_harbor-law}': { type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count==0': { ok: true } } },
    'dropped_iterations{scenario:tenant_ledgerline}': { type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count==0': { ok: true } } },
    'dropped_iterations{scenario:tenant_northwind}': { type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count==0': { ok: true } } },
    http_reqs: { type: 'counter', contains: 'default', values: { count: 3000, rate: 49.66 } },
    'http_req_duration{tenant:brightwave}': { type: 'trend', contains: 'time', values: trend(4.1, 9.8, 14.2), thresholds: { 'p(95)<200': { ok: true } } },
    'http_req_failed{tenant:brightwave}': { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 180 }, thresholds: { 'rate<0.01': { ok: true } } },
    'http_reqs{tenant:brightwave}': { type: 'counter', contains: 'default', values: { count: 180, rate: 2.98 }, thresholds: { 'rate>=2.7': { ok: true } } },
    'http_req_duration{tenant:harbor-law}': { type: 'trend', contains: 'time', values: trend(404.6, 412.4, 431.9), thresholds: { 'p(95)<150': { ok: false } } },
    'http_req_failed{tenant:harbor-law}': { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 1740 }, thresholds: { 'rate<0.005': { ok: true } } },
    'http_reqs{tenant:harbor-law}': { type: 'counter', contains: 'default', values: { count: 1740, rate: 28.8 }, thresholds: { 'rate>=26.1': { ok: true } } },
    'http_req_duration{tenant:ledgerline}': { type: 'trend', contains: 'time', values: trend(4.3, 10.1, 15.0), thresholds: { 'p(95)<200': { ok: true } } },
    'http_req_failed{tenant:ledgerline}': { type: 'rate', contains: 'default', values: { rate: 0.0019, passes: 1, fails: 539 }, thresholds: { 'rate<0.01': { ok: true } } },
    'http_reqs{tenant:ledgerline}': { type: 'counter', contains: 'default', values: { count: 540, rate: 8.94 }, thresholds: { 'rate>=8.1': { ok: true } } },
    'http_req_duration{tenant:northwind}': { type: 'trend', contains: 'time', values: trend(4.0, 9.5, 13.7), thresholds: { 'p(95)<300': { ok: true } } },
    'http_req_failed{tenant:northwind}': { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 540 }, thresholds: { 'rate<0.02': { ok: true } } },
    'http_reqs{tenant:northwind}': { type: 'counter', contains: 'default', values: { count: 540, rate: 8.94 }, thresholds: { 'rate>=8.1': { ok: true } } },
  },
};
