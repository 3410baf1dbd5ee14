/**
 * `npm run bench:telemetry`: what @tenantry/telemetry costs the reference service.
 *
 * One run starts PostgreSQL, Redis and an OTLP sink, then the service three ways (no
 * telemetry, plain auto-instrumentations-node defaults, @tenantry/telemetry) and loads
 * each with autocannon: the same request mix over four tenants' Host headers, the same
 * connections and duration, a warm-up first, then short rounds that rotate the order.
 * Each value is the median over the rounds; each ratio is the median of the ratios
 * within a round (paired with the uninstrumented run minutes apart at most), so drift in
 * the load of a shared machine cancels out. CPU per request (from /proc, the service's
 * own user+system time) is the steadiest column on a busy machine.
 *
 * Environment: BENCH_DURATION_SECONDS (default 4), BENCH_ROUNDS (6), BENCH_CONNECTIONS (10),
 * BENCH_CPU_PROFILE_DIR (unset: when set, each service writes a V8 CPU profile there,
 * one sub-directory per mode, to open in Chrome DevTools).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog, platformHostname, selectEnvironments } from '@tenantry/catalog';
import autocannon from 'autocannon';
import { freePort } from '../testing/free-port.js';
import { startOtlpReceiver } from '../testing/otlp-receiver.js';
import { startPostgres } from '../testing/postgres.js';
import { startRedis } from '../testing/redis.js';
import { generateTokenKeys } from '@tenantry/example-tenant-api';
import { requestTenantApi, startTenantApiProcess, type TenantApiProcess } from '../testing/tenant-api.js';

const DURATION_SECONDS = Number(process.env['BENCH_DURATION_SECONDS'] ?? 4);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 6);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const WARM_UP_SECONDS = 3;
/** The services run against the example catalog's prod environment; every tenant of it gets traffic. */
const BENCH_ENVIRONMENT = 'prod';
const catalog = loadCatalog();
const [benchEnvironment] = selectEnvironments(catalog, BENCH_ENVIRONMENT);
if (benchEnvironment === undefined) throw new Error(`the catalog at ${catalog.directory} has no ${BENCH_ENVIRONMENT} environment`);
const TENANT_HOSTS = catalog.tenants.map((tenant) => ({ id: tenant.id, host: platformHostname(tenant, benchEnvironment) }));
const PROJECTS_PER_TENANT = 20;
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROFILE_DIR'];

interface Mode {
  readonly name: string;
  /** Directory name of the mode's CPU profile. */
  readonly slug: string;
  readonly nodeArgs: readonly string[];
  readonly env: (otlpUrl: string) => Promise<Record<string, string>>;
}

const MODES: readonly Mode[] = [
  {
    name: 'none (OTEL_SDK_DISABLED=true)',
    slug: 'none',
    nodeArgs: ['--import', '@tenantry/telemetry/register'],
    env: async () => ({ OTEL_SDK_DISABLED: 'true' }),
  },
  {
    name: 'auto-instrumentations defaults',
    slug: 'auto-instrumentations',
    nodeArgs: ['--import', fileURLToPath(new URL('./otel-defaults-register.mjs', import.meta.url))],
    env: async (otlpUrl) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
    }),
  },
  {
    name: '@tenantry/telemetry',
    slug: 'tenantry',
    nodeArgs: ['--import', '@tenantry/telemetry/register'],
    env: async (otlpUrl) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl, OTEL_TRACES_EXPORTER: 'otlp' }),
  },
  {
    // Not one of the three the issue asks for: how the cost falls with the sampling a
    // production service would use (metrics still count every request).
    name: '@tenantry/telemetry, 10% sampled',
    slug: 'tenantry-sampled',
    nodeArgs: ['--import', '@tenantry/telemetry/register'],
    env: async (otlpUrl) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
];

interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Service CPU time (user + system) per 1,000 requests, in milliseconds. */
  readonly cpuMsPer1k: number;
  readonly errors: number;
}

