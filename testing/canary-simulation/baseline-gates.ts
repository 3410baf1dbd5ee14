/**
 * The two reference gates of the simulation benchmark, on the same simulated data as
 * the Tenantry gate (docs/canary.md, "Simulation benchmark"):
 * - Flagger-style: every interval, the canary's aggregate p99 and error rate over the
 *   last interval against fixed thresholds; `failedChecks` accumulates and rolls back at
 *   `threshold`. No baseline, no tenants.
 * - Kayenta-style: per-interval aggregates (p95 latency, error rate) of canary and
 *   baseline as time series, a Mann-Whitney test per metric at 98% confidence, score =
 *   share of metrics that pass, fail below the marginal score of 75.
 */
import { histogramQuantile } from '../../canary/src/histogram.js';
import { rankShiftPValue, rankStatistic } from '../../canary/src/statistics/rank-test.js';
import { SIMULATION_BOUNDARIES } from './fleet.js';

/** One interval of aggregate (all tenants) counts. */
export interface AggregateInterval {
  readonly canaryBins: readonly number[];
  readonly baselineBins: readonly number[];
  readonly canaryErrors: number;
  readonly baselineErrors: number;
}

const total = (bins: readonly number[]): number => bins.reduce((a, b) => a + b, 0);

export interface FlaggerRuleProps {
  /** request-duration thresholdRange.max, seconds (p99 of the interval). */
  readonly maxP99Seconds: number;
  /** request-success-rate thresholdRange.min, as a share. @default 0.99 */
  readonly minSuccessRate?: number;
  /** Failed checks (cumulative) that trigger rollback. @default 2 */
  readonly threshold?: number;
}

export class FlaggerRule {
  private failedChecks = 0;
  constructor(private readonly props: FlaggerRuleProps) {}

  /** Checks one interval; true once the rollback threshold is reached. */
  check(interval: AggregateInterval): boolean {
    const requests = total(interval.canaryBins);
    // Flagger halts and counts a failed check when the query has no values.
    const p99 = histogramQuantile({ boundaries: SIMULATION_BOUNDARIES, bins: interval.canaryBins }, 0.99);
    const successRate = requests > 0 ? 1 - interval.canaryErrors / requests : undefined;
    const failed = p99 === undefined || successRate === undefined || p99 > this.props.maxP99Seconds || successRate < (this.props.minSuccessRate ?? 0.99);
    if (failed) this.failedChecks++;
    return this.failedChecks >= (this.props.threshold ?? 2);
  }
}

/** One-sided Mann-Whitney p-value of "canary series higher" on small samples of reals. */
function seriesShiftPValue(canary: readonly number[], baseline: readonly number[]): number {
  const values = [...new Set([...canary, ...baseline])].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const c = new Array<number>(values.length).fill(0);
  const b = new Array<number>(values.length).fill(0);
  for (const v of canary) c[index.get(v)!]!++;
  for (const v of baseline) b[index.get(v)!]!++;
  return rankShiftPValue(rankStatistic(c, b));
}

export class KayentaRule {
  private readonly canaryLatency: number[] = [];
  private readonly baselineLatency: number[] = [];
  private readonly canaryErrorRate: number[] = [];
  private readonly baselineErrorRate: number[] = [];

  /** Adds one interval and judges all intervals so far; true when the score falls below marginal. */
  check(interval: AggregateInterval): boolean {
    const p95 = (bins: readonly number[]): number => histogramQuantile({ boundaries: SIMULATION_BOUNDARIES, bins }, 0.95) ?? Number.NaN;
    const errorRate = (errors: number, bins: readonly number[]): number => errors / Math.max(1, total(bins));
    this.canaryLatency.push(p95(interval.canaryBins));
    this.baselineLatency.push(p95(interval.baselineBins));
    this.canaryErrorRate.push(errorRate(interval.canaryErrors, interval.canaryBins));
    this.baselineErrorRate.push(errorRate(interval.baselineErrors, interval.baselineBins));
    // Kayenta removes NaN points (nanStrategy: remove).
    const clean = (xs: readonly number[]): number[] => xs.filter((x) => Number.isFinite(x));
    const metrics: [number[], number[]][] = [
      [clean(this.canaryLatency), clean(this.baselineLatency)],
      [this.canaryErrorRate, this.baselineErrorRate],
    ];
    let passing = 0;
    for (const [canary, baseline] of metrics) {
      const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
      // High: 98% interval above zero (one-sided 1%) and an increase of the mean (allowedIncrease 1.0).
      const high = canary.length >= 2 && baseline.length >= 2 && seriesShiftPValue(canary, baseline) < 0.01 && mean(canary) > mean(baseline);
      if (!high) passing++;
    }
    return (passing / metrics.length) * 100 < 75;
  }
}
