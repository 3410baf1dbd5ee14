import { describe, expect, it } from 'vitest';
import { budgetSeconds, DEFAULT_LATENCY_BOUNDARIES_SECONDS, latencyBucketBoundaries } from './metrics.js';

describe('budgetSeconds()', () => {
  it('turns every whole-millisecond budget into the exact number a bucket boundary is written as', () => {
    for (let ms = 1; ms <= 10_000; ms++) expect(String(budgetSeconds(ms))).toBe(String(Number(`${ms}e-3`)));
  });

  it('rounds a fractional budget to the microsecond, as the boundaries are', () => {
    expect(budgetSeconds(150.0004)).toBe(0.15);
    expect(budgetSeconds(0.1 + 0.2)).toBe(0.0003);
  });
});

describe('latencyBucketBoundaries()', () => {
  it('adds every budget to the defaults, ascending and without repeats', () => {
    const boundaries = latencyBucketBoundaries([budgetSeconds(180), budgetSeconds(200), budgetSeconds(180)]);
    expect(boundaries).toEqual([...DEFAULT_LATENCY_BOUNDARIES_SECONDS, 0.18].sort((a, b) => a - b));
  });
});
