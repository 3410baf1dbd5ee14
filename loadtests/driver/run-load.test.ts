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
    result = await runLoad({
      baseUrl: service.url,
      rate: 50,
      durationSeconds: 4,
      tenants: TENANTS,
      headers: { 'x-canary': 'always' },
      tokens: { alpha: 'token-a', bravo: 'token-b', charlie: 'token-c' },
    });
  });
  afterAll(() => service?.stop());

  it('sends exactly rate × duration requests, split by weight as k6 splits it, each with its tenant’s Host header', () => {
    expect(service.seen).toHaveLength(200);
    const byHost = (hostname: string) => service.seen.filter((s) => s.host === hostname).length;
    expect([byHost('alpha.test.example'), byHost('bravo.test.example'), byHost('charlie.test.example')]).toEqual([40, 120, 40]);
    expect(result.rows.map((r) => r.requests)).toEqual([40, 120, 40]);
  });

  it('keeps sending the slow tenant’s requests over the whole run instead of waiting for answers', () => {
    // The schedule's evenness is proven in arrival-schedule.test.ts; arrival times seen by
    // a stand-in in this same process clump whenever the machine pauses the process.
    const bravo = service.seen.filter((s) => s.host === 'bravo.test.example');
    // bravo: 30/s with 150 ms answers, so about 5 in flight; a closed loop on one
    // connection would have sent only ~27 in 4 s.
    expect(bravo).toHaveLength(120);
    const span = (bravo.at(-1)?.atMs ?? 0) - (bravo[0]?.atMs ?? 0);
    expect(span).toBeGreaterThan(3000);
    expect(span).toBeLessThan(5000);
  });

  it('sends the list, create and get mix, reading back the projects it created', () => {
    const bravo = service.seen.filter((s) => s.host === 'bravo.test.example');
    expect(bravo.filter((s) => s.method === 'GET' && s.path === '/api/projects')).toHaveLength(60);
    expect(bravo.filter((s) => s.method === 'POST' && s.path === '/api/projects').length).toBeGreaterThanOrEqual(24);
    expect(bravo.filter((s) => s.method === 'GET' && /^\/api\/projects\/p\d+$/.test(s.path)).length).toBeGreaterThan(0);
  });

  it('adds the extra headers and each tenant’s own bearer token to every request', () => {
    expect(service.seen.every((s) => s.headers['x-canary'] === 'always')).toBe(true);
    const tokenOf = { 'alpha.test.example': 'Bearer token-a', 'bravo.test.example': 'Bearer token-b', 'charlie.test.example': 'Bearer token-c' };
    for (const s of service.seen) expect(s.headers['authorization']).toBe(tokenOf[s.host as keyof typeof tokenOf]);
  });

  it('measures latency per tenant and fails exactly the tenants over their budgets', () => {
    const [alpha, bravo, charlie] = result.rows;
    expect(bravo?.p50Ms).toBeGreaterThanOrEqual(150);
    expect(bravo?.failures).toEqual(['latency p(95)<100']);
    expect(charlie?.errors).toBe(8);
    expect(charlie && passed(charlie)).toBe(true);
    expect(alpha && passed(alpha)).toBe(true);
  });

  it('reports that it kept pace and how much CPU it used', () => {
    expect(result.keptPace).toBe(true);
    expect(result.dropped).toBe(0);
    expect(result.generator.cpuSeconds).toBeGreaterThan(0);
    expect(result.generator.cpuShareOfOneCore).toBeGreaterThan(0);
  });

  it('gives each of k6’s VUs its own keep-alive connection, the pre-allocated ones connected before the run', () => {
    // k6's VUs for these tenants: alpha and charlie 100 each (10/s × 5 s budget × 2); bravo
    // starts with 6 (30/s × 0.1 s × 2) and, with about 5 requests in flight at 150 ms, may add
    // a few up to its ceiling of 60. Only those added VUs connect during the run.
    const preAllocated = 100 + 6 + 100;
    expect(service.connections()).toBe(preAllocated + result.generator.newConnections);
    expect(result.generator.newConnections).toBeLessThanOrEqual(60 - 6);
  });

  it('hands back every tenant’s raw latencies for pooling runs, matching its rows', () => {
    expect(result.samples.map((s) => s.latenciesMs.length + s.unanswered)).toEqual(result.rows.map((r) => r.requests));
    expect(result.samples[2]?.errors).toBe(result.rows[2]?.errors);
  });
});

describe('runLoad() without tokens', () => {
  it('sends no Authorization header', async () => {
    const service = await startStandInService();
    try {
      const [alpha] = TENANTS;
      await runLoad({ baseUrl: service.url, rate: 5, durationSeconds: 1, tenants: alpha ? [alpha] : [] });
      expect(service.seen).toHaveLength(5);
      expect(service.seen.every((s) => s.headers['authorization'] === undefined)).toBe(true);
    } finally {
      await service.stop();
    }
  });
});

describe('runLoad() when the driver itself stalls', () => {
  it('counts the stall into latency from the intended start and reports itself saturated', async () => {
    const service = await startStandInService();
    try {
      const [alpha] = TENANTS;
      // Block this process's event loop for 400 ms mid-run: the requests due meanwhile go
      // out late. A driver timing from its actual send would report ~1 ms for them.
      setTimeout(() => {
        const until = performance.now() + 400;
        while (performance.now() < until);
      }, 1000);
      const result = await runLoad({ baseUrl: service.url, rate: 20, durationSeconds: 3, tenants: alpha ? [alpha] : [] });
      expect(result.rows[0]?.p99Ms).toBeGreaterThanOrEqual(300);
      expect(result.generator.dispatchLagMaxMs).toBeGreaterThanOrEqual(300);
      expect(result.generator.saturated).toBe(true);
    } finally {
      await service.stop();
    }
  });
});

describe('runLoad() against a service slower than the open model’s ceiling', () => {
  it('drops the requests due while every allowed request is in flight, the counterpart of k6 dropped_iterations', async () => {
    // 2/s allows 4 in flight (k6's maxVUs: 2 s of requests); 2.5 s answers fill them by t = 1.5 s.
    // (bravo's 100 ms budget keeps k6's preAllocatedVUs below that ceiling.)
    const slow = await startStandInService({ delayMsByHost: { 'bravo.test.example': 2500 } });
    try {
      const bravo = TENANTS[1];
      const result = await runLoad({ baseUrl: slow.url, rate: 2, durationSeconds: 3, tenants: bravo ? [bravo] : [] });
      expect(result.dropped).toBeGreaterThanOrEqual(1);
      expect(result.keptPace).toBe(false);
      expect(result.rows[0]?.requests).toBe(6 - result.dropped);
      expect(result.achievedRate).toBeLessThan(2);
    } finally {
      await slow.stop();
    }
  });
});

describe('runLoad() for less than k6’s time unit', () => {
  it('sends the small tenants’ first requests instead of refusing the run', async () => {
    // 5/s over these weights needs a 10 s time unit in k6; a 1 s warm-up still sends.
    const service = await startStandInService();
    try {
      const result = await runLoad({ baseUrl: service.url, rate: 5, durationSeconds: 1, tenants: TENANTS });
      expect(result.rows.every((r) => r.requests >= 1)).toBe(true);
      expect(service.seen.length).toBe(result.rows.reduce((sum, r) => sum + r.requests, 0));
    } finally {
      await service.stop();
    }
  });
});
