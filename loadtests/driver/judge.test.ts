import { describe, expect, it } from 'vitest';
import type { LoadTenant } from '../src/tenants-file.js';
import { judgeTenant } from './judge.js';

const tenant: LoadTenant = { id: 'acme', hostname: 'acme.example', weight: 1, p95BudgetMs: 200, errorRateBudget: 0.01 };
const healthy = { requests: 100, errors: 0, p50Ms: 20, p95Ms: 120, p99Ms: 180 };

describe('judgeTenant()', () => {
  it('passes a tenant within every budget', () => {
    expect(judgeTenant(tenant, healthy, 10, 10).failures).toEqual([]);
  });

  it('fails a p95 exactly at the budget, as k6 does for p(95)<200', () => {
    expect(judgeTenant(tenant, { ...healthy, p95Ms: 200 }, 10, 10).failures).toEqual(['latency p(95)<200']);
  });

  it('fails an error rate exactly at the error budget', () => {
    expect(judgeTenant(tenant, { ...healthy, errors: 1 }, 10, 10).failures).toEqual(['errors rate<0.01']);
  });

  it('fails a tenant that got under 90% of its expected request rate', () => {
    // 100 requests in 10 s is 10/s: enough for an expected 11.1/s (minimum 9.99), not for 11.2/s (10.08).
    expect(judgeTenant(tenant, healthy, 11.2, 10).failures).toEqual(['requests rate>=10.08']);
    expect(judgeTenant(tenant, healthy, 11.1, 10).failures).toEqual([]);
  });

  it('fails a tenant that got no answer at all, on latency and on requests', () => {
    expect(judgeTenant(tenant, { requests: 0, errors: 0, p50Ms: undefined, p95Ms: undefined, p99Ms: undefined }, 1, 10).failures).toEqual([
      'latency p(95)<200',
      'requests rate>=0.9',
    ]);
  });
});
