/**
 * Per-tenant measurements of the local driver: every request's latency is kept, so the
 * percentiles are exact (the same method as k6's Trend: sort, then interpolate linearly
 * between the two nearest ranks).
 */

/** The p-th percentile (0–100) of sorted values; undefined for no values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] ?? 0;
  const high = sorted[upper] ?? low;
  return low + (high - low) * (rank - lower);
}

export interface TenantMeasurements {
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
  readonly p99Ms: number | undefined;
}

/** What one tenant's requests gave, as raw values: runs of the same tenant can be pooled before percentiles are taken. */
export interface TenantSamples {
  /** Latency of every answered request, in milliseconds, in arrival order. */
  readonly latenciesMs: readonly number[];
  /**
   * The same answers timed from the moment the request was actually sent, as k6 times
   * `http_req_duration`: the driver's own send delay left out. For comparing generators
   * only; verdicts use `latenciesMs`.
   * @default - not recorded (k6's latencies are timed from the send already)
   */
  readonly latenciesFromSendMs?: readonly number[];
  /** Answers with an unexpected status plus requests that got no answer. */
  readonly errors: number;
  /** Requests that got no answer (timeout, connection error). */
  readonly unanswered: number;
}

/** The percentiles and counts of one or more runs' samples of the same tenant, pooled. */
export function measurementsOf(...runs: readonly TenantSamples[]): TenantMeasurements {
  const sorted = runs.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const unanswered = runs.reduce((sum, r) => sum + r.unanswered, 0);
  return {
    requests: sorted.length + unanswered,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}

/** Latencies and errors of one tenant. */
export class LatencyRecorder {
  private readonly latenciesMs: number[] = [];
  private readonly latenciesFromSendMs: number[] = [];
  private errorCount = 0;
  private unanswered = 0;

  /** A request that got an answer; `ok` is false for an unexpected status; `sendDelayMs` is how late it was sent. */
  recordResponse(latencyMs: number, ok: boolean, sendDelayMs = 0): void {
    this.latenciesMs.push(latencyMs);
    this.latenciesFromSendMs.push(latencyMs - sendDelayMs);
    if (!ok) this.errorCount++;
  }

  /** A request that got no answer (timeout, connection error): an error with no latency. */
  recordNoAnswer(): void {
    this.errorCount++;
    this.unanswered++;
  }

  samples(): TenantSamples {
    return { latenciesMs: [...this.latenciesMs], latenciesFromSendMs: [...this.latenciesFromSendMs], errors: this.errorCount, unanswered: this.unanswered };
  }

  measurements(): TenantMeasurements {
    return measurementsOf(this.samples());
  }
}
