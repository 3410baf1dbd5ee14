/**
 * The gate's PromQL: seven queries whatever the number of tenants. Three per track
 * (latency buckets `by (tenant_id, le)`, requests and 5xx responses `by (tenant_id)`,
 * each an `increase` over the judged window) and one dating the canary's first data.
 * Built only from @tenantry/conventions/promql, with names from its conventions.
 */
import { LABEL_BUCKET_BOUND, LABEL_TENANT } from '@tenantry/conventions';
import { increase, minOverTimeSubquery, requestDuration, sumBy, timestamp, type LabelMatcher } from '@tenantry/conventions/promql';

export interface TrackQueries {
  readonly buckets: string;
  readonly requests: string;
  readonly errors: string;
}

export interface GateQueries {
  readonly canary: TrackQueries;
  readonly baseline: TrackQueries;
  /** Unix time of the canary's first data in the window (empty when it has none). */
  readonly canaryFirstSeen: string;
}

export function trackQueries(matchers: readonly LabelMatcher[], window: string): TrackQueries {
  return {
    buckets: sumBy([LABEL_TENANT, LABEL_BUCKET_BOUND], increase(requestDuration.bucket(matchers), window)),
    requests: sumBy([LABEL_TENANT], increase(requestDuration.count(matchers), window)),
    errors: sumBy([LABEL_TENANT], increase(requestDuration.count([...matchers, requestDuration.serverError()]), window)),
  };
}

export function gateQueries(canary: readonly LabelMatcher[], baseline: readonly LabelMatcher[], window: string, resolution: string): GateQueries {
  return {
    canary: trackQueries(canary, window),
    baseline: trackQueries(baseline, window),
    canaryFirstSeen: minOverTimeSubquery(timestamp(sumBy([], requestDuration.count(canary))), window, resolution),
  };
}
