/**
 * `npm run bench:telemetry`: what @tenantry/telemetry costs, end to end and part by part.
 *
 * One run starts PostgreSQL, Redis and an OTLP sink, then the reference service in
 * several modes: no telemetry, plain auto-instrumentations-node defaults, Tenantry with
 * every trace sampled and with 10% parent-based sampling, and, for the cost model,
 * Tenantry taken apart (context only, http only, http + pg, http + ioredis, every
 * instrumentation without export, OTLP http/json, OTLP http/protobuf); and a service with
 * a realistic handler (bench/realistic-service.mjs: ~2 ms CPU, a Redis read, two
 * queries) without telemetry, with plain auto-instrumentations and with Tenantry. Each
 * is loaded with autocannon: the same request mix over the catalog's tenants, the same
 * connections and duration, a warm-up first, then short rounds that rotate the order.
 * Each value is the median over the rounds; each ratio or difference is the median of
 * the ones within a round (paired with the run without telemetry minutes apart at most),
 * so drift in the load of a shared machine cancels out. CPU per request (from /proc,
 * the service's own user+system time, which includes export on its event loop) is the
 * steadiest column on a busy machine, and the one the cost model is made of; parts too
 * small to see that way are measured in-process (telemetry-micro-costs.ts).
 *
 * Environment: BENCH_DURATION_SECONDS (default 3), BENCH_ROUNDS (5), BENCH_CONNECTIONS (10),
 * BENCH_HANDLER_CPU_MS (2: the realistic handler's hashing, calibrated once for every mode),
 * BENCH_CPU_PROFILE_DIR (unset: when set, each service writes a V8 CPU profile there,
 * one sub-directory per mode, to open in Chrome DevTools or summarize with
 * cpu-profile-summary.ts), BENCH_MODES (unset: every mode; else a comma list of mode slugs,
 * e.g. `tenantry,tenantry-sampled`, to which the modes they are compared with are added:
 * for profiling a few modes, or a quick check while developing), BENCH_AB_PARTS (unset:
 * when set, e.g. `http,pg,ioredis`, one more Tenantry service, every trace sampled, is
 * loaded after the rounds for ROUNDS x DURATION seconds while telemetry-ab-toggle.mjs
 * switches those instrumentations off and on every 250 ms inside it; the CPU per
 * request of the two phases, measured in the same process and the same seconds, is
 * what those instrumentations cost with the machine's drift cancelled).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog, platformHostname, selectEnvironments } from '@tenantry/catalog';
import autocannon from 'autocannon';
import { freePort } from '../testing/free-port.js';
import { startProcess, waitUntilReady } from '../testing/processes.js';
import { startOtlpReceiver } from '../testing/otlp-receiver.js';
import { startPostgres } from '../testing/postgres.js';
import { startRedis } from '../testing/redis.js';
import { generateTokenKeys } from '@tenantry/example-tenant-api';
import { requestTenantApi, startTenantApiProcess, type TenantApiProcess } from '../testing/tenant-api.js';

/** What the benchmark needs of a running service (the realistic one has no tokens: it checks none). */
type BenchService = Pick<TenantApiProcess, 'url' | 'port' | 'prometheusPort' | 'process' | 'stop'>;
import { measureMicroCosts, type MicroCost } from './telemetry-micro-costs.js';
import { LOAD_WINDOWS_FILE, type LoadWindows } from './telemetry-profile.js';
import { calibrateHashRounds } from './realistic-handler-work.mjs';

