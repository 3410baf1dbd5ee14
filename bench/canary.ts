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
 * Seeded: the same table on every machine.
 *
 *   npm run bench:canary                              # default run counts
 *   npm run bench:canary -- --aa-runs 100 --runs 50 --sizes 40 --only noisy,drift
 *   npm run bench:canary -- --sizes 40 --only 1%-traffic --fleet-rps 1600   # power at another traffic level
 */
import { parseArgs } from 'node:util';
import { bursts, diurnalRamp, drift, noisyNeighbour, overdispersedErrors, steady, type MinuteSchedule } from '../testing/canary-simulation/conditions.js';
import { syntheticFleet, type SyntheticTenant, type TrackBehaviour } from '../testing/canary-simulation/fleet.js';
import type { SeriesFaults } from '../testing/canary-simulation/prometheus-shaped.js';
import { SeededRandom } from '../testing/canary-simulation/random.js';
import { SimulatedTraffic, type TrafficProps } from '../testing/canary-simulation/traffic.js';
import { judgeLook, GATE_UNDER_TEST } from './canary-gate.js';

const { values } = parseArgs({
  options: {
    'aa-runs': { type: 'string', default: '300' },
    runs: { type: 'string', default: '100' },
    sizes: { type: 'string', default: '40,2000' },
    only: { type: 'string' },
    'fleet-rps': { type: 'string' },
  },
});
const AA_RUNS = Number(values['aa-runs']);
const RUNS = Number(values.runs);
const SIZES = values.sizes.split(',').map(Number);

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
  { kind: 'faults', name: 'stale canary series 10–7 min before start', staleCanaryMinutes: [-10, -7] },
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

function share(outcomes: readonly Outcome[], verdict: Outcome['verdict']): string {
  return `${((outcomes.filter((o) => o.verdict === verdict).length / outcomes.length) * 100).toFixed(1)}%`;
}

function medianMinute(outcomes: readonly Outcome[]): string {
  const minutes = outcomes.filter((o) => o.verdict === 'rollback').map((o) => o.minute).sort((a, b) => a - b);
  return minutes.length === 0 ? '–' : `${minutes[Math.floor((minutes.length - 1) / 2)]} min`;
}

/** Promotions before the last planned look: a look schedule that is off. */
function early(outcomes: readonly Outcome[]): string {
  return `${((outcomes.filter((o) => o.verdict === 'promote' && o.minute < MINUTES).length / outcomes.length) * 100).toFixed(1)}%`;
}

const started = performance.now();
const rows: string[] = [];
for (const size of SIZES) {
  const baseFleet = syntheticFleet({ tenants: size });
  const fleetRps = values['fleet-rps'] !== undefined ? Number(values['fleet-rps']) : (FLEET_RPS[size] ?? size);
  const onePercent = tenantWithShare(baseFleet, 0.01);
  const thin = baseFleet.filter((t) => fleetRps * t.share * 0.05 * 600 < 20).length;
  process.stderr.write(
    `fleet of ${size}: ${fleetRps} req/s; 1% tenant ${onePercent.id} (${(onePercent.share * 100).toFixed(2)}%, ${Math.round(fleetRps * onePercent.share * 0.05 * 600)} canary requests in 10 min at 5%); ${thin} tenants with < 20 canary requests\n`,
  );
  for (const [index, scenario] of SCENARIOS.entries()) {
    if (values.only !== undefined && !values.only.split(',').some((part) => scenario.name.includes(part))) continue;
    const fleet = scenario.fleet?.(baseFleet) ?? baseFleet;
    const runs = scenario.kind === 'A/A' ? AA_RUNS : RUNS;
    const outcomes: Outcome[] = [];
    const t0 = performance.now();
    for (let run = 0; run < runs; run++) outcomes.push(await simulate(fleet, fleetRps, scenario, size * 1_000_003 + index * 100_003 + run + 1));
    const seconds = (performance.now() - t0) / 1000;
    rows.push(
      `| ${String(size).padStart(5)} | ${scenario.kind.padEnd(6)} | ${scenario.name.padEnd(44)} | ${String(runs).padStart(4)} | ${share(outcomes, 'rollback').padStart(6)} | ${medianMinute(outcomes).padStart(6)} | ${share(outcomes, 'promote').padStart(6)} | ${early(outcomes).padStart(6)} | ${share(outcomes, 'none').padStart(6)} | ${seconds.toFixed(1).padStart(6)} s |`,
    );
    process.stderr.write(`  ${scenario.name}: ${runs} runs in ${seconds.toFixed(1)} s\n`);
  }
}

console.log(`Canary gate under test: ${GATE_UNDER_TEST}.`);
console.log(`${MINUTES}-minute analysis, a look a minute (5 s after it), 5% canary weight unless stated, ${MINUTES_BEFORE} minutes of baseline-only traffic before the canary,`);
console.log(`baseline 5xx rate ${STABLE.errorRate * 100}%, log-normal latencies, Zipf(1) traffic; fleet rate ${Object.entries(FLEET_RPS).map(([n, r]) => `${r} req/s at ${n} tenants`).join(', ')}.`);
console.log('A/A: the rollback column is the false-rollback rate (target ≤ 1%). faults: promoted must be 0. power: rollback within 10 minutes (target ≥ 95% at 2,000 tenants).');
console.log('');
console.log('| fleet | kind   | scenario                                     | runs | rolled back | median | promoted | of which early | no verdict | time |');
console.log('| ----: | :----- | :------------------------------------------- | ---: | -----: | -----: | -----: | -----: | -----: | -------: |');
for (const row of rows) console.log(row);
console.log('');
console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
