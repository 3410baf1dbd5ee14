/**
 * `npm run bench:load`: the reference service on real PostgreSQL and Redis, driven at
 * increasing rates by real k6 (when there is one: `K6_BIN` or `k6` on PATH) and by the
 * local driver, against the same service. At every rate the two alternate in short
 * slices (k6, driver, driver, k6, …), so that drift over time (caches, table growth, other
 * work on the machine) falls on both alike, and each generator's slices are pooled per
 * tenant: a step lasts long enough for the smallest tenant to get BENCH_MIN_ANSWERS answers
 * from each generator. Every tenant's project list is filled before the first slice, so
 * the list route answers full pages throughout.
 *
 * Prints, per rate: per-tenant answers and p50/p95/p99 of both, driver/k6 ratios (marked
 * where too few answers make a percentile no statistic), the generators' CPU, the CPU of
 * the service, PostgreSQL and Redis, the service's event-loop delay and how busy its
 * PostgreSQL pool was; then the highest rate at which every tenant held its budgets under
 * each generator (the published capacity is k6's). It stops one rate after the second
 * rate k6 (or, without k6, the driver) fails.
 *
 *   K6_BIN=/path/to/k6 npm run bench:load
 *   BENCH_RATES=300,400 BENCH_MIN_ANSWERS=100 BENCH_POOL_SIZE=20 npm run bench:load
 *   BENCH_CPU_PROFILE=/tmp/prof BENCH_RATES=500 npm run bench:load   # + the service's CPU profile
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLoadTests } from '../loadtests/build.js';
import { describeGeneratorUsage, runLoad, tenantsFromCatalog } from '../loadtests/driver/index.js';
import { splitRate } from '../loadtests/src/rates.js';
import { findK6, K6_MISSING_MESSAGE, runK6 } from '../testing/k6.js';
import { startPostgres } from '../testing/postgres.js';
import { startRedis } from '../testing/redis.js';
import { startTenantApiProcess } from '../testing/tenant-api.js';
import { summarizeCpuProfile } from './cpu-profile-summary.js';
import { addSlice, describeRatios, fromSendP95Ratios, judgePooled, ratios, tenantComparisonTable, type Generator, type PooledStep, type PooledTenant } from './load-comparison.js';
import { k6SamplesFromCsv } from './load-k6-samples.js';
import { fillProjectLists } from './load-project-lists.js';
import { eventLoopDelayBetween, PoolOccupancySampler, type EventLoopDelay } from './load-service-probes.js';
import { findPid, processTreeCpuSeconds } from './process-cpu.js';

const HELP = `Usage: [K6_BIN=/path/to/k6] npm run bench:load

Environment:
  BENCH_RATES         total requests/s to step through (default 50,100,200,300,400,500,600,800)
  BENCH_MIN_ANSWERS   answers the smallest tenant gets from each generator per rate (default 300)
  BENCH_SLICES        alternating slices per generator and rate, even (default 4)
  BENCH_STEP_SECONDS  seconds of load per generator and rate, instead of BENCH_MIN_ANSWERS
  BENCH_POOL_SIZE     the service's DATABASE_POOL_SIZE (default 10, the service's default)
  BENCH_CPU_PROFILE   directory for the service's --cpu-prof profile, summarized at the end
`;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}

/** Shortest slice: k6 starts its VUs in about a second, which a slice must dwarf. */
const MIN_SLICE_SECONDS = 5;
/** Shortest step per generator, whatever the smallest tenant's rate. */
const MIN_STEP_SECONDS = 20;
/** k6's start and stop around each slice, for the duration estimate. */
const K6_OVERHEAD_SECONDS = 2;

const setting = (name: string, fallback: string): string => process.env[name] || fallback;
const rates = setting('BENCH_RATES', '50,100,200,300,400,500,600,800').split(',').map(Number);
const minAnswers = Number(setting('BENCH_MIN_ANSWERS', '300'));
const slices = Number(setting('BENCH_SLICES', '4'));
const fixedStepSeconds = process.env['BENCH_STEP_SECONDS'] ? Number(process.env['BENCH_STEP_SECONDS']) : undefined;
const poolSize = Number(setting('BENCH_POOL_SIZE', '10'));
const profileDirectory = process.env['BENCH_CPU_PROFILE'];
const problems = [
  rates.some((r) => !(r >= 1)) && `BENCH_RATES=${process.env['BENCH_RATES']} must list rates >= 1, e.g. 100,200,300`,
  !(minAnswers >= 1) && `BENCH_MIN_ANSWERS=${process.env['BENCH_MIN_ANSWERS']} must be a number >= 1`,
  !(Number.isInteger(slices) && slices >= 2 && slices % 2 === 0) && `BENCH_SLICES=${process.env['BENCH_SLICES']} must be an even whole number >= 2`,
  fixedStepSeconds !== undefined && !(fixedStepSeconds >= MIN_SLICE_SECONDS * slices) && `BENCH_STEP_SECONDS=${fixedStepSeconds} must be at least ${MIN_SLICE_SECONDS} × BENCH_SLICES`,
  !(Number.isInteger(poolSize) && poolSize >= 1) && `BENCH_POOL_SIZE=${process.env['BENCH_POOL_SIZE']} must be a whole number >= 1`,
].filter((p): p is string => typeof p === 'string');
if (problems.length > 0) {
  console.error(`bench:load: ${problems.join('; ')}\n\n${HELP}`);
  process.exit(2);
}

