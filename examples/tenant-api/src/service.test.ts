/**
 * The service as it runs in production (child process, `--import
 * @tenantry/telemetry/register`, OTLP http/json export) against real PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../../testing/otlp-receiver.js';
import { startPostgres, type PostgresServer } from '../../../testing/postgres.js';
import { startRedis, type RedisServer } from '../../../testing/redis.js';
import { requestTenantApi, startTenantApiProcess, type TenantApiProcess } from '../../../testing/tenant-api.js';
import { freePort } from '../../../testing/free-port.js';

const BASE_DOMAIN = 'tenantry.app'; // the example catalog's prod environment
const hostOf = (tenant: string): string => `${tenant}.${BASE_DOMAIN}`;
const SERVER_KIND = 2;

interface Project {
  id: string;
  tenantId: string;
  name: string;
}

let postgres: PostgresServer;
let redis: RedisServer;
let otlp: OtlpReceiver;
let api: TenantApiProcess;

function start(env: Record<string, string> = {}): Promise<TenantApiProcess> {
  return startTenantApiProcess({
    databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'login-secret'),
    migrationDatabaseUrl: postgres.url,
    redisUrl: redis.url,
    env: { TENANTRY_ENV: 'prod', ...env },
  });
}

beforeAll(async () => {
  [postgres, redis, otlp] = await Promise.all([startPostgres(), startRedis(), startOtlpReceiver()]);
  api = await start({
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: 'tenant-api-under-test',
  });
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([otlp?.stop(), redis?.stop(), postgres?.stop()]);
});

const send = (tenant: string, method: string, path: string, body?: unknown) => requestTenantApi(api.url, hostOf(tenant), method, path, body, api.authorization(tenant));

/** The request target recorded on a server span, under old or stable HTTP semantic conventions. */
function targetOf(span: ReceivedSpan): string {
  const old = span.attributes['http.target'];
  if (typeof old === 'string') return old;
  const query = span.attributes['url.query'];
  return `${String(span.attributes['url.path'])}${typeof query === 'string' && query !== '' ? `?${query}` : ''}`;
}

/**
 * The spans of the trace whose server span served `target`. Complete once the server
 * span is in: every other span of the request ends before the response, and the batch
 * processor exports spans in the order they end.
 */
async function traceOf(target: string): Promise<readonly ReceivedSpan[]> {
  const isServer = (s: ReceivedSpan): boolean => s.kind === SERVER_KIND && targetOf(s) === target;
  const spans = await otlp.waitFor((all) => all.some(isServer));
  const server = spans.find(isServer);
  return spans.filter((s) => s.traceId === server?.traceId);
}

