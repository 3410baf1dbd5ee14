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
   * canary is "too small to judge" (P(0 requests) = e^-10 ≈ 5e-5 at this mean) rather than missing.
   */
  absentTenantExpectedRequests: 10,
  /** Timeout of each Prometheus query. */
  timeout: '10s',
} as const;
