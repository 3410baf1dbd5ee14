/**
 * The tenant API: `startTenantApi(config)` migrates, connects to PostgreSQL and Redis,
 * and serves GET /healthz, GET /readyz, GET|POST /api/projects and GET
 * /api/projects/:id for the tenant named by the Host header and proven by the token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { loadCatalog } from '@tenantry/catalog';
import { TenantResolver, pinoOptions, setHttpRoute, tenantRequestHandler, type TenantResolution } from '@tenantry/telemetry';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { TokenAuthenticator, type AuthOutcome } from './auth.js';
import { DEFAULT_TIMEOUTS, type TenantApiConfig, type Timeouts } from './config.js';
import { DeadlineExceeded, DependencyError } from './dependency-errors.js';
import { EntitlementCache } from './entitlements.js';
import { applyFault } from './faults.js';
import { ClientError, readJsonBody, sendJson } from './http-json.js';
import { migrate } from './migrations.js';
import { parseNewProject } from './new-project.js';
import { createProjectWithinLimit, findProject, listProjects } from './projects.js';
import { checkReadiness } from './readiness.js';
import { singleValidHost } from './request-checks.js';
import { inTenantTransaction, type RequestDeadline } from './tenant-transaction.js';

/** A running tenant API. */
export interface TenantApi {
  /** e.g. http://127.0.0.1:8080 (the loopback address when listening on all interfaces) */
  readonly url: string;
  readonly port: number;
  /**
   * Graceful, bounded shutdown: stops accepting, answers /readyz 503, closes idle
   * keep-alive connections and asks busy ones to close after their response, lets
   * in-flight requests finish for up to `timeouts.shutdownDeadlineMs`, cuts what is left,
   * then closes PostgreSQL and Redis. Every call returns the same promise.
   *
   * @returns whether every in-flight request finished within the deadline
   */
  close(): Promise<{ readonly drained: boolean }>;
}

