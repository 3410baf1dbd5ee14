/**
 * Exact tests on counts: the gate tests error counts and counts of slow requests as
 * counts (Mann-Whitney misreads sparse error data, spinnaker/kayenta#426), with the
 * exact one-sided tails of the binomial and hypergeometric distributions.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln of the binomial coefficient C(n, k). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Terms below this fraction of the running sum no longer change a double. */
const NEGLIGIBLE = 1e-17;

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the exact one-sided p-value of "more than a share p
 * of n trials". Sums the pmf from whichever side of the mode is shorter.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logPmf = (i: number): number => logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p);
  if (k > n * p) {
    // Upper side of the mode: terms fall as i grows.
    let term = Math.exp(logPmf(k));
    let sum = term;
    for (let i = k; i < n && term > sum * NEGLIGIBLE; i++) {
      term *= ((n - i) / (i + 1)) * (p / (1 - p));
      sum += term;
    }
    return Math.min(1, sum);
  }
  // Lower side: 1 − P(X ≤ k − 1), terms fall as i shrinks.
  let term = Math.exp(logPmf(k - 1));
  let sum = term;
  for (let i = k - 1; i > 0 && term > sum * NEGLIGIBLE; i--) {
    term *= (i / (n - i + 1)) * ((1 - p) / p);
    sum += term;
  }
  return Math.max(0, 1 - sum);
}

/** A 2×2 table of events and totals in two groups. */
export interface TwoGroupCounts {
  /** Events (errors, slow requests) in the group under test (the canary). */
  readonly events: number;
  readonly total: number;
  /** Events and total of the reference group (the baseline). */
  readonly referenceEvents: number;
  readonly referenceTotal: number;
}

/**
 * One-sided Fisher exact test that the canary's event rate is higher than the
 * reference's: P(X ≥ events) where X is hypergeometric with the table's margins
 * (scipy.stats.fisher_exact(..., alternative='greater') on [[events, total − events],
 * [referenceEvents, referenceTotal − referenceEvents]]).
 */
export function fisherExactGreater(counts: TwoGroupCounts): number {
  const { events: x, total: n, referenceEvents, referenceTotal } = counts;
  const events = x + referenceEvents;
  const all = n + referenceTotal;
  // Nothing to compare with: no canary events, or no baseline requests at all.
  if (n === 0 || referenceTotal === 0 || events === 0 || x === 0) return 1;
  const max = Math.min(events, n);
  const min = Math.max(0, n - (all - events));
  if (x > max) return 0;
  const logPmf = (i: number): number => logChoose(events, i) + logChoose(all - events, n - i) - logChoose(all, n);
  const mean = (n * events) / all;
  if (x > mean) {
    let term = Math.exp(logPmf(x));
    let sum = term;
    for (let i = x; i < max && term > sum * NEGLIGIBLE; i++) {
      term *= ((events - i) * (n - i)) / ((i + 1) * (all - events - n + i + 1));
      sum += term;
    }
    return Math.min(1, sum);
  }
  let term = Math.exp(logPmf(x - 1));
  let sum = term;
  for (let i = x - 1; i > min && term > sum * NEGLIGIBLE; i--) {
    term *= (i * (all - events - n + i)) / ((events - i + 1) * (n - i + 1));
    sum += term;
  }
  return Math.max(0, 1 - sum);
}
