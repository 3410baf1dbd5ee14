import { describe, expect, it } from 'vitest';
import { normalCdf, normalUpperQuantile, normalUpperTail } from './normal.js';

// Reference values: Python 3 math.erfc (Q(x) = erfc(x/√2)/2) and statistics.NormalDist.inv_cdf.
describe('normalUpperTail', () => {
  it('matches erfc at the centre and far into the tail', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.96) / 0.024997895148220435).toBeCloseTo(1, 6);
    expect(normalUpperTail(5) / 2.866515718791946e-7).toBeCloseTo(1, 6);
    expect(normalUpperTail(8) / 6.220960574271819e-16).toBeCloseTo(1, 6);
  });

  it('is symmetric: Φ(−x) = Q(x)', () => {
    expect(normalCdf(-1.3)).toBeCloseTo(normalUpperTail(1.3), 12);
  });
});

describe('normalUpperQuantile', () => {
  it('inverts the upper tail, including tiny probabilities', () => {
    expect(normalUpperQuantile(0.025)).toBeCloseTo(1.9599639845400538, 7);
    expect(normalUpperQuantile(1e-10)).toBeCloseTo(6.361340902404056, 6);
    expect(normalUpperQuantile(0.975)).toBeCloseTo(-1.9599639845400538, 7);
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => normalUpperQuantile(0)).toThrow(/\(0, 1\)/);
  });
});
