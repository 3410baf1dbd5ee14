/**
 * Mann-Whitney U on binned histograms. Every request in one histogram bin ties with
 * every other request in that bin, so the test works on bin counts directly (no
 * per-request data): U counts, for each canary request, the baseline requests in
 * lower bins plus half of those in the same bin, and the variance carries the usual tie
 * correction. One-sided: "canary latencies are stochastically larger".
 */
import { normalUpperTail } from './normal.js';
import { exactRankShiftPValue } from './permutation-rank-test.js';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Above this p-value no test of the gate can reject (the CLI takes α < 0.5), so the saddlepoint is skipped. */
const NO_LEVEL_ABOVE = 0.5;

/** The pieces of one rank comparison; strata add them up (see `combineRankStatistics`). */
export interface RankStatistic {
  /** U of the canary over the baseline. */
  readonly u: number;
  /** E[U] under "same distribution": n_c · n_b / 2. */
  readonly mean: number;
  /** Var[U] under the null, tie-corrected. */
  readonly variance: number;
  readonly canaryCount: number;
  readonly baselineCount: number;
  /** Tenants summed into this statistic (1 for one tenant). */
  readonly strata: number;
}

/**
 * U statistic, its null mean and tie-corrected variance for two histograms over the
 * same bins (counts per bin, not cumulative).
 */
export function rankStatistic(canaryBins: readonly number[], baselineBins: readonly number[]): RankStatistic {
  if (canaryBins.length !== baselineBins.length) {
    throw new Error(`histograms have different bins (${canaryBins.length} vs ${baselineBins.length})`);
  }
  let u = 0;
  let baselineBelow = 0;
  let canaryCount = 0;
  let baselineCount = 0;
  let tieCubes = 0;
  for (let i = 0; i < canaryBins.length; i++) {
    const c = canaryBins[i]!;
    const b = baselineBins[i]!;
    u += c * (baselineBelow + b / 2);
    baselineBelow += b;
    canaryCount += c;
    baselineCount += b;
    const t = c + b;
    tieCubes += t * t * t - t;
  }
  const n = canaryCount + baselineCount;
  const mean = (canaryCount * baselineCount) / 2;
  const variance = n > 1 ? ((canaryCount * baselineCount) / 12) * (n + 1 - tieCubes / (n * (n - 1))) : 0;
  return { u, mean, variance, canaryCount, baselineCount, strata: 1 };
}

/** Sums per-stratum statistics (van Elteren-style, equal weights): one test across tenants. */
export function combineRankStatistics(parts: readonly RankStatistic[]): RankStatistic {
  let u = 0;
  let mean = 0;
  let variance = 0;
  let canaryCount = 0;
  let baselineCount = 0;
  let strata = 0;
  for (const p of parts) {
    strata += p.strata;
    u += p.u;
    mean += p.mean;
    variance += p.variance;
    canaryCount += p.canaryCount;
    baselineCount += p.baselineCount;
  }
  return { u, mean, variance, canaryCount, baselineCount, strata };
}

/**
 * One-sided p-value of "canary larger", normal approximation with continuity correction
 * (as scipy.stats.mannwhitneyu(x, y, alternative='greater', method='asymptotic',
 * use_continuity=True)). 1 when there is nothing to compare.
 */
export function rankShiftPValue(statistic: RankStatistic): number {
  if (statistic.variance <= 0) return 1;
  const z = (statistic.u - statistic.mean - 0.5) / Math.sqrt(statistic.variance);
  return normalUpperTail(z);
}

/**
 * At most this many occupied bins, the exact permutation tail is computed (within its
 * budget). Measured (docs/canary.md): the saddlepoint was up to 1.7× too small only with
 * two or three occupied bins, never with five or more; with five or more and a few hundred
 * canary requests the exact walk mostly exceeds its budget.
 */
const EXACT_UP_TO_BINS = 4;

export type RankTailMethod = 'normal' | 'saddlepoint' | 'exact';

/**
 * One-sided p-value of "canary larger" for one tenant. Exact (the permutation tail given
 * the bins, permutation-rank-test.ts) where approximations are unsafe, requests in at
 * most four buckets (heavy ties), as long as the exact walk fits its budget. Elsewhere the
 * saddlepoint tail, measured 1.0–4.5× above the exact one with five or more occupied
 * buckets (docs/canary.md); above 0.5, where no look can reject, the normal approximation.
 */
