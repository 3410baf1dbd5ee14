/**
 * bench:canary — simulates canary analyses on synthetic fleets and compares, on the same
 * data, the Tenantry gate with a Flagger-style rule and a Kayenta-style aggregate rank
 * test. Prints false-rollback rates on A/A runs and detection rate and time to verdict
 * for three regressions. Seeded: the same table on every machine.
 *
 *   npm run bench:canary                 # 1,000 A/A runs and 200 runs per regression, per fleet size
 *   npm run bench:canary -- --aa-runs 300 --runs 100
 */
import { parseArgs } from 'node:util';
import { judge } from '../canary/src/judge.js';
import { lookAt } from '../canary/src/statistics/alpha-spending.js';
import { normalCdf } from '../canary/src/statistics/normal.js';
import { FlaggerRule, KayentaRule, type AggregateInterval } from '../testing/canary-simulation/baseline-gates.js';
import { LATENCY_SIGMA, SimulatedWindow, syntheticFleet, type SyntheticTenant, type TrackBehaviour } from '../testing/canary-simulation/fleet.js';
import { SeededRandom } from '../testing/canary-simulation/random.js';

const { values } = parseArgs({
  options: { 'aa-runs': { type: 'string', default: '1000' }, runs: { type: 'string', default: '200' }, sizes: { type: 'string', default: '40,2000' } },
});
const AA_RUNS = Number(values['aa-runs']);
const RUNS = Number(values.runs);
const SIZES = values.sizes.split(',').map(Number);

const MINUTES = 10;
const CANARY_WEIGHT = 0.05;
const STABLE: TrackBehaviour = { latencyFactor: 1, errorRate: 0.001 };
/** Fleet-wide request rate by fleet size: 5 req/s per tenant at 40 tenants, 1 at 2,000. */
const FLEET_RPS: Readonly<Record<number, number>> = { 40: 200, 2000: 2000 };
/** Flagger's p99 threshold as a multiple of the stable fleet's true p99 (an operator's tight-but-sane setting). */
const FLAGGER_P99_FACTOR = 1.25;

interface Scenario {
  readonly name: string;
  readonly runs: number;
  readonly canary: (fleet: readonly SyntheticTenant[]) => (t: SyntheticTenant) => TrackBehaviour;
}

/** The tenant whose traffic share is closest to `share`. */
const tenantWithShare = (fleet: readonly SyntheticTenant[], share: number): SyntheticTenant =>
  fleet.reduce((best, t) => (Math.abs(t.share - share) < Math.abs(best.share - share) ? t : best));
const twoPercentTenant = (fleet: readonly SyntheticTenant[]): SyntheticTenant => tenantWithShare(fleet, 0.02);

/** Canary behaviour with 5% errors on the tenant holding about `share` of the traffic. */
const errorsOn =
  (share: number) =>
  (fleet: readonly SyntheticTenant[]): ((t: SyntheticTenant) => TrackBehaviour) => {
    const victim = tenantWithShare(fleet, share).id;
    return (t) => (t.id === victim ? { latencyFactor: 1, errorRate: 0.05 } : STABLE);
  };

const SCENARIOS: readonly Scenario[] = [
  { name: 'A/A (no change)', runs: AA_RUNS, canary: () => () => STABLE },
  {
    name: '(a) +50% latency, one tenant with ~2% of traffic',
    runs: RUNS,
    canary: (fleet) => {
      const victim = twoPercentTenant(fleet).id;
      return (t) => (t.id === victim ? { latencyFactor: 1.5, errorRate: STABLE.errorRate } : STABLE);
    },
  },
  // A tenant with ~300 canary requests in the window: 5% of traffic at 40 tenants, 0.5% at 2,000.
  { name: '(b) 5% 5xx, one tenant with ~300 canary requests', runs: RUNS, canary: (fleet) => errorsOn(300 / (FLEET_RPS[fleet.length]! * CANARY_WEIGHT * MINUTES * 60))(fleet) },
  // Harder than the goal asks: at 200 req/s, 2% of traffic is ~120 canary requests, ~6 errors.
  { name: "(b') 5% 5xx, one tenant with ~2% of traffic", runs: RUNS, canary: errorsOn(0.02) },
  { name: '(c) +20% latency, fleet-wide', runs: RUNS, canary: () => () => ({ latencyFactor: 1.2, errorRate: STABLE.errorRate }) },
];

/** True p99 of the stable fleet's latency mixture, by bisection on its CDF. */
function fleetP99(fleet: readonly SyntheticTenant[]): number {
  const cdf = (x: number): number => fleet.reduce((a, t) => a + t.share * normalCdf(Math.log(x / t.medianSeconds) / LATENCY_SIGMA), 0);
  let lo = 0.001;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = Math.sqrt(lo * hi);
    if (cdf(mid) < 0.99) lo = mid;
    else hi = mid;
  }
  return hi;
}

interface Outcome {
  /** Minute of the rollback verdict, undefined when none. */
  readonly tenantry: number | undefined;
  readonly flagger: number | undefined;
  readonly kayenta: number | undefined;
}

