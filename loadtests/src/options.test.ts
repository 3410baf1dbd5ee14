import { rmSync } from 'node:fs';
import type { ConstantArrivalRateScenario, Options } from 'k6/options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '@tenantry/catalog';
import { LOADTEST_TENANT_TAG } from '@tenantry/conventions';
import { buildTenantsFile, loadTestEnvironment } from '../generate/tenants-file.js';
import { syntheticBudgetMs, syntheticTenantId, writeTemporarySyntheticCatalog } from '../../testing/synthetic-catalog.js';
import { buildOptions } from './options.js';
import { resolveRunSettings } from './profiles.js';
import type { TenantsFile } from './tenants-file.js';

function scenariosOf(options: Options): Record<string, ConstantArrivalRateScenario> {
  return options.scenarios as Record<string, ConstantArrivalRateScenario>;
}

/** Requests per second a set of scenarios starts in total. */
function totalRatePerSecond(options: Options): number {
  return Object.values(scenariosOf(options)).reduce((sum, s) => sum + s.rate / Number.parseInt(s.timeUnit ?? '1s', 10), 0);
}

describe('options for the example catalog (staging, load profile)', () => {
  const catalog = loadCatalog();
  const file = buildTenantsFile(catalog, loadTestEnvironment(catalog, 'staging'));
  const options = buildOptions(file, resolveRunSettings({ PROFILE: 'load' }));

  it('gives every tenant one constant-arrival-rate scenario tagged with its id', () => {
    const scenarios = scenariosOf(options);
    expect(Object.keys(scenarios).sort()).toEqual(['tenant_brightwave', 'tenant_harbor-law', 'tenant_ledgerline', 'tenant_northwind']);
    for (const tenant of catalog.tenants) {
      const scenario = scenarios[`tenant_${tenant.id}`];
      expect(scenario?.executor).toBe('constant-arrival-rate');
      expect(scenario?.tags).toEqual({ [LOADTEST_TENANT_TAG]: tenant.id });
      expect(scenario?.duration).toBe('300s');
    }
  });

  it('splits the 50 requests per second by traffic weight (1, 10, 3, 3)', () => {
    const scenarios = scenariosOf(options);
    expect(totalRatePerSecond(options)).toBe(50);
    expect(scenarios['tenant_harbor-law']?.rate).toBe(29);
    expect(scenarios['tenant_brightwave']?.rate).toBe(3);
    expect(scenarios['tenant_harbor-law']?.timeUnit).toBe('1s');
  });

  it('sizes the VU pool so a tenant can run requests at twice its budget without dropping iterations', () => {
    const harbor = scenariosOf(options)['tenant_harbor-law'];
    // 29 requests per second at a 150 ms budget: 29 × 0.15 × 2 = 8.7 → 9 VUs ready, up to 29 × 2 s = 58.
    expect(harbor?.preAllocatedVUs).toBe(9);
    expect(harbor?.maxVUs).toBe(58);
  });

  it('holds the overall p95 to 200 ms and checks to 99%', () => {
    expect(options.thresholds?.['http_req_duration']).toEqual(['p(95)<200']);
    expect(options.thresholds?.['checks']).toEqual(['rate>0.99']);
  });

  it('holds every tenant’s dropped iterations to zero on its scenario, the only tag k6 gives them', () => {
    expect(options.thresholds?.['dropped_iterations']).toBeUndefined();
    expect(options.thresholds?.['dropped_iterations{scenario:tenant_harbor-law}']).toEqual(['count==0']);
    expect(options.thresholds?.['dropped_iterations{scenario:tenant_brightwave}']).toEqual(['count==0']);
  });

  it("holds every tenant to its own catalog budgets", () => {
    expect(options.thresholds?.['http_req_duration{tenant:harbor-law}']).toEqual(['p(95)<150']);
    expect(options.thresholds?.['http_req_failed{tenant:harbor-law}']).toEqual(['rate<0.005']);
    expect(options.thresholds?.['http_req_duration{tenant:northwind}']).toEqual(['p(95)<300']);
    expect(options.thresholds?.['http_req_failed{tenant:northwind}']).toEqual(['rate<0.02']);
    expect(options.thresholds?.['http_req_duration{tenant:brightwave}']).toEqual(['p(95)<200']);
  });

  it('fails a tenant that gets under 90% of its expected request rate', () => {
    // brightwave: 3 requests per second expected.
    expect(options.thresholds?.['http_reqs{tenant:brightwave}']).toEqual(['rate>=2.7']);
  });

  it('reports p50, p95 and p99 in the summary', () => {
    expect(options.summaryTrendStats).toEqual(expect.arrayContaining(['med', 'p(95)', 'p(99)']));
  });
});

