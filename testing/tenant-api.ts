/**
 * The reference service (examples/tenant-api) as a child process, started the way it
 * runs in production: `node --import @tenantry/telemetry/register dist/main.js`,
 * configured by environment variables. For tests and benchmarks of any folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '@tenantry/catalog';
import { generateTokenKeys, mintTenantTokens, type TokenKeys } from '@tenantry/example-tenant-api';
import { freePort } from './free-port.js';
import { startProcess, type ManagedProcess } from './processes.js';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const serviceDirectory = join(repositoryRoot, 'examples', 'tenant-api');

export interface TenantApiProcessOptions {
  /** DATABASE_URL: the app's connection (its user is made a member of the app role). */
  readonly databaseUrl: string;
  /**
   * MIGRATION_DATABASE_URL: the schema owner's connection.
   * @default - databaseUrl
   */
  readonly migrationDatabaseUrl?: string;
  readonly redisUrl: string;
  /**
   * More environment variables (OTEL_*, TENANTRY_FAULTS, TENANTRY_ENV, …), over the
   * inherited environment. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing is exported.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Node options placed before the script.
   * @default ['--import', '@tenantry/telemetry/register']
   */
  readonly nodeArgs?: readonly string[];
  /**
   * The key pair the service verifies tokens with (its public JWKS goes to
   * TENANTRY_AUTH_JWKS_FILE) and the harness signs them with.
   * @default - a fresh ES256 pair per process
   */
  readonly tokenKeys?: TokenKeys;
}

/** `iss` and `aud` of the harness's tokens, required by the service it starts. */
export const TEST_TOKEN_ISSUER = 'https://auth.tenantry.test/';
export const TEST_TOKEN_AUDIENCE = 'tenant-api';

export interface TenantApiProcess {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly port: number;
  /** Port of the service's Prometheus endpoint (TENANTRY_PROMETHEUS_PORT). */
  readonly prometheusPort: number;
  readonly process: ManagedProcess;
  /** A valid JWT for every tenant of the catalog, by tenant id. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The tokens as a JSON file `{ "<tenant-id>": "<jwt>" }` (k6's TENANTRY_TOKENS, the driver's --tokens). */
  readonly tokensFile: string;
  /** `{ authorization: 'Bearer …' }` for a tenant id. @throws Error for a tenant without a token */
  authorization(tenantId: string): Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Tokens for a service the harness starts: the env that makes it verify them, and the tokens. */
export interface TestAuth {
  /** TENANTRY_AUTH_JWKS_FILE, _ISSUER and _AUDIENCE for the service. */
  readonly env: Readonly<Record<string, string>>;
  readonly tokens: Readonly<Record<string, string>>;
  /** The tokens as `{ "<tenant-id>": "<jwt>" }` in a file (k6's TENANTRY_TOKENS, the driver's --tokens). */
  readonly tokensFile: string;
  authorization(tenantId: string): Readonly<Record<string, string>>;
  /** Deletes the key and token files. */
  remove(): void;
}

/** Signs a token for every tenant id with `keys` (a fresh ES256 pair by default) and writes the JWKS and the tokens to a temporary directory. */
export async function prepareTestAuth(tenantIds: readonly string[], keys?: TokenKeys): Promise<TestAuth> {
  const pair = keys ?? (await generateTokenKeys());
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-auth-'));
  const jwksFile = join(directory, 'jwks.json');
  const tokensFile = join(directory, 'tokens.json');
  const tokens = await mintTenantTokens(pair.privateJwk, tenantIds, { issuer: TEST_TOKEN_ISSUER, audience: TEST_TOKEN_AUDIENCE });
  writeFileSync(jwksFile, JSON.stringify(pair.jwks));
  writeFileSync(tokensFile, JSON.stringify(tokens), { mode: 0o600 });
  return {
    env: { TENANTRY_AUTH_JWKS_FILE: jwksFile, TENANTRY_AUTH_ISSUER: TEST_TOKEN_ISSUER, TENANTRY_AUTH_AUDIENCE: TEST_TOKEN_AUDIENCE },
    tokens,
    tokensFile,
    authorization(tenantId) {
      const token = tokens[tenantId];
      if (token === undefined) throw new Error(`no token for tenant "${tenantId}" (tokens exist for ${tenantIds.join(', ')})`);
      return { authorization: `Bearer ${token}` };
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

let built = false;

/** Compiles the service and the packages it imports, once per test process (incremental). */
export function buildTenantApi(): void {
  if (built) return;
  const result = spawnSync('npx', ['tsc', '-b', 'conventions', 'catalog', 'telemetry', 'examples/tenant-api'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building examples/tenant-api failed:\n${result.stdout}\n${result.stderr}`);
  built = true;
}

/** Starts the service on a free port and resolves when it prints its "listening on" line. */
export async function startTenantApiProcess(options: TenantApiProcessOptions, timeoutMs = 60_000): Promise<TenantApiProcess> {
  buildTenantApi();
  const prometheusPort = Number(options.env?.['TENANTRY_PROMETHEUS_PORT'] ?? (await freePort()));
  const tenantIds = loadCatalog(options.env?.['TENANTRY_CATALOG'] === undefined ? {} : { directory: options.env['TENANTRY_CATALOG'] }).tenants.map((t) => t.id);
  const auth = await prepareTestAuth(tenantIds, options.tokenKeys);
  const managed = startProcess(process.execPath, [...(options.nodeArgs ?? ['--import', '@tenantry/telemetry/register']), 'dist/main.js'], {
    cwd: serviceDirectory,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...(options.env?.['OTEL_EXPORTER_OTLP_ENDPOINT'] === undefined ? {} : { OTEL_TRACES_EXPORTER: 'otlp' }),
      TENANTRY_PROMETHEUS_PORT: String(prometheusPort),
      DATABASE_URL: options.databaseUrl,
      ...(options.migrationDatabaseUrl === undefined ? {} : { MIGRATION_DATABASE_URL: options.migrationDatabaseUrl }),
      REDIS_URL: options.redisUrl,
      ...auth.env,
      ...options.env,
    },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /tenant-api listening on (http:\/\/\S+)/.exec(managed.output());
    if (match?.[1] !== undefined) {
      const url = match[1];
      return {
        url,
        port: Number(new URL(url).port),
        prometheusPort,
        process: managed,
        tokens: auth.tokens,
        tokensFile: auth.tokensFile,
        authorization: auth.authorization,
        async stop() {
          await managed.stop();
          auth.remove();
        },
      };
    }
    if (managed.child.exitCode !== null || Date.now() > deadline) {
      await managed.stop(1000);
      auth.remove();
      throw new Error(`tenant-api did not start (exit ${managed.child.exitCode}):\n${managed.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TenantApiResponse {
  readonly status: number;
  /** The parsed JSON body. */
  readonly body: unknown;
}

/**
 * Sends a request to the service with the Host header of `host` (e.g.
 * `brightwave.tenantry.app`), which fetch cannot set. `body` is sent as JSON; a string
 * is sent as it is. `headers` are added (the Host header always comes from `host`).
 */
export function requestTenantApi(
  url: string,
  host: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<TenantApiResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: { ...headers, host, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
          } catch {
            reject(new Error(`${method} ${path} for ${host}: answer ${res.statusCode} is not JSON: ${text}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
