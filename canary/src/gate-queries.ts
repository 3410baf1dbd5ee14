/**
 * The gate's PromQL: nine queries whatever the number of tenants. Four per track
 * (latency buckets `by (tenant_id, le)`, requests, 5xx responses and responses with a
 * status code `by (tenant_id)`), each an `increase` over the same range for both tracks:
 * from the canary's start to the look. One more dates the canary's first data.
 * Built only from @tenantry/conventions/promql, with names from its conventions.
 */
import { LABEL_BUCKET_BOUND, LABEL_STATUS_CODE, LABEL_TENANT } from '@tenantry/conventions';
import { increase, minOverTimeSubquery, re, requestDuration, sumBy, timestamp, type LabelMatcher } from '@tenantry/conventions/promql';

export interface TrackQueries {
  readonly buckets: string;
  readonly requests: string;
  readonly errors: string;
  /** Responses with any status code: fewer than `requests` means uncounted 5xx. */
  readonly classified: string;
}

export interface GateQueries {
  readonly canary: TrackQueries;
  readonly baseline: TrackQueries;
  /** Unix time of the canary's first data in the lookback (empty when it has none). */
  readonly canaryFirstSeen: string;
}

/** The queries of one track over `range` (a PromQL duration ending at the evaluation time). */
export function trackQueries(matchers: readonly LabelMatcher[], range: string): TrackQueries {
  return {
    buckets: sumBy([LABEL_TENANT, LABEL_BUCKET_BOUND], increase(requestDuration.bucket(matchers), range)),
    requests: sumBy([LABEL_TENANT], increase(requestDuration.count(matchers), range)),
    errors: sumBy([LABEL_TENANT], increase(requestDuration.count([...matchers, requestDuration.serverError()]), range)),
    classified: sumBy([LABEL_TENANT], increase(requestDuration.count([...matchers, re(LABEL_STATUS_CODE, '.+')]), range)),
  };
}

/** When the canary's series first had data, searched over `lookback` at `resolution`. */
export function canaryFirstSeenQuery(canary: readonly LabelMatcher[], lookback: string, resolution: string): string {
  return minOverTimeSubquery(timestamp(sumBy([], requestDuration.count(canary))), lookback, resolution);
}

/** Both tracks over the same `range`. */
export function gateQueries(canary: readonly LabelMatcher[], baseline: readonly LabelMatcher[], range: string, firstSeen: string): GateQueries {
  return { canary: trackQueries(canary, range), baseline: trackQueries(baseline, range), canaryFirstSeen: firstSeen };
}
