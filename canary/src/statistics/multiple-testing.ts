/**
 * Multiple comparisons across tenants and metrics. With m tests at level α each, a
 * false alarm somewhere becomes likely (92% at m = 50, α = 0.05). Holm keeps the chance
 * of any false rejection at α; Benjamini–Hochberg keeps the expected share of false
 * rejections at α.
 *
 * Both take an optional `levelOf(a)`: the nominal level a test may use when the
 * procedure grants it level `a`. The gate passes this look's alpha-spending increment,
 * so the procedures work on nominal p-values and only compute the levels they reach.
 */

export type MultipleTestingProcedure = 'holm' | 'benjamini-hochberg';

/** Nominal level for a granted level (identity for a single look). */
export type LevelOf = (granted: number) => number;

const identity: LevelOf = (a) => a;

function ascending(pValues: readonly number[]): { p: number; index: number }[] {
  return pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
}

/** Which tests (by index) Holm's step-down procedure rejects at family-wise level α. */
export function holmRejections(pValues: readonly number[], alpha: number, levelOf: LevelOf = identity): Set<number> {
  const order = ascending(pValues);
  const m = order.length;
  const rejected = new Set<number>();
  for (let step = 0; step < m; step++) {
    const entry = order[step]!;
    if (entry.p > levelOf(alpha / (m - step))) break;
    rejected.add(entry.index);
  }
  return rejected;
}

/** Holm-adjusted p-values (monotone, capped at 1), in the input order. */
export function holmAdjusted(pValues: readonly number[]): number[] {
  const order = ascending(pValues);
  const m = order.length;
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach((entry, step) => {
    running = Math.max(running, Math.min(1, (m - step) * entry.p));
    adjusted[entry.index] = running;
  });
  return adjusted;
}

/** Which tests the Benjamini–Hochberg step-up procedure rejects at false-discovery rate q. */
export function benjaminiHochbergRejections(pValues: readonly number[], q: number, levelOf: LevelOf = identity): Set<number> {
  const order = ascending(pValues);
  const m = order.length;
  let cutoff = -1;
  for (let step = m - 1; step >= 0; step--) {
    if (order[step]!.p <= levelOf(((step + 1) / m) * q)) {
      cutoff = step;
      break;
    }
  }
  return new Set(order.slice(0, cutoff + 1).map((e) => e.index));
}

export function rejections(procedure: MultipleTestingProcedure, pValues: readonly number[], alpha: number, levelOf: LevelOf = identity): Set<number> {
  return procedure === 'holm' ? holmRejections(pValues, alpha, levelOf) : benjaminiHochbergRejections(pValues, alpha, levelOf);
}
