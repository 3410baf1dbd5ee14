/**
 * bench:canary — whole canary analyses on synthetic fleets, judged the way the CLI judges
 * them: at every look (a minute apart, 5 s after the minute as an Argo Job fires), the
 * gate's range queries are answered from minute-by-minute simulated Prometheus data
 * (cumulative `le` buckets, requests, 5xx, per tenant; series appear with their first
 * request). The baseline has ten minutes of traffic before the canary starts.
 *
 * Rows: A/A runs under steady and non-stationary traffic (the false-rollback rate, target
 * ≤ 1%), canaries whose series are missing or differ from the baseline's (must never
 * promote), and regressions on a 1%-traffic tenant (power, target ≥ 95% at 2,000 tenants).
 * Seeded by run index: the same table on every machine, whatever the number of workers.
 * Each rate comes with its 95% Wilson interval.
 *
 *   npm run bench:canary                              # default run counts (about 30 min of CPU)
 *   npm run bench:canary -- --workers 2               # the same table, runs split over 2 worker threads
 *   npm run bench:canary -- --aa-runs 3000,200 --runs 400,100 --sizes 40,2000   # counts per fleet size
 *   npm run bench:canary -- --aa-runs 100 --runs 50 --sizes 40 --only noisy,drift
 *   npm run bench:canary -- --sizes 40 --only 1%-traffic --fleet-rps 1600   # power at another traffic level
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { bursts, diurnalRamp, drift, noisyNeighbour, overdispersedErrors, steady, type MinuteSchedule } from '../testing/canary-simulation/conditions.js';
import { syntheticFleet, type SyntheticTenant, type TrackBehaviour } from '../testing/canary-simulation/fleet.js';
import type { SeriesFaults } from '../testing/canary-simulation/prometheus-shaped.js';
import { SeededRandom } from '../testing/canary-simulation/random.js';
import { SimulatedTraffic, type TrafficProps } from '../testing/canary-simulation/traffic.js';
import { judgeLook, GATE_UNDER_TEST } from './canary-gate.js';

const USAGE = `usage: npm run bench:canary -- [--sizes 40,2000] [--aa-runs N[,N]] [--runs N[,N]] [--only text,text] [--fleet-rps N] [--workers N]
  --sizes      fleet sizes (tenants), comma-separated
  --aa-runs    runs of each A/A row, one count for all sizes or one per size (default 1000 up to 100 tenants, else 100)
  --runs       runs of each fault and power row, likewise (default 200 up to 100 tenants, else 50)
  --only       rows whose scenario contains one of these texts
  --fleet-rps  request rate of the whole fleet (default 200 at 40 tenants, 2000 at 2,000, else 1 per tenant)
  --workers    worker threads sharing the runs (default 1; the table does not depend on it)`;

const { values } = parseArgs({
  options: {
    'aa-runs': { type: 'string' },
    runs: { type: 'string' },
    sizes: { type: 'string', default: '40,2000' },
    only: { type: 'string' },
    'fleet-rps': { type: 'string' },
    workers: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
  args: isMainThread ? process.argv.slice(2) : [],
});
const SIZES = values.sizes.split(',').map(Number);

/** Runs per row when not given: many where a run is cheap (≤ 100 tenants), fewer at 2,000. */
const DEFAULT_RUNS = { 'aa-runs': [1000, 100], runs: [200, 50] } as const;

/** One count per fleet size, from a single count or a comma-separated list as long as --sizes. */
function perSize(option: keyof typeof DEFAULT_RUNS, text: string | undefined): readonly number[] {
  if (text === undefined) return SIZES.map((size) => DEFAULT_RUNS[option][size <= 100 ? 0 : 1]);
  const counts = text.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1) || (counts.length !== 1 && counts.length !== SIZES.length)) {
    throw new UsageError(`--${option} ${text}: give one whole number ≥ 1, or one per fleet size (${SIZES.length}: ${SIZES.join(',')})`);
  }
  return SIZES.map((_, i) => counts[counts.length === 1 ? 0 : i]!);
}

class UsageError extends Error {}

const MINUTES = 10;
const MINUTES_BEFORE = 10;
const STABLE: TrackBehaviour = { latencyFactor: 1, errorRate: 0.001 };
/** Fleet-wide request rate by fleet size: 5 req/s per tenant at 40 tenants, 1 at 2,000. */
const FLEET_RPS: Readonly<Record<number, number>> = { 40: 200, 2000: 2000 };

type Kind = 'A/A' | 'faults' | 'power';

