/**
 * Turns the gate's query results into per-tenant counts, and says what is missing.
 * Cumulative `le` buckets become per-bin histograms over the bounds every series has;
 * requests and 5xx counts are rounded to whole requests (`increase()` extrapolates).
 *
 * Missing data never reads as "no regression": a tenant whose canary has requests but no
 * bucket series, whose responses carry no status code, or who is absent from one track
 * while its traffic on the other says it should be there, and bucket layouts that differ
 * between series, are each listed in `missing` (the gate then never promotes), and the
 * checks that would need the absent series are not run for that tenant.
 */
import { LABEL_BUCKET_BOUND, LABEL_TENANT, UNKNOWN_TENANT } from '@tenantry/conventions';
import { formatBound } from '@tenantry/conventions/promql';
import type { SeriesNeed } from './checks/check.js';
import { GATE_DEFAULTS } from './defaults.js';
import { binsFromCumulative, type TrackCounts } from './histogram.js';
import type { TenantObservation } from './judge-types.js';
import type { Sample } from './prometheus-client.js';

/** Query results of one track. */
export interface TrackSamples {
  readonly buckets: readonly Sample[];
  readonly requests: readonly Sample[];
  readonly errors: readonly Sample[];
  /**
   * Responses that carry a status code; fewer than `requests` means some 5xx may be
   * uncounted.
   * @default - not checked
   */
  readonly classified?: readonly Sample[];
}

export interface ObservationSet {
  readonly observations: TenantObservation[];
  /** What is missing or inconsistent, one line each; non-empty means never promote. */
  readonly missing: string[];
}

export interface ObservationOptions {
  /**
   * Expected requests on a track below which a tenant absent from it is too small to
   * judge (pooled into the long tail) rather than missing.
   * @default - GATE_DEFAULTS.absentTenantExpectedRequests, raised to ln(tenants / GATE_DEFAULTS.absentTenantFalseAlarm) with many tenants
   */
  readonly absentExpectedRequests?: number;
}

type Track = 'canary' | 'baseline';

function tenantOf(sample: Sample): string {
  return sample.labels[LABEL_TENANT] ?? UNKNOWN_TENANT;
}

/** `le` label → bound; the same few labels repeat on every tenant's series, so each is parsed once. */
const parsedBounds = new Map<string, number | undefined>();

function parseBound(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (parsedBounds.has(text)) return parsedBounds.get(text);
  const value = Number(text);
  const bound = text === '+Inf' ? Number.POSITIVE_INFINITY : Number.isFinite(value) ? value : undefined;
  if (parsedBounds.size < 4096) parsedBounds.set(text, bound);
  return bound;
}

function byTenant(samples: readonly Sample[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const s of samples) if (Number.isFinite(s.value)) values.set(tenantOf(s), (values.get(tenantOf(s)) ?? 0) + s.value);
  return values;
}

function cumulativeByTenant(samples: readonly Sample[]): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  for (const s of samples) {
    const bound = parseBound(s.labels[LABEL_BUCKET_BOUND]);
    if (bound === undefined || !Number.isFinite(s.value)) continue;
    const tenant = tenantOf(s);
    let perBound = result.get(tenant);
    if (perBound === undefined) result.set(tenant, (perBound = new Map<number, number>()));
    perBound.set(bound, (perBound.get(bound) ?? 0) + s.value);
  }
  return result;
}

function abbreviate(items: readonly string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')}, … ${items.length - 5} more`;
}

/** Every finite bound any series has, and the bounds all series share. */
function boundsOf(layouts: readonly ReadonlyMap<string, ReadonlyMap<number, number>>[]): { readonly all: Set<number>; readonly shared: number[] } {
  // A bound is shared when every series has it: count the series that have each bound.
  const seriesWith = new Map<number, number>();
  let series = 0;
  for (const layout of layouts) {
    for (const perBound of layout.values()) {
      series++;
      for (const b of perBound.keys()) if (Number.isFinite(b)) seriesWith.set(b, (seriesWith.get(b) ?? 0) + 1);
    }
  }
  const shared = [...seriesWith].filter(([, count]) => count === series).map(([b]) => b);
  return { all: new Set(seriesWith.keys()), shared: shared.sort((a, b) => a - b) };
}

