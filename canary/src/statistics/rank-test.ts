/**
 * Mann-Whitney U on binned histograms. Every request in one histogram bin ties with
 * every other request in that bin, so the test works on bin counts directly (no
 * per-request data): U counts, for each canary request, the baseline requests in
 * lower bins plus half of those in the same bin, and the variance carries the usual tie
 * correction. One-sided: "canary latencies are stochastically larger".
 */
import { normalUpperTail } from './normal.js';

/** The pieces of one rank comparison; strata add them up (see `stratifiedShift`). */
export interface RankStatistic {
  /** U of the canary over the baseline. */
  readonly u: number;
  /** E[U] under "same distribution": n_c · n_b / 2. */
  readonly mean: number;
  /** Var[U] under the null, tie-corrected. */
  readonly variance: number;
  readonly canaryCount: number;
  readonly baselineCount: number;
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
  return { u, mean, variance, canaryCount, baselineCount };
}

/** Sums per-stratum statistics (van Elteren-style, equal weights): one test across tenants. */
export function combineRankStatistics(parts: readonly RankStatistic[]): RankStatistic {
  let u = 0;
  let mean = 0;
  let variance = 0;
  let canaryCount = 0;
  let baselineCount = 0;
  for (const p of parts) {
    u += p.u;
    mean += p.mean;
    variance += p.variance;
    canaryCount += p.canaryCount;
    baselineCount += p.baselineCount;
  }
  return { u, mean, variance, canaryCount, baselineCount };
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

/** Probability that a canary request is slower than a baseline request of the same stratum (ties count half): U / Σ n_c·n_b. */
export function probabilityOfSuperiority(statistic: RankStatistic): number {
  const pairs = statistic.canaryCount * statistic.baselineCount;
  return pairs > 0 ? statistic.u / (2 * statistic.mean) : 0.5;
}