const k6 = findK6();
const file = tenantsFromCatalog();
const tenantIds = file.tenants.map((t) => t.id);

/** Seconds of each slice at `rate`: the step is long enough for the smallest tenant's answers. */
function sliceSecondsAt(rate: number): number {
  const { rates: perUnit, timeUnitSeconds } = splitRate(rate, file.tenants.map((t) => t.weight));
  const smallestPerSecond = Math.min(...perUnit) / timeUnitSeconds;
  const stepSeconds = fixedStepSeconds ?? Math.max(MIN_STEP_SECONDS, minAnswers / smallestPerSecond);
  return Math.max(MIN_SLICE_SECONDS, timeUnitSeconds, Math.ceil(stepSeconds / slices));
}

const generators: readonly Generator[] = k6 ? ['k6', 'driver'] : ['driver'];
const plannedSeconds = rates.reduce((sum, rate) => sum + generators.length * slices * sliceSecondsAt(rate) + (k6 ? slices * K6_OVERHEAD_SECONDS : 0), 60);
console.log(k6 ? `k6: ${k6.path} (${k6.version})` : K6_MISSING_MESSAGE);
console.log(
  `rates ${rates.join(', ')}/s; ${slices} alternating slices per generator and rate; smallest tenant ≥ ${fixedStepSeconds ? `${fixedStepSeconds} s` : `${minAnswers} answers`} per generator and rate; ` +
    `DATABASE_POOL_SIZE=${poolSize}. At most about ${Math.ceil(plannedSeconds / 60)} min (less when k6 fails two rates early).`,
);

const work = mkdtempSync(join(tmpdir(), 'tenantry-bench-load-'));
const eventLoopFile = join(work, 'event-loop.jsonl');
const { script } = await buildLoadTests({ outputDirectory: work, environment: file.environment });
const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });
const eventLoopHook = fileURLToPath(new URL('./event-loop-delay-register.mjs', import.meta.url));
const api = await startTenantApiProcess({
  databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'login-secret'),
  migrationDatabaseUrl: postgres.url,
  redisUrl: redis.url,
  env: { TENANTRY_ENV: file.environment, DATABASE_POOL_SIZE: String(poolSize), TENANTRY_BENCH_EVENT_LOOP_FILE: eventLoopFile },
  nodeArgs: [...(profileDirectory ? ['--cpu-prof', '--cpu-prof-dir', profileDirectory] : []), '--import', '@tenantry/telemetry/register', '--import', eventLoopHook],
});
const pids = {
  service: api.process.child.pid,
  postgres: findPid((command) => /\/postgres -D /.test(command) && command.includes(` -p ${postgres.port} `)),
  redis: findPid((command) => command.startsWith('redis-server') && command.includes(`:${redis.port}`)),
};
const pool = await PoolOccupancySampler.start(postgres.url, 'tenant_api_login', poolSize);

/** One generator's slices of one rate, added up. */
interface Step {
  readonly generator: Generator;
  readonly rate: number;
  readonly pooled: Map<string, PooledTenant>;
  seconds: number;
  wallSeconds: number;
  generatorCpuSeconds: number | undefined;
  serviceCpuSeconds: number | undefined;
  postgresCpuSeconds: number | undefined;
  redisCpuSeconds: number | undefined;
  /** The worst slice's event-loop delay p99, and the largest delay of any slice. */
  eventLoop: EventLoopDelay | undefined;
  poolBusySum: number;
  poolFullSum: number;
  poolSamples: number;
  readonly notes: string[];
}

interface Slice {
  readonly samples: ReadonlyMap<string, PooledTenant>;
  readonly generatorCpuSeconds: number | undefined;
  readonly note: string;
}

