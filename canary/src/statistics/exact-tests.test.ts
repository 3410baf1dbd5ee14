import { describe, expect, it } from 'vitest';
import { binomialUpperTail, fisherExactGreater, logGamma } from './exact-tests.js';

// Reference values computed exactly in Python 3 (math.comb, fractions.Fraction); the
// Fisher cases equal scipy.stats.fisher_exact(table, alternative='greater').
describe('logGamma', () => {
  it('matches factorials and math.lgamma', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(10.5)).toBeCloseTo(13.940625219403763, 10);
  });
});

describe('binomialUpperTail', () => {
  it('sums the upper tail exactly: P(X ≥ 3 | n = 10, p = 0.1) = 0.0701908264', () => {
    expect(binomialUpperTail(3, 10, 0.1)).toBeCloseTo(0.0701908264, 10);
  });

  it('handles the budget-test sizes: P(X ≥ 6 | 120, 1%) and P(X ≥ 40 | 500, 5%)', () => {
    expect(binomialUpperTail(6, 120, 0.01) / 0.0013837235244101003).toBeCloseTo(1, 8);
    expect(binomialUpperTail(40, 500, 0.05) / 0.0027009571817048434).toBeCloseTo(1, 8);
  });

  it('is 1 at or below zero events and 0 above n', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });

  it('is close to 1 when the count sits below the mean (lower-side summation)', () => {
    expect(binomialUpperTail(1, 1000, 0.05)).toBeGreaterThan(0.999999);
  });
});

describe('fisherExactGreater', () => {
  it("gives Fisher's tea-tasting value 17/70 for [[3, 1], [1, 3]]", () => {
    expect(fisherExactGreater({ events: 3, total: 4, referenceEvents: 1, referenceTotal: 4 })).toBeCloseTo(17 / 70, 12);
  });

  it('matches the exact hypergeometric tail for [[8, 2], [1, 5]] (0.0244755)', () => {
    expect(fisherExactGreater({ events: 8, total: 10, referenceEvents: 1, referenceTotal: 6 })).toBeCloseTo(0.024475524475524476, 12);
  });

  it('finds a canary with 6 errors in 120 requests against 2 in 2,280 (p = 3.5676e-7)', () => {
    const p = fisherExactGreater({ events: 6, total: 120, referenceEvents: 2, referenceTotal: 2280 });
    expect(p / 3.567566960140868e-7).toBeCloseTo(1, 6);
  });

  it('is 1 when there is no baseline to compare with', () => {
    expect(fisherExactGreater({ events: 5, total: 10, referenceEvents: 0, referenceTotal: 0 })).toBe(1);
  });

  it('is 1 when the canary has no events', () => {
    expect(fisherExactGreater({ events: 0, total: 100, referenceEvents: 5, referenceTotal: 1000 })).toBe(1);
  });

  it('is not small when the canary rate equals the baseline rate', () => {
    expect(fisherExactGreater({ events: 5, total: 1000, referenceEvents: 95, referenceTotal: 19000 })).toBeGreaterThan(0.3);
  });
});