const DURATION_SECONDS = Number(process.env['BENCH_DURATION_SECONDS'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
/** CPU milliseconds of hashing per request of the realistic handler. */
const HANDLER_CPU_MS = Number(process.env['BENCH_HANDLER_CPU_MS'] ?? 2);
const WARM_UP_SECONDS = 2;
/** The services run against the example catalog's prod environment; every tenant of it gets traffic. */
const BENCH_ENVIRONMENT = 'prod';
const catalog = loadCatalog();
const [benchEnvironment] = selectEnvironments(catalog, BENCH_ENVIRONMENT);
if (benchEnvironment === undefined) throw new Error(`the catalog at ${catalog.directory} has no ${BENCH_ENVIRONMENT} environment`);
const TENANT_HOSTS = catalog.tenants.map((tenant) => ({ id: tenant.id, host: platformHostname(tenant, benchEnvironment) }));
const PROJECTS_PER_TENANT = 20;
const CPU_PROFILE_DIR = process.env['BENCH_CPU_PROFILE_DIR'];
const AB_PARTS = process.env['BENCH_AB_PARTS'];

/** The service a mode runs: the reference service, or the one with a realistic handler. */
type App = 'tenant-api' | 'realistic';

interface Mode {
  readonly name: string;
  /** Directory name of the mode's CPU profile, and how other modes refer to it. */
  readonly slug: string;
  readonly app: App;
  /** The mode whose service has no telemetry: ratios are to it. */
  readonly baseline: string;
  readonly nodeArgs: readonly string[];
  readonly env: (otlpUrl: string) => Promise<Record<string, string>>;
}

const TENANTRY = ['--import', '@tenantry/telemetry/register'];
const AUTO_INSTRUMENTATIONS = ['--import', fileURLToPath(new URL('./otel-defaults-register.mjs', import.meta.url))];
/** Every default instrumentation of @tenantry/telemetry, by the short name OTEL_NODE_DISABLED_INSTRUMENTATIONS takes. */
const ALL_INSTRUMENTATIONS = ['http', 'undici', 'pg', 'ioredis', 'redis', 'pino', 'express'];
/** Tenantry with only `kept` instrumentations on and no span exporter: one part of the cost model. */
const only = (...kept: string[]) => async (): Promise<Record<string, string>> => ({
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: ALL_INSTRUMENTATIONS.filter((name) => !kept.includes(name)).join(','),
  OTEL_TRACES_EXPORTER: 'none',
});
const otlp = (protocol?: string) => async (otlpUrl: string): Promise<Record<string, string>> => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
  OTEL_TRACES_EXPORTER: 'otlp',
  ...(protocol === undefined ? {} : { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }),
});
const autoInstrumentationsEnv = async (otlpUrl: string): Promise<Record<string, string>> => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
});
const disabled = async (): Promise<Record<string, string>> => ({ OTEL_SDK_DISABLED: 'true' });

const ALL_MODES: readonly Mode[] = [
  // The end-to-end table: what a user of each set-up gets.
  { name: 'none (OTEL_SDK_DISABLED=true)', slug: 'none', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: disabled },
  { name: 'auto-instrumentations defaults', slug: 'auto-instrumentations', app: 'tenant-api', baseline: 'none', nodeArgs: AUTO_INSTRUMENTATIONS, env: autoInstrumentationsEnv },
  { name: '@tenantry/telemetry, every trace sampled', slug: 'tenantry', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: otlp() },
  {
    name: '@tenantry/telemetry, 10% parent-based',
    slug: 'tenantry-sampled',
    app: 'tenant-api',
    baseline: 'none',
    nodeArgs: TENANTRY,
    env: async (otlpUrl) => ({ ...(await otlp()(otlpUrl)), OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
  },
  // The cost model: Tenantry taken apart, one part at a time (every trace sampled).
  { name: 'cost: context only (no instrumentation)', slug: 'context', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: only() },
  { name: 'cost: http only, no export', slug: 'http', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: only('http') },
  { name: 'cost: http + pg, no export', slug: 'http-pg', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: only('http', 'pg') },
  { name: 'cost: http + ioredis, no export', slug: 'http-ioredis', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: only('http', 'ioredis') },
  { name: 'cost: all, no export', slug: 'all-no-export', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: only(...ALL_INSTRUMENTATIONS) },
  { name: 'cost: all, OTLP http/json', slug: 'otlp-json', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: otlp('http/json') },
  { name: 'cost: all, OTLP http/protobuf', slug: 'otlp-protobuf', app: 'tenant-api', baseline: 'none', nodeArgs: TENANTRY, env: otlp('http/protobuf') },
  // A realistic handler: ~2 ms of CPU, a Redis read and two queries per request.
  { name: 'realistic handler: none', slug: 'realistic-none', app: 'realistic', baseline: 'realistic-none', nodeArgs: TENANTRY, env: disabled },
  { name: 'realistic handler: auto-instrumentations', slug: 'realistic-auto', app: 'realistic', baseline: 'realistic-none', nodeArgs: AUTO_INSTRUMENTATIONS, env: autoInstrumentationsEnv },
  { name: 'realistic handler: @tenantry/telemetry', slug: 'realistic-tenantry', app: 'realistic', baseline: 'realistic-none', nodeArgs: TENANTRY, env: otlp() },
];

const MODES = selectModes(process.env['BENCH_MODES']);

/** The modes BENCH_MODES names, with the ones their figures are computed from, in table order. */
function selectModes(list: string | undefined): readonly Mode[] {
  if (list === undefined || list.trim() === '') return ALL_MODES;
  const wanted = new Set(list.split(',').map((slug) => slug.trim()).filter((slug) => slug !== ''));
  const unknown = [...wanted].filter((slug) => !ALL_MODES.some((mode) => mode.slug === slug));
  if (unknown.length > 0) throw new Error(`BENCH_MODES names ${unknown.join(', ')}: no such mode (modes: ${ALL_MODES.map((m) => m.slug).join(', ')})`);
  // Each cost-model row needs the mode it is a difference from.
  const needs: Record<string, string> = { context: 'none', http: 'context', 'http-pg': 'http', 'http-ioredis': 'http', 'otlp-json': 'all-no-export', 'otlp-protobuf': 'all-no-export' };
  let grown = true;
  while (grown) {
    grown = false;
    for (const slug of [...wanted]) {
      const mode = ALL_MODES.find((m) => m.slug === slug);
      for (const required of [mode?.baseline, needs[slug]]) {
        if (required !== undefined && !wanted.has(required)) {
          wanted.add(required);
          grown = true;
        }
      }
    }
  }
  // The reference service migrates the database the realistic handler reads.
  if (!ALL_MODES.some((mode) => mode.app === 'tenant-api' && wanted.has(mode.slug))) wanted.add('none');
  return ALL_MODES.filter((mode) => wanted.has(mode.slug));
}

interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Service CPU time (user + system) per request, in microseconds. */
  readonly cpuMicrosecondsPerRequest: number;
  readonly requests: number;
  readonly errors: number;
  /** When the load ran, in microseconds of the monotonic clock V8's CPU profiles use too. */
  readonly window: readonly [number, number];
  /** Service CPU time during the load, in microseconds. */
  readonly cpuMicroseconds: number;
}

/** User + system CPU time of a process so far, in milliseconds (Linux /proc). */
function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(', ');
}

