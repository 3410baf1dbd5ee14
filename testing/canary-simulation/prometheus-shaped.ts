/**
 * The gate's range queries answered from simulated traffic, shaped as Prometheus answers
 * them: `sum by (tenant_id, le)` cumulative buckets with an "+Inf" bucket, `sum by
 * (tenant_id)` requests, 5xx responses and responses with a status code. A series exists
 * once its first request was recorded (as an exporter creates it), and faults remove or
 * reshape series the way a broken exporter or relabelling would.
 */
import { LABEL_BUCKET_BOUND, LABEL_TENANT } from '@tenantry/conventions';
import { formatBound } from '@tenantry/conventions/promql';
import type { Sample } from '../../canary/src/prometheus-client.js';
import { SIMULATION_BOUNDARIES } from './fleet.js';
import type { SimulatedTraffic, Track } from './traffic.js';

/** Ways the canary's series can be missing or different from the baseline's. */
export interface SeriesFaults {
  /** Tenants whose canary `_bucket` series are not exported (count and 5xx are). */
  readonly noCanaryBuckets?: ReadonlySet<string>;
  /** Tenants whose canary 5xx responses carry no status code (so no 5xx series). */
  readonly canaryErrorsUnlabelled?: ReadonlySet<string>;
  /** Tenants with no canary series at all. */
  readonly canaryAbsent?: ReadonlySet<string>;
  /** Bucket bounds (seconds) the canary's histogram does not have. */
  readonly canaryMissingBounds?: readonly number[];
}

export interface ShapedTrack {
  readonly buckets: Sample[];
  readonly requests: Sample[];
  readonly errors: Sample[];
  /** Responses with a status code (every request, unless some were recorded without one). */
  readonly classified: Sample[];
}

const LE_LABELS = [...SIMULATION_BOUNDARIES.map(formatBound), '+Inf'];

interface TenantLabels {
  readonly tenant: Readonly<Record<string, string>>;
  /** One per bound, "+Inf" last. */
  readonly buckets: readonly Readonly<Record<string, string>>[];
}

/** Label sets per fleet, built once: a 2,000-tenant run answers hundreds of thousands of samples with them. */
const labelsByFleet = new WeakMap<SimulatedTraffic['tenants'], readonly TenantLabels[]>();

function labelsOf(fleet: SimulatedTraffic['tenants']): readonly TenantLabels[] {
  let labels = labelsByFleet.get(fleet);
  if (!labels) {
    labels = fleet.map((t) => ({ tenant: { [LABEL_TENANT]: t.id }, buckets: LE_LABELS.map((le) => ({ [LABEL_TENANT]: t.id, [LABEL_BUCKET_BOUND]: le })) }));
    labelsByFleet.set(fleet, labels);
  }
  return labels;
}

/**
 * What the gate's queries for `track` return over minutes [from, to). `seriesFrom`: the
 * selection only matches series created from that minute on (a pod-template hash).
 */
export function shapedTrack(traffic: SimulatedTraffic, track: Track, from: number, to: number, faults: SeriesFaults = {}, seriesFrom?: number): ShapedTrack {
  const out: ShapedTrack = { buckets: [], requests: [], errors: [], classified: [] };
  const canary = track === 'canary';
  const missingBounds = new Set(canary ? (faults.canaryMissingBounds ?? []) : []);
  const fleetLabels = labelsOf(traffic.tenants);
  traffic.tenants.forEach((tenant, index) => {
    if (canary && faults.canaryAbsent?.has(tenant.id)) return;
    // A series exists from its first recorded request until the end of the query.
    const ever = traffic.totals(track, index, to);
    const before = seriesFrom === undefined ? { requests: 0, errors: 0 } : traffic.totals(track, index, seriesFrom);
    if (ever.requests - before.requests === 0) return;
    const { bins, errors } = traffic.range(track, index, from, to);
    let requests = 0;
    for (const n of bins) requests += n;
    const { tenant: labels, buckets: bucketLabels } = fleetLabels[index]!;
    out.requests.push({ labels, value: requests });
    const unlabelled = canary && faults.canaryErrorsUnlabelled?.has(tenant.id);
    if (ever.errors - before.errors > 0 && !unlabelled) out.errors.push({ labels, value: errors });
    out.classified.push({ labels, value: unlabelled ? requests - errors : requests });
    if (canary && faults.noCanaryBuckets?.has(tenant.id)) return;
    let cumulative = 0;
    for (let i = 0; i < SIMULATION_BOUNDARIES.length; i++) {
      cumulative += bins[i]!;
      if (missingBounds.size === 0 || !missingBounds.has(SIMULATION_BOUNDARIES[i]!)) out.buckets.push({ labels: bucketLabels[i]!, value: cumulative });
    }
    out.buckets.push({ labels: bucketLabels[SIMULATION_BOUNDARIES.length]!, value: requests });
  });
  return out;
}
