export { runLoad, type LoadResult, type RunLoadProps } from './run-load.js';
export { describeGeneratorUsage, SATURATED_CPU_SHARE, SATURATED_DISPATCH_LAG_MS, type GeneratorUsage } from './generator-usage.js';
export { readTenantsFile, readTokensFile, tenantsFromCatalog, type TenantsFromCatalogProps } from './tenants.js';
export { renderTenantTable } from '../src/report/tenant-table.js';
export { passed, type TenantRow } from '../src/report/tenant-rows.js';
export type { LoadTenant, TenantsFile } from '../src/tenants-file.js';
export type { TenantTokens } from '../src/tokens-file.js';