const PROJECT_PATH = /^\/api\/projects\/([^/]+)$/;
/** Client-side bound on a query whose server does not answer at all (frozen, partitioned). */
const QUERY_TIMEOUT_MARGIN_MS = 500;

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
  // A line written in a tenant's request or `withTenant` scope carries the tenant even
  // where no span is active (the pino instrumentation's hook runs only inside a span,
  // and merges its trace_id and span_id into the same fields).
  const log = pino(pinoOptions({ name: 'tenant-api' }));
  const catalog = config.catalog ?? loadCatalog();
  const faults = config.faults ?? new Map();
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
  const retryAfter = { 'retry-after': String(timeouts.retryAfterSeconds) };
  // Start-up work belongs to no request and no tenant: it is not traced, so every
  // exported span of the service is a span of a request and carries its tenant.
  const untraced = <T>(work: () => Promise<T>): Promise<T> => context.with(suppressTracing(context.active()), work);
  if (config.migrate ?? true) {
    const result = await untraced(() => migrate(config.migrationDatabaseUrl ?? config.databaseUrl, config.databaseUrl));
    log.info({ applied: result.applied, schemaVersion: result.current }, 'database migrated');
  }
  const databaseTimeouts = {
    connectionTimeoutMillis: timeouts.databaseConnectMs,
    statement_timeout: timeouts.databaseStatementMs,
    idle_in_transaction_session_timeout: timeouts.databaseIdleInTransactionMs,
    query_timeout: timeouts.databaseStatementMs + QUERY_TIMEOUT_MARGIN_MS,
  };
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize ?? 10, ...databaseTimeouts });
  // Readiness has its own connection, so a busy request pool does not make a pod look dead.
  const probePool = new pg.Pool({ connectionString: config.databaseUrl, max: 1, ...databaseTimeouts, connectionTimeoutMillis: timeouts.readinessMs });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'));
  probePool.on('error', () => undefined);
  // Connected before listening (a wrong REDIS_URL fails the start); afterwards no
  // offline queue, a command timeout and one retry, so a Redis outage or freeze costs a
  // request at most the command timeout before it falls back to the catalog.
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: timeouts.redisCommandMs,
    connectTimeout: timeouts.readinessMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error) => log.warn({ err: error }, 'Redis connection error'));
  await untraced(() => redis.connect());
  const entitlements = new EntitlementCache({
    redis,
    catalog,
    ttlSeconds: config.entitlementsTtlSeconds ?? 60,
    onCacheError: (error) => log.warn({ err: error }, 'entitlement cache unavailable; using the catalog'),
  });

  const authenticator = new TokenAuthenticator(config.auth, timeouts.readinessMs);
  if (authenticator.mode === 'development') log.warn('TENANTRY_AUTH_MODE=development: requests are not authenticated, the Host header alone picks the tenant');
  const authOutcomes = new WeakMap<IncomingMessage, AuthOutcome>();
  const resolverProps = { catalog, environment: config.environment, trustedProxies: config.trustedProxies ?? [] };
  // The Host (or a trusted proxy) names the tenant; the token must name the same one.
  const hostResolver = new TenantResolver(resolverProps);
  // Telemetry's resolver with the verified token as its hook: spans, metrics and logs
  // carry the token's tenant, and a mismatch leaves them on no tenant.
  const telemetryResolver = new TenantResolver({
    ...resolverProps,
    tokenTenantResolver: (request) => {
      const outcome = authOutcomes.get(request);
      return outcome?.kind === 'verified' ? outcome.tenantId : undefined;
    },
  });

  async function handleApi(request: IncomingMessage, response: ServerResponse, path: string, tenantId: string, deadline: RequestDeadline): Promise<void> {
    const method = request.method ?? 'GET';
    const byId = PROJECT_PATH.exec(path)?.[1];
    if (path !== '/api/projects' && byId === undefined) throw new ClientError(404, `no route for ${method} ${path}`);
    const route = byId === undefined ? '/api/projects' : '/api/projects/:id';
    setHttpRoute(route);
    const allowedMethods = byId === undefined ? ['GET', 'POST'] : ['GET'];
    if (!allowedMethods.includes(method)) {
      throw new ClientError(405, `${method} is not allowed on ${route} (use ${allowedMethods.join(' or ')})`, { allow: allowedMethods.join(', ') });
    }
    // Before touching the database: a bad body costs neither a connection nor a fault.
    const body = method === 'POST' ? parseNewProject(await readJsonBody(request)) : undefined;
    if ((await applyFault(faults, tenantId)) === 'fail') return sendJson(response, 503, { error: `injected fault for tenant ${tenantId}` }, retryAfter);
    const allowed = await entitlements.get(tenantId);

    if (byId !== undefined) {
      const id = safeDecode(byId);
      const project = id === undefined ? undefined : await inTenantTransaction(pool, tenantId, (client) => findProject(client, id), deadline);
      // Another tenant's id and a nonexistent id look the same: the answer leaks nothing.
      if (project === undefined) throw new ClientError(404, `no project ${byId}`);
      return sendJson(response, 200, project);
    }
    if (body === undefined) {
      const projects = await inTenantTransaction(pool, tenantId, (client) => listProjects(client, allowed.listLimit), deadline);
      return sendJson(response, 200, { projects });
    }
    const created = await inTenantTransaction(pool, tenantId, (client) => createProjectWithinLimit(client, tenantId, body.name, allowed.maxProjects), deadline);
    if (created === undefined) throw new ClientError(403, `the ${allowed.plan} plan allows ${allowed.maxProjects} projects and tenant ${tenantId} has that many`);
    return sendJson(response, 201, created);
  }

  let draining = false;

  async function handle(request: IncomingMessage, response: ServerResponse, tenant: TenantResolution, deadline: RequestDeadline): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    if (request.method !== 'GET' && (path === '/healthz' || path === '/readyz')) throw new ClientError(405, `${request.method} is not allowed on ${path} (use GET)`, { allow: 'GET' });
    if (path === '/healthz') {
      // Liveness: the process answers. Probes come by pod IP, with no tenant host.
      setHttpRoute('/healthz');
      return sendJson(response, 200, { status: 'ok' });
    }
    if (path === '/readyz') {
      setHttpRoute('/readyz');
      const readiness = draining ? { ready: false, checks: { shutdown: 'shutting down' } } : await checkReadiness(probePool, redis, timeouts.readinessMs);
      return sendJson(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks }, readiness.ready ? {} : retryAfter);
    }
    const host = singleValidHost(request);
    const byHost = hostResolver.resolve(request);
    if (!byHost.known) return sendJson(response, 404, { error: `unknown tenant host ${host}`, host, reason: byHost.reason });
    const auth = authOutcomes.get(request);
    if (auth?.kind === 'refused') throw new ClientError(401, auth.reason, { 'www-authenticate': 'Bearer' });
    if (auth?.kind === 'verified' && (!tenant.known || auth.tenantId !== byHost.tenantId)) {
      throw new ClientError(403, `the token is for tenant "${auth.tenantId}", not for "${byHost.tenantId}" of host ${host}`);
    }
    return handleApi(request, response, path, byHost.tenantId, deadline);
  }

  /**
   * Authenticates, resolves the tenant and runs `handle`, all under the request deadline
   * (which starts when the request arrives), and turns every failure into its status.
   */
  function serve(request: IncomingMessage, response: ServerResponse): void {
    let timer: NodeJS.Timeout | undefined;
    const deadline: RequestDeadline = { at: performance.now() + timeouts.requestDeadlineMs, ms: timeouts.requestDeadlineMs };
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A commit in flight decides the answer itself, within its query timeout.
        if (!deadline.committing) reject(new DeadlineExceeded(timeouts.requestDeadlineMs));
      }, timeouts.requestDeadlineMs);
    });
    const work = authenticateThenHandle(request, response, deadline);
    // Past the deadline the work goes on in the background until its own timeouts end
    // it; a transaction that is not committing yet by then rolls back (COMMIT_RESERVE_MS).
    work.catch(() => undefined);
    Promise.race([work, expired])
      .catch((error: unknown) => answerFailure(request, response, error))
      .finally(() => clearTimeout(timer));
  }

  /** Handlers waiting for telemetry's tenant resolution, by request. */
  const resolved = new WeakMap<IncomingMessage, (tenant: TenantResolution) => void>();
  const tenantAware = tenantRequestHandler((request, _response, tenant) => resolved.get(request)?.(tenant), { resolver: telemetryResolver });

  async function authenticateThenHandle(request: IncomingMessage, response: ServerResponse, deadline: RequestDeadline): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0];
    // Probes need no token and must not depend on the JWKS endpoint.
    if (path !== '/healthz' && path !== '/readyz') authOutcomes.set(request, await authenticator.authenticate(request));
    // Resolved after authentication, so telemetry's token hook sees the verified tenant;
    // the rest of the request runs in the context the resolution entered.
    const handled = new Promise<void>((resolve, reject) => {
      resolved.set(request, (tenant) => handle(request, response, tenant, deadline).then(resolve, reject));
    });
    tenantAware(request, response);
    return handled;
  }

  function answerFailure(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof ClientError) return sendJson(response, error.status, { error: error.message }, error.headers);
    if (error instanceof DeadlineExceeded && !request.complete) {
      // The client did not send its body in time: its mistake, not an outage.
      return sendJson(response, 408, { error: `the request body did not arrive within ${error.deadlineMs} ms` }, { connection: 'close' });
    }
    if (error instanceof DependencyError || error instanceof DeadlineExceeded) {
      log.warn({ err: error, url: request.url }, 'dependency unavailable');
      return sendJson(response, 503, { error: error.message }, retryAfter);
    }
    log.error({ err: error, url: request.url }, 'request failed');
    sendJson(response, 500, { error: 'internal error' });
  }

  const inFlight = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    if (draining) response.setHeader('connection', 'close');
    serve(request, response);
  });
  // Node answers 408 itself when headers or body take longer than this.
  server.requestTimeout = timeouts.requestDeadlineMs;
  server.headersTimeout = Math.min(timeouts.requestDeadlineMs, 60_000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 8080, config.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === undefined || config.host === '0.0.0.0' ? '127.0.0.1' : config.host;

  let closing: Promise<{ drained: boolean }> | undefined;
  async function drain(): Promise<{ drained: boolean }> {
    draining = true;
    // Responses not yet started ask their client to reconnect elsewhere; idle
    // keep-alive sockets close now (server.close does both for idle ones).
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeouts.shutdownDeadlineMs);
    });
    const drained = await Promise.race([closed.then(() => true as const), deadline]);
    clearTimeout(timer);
    if (!drained) {
      log.warn({ inFlight: inFlight.size, deadlineMs: timeouts.shutdownDeadlineMs }, 'shutdown deadline passed; closing the remaining connections');
      server.closeAllConnections();
    }
    await Promise.allSettled([pool.end(), probePool.end(), redis.quit().catch(() => redis.disconnect())]);
    return { drained };
  }

  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= drain();
      return closing;
    },
  };
}
