/**
 * Alpha spending across repeated looks (Lan & DeMets 1983). The gate may run every
 * minute of a 10-minute window; testing each look at a fixed α would give 17.6% false
 * alarms instead of 5% (see docs/canary.md). A spending function says how much of α
 * may be used up by information fraction t; look k of K may reject at the increment
 * α(k/K) − α((k−1)/K). The increments add up to α, so by Bonferroni over looks the
 * chance of a false rejection at any look stays at most α, whatever the correlation
 * between looks (and conservative because they are strongly correlated).
 */
import { normalUpperQuantile, normalUpperTail } from './normal.js';

/** Cumulative α spent by information fraction t ∈ [0, 1]; equals α at t = 1. */
export type SpendingFunction = (t: number, alpha: number) => number;

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
  return spending(look.index / look.count, alpha) - spending((look.index - 1) / look.count, alpha);
}

const SMALLEST_LEVEL = 1e-30;
/** Spending functions are increasing in α only up to about α = 0.5 (O'Brien–Fleming's increments shrink again near 1). */
const LARGEST_LEVEL = 0.5;

/**
 * Sequential p-value: the smallest overall α at which this look's test would reject a
 * nominal p-value `p`. Under the null, P(any look's sequential p ≤ a) ≤ a, so these can
 * go straight into Holm or Benjamini–Hochberg across tenants and metrics.
 */
export function sequentialPValue(p: number, spending: SpendingFunction, look: Look): number {
  if (lookLevel(spending, LARGEST_LEVEL, look) < p) return 1;
  if (lookLevel(spending, SMALLEST_LEVEL, look) >= p) return SMALLEST_LEVEL;
  let lo = Math.log(SMALLEST_LEVEL);
  let hi = Math.log(LARGEST_LEVEL);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (lookLevel(spending, Math.exp(mid), look) >= p) hi = mid;
    else lo = mid;
  }
  return Math.exp(hi);
}