/** User + system CPU time of a process so far, in milliseconds (Linux /proc). */
function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function load(service: TenantApiProcess, requests: autocannon.Request[], seconds: number): Promise<Measurement> {
  const latencies: number[] = [];
  const pid = service.process.child.pid ?? 0;
  const cpuBefore = cpuTimeMs(pid);
  // Every response time, not autocannon's summary: it has no p95.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: service.url, connections: CONNECTIONS, duration: seconds, requests }, (error, done) =>
      error ? reject(error as Error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpu = cpuTimeMs(pid) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    cpuMsPer1k: (cpu / Math.max(1, result.requests.total)) * 1000,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const [postgres, redis, sink] = await Promise.all([startPostgres(), startRedis(), startOtlpReceiver({ keepSpans: false })]);
  const services: TenantApiProcess[] = [];
  try {
    const common = {
      databaseUrl: postgres.urlFor('postgres', 'tenant_api_bench', 'bench'),
      migrationDatabaseUrl: postgres.url,
      redisUrl: redis.url,
      // One signing key for every mode, so one set of request headers serves them all.
      tokenKeys: await generateTokenKeys(),
    };
    // Only the local detectors: cloud detectors would probe metadata endpoints off the machine.
    const shared = { TENANTRY_ENV: BENCH_ENVIRONMENT, OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process', DATABASE_POOL_SIZE: '10' };
    for (const mode of MODES) {
      const profile = CPU_PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(resolve(CPU_PROFILE_DIR), mode.slug)}`];
      services.push(await startTenantApiProcess({ ...common, nodeArgs: [...profile, ...mode.nodeArgs], env: { ...shared, ...(await mode.env(sink.url)) } }));
    }

    const requests: autocannon.Request[] = [];
    const first = services[0];
    if (first === undefined) throw new Error(`no service started (modes: ${MODES.map((m) => m.name).join(', ')})`);
    for (const { id: tenant, host } of TENANT_HOSTS) {
      let id = '';
      for (let i = 0; i < PROJECTS_PER_TENANT; i++) {
        const created = await requestTenantApi(first.url, host, 'POST', '/api/projects', { name: `${tenant} project ${i}` }, first.authorization(tenant));
        id = (created.body as { id: string }).id;
      }
      const headers = { host, ...first.authorization(tenant) };
      requests.push({ method: 'GET', path: '/api/projects', headers }, { method: 'GET', path: `/api/projects/${id}`, headers });
    }

    process.stdout.write(`warm-up ${WARM_UP_SECONDS}s each, then ${ROUNDS} rounds x ${DURATION_SECONDS}s x ${CONNECTIONS} connections per mode\n`);
    for (const service of services) await load(service, requests, WARM_UP_SECONDS);
    const rounds = MODES.map((): Measurement[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < MODES.length; k++) {
        const index = (round + k) % MODES.length; // rotate the order every round
        const service = services[index];
        if (service === undefined) continue;
        const measurement = await load(service, requests, DURATION_SECONDS);
        rounds[index]?.push(measurement);
        process.stdout.write(`  round ${round + 1} ${MODES[index]?.name}: ${measurement.requestsPerSecond.toFixed(0)} req/s, p95 ${measurement.p95.toFixed(2)} ms\n`);
      }
    }
    printTable(rounds);
  } finally {
    await Promise.allSettled(services.map((s) => s.stop()));
    await Promise.allSettled([sink.stop(), redis.stop(), postgres.stop()]);
  }
}

type Metric = 'requestsPerSecond' | 'p50' | 'p95' | 'p99' | 'cpuMsPer1k';

function printTable(rounds: readonly Measurement[][]): void {
  const baseline = rounds[0];
  if (baseline === undefined) return;
  /** Median over the rounds of the value. */
  const value = (measurements: readonly Measurement[], metric: Metric): number => median(measurements.map((m) => m[metric]));
  /** Median over the rounds of the value divided by the baseline's value in the same round. */
  const ratio = (measurements: readonly Measurement[], metric: Metric): string => {
    const ratios = measurements.flatMap((m, round) => {
      const base = baseline[round];
      return base === undefined ? [] : [m[metric] / base[metric]];
    });
    return `${median(ratios).toFixed(2)}x`;
  };
  const header = ['mode', 'req/s', 'ratio', 'p50 ms', 'ratio', 'p95 ms', 'ratio', 'p99 ms', 'ratio', 'CPU ms/1k req', 'ratio', 'errors'];
  const rows = rounds.map((measurements, i) => [
    MODES[i]?.name ?? '',
    value(measurements, 'requestsPerSecond').toFixed(0),
    ratio(measurements, 'requestsPerSecond'),
    value(measurements, 'p50').toFixed(2),
    ratio(measurements, 'p50'),
    value(measurements, 'p95').toFixed(2),
    ratio(measurements, 'p95'),
    value(measurements, 'p99').toFixed(2),
    ratio(measurements, 'p99'),
    value(measurements, 'cpuMsPer1k').toFixed(0),
    ratio(measurements, 'cpuMsPer1k'),
    String(measurements.reduce((sum, m) => sum + m.errors, 0)),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(`values: median of ${ROUNDS} rounds; ratios: median of the per-round ratios to the first row (no telemetry)\n`);
}

await main();
