/**
 * `npm run bench:faults`: the reference service under the faults of issue 13, on real
 * PostgreSQL and Redis, printing one row per fault (worst latency, status counts). The
 * figures for the closing note's before/after table; the assertions live in
 * examples/tenant-api/src/*.fault.test.ts.
 */
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
import { startPostgres } from '../testing/postgres.js';
import { startRedis } from '../testing/redis.js';
import { startTenantApiProcess, type TenantApiProcess } from '../testing/tenant-api.js';

const HOST = (tenant: string): string => `${tenant}.tenantry.app`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  readonly status: number | 'error';
  readonly ms: number;
}

function send(api: TenantApiProcess, tenant: string, method: string, path: string, body?: string, agent?: Agent, contentType = 'application/json'): Promise<Answer> {
  const started = performance.now();
  const token = api.tokens[tenant];
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: api.port,
        method,
        path,
        agent: agent ?? false,
        headers: {
          host: HOST(tenant),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: 'error', ms: performance.now() - started }));
    req.end(body);
  });
}

/** Sends `perSecond` GET requests a second for `ms`, returning every answer. */
async function steady(api: TenantApiProcess, perSecond: number, ms: number, agent?: Agent): Promise<Answer[]> {
  const pending: Promise<Answer>[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    pending.push(send(api, 'northwind', 'GET', '/api/projects', undefined, agent));
    await sleep(1000 / perSecond);
  }
  return Promise.all(pending);
}

function row(fault: string, answers: readonly Answer[], extra = ''): string {
  const statuses = new Map<string, number>();
  for (const a of answers) statuses.set(String(a.status), (statuses.get(String(a.status)) ?? 0) + 1);
  const worst = Math.max(...answers.map((a) => a.ms));
  const text = [...statuses].sort().map(([s, n]) => `${n} × ${s}`).join(', ');
  return `| ${fault} | ${(worst / 1000).toFixed(2)} s | ${text} | ${extra} |`;
}

/** A note when the service died under the fault, with the last line it printed. */
function crashed(api: TenantApiProcess): string {
  if (api.process.child.exitCode === null) return '';
  const last = api.process.output().trim().split('\n').filter((line) => !line.startsWith(' ')).slice(-3).join(' / ').slice(0, 300);
  return `; the service exited with ${api.process.child.exitCode}: ${last}`;
}

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer.split('\r\n', 1)[0] ?? ''));
    socket.on('error', () => resolve('error'));
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const postgres = await startPostgres();
const redis = await startRedis();
const rows: string[] = [];
const report = (line: string): void => {
  rows.push(line);
  process.stdout.write(`${line}\n`);
};
const start = (env: Record<string, string> = {}): Promise<TenantApiProcess> =>
  startTenantApiProcess({
    databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'secret'),
    migrationDatabaseUrl: postgres.url,
    redisUrl: redis.url,
    env: { TENANTRY_ENV: 'prod', ...env },
  });