async function k6Slice(rate: number, seconds: number, index: number): Promise<Slice> {
  if (!k6) throw new Error('k6Slice without k6');
  const csv = join(work, `k6-${rate}-${index}.csv`);
  const summaryDirectory = mkdtempSync(join(work, `k6-${rate}-${index}-`));
  const run = await runK6(
    k6,
    script,
    { PROFILE: 'load', BASE_URL: api.url, RATE: String(rate), DURATION: `${seconds}s`, SUMMARY_DIR: summaryDirectory, TENANTRY_TOKENS: api.tokensFile },
    { flags: ['--out', `csv=${csv}`] },
  );
  let text: string;
  try {
    text = readFileSync(csv, 'utf8');
  } catch {
    throw new Error(`k6 wrote no ${csv} at ${rate}/s (exit ${run.exitCode}):\n${run.output.slice(-4000)}`);
  }
  rmSync(csv);
  return { samples: k6SamplesFromCsv(text, tenantIds, csv), generatorCpuSeconds: run.cpuSeconds, note: `exit ${run.exitCode}` };
}

async function driverSlice(rate: number, seconds: number): Promise<Slice> {
  const result = await runLoad({ baseUrl: api.url, rate, durationSeconds: seconds, tenants: file.tenants, tokens: api.tokens });
  return {
    samples: new Map(tenantIds.map((id, index) => [id, result.samples[index] ?? { latenciesMs: [], errors: 0, unanswered: 0, dropped: 0 }])),
    generatorCpuSeconds: result.generator.cpuSeconds,
    note: describeGeneratorUsage(result.generator),
  };
}

const add = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a + b);

/** Runs one slice and adds it, with the service's CPU, loop delay and pool occupancy meanwhile, to `step`. */
async function runSlice(step: Step, seconds: number, index: number): Promise<string> {
  const cpuBefore = { service: processTreeCpuSeconds(pids.service), postgres: processTreeCpuSeconds(pids.postgres), redis: processTreeCpuSeconds(pids.redis) };
  pool.take();
  const fromMs = Date.now();
  const started = performance.now();
  const slice = step.generator === 'k6' ? await k6Slice(step.rate, seconds, index) : await driverSlice(step.rate, seconds);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpuUsed = (name: keyof typeof cpuBefore): number | undefined => {
    const end = processTreeCpuSeconds(pids[name]);
    const start = cpuBefore[name];
    return start === undefined || end === undefined ? undefined : end - start;
  };
  addSlice(step.pooled, slice.samples);
  step.seconds += seconds;
  step.wallSeconds += wallSeconds;
  step.generatorCpuSeconds = add(step.generatorCpuSeconds, slice.generatorCpuSeconds);
  step.serviceCpuSeconds = add(step.serviceCpuSeconds, cpuUsed('service'));
  step.postgresCpuSeconds = add(step.postgresCpuSeconds, cpuUsed('postgres'));
  step.redisCpuSeconds = add(step.redisCpuSeconds, cpuUsed('redis'));
  const loop = eventLoopDelayBetween(eventLoopFile, fromMs, Date.now());
  if (loop) step.eventLoop = { p99Ms: Math.max(loop.p99Ms, step.eventLoop?.p99Ms ?? 0), maxMs: Math.max(loop.maxMs, step.eventLoop?.maxMs ?? 0) };
  const occupancy = pool.take();
  step.poolBusySum += occupancy.meanBusy * occupancy.samples;
  step.poolFullSum += occupancy.fullShare * occupancy.samples;
  step.poolSamples += occupancy.samples;
  step.notes.push(slice.note);
  return slice.note;
}

interface Judged {
  readonly step: Step;
  readonly verdict: PooledStep;
  readonly loadAverage: number;
}

const judged: Judged[] = [];
try {
  console.log(`reference service ${api.url} (${file.tenants.length} tenants of ${file.environment}); ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  const filled = await fillProjectLists(api.url, file.tenants, api.tokens);
  console.log(`project lists filled: ${[...filled].map(([id, n]) => `${id} ${n}`).join(', ')}`);
  await runLoad({ baseUrl: api.url, rate: 20, durationSeconds: 3, tenants: file.tenants, tokens: api.tokens }); // warm-up: pools, caches, JIT
  for (const rate of rates) {
    const sliceSeconds = sliceSecondsAt(rate);
    console.log(`\n### ${rate} requests/s: ${slices} slices of ${sliceSeconds} s per generator, alternating\n`);
    const steps = new Map<Generator, Step>(
      generators.map((generator) => [
        generator,
        { generator, rate, pooled: new Map(), seconds: 0, wallSeconds: 0, generatorCpuSeconds: 0, serviceCpuSeconds: 0, postgresCpuSeconds: 0, redisCpuSeconds: 0, eventLoop: undefined, poolBusySum: 0, poolFullSum: 0, poolSamples: 0, notes: [] },
      ]),
    );
    for (let index = 0; index < slices; index++) {
      // k6, driver, driver, k6, …: a linear drift adds the same to both.
      const order = index % 2 === 0 ? generators : [...generators].reverse();
      for (const generator of order) {
        const step = steps.get(generator);
        if (!step) continue;
        const note = await runSlice(step, sliceSeconds, index);
        console.log(`  ${generator} slice ${index + 1}/${slices}: ${note}`);
      }
    }
    const verdicts = [...steps.values()].map((step): Judged => ({ step, verdict: judgePooled(file.tenants, step.pooled, rate, step.seconds, file.overallP95BudgetMs), loadAverage: loadavg()[0] ?? 0 }));
    judged.push(...verdicts);
    const k6Verdict = verdicts.find((v) => v.step.generator === 'k6');
    const driverVerdict = verdicts.find((v) => v.step.generator === 'driver');
    if (driverVerdict) console.log(`\n${tenantComparisonTable(k6Verdict?.verdict.rows, driverVerdict.verdict.rows)}`);
    for (const v of verdicts) {
      const failed = v.verdict.rows.filter((r) => r.failures.length > 0).map((r) => `${r.tenant} (${r.failures.join('; ')})`);
      console.log(`${v.step.generator}: ${v.verdict.withinBudget ? 'every tenant within budget' : `OVER BUDGET: ${failed.join(', ') || `overall p95 ${v.verdict.overallP95Ms?.toFixed(1)} ms`}`}`);
    }
    const reference: Generator = k6 ? 'k6' : 'driver';
    if (judged.filter((j) => j.step.generator === reference && !j.verdict.withinBudget).length >= 2) break;
  }
} finally {
  await pool.stop();
  await api.stop();
  await Promise.all([redis.stop(), postgres.stop()]);
  rmSync(work, { recursive: true, force: true });
}

