import { describe, expect, it } from 'vitest';
import { exactRankShiftPValue } from './permutation-rank-test.js';
import { combineRankStatistics, probabilityOfSuperiority, rankShiftPValue, rankShiftPValueSaddlepoint, rankStatistic, stratifiedRankShiftPValue, tenantRankShiftTail } from './rank-test.js';

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

describe('rankShiftPValueSaddlepoint', () => {
  it('follows the exact permutation tail where ties make the normal approximation far too small', () => {
    // A fast tenant: 97% of requests in the first bucket; the canary has 4 of 30 in the second.
    const canaryBins = [26, 4, 0];
    const baselineBins = [588, 12, 0];
    const exact = exactRankShiftPValue(canaryBins, baselineBins)!;
    const normal = rankShiftPValue(rankStatistic(canaryBins, baselineBins));
    const saddlepoint = rankShiftPValueSaddlepoint(canaryBins, baselineBins);
    expect(normal).toBeLessThan(exact / 50);
    expect(saddlepoint).toBeGreaterThanOrEqual(exact);
    expect(saddlepoint).toBeLessThan(exact * 2);
  });

  it('errs on the safe side of the exact tail, within a factor 2.5, for a small sample over many buckets', () => {
    const canaryBins = [1, 3, 5, 6, 4, 1];
    const baselineBins = [30, 50, 40, 20, 10, 2];
    const exact = exactRankShiftPValue(canaryBins, baselineBins)!;
    const saddlepoint = rankShiftPValueSaddlepoint(canaryBins, baselineBins);
    expect(saddlepoint / exact).toBeGreaterThanOrEqual(1);
    expect(saddlepoint / exact).toBeLessThan(2.5);
  });

  it('is never below the normal approximation', () => {
    const canaryBins = [0, 2, 10, 30];
    const baselineBins = [100, 200, 100, 50];
    expect(rankShiftPValueSaddlepoint(canaryBins, baselineBins)).toBeGreaterThanOrEqual(rankShiftPValue(rankStatistic(canaryBins, baselineBins)));
  });
});

describe('tenantRankShiftTail', () => {
  it('takes the exact tail where the saddlepoint would be too small: two occupied buckets and one outlier', () => {
    // A fast tenant with a canary slowed a little: exact 4.7e-3, saddlepoint 2.9e-3 (0.61×), normal 1.0e-4 (46× too small).
    const canaryBins = [86, 5, 0, 0];
    const baselineBins = [2203, 23, 1, 0];
    const exact = exactRankShiftPValue(canaryBins, baselineBins)!;
    expect(rankShiftPValueSaddlepoint(canaryBins, baselineBins)).toBeLessThan(exact * 0.7);
    expect(rankShiftPValue(rankStatistic(canaryBins, baselineBins))).toBeLessThan(exact / 40);
    expect(tenantRankShiftTail(canaryBins, baselineBins)).toEqual({ pValue: exact, method: 'exact' });
  });

  it('keeps the saddlepoint where many buckets make the rank sum close to normal', () => {
    const canaryBins = [2, 6, 14, 20, 18, 12, 8, 5, 3, 2];
    const baselineBins = [60, 150, 300, 380, 330, 250, 170, 110, 60, 30];
    const tail = tenantRankShiftTail(canaryBins, baselineBins);
    expect(tail.method).toBe('saddlepoint');
    expect(tail.pValue).toBe(rankShiftPValueSaddlepoint(canaryBins, baselineBins));
  });

  it('returns the normal tail above 0.5, where no look can reject', () => {
    expect(tenantRankShiftTail([30, 5, 0], [10, 50, 40]).method).toBe('normal');
  });
});

describe('stratifiedRankShiftPValue', () => {
  // 50 tenants of 100 requests each, 95 in the fast bucket and 5 in the next; 5 canary
  // requests each. The exact permutation tail of the summed U convolves the tenants' own
  // (hypergeometric) distributions of twice their U.
  const tenants = 50;
  const [fast, slow, canaryEach] = [95, 5, 5];
  const strataWith = (slowCanaryTenants: number) =>
    Array.from({ length: tenants }, (_, i) => {
      const c = i < slowCanaryTenants ? 2 : 0;
      return { canaryBins: [canaryEach - c, c], baselineBins: [fast - canaryEach + c, slow - c] };
    });
  const exactTail = (twiceObserved: number): number => {
    const logChoose = (a: number, b: number): number => {
      let s = 0;
      for (let i = 0; i < b; i++) s += Math.log(a - i) - Math.log(i + 1);
      return s;
    };
    const outcomes = Array.from({ length: canaryEach + 1 }, (_, c) => ({
      probability: Math.exp(logChoose(slow, c) + logChoose(fast, canaryEach - c) - logChoose(fast + slow, canaryEach)),
      twiceU: 2 * rankStatistic([canaryEach - c, c], [fast - canaryEach + c, slow - c]).u,
    }));
    let distribution = new Map<number, number>([[0, 1]]);
    for (let t = 0; t < tenants; t++) {
      const next = new Map<number, number>();
      for (const [sum, p] of distribution) for (const o of outcomes) next.set(sum + o.twiceU, (next.get(sum + o.twiceU) ?? 0) + p * o.probability);
      distribution = next;
    }
    let tail = 0;
    for (const [sum, p] of distribution) if (sum >= twiceObserved) tail += p;
    return tail;
  };

  it('follows the exact tail of many tied tenants where the normal approximation is 4× to 10^5× too small', () => {
    for (const slowCanaryTenants of [12, 14, 16, 18, 20]) {
      const strata = strataWith(slowCanaryTenants);
      const statistic = combineRankStatistics(strata.map((s) => rankStatistic(s.canaryBins, s.baselineBins)));
      const exact = exactTail(2 * statistic.u);
      const normal = rankShiftPValue(statistic);
      const saddlepoint = stratifiedRankShiftPValue(strata, statistic);
      expect(normal).toBeLessThan(exact / 4);
      expect(saddlepoint / exact).toBeGreaterThan(0.85);
      expect(saddlepoint / exact).toBeLessThan(2.5);
    }
  });

  it('is the normal approximation above 0.5 and never below it', () => {
    const strata = strataWith(0);
    const statistic = combineRankStatistics(strata.map((s) => rankStatistic(s.canaryBins, s.baselineBins)));
    expect(stratifiedRankShiftPValue(strata, statistic)).toBe(rankShiftPValue(statistic));
    const shifted = strataWith(9);
    const shiftedStatistic = combineRankStatistics(shifted.map((s) => rankStatistic(s.canaryBins, s.baselineBins)));
    expect(stratifiedRankShiftPValue(shifted, shiftedStatistic)).toBeGreaterThanOrEqual(rankShiftPValue(shiftedStatistic));
  });
});
