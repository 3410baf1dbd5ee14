import { describe, expect, it } from 'vitest';
import { exactRankShiftPValue, exactRankShiftTail } from './permutation-rank-test.js';

/**
 * The permutation tail by brute force: every choice of which pooled requests are the
 * canary's, the canary's midrank sum of each, the share at or above the observed sum.
 */
function enumeratedPValue(canaryBins: readonly number[], baselineBins: readonly number[]): number {
  const totals = canaryBins.map((c, i) => c + baselineBins[i]!);
  const midranks: number[] = [];
  let below = 0;
  for (const t of totals) {
    midranks.push(below + (t + 1) / 2);
    below += t;
  }
  const pool = totals.flatMap((t, i) => Array<number>(t).fill(midranks[i]!));
  const n = canaryBins.reduce((a, b) => a + b, 0);
  const observed = canaryBins.reduce((a, c, i) => a + c * midranks[i]!, 0);
  let atLeast = 0;
  let all = 0;
  const choose = (from: number, left: number, sum: number): void => {
    if (left === 0) {
      all++;
      if (sum >= observed - 1e-9) atLeast++;
      return;
    }
    for (let i = from; i <= pool.length - left; i++) choose(i + 1, left - 1, sum + pool[i]!);
  };
  choose(0, n, 0);
  return atLeast / all;
}

/** Small tied histograms from a fixed linear congruential sequence (the same cases on every run). */
function smallCases(count: number): [number[], number[]][] {
  let state = 12345;
  const next = (k: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % k;
  };
  return Array.from({ length: count }, () => {
    const bins = 2 + next(3);
    return [Array.from({ length: bins }, () => next(3)), Array.from({ length: bins }, () => next(4))];
  });
}

describe('exactRankShiftPValue', () => {
  it('equals brute-force enumeration of every assignment on 60 small tied histograms', () => {
    for (const [canary, baseline] of smallCases(60)) {
      expect(exactRankShiftPValue(canary, baseline)).toBeCloseTo(enumeratedPValue(canary, baseline), 12);
    }
  });

  it('equals scipy.stats.permutation_test (exact, rank sum of midranks, alternative="greater") on tied samples', () => {
    // scipy 1.17.1: permutation_test((x, y), rank-sum statistic, permutation_type='independent',
    // alternative='greater', n_resamples=np.inf), x and y one value per request at its bin index.
    const cases: [number[], number[], number][] = [
      [[1, 2, 0, 1], [3, 1, 2, 0], 0.319047619047619],
      [[0, 2, 3, 1], [4, 3, 1, 1], 0.03896103896103896],
      [[0, 0, 4], [7, 2, 1], 0.004995004995004995],
      [[3, 4, 1], [12, 3, 0], 0.03872212500560865],
      [[2, 3, 2, 1], [9, 4, 1, 0], 0.0325421396628827],
      [[6, 2, 1], [14, 2, 0], 0.1541501976284585],
    ];
    for (const [canary, baseline, scipy] of cases) expect(exactRankShiftPValue(canary, baseline)! / scipy).toBeCloseTo(1, 12);
  });

  it('is 1 when there is nothing to rank: an empty track or every request in one bin', () => {
    expect(exactRankShiftPValue([0, 0, 0], [4, 5, 6])).toBe(1);
    expect(exactRankShiftPValue([3, 0], [7, 0])).toBe(1);
  });

  it('gives up, rather than run long, when the walk exceeds its budget', () => {
    const canary = [2, 4, 6, 5, 3, 2];
    const baseline = [40, 70, 100, 90, 60, 40];
    const unbounded = exactRankShiftTail(canary, baseline, Number.POSITIVE_INFINITY)!;
    expect(unbounded.transitions).toBeGreaterThan(1000);
    expect(exactRankShiftPValue(canary, baseline, 1000)).toBeUndefined();
    expect(exactRankShiftPValue(canary, baseline, unbounded.transitions)).toBe(unbounded.pValue);
  });

  it('refuses histograms with different bins', () => {
    expect(() => exactRankShiftPValue([1, 2], [1, 2, 3])).toThrow(/different bins/);
  });
});
