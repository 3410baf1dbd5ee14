import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../testing/canary-simulation/random.js';
import { lookAt, lookLevel, obrienFlemingSpending, pocockSpending, sequentialPValue } from './alpha-spending.js';
import { normalUpperTail } from './normal.js';

// Reference values: Python 3, 2·Q(z_{1−α/2}/√t) with statistics.NormalDist.
describe('obrienFlemingSpending', () => {
  it('spends the Lan–DeMets O’Brien–Fleming amounts', () => {
    expect(obrienFlemingSpending(0.5, 0.05)).toBeCloseTo(0.005574596680784432, 7);
    expect(obrienFlemingSpending(0.9, 0.01)).toBeCloseTo(0.006624325996987134, 7);
    expect(obrienFlemingSpending(0.1, 0.01) / 3.7775698274451395e-16).toBeCloseTo(1, 3);
  });

  it('spends nothing at t = 0 and all of α at t = 1', () => {
    expect(obrienFlemingSpending(0, 0.01)).toBe(0);
    expect(obrienFlemingSpending(1, 0.01)).toBe(0.01);
  });
});

describe('pocockSpending', () => {
  it('spends α·ln(1 + (e − 1)t)', () => {
    expect(pocockSpending(0.5, 0.05)).toBeCloseTo(0.05 * Math.log(1 + (Math.E - 1) * 0.5), 12);
  });
});

describe('lookAt', () => {
  it('numbers runs a minute apart 1, 2, … to the nearest look, whether the start is read a little early or late', () => {
    // Argo's per-minute Jobs at 1..9 min; the start read from the first scrape (up to 15 s late) or the rollout.
    for (const offset of [-15, 0, 10]) {
      expect([1, 2, 5, 9].map((k) => lookAt(k * 60 + offset, 60, 600).index)).toEqual([1, 2, 5, 9]);
    }
  });

  it('never makes an early run the final look, and leaves the final look to the rollout clock', () => {
    expect(lookAt(560, 60, 600)).toEqual({ index: 9, count: 10, final: false });
    expect(lookAt(585, 60, 600)).toEqual({ index: 10, count: 10, final: true });
    expect(lookAt(480, 60, 600, true)).toEqual({ index: 10, count: 10, final: true });
    expect(lookAt(3600, 60, 600).index).toBe(10);
  });

  it('clamps a run before the first look interval to look 1', () => {
    expect(lookAt(5, 60, 600)).toEqual({ index: 1, count: 10, final: false });
  });

  it('makes the only look of a one-look analysis final', () => {
    expect(lookAt(20, 30, 30)).toEqual({ index: 1, count: 1, final: true });
  });
});

describe('lookLevel', () => {
  it('gives nominal levels that add up to more than α: each spends its increment given no earlier rejection', () => {
    let total = 0;
    for (let index = 1; index <= 10; index++) total += lookLevel(obrienFlemingSpending, 0.01, { index, count: 10, final: index === 10 });
    expect(total).toBeGreaterThan(0.01);
    expect(total).toBeLessThan(0.02);
  });
});

describe('sequentialPValue', () => {
  it('inverts lookLevel: a p-value exactly at a look’s level maps back to its α', () => {
    const look = { index: 7, count: 10, final: false };
    const p = lookLevel(obrienFlemingSpending, 1e-4, look);
    // Interpolated between exact boundaries on a grid of α: close, not exact.
    expect(sequentialPValue(p, obrienFlemingSpending, look) / 1e-4).toBeCloseTo(1, 1);
  });

  it('is 1 for a p-value no level up to 0.5 would reject', () => {
    expect(sequentialPValue(0.4, obrienFlemingSpending, { index: 1, count: 10, final: false })).toBe(1);
  });

  it('keeps the false-alarm rate of ten looks at α where a fixed level per look does not (simulated random walks)', () => {
    // Cumulative z-statistics of a null effect looked at after each of 10 equal batches.
    const random = new SeededRandom(7);
    const alpha = 0.05;
    const runs = 20_000;
    let naive = 0;
    let spent = 0;
    for (let run = 0; run < runs; run++) {
      let sum = 0;
      let naiveHit = false;
      let spentHit = false;
      for (let index = 1; index <= 10; index++) {
        sum += random.normal();
        const p = normalUpperTail(sum / Math.sqrt(index));
        if (p <= alpha) naiveHit = true;
        if (sequentialPValue(p, obrienFlemingSpending, { index, count: 10, final: index === 10 }) <= alpha) spentHit = true;
      }
      if (naiveHit) naive++;
      if (spentHit) spent++;
    }
    expect(naive / runs).toBeGreaterThan(0.15);
    expect(spent / runs).toBeLessThanOrEqual(alpha);
  });
});
