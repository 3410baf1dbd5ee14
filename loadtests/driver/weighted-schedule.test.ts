import { describe, expect, it } from 'vitest';
import { WeightedSchedule } from './weighted-schedule.js';

describe('WeightedSchedule', () => {
  it('gives every tenant exactly its weight share over a cycle', () => {
    const schedule = new WeightedSchedule([1, 10, 3, 3]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 17 * 100; i++) counts[schedule.next()]!++;
    expect(counts).toEqual([100, 1000, 300, 300]);
  });

  it('spreads a heavy tenant through the cycle instead of sending it in one burst', () => {
    const schedule = new WeightedSchedule([1, 1, 2]);
    expect(Array.from({ length: 8 }, () => schedule.next())).toEqual([2, 0, 1, 2, 2, 0, 1, 2]);
  });

  it('fails on a weight that is not positive', () => {
    expect(() => new WeightedSchedule([1, 0])).toThrow(/weights must be positive numbers/);
  });
});
