/**
 * A synthetic fleet for the simulation benchmark and the judge's tests: Zipf-skewed
 * traffic over tenants, log-normal latencies binned into the telemetry package's bucket
 * boundaries, Poisson request counts per bucket and minute (sampled as counts, never per
 * request), and a canary that takes a fixed share of every tenant's traffic.
 */
import { budgetSeconds, latencyBucketBoundaries } from '@tenantry/conventions';
import type { TenantBudget, TenantObservation } from '../../canary/src/judge-types.js';
import { normalCdf } from '../../canary/src/statistics/normal.js';
import type { SeededRandom } from './random.js';

export interface SyntheticTenant {
  readonly id: string;
  /** Share of the fleet's requests. */
  readonly share: number;
  readonly budget: TenantBudget;
  /** Median latency of the stable version, seconds. */
  readonly medianSeconds: number;
}

export interface SyntheticFleetProps {
  readonly tenants: number;
  /** Zipf exponent of traffic by tenant rank. @default 1 */
  readonly zipfExponent?: number;
}

/** Latency budgets the synthetic tenants cycle through (ms), like a catalog's plans. */
const BUDGETS_MS = [200, 150, 300, 200] as const;
/** Spread of log latency: true p95 = median · e^(1.645σ) ≈ 2.47 × median. */
export const LATENCY_SIGMA = 0.55;

export function syntheticFleet(props: SyntheticFleetProps): SyntheticTenant[] {
  const s = props.zipfExponent ?? 1;
  const weights = Array.from({ length: props.tenants }, (_, rank) => 1 / Math.pow(rank + 1, s));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w, rank) => {
    const budgetMs = BUDGETS_MS[rank % BUDGETS_MS.length]!;
    // The stable version's p95 sits at 55–80% of the budget, different per tenant.
    const p95Seconds = budgetSeconds(budgetMs) * (0.55 + 0.25 * (((rank * 7919) % 101) / 100));
    return {
      id: `tenant-${String(rank + 1).padStart(4, '0')}`,
      share: w / total,
      budget: { p95LatencyMs: budgetMs, errorRate: 0.01 },
      medianSeconds: p95Seconds / Math.exp(1.6448536 * LATENCY_SIGMA),
    };
  });
}

/** How one track serves one tenant. */
export interface TrackBehaviour {
  /** Multiplies every latency (1 = unchanged). */
  readonly latencyFactor: number;
  readonly errorRate: number;
}

export interface WindowProps {
  readonly fleet: readonly SyntheticTenant[];
  /** Requests per second over the whole fleet. */
  readonly fleetRps: number;
  /** Share of each tenant's traffic sent to the canary. */
  readonly canaryWeight: number;
  /** Stable behaviour, the same for every tenant. */
  readonly baseline: TrackBehaviour;
  /** Canary behaviour per tenant. */
  readonly canary: (tenant: SyntheticTenant) => TrackBehaviour;
}

export const SIMULATION_BOUNDARIES: readonly number[] = latencyBucketBoundaries(BUDGETS_MS.map(budgetSeconds));

/** A latency mixture as (weight, multiple of the median) pairs; one log-normal mode by default. */
export type LatencyModes = readonly (readonly [number, number])[];

/** Share of requests in each bin of SIMULATION_BOUNDARIES (the last bin above the last bound). */
export function binProbabilities(medianSeconds: number, modes: LatencyModes = [[1, 1]]): Float64Array {
  const probabilities = new Float64Array(SIMULATION_BOUNDARIES.length + 1);
  for (const [weight, multiple] of modes) {
    let previous = 0;
    SIMULATION_BOUNDARIES.forEach((bound, i) => {
      const cdf = normalCdf(Math.log(bound / (medianSeconds * multiple)) / LATENCY_SIGMA);
      probabilities[i]! += weight * (cdf - previous);
      previous = cdf;
    });
    probabilities[SIMULATION_BOUNDARIES.length]! += weight * (1 - previous);
  }
  return probabilities;
}

interface TrackState {
  readonly expectedPerMinute: Float64Array;
  readonly expectedErrorsPerMinute: number;
  readonly bins: number[];
  requests: number;
  errors: number;
}

/** Cumulative counts of one analysis window, one minute at a time. */
export class SimulatedWindow {
  private readonly tenants: readonly SyntheticTenant[];
  private readonly canary: TrackState[];
  private readonly baseline: TrackState[];
  private readonly fleetCanary = new Float64Array(SIMULATION_BOUNDARIES.length + 1);
  private readonly fleetBaseline = new Float64Array(SIMULATION_BOUNDARIES.length + 1);
  private fleetCanaryErrors = 0;
  private fleetBaselineErrors = 0;

  constructor(props: WindowProps) {
    this.tenants = props.fleet;
    const track = (tenant: SyntheticTenant, weight: number, behaviour: TrackBehaviour): TrackState => {
      const perMinute = props.fleetRps * 60 * tenant.share * weight;
      const expected = binProbabilities(tenant.medianSeconds * behaviour.latencyFactor).map((p) => p * perMinute);
      return { expectedPerMinute: expected, expectedErrorsPerMinute: perMinute * behaviour.errorRate, bins: new Array<number>(expected.length).fill(0), requests: 0, errors: 0 };
    };
    this.canary = props.fleet.map((t) => track(t, props.canaryWeight, props.canary(t)));
    this.baseline = props.fleet.map((t) => track(t, 1 - props.canaryWeight, props.baseline));
  }

  /** Adds one minute of traffic. */
  addMinute(random: SeededRandom): void {
    this.fleetCanaryErrors += this.addTrackMinute(this.canary, this.fleetCanary, random);
    this.fleetBaselineErrors += this.addTrackMinute(this.baseline, this.fleetBaseline, random);
  }

  /** Adds a minute to every tenant of one track and to the track's fleet total; returns the errors added. */
  private addTrackMinute(states: readonly TrackState[], fleet: Float64Array, random: SeededRandom): number {
    let errors = 0;
    for (const state of states) {
      let added = 0;
      for (let i = 0; i < state.expectedPerMinute.length; i++) {
        const n = random.poisson(state.expectedPerMinute[i]!);
        state.bins[i]! += n;
        fleet[i]! += n;
        added += n;
      }
      state.requests += added;
      const e = Math.min(added, random.poisson(state.expectedErrorsPerMinute));
      state.errors += e;
      errors += e;
    }
    return errors;
  }

  /**
   * The window so far, as the gate would read it from Prometheus. The histograms are
   * views of the window's counters (no copies: the benchmark reads thousands per
   * second), valid until the next `addMinute`.
   */
  observations(): TenantObservation[] {
    return this.tenants.map((tenant, i) => ({
      tenant: tenant.id,
      canary: snapshot(this.canary[i]!),
      baseline: snapshot(this.baseline[i]!),
    }));
  }

  /** Per-minute canary and baseline histograms summed over tenants (what aggregate gates read). */
  fleetBins(): { readonly canary: Float64Array; readonly baseline: Float64Array; readonly canaryErrors: number; readonly baselineErrors: number } {
    return {
      canary: this.fleetCanary.slice(),
      baseline: this.fleetBaseline.slice(),
      canaryErrors: this.fleetCanaryErrors,
      baselineErrors: this.fleetBaselineErrors,
    };
  }
}

function snapshot(state: TrackState): TenantObservation['canary'] {
  return { latency: { boundaries: SIMULATION_BOUNDARIES, bins: state.bins }, requests: state.requests, errors: state.errors };
}