describe('options for the smoke profile', () => {
  const catalog = loadCatalog();
  const file = buildTenantsFile(catalog, loadTestEnvironment(catalog, 'staging'));
  const options = buildOptions(file, resolveRunSettings({ PROFILE: 'smoke' }));

  // At 5/s over 30 s: harbor-law 2.9/s (87 answers), ledgerline 0.9/s (27), brightwave 0.3/s (9).
  it('aborts on a tenant’s latency and errors only once it has had 20 answers, and never before 10 s', () => {
    expect(options.thresholds?.['http_req_duration{tenant:harbor-law}']).toEqual([{ threshold: 'p(95)<150', abortOnFail: true, delayAbortEval: '10s' }]);
    expect(options.thresholds?.['http_req_duration{tenant:ledgerline}']).toEqual([{ threshold: 'p(95)<200', abortOnFail: true, delayAbortEval: '23s' }]);
    expect(options.thresholds?.['http_req_failed{tenant:ledgerline}']).toEqual([{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '23s' }]);
    expect(options.thresholds?.['http_req_duration']).toEqual([{ threshold: 'p(95)<200', abortOnFail: true, delayAbortEval: '10s' }]);
  });

  it('judges a tenant with fewer than 20 answers in the whole run at the end only, so one slow answer cannot abort the run', () => {
    expect(options.thresholds?.['http_req_duration{tenant:brightwave}']).toEqual(['p(95)<200']);
    expect(options.thresholds?.['http_req_failed{tenant:brightwave}']).toEqual(['rate<0.01']);
  });

  it('never aborts on a request rate, which starts low while the first requests are in flight', () => {
    expect(options.thresholds?.['http_reqs{tenant:ledgerline}']).toEqual([expect.stringMatching(/^rate>=\d+(\.\d+)?$/)]);
  });

  it('still sends every tenant at least one request at 5 per second', () => {
    expect(totalRatePerSecond(options)).toBe(5);
    for (const scenario of Object.values(scenariosOf(options))) expect(scenario.rate).toBeGreaterThanOrEqual(1);
  });
});

describe('options for a 2,000-tenant catalog', () => {
  let directory: string;
  let file: TenantsFile;
  let options: Options;
  beforeAll(() => {
    directory = writeTemporarySyntheticCatalog({ tenants: 2000, varyBudgets: true });
    const catalog = loadCatalog({ directory });
    file = buildTenantsFile(catalog, loadTestEnvironment(catalog, 'staging'));
    options = buildOptions(file, resolveRunSettings({ PROFILE: 'load', RATE: '400' }));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('has one scenario and one threshold set per tenant', () => {
    expect(Object.keys(scenariosOf(options))).toHaveLength(2000);
    const keys = Object.keys(options.thresholds ?? {});
    // Four per tenant, plus overall latency and checks.
    expect(keys).toHaveLength(2000 * 4 + 2);
    for (const metric of ['http_req_duration', 'http_req_failed', 'http_reqs']) {
      expect(keys.filter((k) => k.startsWith(`${metric}{`))).toHaveLength(2000);
    }
  });

  it('names each threshold after its tenant with that tenant’s budget', () => {
    for (const index of [0, 1, 29, 1234, 1999]) {
      const id = syntheticTenantId(index);
      expect(options.thresholds?.[`http_req_duration{tenant:${id}}`]).toEqual([`p(95)<${syntheticBudgetMs(index)}`]);
      const plan = file.tenants[index];
      expect(options.thresholds?.[`http_req_failed{tenant:${id}}`]).toEqual([`rate<${plan?.errorRateBudget}`]);
    }
  });

  it('keeps the per-tenant rates summing to the total rate', () => {
    const scenarios = Object.values(scenariosOf(options));
    const unit = scenarios[0]?.timeUnit;
    expect(scenarios.every((s) => s.timeUnit === unit)).toBe(true);
    expect(totalRatePerSecond(options)).toBeCloseTo(400, 9);
    expect(Math.min(...scenarios.map((s) => s.rate))).toBeGreaterThanOrEqual(1);
  });

  it('fails with the minimum RATE when the rate is too low for every tenant to get a request', () => {
    expect(() => buildOptions(file, resolveRunSettings({ PROFILE: 'smoke' }))).toThrow(/RATE=5\/s is too low.*needs RATE >= /);
  });
});