export function tenantRankShiftPValue(canaryBins: readonly number[], baselineBins: readonly number[]): number {
  return tenantRankShiftTail(canaryBins, baselineBins).pValue;
}

/** `tenantRankShiftPValue` and which tail it used. */
export function tenantRankShiftTail(canaryBins: readonly number[], baselineBins: readonly number[]): { readonly pValue: number; readonly method: RankTailMethod } {
  const normal = rankShiftPValue(rankStatistic(canaryBins, baselineBins));
  if (normal >= NO_LEVEL_ABOVE) return { pValue: normal, method: 'normal' };
  let occupied = 0;
  for (let i = 0; i < canaryBins.length; i++) if (canaryBins[i]! + baselineBins[i]! > 0) occupied++;
  if (occupied <= EXACT_UP_TO_BINS) {
    const exact = exactRankShiftPValue(canaryBins, baselineBins);
    if (exact !== undefined) return { pValue: exact, method: 'exact' };
  }
  return { pValue: rankShiftPValueSaddlepoint(canaryBins, baselineBins), method: 'saddlepoint' };
}

/**
 * One-sided p-value of "canary larger" for one tenant, the Lugannani–Rice saddlepoint approximation to the tail of the canary's rank sum
 * when its requests are drawn from the pooled histogram (with replacement, which spreads
 * the sum a little more than the permutation distribution, so it errs on the safe side),
 * continuity-corrected by half a lattice step.
 * With most requests in one bucket the rank sum is far from normal: the normal
 * approximation's tail is then too thin (6–250× too small at small p), the saddlepoint
 * follows the skew, but with two or three occupied buckets it can still be up to 1.5×
 * too small (docs/canary.md), which is why `tenantRankShiftPValue` takes the exact tail there. Never below the normal approximation (`rankShiftPValue`), which it
 * returns unchanged above 0.5, where no look of the gate can reject.
 */
export function rankShiftPValueSaddlepoint(canaryBins: readonly number[], baselineBins: readonly number[]): number {
  const statistic = rankStatistic(canaryBins, baselineBins);
  const normal = rankShiftPValue(statistic);
  const n = statistic.canaryCount;
  const total = n + statistic.baselineCount;
  // The saddlepoint is never below the normal tail, and no look tests above this level.
  if (statistic.variance <= 0 || n === 0 || normal >= NO_LEVEL_ABOVE) return normal;
  // Centred midranks per bin, in units of the pooled count; the canary's rank sum less its mean.
  const values: number[] = [];
  const weights: number[] = [];
  let below = 0;
  let observed = 0;
  for (let i = 0; i < canaryBins.length; i++) {
    const t = canaryBins[i]! + baselineBins[i]!;
    if (t === 0) continue;
    const v = (below + (t + 1) / 2 - (total + 1) / 2) / total;
    values.push(v);
    weights.push(t / total);
    observed += canaryBins[i]! * v;
    below += t;
  }
  // Continuity: half the smallest step between occupied bins' midranks, the lattice the rank
  // sum moves on when a few buckets hold the requests (0.5, as for U, when steps are fine).
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < values.length; i++) step = Math.min(step, values[i]! - values[i - 1]!);
  const x = observed - Math.max(0.5 / total, Number.isFinite(step) ? step / 2 : 0);
  if (x <= 0) return normal;
  const top = Math.max(...values);
  if (x >= n * top) return Math.max(normal, Math.pow(weights[values.indexOf(top)]!, n));
  const saddlepoint = lugannaniRice([{ draws: n, values, weights, top }], x);
  return saddlepoint === undefined ? normal : Math.min(1, Math.max(normal, saddlepoint));
}

/** The bins of one stratum (tenant) of a pooled rank comparison. */
export interface RankStratum {
  readonly canaryBins: readonly number[];
  readonly baselineBins: readonly number[];
}

/**
 * One-sided p-value of "canary larger" for a pooled group, the sum of its tenants' U
 * (`statistic`, from `combineRankStatistics` over the same `strata`): the Lugannani–Rice
 * saddlepoint of that sum, each tenant's canary requests drawn from its own pooled
 * histogram, continuity-corrected by 0.5. Never below the normal approximation. With
 * heavy ties in every tenant the sum stays skewed: over 1,848 fast tenants of few requests
 * each, the normal tail was 1.35× too small at 1e-3 (docs/canary.md).
 */
