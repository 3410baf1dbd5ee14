import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadTenant } from '../src/tenants-file.js';
import { passed } from '../src/report/tenant-rows.js';
import { runLoad, type LoadResult } from './run-load.js';

/**
 * A stand-in HTTP service that answers like the reference service's project routes and
 * records what it was sent, so the driver's pacing, mix and attribution can be counted
 * exactly. (The driver against the real reference service is in run-load.service.test.ts.)
 */
interface Seen {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly canary: string | undefined;
}

// Budgets far from what the stand-in does (5 s against 1 ms; 100 ms against at least
// 150 ms), so the verdicts do not depend on how busy the machine is.
const TENANTS: readonly LoadTenant[] = [
  { id: 'alpha', hostname: 'alpha.test.example', weight: 1, p95BudgetMs: 5000, errorRateBudget: 0.01 },
  { id: 'bravo', hostname: 'bravo.test.example', weight: 3, p95BudgetMs: 100, errorRateBudget: 0.01 },
  { id: 'charlie', hostname: 'charlie.test.example', weight: 1, p95BudgetMs: 5000, errorRateBudget: 0.5 },
];

describe('runLoad() against a stand-in service', () => {
  const seen: Seen[] = [];
  let server: Server;
  let result: LoadResult;
  let nextId = 0;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const host = req.headers.host ?? '';
      seen.push({ host, method: req.method ?? '', path: req.url ?? '', canary: req.headers['x-canary'] as string | undefined });
      req.resume();
      req.on('end', () => {
        // bravo answers slowly; charlie fails every fifth of its requests.
        const delay = host.startsWith('bravo.') ? 150 : 1;
        const charlieCount = seen.filter((s) => s.host === host).length;
        setTimeout(() => {
          if (host.startsWith('charlie.') && charlieCount % 5 === 0) {
            res.statusCode = 503;
            res.end('{"error":"injected"}');
          } else if (req.method === 'POST') {
            res.statusCode = 201;
            res.end(JSON.stringify({ id: `p${++nextId}`, name: 'x' }));
          } else {
            res.end('[]');
          }
        }, delay);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    result = await runLoad({ baseUrl: `http://127.0.0.1:${address.port}`, rate: 50, durationSeconds: 4, tenants: TENANTS, headers: { 'x-canary': 'always' } });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends exactly rate × duration requests, split by weight, each with its tenant’s Host header', () => {
    expect(seen).toHaveLength(200);
    const byHost = (hostname: string) => seen.filter((s) => s.host === hostname).length;
    expect([byHost('alpha.test.example'), byHost('bravo.test.example'), byHost('charlie.test.example')]).toEqual([40, 120, 40]);
    expect(result.rows.map((r) => r.requests)).toEqual([40, 120, 40]);
  });

  it('sends the list, create and get mix, reading back the projects it created', () => {
    const bravo = seen.filter((s) => s.host === 'bravo.test.example');
    expect(bravo.filter((s) => s.method === 'GET' && s.path === '/api/projects')).toHaveLength(60);
    expect(bravo.filter((s) => s.method === 'POST' && s.path === '/api/projects').length).toBeGreaterThanOrEqual(24);
    expect(bravo.filter((s) => s.method === 'GET' && /^\/api\/projects\/p\d+$/.test(s.path)).length).toBeGreaterThan(0);
  });

  it('adds the extra headers to every request', () => {
    expect(seen.every((s) => s.canary === 'always')).toBe(true);
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
