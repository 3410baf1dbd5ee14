/**
 * Exact group-sequential boundaries for Lan–DeMets alpha spending (Armitage, McPherson
 * and Rowe's recursive numerical integration; Jennison & Turnbull, "Group Sequential
 * Methods", ch. 19). The cumulative statistic at K equally spaced looks is a Brownian
 * motion S(t_k) with t_k = k/K; look k rejects when S(t_k) ≥ c_k, with c_k chosen so
 * the chance of crossing first at look k under the null is exactly α(t_k) − α(t_{k−1}).
 * Using each increment as a Bonferroni level instead ignores that the looks are
 * correlated, and spends only part of α (the power that costs is in docs/canary.md).
 *
 * The density of S on the continuation region is carried from look to look on a grid
 * (Simpson's rule, `GRID` points over 12 standard deviations); c_k is found by bisection.
 */
import { normalUpperQuantile, normalUpperTail } from './normal.js';

/** Cumulative α spent by information fraction t ∈ [0, 1]; equals α at t = 1. */
export type SpendingFunction = (t: number, alpha: number) => number;

/** Grid points per look (odd, for Simpson's rule). */
const GRID = 81;
/** Increments below this are spent as Bonferroni levels: the looks before barely truncate anything. */
const NEGLIGIBLE = 1e-250;

const SQRT_2PI = Math.sqrt(2 * Math.PI);

interface Density {
  readonly points: Float64Array;
  /** Density times Simpson weight at each point. */
  readonly weighted: Float64Array;
}

/** Simpson weights over n points spaced h apart. */
function simpsonWeight(i: number, n: number, h: number): number {
  if (i === 0 || i === n - 1) return h / 3;
  return ((i % 2 === 1 ? 4 : 2) * h) / 3;
}

/** The sub-density of S(t) on S < c at the first look (a normal of variance t, truncated). */
function firstDensity(t: number, c: number): Density {
  const sd = Math.sqrt(t);
  return gridDensity(-8 * sd, Math.min(c, 8 * sd), (s) => Math.exp((-s * s) / (2 * t)) / (sd * SQRT_2PI));
}

function gridDensity(lo: number, hi: number, f: (s: number) => number): Density {
  const points = new Float64Array(GRID);
  const weighted = new Float64Array(GRID);
  const h = (hi - lo) / (GRID - 1);
  for (let i = 0; i < GRID; i++) {
    points[i] = lo + i * h;
    weighted[i] = f(points[i]!) * simpsonWeight(i, GRID, h);
  }
  return { points, weighted };
}

/** The sub-density of S at the next look, on S < c, after an increment of variance `delta`. */
function nextDensity(previous: Density, delta: number, t: number, c: number): Density {
  const sd = Math.sqrt(delta);
  const spread = Math.sqrt(t);
  return gridDensity(-8 * spread, Math.min(c, 8 * spread), (s) => {
    let sum = 0;
    for (let j = 0; j < GRID; j++) {
      const z = (s - previous.points[j]!) / sd;
      sum += previous.weighted[j]! * Math.exp(-0.5 * z * z);
    }
    return sum / (sd * SQRT_2PI);
  });
}

/** P(continue to the previous look, then S ≥ c at this one). */
function crossing(previous: Density, delta: number, c: number): number {
  const sd = Math.sqrt(delta);
  let sum = 0;
  for (let j = 0; j < GRID; j++) sum += previous.weighted[j]! * normalUpperTail((c - previous.points[j]!) / sd);
  return sum;
}

/** Levels by spending function, then by α and count: Holm asks for the same few levels at every look. */
const cache = new WeakMap<SpendingFunction, Map<string, readonly number[]>>();
/** Distinct (α, count) pairs kept per spending function before the cache starts over. */
const CACHE_LIMIT = 4096;

/**
 * Nominal one-sided levels of looks 1..`count` (equally spaced) that spend exactly
 * `spending`'s increments of `alpha`: look k rejects when its p-value ≤ levels[k − 1].
 */
export function groupSequentialLevels(spending: SpendingFunction, alpha: number, count: number): readonly number[] {
  const key = `${alpha}/${count}`;
  let byKey = cache.get(spending);
  if (!byKey || byKey.size > CACHE_LIMIT) {
    byKey = new Map();
    cache.set(spending, byKey);
  }
  const cached = byKey.get(key);
  if (cached) return cached;
  const levels: number[] = [];
  let density: Density | undefined;
  let spent = 0;
  for (let k = 1; k <= count; k++) {
    const t = k / count;
    const increment = Math.max(0, spending(t, alpha) - spent);
    spent += increment;
    let c: number;
    if (increment <= 0) {
      c = Number.POSITIVE_INFINITY;
      levels.push(0);
    } else if (density === undefined || increment < NEGLIGIBLE) {
      // First look, or so little to spend that the earlier looks' truncation cannot matter.
      c = Math.sqrt(t) * normalUpperQuantile(Math.min(increment, 0.5));
      levels.push(increment);
    } else {
      const delta = 1 / count;
      const previous: Density = density;
      // Truncation only removes paths, so the exact boundary is at or below the Bonferroni one.
      let hi = Math.sqrt(t) * normalUpperQuantile(Math.min(increment, 0.5));
      let lo = hi - 6 * Math.sqrt(t);
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (crossing(previous, delta, mid) > increment) lo = mid;
        else hi = mid;
      }
      c = hi;
      levels.push(normalUpperTail(c / Math.sqrt(t)));
    }
    if (k < count) density = density === undefined ? firstDensity(t, c) : nextDensity(density, 1 / count, t, c);
  }
  byKey.set(key, levels);
  return levels;
}
