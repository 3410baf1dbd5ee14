/**
 * Hostile clients against the real service (child process, real PostgreSQL and Redis):
 * every mistake a client can make is a 4xx, never a 5xx, and no answer or write ever
 * crosses tenants. Named cases first, then a fast-check property over methods, paths,
 * headers and bodies.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import fc from 'fast-check';
import { SignJWT, importJWK } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawStatus, timedRequest } from '../../../testing/http-client.js';
import { startPostgres, type PostgresServer } from '../../../testing/postgres.js';
import { startRedis, type RedisServer } from '../../../testing/redis.js';
import { TEST_TOKEN_AUDIENCE, TEST_TOKEN_ISSUER, startTenantApiProcess, type TenantApiProcess } from '../../../testing/tenant-api.js';
import { TOKEN_ALGORITHM, generateTokenKeys, mintTenantTokens, type TokenKeys } from './tokens.js';

const TENANTS = ['brightwave', 'northwind', 'ledgerline', 'harbor-law'] as const;
const hostOf = (tenant: string): string => `${tenant}.tenantry.app`;

let postgres: PostgresServer;
let redis: RedisServer;
let api: TenantApiProcess;
let owner: pg.Pool;
/** The key the service trusts, so tests can sign tokens that fail on their claims alone. */
let keys: TokenKeys;

beforeAll(async () => {
  [postgres, redis, keys] = await Promise.all([startPostgres(), startRedis(), generateTokenKeys()]);
  api = await startTenantApiProcess({
    tokenKeys: keys,
    databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'secret'),
    migrationDatabaseUrl: postgres.url,
    redisUrl: redis.url,
    env: { TENANTRY_ENV: 'prod' },
  });
  owner = new pg.Pool({ connectionString: postgres.url, max: 2 });
});

