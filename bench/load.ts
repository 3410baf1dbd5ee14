/**
 * `npm run bench:load`: the reference service on real PostgreSQL and Redis, driven at
 * increasing rates by real k6 (when there is one: `K6_BIN` or `k6` on PATH) and by the
 * local driver, one after the other at every rate, against the same service. Prints, per
 * rate: each generator's achieved rate, p50/p95/p99 per tenant side by side, the driver's
 * p95/p99 as a ratio of k6's, the generators' own CPU and the CPU of the service,
 * PostgreSQL and Redis; then the highest rate at which every tenant held its budgets,
 * for each generator (the published capacity is k6's).
 *
 *   BENCH_RATES=50,100,200,300,400 BENCH_STEP_SECONDS=15 npm run bench:load
 *   BENCH_CPU_PROFILE=/tmp/prof BENCH_RATES=300 npm run bench:load   # + the service's CPU profile
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLoadTests } from '../loadtests/build.js';
import { describeGeneratorUsage, passed, runLoad, tenantsFromCatalog, type TenantRow } from '../loadtests/driver/index.js';
import { SUMMARY_VERDICT, type LoadTestVerdict } from '../loadtests/src/report/summary-files.js';
import { findK6, K6_MISSING_MESSAGE, runK6 } from '../testing/k6.js';
import { startPostgres } from '../testing/postgres.js';
import { startRedis } from '../testing/redis.js';
import { startTenantApiProcess } from '../testing/tenant-api.js';
import { summarizeCpuProfile } from './cpu-profile-summary.js';
import { findPid, processTreeCpuSeconds } from './process-cpu.js';

const rates = (process.env['BENCH_RATES'] ?? '50,100,200,300,400').split(',').map(Number);
const stepSeconds = Number(process.env['BENCH_STEP_SECONDS'] ?? '15');
const profileDirectory = process.env['BENCH_CPU_PROFILE'];
if (rates.some((r) => !(r >= 1)) || !(stepSeconds >= 5)) {
  console.error(`BENCH_RATES (${process.env['BENCH_RATES']}) must list rates >= 1 and BENCH_STEP_SECONDS (${process.env['BENCH_STEP_SECONDS']}) must be >= 5`);
  process.exit(2);
}

type Generator = 'k6' | 'driver';

interface Sample {
  readonly generator: Generator;
  readonly rate: number;
  readonly achievedRate: number;
  readonly rows: readonly TenantRow[];
  /** Every threshold held (k6 exit 0; the driver: every tenant passed, nothing dropped). */
  readonly withinBudget: boolean;
  /** CPU of the load generator, in cores (1.0 = one full core). */
  readonly generatorCores: number | undefined;
  readonly generatorNote: string;
  readonly serviceCores: number | undefined;
  readonly postgresCores: number | undefined;
  readonly redisCores: number | undefined;
  readonly loadAverage: number;
}

const k6 = findK6();
console.log(k6 ? `k6: ${k6.path} (${k6.version})` : K6_MISSING_MESSAGE);
const file = tenantsFromCatalog();
const work = mkdtempSync(join(tmpdir(), 'tenantry-bench-load-'));
const { script } = await buildLoadTests({ outputDirectory: work, environment: file.environment });
const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });
const api = await startTenantApiProcess({
  databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'login-secret'),
  migrationDatabaseUrl: postgres.url,
  redisUrl: redis.url,
  env: { TENANTRY_ENV: file.environment },
  ...(profileDirectory ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDirectory, '--import', '@tenantry/telemetry/register'] } : {}),
});
// Once the harness issues tokens (the service then requires them), both generators send them.
const tokens = 'tokens' in api && typeof api.tokens === 'object' && api.tokens !== null ? (api.tokens as Readonly<Record<string, string>>) : undefined;
const tokensFile = 'tokensFile' in api && typeof api.tokensFile === 'string' ? api.tokensFile : undefined;
const pids = {
  service: api.process.child.pid,
  postgres: findPid((command) => /\/postgres -D /.test(command) && command.includes(` -p ${postgres.port} `)),
  redis: findPid((command) => command.startsWith('redis-server') && command.includes(`:${redis.port}`)),
};

/** Runs `measure` and returns its result with the CPU the service, PostgreSQL and Redis used meanwhile, in cores. */
async function withServerCpu<T extends { wallSeconds: number }>(measure: () => Promise<T>): Promise<T & { service?: number; postgres?: number; redis?: number }> {
  const before = { service: processTreeCpuSeconds(pids.service), postgres: processTreeCpuSeconds(pids.postgres), redis: processTreeCpuSeconds(pids.redis) };
  const result = await measure();
  const cores = (name: keyof typeof before): number | undefined => {
    const start = before[name];
    const end = processTreeCpuSeconds(pids[name]);
    return start === undefined || end === undefined ? undefined : (end - start) / result.wallSeconds;
  };
  return { ...result, service: cores('service'), postgres: cores('postgres'), redis: cores('redis') };
}

