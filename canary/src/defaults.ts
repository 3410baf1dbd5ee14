/**
 * The gate's defaults in one place: the CLI's --help, the gate and the judge all read
 * them from here, so a default changes once. Why each value: docs/canary.md.
 */
import type { MultipleTestingProcedure } from './statistics/multiple-testing.js';

export const GATE_DEFAULTS = {
  /** Planned length of the analysis, a PromQL duration. */
  window: '10m',
  /** Time between runs of the gate; window / lookInterval looks are planned. */
  lookInterval: '1m',
  /** False-rollback rate of the whole analysis: all looks, tenants and metrics. */
  alpha: 0.01,
  /** Canary requests a tenant needs to be judged alone; fewer and it joins the long tail. */
  minCanaryRequests: 50,
  /** Error control across tenants and metrics. */
  procedure: 'holm' as MultipleTestingProcedure,
  /** Share of alpha for the fleet-wide family (Pocock); the rest is the tenants' (O'Brien–Fleming). */
  fleetAlphaShare: 0.2,
  /** Relative tolerance of the canary's share of traffic: 0.2 accepts 4–6% for 5%. */
  canaryShareTolerance: 0.2,
  /**
   * Expected canary requests below which a tenant seen on the baseline but absent from the
   * canary is "too small to judge" rather than missing: at least this many (P(0 requests)
   * = e^-10 ≈ 5e-5 at this mean), and more with many tenants (`absentTenantFalseAlarm`).
   */
  absentTenantExpectedRequests: 10,
  /**
   * Chance that some present tenant shows no canary request only by chance and holds the
   * rollout: the threshold above is raised to ln(tenants / this), 14.5 at 2,000 tenants
   * (with 10 there, 1 run in 200 of the benchmark was held with nothing missing).
   */
  absentTenantFalseAlarm: 0.001,
  /** Timeout of each Prometheus query. */
  timeout: '10s',
} as const;
