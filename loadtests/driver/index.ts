export { runLoad, PACE_TOLERANCE_SECONDS, MAX_CONNECTIONS_PER_LANE, MAX_LANES, type LoadResult, type RunLoadProps } from './run-load.js';
export { readTenantsFile, tenantsFromCatalog, type TenantsFromCatalogProps } from './tenants.js';
export { renderTenantTable } from '../src/report/tenant-table.js';
export { passed, type TenantRow } from '../src/report/tenant-rows.js';
export type { LoadTenant, TenantsFile } from '../src/tenants-file.js';