describe('tenant on every span', () => {
  it('every span of a request to each route carries the tenant of that request, pg and ioredis spans included', async () => {
    const created = (await send('brightwave', 'POST', '/api/projects?probe=create-brightwave', { name: 'Roof survey' })).body as Project;
    const requests = [
      { tenant: 'brightwave', method: 'GET', target: '/healthz?probe=health-brightwave', database: false },
      { tenant: 'northwind', method: 'GET', target: '/healthz?probe=health-northwind', database: false },
      { tenant: 'brightwave', method: 'GET', target: '/api/projects?probe=list-brightwave', database: true },
      { tenant: 'northwind', method: 'GET', target: '/api/projects?probe=list-northwind', database: true },
      { tenant: 'northwind', method: 'POST', target: '/api/projects?probe=create-northwind', database: true },
      { tenant: 'brightwave', method: 'GET', target: `/api/projects/${created.id}?probe=get-brightwave`, database: true },
      { tenant: 'northwind', method: 'GET', target: `/api/projects/${created.id}?probe=get-northwind`, database: true },
    ];
    for (const r of requests) await send(r.tenant, r.method, r.target, r.method === 'POST' ? { name: 'Harbour wall' } : undefined);

    for (const r of [{ tenant: 'brightwave', target: '/api/projects?probe=create-brightwave', database: true }, ...requests]) {
      const trace = await traceOf(r.target);
      expect(trace.map((s) => [s.name, s.attributes['tenant.id']])).toEqual(trace.map((s) => [s.name, r.tenant]));
      if (r.database) {
        expect(trace.some((s) => s.scope.includes('instrumentation-pg'))).toBe(true);
        expect(trace.some((s) => s.scope.includes('instrumentation-ioredis'))).toBe(true);
      }
    }
  });

  it('the service exports no span without a tenant: start-up work is not traced', async () => {
    await send('brightwave', 'GET', '/api/projects?probe=after-start');
    await traceOf('/api/projects?probe=after-start');
    const untenanted = otlp.spans().filter((s) => s.attributes['tenant.id'] === undefined);
    expect(untenanted.map((s) => s.name)).toEqual([]);
  });

  it('two tenants in concurrent requests never swap: answers, rows and spans stay with their tenant', async () => {
    const tenants = ['brightwave', 'northwind', 'ledgerline', 'harbor-law'];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const tenant = tenants[i % tenants.length] ?? 'brightwave';
        const path = `/api/projects?probe=concurrent-${i}`;
        return i % 2 === 0
          ? send(tenant, 'GET', path).then((a) => ({ tenant, path, a }))
          : send(tenant, 'POST', path, { name: `made by ${tenant} #${i}` }).then((a) => ({ tenant, path, a }));
      }),
    );
    for (const { tenant, a } of answers) {
      const rows = a.status === 201 ? [a.body as Project] : (a.body as { projects: Project[] }).projects;
      for (const row of rows) {
        expect(row.tenantId).toBe(tenant);
        if (row.name.startsWith('made by ')) expect(row.name).toMatch(new RegExp(`^made by ${tenant} #`));
      }
    }
    for (const { tenant, path } of answers) {
      const trace = await traceOf(path);
      expect(trace.some((s) => s.scope.includes('instrumentation-pg'))).toBe(true);
      expect(new Set(trace.map((s) => s.attributes['tenant.id']))).toEqual(new Set([tenant]));
    }
  });
});

describe('isolation between tenants', () => {
  it('tenant A cannot read, list or change tenant B projects by any route', async () => {
    const secret = (await send('harbor-law', 'POST', '/api/projects', { name: 'Privileged matter' })).body as Project;
    expect(secret.tenantId).toBe('harbor-law');

    const read = await send('northwind', 'GET', `/api/projects/${secret.id}`);
    expect(read.status).toBe(404);
    expect(JSON.stringify(read.body)).not.toContain('Privileged matter');

    const list = (await send('northwind', 'GET', '/api/projects')).body as { projects: Project[] };
    expect(list.projects.map((p) => p.id)).not.toContain(secret.id);
    expect(list.projects.length).toBeGreaterThan(0);
    expect(list.projects.filter((p) => p.tenantId !== 'northwind')).toEqual([]);

    // No route changes another tenant's project, and a body cannot name the tenant.
    expect((await send('northwind', 'PUT', `/api/projects/${secret.id}`, { name: 'taken' })).status).toBe(405);
    expect((await send('northwind', 'DELETE', `/api/projects/${secret.id}`)).status).toBe(405);
    const forged = await send('northwind', 'POST', '/api/projects', { name: 'x', tenantId: 'harbor-law' });
    expect(forged.status).toBe(400);
    const forgedHeaders = { 'x-tenant-id': 'harbor-law', baggage: 'tenant.id=harbor-law', ...api.authorization('northwind') };
    const forgedList = await requestTenantApi(api.url, hostOf('northwind'), 'GET', '/api/projects', undefined, forgedHeaders);
    const forgedProjects = (forgedList.body as { projects: Project[] }).projects;
    expect(forgedProjects.length).toBeGreaterThan(0);
    expect(forgedProjects.filter((p) => p.tenantId !== 'northwind')).toEqual([]);
    expect((await requestTenantApi(api.url, hostOf('northwind'), 'GET', `/api/projects/${secret.id}`, undefined, forgedHeaders)).status).toBe(404);

    const still = await send('harbor-law', 'GET', `/api/projects/${secret.id}`);
    expect(still).toEqual({ status: 200, body: secret });
  });

  it('an unknown host gets 404 with a JSON error naming the host', async () => {
    const answer = await requestTenantApi(api.url, 'nobody.tenantry.app', 'GET', '/api/projects');
    expect(answer.status).toBe(404);
    expect((answer.body as { error: string }).error).toContain('nobody.tenantry.app');
  });

  it('a custom hostname of the catalog serves its tenant', async () => {
    const created = await send('ledgerline', 'POST', '/api/projects', { name: 'Ledger audit' });
    const viaCustom = await requestTenantApi(api.url, 'portal.ledgerline-accounting.com', 'GET', `/api/projects/${(created.body as Project).id}`, undefined, api.authorization('ledgerline'));
    expect(viaCustom.status).toBe(200);
  });
});

