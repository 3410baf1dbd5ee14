/**
 * Generation at catalog scale: a generated catalog of up to 2,000 tenants. Only the
 * objectives grow with the tenants (RULES_PER_TENANT each); the SLI rules, alerts and
 * dashboards stay the same size. Timing is measured by `npm run bench:dashboards`.
 */
import { loadCatalog } from '@tenantry/catalog';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTemporarySyntheticCatalog } from '../testing/synthetic-catalog.js';
import { generate } from './generate.js';
import { RULES_PER_TENANT } from './slo/objective-rules.js';

const directories: string[] = [];
afterAll(() => {
  for (const d of directories) rmSync(d, { recursive: true, force: true });
});

function measure(tenants: number) {
  const directory = writeTemporarySyntheticCatalog({ tenants, varyBudgets: true });
  directories.push(directory);
  const generated = generate(loadCatalog({ directory }));
  const rules = generated.ruleFiles.flatMap((r) => r.file.groups.flatMap((g) => g.rules));
  return {
    rules: rules.length,
    bytes: generated.ruleFiles.reduce((n, r) => n + Buffer.byteLength(r.yaml), 0),
    largestFileBytes: Math.max(...generated.ruleFiles.map((r) => Buffer.byteLength(r.yaml))),
    dashboardBytes: generated.dashboards.reduce((n, d) => n + JSON.stringify(d.dashboard).length, 0),
  };
}

describe('generation for large catalogs', () => {
  const sizes = [500, 1000, 2000] as const;
  const results = sizes.map(measure);
  const [small, medium, large] = results as [ReturnType<typeof measure>, ReturnType<typeof measure>, ReturnType<typeof measure>];

  it('adds exactly RULES_PER_TENANT rules per tenant and nothing else', () => {
    expect(medium.rules - small.rules).toBe(500 * RULES_PER_TENANT);
    expect(large.rules - medium.rules).toBe(1000 * RULES_PER_TENANT);
  });

  it('grows the rule files linearly in bytes', () => {
    const perTenantLow = (medium.bytes - small.bytes) / 500;
    const perTenantHigh = (large.bytes - medium.bytes) / 1000;
    expect(Math.abs(perTenantHigh - perTenantLow) / perTenantLow).toBeLessThan(0.02);
  });

  it('keeps every rule file far below the 1 MiB a PrometheusRule object may hold', () => {
    expect(large.largestFileBytes).toBeLessThan(512 * 1024);
  });

  it('keeps the dashboards the same size whatever the number of tenants', () => {
    expect(large.dashboardBytes).toBe(small.dashboardBytes);
  });
});
