import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../testing/canary-simulation/random.js';
import { obrienFlemingSpending, pocockSpending } from './alpha-spending.js';
import { groupSequentialLevels } from './group-sequential.js';
import { normalUpperQuantile, normalUpperTail } from './normal.js';

describe('groupSequentialLevels', () => {
  it('gives the published Lan–DeMets O’Brien–Fleming boundaries (K = 5, one-sided α = 0.025)', () => {
    // gsDesign::gsDesign(k = 5, test.type = 1, alpha = 0.025, sfu = sfLDOF)$upper$bound
    const z = groupSequentialLevels(obrienFlemingSpending, 0.025, 5).map((level) => normalUpperQuantile(level));
    [4.8769, 3.3569, 2.6803, 2.2898, 2.031].forEach((expected, i) => expect(z[i]).toBeCloseTo(expected, 2));
  });

  it('spends the first look as its increment and later looks above their Bonferroni increment', () => {
    const alpha = 0.01;
    const levels = groupSequentialLevels(pocockSpending, alpha, 10);
    expect(levels[0]).toBeCloseTo(pocockSpending(0.1, alpha), 12);
    for (let k = 2; k <= 10; k++) expect(levels[k - 1]!).toBeGreaterThan(pocockSpending(k / 10, alpha) - pocockSpending((k - 1) / 10, alpha));
  });

  it('holds the false-alarm rate of ten looks at α, and uses nearly all of it (simulated random walks)', () => {
    const random = new SeededRandom(11);
    const alpha = 0.05;
    const levels = groupSequentialLevels(pocockSpending, alpha, 10);
    const runs = 40_000;
    let hits = 0;
    for (let run = 0; run < runs; run++) {
      let sum = 0;
      for (let k = 1; k <= 10; k++) {
        sum += random.normal();
        if (normalUpperTail(sum / Math.sqrt(k)) <= levels[k - 1]!) {
          hits++;
          break;
        }
      }
    }
    // Binomial sd at 40,000 runs is 0.0011: exact boundaries land on α, per-look Bonferroni spends about 0.035.
    expect(hits / runs).toBeGreaterThan(0.046);
    expect(hits / runs).toBeLessThan(0.054);
  });
});
