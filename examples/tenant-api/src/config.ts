/**
 * The service's configuration, read from the environment by the CLI and passed whole to
 * `startTenantApi` by code that starts the service in-process.
 */
import { defaultCatalogDirectory, loadCatalog, type Catalog } from '@tenantry/catalog';
import { TRUSTED_PROXIES_VARIABLE, runningTelemetry } from '@tenantry/telemetry';
import { authConfigFromEnv, type AuthConfig } from './auth.js';
import { ConfigError } from './config-error.js';

export { ConfigError };
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
  /**
   * How a request proves its tenant: a JWT verified against a JWKS, or (only when asked
   * for explicitly) development mode, where the Host header alone decides.
   */
  readonly auth: AuthConfig;
  /**
   * The environment whose hostnames are served.
   * @default - every environment of the catalog
   */
  readonly environment?: string;
  /**
   * Peers whose tenant header is believed (IPs or CIDR ranges); see docs/telemetry.md.
   * @default - none
   */
  readonly trustedProxies?: readonly string[];
  /** Timeouts and deadlines; each field has a default. */
  readonly timeouts?: Partial<Timeouts>;
}

/** Every bound on waiting, in milliseconds except `retryAfterSeconds`. */
export interface Timeouts {
  /** Waiting for a PostgreSQL connection, new or from the pool (pg `connectionTimeoutMillis`). @default 2000 */
  readonly databaseConnectMs: number;
  /** PostgreSQL `statement_timeout`; the client gives up 500 ms later if the server does not answer at all. @default 2000 */
  readonly databaseStatementMs: number;
  /** PostgreSQL `idle_in_transaction_session_timeout`. @default 5000 */
  readonly databaseIdleInTransactionMs: number;
  /** ioredis `commandTimeout`; past it the request uses the catalog's entitlements. @default 250 */
  readonly redisCommandMs: number;
  /** A request's whole life, body included; past it the answer is 408 (slow body) or 503. @default 5000 */
  readonly requestDeadlineMs: number;
  /** Each dependency check of GET /readyz. @default 1000 */
  readonly readinessMs: number;
  /** In-flight requests may finish for this long after SIGTERM; keep it below terminationGracePeriodSeconds. @default 20000 */
  readonly shutdownDeadlineMs: number;
  /** `Retry-After` of a 503. @default 1 */
  readonly retryAfterSeconds: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  databaseConnectMs: 2000,
  databaseStatementMs: 2000,
  databaseIdleInTransactionMs: 5000,
  redisCommandMs: 250,
  requestDeadlineMs: 5000,
  readinessMs: 1000,
  shutdownDeadlineMs: 20_000,
  retryAfterSeconds: 1,
};

/** The variable of each timeout, for `configFromEnv` and the docs. */
const TIMEOUT_VARIABLES: Readonly<Record<keyof Timeouts, string>> = {
  databaseConnectMs: 'DATABASE_CONNECT_TIMEOUT_MS',
  databaseStatementMs: 'DATABASE_STATEMENT_TIMEOUT_MS',
  databaseIdleInTransactionMs: 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  redisCommandMs: 'REDIS_COMMAND_TIMEOUT_MS',
  requestDeadlineMs: 'REQUEST_DEADLINE_MS',
  readinessMs: 'READINESS_TIMEOUT_MS',
  shutdownDeadlineMs: 'SHUTDOWN_DEADLINE_MS',
  retryAfterSeconds: 'RETRY_AFTER_SECONDS',
};


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
    auth: authConfigFromEnv(env),
    environment: env['TENANTRY_ENV'] || undefined,
    trustedProxies: (env[TRUSTED_PROXIES_VARIABLE] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    timeouts: timeoutsFromEnv(env),
  };
}

function timeoutsFromEnv(env: NodeJS.ProcessEnv): Timeouts {
  const entries = (Object.keys(TIMEOUT_VARIABLES) as (keyof Timeouts)[]).map((key) => [key, integer(env, TIMEOUT_VARIABLES[key], DEFAULT_TIMEOUTS[key], 1, 600_000)] as const);
  const timeouts = Object.fromEntries(entries) as unknown as Timeouts;
  if (timeouts.databaseConnectMs + timeouts.databaseStatementMs >= timeouts.requestDeadlineMs) {
    throw new ConfigError(
      `${TIMEOUT_VARIABLES.requestDeadlineMs}=${timeouts.requestDeadlineMs} must exceed ${TIMEOUT_VARIABLES.databaseConnectMs} + ${TIMEOUT_VARIABLES.databaseStatementMs} ` +
        `(${timeouts.databaseConnectMs} + ${timeouts.databaseStatementMs}), so a slow database answers 503 before the deadline cuts the request`,
    );
  }
  return timeouts;
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