const cores = (seconds: number | undefined, wall: number): string => (seconds === undefined ? '-' : (seconds / wall).toFixed(2));
console.log(`\n### Summary (load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end: figures from a busy machine are noisy)\n`);
console.log('| Rate/s | Generator | Achieved/s | Worst p95/budget (tenant) | Driver/k6 p95 | Driver/k6 p99 | Driver timed from its send/k6 p95 | Generator CPU | Service CPU | PostgreSQL CPU | Redis CPU | Loop delay p99 / max ms | DB pool busy (of ' + poolSize + '), all busy | Load avg | Within budget |');
console.log('|-------:|-----------|-----------:|---------------------------|---------------|---------------|-----------------------------------|--------------:|------------:|---------------:|----------:|------------------------:|--------------------------:|---------:|---------------|');
for (const { step, verdict, loadAverage } of judged) {
  const worst = verdict.rows.reduce((w, r) => ((r.p95Ms ?? Infinity) / r.p95BudgetMs > w.ratio ? { tenant: r.tenant, ratio: (r.p95Ms ?? Infinity) / r.p95BudgetMs } : w), { tenant: '-', ratio: 0 });
  const k6Rows = judged.find((o) => o.step.generator === 'k6' && o.step.rate === step.rate)?.verdict.rows;
  const compare = step.generator === 'driver' && k6Rows ? (p: 'p95' | 'p99') => describeRatios(ratios(k6Rows, verdict.rows, p)) : () => '';
  const fromSend = step.generator === 'driver' && k6Rows ? describeRatios(fromSendP95Ratios(k6Rows, step.pooled)) : '';
  const requests = verdict.rows.reduce((sum, r) => sum + r.requests, 0);
  const loop = step.eventLoop ? `${step.eventLoop.p99Ms.toFixed(1)} / ${step.eventLoop.maxMs.toFixed(0)}` : '-';
  const poolCell = step.poolSamples > 0 ? `${(step.poolBusySum / step.poolSamples).toFixed(1)}, ${((step.poolFullSum / step.poolSamples) * 100).toFixed(0)}%` : '-';
  console.log(
    `| ${step.rate} | ${step.generator} | ${(requests / step.seconds).toFixed(1)} | ${worst.ratio.toFixed(2)} (${worst.tenant}) | ${compare('p95')} | ${compare('p99')} | ${fromSend} | ${cores(step.generatorCpuSeconds, step.wallSeconds)} | ${cores(step.serviceCpuSeconds, step.wallSeconds)} | ${cores(step.postgresCpuSeconds, step.wallSeconds)} | ${cores(step.redisCpuSeconds, step.wallSeconds)} | ${loop} | ${poolCell} | ${loadAverage.toFixed(1)} | ${verdict.withinBudget ? 'yes' : 'no'} |`,
  );
}
for (const generator of generators) {
  const held = judged.filter((j) => j.step.generator === generator && j.verdict.withinBudget).map((j) => j.step.rate);
  const firstMiss = judged.find((j) => j.step.generator === generator && !j.verdict.withinBudget);
  console.log(
    (held.length > 0 ? `Highest rate with every tenant within budget, ${generator}: ${Math.max(...held)} requests/s${generator === 'k6' ? ' (the published capacity)' : ''}` : `No tested rate kept every tenant within budget under ${generator}`) +
      (firstMiss ? `; first rate over budget: ${firstMiss.step.rate}/s` : '; no tested rate went over budget'),
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