try {
  let api = await start();
  const owner = new pg.Pool({ connectionString: postgres.url, max: 4 });
  // Its idle connections die with the PostgreSQL outage below; the next query reconnects.
  owner.on('error', () => undefined);

  process.stdout.write('Redis frozen (SIGSTOP) for 6 s…\n');
  process.kill(redis.pid(), 'SIGSTOP');
  const thaw = sleep(6000).then(() => process.kill(redis.pid(), 'SIGCONT'));
  const duringRedisFreeze = await steady(api, 10, 5000);
  await thaw;
  report(row('Redis frozen (SIGSTOP) 6 s, 10 req/s', duringRedisFreeze));

  process.stdout.write('PostgreSQL frozen (SIGSTOP) for 12 s…\n');
  const pids = postgres.pids();
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  const frozen = steady(api, 5, 2000);
  const health = Promise.all([send(api, 'northwind', 'GET', '/healthz'), send(api, 'northwind', 'GET', '/readyz')]);
  await sleep(12_000);
  for (const pid of pids) process.kill(pid, 'SIGCONT');
  report(row('PostgreSQL frozen (SIGSTOP) 12 s, 5 req/s', await frozen));
  const [healthz, readyz] = await health;

  report(row('/healthz, /readyz while PostgreSQL frozen', [healthz, readyz], `healthz ${healthz.status}, readyz ${readyz.status}`));
  await sleep(500);

  process.stdout.write('PostgreSQL stopped for 5 s under 50 req/s…\n');
  const before = Number((await owner.query('select count(*) from projects')).rows[0].count);
  const writes: Promise<Answer>[] = [];
  const writer = (async () => {
    const end = performance.now() + 12_000;
    let i = 0;
    while (performance.now() < end) {
      writes.push(send(api, 'northwind', 'POST', '/api/projects', JSON.stringify({ name: `outage ${i++}` })));
      await sleep(20);
    }
  })();
  await sleep(2000);
  await postgres.halt();
  await sleep(5000);
  await postgres.resume();
  await writer;
  const outage = await Promise.all(writes);
  const after = Number((await owner.query('select count(*) from projects')).rows[0].count);
  const created = outage.filter((a) => a.status === 201).length;
  report(row('PostgreSQL stopped 5 s, 50 POST/s', outage, `rows added ${after - before}, 201s ${created}${crashed(api)}`));
  if (api.process.child.exitCode !== null) api = await start();

  process.stdout.write('quota race…\n');
  await owner.query(`insert into projects (tenant_id, name) select 'brightwave', 'seed ' || g from generate_series(1, 95) g`);
  const race = await Promise.all(Array.from({ length: 40 }, (_, i) => send(api, 'brightwave', 'POST', '/api/projects', JSON.stringify({ name: `race ${i}` }))));
  const brightwave = Number((await owner.query(`select count(*) from projects where tenant_id = 'brightwave'`)).rows[0].count);
  report(row('40 concurrent creates at 95 of 100', race, `rows ${brightwave}`));
  const bigRace = await Promise.all(
    Array.from({ length: 500 }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const answers: Answer[] = [];
      for (let i = 0; i < 4; i++) answers.push(await send(api, 'ledgerline', 'POST', '/api/projects', JSON.stringify({ name: `big ${c}-${i}` }), agent));
      agent.destroy();
      return answers;
    }),
  );
  const ledgerline = Number((await owner.query(`select count(*) from projects where tenant_id = 'ledgerline'`)).rows[0].count);
  report(row('2,000 creates over 500 connections, limit 1,000', bigRace.flat(), `rows ${ledgerline}`));

  process.stdout.write('hostile input…\n');
  report(row('POST name with NUL', [await send(api, 'northwind', 'POST', '/api/projects', '{"name":"a\\u0000b"}')]));
  report(row('POST with Content-Type: text/plain', [await send(api, 'northwind', 'POST', '/api/projects', '{"name":"plain"}', undefined, 'text/plain')]));
  const token = api.tokens['northwind'];
  const auth = token === undefined ? '' : `Authorization: Bearer ${token}\r\n`;
  const duplicate = await rawRequest(api.port, `GET /api/projects HTTP/1.1\r\nHost: northwind.tenantry.app\r\nHost: harbor-law.tenantry.app\r\n${auth}Connection: close\r\n\r\n`);
  report(`| two Host headers | | ${duplicate} | |`);
  report(row('GET without a token', [await requestWithout(api)]));

  process.stdout.write('SIGTERM under keep-alive load…\n');
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const loadDone = (async () => {
    const answers: Answer[] = [];
    const end = performance.now() + 15_000;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (performance.now() < end) answers.push(await send(api, 'northwind', 'GET', '/api/projects', undefined, agent));
      }),
    );
    return answers;
  })();
  await sleep(1000);
  const signalled = performance.now();
  const exited = new Promise<{ code: number; exitMs: number }>((resolve) =>
    api.process.child.once('exit', (code) => resolve({ code: code ?? -1, exitMs: performance.now() - signalled })),
  );
  api.process.child.kill('SIGTERM');
  const load = await loadDone;
  // The clients stop at the end of the load; a service that waits for them exits only then.
  agent.destroy();
  const { code, exitMs } = await exited;
  report(row('SIGTERM under keep-alive load (20 connections)', load, `exit ${code} after ${(exitMs / 1000).toFixed(2)} s`));
  await owner.end();
  api = await start();
  await api.stop();
} finally {
  await redis.stop();
  await postgres.stop();
}

async function requestWithout(api: TenantApiProcess): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port: api.port, path: '/api/projects', headers: { host: HOST('northwind') } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', () => resolve({ status: 'error', ms: performance.now() - started }));
    req.end();
  });
}

process.stdout.write(['| fault | worst latency | statuses | notes |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n');
