/** @tenantry/example-tenant-api: the reference tenant-aware service. See docs/tenant-api.md. */
export { AUTH_VARIABLES, TENANT_CLAIM, authConfigFromEnv, type AuthConfig } from './auth.js';
export { ConfigError, DEFAULT_TIMEOUTS, configFromEnv, type TenantApiConfig, type Timeouts } from './config.js';
export { FAULTS_VARIABLE, FaultSpecError, parseFaults, type FaultPlan, type TenantFault } from './faults.js';
export { APP_ROLE, TENANT_SETTING, migrate, type MigrationResult } from './migrations.js';
export { startTenantApi, type TenantApi } from './server.js';
export { TOKEN_ALGORITHM, generateTokenKeys, mintTenantTokens, type MintOptions, type TokenKeys } from './tokens.js';
