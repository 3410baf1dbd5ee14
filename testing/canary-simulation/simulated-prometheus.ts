/**
 * Answers the canary gate's PromQL from simulated traffic, as Prometheus would: the range
 * `[Ns]` of each `increase` decides which minutes count, the selector decides the track
 * (role="canary") and whether series of an earlier canary match (no pod-template hash
 * matcher), and the metric and status matcher decide the query kind. The canary starts at
 * `start`; minute m of the simulation is [start + m min, start + (m + 1) min).
 */
import { LABEL_POD_TEMPLATE_HASH, LABEL_ROLE, ROLE_CANARY } from '@tenantry/conventions';
import type { Sample } from '../../canary/src/prometheus-client.js';
import { shapedTrack, type SeriesFaults, type ShapedTrack } from './prometheus-shaped.js';
import type { SimulatedTraffic, Track } from './traffic.js';

/** The canary's first scrape lands this long into its first minute with data. */
export const FIRST_SCRAPE_SECONDS = 15;

export class SimulatedPrometheus {
  readonly url = 'simulated://prometheus';
  private readonly cache = new Map<string, ShapedTrack>();

  constructor(
    private readonly traffic: SimulatedTraffic,
    private readonly faults: SeriesFaults,
    private readonly start: Date,
  ) {}

  async query(expr: string, time: Date): Promise<Sample[]> {
    const minutesAt = (time.getTime() - this.start.getTime()) / 60_000;
    const track: Track = expr.includes(`${LABEL_ROLE}="${ROLE_CANARY}"`) ? 'canary' : 'baseline';
    const thisCanaryOnly = track === 'canary' && expr.includes(`${LABEL_POD_TEMPLATE_HASH}=`);
    if (expr.startsWith('min_over_time')) {
      const lookback = Number(/\[(\d+)s:/.exec(expr)?.[1] ?? '0') / 60;
      const first = this.traffic.firstCanaryMinute(thisCanaryOnly ? 0 : undefined);
      if (first === undefined || first + FIRST_SCRAPE_SECONDS / 60 > minutesAt) return [];
      const seen = Math.max(first + FIRST_SCRAPE_SECONDS / 60, minutesAt - lookback);
      return [{ labels: {}, value: (this.start.getTime() + seen * 60_000) / 1000 }];
    }
    const rangeMinutes = Number(/\[(\d+)s\]/.exec(expr)?.[1] ?? 'NaN') / 60;
    if (!Number.isFinite(rangeMinutes)) throw new Error(`the simulated Prometheus only answers ranges in seconds: ${expr}`);
    // Data through the last whole minute; a minute counts when the range overlaps it.
    const to = Math.floor(minutesAt);
    const from = Math.floor(minutesAt - rangeMinutes);
    const key = `${track}/${from}/${to}/${thisCanaryOnly}`;
    let shaped = this.cache.get(key);
    if (!shaped) {
      shaped = shapedTrack(this.traffic, track, thisCanaryOnly ? Math.max(0, from) : from, to, this.faults, thisCanaryOnly ? 0 : undefined);
      this.cache.set(key, shaped);
    }
    if (expr.includes('_bucket')) return shaped.buckets;
    if (expr.includes('=~"5.."')) return shaped.errors;
    if (expr.includes('=~".+"')) return shaped.classified;
    return shaped.requests;
  }
}
