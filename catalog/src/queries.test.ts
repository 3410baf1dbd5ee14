import { describe, expect, it } from 'vitest';
import { loadCatalog } from './loader.js';
import { hostnameIndex, latencyBudgetsSeconds, tenantHostnames } from './queries.js';

const catalog = loadCatalog();
const prod = catalog.environments.find((e) => e.name === 'prod')!;
const staging = catalog.environments.find((e) => e.name === 'staging')!;
const ledgerline = catalog.tenants.find((t) => t.id === 'ledgerline')!;

describe('tenantHostnames', () => {
  it('puts the platform hostname first, then the custom hostnames of that environment', () => {
    expect(tenantHostnames(ledgerline, prod)).toEqual(['ledgerline.tenantry.app', 'portal.ledgerline-accounting.com']);
  });

  it('gives only the platform hostname where the tenant has no custom hostname', () => {
    expect(tenantHostnames(ledgerline, staging)).toEqual(['ledgerline.staging.tenantry.app']);
  });
});

describe('hostnameIndex', () => {
  it('maps every hostname of every tenant to its id', () => {
    const index = hostnameIndex(catalog, prod);
    expect(index.get('portal.ledgerline-accounting.com')).toBe('ledgerline');
    expect(index.get('harbor-law.tenantry.app')).toBe('harbor-law');
    expect(index.get('evil.example.com')).toBeUndefined();
  });
});

describe('latencyBudgetsSeconds', () => {
  it('lists each distinct budget once, in seconds, ascending', () => {
    expect(latencyBudgetsSeconds(catalog)).toEqual([0.15, 0.2, 0.3]);
  });
});