async function k6Step(rate: number): Promise<Sample | undefined> {
  if (!k6) return undefined;
  const summaryDirectory = mkdtempSync(join(work, `k6-${rate}-`));
  const run = await withServerCpu(() =>
    runK6(k6, script, {
      PROFILE: 'load',
      BASE_URL: api.url,
      RATE: String(rate),
      DURATION: `${stepSeconds}s`,
      SUMMARY_DIR: summaryDirectory,
      ...(tokensFile ? { TENANTRY_TOKENS: tokensFile } : {}),
    }),
  );
  let verdict: LoadTestVerdict;
  try {
    verdict = JSON.parse(readFileSync(join(summaryDirectory, SUMMARY_VERDICT), 'utf8')) as LoadTestVerdict;
  } catch {
    throw new Error(`k6 wrote no ${SUMMARY_VERDICT} at ${rate}/s (exit ${run.exitCode}):\n${run.output.slice(-4000)}`);
  }
  const sent = verdict.tenants.reduce((sum, row) => sum + row.requests, 0);
  return {
    generator: 'k6',
    rate,
    achievedRate: sent / stepSeconds,
    rows: verdict.tenants,
    withinBudget: run.exitCode === 0,
    generatorCores: run.cpuSeconds === undefined ? undefined : run.cpuSeconds / run.wallSeconds,
    generatorNote: run.exitCode === 0 ? '' : `exit ${run.exitCode}: ${verdict.crossedThresholds.map((t) => `${t.metric} ${t.expression}`).join('; ')}`,
    serviceCores: run.service,
    postgresCores: run.postgres,
    redisCores: run.redis,
    loadAverage: loadavg()[0] ?? 0,
  };
}

async function driverStep(rate: number): Promise<Sample> {
  const started = performance.now();
  const run = await withServerCpu(async () => {
    const result = await runLoad({ baseUrl: api.url, rate, durationSeconds: stepSeconds, tenants: file.tenants, ...(tokens ? { tokens } : {}) });
    return { result, wallSeconds: (performance.now() - started) / 1000 };
  });
  const { result } = run;
  return {
    generator: 'driver',
    rate,
    achievedRate: result.achievedRate,
    rows: result.rows,
    withinBudget: result.keptPace && result.rows.every(passed),
    generatorCores: result.generator.cpuShareOfOneCore,
    generatorNote: describeGeneratorUsage(result.generator) + (result.keptPace ? '' : `; dropped ${result.dropped}`),
    serviceCores: run.service,
    postgresCores: run.postgres,
    redisCores: run.redis,
    loadAverage: loadavg()[0] ?? 0,
  };
}

const samples: Sample[] = [];
try {
  console.log(`reference service ${api.url} (${file.tenants.length} tenants of ${file.environment}); ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  await runLoad({ baseUrl: api.url, rate: 20, durationSeconds: 3, tenants: file.tenants, ...(tokens ? { tokens } : {}) }); // warm-up: pools, caches, JIT
  for (const rate of rates) {
    console.log(`\n### ${rate} requests/s for ${stepSeconds} s\n`);
    const k6Sample = await k6Step(rate);
    if (k6Sample) samples.push(k6Sample);
    const driverSample = await driverStep(rate);
    samples.push(driverSample);
    console.log(sideBySide(k6Sample, driverSample));
    for (const s of [k6Sample, driverSample]) if (s?.generatorNote) console.log(`${s.generator}: ${s.generatorNote}`);
    // One more rate after the first failure of the reference generator shows the trend.
    const reference: Generator = k6 ? 'k6' : 'driver';
    if (samples.filter((s) => s.generator === reference && !s.withinBudget).length >= 2) break;
  }
} finally {
  await api.stop();
  await Promise.all([redis.stop(), postgres.stop()]);
  rmSync(work, { recursive: true, force: true });
}