interface Scenario {
  readonly name: string;
  readonly kind: Kind;
  readonly schedule?: MinuteSchedule;
  readonly canaryWeight?: number;
  readonly canary?: (fleet: readonly SyntheticTenant[]) => (t: SyntheticTenant) => TrackBehaviour;
  readonly faults?: (fleet: readonly SyntheticTenant[]) => SeriesFaults;
  readonly fleet?: (fleet: readonly SyntheticTenant[]) => SyntheticTenant[];
  readonly modes?: TrafficProps['modes'];
  readonly staleCanaryMinutes?: readonly [number, number];
  /**
   * What the row is judged on when not its kind's usual outcome (HEADLINE).
   * @default HEADLINE[kind]
   */
  readonly judgedOn?: Headline;
}

/** The tenant whose traffic share is closest to `share`. */
const tenantWithShare = (fleet: readonly SyntheticTenant[], share: number): SyntheticTenant =>
  fleet.reduce((best, t) => (Math.abs(t.share - share) < Math.abs(best.share - share) ? t : best));
const only = (id: string, changed: TrackBehaviour) => (t: SyntheticTenant) => (t.id === id ? changed : STABLE);
const on = (share: number, changed: TrackBehaviour) => (fleet: readonly SyntheticTenant[]) => only(tenantWithShare(fleet, share).id, changed);
const idsOf = (fleet: readonly SyntheticTenant[], share: number): ReadonlySet<string> => new Set([tenantWithShare(fleet, share).id]);

const SCENARIOS: readonly Scenario[] = [
  { kind: 'A/A', name: 'steady traffic' },
  { kind: 'A/A', name: 'noisy neighbour ×1.3–2.0 in 20% of minutes', schedule: noisyNeighbour(0.2, 1.3, 2.0) },
  { kind: 'A/A', name: 'mild noisy neighbour ×1.1–1.2 in 10%', schedule: noisyNeighbour(0.1, 1.1, 1.2) },
  { kind: 'A/A', name: 'latency drift +0.5%/min', schedule: drift(0.005) },
  { kind: 'A/A', name: 'diurnal ramp 0.6→1.4× rate', schedule: diurnalRamp(0.6, 1.4) },
  { kind: 'A/A', name: 'bursts ×3 rate in 10% of minutes', schedule: bursts(0.1, 3) },
  { kind: 'A/A', name: 'overdispersed 5xx (log-normal σ = 1.2)', schedule: overdispersedErrors(1.2) },
  { kind: 'A/A', name: 'fast tied tenants (median 2.5 ms)', fleet: (f) => f.map((t) => ({ ...t, medianSeconds: 0.0025 })) },
  { kind: 'A/A', name: 'bimodal latency (70% ×0.5, 30% ×2.5)', modes: [[0.7, 0.5], [0.3, 2.5]] },
  { kind: 'A/A', name: 'canary weight 3%', canaryWeight: 0.03 },
  { kind: 'A/A', name: 'canary weight 10%', canaryWeight: 0.1 },
  { kind: 'faults', name: '+100% latency, no canary bucket series', canary: () => () => ({ ...STABLE, latencyFactor: 2 }), faults: (f) => ({ noCanaryBuckets: new Set(f.map((t) => t.id)) }) },
  { kind: 'faults', name: '20% 5xx on the top tenant, 5xx unlabelled', canary: (f) => only(f[0]!.id, { ...STABLE, errorRate: 0.2 }), faults: (f) => ({ canaryErrorsUnlabelled: new Set([f[0]!.id]) }) },
  { kind: 'faults', name: 'second tenant absent from the canary', faults: (f) => ({ canaryAbsent: new Set([f[1]!.id]) }) },
  { kind: 'faults', name: 'A/A, canary lacks 4 bucket bounds', faults: () => ({ canaryMissingBounds: [0.01, 0.075, 0.125, 0.3] }) },
  { kind: 'faults', name: 'stale canary series 10–7 min before start', staleCanaryMinutes: [-10, -7], judgedOn: 'early promotion' },
  { kind: 'power', name: '+30% latency, 1%-traffic tenant', canary: on(0.01, { ...STABLE, latencyFactor: 1.3 }) },
  { kind: 'power', name: '2% 5xx, 1%-traffic tenant', canary: on(0.01, { ...STABLE, errorRate: 0.02 }) },
];

type Outcome = { readonly verdict: 'rollback' | 'promote' | 'none'; readonly minute: number };