function layoutDifferences(layouts: Readonly<Record<Track, Map<string, Map<number, number>>>>, all: ReadonlySet<number>): string[] {
  const lines: string[] = [];
  for (const track of ['canary', 'baseline'] as const) {
    const lacking = new Map<string, string[]>();
    for (const [tenant, perBound] of layouts[track]) {
      let present = 0;
      for (const b of all) if (perBound.has(b)) present++;
      if (present === all.size) continue;
      const absent = [...all].filter((b) => !perBound.has(b)).sort((a, b) => a - b);
      const key = absent.map(formatBound).join(', ');
      lacking.set(key, [...(lacking.get(key) ?? []), tenant]);
    }
    for (const [bounds, tenants] of lacking) {
      lines.push(`the ${track}'s latency histogram lacks the bucket bounds ${bounds} (tenants ${abbreviate(tenants.sort())}): bucket layouts differ between series, so only the bounds all series share were compared`);
    }
  }
  return lines;
}

/** One observation per tenant that has requests on either track, and what is missing. */
export function observationsFrom(canary: TrackSamples, baseline: TrackSamples, options: ObservationOptions = {}): ObservationSet {
  const buckets = { canary: cumulativeByTenant(canary.buckets), baseline: cumulativeByTenant(baseline.buckets) };
  const requests = { canary: byTenant(canary.requests), baseline: byTenant(baseline.requests) };
  const errors = { canary: byTenant(canary.errors), baseline: byTenant(baseline.errors) };
  const classified = { canary: canary.classified && byTenant(canary.classified), baseline: baseline.classified && byTenant(baseline.classified) };

  const { all, shared: boundaries } = boundsOf([buckets.canary, buckets.baseline]);
  const missing = layoutDifferences(buckets, all);

  const countsOf = (track: Track, tenant: string): { counts: TrackCounts; unavailable: SeriesNeed[]; problems: string[] } => {
    const perBound = buckets[track].get(tenant);
    const latency = binsFromCumulative(boundaries, perBound ?? new Map());
    const binned = latency.bins.reduce((a, b) => a + b, 0);
    const total = Math.round(requests[track].get(tenant) ?? binned);
    const unavailable: SeriesNeed[] = [];
    const problems: string[] = [];
    if (total > 0 && perBound === undefined) {
      unavailable.push('buckets');
      problems.push(`tenant ${tenant}: ${total} ${track} requests but no latency bucket series`);
    }
    const withStatus = classified[track]?.get(tenant);
    if (withStatus !== undefined && total - Math.round(withStatus) > 0) {
      unavailable.push('errors');
      problems.push(`tenant ${tenant}: ${total - Math.round(withStatus)} of ${total} ${track} responses carry no status code, so its 5xx cannot be counted`);
    }
    return { counts: { latency, requests: total, errors: Math.min(total, Math.round(errors[track].get(tenant) ?? 0)) }, unavailable, problems };
  };

  const tenants = [...new Set([...buckets.canary.keys(), ...buckets.baseline.keys(), ...requests.canary.keys(), ...requests.baseline.keys()])].sort();
  const rows = tenants.map((tenant) => ({ tenant, canary: countsOf('canary', tenant), baseline: countsOf('baseline', tenant) }));
  // Every tenant gets a chance to show zero canary requests by luck: the threshold grows with their number.
  const threshold = options.absentExpectedRequests ?? Math.max(GATE_DEFAULTS.absentTenantExpectedRequests, Math.log(tenants.length / GATE_DEFAULTS.absentTenantFalseAlarm));
  const totals = { canary: rows.reduce((a, r) => a + r.canary.counts.requests, 0), baseline: rows.reduce((a, r) => a + r.baseline.counts.requests, 0) };

  const observations: TenantObservation[] = [];
  for (const row of rows) {
    if (row.canary.counts.requests + row.baseline.counts.requests === 0) continue;
    const unavailable = new Set<SeriesNeed>([...row.canary.unavailable, ...row.baseline.unavailable]);
    missing.push(...row.canary.problems, ...row.baseline.problems);
    for (const track of ['canary', 'baseline'] as const) {
      const other = track === 'canary' ? 'baseline' : 'canary';
      if (row[track].counts.requests > 0 || totals[other] === 0) continue;
      // What this tenant's traffic on the other track predicts for this one, at the observed split.
      const expected = (row[other].counts.requests * totals[track]) / totals[other];
      if (expected >= threshold) {
        missing.push(`tenant ${row.tenant}: no ${track} requests where about ${Math.round(expected)} were expected from its ${other} traffic (${track} series missing?)`);
        unavailable.add('buckets').add('requests').add('errors');
      }
    }
    observations.push({
      tenant: row.tenant,
      canary: row.canary.counts,
      baseline: row.baseline.counts,
      ...(unavailable.size > 0 ? { unavailable } : {}),
    });
  }
  return { observations, missing };
}
