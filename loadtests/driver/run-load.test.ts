import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadTenant } from '../src/tenants-file.js';
import { passed } from '../src/report/tenant-rows.js';
import { runLoad, type LoadResult } from './run-load.js';
import { startStandInService, type StandInService } from './stand-in-service.fixture.js';

// Budgets far from what the stand-in does (5 s against 1 ms; 100 ms against at least
// 150 ms), so the verdicts do not depend on how busy the machine is.
const TENANTS: readonly LoadTenant[] = [
  { id: 'alpha', hostname: 'alpha.test.example', weight: 1, p95BudgetMs: 5000, errorRateBudget: 0.01 },
  { id: 'bravo', hostname: 'bravo.test.example', weight: 3, p95BudgetMs: 100, errorRateBudget: 0.01 },
  { id: 'charlie', hostname: 'charlie.test.example', weight: 1, p95BudgetMs: 5000, errorRateBudget: 0.5 },
];

describe('runLoad() against a stand-in service', () => {
  let service: StandInService;
  let result: LoadResult;

  beforeAll(async () => {
    service = await startStandInService({ delayMsByHost: { 'bravo.test.example': 150 }, failEveryNthByHost: { 'charlie.test.example': 5 } });
    result = await runLoad({ baseUrl: service.url, rate: 50, durationSeconds: 4, tenants: TENANTS, headers: { 'x-canary': 'always' } });
  });
  afterAll(() => service?.stop());

  it('sends exactly rate × duration requests, split by weight, each with its tenant’s Host header', () => {
    expect(service.seen).toHaveLength(200);
    const byHost = (hostname: string) => service.seen.filter((s) => s.host === hostname).length;
    expect([byHost('alpha.test.example'), byHost('bravo.test.example'), byHost('charlie.test.example')]).toEqual([40, 120, 40]);
    expect(result.rows.map((r) => r.requests)).toEqual([40, 120, 40]);
  });

  it('sends the list, create and get mix, reading back the projects it created', () => {
    const bravo = service.seen.filter((s) => s.host === 'bravo.test.example');
    expect(bravo.filter((s) => s.method === 'GET' && s.path === '/api/projects')).toHaveLength(60);
    expect(bravo.filter((s) => s.method === 'POST' && s.path === '/api/projects').length).toBeGreaterThanOrEqual(24);
    expect(bravo.filter((s) => s.method === 'GET' && /^\/api\/projects\/p\d+$/.test(s.path)).length).toBeGreaterThan(0);
  });

  it('adds the extra headers to every request', () => {
    expect(service.seen.every((s) => s.headers['x-canary'] === 'always')).toBe(true);
  });

  it('measures latency per tenant and fails exactly the tenants over their budgets', () => {
    const [alpha, bravo, charlie] = result.rows;
    expect(bravo?.p50Ms).toBeGreaterThanOrEqual(150);
    expect(bravo?.failures).toEqual(['latency p(95)<100']);
    expect(charlie?.errors).toBe(8);
    expect(charlie && passed(charlie)).toBe(true);
    expect(alpha && passed(alpha)).toBe(true);
  });

  it('reports that it kept pace', () => {
    expect(result.keptPace).toBe(true);
  });
});

describe('runLoad() against a stand-in service slower than the pacing allows', () => {
  it('reports that it fell behind, the counterpart of k6 dropped iterations', async () => {
    // One connection per request per second: a 3.5 s answer holds a connection's second request back by 2.5 s.
    const slow = await startStandInService({ delayMsByHost: { 'alpha.test.example': 3500 } });
    try {
      const [alpha] = TENANTS;
      const result = await runLoad({ baseUrl: slow.url, rate: 2, durationSeconds: 2, tenants: alpha ? [alpha] : [] });
      expect(result.keptPace).toBe(false);
      expect(result.achievedRate).toBeLessThan(2);
      expect(result.rows[0]?.requests).toBe(4);
    } finally {
      await slow.stop();
    }
  });
});
