import { DEFAULT_LATENCY_BOUNDARIES_SECONDS } from '@tenantry/conventions';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './loader.js';
import { sloIssues } from './slo-rules.js';
import type { Tenant } from './types.js';

const base = loadCatalog().tenants.find((t) => t.id === 'brightwave')!;
const tenant = (slo: Partial<Tenant['slo']>, id = 'acme'): Tenant => ({ ...base, id, file: `tenants/${id}.yaml`, slo: { ...base.slo, ...slo } });
const boundaries = DEFAULT_LATENCY_BOUNDARIES_SECONDS;

const issuesOf = (tenants: Tenant[], bucketBoundariesSeconds: readonly number[] = boundaries): string[] =>
  sloIssues(tenants, { bucketBoundariesSeconds }).map((i) => `${i.file} ${i.field}: ${i.message}`);

describe('SLO feasibility rules', () => {
  it('accept every budget by default, as the services add each catalog budget to their boundaries', () => {
    expect(sloIssues([tenant({ p95LatencyMs: 180 })])).toEqual([]);
  });

  it('fail if a latency budget is not a bucket boundary, naming the file, the budget and the boundaries', () => {
    const issues = issuesOf([tenant({ p95LatencyMs: 180 })]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain('tenants/acme.yaml slo.p95LatencyMs: budget 180 ms (0.18 s) is not a bucket boundary');
    expect(issues[0]).toContain('0.175, 0.2');
  });

  it('fail on the semantic-conventions default buckets, which have no 0.2 s boundary', () => {
    const semconv = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    expect(issuesOf([tenant({ p95LatencyMs: 200 })], semconv)[0]).toContain('budget 200 ms (0.2 s) is not a bucket boundary');
  });

  it('fail if an availability objective is so low that the 14.4x page could never fire', () => {
    // 14.4 × (1 − 0.92) = 1.152: more than every request would have to fail.
    const issues = issuesOf([tenant({ availability: 0.92 })]);
    expect(issues).toEqual([
      expect.stringContaining('tenants/acme.yaml slo.availability: availability objective 0.92 leaves an error budget of 8%; the page alert (burn rate 14.4 over 1h/5m) would need 115.2% of requests to fail'),
    ]);
    expect(issues[0]).toContain('Use an objective above 0.930556');
  });

  it('accept the lowest objective at which the page can still fire', () => {
    expect(issuesOf([tenant({ availability: 0.931 })])).toEqual([]);
  });

  it('report every broken tenant at once', () => {
    const issues = issuesOf([tenant({ p95LatencyMs: 180 }, 'one'), tenant({ availability: 0.9 }, 'two')]);
    expect(issues.map((i) => i.split(':')[0])).toEqual(['tenants/one.yaml slo.p95LatencyMs', 'tenants/two.yaml slo.availability']);
  });
});
