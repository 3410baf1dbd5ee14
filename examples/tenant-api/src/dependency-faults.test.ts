/**
 * The service with its dependencies failing, on the real servers: Redis and PostgreSQL
 * frozen with SIGSTOP (a hung host) and PostgreSQL stopped under load. Every request
 * ends within the configured deadline, with 200 (Redis: the catalog stands in) or 503
 * and Retry-After (PostgreSQL), and no write is lost or duplicated.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timedRequest, type TimedAnswer } from '../../../testing/http-client.js';
import { startPostgres, type PostgresServer } from '../../../testing/postgres.js';
import { startRedis, type RedisServer } from '../../../testing/redis.js';
import { startTenantApiProcess, type TenantApiProcess } from '../../../testing/tenant-api.js';

/** Short timeouts, so a test waits seconds rather than the production defaults. */
const DEADLINE_MS = 3000;
const TIMEOUTS = {
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
  DATABASE_STATEMENT_TIMEOUT_MS: '1000',
  REDIS_COMMAND_TIMEOUT_MS: '200',
  READINESS_TIMEOUT_MS: '500',
  REQUEST_DEADLINE_MS: String(DEADLINE_MS),
};
/** What the machine may add to a deadline (a shared, loaded CI box): generous on purpose. */
const SLACK_MS = 1500;
const HOST = 'northwind.tenantry.app';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let postgres: PostgresServer;
let redis: RedisServer;
let api: TenantApiProcess;
let owner: pg.Pool;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  api = await startTenantApiProcess({
    databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'secret'),
    migrationDatabaseUrl: postgres.url,
    redisUrl: redis.url,
    env: { TENANTRY_ENV: 'prod', ...TIMEOUTS },
  });
  owner = new pg.Pool({ connectionString: postgres.url, max: 2 });
  // Its connections die with the outage below; the next query reconnects.
  owner.on('error', () => undefined);
});

afterAll(async () => {
  await owner?.end();
  await api?.stop();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

const get = (path = '/api/projects'): Promise<TimedAnswer> => timedRequest({ port: api.port, host: HOST, path, headers: api.authorization('northwind') });
const create = (name: string): Promise<TimedAnswer> =>
  timedRequest({ port: api.port, host: HOST, method: 'POST', path: '/api/projects', body: { name }, headers: api.authorization('northwind') });

/** Sends `start()` every `everyMs` for `ms`, then waits for every answer. */
async function steadily(everyMs: number, ms: number, start: (i: number) => Promise<TimedAnswer>): Promise<TimedAnswer[]> {
  const pending: Promise<TimedAnswer>[] = [];
  const end = performance.now() + ms;
  for (let i = 0; performance.now() < end; i += 1) {
    pending.push(start(i));
    await sleep(everyMs);
  }
  return Promise.all(pending);
}

/** Process ids frozen with SIGSTOP and thawed after `ms`, whatever the test does meanwhile. */
function freeze(pids: readonly number[], ms: number): Promise<void> {
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return sleep(ms).then(() => {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  });
}

describe('Redis frozen', () => {
  it('requests go on with the catalog’s entitlements, each within the Redis command timeout plus slack', async () => {
    const thawed = freeze([redis.pid()], 4000);
    const answers = await steadily(100, 3000, () => get());
    await thawed;
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(200 + SLACK_MS);
  });
});

describe('PostgreSQL frozen', () => {
  it('API requests answer 503 with Retry-After within the deadline; /healthz stays 200 and /readyz says 503; all recover', async () => {
    const thawed = freeze(postgres.pids(), 6000);
    const [answers, healthz, readyz] = await Promise.all([steadily(250, 3000, () => get()), get('/healthz'), get('/readyz')]);
    await thawed;
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
    for (const answer of answers) expect(answer.headers['retry-after']).toBe('1');
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(healthz.status).toBe(200);
    expect(readyz.status).toBe(503);
    expect(JSON.parse(readyz.body).checks.postgresql).not.toBe('ok');

    await eventually(async () => (await get()).status === 200);
    expect((await get('/readyz')).status).toBe(200);
  });
});

describe('PostgreSQL stopped under load', () => {
  it('writes answer 201 or 503 with Retry-After within the deadline, every 201 is one row, nothing is written twice', async () => {
    const run = `outage-${Date.now()}`;
    const load = steadily(20, 9000, (i) => create(`${run} #${i}`));
    await sleep(1500);
    await postgres.halt();
    await sleep(3000);
    await postgres.resume();
    const answers = await load;

    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([201, 503]);
    for (const answer of answers.filter((a) => a.status === 503)) expect(answer.headers['retry-after']).toBe('1');
    const slow = answers.filter((a) => a.ms >= DEADLINE_MS + SLACK_MS).map((a) => [a.status, Math.round(a.ms), a.body]);
    expect(slow, JSON.stringify(slow)).toEqual([]);

    const rows = (await owner.query<{ id: string; name: string }>('select id, name from projects where name like $1', [`${run} #%`])).rows;
    const created = answers.filter((a) => a.status === 201).map((a) => JSON.parse(a.body) as { id: string; name: string });
    // Nothing lost: every 201 is a row. Nothing duplicated: each name at most once.
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(created.map((c) => c.id)));
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    // A 503 is "not known": a commit that reached the server before it stopped may have
    // landed. No row exists that no request asked for.
    expect(rows.length).toBeLessThanOrEqual(answers.length);
    expect(rows.length - created.length).toBeLessThanOrEqual(answers.filter((a) => a.status === 503).length);
    // It serves again after PostgreSQL is back, without a restart of its own.
    await eventually(async () => (await create(`${run} after`)).status === 201);
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}