export function stratifiedRankShiftPValue(strata: readonly RankStratum[], statistic: RankStatistic): number {
  const normal = rankShiftPValue(statistic);
  if (statistic.variance <= 0 || normal >= NO_LEVEL_ABOVE) return normal;
  const x = statistic.u - statistic.mean - 0.5;
  if (x <= 0) return normal;
  const parts: Draws[] = [];
  let reach = 0;
  for (const { canaryBins, baselineBins } of strata) {
    let draws = 0;
    let total = 0;
    for (let i = 0; i < canaryBins.length; i++) {
      draws += canaryBins[i]!;
      total += canaryBins[i]! + baselineBins[i]!;
    }
    if (draws === 0 || draws === total) continue;
    // Centred midranks per bin, in ranks: the canary's rank sum less its mean is U less its mean.
    const values: number[] = [];
    const weights: number[] = [];
    let below = 0;
    for (let i = 0; i < canaryBins.length; i++) {
      const t = canaryBins[i]! + baselineBins[i]!;
      if (t === 0) continue;
      values.push(below + (t + 1) / 2 - (total + 1) / 2);
      weights.push(t / total);
      below += t;
    }
    const top = values[values.length - 1]!;
    reach += draws * top;
    parts.push({ draws, values, weights, top });
  }
  if (x >= reach) return normal;
  const saddlepoint = lugannaniRice(parts, x);
  return saddlepoint === undefined ? normal : Math.min(1, Math.max(normal, saddlepoint));
}

/** `draws` requests drawn with replacement from `values` with probabilities `weights`; `top` is the largest value. */
interface Draws {
  readonly draws: number;
  readonly values: readonly number[];
  readonly weights: readonly number[];
  readonly top: number;
}

/**
 * Lugannani–Rice upper tail P(S ≥ x) of S, the sum of every part's draws (x above the
 * mean 0, below the largest reachable sum). Undefined where the formula degenerates
 * (x at the mean), where the normal tail serves.
 */
function lugannaniRice(parts: readonly Draws[], x: number): number | undefined {
  // Cumulant generating function of S and its derivatives, each part stabilised by its top value.
  const cumulants = (theta: number): { k: number; k1: number; k2: number } => {
    let k = 0;
    let k1 = 0;
    let k2 = 0;
    for (const { draws, values, weights, top } of parts) {
      let m0 = 0;
      let m1 = 0;
      let m2 = 0;
      for (let i = 0; i < values.length; i++) {
        const e = weights[i]! * Math.exp(theta * (values[i]! - top));
        m0 += e;
        m1 += e * values[i]!;
        m2 += e * values[i]! * values[i]!;
      }
      const mean = m1 / m0;
      k += draws * (Math.log(m0) + theta * top);
      k1 += draws * mean;
      k2 += draws * (m2 / m0 - mean * mean);
    }
    return { k, k1, k2 };
  };
  // K'(θ) = x: Newton steps from θ = 0, kept inside a bracket that bisects when a step leaves it.
  let lo = 0;
  let hi = 1;
  while (cumulants(hi).k1 < x && hi < 1e9) hi *= 2;
  let theta = 0;
  for (let i = 0; i < 100; i++) {
    const { k1, k2 } = cumulants(theta);
    if (k1 < x) lo = theta;
    else hi = theta;
    const step = k2 > 0 ? theta - (k1 - x) / k2 : Number.NaN;
    const next = step > lo && step < hi ? step : (lo + hi) / 2;
    if (Math.abs(next - theta) <= 1e-12 * Math.max(1, theta)) break;
    theta = next;
  }
  const { k, k2 } = cumulants(theta);
  const w = Math.sqrt(Math.max(0, 2 * (theta * x - k)));
  const u = theta * Math.sqrt(k2);
  if (w < 1e-6 || u <= 0) return undefined;
  return normalUpperTail(w) + INV_SQRT_2PI * Math.exp(-0.5 * w * w) * (1 / u - 1 / w);
}

/** Probability that a canary request is slower than a baseline request of the same stratum (ties count half): U / Σ n_c·n_b. */
export function probabilityOfSuperiority(statistic: RankStatistic): number {
  const pairs = statistic.canaryCount * statistic.baselineCount;
  return pairs > 0 ? statistic.u / (2 * statistic.mean) : 0.5;
}
