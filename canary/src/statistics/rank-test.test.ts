import { describe, expect, it } from 'vitest';
import { combineRankStatistics, probabilityOfSuperiority, rankShiftPValue, rankShiftPValueSmallSample, rankStatistic } from './rank-test.js';

// Canary x = [1,2,2,3,5,5,6], baseline y = [0,1,1,2,4,2,3,1], one bin per value 0..6.
// Reference computed from the raw values in Python 3 (pairwise U, average-rank tie
// correction, continuity 0.5): U = 43, Var = 71.7333, p = 0.0434470 — the definition
// scipy.stats.mannwhitneyu(x, y, alternative='greater', method='asymptotic') uses.
const canary = [0, 1, 2, 1, 0, 2, 1];
const baseline = [1, 3, 2, 1, 1, 0, 0];

describe('rankStatistic', () => {
  it('counts U from bins as pairwise comparisons with ties as halves', () => {
    const s = rankStatistic(canary, baseline);
    expect(s.u).toBe(43);
    expect(s.mean).toBe(28);
    expect(s.variance).toBeCloseTo(71.73333333333333, 10);
  });

  it('refuses histograms with different bins', () => {
    expect(() => rankStatistic([1, 2], [1, 2, 3])).toThrow(/different bins/);
  });
});

describe('rankShiftPValue', () => {
  it('matches the tie-corrected normal approximation with continuity correction', () => {
    expect(rankShiftPValue(rankStatistic(canary, baseline))).toBeCloseTo(0.04344697729832566, 6);
  });

  it("agrees with the scipy.stats.mannwhitneyu documentation example (males vs females, asymptotic p = 0.11134688653314041 two-sided)", () => {
    // males = [19, 22, 16, 29, 24], females = [20, 11, 17, 12]; one bin per distinct value
    // 11, 12, 16, 17, 19, 20, 22, 24, 29. U = 17; the one-sided p is half the two-sided one.
    const males = [0, 0, 1, 0, 1, 0, 1, 1, 1];
    const females = [1, 1, 0, 1, 0, 1, 0, 0, 0];
    const s = rankStatistic(males, females);
    expect(s.u).toBe(17);
    expect(rankShiftPValue(s)).toBeCloseTo(0.11134688653314041 / 2, 6);
  });

  it('is about one half for identical histograms and 1 when one side is empty', () => {
    expect(rankShiftPValue(rankStatistic([5, 10, 5], [50, 100, 50]))).toBeGreaterThan(0.45);
    expect(rankShiftPValue(rankStatistic([0, 0, 0], [50, 100, 50]))).toBe(1);
  });

  it('does not flag a canary that got faster', () => {
    expect(rankShiftPValue(rankStatistic([30, 5, 0], [10, 50, 40]))).toBeGreaterThan(0.99);
  });
});

describe('combineRankStatistics', () => {
  it('adds U, means and variances across strata, so a fast and a slow tenant do not compare with each other', () => {
    const fast = rankStatistic([10, 0, 0], [100, 0, 0]);
    const slow = rankStatistic([0, 0, 10], [0, 0, 100]);
    const combined = combineRankStatistics([fast, slow]);
    expect(combined.u).toBe(fast.u + slow.u);
    expect(combined.mean).toBe(fast.mean + slow.mean);
    // Pooled without strata the same data would look like a huge shift; stratified there is none.
    expect(rankShiftPValue(combined)).toBe(1);
    expect(probabilityOfSuperiority(combined)).toBe(0.5);
  });
});

/** Exact one-sided permutation p-value of the canary's rank sum given the bins (dynamic programming over bins). */
function exactPermutationPValue(canaryBins: readonly number[], baselineBins: readonly number[]): number {
  const n = canaryBins.reduce((a, b) => a + b, 0);
  const totals = canaryBins.map((c, i) => c + baselineBins[i]!);
  const all = totals.reduce((a, b) => a + b, 0);
  // Twice the midrank of each bin is an integer; the state is (canary placed, twice their rank sum).
  let below = 0;
  const twiceRanks = totals.map((t) => {
    const r = 2 * below + t + 1;
    below += t;
    return r;
  });
  const observed = canaryBins.reduce((a, c, i) => a + c * twiceRanks[i]!, 0);
  const logChoose = (m: number, k: number): number => {
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.log(m - i) - Math.log(i + 1);
    return s;
  };
  let states = new Map<string, number>([['0/0', 0]]);
  totals.forEach((t, i) => {
    const next = new Map<string, number>();
    for (const [key, logWays] of states) {
      const [placed, sum] = key.split('/').map(Number) as [number, number];
      for (let c = 0; c <= Math.min(t, n - placed); c++) {
        const k = `${placed + c}/${sum + c * twiceRanks[i]!}`;
        const value = logWays + logChoose(t, c);
        const old = next.get(k);
        next.set(k, old === undefined ? value : Math.max(old, value) + Math.log1p(Math.exp(-Math.abs(old - value))));
      }
    }
    states = next;
  });
  const logTotal = logChoose(all, n);
  let p = 0;
  for (const [key, logWays] of states) {
    const [placed, sum] = key.split('/').map(Number) as [number, number];
    if (placed === n && sum >= observed) p += Math.exp(logWays - logTotal);
  }
  return p;
}

describe('rankShiftPValueSmallSample', () => {
  it('follows the exact permutation tail where ties make the normal approximation far too small', () => {
    // A fast tenant: 97% of requests in the first bucket; the canary has 4 of 30 in the second.
    const canaryBins = [26, 4, 0];
    const baselineBins = [588, 12, 0];
    const exact = exactPermutationPValue(canaryBins, baselineBins);
    const normal = rankShiftPValue(rankStatistic(canaryBins, baselineBins));
    const saddlepoint = rankShiftPValueSmallSample(canaryBins, baselineBins);
    expect(normal).toBeLessThan(exact / 50);
    expect(saddlepoint).toBeGreaterThanOrEqual(exact);
    expect(saddlepoint).toBeLessThan(exact * 2);
  });

  it('errs on the safe side of the exact tail, within a factor 2.5, for a small sample over many buckets', () => {
    const canaryBins = [1, 3, 5, 6, 4, 1];
    const baselineBins = [30, 50, 40, 20, 10, 2];
    const exact = exactPermutationPValue(canaryBins, baselineBins);
    const saddlepoint = rankShiftPValueSmallSample(canaryBins, baselineBins);
    expect(saddlepoint / exact).toBeGreaterThanOrEqual(1);
    expect(saddlepoint / exact).toBeLessThan(2.5);
  });

  it('is never below the normal approximation', () => {
    const canaryBins = [0, 2, 10, 30];
    const baselineBins = [100, 200, 100, 50];
    expect(rankShiftPValueSmallSample(canaryBins, baselineBins)).toBeGreaterThanOrEqual(rankShiftPValue(rankStatistic(canaryBins, baselineBins)));
  });
});
