/**
 * Alpha spending across repeated looks (Lan & DeMets 1983). The gate may run every
 * minute of a 10-minute window; testing each look at a fixed α would give 17.6% false
 * alarms instead of 5% (see docs/canary.md). A spending function says how much of α
 * may be used up by information fraction t (here elapsed time over the window), and
 * look k of K rejects at the exact group-sequential boundary that spends the increment
 * α(k/K) − α((k−1)/K) given that looks 1..k−1 did not reject (group-sequential.ts).
 */
import { groupSequentialLevels, type SpendingFunction } from './group-sequential.js';
import { normalUpperQuantile, normalUpperTail } from './normal.js';

export type { SpendingFunction } from './group-sequential.js';

/**
 * O'Brien–Fleming type: α(t) = 2 − 2Φ(z_{1−α/2} / √t). Spends almost nothing early and
 * keeps most of α for the last looks, so early looks only catch large regressions.
 */
export const obrienFlemingSpending: SpendingFunction = (t, alpha) => {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  return 2 * normalUpperTail(normalUpperQuantile(alpha / 2) / Math.sqrt(t));
};

/** Pocock type: α(t) = α ln(1 + (e − 1)t). Spends evenly, so a clear regression is caught at the first looks. */
export const pocockSpending: SpendingFunction = (t, alpha) => {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  return alpha * Math.log(1 + (Math.E - 1) * t);
};

/** Where a run of the gate sits among the planned looks. */
export interface Look {
  /** 1-based look number. */
  readonly index: number;
  /** Planned number of looks (window / look interval). */
  readonly count: number;
  /** Whether this is the last look, the only one that may promote. */
  readonly final: boolean;
}

/**
 * The look of a run made `elapsedSeconds` after the canary started, when looks are
 * `intervalSeconds` apart over `windowSeconds`. Rounds to the nearest look, so runs a
 * look interval apart get distinct looks even when the canary's start is read a few
 * seconds off (first scrape, Job start-up) either way. The last look is decided by the
 * rollout's clock: `final` (Argo's final metric), or a whole window elapsed; earlier runs
 * never take it.
 */
export function lookAt(elapsedSeconds: number, intervalSeconds: number, windowSeconds: number, final = false): Look {
  const count = Math.max(1, Math.round(windowSeconds / intervalSeconds));
  const byClock = Math.round(elapsedSeconds / intervalSeconds);
  const index = final || count === 1 || byClock >= count ? count : Math.min(count - 1, Math.max(1, byClock));
  return { index, count, final: index === count };
}

/** The nominal level look `look` may test at when the whole analysis spends `alpha`. */
export function lookLevel(spending: SpendingFunction, alpha: number, look: Look): number {
  return groupSequentialLevels(spending, alpha, look.count)[look.index - 1]!;
}

const SMALLEST_LEVEL = 1e-30;
/** Spending functions are increasing in α only up to about α = 0.5 (O'Brien–Fleming's increments shrink again near 1). */
const LARGEST_LEVEL = 0.5;
/** Points of the α grid the sequential p-values are interpolated on (log-spaced, 1e-30 … 0.5, about one per decade and a half). */
const GRID_POINTS = 21;

interface LevelTable {
  readonly logAlpha: Float64Array;
  readonly logLevel: Float64Array;
}

const levelTables = new WeakMap<SpendingFunction, Map<string, LevelTable>>();

/** log level at each log α of the grid, for one look of one spending function. */
function levelTable(spending: SpendingFunction, look: Look): LevelTable {
  const key = `${look.index}/${look.count}`;
  const tables = levelTables.get(spending) ?? new Map<string, LevelTable>();
  levelTables.set(spending, tables);
  let table = tables.get(key);
  if (!table) {
    const logAlpha = new Float64Array(GRID_POINTS);
    const logLevel = new Float64Array(GRID_POINTS);
    const lo = Math.log(SMALLEST_LEVEL);
    const hi = Math.log(LARGEST_LEVEL);
    for (let i = 0; i < GRID_POINTS; i++) {
      logAlpha[i] = lo + ((hi - lo) * i) / (GRID_POINTS - 1);
      logLevel[i] = Math.log(Math.max(Number.MIN_VALUE, lookLevel(spending, Math.exp(logAlpha[i]!), look)));
    }
    table = { logAlpha, logLevel };
    tables.set(key, table);
  }
  return table;
}

/**
 * Sequential p-value: the smallest overall α at which this look's test would reject a
 * nominal p-value `p`, interpolated (log-log) between exact boundaries on a grid of α.
 * For the report: the verdict itself compares p with exact levels.
 */
export function sequentialPValue(p: number, spending: SpendingFunction, look: Look): number {
  const { logAlpha, logLevel } = levelTable(spending, look);
  const logP = Math.log(p);
  if (logLevel[GRID_POINTS - 1]! < logP) return 1;
  if (logLevel[0]! >= logP) return SMALLEST_LEVEL;
  let i = 1;
  while (logLevel[i]! < logP) i++;
  const share = (logP - logLevel[i - 1]!) / (logLevel[i]! - logLevel[i - 1]!);
  return Math.exp(logAlpha[i - 1]! + share * (logAlpha[i]! - logAlpha[i - 1]!));
}
