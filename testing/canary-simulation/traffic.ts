/**
 * Minute-by-minute traffic of a canary analysis as Prometheus would store it: for every
 * tenant, track and minute, the requests per latency bucket and the 5xx responses. Both
 * tracks share the minute's conditions (a noisy neighbour, drift, a diurnal ramp, a burst,
 * overdispersed errors), and the baseline has traffic before the canary starts, so a query
 * over the wrong time range sees what the gate would see in production.
 *
 * Minutes run from −`minutesBefore` to `minutes` − 1; the canary starts at minute 0.
 */
import { binProbabilities, SIMULATION_BOUNDARIES, type LatencyModes, type WindowProps } from './fleet.js';
import type { SeededRandom } from './random.js';

/** What one minute does to both tracks at once. */
export interface MinuteConditions {
  /** Multiplies every latency of the minute. */
  readonly latencyFactor: number;
  /** Multiplies every error rate of the minute. */
  readonly errorFactor: number;
  /** Multiplies the request rate of the minute. */
  readonly rateFactor: number;
}

export const STEADY_MINUTE: MinuteConditions = { latencyFactor: 1, errorFactor: 1, rateFactor: 1 };

export type Track = 'canary' | 'baseline';

export interface TrafficProps extends WindowProps {
  readonly minutesBefore: number;
  readonly minutes: number;
  /** Conditions of each minute, from −minutesBefore; drawn once per run. */
  readonly conditions: readonly MinuteConditions[];
  /**
   * Latency mixture of a tenant as (weight, multiple of its median) pairs.
   * @default - one log-normal mode at the tenant's median
   */
  readonly modes?: LatencyModes;
  /**
   * Minutes [from, to) before 0 in which an earlier canary (another pod-template hash,
   * same role label) took the canary's weight.
   * @default - none
   */
  readonly staleCanaryMinutes?: readonly [number, number];
}

const BINS = SIMULATION_BOUNDARIES.length + 1;

/**
 * Per tenant and track, running sums over minutes (index 0 = nothing yet, index m + 1 =
 * through the m-th simulated minute), so any range of minutes is one subtraction.
 */
export class SimulatedTraffic {
  readonly tenants: TrafficProps['fleet'];
  readonly minutesBefore: number;
  readonly minutes: number;
  /** [track][tenant] → cumulative bins, (minutesBefore + minutes + 1) × BINS. */
  private readonly bins: Record<Track, Float64Array[]>;
  private readonly errors: Record<Track, Float64Array[]>;

  constructor(props: TrafficProps, random: SeededRandom) {
    this.tenants = props.fleet;
    this.minutesBefore = props.minutesBefore;
    this.minutes = props.minutes;
    const span = props.minutesBefore + props.minutes;
    const modes = props.modes ?? [[1, 1]];
    this.bins = { canary: [], baseline: [] };
    this.errors = { canary: [], baseline: [] };
    for (const tenant of props.fleet) {
      const canaryBehaviour = props.canary(tenant);
      for (const track of ['canary', 'baseline'] as const) {
        const behaviour = track === 'canary' ? canaryBehaviour : props.baseline;
        const bins = new Float64Array((span + 1) * BINS);
        const errors = new Float64Array(span + 1);
        let cachedFactor = Number.NaN;
        let probabilities: Float64Array = new Float64Array(BINS);
        for (let m = 0; m < span; m++) {
          const minute = m - props.minutesBefore;
          const conditions = props.conditions[m] ?? STEADY_MINUTE;
          const [staleFrom, staleTo] = props.staleCanaryMinutes ?? [0, 0];
          const canaryOn = minute >= 0 || (minute >= staleFrom && minute < staleTo);
          const weight = track === 'canary' ? (canaryOn ? props.canaryWeight : 0) : canaryOn ? 1 - props.canaryWeight : 1;
          const perMinute = props.fleetRps * 60 * tenant.share * weight * conditions.rateFactor;
          const factor = behaviour.latencyFactor * conditions.latencyFactor;
          if (factor !== cachedFactor) {
            probabilities = binProbabilities(tenant.medianSeconds * factor, modes);
            cachedFactor = factor;
          }
          let added = 0;
          for (let i = 0; i < BINS; i++) {
            const n = perMinute > 0 ? random.poisson(probabilities[i]! * perMinute) : 0;
            bins[(m + 1) * BINS + i] = bins[m * BINS + i]! + n;
            added += n;
          }
          const e = Math.min(added, random.poisson(perMinute * Math.min(1, behaviour.errorRate * conditions.errorFactor)));
          errors[m + 1] = errors[m]! + e;
        }
        this.bins[track].push(bins);
        this.errors[track].push(errors);
      }
    }
  }

  /**
   * Requests per bin and 5xx responses of one tenant and track over minutes [from, to)
   * (minute numbers, the canary starting at 0), clamped to the simulated span.
   */
  range(track: Track, tenantIndex: number, from: number, to: number): { readonly bins: number[]; readonly errors: number } {
    const a = Math.max(0, Math.min(this.minutesBefore + this.minutes, from + this.minutesBefore));
    const b = Math.max(a, Math.min(this.minutesBefore + this.minutes, to + this.minutesBefore));
    const cumulative = this.bins[track][tenantIndex]!;
    const bins = new Array<number>(BINS);
    for (let i = 0; i < BINS; i++) bins[i] = cumulative[b * BINS + i]! - cumulative[a * BINS + i]!;
    const errors = this.errors[track][tenantIndex]!;
    return { bins, errors: errors[b]! - errors[a]! };
  }

  /** Requests and 5xx of one tenant and track from the start of the simulation to minute `to`. */
  totals(track: Track, tenantIndex: number, to: number): { readonly requests: number; readonly errors: number } {
    const b = Math.max(0, Math.min(this.minutesBefore + this.minutes, to + this.minutesBefore));
    const cumulative = this.bins[track][tenantIndex]!;
    let requests = 0;
    for (let i = 0; i < BINS; i++) requests += cumulative[b * BINS + i]!;
    return { requests, errors: this.errors[track][tenantIndex]![b]! };
  }

  private firstCanary: number | undefined | null = null;

  /** First minute (from `from`, default the simulation's start) with canary requests of any tenant, or undefined. */
  firstCanaryMinute(from?: number): number | undefined {
    if (from !== undefined) return this.findFirstCanaryMinute(from);
    if (this.firstCanary === null) this.firstCanary = this.findFirstCanaryMinute(-this.minutesBefore);
    return this.firstCanary;
  }

  private findFirstCanaryMinute(from: number): number | undefined {
    for (let m = from; m < this.minutes; m++) {
      for (let t = 0; t < this.tenants.length; t++) if (this.range('canary', t, m, m + 1).bins.some((n) => n > 0)) return m;
    }
    return undefined;
  }
}
