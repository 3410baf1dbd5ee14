/** @tenantry/example-tenant-api: the reference tenant-aware service. See docs/tenant-api.md. */
export { ConfigError, configFromEnv, type TenantApiConfig } from './config.js';
export { FAULTS_VARIABLE, FaultSpecError, parseFaults, type FaultPlan, type TenantFault } from './faults.js';
export { APP_ROLE, TENANT_SETTING, migrate, type MigrationResult } from './migrations.js';
export { startTenantApi, type TenantApi } from './server.js';