async function simulate(fleet: readonly SyntheticTenant[], fleetRps: number, scenario: Scenario, seed: number): Promise<Outcome> {
  const random = new SeededRandom(seed);
  const span = MINUTES_BEFORE + MINUTES;
  const canaryWeight = scenario.canaryWeight ?? 0.05;
  const traffic = new SimulatedTraffic(
    {
      fleet,
      fleetRps,
      canaryWeight,
      baseline: STABLE,
      canary: scenario.canary?.(fleet) ?? (() => STABLE),
      minutesBefore: MINUTES_BEFORE,
      minutes: MINUTES,
      conditions: (scenario.schedule ?? steady)(span, random),
      ...(scenario.modes ? { modes: scenario.modes } : {}),
      ...(scenario.staleCanaryMinutes ? { staleCanaryMinutes: scenario.staleCanaryMinutes } : {}),
    },
    random,
  );
  const budgets = new Map(fleet.map((t) => [t.id, t.budget]));
  const faults = scenario.faults?.(fleet) ?? {};
  for (let minute = 1; minute <= MINUTES; minute++) {
    const verdict = await judgeLook({ traffic, faults, minute, windowMinutes: MINUTES, canaryWeight, budgetOf: (id) => budgets.get(id)! });
    if (verdict === 'rollback' || verdict === 'promote') return { verdict, minute };
  }
  return { verdict: 'none', minute: MINUTES };
}

