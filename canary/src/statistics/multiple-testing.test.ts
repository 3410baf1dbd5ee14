import { describe, expect, it } from 'vitest';
import { benjaminiHochbergRejections, holmAdjusted, holmRejections, rejections } from './multiple-testing.js';

// Worked by hand: sorted p = 0.005, 0.01, 0.03, 0.04; Holm thresholds α/4, α/3, α/2, α;
// BH thresholds α·k/4.
const pValues = [0.01, 0.04, 0.03, 0.005];

describe('holmRejections', () => {
  it('steps down until the first p above α/(m − j)', () => {
    expect([...holmRejections(pValues, 0.05)].sort()).toEqual([0, 3]);
  });

  it('rejects nothing when the smallest p misses α/m', () => {
    expect(holmRejections([0.02, 0.5], 0.03).size).toBe(0);
  });
});

describe('holmAdjusted', () => {
  it('gives monotone adjusted p-values in input order', () => {
    const adjusted = holmAdjusted(pValues);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
  });
});

describe('benjaminiHochbergRejections', () => {
  it('steps up from the largest p that meets α·k/m', () => {
    expect([...benjaminiHochbergRejections(pValues, 0.05)].sort()).toEqual([0, 1, 2, 3]);
    expect([...benjaminiHochbergRejections([0.01, 0.04, 0.03, 0.005], 0.02)].sort()).toEqual([0, 3]);
  });
});

describe('levelOf (alpha spending hands each granted level to this look)', () => {
  it('makes Holm compare each p with the nominal level of its granted level', () => {
    // Granted α/4 = 0.0125 becomes 0.00125 at this look: 0.005 no longer passes.
    expect(holmRejections(pValues, 0.05, (a) => a / 10).size).toBe(0);
    expect([...holmRejections(pValues, 0.05, (a) => a / 2)].sort()).toEqual([3]);
  });

  it('applies to Benjamini–Hochberg the same way', () => {
    expect([...rejections('benjamini-hochberg', pValues, 0.05, (a) => a / 2)].sort()).toEqual([0, 3]);
  });
});
