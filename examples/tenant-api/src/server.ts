/**
 * The tenant API: `startTenantApi(config)` migrates, connects to PostgreSQL and Redis,
 * and serves GET /healthz, GET|POST /api/projects and GET /api/projects/:id for the
 * tenant named by the Host header.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { loadCatalog } from '@tenantry/catalog';
import { setHttpRoute, tenantRequestHandler, type TenantResolution } from '@tenantry/telemetry';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import type { TenantApiConfig } from './config.js';
import { EntitlementCache } from './entitlements.js';
import { applyFault } from './faults.js';
import { ClientError, readJsonBody, sendJson } from './http-json.js';
import { migrate } from './migrations.js';
import { parseNewProject } from './new-project.js';
import { countProjects, createProject, findProject, listProjects } from './projects.js';
import { inTenantTransaction } from './tenant-transaction.js';

/** A running tenant API. */
export interface TenantApi {
  /** e.g. http://127.0.0.1:8080 (the loopback address when listening on all interfaces) */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, then closes the database pool and the Redis connection. */
  close(): Promise<void>;
}

const PROJECT_PATH = /^\/api\/projects\/([^/]+)$/;

/** A path segment decoded, or undefined when its percent-encoding is malformed. */
function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Starts the service. Telemetry is not started here: start it before (with
 * `node --import @tenantry/telemetry/register` or `startTelemetry`) so pg, ioredis and
 * http are instrumented.
 */
export async function startTenantApi(config: TenantApiConfig): Promise<TenantApi> {
  // The pino instrumentation of the register entry point adds trace_id, span_id and tenant.id.
  const log = pino({ name: 'tenant-api' });
  const catalog = config.catalog ?? loadCatalog();
  const faults = config.faults ?? new Map();
  // Start-up work belongs to no request and no tenant: it is not traced, so every
  // exported span of the service is a span of a request and carries its tenant.
  const untraced = <T>(work: () => Promise<T>): Promise<T> => context.with(suppressTracing(context.active()), work);
  if (config.migrate ?? true) {
    const result = await untraced(() => migrate(config.migrationDatabaseUrl ?? config.databaseUrl, config.databaseUrl));
    log.info({ applied: result.applied, schemaVersion: result.current }, 'database migrated');
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize ?? 10 });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'));
  // Connected before listening (a wrong REDIS_URL fails the start); afterwards no
  // offline queue, so a Redis outage fails cache reads at once instead of stalling requests.
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => log.warn({ err: error }, 'Redis connection error'));
  await untraced(() => redis.connect());
  const entitlements = new EntitlementCache({
    redis,
    catalog,
    ttlSeconds: config.entitlementsTtlSeconds ?? 60,
    onCacheError: (error) => log.warn({ err: error }, 'entitlement cache unavailable; using the catalog'),
  });

  async function handleApi(request: IncomingMessage, response: ServerResponse, path: string, tenantId: string): Promise<void> {
    const method = request.method ?? 'GET';
    const byId = PROJECT_PATH.exec(path)?.[1];
    if (path !== '/api/projects' && byId === undefined) throw new ClientError(404, `no route for ${method} ${path}`);
    const route = byId === undefined ? '/api/projects' : '/api/projects/:id';
    setHttpRoute(route);
    const allowedMethods = byId === undefined ? ['GET', 'POST'] : ['GET'];
    if (!allowedMethods.includes(method)) throw new ClientError(405, `${method} is not allowed on ${route} (use ${allowedMethods.join(' or ')})`);
    // Before touching the database: a bad body costs neither a connection nor a fault.
    const body = method === 'POST' ? parseNewProject(await readJsonBody(request)) : undefined;
    if ((await applyFault(faults, tenantId)) === 'fail') return sendJson(response, 503, { error: `injected fault for tenant ${tenantId}` });
    const allowed = await entitlements.get(tenantId);

    if (byId !== undefined) {
      const id = safeDecode(byId);
      const project = id === undefined ? undefined : await inTenantTransaction(pool, tenantId, (client) => findProject(client, id));
      // Another tenant's id and a nonexistent id look the same: the answer leaks nothing.
      if (project === undefined) throw new ClientError(404, `no project ${byId}`);
      return sendJson(response, 200, project);
    }
    if (body === undefined) {
      const projects = await inTenantTransaction(pool, tenantId, (client) => listProjects(client, allowed.listLimit));
      return sendJson(response, 200, { projects });
    }
    const created = await inTenantTransaction(pool, tenantId, async (client) => {
      const owned = await countProjects(client);
      if (owned >= allowed.maxProjects) {
        throw new ClientError(403, `the ${allowed.plan} plan allows ${allowed.maxProjects} projects and tenant ${tenantId} has ${owned}`);
      }
      return createProject(client, tenantId, body.name);
    });
    return sendJson(response, 201, created);
  }

  async function handle(request: IncomingMessage, response: ServerResponse, tenant: TenantResolution): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/healthz') {
      // Probes come by pod IP, with no tenant host: health does not depend on the tenant.
      setHttpRoute('/healthz');
      return sendJson(response, 200, { status: 'ok' });
    }
    if (!tenant.known) {
      const host = request.headers.host ?? '(no Host header)';
      return sendJson(response, 404, { error: `unknown tenant host ${host}`, host, reason: tenant.reason });
    }
    return handleApi(request, response, path, tenant.tenantId);
  }

  const server = createServer(
    tenantRequestHandler((request, response, tenant) => {
      handle(request, response, tenant).catch((error: unknown) => {
        if (error instanceof ClientError) return sendJson(response, error.status, { error: error.message });
        log.error({ err: error, url: request.url }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
        else response.destroy();
      });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 8080, config.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === undefined || config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.allSettled([pool.end(), redis.quit()]);
    },
  };
}
