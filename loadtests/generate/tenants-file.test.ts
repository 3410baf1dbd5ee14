import { describe, expect, it } from 'vitest';
import { CatalogValidationError, loadCatalog, PLAN_DEFAULTS } from '@tenantry/catalog';
import { LOADTEST_TENANT_TAG } from '@tenantry/conventions';
import { buildTenantsFile, loadTestEnvironment } from './tenants-file.js';

const catalog = loadCatalog();

describe('loadTestEnvironment()', () => {
  it('defaults to the first non-production environment', () => {
    expect(loadTestEnvironment(catalog, undefined).name).toBe('staging');
  });

  it('takes the environment it is given', () => {
    expect(loadTestEnvironment(catalog, 'prod').name).toBe('prod');
  });

  it('fails on an environment the catalog does not have, naming the known ones', () => {
    expect(() => loadTestEnvironment(catalog, 'qa')).toThrow(CatalogValidationError);
  });
});

describe('buildTenantsFile()', () => {
  const file = buildTenantsFile(catalog, loadTestEnvironment(catalog, 'prod'));

  it('bakes in the k6 tenant tag from the telemetry conventions', () => {
    expect(file.tenantTag).toBe(LOADTEST_TENANT_TAG);
  });

  it('writes one entry per catalog tenant with its platform hostname in the environment', () => {
    expect(file.tenants.map((t) => t.hostname)).toEqual([
      'brightwave.tenantry.app',
      'harbor-law.tenantry.app',
      'ledgerline.tenantry.app',
      'northwind.tenantry.app',
    ]);
  });

  it('takes weights from the plan and budgets from the tenant, plan defaults filling the gaps', () => {
    expect(file.tenants.find((t) => t.id === 'harbor-law')).toMatchObject({ weight: PLAN_DEFAULTS.enterprise.trafficWeight, p95BudgetMs: 150, errorRateBudget: 0.005 });
    expect(file.tenants.find((t) => t.id === 'northwind')).toMatchObject({ weight: PLAN_DEFAULTS.business.trafficWeight, p95BudgetMs: 300, errorRateBudget: 0.02 });
  });
});
