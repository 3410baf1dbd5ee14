/**
 * The service's configuration, read from the environment by the CLI and passed whole to
 * `startTenantApi` by code that starts the service in-process.
 */
import { defaultCatalogDirectory, loadCatalog, type Catalog } from '@tenantry/catalog';
import { runningTelemetry } from '@tenantry/telemetry';
import { FAULTS_VARIABLE, parseFaults, type FaultPlan } from './faults.js';

export interface TenantApiConfig {
  /** Connection URL of the application: its user is the app role or a member of it. */
  readonly databaseUrl: string;
  /**
   * Connection URL of the schema owner, used by migrations only.
   * @default - databaseUrl
   */
  readonly migrationDatabaseUrl?: string;
  /** Redis URL for the entitlement cache, e.g. redis://127.0.0.1:6379. */
  readonly redisUrl: string;
  /**
   * The catalog whose tenants are served.
   * @default - loadCatalog(): $TENANTRY_CATALOG or the example catalog
   */
  readonly catalog?: Catalog;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Address to listen on.
   * @default '0.0.0.0'
   */
  readonly host?: string;
  /**
   * Run migrations before listening.
   * @default true
   */
  readonly migrate?: boolean;
  /**
   * Faults to inject per tenant.
   * @default - none
   */
  readonly faults?: FaultPlan;
  /**
   * How long a tenant's entitlements stay cached in Redis, in seconds.
   * @default 60
   */
  readonly entitlementsTtlSeconds?: number;
  /**
   * Maximum PostgreSQL connections of the pool.
   * @default 10
   */
  readonly databasePoolSize?: number;
}

/** Thrown when the environment lacks or garbles a setting; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from environment variables (see docs/tenant-api.md).
 *
 * @throws ConfigError for a missing or malformed variable; FaultSpecError for a bad TENANTRY_FAULTS
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): TenantApiConfig & { readonly catalog: Catalog } {
  const directory = defaultCatalogDirectory(env);
  // Under `--import @tenantry/telemetry/register` telemetry has loaded this catalog already.
  const loaded = runningTelemetry()?.catalog;
  const catalog = loaded?.directory === directory ? loaded : loadCatalog({ directory });
  return {
    databaseUrl: required(env, 'DATABASE_URL'),
    migrationDatabaseUrl: env['MIGRATION_DATABASE_URL'] || undefined,
    redisUrl: required(env, 'REDIS_URL'),
    catalog,
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env['HOST'] || '0.0.0.0',
    migrate: env['MIGRATE_ON_START'] !== 'false',
    faults: parseFaults(env[FAULTS_VARIABLE], new Set(catalog.tenants.map((t) => t.id))),
    entitlementsTtlSeconds: integer(env, 'ENTITLEMENTS_TTL_SECONDS', 60, 1, 86_400),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(`${name} is not set (see docs/tenant-api.md)`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}="${raw}" is not a whole number between ${min} and ${max}`);
  }
  return value;
}