describe('input', () => {
  it.each([
    ['not JSON', '{"name":', 'not valid JSON'],
    ['no name', {}, '"name" must be a string'],
    ['a number as name', { name: 42 }, '"name" must be a string, got number'],
    ['an empty name', { name: '   ' }, 'must not be empty'],
    ['an array', [], 'must be a JSON object'],
  ])('POST /api/projects with %s answers 400 with a JSON error saying what is wrong', async (_, body, message) => {
    const answer = await send('brightwave', 'POST', '/api/projects', body);
    expect(answer.status).toBe(400);
    expect((answer.body as { error: string }).error).toContain(message);
  });

  it('POST /api/projects answers 201 with the created row', async () => {
    const answer = await send('brightwave', 'POST', '/api/projects', { name: '  Solar array  ' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ tenantId: 'brightwave', name: 'Solar array' });
    expect((answer.body as Project).id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('faults and collector failures', () => {
  it('faults apply only to the named tenant', async () => {
    const faulty = await start({ TENANTRY_FAULTS: 'northwind:errors=1;brightwave:latency=300' });
    try {
      const send = (tenant: string) => requestTenantApi(faulty.url, hostOf(tenant), 'GET', '/api/projects', undefined, faulty.authorization(tenant));
      const northwind = await Promise.all(Array.from({ length: 5 }, () => send('northwind')));
      expect(northwind.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
      const others = await Promise.all(['ledgerline', 'harbor-law', 'ledgerline'].map(send));
      expect(others.map((a) => a.status)).toEqual([200, 200, 200]);
      const started = performance.now();
      expect((await send('brightwave')).status).toBe(200);
      // A lower bound only (never flaky upwards); libuv's cached clock may fire a timer a few ms early.
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await faulty.stop();
    }
  });

  it('a bad TENANTRY_FAULTS stops the start with a message naming the problem', async () => {
    await expect(start({ TENANTRY_FAULTS: 'northwnd:errors=1' })).rejects.toThrow(/tenant "northwnd" is not in the catalog/);
  });

  it('the service keeps answering when Redis goes away, with entitlements from the catalog, and logs it with trace and tenant', async () => {
    const ownRedis = await startRedis();
    const service = await startTenantApiProcess({ databaseUrl: postgres.url, redisUrl: ownRedis.url, env: { TENANTRY_ENV: 'prod' } });
    try {
      expect((await requestTenantApi(service.url, hostOf('brightwave'), 'GET', '/api/projects', undefined, service.authorization('brightwave'))).status).toBe(200);
      await ownRedis.stop();
      const answers = await Promise.all(['brightwave', 'northwind'].map((t) => requestTenantApi(service.url, hostOf(t), 'GET', '/api/projects', undefined, service.authorization(t))));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      // The warning is logged inside the request: it carries the request's trace and tenant.
      const warnings = service.process
        .output()
        .split('\n')
        .filter((line) => line.includes('entitlement cache unavailable'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // After one failure Redis is skipped for a cooldown, so at least one request logs it.
      expect(warnings.length).toBeGreaterThan(0);
      for (const warning of warnings) expect(['brightwave', 'northwind']).toContain(warning['tenant.id']);
      for (const warning of warnings) expect(warning['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await service.stop();
      await ownRedis.stop();
    }
  });

  it('the service keeps answering with the collector unreachable', async () => {
    const closedPort = await freePort();
    const cut = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    });
    try {
      for (let round = 0; round < 5; round++) {
        const answers = await Promise.all(
          ['brightwave', 'northwind'].map((t) => requestTenantApi(cut.url, hostOf(t), 'POST', '/api/projects', { name: `while collector is down ${round}` }, cut.authorization(t))),
        );
        expect(answers.map((a) => a.status)).toEqual([201, 201]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await cut.stop();
    }
  });
});
