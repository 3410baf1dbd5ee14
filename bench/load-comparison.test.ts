import { describe, expect, it } from 'vitest';
import type { LoadTenant } from '../loadtests/src/tenants-file.js';
import { addSlice, describeRatios, fromSendP95Ratios, judgePooled, ratios, type PooledTenant } from './load-comparison.js';

const TENANTS: readonly LoadTenant[] = [
  { id: 'big', hostname: 'big.example', weight: 9, p95BudgetMs: 100, errorRateBudget: 0.01 },
  { id: 'small', hostname: 'small.example', weight: 1, p95BudgetMs: 100, errorRateBudget: 0.01 },
];
const samples = (count: number, latencyMs: number, dropped = 0): PooledTenant => ({ latenciesMs: Array.from({ length: count }, () => latencyMs), errors: 0, unanswered: 0, dropped });

describe('judgePooled()', () => {
  it('judges slices pooled: a tenant fast in one slice and slow in the other fails on the pooled p95', () => {
    const pooled = new Map<string, PooledTenant>();
    addSlice(pooled, new Map([['big', samples(90, 5)], ['small', samples(10, 5)]]));
    addSlice(pooled, new Map([['big', samples(90, 150)], ['small', samples(10, 5)]]));
    // 10/s for 20 s in two slices: big 9/s, small 1/s.
    const step = judgePooled(TENANTS, pooled, 10, 20, 200);
    expect(step.rows.map((r) => [r.tenant, r.requests, r.failures])).toEqual([
      ['big', 180, ['latency p(95)<100']],
      ['small', 20, []],
    ]);
    expect(step.withinBudget).toBe(false);
  });

  it('charges dropped iterations to the tenant whose requests were dropped', () => {
    const pooled = new Map([['big', samples(180, 5)], ['small', samples(20, 5, 3)]]);
    const step = judgePooled(TENANTS, pooled, 10, 20, 200);
    expect(step.rows.find((r) => r.tenant === 'small')?.failures).toEqual(['dropped iterations count==0 (3)']);
    expect(step.dropped).toBe(3);
    expect(step.withinBudget).toBe(false);
  });
});

describe('ratios() and describeRatios()', () => {
  it('sets apart the ratios of tenants with too few answers for the percentile instead of hiding them', () => {
    const row = (tenant: string, requests: number, p95Ms: number) => ({ tenant, requests, p50Ms: 1, p95Ms, p99Ms: p95Ms, p95BudgetMs: 100, errors: 0, errorRateBudget: 0.01, failures: [] });
    const k6 = [row('big', 3000, 10), row('small', 150, 10)];
    const driver = [row('big', 3000, 11), row('small', 150, 20)];
    const p95 = ratios(k6, driver, 'p95');
    expect(p95.map((r) => [r.tenant, r.ratio, r.meaningful])).toEqual([
      ['big', 1.1, true],
      ['small', 2, false],
    ]);
    expect(describeRatios(p95)).toBe('1.10 (too few answers: small 2.00)');
  });
});

describe('fromSendP95Ratios()', () => {
  it('compares the driver timed from its actual send, its own send delay left out, with k6', () => {
    const k6 = [{ tenant: 'big', requests: 300, p50Ms: 1, p95Ms: 10, p99Ms: 10, p95BudgetMs: 100, errors: 0, errorRateBudget: 0.01, failures: [] }];
    // Every answer took 30 ms from the intended start, 20 ms of it waiting to be sent.
    const driver = new Map([['big', { ...samples(300, 30), latenciesFromSendMs: Array.from({ length: 300 }, () => 10) }]]);
    expect(fromSendP95Ratios(k6, driver).map((r) => [r.ratio, r.meaningful])).toEqual([[1, true]]);
  });
});
