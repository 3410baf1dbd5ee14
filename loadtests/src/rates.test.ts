import { describe, expect, it } from 'vitest';
import { apportion, RateTooLowError, splitRate } from './rates.js';

describe('apportion()', () => {
  it('gives whole shares that add up to the total exactly', () => {
    const shares = apportion(50, [1, 10, 3, 3]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(50);
    // Exact quotas 2.94, 29.41, 8.82, 8.82: floors 2, 29, 8, 8 and the 3 left go to the largest remainders.
    expect(shares).toEqual([3, 29, 9, 9]);
  });

  it('breaks equal remainders in favour of the earlier weight', () => {
    expect(apportion(1, [1, 1])).toEqual([1, 0]);
  });

  it('fails if the weights add up to nothing', () => {
    expect(() => apportion(10, [0, 0])).toThrow(/weights must add up to more than 0/);
  });
});

describe('splitRate()', () => {
  it('keeps a one-second time unit when every tenant gets a request per second', () => {
    expect(splitRate(50, [1, 10, 3, 3]).timeUnitSeconds).toBe(1);
  });

  it('moves to a longer time unit when a small tenant would get nothing per second', () => {
    const split = splitRate(5, [1, 10, 3, 3]);
    expect(split.timeUnitSeconds).toBe(10);
    expect(split.rates.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.min(...split.rates)).toBeGreaterThanOrEqual(1);
  });

  it('keeps a fractional rate exact over a longer unit', () => {
    const split = splitRate(0.5, [1, 1]);
    expect(split.rates.reduce((a, b) => a + b, 0) / split.timeUnitSeconds).toBe(0.5);
  });

  it('fails with the minimum RATE when even a minute gives a tenant nothing', () => {
    const weights = Array.from({ length: 2000 }, () => 1);
    expect(() => splitRate(10, weights)).toThrow(RateTooLowError);
    expect(() => splitRate(10, weights)).toThrow(/needs RATE >= 33.34\/s/);
  });
});