/** process.hrtime and V8's profile timestamps both read CLOCK_MONOTONIC. */
function monotonicMicroseconds(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function load(service: BenchService, requests: autocannon.Request[], seconds: number): Promise<Measurement> {
  const latencies: number[] = [];
  const pid = service.process.child.pid ?? 0;
  const cpuBefore = cpuTimeMs(pid);
  const startedAt = monotonicMicroseconds();
  // Every response time, not autocannon's summary: it has no p95.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: service.url, connections: CONNECTIONS, duration: seconds, requests }, (error, done) =>
      error ? reject(error as Error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const endedAt = monotonicMicroseconds();
  const cpu = cpuTimeMs(pid) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    cpuMicrosecondsPerRequest: (cpu / Math.max(1, result.requests.total)) * 1000,
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
    window: [startedAt, endedAt],
    cpuMicroseconds: cpu * 1000,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Starts the service with a realistic handler (bench/realistic-service.mjs) the way the reference service is started. */
async function startRealisticService(options: {
  databaseUrl: string;
  redisUrl: string;
  hashRounds: number;
  nodeArgs: readonly string[];
  env: Record<string, string>;
}): Promise<BenchService> {
  const prometheusPort = await freePort();
  const managed = startProcess(process.execPath, [...options.nodeArgs, fileURLToPath(new URL('./realistic-service.mjs', import.meta.url))], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: {
      ...process.env,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      TENANTRY_PROMETHEUS_PORT: String(prometheusPort),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      BENCH_HANDLER_HASH_ROUNDS: String(options.hashRounds),
      ...options.env,
    },
  });
  let url: string | undefined;
  await waitUntilReady('the realistic-handler service', managed, async () => {
    url = /tenant-api listening on (http:\/\/\S+)/.exec(managed.output())?.[1];
    return url !== undefined;
  });
  if (url === undefined) throw new Error(`the realistic-handler service printed no address:\n${managed.output()}`);
  return { url, port: Number(new URL(url).port), prometheusPort, process: managed, stop: () => managed.stop() };
}

async function main(): Promise<void> {
  const micro = await measureMicroCosts(catalog.tenants.map((t) => t.id));
  // The http/json mode exports to a receiver that keeps spans, to count spans per request.
  const [postgres, redis, sink, countingSink] = await Promise.all([
    startPostgres(),
    startRedis(),
    startOtlpReceiver({ keepSpans: false }),
    startOtlpReceiver({ keepSpans: true }),
  ]);
  const services: BenchService[] = [];
  // The first reference service: it seeds the rows and signs every request's token.
  let reference: TenantApiProcess | undefined;
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
    // Calibrated once here, so every realistic-handler mode does the same work per request.
    const handlerHashRounds = calibrateHashRounds(HANDLER_CPU_MS);
    for (const mode of MODES) {
      const profile = CPU_PROFILE_DIR === undefined ? [] : ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${join(resolve(CPU_PROFILE_DIR), mode.slug)}`];
      const env = { ...shared, ...(await mode.env(mode.slug === COUNTED_MODE ? countingSink.url : sink.url)) };
      const nodeArgs = [...profile, ...mode.nodeArgs];
      // The reference service migrates on start; the realistic one is started after it.
      if (mode.app === 'tenant-api') {
        const service = await startTenantApiProcess({ ...common, nodeArgs, env });
        reference ??= service;
        services.push(service);
      } else {
        services.push(await startRealisticService({ databaseUrl: common.databaseUrl, redisUrl: common.redisUrl, hashRounds: handlerHashRounds, nodeArgs, env }));
      }
    }

    const requests: Record<App, autocannon.Request[]> = { 'tenant-api': [], realistic: [] };
    const first = reference;
    if (first === undefined) throw new Error(`no reference service started (modes: ${MODES.map((m) => m.name).join(', ')})`);
    for (const { id: tenant, host } of TENANT_HOSTS) {
      let id = '';
      for (let i = 0; i < PROJECTS_PER_TENANT; i++) {
        const created = await requestTenantApi(first.url, host, 'POST', '/api/projects', { name: `${tenant} project ${i}` }, first.authorization(tenant));
        id = (created.body as { id: string }).id;
      }
      const headers = { host, ...first.authorization(tenant) };
      requests['tenant-api'].push({ method: 'GET', path: '/api/projects', headers }, { method: 'GET', path: `/api/projects/${id}`, headers });
      requests.realistic.push({ method: 'GET', path: '/api/report', headers });
    }

    process.stdout.write(`warm-up ${WARM_UP_SECONDS}s each, then ${ROUNDS} rounds x ${DURATION_SECONDS}s x ${CONNECTIONS} connections per mode (${MODES.length} modes)\n`);
    const loadAtStart = loadAverage();
    const served = MODES.map(() => 0);
    const loadMode = async (index: number, seconds: number): Promise<Measurement | undefined> => {
      const service = services[index];
      const mode = MODES[index];
      if (service === undefined || mode === undefined) return undefined;
      const measurement = await load(service, requests[mode.app], seconds);
      served[index] = (served[index] ?? 0) + measurement.requests;
      return measurement;
    };
    for (let index = 0; index < MODES.length; index++) await loadMode(index, WARM_UP_SECONDS);
    const rounds = MODES.map((): Measurement[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < MODES.length; k++) {
        const index = (round + k) % MODES.length; // rotate the order every round
        const measurement = await loadMode(index, DURATION_SECONDS);
        if (measurement === undefined) continue;
        rounds[index]?.push(measurement);
        process.stdout.write(
          `  round ${round + 1} ${MODES[index]?.name}: ${measurement.requestsPerSecond.toFixed(0)} req/s, p95 ${measurement.p95.toFixed(2)} ms, ${measurement.cpuMicrosecondsPerRequest.toFixed(0)} µs CPU/req\n`,
        );
      }
    }
    if (CPU_PROFILE_DIR !== undefined) writeLoadWindows(CPU_PROFILE_DIR, rounds);
    if (AB_PARTS !== undefined && AB_PARTS !== '') {
      await measureSwitched(AB_PARTS, { ...common, env: { ...shared, ...(await otlp()(sink.url)) } }, requests['tenant-api']);
    }
    // Stopping flushes the counted service's last spans.
    const countedIndex = MODES.findIndex((m) => m.slug === COUNTED_MODE);
    await services[countedIndex]?.stop();
    const spansPerRequest = countingSink.spans().length / Math.max(1, served[countedIndex] ?? 0);
    printEndToEnd(rounds);
    printCostModel(rounds, micro, spansPerRequest);
    // Figures from a machine others load are stretched: say how loaded it was.
    process.stdout.write(`load average (1, 5, 15 min) at the first round: ${loadAtStart}; at the end: ${loadAverage()} (${cpus().length} cores)\n`);
  } finally {
    await Promise.allSettled(services.map((s) => s.stop()));
    await Promise.allSettled([sink.stop(), countingSink.stop(), redis.stop(), postgres.stop()]);
  }
}

interface SwitchedPhases {
  readonly parts: readonly string[];
  readonly on: { readonly cpuMicroseconds: number; readonly requests: number };
  readonly off: { readonly cpuMicroseconds: number; readonly requests: number };
}

/**
 * Loads a Tenantry service in which telemetry-ab-toggle.mjs switches `parts` off and on,
 * and prints the CPU per request of each phase and their difference.
 */
async function measureSwitched(parts: string, options: { databaseUrl: string; migrationDatabaseUrl: string; redisUrl: string; tokenKeys: Awaited<ReturnType<typeof generateTokenKeys>>; env: Record<string, string> }, requests: autocannon.Request[]): Promise<void> {
  const out = join(mkdtempSync(join(tmpdir(), 'tenantry-ab-')), 'phases.json');
  const service = await startTenantApiProcess({
    ...options,
    nodeArgs: [...TENANTRY, '--import', fileURLToPath(new URL('./telemetry-ab-toggle.mjs', import.meta.url))],
    env: {
      ...options.env,
      TENANTRY_AB_PARTS: parts,
      TENANTRY_AB_OUT: out,
      TENANTRY_AB_WARM_UP_MS: String(WARM_UP_SECONDS * 1000),
      TENANTRY_AB_REQUIRE_FROM: fileURLToPath(new URL('../examples/tenant-api/package.json', import.meta.url)),
    },
  });
  try {
    process.stdout.write(`switching ${parts} off and on inside one service: ${WARM_UP_SECONDS}s warm-up, then ${ROUNDS * DURATION_SECONDS}s\n`);
    await load(service, requests, WARM_UP_SECONDS + ROUNDS * DURATION_SECONDS);
  } finally {
    await service.stop();
  }
  const phases = JSON.parse(readFileSync(out, 'utf8')) as SwitchedPhases;
  const perRequest = (phase: SwitchedPhases['on']): number => phase.cpuMicroseconds / Math.max(1, phase.requests);
  const on = perRequest(phases.on);
  const off = perRequest(phases.off);
  const rows = [
    [`${parts} on`, on.toFixed(1), String(phases.on.requests)],
    [`${parts} off`, off.toFixed(1), String(phases.off.requests)],
    ['difference: what they cost', (on - off).toFixed(1), ''],
  ];
  process.stdout.write(`\nSwitched in one process (every 250 ms; CPU µs per request, export included)\n${table(['phase', 'CPU µs/req', 'requests'], rows)}`);
}

/** Next to each mode's CPU profile: when its measured rounds ran, and what they cost (read by telemetry-profile.ts). */
function writeLoadWindows(directory: string, rounds: readonly Measurement[][]): void {
  MODES.forEach((mode, index) => {
    const measurements = rounds[index] ?? [];
    const windows: LoadWindows = {
      mode: mode.name,
      windows: measurements.map((m) => m.window),
      cpuMicroseconds: measurements.reduce((sum, m) => sum + m.cpuMicroseconds, 0),
      requests: measurements.reduce((sum, m) => sum + m.requests, 0),
    };
    const modeDirectory = join(resolve(directory), mode.slug);
    mkdirSync(modeDirectory, { recursive: true });
    writeFileSync(join(modeDirectory, LOAD_WINDOWS_FILE), JSON.stringify(windows));
  });
}

/** The mode whose spans are counted (its exporter speaks JSON, which the test receiver parses). */
const COUNTED_MODE = 'otlp-json';

type Metric = 'requestsPerSecond' | 'p50' | 'p95' | 'p99' | 'cpuMicrosecondsPerRequest';

const indexOf = (slug: string): number => MODES.findIndex((m) => m.slug === slug);

/** Median over the rounds of the value. */
const value = (measurements: readonly Measurement[], metric: Metric): number => median(measurements.map((m) => m[metric]));

/** Median over the rounds of `combine(measurement, other mode's measurement in the same round)`. */
function paired(rounds: readonly Measurement[][], slug: string, otherSlug: string, combine: (m: Measurement, other: Measurement) => number): number {
  const other = rounds[indexOf(otherSlug)] ?? [];
  return median((rounds[indexOf(slug)] ?? []).flatMap((m, round) => (other[round] === undefined ? [] : [combine(m, other[round])])));
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return `${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`;
}

function printEndToEnd(rounds: readonly Measurement[][]): void {
  const ratio = (slug: string, baseline: string, metric: Metric): string => `${paired(rounds, slug, baseline, (m, b) => m[metric] / b[metric]).toFixed(2)}x`;
  const rows = MODES.map((mode, i) => {
    const measurements = rounds[i] ?? [];
    return [
      mode.name,
      value(measurements, 'requestsPerSecond').toFixed(0),
      ratio(mode.slug, mode.baseline, 'requestsPerSecond'),
      value(measurements, 'p50').toFixed(2),
      ratio(mode.slug, mode.baseline, 'p50'),
      value(measurements, 'p95').toFixed(2),
      ratio(mode.slug, mode.baseline, 'p95'),
      value(measurements, 'p99').toFixed(2),
      ratio(mode.slug, mode.baseline, 'p99'),
      value(measurements, 'cpuMicrosecondsPerRequest').toFixed(0),
      ratio(mode.slug, mode.baseline, 'cpuMicrosecondsPerRequest'),
      String(measurements.reduce((sum, m) => sum + m.errors, 0)),
    ];
  });
  const header = ['mode', 'req/s', 'ratio', 'p50 ms', 'ratio', 'p95 ms', 'ratio', 'p99 ms', 'ratio', 'CPU µs/req', 'ratio', 'errors'];
  process.stdout.write(`\nEnd to end\n${table(header, rows)}`);
  process.stdout.write(`values: median of ${ROUNDS} rounds; ratios: median of the per-round ratios to the service's run without telemetry\n`);
}

function printCostModel(rounds: readonly Measurement[][], micro: readonly MicroCost[], spansPerRequest: number): void {
  /** CPU µs per request that `slug` adds over `base`: median of the per-round differences. */
  const added = (slug: string, base: string): number => paired(rounds, slug, base, (m, b) => m.cpuMicrosecondsPerRequest - b.cpuMicrosecondsPerRequest);
  const floor = micro.find((m) => m.part.startsWith('floor'))?.microseconds ?? Number.NaN;
  const rows: [string, number, string][] = [
    ['context propagation alone (AsyncLocalStorage, tenant slot)', added('context', 'none'), 'service: context only - none'],
    ['http server instrumentation (server span + metric record)', added('http', 'context'), 'service: http - context only'],
    ['pg instrumentation (its spans)', added('http-pg', 'http'), 'service: http + pg - http'],
    ['ioredis instrumentation (its span)', added('http-ioredis', 'http'), 'service: http + ioredis - http'],
    ['every default instrumentation, spans not exported', added('all-no-export', 'none'), 'service: all, no export - none'],
    ['export, OTLP http/json', added('otlp-json', 'all-no-export'), 'service: json - all, no export'],
    ['export, OTLP http/protobuf', added('otlp-protobuf', 'all-no-export'), 'service: protobuf - all, no export'],
    ...micro.map((m): [string, number, string] => [m.part, m.microseconds, 'in-process loop']),
    ['@tenantry/telemetry, every trace sampled', added('tenantry', 'none'), 'service: end to end - none'],
    ['@tenantry/telemetry, 10% parent-based', added('tenantry-sampled', 'none'), 'service: end to end - none'],
    ['plain auto-instrumentations', added('auto-instrumentations', 'none'), 'service: end to end - none'],
  ];
  const header = ['part', 'CPU µs/req', 'x floor', 'how'];
  // In-process parts can be well under a microsecond: two decimals there.
  const body = rows.map(([part, us, how]) => [part, us.toFixed(Math.abs(us) < 1 ? 2 : 1), (us / floor).toFixed(1), how]);
  process.stdout.write(`\nCost model (CPU µs per request; service rows: median of the per-round differences)\n${table(header, body)}`);
  process.stdout.write(`spans per request (OTLP http/json mode, counted at the receiver): ${spansPerRequest.toFixed(2)}\n`);
  process.stdout.write(`Tenantry's added CPU / plain auto-instrumentations' added CPU: ${(added('tenantry', 'none') / added('auto-instrumentations', 'none')).toFixed(2)}\n`);
}

await main();
