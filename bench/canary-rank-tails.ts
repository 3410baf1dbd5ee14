/**
 * How far the rank test's approximate tails are from the exact permutation tail, and what
 * the exact tail costs: the evidence behind where the gate switches (docs/canary.md,
 * "Exact and approximate rank tails"). One tenant's canary and baseline histograms are
 * sampled (Poisson counts per telemetry bucket, log-normal latencies) for fast to slow
 * medians, shifts of 0–30% and 50–1,600 canary requests against 19× as many baseline
 * requests; each case's exact tail is compared with the saddlepoint and the normal tails,
 * grouped by the number of occupied buckets. Seeded; CPU-bound, about a minute.
 *
 *   npx tsx bench/canary-rank-tails.ts [--cases 600]
 */
import { parseArgs } from 'node:util';
import { exactRankShiftTail } from '../canary/src/statistics/permutation-rank-test.js';
import { rankShiftPValue, rankShiftPValueSaddlepoint, rankStatistic } from '../canary/src/statistics/rank-test.js';
import { binProbabilities } from '../testing/canary-simulation/fleet.js';
import { SeededRandom } from '../testing/canary-simulation/random.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '600' } } });
const CASES = Number(values.cases);
if (!Number.isInteger(CASES) || CASES < 1) {
  console.error(`canary-rank-tails: --cases ${values.cases}: give a whole number ≥ 1`);
  process.exit(2);
}

const MEDIANS = [0.0015, 0.0025, 0.004, 0.006, 0.01, 0.02, 0.06];
const SHIFTS = [1, 1.1, 1.2, 1.3];
const CANARY_REQUESTS = [50, 100, 200, 400, 800, 1600];
/** Only tails a test could reject at: above this p-value the tails' ratios do not matter. */
const OF_INTEREST = 0.05;

interface Group {
  cases: number;
  overBudget: number;
  saddlepoint: number[];
  normal: number[];
  transitions: number[];
  milliseconds: number[];
}

const random = new SeededRandom(20261203);
const groups = new Map<string, Group>();
const groupOf = (occupied: number): string => (occupied <= 3 ? '2–3' : occupied === 4 ? '4' : occupied <= 6 ? '5–6' : '7+');
for (let i = 0; i < CASES; i++) {
  const median = MEDIANS[i % MEDIANS.length]!;
  const shift = SHIFTS[Math.floor(i / MEDIANS.length) % SHIFTS.length]!;
  const n = CANARY_REQUESTS[Math.floor(i / (MEDIANS.length * SHIFTS.length)) % CANARY_REQUESTS.length]!;
  const canary = Array.from(binProbabilities(median * shift), (p) => random.poisson(p * n));
  const baseline = Array.from(binProbabilities(median), (p) => random.poisson(p * 19 * n));
  const occupied = canary.filter((c, b) => c + baseline[b]! > 0).length;
  const key = groupOf(occupied);
  const group = groups.get(key) ?? { cases: 0, overBudget: 0, saddlepoint: [], normal: [], transitions: [], milliseconds: [] };
  groups.set(key, group);
  const started = performance.now();
  const exact = exactRankShiftTail(canary, baseline);
  const elapsed = performance.now() - started;
  group.cases++;
  if (exact === undefined) {
    group.overBudget++;
    continue;
  }
  group.transitions.push(exact.transitions);
  group.milliseconds.push(elapsed);
  if (exact.pValue >= OF_INTEREST || exact.pValue <= 0) continue;
  group.saddlepoint.push(rankShiftPValueSaddlepoint(canary, baseline) / exact.pValue);
  group.normal.push(rankShiftPValue(rankStatistic(canary, baseline)) / exact.pValue);
}

const range = (xs: readonly number[], digits = 2): string => {
  if (xs.length === 0) return '–';
  const sorted = [...xs].sort((a, b) => a - b);
  const f = (x: number): string => (x < 0.01 ? x.toExponential(0) : x.toFixed(digits));
  return `${f(sorted[0]!)} – ${f(sorted[sorted.length - 1]!)} (median ${f(sorted[Math.floor(sorted.length / 2)]!)})`;
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

console.log(`${CASES} sampled tenants; ratios to the exact tail where the exact p < ${OF_INTEREST}; the exact walk's budget is the gate's default.`);
console.log('');
console.log('| occupied buckets | cases | exact over budget | cases with exact p < 0.05 | saddlepoint / exact | normal / exact | transitions (median, max) | ms (median, max) |');
console.log('| :-- | --: | --: | --: | :-- | :-- | :-- | :-- |');
for (const key of ['2–3', '4', '5–6', '7+']) {
  const g = groups.get(key);
  if (!g) continue;
  console.log(
    `| ${key} | ${g.cases} | ${g.overBudget} | ${g.saddlepoint.length} | ${range(g.saddlepoint)} | ${range(g.normal, 3)} | ${median(g.transitions).toFixed(0)}, ${Math.max(0, ...g.transitions)} | ${median(g.milliseconds).toFixed(1)}, ${Math.max(0, ...g.milliseconds).toFixed(1)} |`,
  );
}
