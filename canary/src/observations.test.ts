import { describe, expect, it } from 'vitest';
import { observationsFrom, type TrackSamples } from './observations.js';
import type { Sample } from './prometheus-client.js';

/** One track's query results for tenants with [requests, errors] and bucket counts at 0.1, 0.2 and +Inf. */
function track(tenants: Record<string, { requests: number; errors: number; le?: Record<string, number>; classified?: number }>): TrackSamples {
  const buckets: Sample[] = [];
  const requests: Sample[] = [];
  const errors: Sample[] = [];
  const classified: Sample[] = [];
  for (const [tenant_id, t] of Object.entries(tenants)) {
    requests.push({ labels: { tenant_id }, value: t.requests });
    if (t.errors > 0) errors.push({ labels: { tenant_id }, value: t.errors });
    classified.push({ labels: { tenant_id }, value: t.classified ?? t.requests });
    for (const [le, value] of Object.entries(t.le ?? {})) buckets.push({ labels: { tenant_id, le }, value });
  }
  return { buckets, requests, errors, classified };
}

const full = (requests: number, errors = 0) => ({ requests, errors, le: { '0.1': requests * 0.5, '0.2': requests * 0.9, '+Inf': requests } });

describe('observationsFrom', () => {
  it('reads complete tracks with nothing missing, zero errors where no 5xx series exists', () => {
    const { observations, missing } = observationsFrom(track({ a: full(100) }), track({ a: full(1900, 2) }));
    expect(missing).toEqual([]);
    expect(observations[0]!.canary).toMatchObject({ requests: 100, errors: 0 });
    expect(observations[0]!.canary.latency.bins).toEqual([50, 40, 10]);
  });

  it('fails if a tenant has canary requests but no bucket series: missing, and its latency checks cannot run', () => {
    const { observations, missing } = observationsFrom(track({ a: { requests: 100, errors: 0 } }), track({ a: full(1900) }));
    expect(missing).toEqual(['tenant a: 100 canary requests but no latency bucket series']);
    expect([...observations[0]!.unavailable!]).toEqual(['buckets']);
  });

  it('fails if canary responses carry no status code, so 5xx would read as zero', () => {
    const { observations, missing } = observationsFrom(track({ a: { ...full(100), classified: 80 } }), track({ a: full(1900) }));
    expect(missing).toEqual(['tenant a: 20 of 100 canary responses carry no status code, so its 5xx cannot be counted']);
    expect(observations[0]!.unavailable!.has('errors')).toBe(true);
  });

  it('fails if a tenant with enough baseline traffic is absent from the canary', () => {
    const { missing } = observationsFrom(track({ a: full(100) }), track({ a: full(1900), b: full(950) }));
    expect(missing).toEqual(['tenant b: no canary requests where about 33 were expected from its baseline traffic (canary series missing?)']);
  });

  it('lets a tenant too small to expect canary traffic be absent (the long tail pools it)', () => {
    const { observations, missing } = observationsFrom(track({ a: full(100) }), track({ a: full(1900), b: full(100) }));
    expect(missing).toEqual([]);
    expect(observations.find((o) => o.tenant === 'b')!.canary.requests).toBe(0);
  });

  it('raises the bar with many tenants, so a present tenant showing no canary request by chance does not hold the rollout', () => {
    // b would send about 12 canary requests: missing among 3 tenants (threshold 10), too small
    // to judge among 2,000 (threshold ln(2,000 / 0.001) = 14.5: P(0 | 12) summed over hundreds of such tenants is too likely).
    const few = observationsFrom(track({ a: full(100), c: full(100) }), track({ a: full(1900), b: full(240), c: full(1900) }));
    expect(few.missing).toEqual(['tenant b: no canary requests where about 12 were expected from its baseline traffic (canary series missing?)']);
    const others = Object.fromEntries(Array.from({ length: 1997 }, (_, i) => [`t${i}`, full(19)]));
    const canaryOthers = Object.fromEntries(Array.from({ length: 1997 }, (_, i) => [`t${i}`, full(1)]));
    const many = observationsFrom(track({ a: full(100), c: full(100), ...canaryOthers }), track({ a: full(1900), b: full(240), c: full(1900), ...others }));
    expect(many.missing).toEqual([]);
  });

  it('compares only the bounds both tracks share when bucket layouts differ, and says so', () => {
    const canary = track({ a: { requests: 100, errors: 0, le: { '0.2': 90, '+Inf': 100 } } });
    const { observations, missing } = observationsFrom(canary, track({ a: full(1900) }));
    expect(missing).toEqual([
      "the canary's latency histogram lacks the bucket bounds 0.1 (tenants a): bucket layouts differ between series, so only the bounds all series share were compared",
    ]);
    expect(observations[0]!.canary.latency.boundaries).toEqual([0.2]);
    expect(observations[0]!.baseline.latency.bins).toEqual([1710, 190]);
  });
});
