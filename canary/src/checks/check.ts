/**
 * What one statistic of the gate is: the series it needs from each track, how it
 * computes its one-sided p-value, and how it explains a rejection to a human. Every
 * check is one object of this type in the registry (registry.ts); leaving out a member
 * does not compile.
 */
import type { TrackCounts } from '../histogram.js';
import type { TenantBudget, TrackSummary } from '../judge-types.js';
import type { RankStatistic, RankStratum } from '../statistics/rank-test.js';

/** Series a check reads from each track (docs/canary.md, "What it reads"). */
export type SeriesNeed = 'buckets' | 'requests' | 'errors';

/** The counts of one group (a tenant, the long tail or the fleet) a check computes on. */
export interface CheckInput {
  readonly canary: TrackCounts;
  readonly baseline: TrackCounts;
  /** Requests over the budget (each pooled tenant against its own). */
  readonly canarySlow: number;
  readonly baselineSlow: number;
  /** Requests in the latency histograms. */
  readonly canaryLatencyTotal: number;
  readonly baselineLatencyTotal: number;
  /** Whether every budget is a bucket bound, so "requests over budget" is an exact count. */
  readonly budgetOnBucketBound: boolean;
  /** Share of errors allowed (a request-weighted mean for pooled groups). */
  readonly errorBudget: number;
  /** Mann-Whitney pieces, stratified by tenant for pooled groups. */
  readonly rank: RankStatistic;
  /** The bins `rank` was summed from, one stratum per tenant. */
  readonly rankStrata: readonly RankStratum[];
}

export interface CheckOutcome {
  readonly pValue: number;
  /** Why the result does not count towards the verdict, when it does not. */
  readonly excluded?: string;
}

/** What an explanation may quote. */
export interface CheckView {
  readonly canary: TrackSummary;
  readonly baseline: TrackSummary;
  readonly budget: TenantBudget | undefined;
  /** P(a canary request is slower than a baseline one), ties half. */
  readonly superiority: number;
}

export interface Check {
  readonly needs: readonly SeriesNeed[];
  /** A promise to one tenant (its catalog budget): not run on the fleet group, which only compares tracks. */
  readonly perTenantBudget: boolean;
  compute(input: CheckInput): CheckOutcome;
  /** One clause for the report when the check rejected; `p` is the formatted p-value. */
  explain(view: CheckView, p: string): string;
}