/** 95% Wilson score interval of k successes in n runs. */
function wilson(k: number, n: number): readonly [number, number] {
  const z = 1.959964;
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return [Math.max(0, (centre - spread) / scale), Math.min(1, (centre + spread) / scale)];
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;

/** "k/n = rate [low, high]" for the outcomes this row is judged on. */
function rate(outcomes: readonly Outcome[], judgedOn: Headline): string {
  const k = outcomes.filter((o) => (judgedOn === 'early promotion' ? o.verdict === 'promote' && o.minute < MINUTES : o.verdict === judgedOn)).length;
  const [low, high] = wilson(k, outcomes.length);
  return `${k}/${outcomes.length} = ${pct(k / outcomes.length)} [${pct(low)}, ${pct(high)}]`;
}

function share(outcomes: readonly Outcome[], verdict: Outcome['verdict']): string {
  return pct(outcomes.filter((o) => o.verdict === verdict).length / outcomes.length);
}

function medianMinute(outcomes: readonly Outcome[]): string {
  const minutes = outcomes.filter((o) => o.verdict === 'rollback').map((o) => o.minute).sort((a, b) => a - b);
  return minutes.length === 0 ? '–' : `${minutes[Math.floor((minutes.length - 1) / 2)]} min`;
}

/** Promotions before the last planned look: a look schedule that is off. */
function early(outcomes: readonly Outcome[]): string {
  return pct(outcomes.filter((o) => o.verdict === 'promote' && o.minute < MINUTES).length / outcomes.length);
}

/** What a row is judged on: false rollbacks (A/A), promotions (faults), rollbacks (power); early promotions for stale series. */
type Headline = Outcome['verdict'] | 'early promotion';
const HEADLINE: Readonly<Record<Kind, Headline>> = { 'A/A': 'rollback', faults: 'promote', power: 'rollback' };

interface RowJob {
  readonly size: number;
  readonly scenarioIndex: number;
  readonly fleetRps: number;
  readonly runs: readonly number[];
}

function fleetRpsOf(size: number): number {
  return values['fleet-rps'] !== undefined ? Number(values['fleet-rps']) : (FLEET_RPS[size] ?? size);
}

/**
 * A worker thread does not inherit tsx's loader (privatenumber/tsx#354): its entry
 * registers tsx, then loads this file, which runs the job it is given.
 */
const WORKER_ENTRY = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;

async function runJob(job: RowJob): Promise<Outcome[]> {
  const scenario = SCENARIOS[job.scenarioIndex]!;
  const baseFleet = syntheticFleet({ tenants: job.size });
  const fleet = scenario.fleet?.(baseFleet) ?? baseFleet;
  const outcomes: Outcome[] = [];
  for (const run of job.runs) outcomes.push(await simulate(fleet, job.fleetRps, scenario, job.size * 1_000_003 + job.scenarioIndex * 100_003 + run + 1));
  return outcomes;
}

/** Runs of one row split over `workers` threads (interleaved, so each gets a fair share); outcomes in run order. */
async function runRow(size: number, scenarioIndex: number, runs: number, workers: number): Promise<Outcome[]> {
  const fleetRps = fleetRpsOf(size);
  const all = Array.from({ length: runs }, (_, i) => i);
  if (workers <= 1) return runJob({ size, scenarioIndex, fleetRps, runs: all });
  const slices = Array.from({ length: workers }, (_, w) => all.filter((i) => i % workers === w));
  const parts = await Promise.all(
    slices.map(
      (slice) =>
        new Promise<Outcome[]>((resolve, reject) => {
          const worker = new Worker(WORKER_ENTRY, { eval: true, workerData: { size, scenarioIndex, fleetRps, runs: slice } satisfies RowJob, argv: process.argv.slice(2) });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const outcomes: Outcome[] = new Array<Outcome>(runs);
  slices.forEach((slice, w) => slice.forEach((run, j) => (outcomes[run] = parts[w]![j]!)));
  return outcomes;
}

async function main(): Promise<void> {
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const aaRuns = perSize('aa-runs', values['aa-runs']);
  const otherRuns = perSize('runs', values.runs);
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > cpus().length * 4) throw new UsageError(`--workers ${values.workers}: give a whole number from 1 to ${cpus().length * 4}`);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  // The header first and each row as it completes: a long run shows its rows so far.
  console.log(`Canary gate under test: ${GATE_UNDER_TEST}.`);
  console.log(`${MINUTES}-minute analysis, a look a minute (5 s after it), 5% canary weight unless stated, ${MINUTES_BEFORE} minutes of baseline-only traffic before the canary,`);
  console.log(`baseline 5xx rate ${STABLE.errorRate * 100}%, log-normal latencies, Zipf(1) traffic; fleet rate ${Object.entries(FLEET_RPS).map(([n, r]) => `${r} req/s at ${n} tenants`).join(', ')}.`);
  console.log('Judged on: A/A, the false-rollback rate (target ≤ 1%); faults, the promotion rate (must be 0; for stale series, promotions before the last look); power, the rollback rate within 10 minutes (target ≥ 95% at 2,000 tenants).');
  console.log('Rates as k/n = rate [95% Wilson interval]; "time" is wall-clock for the row.');
  console.log('');
  console.log('| fleet | kind   | scenario                                     | judged on: k/n = rate [95% CI] | rolled back | median | promoted | of which early | no verdict | time |');
  console.log('| ----: | :----- | :------------------------------------------- | :----------------------------- | -----: | -----: | -----: | -----: | -----: | -------: |');
  for (const [sizeIndex, size] of SIZES.entries()) {
    const baseFleet = syntheticFleet({ tenants: size });
    const fleetRps = fleetRpsOf(size);
    const onePercent = tenantWithShare(baseFleet, 0.01);
    const thin = baseFleet.filter((t) => fleetRps * t.share * 0.05 * 600 < 20).length;
    process.stderr.write(
      `fleet of ${size}: ${fleetRps} req/s; 1% tenant ${onePercent.id} (${(onePercent.share * 100).toFixed(2)}%, ${Math.round(fleetRps * onePercent.share * 0.05 * 600)} canary requests in 10 min at 5%); ${thin} tenants with < 20 canary requests\n`,
    );
    for (const [index, scenario] of SCENARIOS.entries()) {
      if (values.only !== undefined && !values.only.split(',').some((part) => scenario.name.includes(part))) continue;
      const runs = scenario.kind === 'A/A' ? aaRuns[sizeIndex]! : otherRuns[sizeIndex]!;
      const t0 = performance.now();
      const outcomes = await runRow(size, index, runs, workers);
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `| ${String(size).padStart(5)} | ${scenario.kind.padEnd(6)} | ${scenario.name.padEnd(44)} | ${rate(outcomes, scenario.judgedOn ?? HEADLINE[scenario.kind]).padEnd(30)} | ${share(outcomes, 'rollback').padStart(6)} | ${medianMinute(outcomes).padStart(6)} | ${share(outcomes, 'promote').padStart(6)} | ${early(outcomes).padStart(6)} | ${share(outcomes, 'none').padStart(6)} | ${seconds.toFixed(1).padStart(6)} s |`,
      );
      process.stderr.write(`  ${scenario.name}: ${runs} runs in ${seconds.toFixed(1)} s (${(seconds / runs).toFixed(2)} s a run)\n`);
    }
  }
  const cpu = process.cpuUsage(cpuStarted);
  console.log('');
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU (all threads), ${workers} worker(s).`);
}

if (isMainThread) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`bench:canary: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  });
} else {
  runJob(workerData as RowJob).then((outcomes) => parentPort!.postMessage(outcomes));
}
