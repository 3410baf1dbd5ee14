/**
 * The exact permutation p-value of the rank-sum (Mann-Whitney) test on binned
 * histograms: the chance, over every way of choosing which of the pooled requests are
 * the canary's, that the canary's rank sum is at least the one observed. Conditional on
 * the bin totals, the canary's counts per bin are multivariate hypergeometric, so the
 * tail is a walk over the bins (one hypergeometric draw per bin) carrying the
 * distribution of (canary requests placed, rank sum so far). Twice a bin's midrank is an
 * integer, so the sums are exact integers, scaled down by their common divisor.
 *
 * A state whose every completion lands on one side of the observed sum is settled at
 * once (Mehta and Patel's network algorithm): all in the tail, or none. With requests in
 * a few buckets (heavy ties, where the normal approximation fails) few states remain;
 * with many buckets and many requests the states grow, and the caller's budget decides
 * when the saddlepoint approximation, accurate there, is used instead.
 */

/** Work the exact walk may do (state transitions plus hypergeometric terms) before it gives up. */
export const DEFAULT_TRANSITION_BUDGET = 200_000;
/**
 * Hypergeometric terms below this are dropped: within the work budget, everything dropped
 * weighs less than 1e-294, far under any level the gate tests (Holm over thousands of
 * tests at the first look goes down to about 1e-15).
 */
const NEGLIGIBLE_PROBABILITY = 1e-300;

/** ln k! for k = 0.. (grown on demand and kept: each hypergeometric term is then three lookups). */
let logFactorials = new Float64Array(1);

function logFactorialsUpTo(n: number): Float64Array {
  if (logFactorials.length > n) return logFactorials;
  const grown = new Float64Array(Math.max(n + 1, 2 * logFactorials.length));
  grown.set(logFactorials);
  for (let i = logFactorials.length; i < grown.length; i++) grown[i] = grown[i - 1]! + Math.log(i);
  logFactorials = grown;
  return grown;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}

export interface ExactTail {
  readonly pValue: number;
  /** State transitions the walk took: its cost. */
  readonly transitions: number;
}

/**
 * P(canary rank sum ≥ observed) under random assignment of the pooled requests to the
 * tracks, given the bin totals; one-sided "canary larger". `undefined` when the walk
 * would need more than `budget` transitions.
 */
export function exactRankShiftPValue(canaryBins: readonly number[], baselineBins: readonly number[], budget = DEFAULT_TRANSITION_BUDGET): number | undefined {
  return exactRankShiftTail(canaryBins, baselineBins, budget)?.pValue;
}

/** `exactRankShiftPValue` with the walk's cost. */
export function exactRankShiftTail(canaryBins: readonly number[], baselineBins: readonly number[], budget = DEFAULT_TRANSITION_BUDGET): ExactTail | undefined {
  if (canaryBins.length !== baselineBins.length) {
    throw new Error(`histograms have different bins (${canaryBins.length} vs ${baselineBins.length})`);
  }
  // Occupied bins only: totals, twice the midrank, the canary's counts.
  const totals: number[] = [];
  const twiceRanks: number[] = [];
  const counts: number[] = [];
  let below = 0;
  for (let i = 0; i < canaryBins.length; i++) {
    const c = Math.round(canaryBins[i]!);
    const t = c + Math.round(baselineBins[i]!);
    if (t === 0) continue;
    totals.push(t);
    twiceRanks.push(2 * below + t + 1);
    counts.push(c);
    below += t;
  }
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0 || n === below || totals.length < 2) return { pValue: 1, transitions: 0 };
  // Scores from 0, in units of their greatest common divisor: smaller, still exact, sums.
  let divisor = 0;
  for (const r of twiceRanks) divisor = gcd(divisor, r - twiceRanks[0]!);
  const scores = twiceRanks.map((r) => (r - twiceRanks[0]!) / divisor);
  const observed = counts.reduce((a, c, i) => a + c * scores[i]!, 0);
  const bins = totals.length;

  // Smallest and largest sums the requests left can add in bins i.., for every count left.
  const rest = (i: number, lowestFirst: boolean): Float64Array => {
    const out = new Float64Array(n + 1);
    const order = [...Array(bins - i).keys()].map((j) => i + j);
    if (!lowestFirst) order.reverse();
    for (let m = 1; m <= n; m++) {
      let left = m;
      let sum = 0;
      for (const j of order) {
        const take = Math.min(left, totals[j]!);
        sum += take * scores[j]!;
        left -= take;
        if (left === 0) break;
      }
      out[m] = left === 0 ? sum : Number.NaN;
    }
    return out;
  };
  const minRest = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? new Float64Array(n + 1) : rest(i, true)));
  const maxRest = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? new Float64Array(n + 1) : rest(i, false)));
  const remaining: number[] = new Array<number>(bins + 1).fill(0);
  for (let i = bins - 1; i >= 0; i--) remaining[i] = remaining[i + 1]! + totals[i]!;

  const logFactorial = logFactorialsUpTo(below);
  const logChoose = (a: number, b: number): number => logFactorial[a]! - logFactorial[b]! - logFactorial[a - b]!;

  // states[k]: rank sum so far → probability, for k canary requests placed in the bins walked.
  let states: Map<number, number>[] = [new Map([[0, 1]])];
  let tail = 0;
  let work = 0;
  for (let i = 0; i < bins; i++) {
    const t = totals[i]!;
    const others = remaining[i]! - t;
    const next: Map<number, number>[] = [];
    for (let k = 0; k < states.length; k++) {
      const current = states[k];
      if (current === undefined || current.size === 0) continue;
      const m = n - k;
      // c ~ Hypergeometric(remaining[i] requests, t of them in this bin, m drawn).
      const low = Math.max(0, m - others);
      const high = Math.min(t, m);
      const logAll = logChoose(remaining[i]!, m);
      const logPmf = (c: number): number => logChoose(t, c) + logChoose(others, m - c) - logAll;
      // The pmf is unimodal: walk out from the mode, each way until it underflows.
      const mode = Math.min(high, Math.max(low, Math.floor(((m + 1) * (t + 1)) / (remaining[i]! + 2))));
      for (const direction of [1, -1] as const) {
        for (let c = direction === 1 ? mode : mode - 1; c >= low && c <= high; c += direction) {
          const pmf = Math.exp(logPmf(c));
          if (pmf < NEGLIGIBLE_PROBABILITY) break;
          work += 1 + current.size;
          if (work > budget) return undefined;
          const left = m - c;
          const lowest = minRest[i + 1]![left]!;
          const highest = maxRest[i + 1]![left]!;
          let target = next[k + c];
          for (const [sum, probability] of current) {
            const reached = sum + c * scores[i]!;
            const mass = probability * pmf;
            if (reached + lowest >= observed) tail += mass;
            else if (reached + highest >= observed) {
              if (target === undefined) next[k + c] = target = new Map();
              target.set(reached, (target.get(reached) ?? 0) + mass);
            }
          }
        }
      }
    }
    states = next;
  }
  return { pValue: Math.min(1, tail), transitions: work };
}
