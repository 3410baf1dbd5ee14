/**
 * Turns the gate's query results into per-tenant counts: cumulative `le` buckets into
 * per-bin histograms over the boundaries Prometheus reported, requests and 5xx counts
 * rounded to whole requests (`increase()` extrapolates to the window's edges).
 */
import { LABEL_BUCKET_BOUND, LABEL_TENANT, UNKNOWN_TENANT } from '@tenantry/conventions';
import { binsFromCumulative, type TrackCounts } from './histogram.js';
import type { TenantObservation } from './judge-types.js';
import type { Sample } from './prometheus-client.js';

/** Query results of one track. */
export interface TrackSamples {
  readonly buckets: readonly Sample[];
  readonly requests: readonly Sample[];
  readonly errors: readonly Sample[];
}

function tenantOf(sample: Sample): string {
  return sample.labels[LABEL_TENANT] ?? UNKNOWN_TENANT;
}

function parseBound(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Every finite bucket boundary seen in either track, ascending. */
export function boundariesOf(...tracks: readonly TrackSamples[]): number[] {
  const bounds = new Set<number>();
  for (const track of tracks) {
    for (const s of track.buckets) {
      const bound = parseBound(s.labels[LABEL_BUCKET_BOUND]);
      if (bound !== undefined && Number.isFinite(bound)) bounds.add(bound);
    }
  }
  return [...bounds].sort((a, b) => a - b);
}

function byTenant(samples: readonly Sample[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const s of samples) if (Number.isFinite(s.value)) values.set(tenantOf(s), (values.get(tenantOf(s)) ?? 0) + s.value);
  return values;
}

function trackCounts(tenant: string, boundaries: readonly number[], cumulative: Map<string, Map<number, number>>, requests: Map<string, number>, errors: Map<string, number>): TrackCounts {
  const latency = binsFromCumulative(boundaries, cumulative.get(tenant) ?? new Map());
  const binned = latency.bins.reduce((a, b) => a + b, 0);
  const total = Math.round(requests.get(tenant) ?? binned);
  return { latency, requests: total, errors: Math.min(total, Math.round(errors.get(tenant) ?? 0)) };
}

function cumulativeByTenant(samples: readonly Sample[]): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  for (const s of samples) {
    const bound = parseBound(s.labels[LABEL_BUCKET_BOUND]);
    if (bound === undefined || !Number.isFinite(s.value)) continue;
    const tenant = tenantOf(s);
    const perBound = result.get(tenant) ?? new Map<number, number>();
    perBound.set(bound, (perBound.get(bound) ?? 0) + s.value);
    result.set(tenant, perBound);
  }
  return result;
}

/** One observation per tenant that has requests on either track. */
export function observationsFrom(canary: TrackSamples, baseline: TrackSamples): TenantObservation[] {
  const boundaries = boundariesOf(canary, baseline);
  const canaryBuckets = cumulativeByTenant(canary.buckets);
  const baselineBuckets = cumulativeByTenant(baseline.buckets);
  const canaryRequests = byTenant(canary.requests);
  const baselineRequests = byTenant(baseline.requests);
  const canaryErrors = byTenant(canary.errors);
  const baselineErrors = byTenant(baseline.errors);
  const tenants = new Set([...canaryBuckets.keys(), ...baselineBuckets.keys(), ...canaryRequests.keys(), ...baselineRequests.keys()]);
  return [...tenants]
    .sort()
    .map((tenant) => ({
      tenant,
      canary: trackCounts(tenant, boundaries, canaryBuckets, canaryRequests, canaryErrors),
      baseline: trackCounts(tenant, boundaries, baselineBuckets, baselineRequests, baselineErrors),
    }))
    .filter((o) => o.canary.requests + o.baseline.requests > 0);
}