function simulate(fleet: readonly SyntheticTenant[], fleetRps: number, canary: (t: SyntheticTenant) => TrackBehaviour, seed: number, maxP99: number): Outcome {
  const random = new SeededRandom(seed);
  const window = new SimulatedWindow({ fleet, fleetRps, canaryWeight: CANARY_WEIGHT, baseline: STABLE, canary });
  const budgets = new Map(fleet.map((t) => [t.id, t.budget]));
  const flagger = new FlaggerRule({ maxP99Seconds: maxP99 });
  const kayenta = new KayentaRule();
  let previous = window.fleetBins();
  let tenantry: number | undefined;
  let flaggerAt: number | undefined;
  let kayentaAt: number | undefined;
  for (let minute = 1; minute <= MINUTES; minute++) {
    window.addMinute(random);
    const now = window.fleetBins();
    const interval: AggregateInterval = {
      canaryBins: Array.from(now.canary, (v, i) => v - previous.canary[i]!),
      baselineBins: Array.from(now.baseline, (v, i) => v - previous.baseline[i]!),
      canaryErrors: now.canaryErrors - previous.canaryErrors,
      baselineErrors: now.baselineErrors - previous.baselineErrors,
    };
    previous = now;
    if (flaggerAt === undefined && flagger.check(interval)) flaggerAt = minute;
    if (kayentaAt === undefined && kayenta.check(interval)) kayentaAt = minute;
    if (tenantry === undefined) {
      // The gate runs a little after each minute's scrape: look k at 60k − 30 s of canary data.
      const look = lookAt(minute * 60 - 30, 60, MINUTES * 60);
      const verdict = judge(window.observations(), { budgetOf: (id) => budgets.get(id)!, look, sequentialPValues: false }).verdict;
      if (verdict === 'rollback') tenantry = minute;
    }
  }
  return { tenantry, flagger: flaggerAt, kayenta: kayentaAt };
}

function summarize(minutes: readonly (number | undefined)[]): string {
  const hits = minutes.filter((m): m is number => m !== undefined).sort((a, b) => a - b);
  const share = `${((hits.length / minutes.length) * 100).toFixed(1)}%`;
  if (hits.length === 0) return `${share.padStart(6)}       –`;
  const median = hits[Math.floor((hits.length - 1) / 2)]!;
  return `${share.padStart(6)}  ${`${median} min`.padStart(6)}`;
}

const started = performance.now();
const rows: string[] = [];
for (const size of SIZES) {
  const fleet = syntheticFleet({ tenants: size });
  const fleetRps = FLEET_RPS[size] ?? size;
  const maxP99 = fleetP99(fleet) * FLAGGER_P99_FACTOR;
  const victim = twoPercentTenant(fleet);
  process.stderr.write(
    `fleet of ${size}: ${fleetRps} req/s, ${CANARY_WEIGHT * 100}% canary, 2% tenant = ${victim.id} (${(victim.share * 100).toFixed(2)}%, ` +
      `${Math.round(fleetRps * victim.share * CANARY_WEIGHT * 600)} canary requests in 10 min); Flagger max p99 ${Math.round(maxP99 * 1000)} ms\n`,
  );
  for (const [index, scenario] of SCENARIOS.entries()) {
    const canary = scenario.canary(fleet);
    const outcomes: Outcome[] = [];
    const t0 = performance.now();
    for (let run = 0; run < scenario.runs; run++) outcomes.push(simulate(fleet, fleetRps, canary, size * 1_000_003 + index * 100_003 + run + 1, maxP99));
    const seconds = (performance.now() - t0) / 1000;
    rows.push(
      `| ${String(size).padStart(5)} | ${scenario.name.padEnd(49)} | ${String(scenario.runs).padStart(5)} | ${summarize(outcomes.map((o) => o.tenantry))} | ${summarize(outcomes.map((o) => o.flagger))} | ${summarize(outcomes.map((o) => o.kayenta))} | ${seconds.toFixed(1).padStart(6)} s |`,
    );
    process.stderr.write(`  ${scenario.name}: ${scenario.runs} runs in ${seconds.toFixed(1)} s\n`);
  }
}

console.log(`Canary gate simulation: ${MINUTES}-minute window, a look every minute, ${CANARY_WEIGHT * 100}% canary weight, baseline 5xx rate ${STABLE.errorRate * 100}%,`);
console.log(`log-normal latencies (σ = ${LATENCY_SIGMA}, stable p95 at 55–80% of each tenant's budget), Zipf(1) traffic; fleet rate ${Object.entries(FLEET_RPS).map(([n, r]) => `${r} req/s at ${n} tenants`).join(', ')}.`);
console.log('Cells: share of runs rolled back within 10 minutes, and the median minute of that verdict.');
console.log(`Flagger-style: canary p99 over the last minute ≤ ${FLAGGER_P99_FACTOR} × the stable fleet's p99, success rate ≥ 99%, rollback at 2 failed checks.`);
console.log('Kayenta-style: per-minute aggregate p95 and error rate, canary vs baseline, Mann-Whitney at 98%, fail below score 75.');
console.log('');
console.log(`| fleet | scenario                                          |  runs | Tenantry gate   | Flagger-style   | Kayenta-style   |   time   |`);
console.log(`| ----: | :------------------------------------------------ | ----: | --------------: | --------------: | --------------: | -------: |`);
for (const row of rows) console.log(row);
console.log('');
console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
