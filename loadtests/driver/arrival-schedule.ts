/**
 * When each request of a run is due: the k6 script's open model computed up front. Every
 * tenant gets the `constant-arrival-rate` scenario k6 would run (same rate split, same
 * time unit, same VU ceiling), and its iterations are spaced evenly at `timeUnit / rate`,
 * starting at 0, as k6's executor starts them. The tenants' timelines are merged into one.
 */
import { splitRate } from '../src/rates.js';
import { tenantScenarios } from '../src/scenarios.js';
import type { LoadTenant } from '../src/tenants-file.js';

export interface Arrival {
  /** Intended start, in milliseconds from the start of the run. */
  readonly atMs: number;
  /** Index of the tenant in the run's tenant list. */
  readonly tenant: number;
  /** The tenant's iteration number (k6's `exec.scenario.iterationInTest`). */
  readonly iteration: number;
}

export interface TenantPlan {
  /** Requests per second the tenant should get (the base of k6's request-rate threshold). */
  readonly ratePerSecond: number;
  /** VUs k6 starts the tenant's scenario with (`preAllocatedVUs`). */
  readonly preAllocated: number;
  /** Most requests of the tenant in flight at once (k6's `maxVUs`); beyond it a request is dropped. */
  readonly maxInFlight: number;
}

export interface ArrivalSchedule {
  readonly arrivals: readonly Arrival[];
  readonly tenants: readonly TenantPlan[];
}

export function arrivalSchedule(tenants: readonly LoadTenant[], ratePerSecond: number, durationSeconds: number): ArrivalSchedule {
  // k6 refuses a run shorter than the time unit; the driver, used for short warm-ups and
  // test traffic, takes the scenarios of a run one time unit long and cuts them at the
  // duration (a small tenant then gets its request at 0 only).
  const { timeUnitSeconds } = splitRate(ratePerSecond, tenants.map((t) => t.weight));
  // The tag only matters to k6; the schedule needs the scenarios' rates and VU ceilings.
  const scenarios = tenantScenarios({ tenants, ratePerSecond, durationSeconds: Math.max(durationSeconds, timeUnitSeconds), tenantTag: 'tenant' });
  const arrivals: Arrival[] = [];
  const durationMs = durationSeconds * 1000;
  scenarios.forEach(({ scenario }, tenant) => {
    const periodMs = (parseFloat(scenario.timeUnit ?? '1s') * 1000) / scenario.rate;
    for (let iteration = 0; iteration * periodMs < durationMs; iteration++) arrivals.push({ atMs: iteration * periodMs, tenant, iteration });
  });
  arrivals.sort((a, b) => a.atMs - b.atMs || a.tenant - b.tenant);
  return { arrivals, tenants: scenarios.map((s) => ({ ratePerSecond: s.ratePerSecond, preAllocated: s.scenario.preAllocatedVUs, maxInFlight: s.scenario.maxVUs ?? 1 })) };
}