console.log('\n### Summary (figures from a shared, loaded machine: compare within a run)\n');
console.log('| Rate/s | Generator | Achieved/s | Worst p95/budget (tenant) | Driver/k6 p95 (range) | Driver/k6 p99 (range) | Generator CPU (cores) | Service CPU | PostgreSQL CPU | Redis CPU | Load avg | Every tenant within budget |');
console.log('|-------:|-----------|-----------:|--------------------------:|----------------------:|----------------------:|----------------------:|------------:|---------------:|----------:|---------:|----------------------------|');
for (const s of samples) {
  const worst = s.rows.reduce((w, r) => ((r.p95Ms ?? Infinity) / r.p95BudgetMs > w.ratio ? { tenant: r.tenant, ratio: (r.p95Ms ?? Infinity) / r.p95BudgetMs } : w), { tenant: '-', ratio: 0 });
  const k6Sample = samples.find((o) => o.generator === 'k6' && o.rate === s.rate);
  const agreement = s.generator === 'driver' && k6Sample ? ratios(k6Sample.rows, s.rows) : undefined;
  console.log(
    `| ${s.rate} | ${s.generator} | ${s.achievedRate.toFixed(1)} | ${worst.ratio.toFixed(2)} (${worst.tenant}) | ${agreement ? range(agreement.p95) : ''} | ${agreement ? range(agreement.p99) : ''} | ${cores(s.generatorCores)} | ${cores(s.serviceCores)} | ${cores(s.postgresCores)} | ${cores(s.redisCores)} | ${s.loadAverage.toFixed(1)} | ${s.withinBudget ? 'yes' : 'no'} |`,
  );
}
for (const generator of ['k6', 'driver'] as const) {
  const held = samples.filter((s) => s.generator === generator && s.withinBudget).map((s) => s.rate);
  if (!samples.some((s) => s.generator === generator)) continue;
  console.log(
    held.length > 0
      ? `Highest rate with every tenant within budget, ${generator}: ${Math.max(...held)} requests/s${generator === 'k6' ? ' (the published capacity)' : ''}`
      : `No tested rate kept every tenant within budget under ${generator}`,
  );
}
if (profileDirectory) {
  // One file per thread: `…<pid>.0.<n>.cpuprofile` is the main thread (the others belong to the --import loader worker).
  const profiles = readdirSync(profileDirectory).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f)).sort();
  const newest = profiles.at(-1);
  if (newest) {
    const summary = summarizeCpuProfile(join(profileDirectory, newest));
    console.log(`\n### Service CPU profile (${newest}: ${summary.samples} samples, busy ${(summary.busyShare * 100).toFixed(0)}%)\n`);
    console.log('| Where | Share of samples |\n|-------|-----------------:|');
    for (const p of summary.byPackage) console.log(`| ${p.name} | ${(p.share * 100).toFixed(1)}% |`);
    console.log('\n| Function (self time) | Share of samples |\n|----------------------|-----------------:|');
    for (const f of summary.topFunctions) console.log(`| ${f.name} | ${(f.share * 100).toFixed(1)}% |`);
  } else {
    console.log(`\nno .cpuprofile in ${profileDirectory}: the service did not exit cleanly`);
  }
}

/** Per tenant, driver p95 and p99 over k6's. */
function ratios(reference: readonly TenantRow[], other: readonly TenantRow[]): { p95: number[]; p99: number[] } {
  const pairs = reference.map((r) => [r, other.find((o) => o.tenant === r.tenant)] as const);
  const ratio = (a: number | undefined, b: number | undefined): number => (a && b ? b / a : Number.NaN);
  return { p95: pairs.map(([r, o]) => ratio(r.p95Ms, o?.p95Ms)), p99: pairs.map(([r, o]) => ratio(r.p99Ms, o?.p99Ms)) };
}

function range(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? '-' : `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}`;
}

function cores(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(2);
}

/** Per tenant: k6's and the driver's p50/p95/p99 and the driver/k6 ratios. */
function sideBySide(k6Sample: Sample | undefined, driverSample: Sample): string {
  const ms = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(1));
  const lines = [
    `achieved: ${k6Sample ? `k6 ${k6Sample.achievedRate.toFixed(1)}/s, ` : ''}driver ${driverSample.achievedRate.toFixed(1)}/s`,
    '',
    '| Tenant | Budget p95 | k6 p50 | k6 p95 | k6 p99 | driver p50 | driver p95 | driver p99 | driver/k6 p95 | driver/k6 p99 |',
    '|--------|-----------:|-------:|-------:|-------:|-----------:|-----------:|-----------:|--------------:|--------------:|',
  ];
  for (const row of driverSample.rows) {
    const ref = k6Sample?.rows.find((r) => r.tenant === row.tenant);
    const r95 = ref?.p95Ms && row.p95Ms ? (row.p95Ms / ref.p95Ms).toFixed(2) : '-';
    const r99 = ref?.p99Ms && row.p99Ms ? (row.p99Ms / ref.p99Ms).toFixed(2) : '-';
    lines.push(`| ${row.tenant} | ${row.p95BudgetMs} | ${ms(ref?.p50Ms)} | ${ms(ref?.p95Ms)} | ${ms(ref?.p99Ms)} | ${ms(row.p50Ms)} | ${ms(row.p95Ms)} | ${ms(row.p99Ms)} | ${r95} | ${r99} |`);
  }
  return lines.join('\n');
}