afterAll(async () => {
  await owner?.end();
  await api?.stop();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

const post = (tenant: string, body: unknown, headers: Record<string, string> = {}) =>
  timedRequest({ port: api.port, host: hostOf(tenant), method: 'POST', path: '/api/projects', body, headers: { ...api.authorization(tenant), ...headers } });

describe('client mistakes are 4xx', () => {
  it.each([
    ['a NUL character', 'a\u0000b', 'control character U+0000'],
    ['a line feed', 'a\nb', 'control character U+000A'],
    ['a lone surrogate', 'a\uD800b', 'lone UTF-16 surrogate'],
  ])('a name with %s answers 400 saying what is wrong', async (_, name, message) => {
    const answer = await post('northwind', { name });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toContain(message);
  });

  it('a body that is not UTF-8 answers 400', async () => {
    const answer = await post('northwind', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0xff, 0x7d]).toString('latin1'));
    expect(answer.status).toBe(400);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['JSON in another charset', { 'content-type': 'application/json; charset=latin1' }],
    ['a gzip encoding', { 'content-encoding': 'gzip' }],
  ])('a POST with %s answers 415', async (_, headers) => {
    const answer = await post('northwind', { name: 'typed wrong' }, headers);
    expect(answer.status).toBe(415);
  });

  it('a POST without a content type answers 415', async () => {
    const body = '{"name":"untyped"}';
    const status = await rawStatus(
      api.port,
      `POST /api/projects HTTP/1.1\r\nHost: ${hostOf('northwind')}\r\nAuthorization: Bearer ${api.tokens['northwind']}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(status).toBe(415);
  });

  it.each([
    ['two Host headers', `Host: ${hostOf('northwind')}\r\nHost: ${hostOf('harbor-law')}\r\n`],
    ['a Host with a space', 'Host: northwind .tenantry.app\r\n'],
    ['a Host with a path', 'Host: northwind.tenantry.app/x\r\n'],
    ['no Host', ''],
  ])('a request with %s answers 400', async (_, hostLines) => {
    const status = await rawStatus(api.port, `GET /api/projects HTTP/1.1\r\n${hostLines}Authorization: Bearer ${api.tokens['northwind']}\r\nConnection: close\r\n\r\n`);
    expect(status).toBe(400);
  });

  it('a body larger than 16 KiB answers 413', async () => {
    expect((await post('northwind', { name: 'x'.repeat(20_000) })).status).toBe(413);
  });
});

describe('authenticated tenancy', () => {
  const list = (tenant: string, headers: Record<string, string>) => timedRequest({ port: api.port, host: hostOf(tenant), path: '/api/projects', headers });

  it('no token answers 401 with WWW-Authenticate: Bearer', async () => {
    const answer = await list('northwind', {});
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });

  it('another tenant’s valid token answers 403 and reads nothing', async () => {
    const answer = await list('harbor-law', api.authorization('northwind'));
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('"projects"');
  });

  it.each([
    ['garbage', 'Bearer not-a-jwt'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
  ])('%s in Authorization answers 401', async (_, authorization) => {
    expect((await list('northwind', { authorization })).status).toBe(401);
  });

  it('a token signed by another key, an expired token, a wrong audience and a token without tenant_id answer 401', async () => {
    const stranger = await generateTokenKeys();
    const [forged] = Object.values(await mintTenantTokens(stranger.privateJwk, ['northwind'], { issuer: TEST_TOKEN_ISSUER, audience: TEST_TOKEN_AUDIENCE }));
    const claims = { issuer: TEST_TOKEN_ISSUER, audience: TEST_TOKEN_AUDIENCE };
    const expired = await mintTenantTokens(keys.privateJwk, ['northwind'], { ...claims, expiresInSeconds: -60 });
    const wrongAudience = await mintTenantTokens(keys.privateJwk, ['northwind'], { ...claims, audience: 'someone-else' });
    const noTenant = await new SignJWT({})
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: keys.privateJwk.kid ?? '' })
      .setIssuer(TEST_TOKEN_ISSUER)
      .setAudience(TEST_TOKEN_AUDIENCE)
      .setExpirationTime('1h')
      .sign(await importJWK(keys.privateJwk, TOKEN_ALGORITHM));
    for (const token of [forged, expired['northwind'], wrongAudience['northwind'], noTenant]) {
      const answer = await list('northwind', { authorization: `Bearer ${token}` });
      expect(answer.status, answer.body).toBe(401);
    }
    // The same key and claims with the tenant are accepted: the refusals above are for their flaw.
    const good = await mintTenantTokens(keys.privateJwk, ['northwind'], claims);
    expect((await list('northwind', { authorization: `Bearer ${good['northwind']}` })).status).toBe(200);
  });

  it('development mode serves without a token, and only when TENANTRY_AUTH_MODE=development', async () => {
    const development = await startTenantApiProcess({
      databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'secret'),
      migrationDatabaseUrl: postgres.url,
      redisUrl: redis.url,
      env: { TENANTRY_ENV: 'prod', TENANTRY_AUTH_MODE: 'development', TENANTRY_AUTH_JWKS_FILE: '' },
    });
    try {
      expect((await timedRequest({ port: development.port, host: hostOf('northwind'), path: '/api/projects' })).status).toBe(200);
      expect(development.process.output()).toContain('TENANTRY_AUTH_MODE=development');
    } finally {
      await development.stop();
    }
  });
});

describe('the Prometheus endpoint', () => {
  it('listens on the service’s HOST (127.0.0.1), not on every interface', () => {
    const hexPort = api.prometheusPort.toString(16).toUpperCase().padStart(4, '0');
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A');
    expect(listening.map((fields) => fields[1])).toEqual([`0100007F:${hexPort}`]);
    const everywhere = readFileSync('/proc/net/tcp6', 'utf8').split('\n').filter((line) => line.includes(`:${hexPort} `) && line.includes(' 0A '));
    expect(everywhere).toEqual([]);
  });
});

describe('fuzzing the routes', () => {
  it('no method, path, header or body makes a 5xx or an answer or row of another tenant', async () => {
    const before = await rowsPerTenant();
    const created = new Map<string, number>();
    const tenant = fc.constantFrom(...TENANTS);
    const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'), fc.stringMatching(/^[A-Z]{1,8}$/));
    const segment = fc.oneof(fc.constantFrom('%00', '%zz', '..', '%2e%2e', '00000000-0000-0000-0000-000000000000', ';', '%E2%82', 'é'), fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/));
    const path = fc.oneof(
      fc.constantFrom('/api/projects', '/healthz', '/readyz', '/', '*', '/api/projects?limit=-1'),
      fc.tuple(fc.constantFrom('/api/projects/', '/api/', '/'), segment).map(([a, b]) => a + b),
      fc.string({ maxLength: 20 }).map((s) => `/api/projects/${s}`),
    );
    const host = (own: string) => fc.oneof(fc.constant(`Host: ${hostOf(own)}\r\n`), tenant.map((t) => `Host: ${hostOf(t)}\r\n`), fc.constantFrom('', `Host: ${hostOf(own)}\r\nHost: ${hostOf(own)}\r\n`, 'Host: nobody.tenantry.app\r\n', 'Host: [::1\r\n', `Host: ${hostOf(own)}:99999\r\n`));
    const auth = (own: string) =>
      fc.oneof(
        fc.constant(`Authorization: Bearer ${api.tokens[own]}\r\n`),
        tenant.map((t) => `Authorization: Bearer ${api.tokens[t]}\r\n`),
        fc.constantFrom('', 'Authorization: Bearer \r\n', 'Authorization: Bearer a.b.c\r\n', `Authorization: bearer ${api.tokens[own]}\r\n`),
      );
    const extra = fc.oneof(
      fc.constantFrom('', 'Content-Type: application/json\r\n', 'Content-Type: text/plain\r\n', 'Content-Type: application/json; charset=utf-16\r\n', 'X-Tenant-Id: harbor-law\r\n', 'Baggage: tenant.id=harbor-law\r\n', 'Transfer-Encoding: chunked\r\n', 'Expect: 100-continue\r\n'),
      fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.string({ maxLength: 30 })).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, '')}\r\n`),
    );
    const body = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 40 }).map((name) => JSON.stringify({ name })),
      fc.json({ maxDepth: 2 }),
      fc.string({ maxLength: 60 }),
      fc.constantFrom('{"name":"a\\u0000b"}', '{"name":"ok","tenantId":"harbor-law"}', '{"__proto__":{"name":"x"}}', '{"name":"x"'),
    );
    const request = tenant.chain((own) => fc.record({ own: fc.constant(own), method, path, host: host(own), auth: auth(own), extra: fc.array(extra, { maxLength: 3 }), body }));

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headerLines = [r.host, r.auth, ...r.extra].join('');
        const chunked = /transfer-encoding/i.test(headerLines);
        const framing = chunked ? '' : `Content-Length: ${Buffer.byteLength(r.body)}\r\n`;
        const payload = chunked ? `${Buffer.byteLength(r.body).toString(16)}\r\n${r.body}\r\n0\r\n\r\n` : r.body;
        const raw = Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\n${headerLines}${framing}Connection: close\r\n\r\n${payload}`, 'utf8');
        const answer = await rawAnswer(raw);
        expect(typeof answer.status === 'number' && answer.status < 500, `${JSON.stringify(r)} → ${answer.status} ${answer.body}`).toBe(true);
        if (answer.status === 201 || (answer.status === 200 && answer.body.includes('"tenantId"'))) {
          // A success is only possible with the Host's own tenant and that tenant's token.
          const hostTenant = /Host: ([a-z-]+)\.tenantry\.app\r\n/.exec(r.host)?.[1];
          expect(r.auth).toBe(`Authorization: Bearer ${api.tokens[hostTenant ?? '']}\r\n`);
          const rows = answer.body.match(/"tenantId":"([^"]*)"/g) ?? [];
          expect(new Set(rows)).toEqual(new Set(rows.length === 0 ? [] : [`"tenantId":"${hostTenant}"`]));
          if (answer.status === 201) created.set(hostTenant ?? '', (created.get(hostTenant ?? '') ?? 0) + 1);
        }
      }),
      { numRuns: 300, seed: Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31) },
    );
    // Every row that appeared belongs to the tenant whose 201 announced it.
    const after = await rowsPerTenant();
    for (const t of TENANTS) expect(after.get(t) ?? 0, t).toBe((before.get(t) ?? 0) + (created.get(t) ?? 0));
    expect([...after.keys()].filter((t) => !(TENANTS as readonly string[]).includes(t))).toEqual([]);
    expect((await timedRequest({ port: api.port, host: hostOf('northwind'), path: '/healthz' })).status).toBe(200);
  });
});

async function rowsPerTenant(): Promise<Map<string, number>> {
  const result = await owner.query<{ tenant_id: string; n: number }>('select tenant_id, count(*)::int as n from projects group by tenant_id');
  return new Map(result.rows.map((row) => [row.tenant_id, row.n]));
}

/** The status and body of the first answer to raw bytes (Connection: close). */
function rawAnswer(bytes: Buffer): Promise<{ status: number | string; body: string }> {
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(api.port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status === undefined ? `no answer: ${JSON.stringify(text.slice(0, 80))}` : Number(status), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.setTimeout(10_000, () => socket.destroy());
  });
}
