/**
 * A latency histogram of one tenant on one track over the judged window: request counts
 * per bucket (not cumulative), over bucket boundaries shared by every tenant.
 */

export interface LatencyHistogram {
  /** Upper bounds in seconds, ascending; the last bin (above the last bound) is +Inf. */
  readonly boundaries: readonly number[];
  /** Requests per bin; length boundaries.length + 1. */
  readonly bins: readonly number[];
}

/** What the gate knows about one tenant on one track. */
export interface TrackCounts {
  readonly latency: LatencyHistogram;
  readonly requests: number;
  /** Responses with a 5xx status. */
  readonly errors: number;
}

export function totalRequests(histogram: LatencyHistogram): number {
  let total = 0;
  for (const c of histogram.bins) total += c;
  return total;
}

/**
 * Requests slower than `budgetSeconds`. Exact when the budget is a bucket boundary
 * (the telemetry package adds every catalog budget); otherwise the nearest lower
 * boundary is used, which counts more requests as slow, never fewer.
 */
export function requestsAbove(histogram: LatencyHistogram, budgetSeconds: number): { readonly slow: number; readonly exact: boolean } {
  let within = 0;
  let exact = false;
  for (let i = 0; i < histogram.boundaries.length; i++) {
    const bound = histogram.boundaries[i]!;
    if (bound > budgetSeconds + 1e-9) break;
    within += histogram.bins[i]!;
    exact = Math.abs(bound - budgetSeconds) <= 1e-9;
  }
  return { slow: totalRequests(histogram) - within, exact };
}

/**
 * The q-quantile by linear interpolation inside its bucket, as PromQL's
 * histogram_quantile does (lowest bucket starts at 0; a quantile in the +Inf bucket
 * returns the highest finite bound). Undefined for an empty histogram.
 */
export function histogramQuantile(histogram: LatencyHistogram, q: number): number | undefined {
  const total = totalRequests(histogram);
  if (total <= 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < histogram.bins.length; i++) {
    const count = histogram.bins[i]!;
    if (below + count >= rank && count > 0) {
      if (i >= histogram.boundaries.length) return histogram.boundaries[histogram.boundaries.length - 1];
      const lower = i === 0 ? 0 : histogram.boundaries[i - 1]!;
      const upper = histogram.boundaries[i]!;
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return histogram.boundaries[histogram.boundaries.length - 1];
}

/** Adds histograms over the same boundaries (for pooled groups). */
export function addHistograms(boundaries: readonly number[], parts: readonly LatencyHistogram[]): LatencyHistogram {
  const bins = new Array<number>(boundaries.length + 1).fill(0);
  for (const part of parts) part.bins.forEach((c, i) => (bins[i] = bins[i]! + c));
  return { boundaries, bins };
}

/**
 * Per-bin counts from cumulative bucket counts keyed by upper bound (Prometheus `le`),
 * over the given boundaries. Counts from `increase()` are extrapolated reals and may
 * dip between neighbouring buckets; they are made monotone and rounded to whole requests.
 */
export function binsFromCumulative(boundaries: readonly number[], cumulative: ReadonlyMap<number, number>): LatencyHistogram {
  const bins: number[] = [];
  let previous = 0;
  let previousRounded = 0;
  for (const bound of [...boundaries, Number.POSITIVE_INFINITY]) {
    const value = Math.max(previous, cumulative.get(bound) ?? previous);
    const rounded = Math.max(previousRounded, Math.round(value));
    bins.push(rounded - previousRounded);
    previous = value;
    previousRounded = rounded;
  }
  return { boundaries, bins };
}
