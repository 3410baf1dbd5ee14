/**
 * A catalog of many generated tenants (the example catalog's environments, N tenant
 * files), for checking that generation holds at 2,000 tenants. Plans and budgets vary
 * by index so the tests can tell tenants apart by their numbers.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleCatalogDirectory } from '@tenantry/catalog';

const PLANS = ['starter', 'business', 'enterprise'] as const;

/** Tenant id of the i-th synthetic tenant (zero-padded so files sort by index). */
export function syntheticTenantId(index: number): string {
  return `tenant-${String(index).padStart(5, '0')}`;
}

/** The p95 budget the i-th synthetic tenant declares: 100 to 390 ms in steps of 10. */
export function syntheticBudgetMs(index: number): number {
  return 100 + (index % 30) * 10;
}

/** Writes a catalog with `tenantCount` tenants into a new temporary directory and returns it. */
export function writeSyntheticCatalog(tenantCount: number): string {
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-catalog-'));
  cpSync(join(exampleCatalogDirectory(), 'environments'), join(directory, 'environments'), { recursive: true });
  mkdirSync(join(directory, 'tenants'));
  for (let index = 0; index < tenantCount; index++) {
    const id = syntheticTenantId(index);
    const plan = PLANS[index % PLANS.length] ?? 'starter';
    const tier = plan === 'enterprise' ? 'dedicated' : 'pooled';
    writeFileSync(
      join(directory, 'tenants', `${id}.yaml`),
      `id: ${id}\nname: Tenant ${index}\ntier: ${tier}\nplan: ${plan}\nslo:\n  p95LatencyMs: ${syntheticBudgetMs(index)}\n`,
    );
  }
  return directory;
}
