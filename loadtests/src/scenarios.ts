/**
 * One open-model scenario per tenant: a `constant-arrival-rate` executor starts the
 * tenant's share of iterations on schedule whatever the server's latency, so a slow
 * server cannot slow the load down and hide its latency (coordinated omission).
 */
import type { ConstantArrivalRateScenario } from 'k6/options';
import { budgetSeconds } from '@tenantry/conventions';
import { splitRate } from './rates.js';
import type { LoadTenant } from './tenants-file.js';

/**
 * Latency a VU pool must absorb before iterations are dropped: the pool is sized for
 * requests that take this long, and `dropped_iterations` fails the run beyond it.
 */
export const MAX_ABSORBED_LATENCY_SECONDS = 2;

/** Share of its expected request rate a tenant must get; below it, its request-rate threshold fails. */
export const MIN_DELIVERED_SHARE = 0.9;

export interface TenantScenario {
  readonly tenant: LoadTenant;
  readonly name: string;
  /** Requests per second the tenant should get. */
  readonly ratePerSecond: number;
  /** Requests the tenant should get over the whole run. */
  readonly expectedRequests: number;
  readonly scenario: ConstantArrivalRateScenario;
}

const SCENARIO_PREFIX = 'tenant_';

/** k6 scenario name of a tenant (k6 allows letters, digits, `_` and `-`, as in tenant ids). */
export function scenarioName(tenantId: string): string {
  return `${SCENARIO_PREFIX}${tenantId}`;
}

/** The tenant id of a scenario named by `scenarioName`; undefined for another scenario. */
export function tenantOfScenario(name: string): string | undefined {
  return name.startsWith(SCENARIO_PREFIX) ? name.slice(SCENARIO_PREFIX.length) : undefined;
}

export interface TenantScenariosProps {
  readonly tenants: readonly LoadTenant[];
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** k6 tag carrying the tenant id. */
  readonly tenantTag: string;
}

/** The per-tenant scenarios; their rates add up to `ratePerSecond` exactly. */
export function tenantScenarios(props: TenantScenariosProps): TenantScenario[] {
  const split = splitRate(
    props.ratePerSecond,
    props.tenants.map((t) => t.weight),
  );
  if (props.durationSeconds < split.timeUnitSeconds) {
    throw new RangeError(
      `DURATION=${props.durationSeconds}s is shorter than the ${split.timeUnitSeconds}s time unit that RATE=${props.ratePerSecond}/s needs ` +
        `to give every tenant a request: raise DURATION to at least ${split.timeUnitSeconds}s or raise RATE`,
    );
  }
  return props.tenants.map((tenant, index) => {
    const rate = split.rates[index] ?? 0;
    const perSecond = rate / split.timeUnitSeconds;
    const preAllocatedVUs = Math.max(1, Math.ceil(perSecond * budgetSeconds(tenant.p95BudgetMs) * 2));
    const maxVUs = Math.max(2, preAllocatedVUs, Math.ceil(perSecond * MAX_ABSORBED_LATENCY_SECONDS));
    return {
      tenant,
      name: scenarioName(tenant.id),
      ratePerSecond: perSecond,
      expectedRequests: perSecond * props.durationSeconds,
      scenario: {
        executor: 'constant-arrival-rate',
        rate,
        timeUnit: `${split.timeUnitSeconds}s`,
        duration: `${props.durationSeconds}s`,
        preAllocatedVUs,
        maxVUs,
        // Scenario tags reach the metrics of the scenario's requests and checks; k6 tags
        // `dropped_iterations` with the scenario's name only (seen in v0.48.0 and v1.3.0).
        tags: { [props.tenantTag]: tenant.id },
        env: { TENANT_ID: tenant.id },
      },
    };
  });
}

/**
 * The request rate (per second of the run so far) below which a tenant's run proves
 * nothing: 90% of its expected rate, rounded down to 4 decimals. A rate rather than a
 * count, so that a run cut short by an aborting threshold does not fail every tenant
 * for not having had the full duration.
 */
export function minimumRequestRate(ratePerSecond: number): number {
  return Math.floor(ratePerSecond * MIN_DELIVERED_SHARE * 1e4) / 1e4;
}
